package profile

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// ListPlaceholders are the placeholders a pagination body may use (see
// Pagination.Body); the engine compiles the body with the same list.
// ListPlaceholdersFor narrows them to one style.
var ListPlaceholders = []string{"$items", "$count", "$total", "$limit", "$offset", "$page", "$pageSize", "$totalPages", "$next", "$previous", "$hasMore",
	"$nextCursor", "$previousCursor", "$firstId", "$lastId"}

// positionPlaceholders need a page's position in the whole list, which a
// cursor page does not have; cursorPlaceholders need a cursor.
var (
	positionPlaceholders = []string{"$offset", "$page", "$totalPages"}
	cursorPlaceholders   = []string{"$nextCursor", "$previousCursor", "$firstId", "$lastId"}
)

// ListPlaceholdersFor are the placeholders a list body of style may use.
func ListPlaceholdersFor(style string) []string {
	not := cursorPlaceholders
	if style == PageCursor {
		not = positionPlaceholders
	}
	return slices.DeleteFunc(slices.Clone(ListPlaceholders), func(s string) bool { return slices.Contains(not, s) })
}

// ErrorPlaceholders are the placeholders an error body may use (see
// Errors.Body); the engine compiles the body with the same list.
var ErrorPlaceholders = []string{"$status", "$code", "$message", "$reason"}

// pagination checks the profile's pagination and each resource's own.
func (c *checker) pagination() {
	c.pages("pagination", c.p.Pagination, true)
	for i := range c.p.Resources {
		if pg := c.p.Resources[i].Pagination; pg != nil {
			c.pages(fmt.Sprintf("resources[%d].pagination", i), *pg, len(pg.Body) > 0)
		}
	}
}

// pages checks one pagination at path; its body only when it has its own
// (a resource's without one takes the profile's, checked for its style).
func (c *checker) pages(at string, pg Pagination, ownBody bool) {
	c.oneOf(at+".style", pg.Style, PageOffset, PageNumber, PageCursor)
	params := []struct{ path, v string }{{at + ".sizeParam", pg.SizeParam}}
	if pg.Style == PageCursor {
		params = append(params, struct{ path, v string }{at + ".afterParam", pg.AfterParam})
		if pg.BeforeParam != "" {
			params = append(params, struct{ path, v string }{at + ".beforeParam", pg.BeforeParam})
		}
		if pg.PositionParam != "" {
			c.add(at+".positionParam", "style cursor has no position parameter (got %q): the cursor is afterParam", pg.PositionParam)
		}
		if pg.Cursor != "" {
			c.oneOf(at+".cursor", pg.Cursor, CursorID, CursorOpaque)
		}
	} else {
		params = append(params, struct{ path, v string }{at + ".positionParam", pg.PositionParam})
		for _, f := range []struct{ path, v string }{{at + ".afterParam", pg.AfterParam}, {at + ".beforeParam", pg.BeforeParam}, {at + ".cursor", pg.Cursor}} {
			if f.v != "" {
				c.add(f.path, "only style cursor has it (style is %q)", pg.Style)
			}
		}
	}
	queryIn := c.p.Auth.QueryParams
	seen := map[string]string{}
	for _, f := range params {
		switch {
		case !queryParamRE.MatchString(f.v):
			c.add(f.path, "must be a query parameter name of letters, digits, '_', '.' or '-' (got %q)", f.v)
		case slices.Contains(queryIn, f.v):
			c.add(f.path, "%q is also in auth.queryParams, which refuses it as a key in the URL", f.v)
		case f.v == c.p.Auth.Query:
			c.add(f.path, "%q is also auth.query, where the key is read", f.v)
		case slices.ContainsFunc(c.p.Auth.Schemes, func(s AuthScheme) bool { return s.Query == f.v }):
			c.add(f.path, "%q is also the query parameter of a scheme in auth.schemes, where a key is read", f.v)
		case seen[f.v] != "":
			c.add(f.path, "must differ from %s (both %q)", seen[f.v], f.v)
		}
		seen[f.v] = f.path[strings.LastIndexByte(f.path, '.')+1:]
	}
	if pg.DefaultSize < 1 || pg.DefaultSize > pg.MaxSize {
		c.add(at+".defaultSize", "must be 1..maxSize (got %d, maxSize %d)", pg.DefaultSize, pg.MaxSize)
	}
	if pg.MaxSize < 1 || pg.MaxSize > 10000 {
		c.add(at+".maxSize", "must be 1..10000 (got %d)", pg.MaxSize)
	}
	body := pg.Body
	if !ownBody {
		body = c.p.Pagination.Body
		if c.p.Pagination.Style == pg.Style {
			return // checked as the profile's, for the same style
		}
	}
	before := len(c.problems)
	c.template(at+".body", body, ListPlaceholdersFor(pg.Style), "$items", false)
	for i := before; !ownBody && i < len(c.problems); i++ {
		c.problems[i].Msg += " (it has no body of its own: the profile's pagination.body, of style " + c.p.Pagination.Style + ", is used)"
	}
}

func (c *checker) errors() {
	e := c.p.Errors
	c.template("errors.body", e.Body, ErrorPlaceholders, "$message", true)
	c.errorContentType("errors.contentType", e.ContentType)
	for _, k := range sortedKeys(e.ByStatus) {
		path := "errors.byStatus." + k
		if n, err := strconv.Atoi(k); k != StatusDefault && (err != nil || n < 400 || n > 599 || strconv.Itoa(n) != k) {
			c.add(path, `must be an error status 400..599 or "default" (got %q)`, k)
			continue
		}
		b := e.ByStatus[k]
		c.template(path+".body", b.Body, ErrorPlaceholders, "$message", true)
		c.errorContentType(path+".contentType", b.ContentType)
	}
	usesCode := e.UsesCode()
	for _, k := range sortedKeys(e.Kinds) {
		path := "errors.kinds." + k
		if !slices.Contains(Kinds, k) {
			c.add(path, "unknown error kind (known: %s)", strings.Join(Kinds, ", "))
			continue
		}
		a := e.Kinds[k]
		if a.Status < 400 || a.Status > 599 || http.StatusText(a.Status) == "" {
			c.add(path+".status", "must be an HTTP error status, 4xx or 5xx (got %d)", a.Status)
		}
		if strings.TrimSpace(a.Message) == "" {
			c.add(path+".message", "must not be empty")
		}
		if usesCode && a.Code == "" {
			c.add(path+".code", "must not be empty: an error template uses $code")
		}
	}
}

// errorContentType checks the content type of error answers: empty
// (application/json) or a JSON media type, since the body is JSON.
func (c *checker) errorContentType(path, ct string) {
	if ct != "" && !validJSONMediaType(ct) {
		c.add(path, "must be a JSON media type such as %s or %s (got %q)", ContentTypeJSON, ContentTypeProblem, ct)
	}
}

// template checks a body template: a JSON object whose placeholder strings
// are all in allowed and which holds each of once exactly once. inLists
// lets placeholders sit inside a list: an error body may be a list of
// errors (Asana's {"errors": [{"message": "$message"}]}), while a list
// envelope's placeholders are the page's own values, never items of a list.
func (c *checker) template(path string, body json.RawMessage, allowed []string, once string, inLists bool) {
	if !isJSONObject(body) {
		c.add(path, "must be a JSON object")
		return
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		c.add(path, "must be a JSON object: %v", err)
		return
	}
	count := 0
	var walk func(path string, v any, inArray bool)
	walk = func(path string, v any, inArray bool) {
		switch x := v.(type) {
		case map[string]any:
			for _, k := range sortedKeys(x) {
				walk(join(path, k), x[k], inArray)
			}
		case []any:
			for i, e := range x {
				walk(path+"["+strconv.Itoa(i)+"]", e, true)
			}
		case string:
			if !strings.HasPrefix(x, "$") {
				return
			}
			switch {
			case !slices.Contains(allowed, x):
				c.add(path, "unknown placeholder %q (known: %s)", x, strings.Join(allowed, " "))
			case inArray && !inLists:
				c.add(path, "placeholder %q may not be inside a list", x)
			}
			if x == once {
				count++
			}
		}
	}
	walk(path, v, false)
	if count != 1 {
		c.add(path, "must contain %q exactly once (found %d)", once, count)
	}
}
