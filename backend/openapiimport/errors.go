package openapiimport

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"mockgate/backend/profile"
)

// problemBody is the error envelope when the document has none: RFC 9457
// problem details.
const problemBody = `{"type":"about:blank","title":"$reason","status":"$status","detail":"$message"}`

// Property names of an error body and the placeholder each becomes, in
// the order they are preferred.
var (
	messageNames = []string{"message", "detail", "error_description", "errormessage", "error_message", "msg", "description", "error"}
	codeNames    = []string{"code", "error_code", "errorcode", "name", "type", "error"}
	statusNames  = []string{"status", "statuscode", "status_code", "httpstatus", "http_status"}
)

// errorEnvelope takes the error body most of the document's error answers
// (4xx, 5xx, default) share: its message becomes $message, its code
// $code, its status $status. Without one, errors answer a problem body.
func (im *importer) errorEnvelope() {
	counts := map[string]int{}
	schemas := map[string]*openapi3.SchemaRef{}
	best := ""
	for _, o := range im.ops {
		if o.op.Responses == nil {
			continue
		}
		for _, code := range o.op.Responses.Keys() {
			n, err := strconv.Atoi(code)
			isErr := code == "default" || strings.EqualFold(code, "4XX") || strings.EqualFold(code, "5XX") || err == nil && n >= 400
			ref := o.op.Responses.Value(code)
			if !isErr || ref == nil || ref.Value == nil {
				continue
			}
			_, m := jsonMedia(ref.Value.Content)
			if m == nil || m.Schema == nil || flatten(m.Schema) == nil {
				continue
			}
			key := m.Schema.Ref
			if key == "" {
				key = fmt.Sprintf("%p", m.Schema.Value)
			}
			schemas[key] = m.Schema
			counts[key]++
			if best == "" || counts[key] > counts[best] {
				best = key
			}
		}
	}
	im.p.Errors = profile.Errors{Body: json.RawMessage(problemBody), Kinds: map[string]profile.ErrorKind{
		profile.KindInsufficientScope: {Status: http.StatusForbidden, Code: "forbidden", Message: "API key lacks the scopes this operation needs: {detail}"},
	}}
	if best == "" {
		im.gap("errors", "the document describes no JSON error body: errors answer an RFC 9457 problem body {type, title, status, detail} (as application/json)")
		return
	}
	slots := map[string]string{}
	tmpl := errorTemplate(flatten(schemas[best]), 0, slots)
	if _, ok := slots["$message"]; !ok {
		im.gap("errors", "the error body %s has no message property: errors answer an RFC 9457 problem body instead", schemaName(schemas[best], "of the error answers"))
		return
	}
	b, err := json.Marshal(tmpl)
	if err != nil {
		im.gap("errors", "the error body %s cannot be a template (%v): errors answer an RFC 9457 problem body", schemaName(schemas[best], "of the error answers"), err)
		return
	}
	im.p.Errors.Body = b
	if len(counts) > 1 {
		im.gap("errors", "%d error bodies: every error answers the most common, %s", len(counts), schemaName(schemas[best], "an inline schema"))
	}
}

// errorTemplate renders an error schema as an error body template; slots
// records which placeholder went where.
func errorTemplate(sh *objectShape, depth int, slots map[string]string) *ordered {
	out := newOrdered()
	if sh == nil {
		return out
	}
	assign := map[string]string{} // property → placeholder
	claim := func(slot string, names []string, want string) {
		if _, done := slots[slot]; done {
			return
		}
		for _, n := range names {
			for _, prop := range sh.names {
				p := sh.props[prop]
				if strings.ToLower(prop) != n || assign[prop] != "" || p == nil || p.Value == nil || typeOf(p.Value) != want {
					continue
				}
				if slot == "$code" && n == "type" && p.Value.Format != "" { // a problem's type URI
					continue
				}
				assign[prop], slots[slot] = slot, prop
				return
			}
		}
	}
	claim("$message", messageNames, openapi3.TypeString)
	claim("$code", codeNames, openapi3.TypeString)
	claim("$status", statusNames, openapi3.TypeInteger)
	claim("$reason", []string{"title"}, openapi3.TypeString)
	for _, name := range sh.names {
		p := sh.props[name]
		if p == nil || p.Value == nil {
			continue
		}
		switch {
		case assign[name] != "":
			out.set(name, assign[name])
		case typeOf(p.Value) == openapi3.TypeObject && depth < 2 && flatten(p) != nil:
			if inner := errorTemplate(flatten(p), depth+1, slots); len(inner.keys) > 0 {
				out.set(name, inner)
			}
		case strings.ToLower(name) == "type" && p.Value.Format != "":
			out.set(name, "about:blank")
		case sh.required[name]:
			out.set(name, literal(generate(p)))
		}
	}
	return out
}
