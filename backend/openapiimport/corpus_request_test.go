package openapiimport_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"mockgate/backend/instance/instancetest"
	"mockgate/backend/openapiimport"
)

// send calls an operation: path parameters from the seeded data where a
// collection lists records (else from the document's examples and
// schemas), the required query, header and cookie parameters, a request
// body from the schema, and the key where the document's first security
// alternative says to put it. key "" sends no credential.
func (c *corpusRun) send(o corpusOp, sec openapi3.SecurityRequirements, key string) (instancetest.Response, *http.Request, map[string]string) {
	c.calls++
	params := map[string]string{}
	path := o.path
	query := url.Values{}
	var headers []string
	var cookies []string
	for _, pr := range append(slicesOf(o.item.Parameters), slicesOf(o.op.Parameters)...) {
		p := pr.Value
		if p.In == openapi3.ParameterInPath {
			v := c.pathValue(strings.SplitN(o.path, "{"+p.Name+"}", 2)[0], p)
			params[p.Name] = v
			path = strings.ReplaceAll(path, "{"+p.Name+"}", pathEscape(v))
			continue
		}
		if !p.Required {
			continue
		}
		v := paramValue(p)
		switch p.In {
		case openapi3.ParameterInQuery:
			addQuery(query, p.Name, v)
		case openapi3.ParameterInHeader:
			headers = append(headers, p.Name, scalar(v))
		case openapi3.ParameterInCookie:
			cookies = append(cookies, p.Name+"="+scalar(v))
		}
	}
	var body []byte
	if rb := o.op.RequestBody; rb != nil && rb.Value != nil {
		ct, b := requestBody(rb.Value)
		if ct != "" {
			body = b
			headers = append(headers, "Content-Type", ct)
		}
	}
	if key != "" && len(sec) > 0 {
		for name := range sec[0] {
			ss := c.doc.Components.SecuritySchemes[name]
			if ss == nil || ss.Value == nil {
				continue
			}
			s := ss.Value
			switch {
			case s.Type == "apiKey" && s.In == "header":
				headers = append(headers, s.Name, key)
			case s.Type == "apiKey" && s.In == "query":
				query.Set(s.Name, key)
			case s.Type == "apiKey" && s.In == "cookie":
				cookies = append(cookies, s.Name+"="+key)
			case s.Type == "http" && strings.EqualFold(s.Scheme, "basic"):
				headers = append(headers, "Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(key+":")))
			default: // http bearer, oauth2, openIdConnect
				headers = append(headers, "Authorization", "Bearer "+key)
			}
		}
	}
	if len(cookies) > 0 {
		headers = append(headers, "Cookie", strings.Join(cookies, "; "))
	}
	full := c.doc.Servers[0].URL + path
	if q := query.Encode(); q != "" {
		full += "?" + q
	}
	u, err := url.Parse(full)
	if err != nil {
		c.t.Fatalf("%s: %v", o, err)
	}
	r := c.h.Call(c.api, o.method, u.RequestURI(), "", body, headers...)
	req := c.h.Request(c.api, o.method, u.RequestURI(), "", nil, headers...)
	return r, req, params
}

func slicesOf(ps openapi3.Parameters) []*openapi3.ParameterRef {
	out := make([]*openapi3.ParameterRef, 0, len(ps))
	for _, p := range ps {
		if p != nil && p.Value != nil {
			out = append(out, p)
		}
	}
	return out
}

// pathValue fills a path parameter: the first record of the collection at
// prefix (the document's path before the parameter) when the document lists
// one there, else the parameter's example or a value generated from its
// schema. A nested collection (/a/{aId}/things) is listed under its
// parent's first record, the value its own {aId} gets; a collection whose
// GET answers no list gives the record its POST created (exercise runs a
// path's operations before its /{id}'s), so that every call with a key
// addresses records that exist.
func (c *corpusRun) pathValue(prefix string, p *openapi3.Parameter) string {
	coll := strings.TrimSuffix(prefix, "/")
	if id, ok := c.ids[coll]; ok {
		if id != "" {
			return id
		}
	} else {
		c.ids[coll] = ""
		if item := c.doc.Paths.Value(coll); item != nil && item.Get != nil && c.all != "" {
			sec := requirements(c.doc, item.Get)
			r, _, _ := c.send(corpusOp{path: coll, method: "GET", item: item, op: item.Get}, sec, c.all)
			c.calls-- // a look-up, not one of the calls checked
			if r.Status == http.StatusOK {
				if id := firstID(r.Body); id != "" {
					c.ids[coll] = id
					return id
				}
			}
		}
		if id := c.created[coll]; id != "" { // a collection that lists no array: the record its POST made
			c.ids[coll] = id
			return id
		}
	}
	return scalar(paramValue(p))
}

// firstID finds the first record's "id" in a list answer: a bare array, or
// the first array of objects in the envelope.
func firstID(body []byte) string {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return ""
	}
	var find func(any, int) string
	find = func(v any, depth int) string {
		if depth > 3 {
			return ""
		}
		switch x := v.(type) {
		case []any:
			if len(x) > 0 {
				if m, ok := x[0].(map[string]any); ok {
					if id, ok := m["id"]; ok {
						return scalar(id)
					}
				}
			}
		case map[string]any:
			names := make([]string, 0, len(x))
			for k := range x {
				names = append(names, k)
			}
			sort.Strings(names)
			for _, k := range names {
				if id := find(x[k], depth+1); id != "" {
					return id
				}
			}
		}
		return ""
	}
	return find(v, 0)
}

// paramValue is a parameter's example, else a value from its schema.
func paramValue(p *openapi3.Parameter) any {
	if p.Example != nil {
		return p.Example
	}
	for _, name := range sortedExampleNames(p.Examples) {
		if ex := p.Examples[name]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
			return ex.Value.Value
		}
	}
	if p.Schema != nil {
		return openapiimport.GenerateRequest(p.Schema)
	}
	if mt := p.Content.Get("application/json"); mt != nil && mt.Schema != nil {
		b, _ := json.Marshal(openapiimport.GenerateRequest(mt.Schema))
		return string(b)
	}
	return "value"
}

func sortedExampleNames(ex openapi3.Examples) []string {
	out := make([]string, 0, len(ex))
	for k := range ex {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// scalar writes a value as a parameter's text.
func scalar(v any) string {
	switch x := v.(type) {
	case nil:
		return "value"
	case string:
		return x
	case float64:
		return fmt.Sprint(x)
	case bool, int, int64:
		return fmt.Sprint(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// addQuery adds a query parameter: arrays repeated (form, exploded),
// objects as name[key]=value (deepObject), scalars as they are.
func addQuery(q url.Values, name string, v any) {
	switch x := jsonValue(v).(type) {
	case []any:
		for _, e := range x {
			q.Add(name, scalar(e))
		}
	case map[string]any:
		for k, e := range x {
			q.Add(name+"["+k+"]", scalar(e))
		}
	default:
		q.Add(name, scalar(x))
	}
}

// jsonValue turns the generator's ordered objects into plain JSON values.
func jsonValue(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if json.Unmarshal(b, &out) != nil {
		return v
	}
	return out
}

// requestBody picks the body's media type (JSON first, then form) and
// generates a body from its example or schema.
func requestBody(rb *openapi3.RequestBody) (string, []byte) {
	pick := ""
	for _, want := range []string{"application/json", "application/x-www-form-urlencoded", "multipart/form-data"} {
		for mt := range rb.Content {
			if pick == "" && (mt == want || strings.HasPrefix(mt, want) || (want == "application/json" && strings.HasSuffix(mt, "+json"))) {
				pick = mt
			}
		}
	}
	if pick == "" {
		for _, mt := range keys(rb.Content) {
			return mt, []byte("value")
		}
		return "", nil
	}
	m := rb.Content[pick]
	var v any
	switch {
	case m.Example != nil:
		v = m.Example
	case len(m.Examples) > 0:
		for _, name := range sortedExampleNames(m.Examples) {
			if ex := m.Examples[name]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
				v = ex.Value.Value
				break
			}
		}
	}
	if v == nil && m.Schema != nil {
		v = openapiimport.GenerateRequest(m.Schema)
	}
	v = jsonValue(v)
	switch {
	case strings.HasPrefix(pick, "application/x-www-form-urlencoded"):
		form := url.Values{}
		if obj, ok := v.(map[string]any); ok {
			for k, e := range obj {
				addForm(form, k, e)
			}
		}
		return pick, []byte(form.Encode())
	case strings.HasPrefix(pick, "multipart/form-data"):
		b := "--corpus\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nvalue\r\n--corpus--\r\n"
		return "multipart/form-data; boundary=corpus", []byte(b)
	}
	b, _ := json.Marshal(v)
	return pick, b
}

// addForm encodes a form value as Stripe-style nested keys (a[b]=c,
// a[0]=x).
func addForm(form url.Values, name string, v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			addForm(form, name+"["+k+"]", e)
		}
	case []any:
		for i, e := range x {
			addForm(form, fmt.Sprintf("%s[%d]", name, i), e)
		}
	default:
		form.Add(name, scalar(x))
	}
}
