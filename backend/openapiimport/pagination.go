package openapiimport

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"mockgate/backend/profile"
)

// Query parameter names that page a list.
var (
	sizeNames   = []string{"limit", "per_page", "perPage", "page_size", "pageSize", "size", "count", "max_results", "maxResults"}
	offsetNames = []string{"offset", "skip", "start"}
	pageNames   = []string{"page", "page_number", "pageNumber"}
	cursorNames = []string{"after", "before", "starting_after", "ending_before", "cursor", "next_token", "nextToken",
		"page_token", "pageToken", "continuation_token", "continuationToken", "marker"}
)

// paging is what one list operation's parameters say.
type paging struct {
	style            string // profile.PageOffset, profile.PageNumber, or "" (none recognised)
	size, position   string
	cursors          []string
	defSize, maxSize int
}

func (pg paging) key() string { return pg.style + " " + pg.size + " " + pg.position }

// recognise reads an operation's query parameters.
func recognise(o *operation) paging {
	var pg paging
	query := map[string]*openapi3.Parameter{}
	for _, p := range o.params {
		if p.In == openapi3.ParameterInQuery {
			query[p.Name] = p
		}
	}
	pick := func(names []string) string {
		for _, n := range names {
			if query[n] != nil {
				return n
			}
		}
		return ""
	}
	pg.size = pick(sizeNames)
	for _, n := range cursorNames {
		if query[n] != nil {
			pg.cursors = append(pg.cursors, n)
		}
	}
	switch off, page := pick(offsetNames), pick(pageNames); {
	case pg.size != "" && off != "":
		pg.style, pg.position = profile.PageOffset, off
	case pg.size != "" && page != "":
		pg.style, pg.position = profile.PageNumber, page
	}
	pg.maxSize, pg.defSize = 100, 20
	if p := query[pg.size]; p != nil && p.Schema != nil && p.Schema.Value != nil {
		s := p.Schema.Value
		if s.Max != nil && *s.Max >= 1 {
			pg.maxSize = int(min(*s.Max, 10000))
		}
		if d, ok := s.Default.(float64); ok && d >= 1 {
			pg.defSize = int(d)
		}
	}
	pg.defSize = min(pg.defSize, pg.maxSize)
	return pg
}

// pagination chooses the profile's one list style, the one most list
// operations use, and its list body from their response schemas; what it
// cannot express (cursors, other styles, other envelopes) goes in gaps.
func (im *importer) pagination() {
	counts := map[string]int{}
	var chosen paging
	cursors := []string{}
	for _, l := range im.lists {
		pg := recognise(l.op)
		for _, c := range pg.cursors {
			if !slices.Contains(cursors, c) {
				cursors = append(cursors, c)
			}
		}
		if pg.style == "" {
			continue
		}
		counts[pg.key()]++
		if counts[pg.key()] > counts[chosen.key()] || chosen.style == "" {
			chosen = pg
		}
	}
	pgn := profile.Pagination{Style: profile.PageOffset, SizeParam: "limit", PositionParam: "offset", DefaultSize: 20, MaxSize: 100}
	cursorOnly := false
	switch {
	case chosen.style != "":
		pgn = profile.Pagination{Style: chosen.style, SizeParam: chosen.size, PositionParam: chosen.position, DefaultSize: chosen.defSize, MaxSize: chosen.maxSize}
		im.sum.Pagination = fmt.Sprintf("%s: %s and %s (default %d, at most %d)", chosen.style, chosen.position, chosen.size, chosen.defSize, chosen.maxSize)
	case len(im.lists) == 0:
		im.sum.Pagination = "no list operations: mockgate's default (limit and offset) is in the profile, unused"
	default:
		cursorOnly = len(cursors) > 0
		for _, l := range im.lists {
			if pg := recognise(l.op); pg.size != "" {
				pgn.SizeParam, pgn.MaxSize, pgn.DefaultSize = pg.size, pg.maxSize, pg.defSize
				break
			}
		}
		if cursorOnly {
			pgn.DefaultSize = pgn.MaxSize
		}
		im.sum.Pagination = fmt.Sprintf("not recognised: lists take %s (at most %d) and mockgate's %s", pgn.SizeParam, pgn.MaxSize, pgn.PositionParam)
		if cursorOnly {
			im.sum.Pagination = fmt.Sprintf("cursors (%s) are not expressible yet: lists answer their first page, of up to %d records (%s), with every seeded record on it", strings.Join(cursors, ", "), pgn.MaxSize, pgn.SizeParam)
			im.gap("pagination", "cursor parameters %s are not read: the profile pages by %s and %s, which the document does not have; each collection is seeded with at most one page (%d records) so that the first page is the whole list and no client pages past it", strings.Join(cursors, ", "), pgn.SizeParam, pgn.PositionParam, pgn.MaxSize)
		} else {
			im.gap("pagination", "no list takes a page size with an offset or a page number: the profile pages by %s and %s", pgn.SizeParam, pgn.PositionParam)
		}
	}
	for _, s := range im.p.Auth.Schemes {
		if s.Query != "" && slices.Contains([]string{pgn.SizeParam, pgn.PositionParam}, s.Query) {
			im.gap("pagination", "the key's query parameter %q (scheme %s) is also a page parameter: lists take limit and offset instead", s.Query, s.Name)
			pgn.SizeParam, pgn.PositionParam = "limit", "offset"
		}
	}
	for _, l := range im.lists {
		pg := recognise(l.op)
		if pg.style != "" && pg.key() != chosen.key() {
			im.gap(l.op.where(), "pages by %s and %s; the profile has one list style for every list, %s and %s", pg.position, pg.size, pgn.PositionParam, pgn.SizeParam)
		}
		if cursorOnly && l.res.Seed.Count > pgn.MaxSize {
			l.res.Seed.Count = pgn.MaxSize
		}
	}
	im.listBody(&pgn, cursorOnly)
	im.p.Pagination = pgn
}

// listBody derives the list envelope from the lists' response schemas:
// the array of items becomes $items, totals, page numbers and links their
// placeholders, anything else the value the schema gives. The most common
// envelope wins; a bare array cannot be a profile's list body.
func (im *importer) listBody(pgn *profile.Pagination, cursorOnly bool) {
	counts := map[string]int{}
	bodies := map[*profile.Resource]string{}
	best := ""
	for _, l := range im.lists {
		_, resp := success(l.op)
		_, m := jsonMedia(resp.Content)
		if typeOf(m.Schema.Value) == openapi3.TypeArray {
			im.gap(l.op.where(), "answers a bare JSON array; a profile's list body is an object, so the mock answers {\"data\": [...]}")
			continue
		}
		tmpl := listTemplate(flatten(m.Schema), 0, cursorOnly, &struct{ items bool }{})
		b, err := json.Marshal(tmpl)
		if err != nil || !strings.Contains(string(b), `"$items"`) {
			continue
		}
		bodies[l.res] = string(b)
		counts[string(b)]++
		if best == "" || counts[string(b)] > counts[best] {
			best = string(b)
		}
	}
	if best == "" {
		best = `{"data":"$items"}`
	}
	pgn.Body = json.RawMessage(best)
	for _, l := range im.lists {
		if b, ok := bodies[l.res]; ok && b != best {
			im.gap(l.op.where(), "its list envelope differs from the one the profile uses for every list (%s)", best)
		}
	}
}

// Names of envelope properties and the placeholder each becomes.
var envelopeSlots = map[string]string{
	"total": "$total", "total_count": "$total", "totalcount": "$total", "total_items": "$total", "totalitems": "$total",
	"total_results": "$total", "totalresults": "$total",
	"count": "$count",
	"limit": "$pageSize", "per_page": "$pageSize", "perpage": "$pageSize", "page_size": "$pageSize", "pagesize": "$pageSize", "size": "$pageSize",
	"page": "$page", "current_page": "$page", "currentpage": "$page", "page_number": "$page", "pagenumber": "$page",
	"offset": "$offset", "skip": "$offset",
	"total_pages": "$totalPages", "totalpages": "$totalPages", "page_count": "$totalPages", "pagecount": "$totalPages",
	"next": "$next", "next_url": "$next", "nexturl": "$next", "next_page_url": "$next", "nextpageurl": "$next",
	"previous": "$previous", "prev": "$previous", "previous_url": "$previous", "prev_url": "$previous", "prev_page_url": "$previous",
	"has_more": "$hasMore", "hasmore": "$hasMore", "has_next": "$hasMore", "hasnext": "$hasMore", "more": "$hasMore",
}

// listTemplate renders an envelope schema as a list body template.
func listTemplate(sh *objectShape, depth int, cursorOnly bool, seen *struct{ items bool }) *ordered {
	out := newOrdered()
	if sh == nil {
		return out
	}
	path, _ := envelopeItems(sh, 0)
	for _, name := range sh.names {
		p := sh.props[name]
		if p == nil || p.Value == nil {
			continue
		}
		t := typeOf(p.Value)
		slot := envelopeSlots[strings.ToLower(name)]
		switch {
		case !seen.items && len(path) == 1 && path[0] == name:
			out.set(name, "$items")
			seen.items = true
		case t == openapi3.TypeObject && depth < 2 && flatten(p) != nil:
			out.set(name, listTemplate(flatten(p), depth+1, cursorOnly, seen))
		case slot == "$hasMore" && t == openapi3.TypeBoolean:
			if cursorOnly {
				out.set(name, false) // one page holds every record
			} else {
				out.set(name, slot)
			}
		case (slot == "$next" || slot == "$previous") && t == openapi3.TypeString:
			out.set(name, slot)
		case slot != "" && slot != "$hasMore" && slot != "$next" && slot != "$previous" && t == openapi3.TypeInteger:
			out.set(name, slot)
		case !sh.required[name] && !concrete(p.Value):
			// optional, not a page's, and nothing says its value: left out
		default:
			out.set(name, literal(generate(p)))
		}
	}
	return out
}

// literal returns a copy of a generated value that is safe in a body
// template: a string that starts with '$' would read as a placeholder.
func literal(v any) any {
	switch x := v.(type) {
	case string:
		if strings.HasPrefix(x, "$") {
			return "_" + x
		}
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = literal(x[i])
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k := range x {
			out[k] = literal(x[k])
		}
		return out
	case *ordered:
		out := newOrdered()
		for _, k := range x.keys {
			out.set(k, literal(x.vals[k]))
		}
		return out
	}
	return v
}

// concrete says whether a schema names its value (const, enum, example or
// default), as an envelope's {"object": "list"} does.
func concrete(s *openapi3.Schema) bool {
	return s.Const != nil || len(s.Enum) > 0 || s.Example != nil || len(s.Examples) > 0 || s.Default != nil
}
