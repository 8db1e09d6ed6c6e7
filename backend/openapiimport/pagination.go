package openapiimport

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"mockgate/backend/profile"
	"mockgate/backend/sample"
)

// Query parameter names that page a list.
var (
	sizeNames   = []string{"limit", "per_page", "perPage", "page_size", "pageSize", "size", "count", "max_results", "maxResults"}
	offsetNames = []string{"offset", "skip", "start"}
	pageNames   = []string{"page", "page_number", "pageNumber"}
	// afterNames continue a list after a cursor; the first ones name a
	// record by its id (Stripe, Resend), the others are opaque tokens.
	afterNames   = []string{"after", "starting_after", "startingAfter", "marker", "cursor", "next_token", "nextToken", "page_token", "pageToken", "continuation_token", "continuationToken"}
	idCursors    = []string{"after", "starting_after", "startingAfter", "marker"}
	beforeNames  = []string{"before", "ending_before", "endingBefore"}
	defaultSizes = struct{ def, max int }{20, 100}
)

// paging is what one list operation's parameters say.
type paging struct {
	pg profile.Pagination
	// documented is false when the operation has no page parameters at
	// all: the API answers the whole list.
	documented bool
}

// key tells paging styles apart (the body aside).
func (pg paging) key() string {
	p := pg.pg
	return fmt.Sprintf("%s %s %s %s %s %s %d %d %t", p.Style, p.SizeParam, p.PositionParam, p.AfterParam, p.BeforeParam, p.Cursor, p.DefaultSize, p.MaxSize, p.EmptyLinks)
}

// describe says a pagination in a summary line.
func describe(p profile.Pagination) string {
	switch p.Style {
	case profile.PageCursor:
		s := "cursor: " + p.AfterParam
		if p.BeforeParam != "" {
			s += "/" + p.BeforeParam
		}
		kind := "a record id"
		if p.Cursor == profile.CursorOpaque {
			kind = "an opaque token"
		}
		return fmt.Sprintf("%s (%s) and %s (default %d, at most %d)", s, kind, p.SizeParam, p.DefaultSize, p.MaxSize)
	}
	return fmt.Sprintf("%s: %s and %s (default %d, at most %d)", p.Style, p.PositionParam, p.SizeParam, p.DefaultSize, p.MaxSize)
}

// recognise reads an operation's query parameters.
func recognise(o *operation) paging {
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
	pg := profile.Pagination{SizeParam: pick(sizeNames), DefaultSize: defaultSizes.def, MaxSize: defaultSizes.max}
	off, page, after := pick(offsetNames), pick(pageNames), pick(afterNames)
	documented := true
	switch {
	case pg.SizeParam != "" && off != "":
		pg.Style, pg.PositionParam = profile.PageOffset, off
	case pg.SizeParam != "" && page != "":
		pg.Style, pg.PositionParam = profile.PageNumber, page
	case after != "":
		pg.Style, pg.AfterParam, pg.BeforeParam = profile.PageCursor, after, pick(beforeNames)
		if !slices.Contains(idCursors, after) {
			pg.Cursor = profile.CursorOpaque
		}
	case page != "":
		pg.Style, pg.PositionParam = profile.PageNumber, page
	case off != "":
		pg.Style, pg.PositionParam = profile.PageOffset, off
	default:
		pg.Style, pg.PositionParam = profile.PageOffset, "offset"
		documented = pg.SizeParam != ""
	}
	if pg.SizeParam == "" {
		pg.SizeParam = "limit"
		if pg.PositionParam == "limit" || pg.AfterParam == "limit" || pg.BeforeParam == "limit" {
			pg.SizeParam = "page_size"
		}
	}
	if p := query[pg.SizeParam]; p != nil && p.Schema != nil && p.Schema.Value != nil {
		s := p.Schema.Value
		if s.Max != nil && *s.Max >= 1 {
			pg.MaxSize = int(min(*s.Max, 10000))
		}
		if d, ok := s.Default.(float64); ok && d >= 1 {
			pg.DefaultSize = int(d)
		}
	}
	pg.DefaultSize = min(pg.DefaultSize, pg.MaxSize)
	return paging{pg: pg, documented: documented}
}

// listPages is one list's pagination and list body.
type listPages struct {
	l    listed
	pg   paging
	body string // "" when the document's list body is not an object
}

// pagination gives each list the style its parameters and its list schema
// say: the profile's pagination is the most common one, and a list that
// differs (another style, other names, another envelope) carries its own.
// A list without page parameters answers every record on one page: its
// own pagination takes a default size of at least the seed count.
func (im *importer) pagination() {
	if len(im.lists) == 0 {
		im.p.Pagination = profile.Pagination{Style: profile.PageOffset, SizeParam: "limit", PositionParam: "offset",
			DefaultSize: defaultSizes.def, MaxSize: defaultSizes.max, Body: json.RawMessage(`{"data":"$items"}`)}
		im.sum.Pagination = "no list operations: mockgate's default (limit and offset) is in the profile, unused"
		return
	}
	lists := make([]listPages, len(im.lists))
	counts := map[string]int{}
	best := -1
	for i, l := range im.lists {
		lp := listPages{l: l, pg: recognise(l.op)}
		im.keyParams(&lp)
		lp.body, lp.pg.pg.EmptyLinks = im.listBody(l.op, lp.pg.pg.Style)
		lists[i] = lp
		if !lp.pg.documented || lp.body == "" {
			continue
		}
		k := lp.pg.key() + " " + canonical(lp.body)
		counts[k]++
		if best < 0 || counts[k] > counts[lists[best].pg.key()+" "+canonical(lists[best].body)] {
			best = i
		}
	}
	if best < 0 { // no list documents its pages: the first one's body, and the default sizes
		best = 0
	}
	chosen := lists[best].pg.pg
	chosen.Body = json.RawMessage(cmp.Or(lists[best].body, `{"data":"$items"}`))
	im.p.Pagination = chosen
	styles := map[string]int{}
	for _, lp := range lists {
		r := im.resourceOf(lp.l)
		own := lp.pg.pg
		switch {
		case !lp.pg.documented:
			own = chosen
			// its own envelope still (Figma's {"comments": [...]}), in the
			// style it takes from the profile's
			if body, empty := im.listBody(lp.l.op, own.Style); body != "" {
				own.Body, own.EmptyLinks = json.RawMessage(body), empty
			}
			own.DefaultSize = max(own.DefaultSize, r.Seed.Count)
			own.MaxSize = max(own.MaxSize, own.DefaultSize)
			im.gap(lp.l.op.where(), "takes no page parameters: the mock answers up to %d records on one page (%s)", own.DefaultSize, own.SizeParam)
		case lp.body == "":
			own.Body = json.RawMessage(`{"data":"$items"}`)
		default:
			own.Body = json.RawMessage(lp.body)
		}
		if own.Style == chosen.Style && canonical(string(own.Body)) == canonical(string(chosen.Body)) {
			own.Body = nil // the profile's
		}
		if paging := (paging{pg: own}); paging.key() != lists[best].pg.key() || len(own.Body) > 0 {
			r.Pagination = &own
		}
		styles[own.Style]++
		im.sumOf(r).Pagination = describe(own)
	}
	var parts []string
	for _, st := range []string{profile.PageCursor, profile.PageOffset, profile.PageNumber} {
		if n := styles[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, st))
		}
	}
	im.sum.Pagination = fmt.Sprintf("%s; lists by style: %s (each resource's line says its own)", describe(chosen), strings.Join(parts, ", "))
}

// canonical is a JSON text with its keys sorted, to compare envelopes
// whose documents list the properties in another order.
func canonical(body string) string {
	var v any
	if json.Unmarshal([]byte(body), &v) != nil {
		return body
	}
	b, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return string(b)
}

// keyParams moves a page parameter that is also where the key is read: the
// engine would read one value as both.
func (im *importer) keyParams(lp *listPages) {
	pg := &lp.pg.pg
	qs := []string{im.p.Auth.Query}
	for _, s := range im.p.Auth.Schemes {
		qs = append(qs, s.Query)
	}
	for _, q := range qs {
		if q == "" {
			continue
		}
		for _, f := range []*string{&pg.SizeParam, &pg.PositionParam, &pg.AfterParam, &pg.BeforeParam} {
			if *f == q {
				im.gap(lp.l.op.where(), "the key's query parameter %q is also a page parameter: the list takes %q instead", q, "page_"+q)
				*f = "page_" + q
			}
		}
	}
}

// resourceOf is the profile's resource of a list (im.lists may hold
// pointers into an earlier copy of the resources' slice).
func (im *importer) resourceOf(l listed) *profile.Resource {
	for i := range im.p.Resources {
		if im.p.Resources[i].Path == l.res.Path {
			return &im.p.Resources[i]
		}
	}
	return l.res
}

// sumOf is the summary line of resource r.
func (im *importer) sumOf(r *profile.Resource) *ResourceSummary {
	for i := range im.sum.Resources {
		if im.sum.Resources[i].Path == r.Path {
			return &im.sum.Resources[i]
		}
	}
	return &ResourceSummary{}
}

// listBody derives a list's envelope from its response schema: the array
// of items becomes $items, totals, page numbers, links and cursors their
// placeholders (those style has), anything else the value the schema
// gives. "" when the answer is not an object holding the items (a bare
// array cannot be a list body: the mock answers {"data": [...]}).
// emptyLinks is true when a link or cursor it placed is a string the
// schema does not say nullable (profile.Pagination.EmptyLinks).
func (im *importer) listBody(o *operation, style string) (body string, emptyLinks bool) {
	_, resp := success(o)
	if resp == nil {
		return "", false
	}
	_, m := jsonMedia(resp.Content)
	if m == nil || m.Schema == nil || m.Schema.Value == nil {
		return "", false
	}
	if typeOf(m.Schema.Value) == openapi3.TypeArray {
		im.gap(o.where(), "answers a bare JSON array; a profile's list body is an object, so the mock answers {\"data\": [...]}")
		return "", false
	}
	seen := &listSeen{}
	tmpl := listTemplate(flatten(m.Schema), 0, profile.ListPlaceholdersFor(style), seen)
	b, err := json.Marshal(tmpl)
	if err != nil || !strings.Contains(string(b), `"$items"`) {
		return "", false
	}
	return string(b), seen.notNullLink
}

// listSeen is what listTemplate placed so far: the items, and whether a
// link or cursor went into a string that may not be null.
type listSeen struct{ items, notNullLink bool }

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
	"next_cursor": "$nextCursor", "nextcursor": "$nextCursor", "cursor": "$nextCursor", "next_token": "$nextCursor", "nexttoken": "$nextCursor",
	"next_page_token": "$nextCursor", "nextpagetoken": "$nextCursor", "continuation_token": "$nextCursor", "continuationtoken": "$nextCursor",
	"next_marker": "$nextCursor", "nextmarker": "$nextCursor",
	"previous_cursor": "$previousCursor", "prev_cursor": "$previousCursor", "previouscursor": "$previousCursor", "prevcursor": "$previousCursor",
	"first_id": "$firstId", "firstid": "$firstId", "last_id": "$lastId", "lastid": "$lastId",
}

// listTemplate renders an envelope schema as a list body template, with
// the placeholders in allowed (those of the list's style).
func listTemplate(sh *objectShape, depth int, allowed []string, seen *listSeen) *sample.Object {
	out := sample.NewObject()
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
		if !slices.Contains(allowed, slot) {
			slot = ""
		}
		switch {
		case !seen.items && len(path) == 1 && path[0] == name:
			out.Set(name, "$items")
			seen.items = true
		case t == openapi3.TypeObject && depth < 2 && flatten(p) != nil:
			out.Set(name, listTemplate(flatten(p), depth+1, allowed, seen))
		case slot == "$hasMore" && t == openapi3.TypeBoolean,
			(slot == "$firstId" || slot == "$lastId") && (t == openapi3.TypeString || t == openapi3.TypeInteger):
			out.Set(name, slot)
		case slices.Contains(stringSlots, slot) && t == openapi3.TypeString:
			out.Set(name, slot)
			seen.notNullLink = seen.notNullLink || !nullable(p.Value)
		case slot != "" && !slices.Contains(stringSlots, slot) && t == openapi3.TypeInteger:
			out.Set(name, slot)
		case !sh.required[name] && !concrete(p.Value):
			// optional, not a page's, and nothing says its value: left out
		default:
			out.Set(name, literal(generate(p)))
		}
	}
	return out
}

// stringSlots are the list placeholders whose value is a string (or null).
var stringSlots = []string{"$next", "$previous", "$nextCursor", "$previousCursor"}

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
	case *sample.Object:
		out := sample.NewObject()
		for _, k := range x.Keys() {
			out.Set(k, literal(x.Get(k)))
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
