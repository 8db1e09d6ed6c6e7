package openapiimport

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"mockgate/backend/profile"
	"mockgate/backend/sample"
)

// The documented errors. Each status the engine answers errors with takes
// the document's own response for it (exact, or its 4XX/5XX range) and
// becomes an errors.byStatus entry; the document's default response
// becomes errors.body, which answers every other status; where the
// document describes no JSON body, an RFC 9457 problem body served as
// application/problem+json. A template comes from the response's example
// (its message, code and status put in), else from its schema. When the
// operations document a status with different bodies, the most common
// wins and a gap names the others: the engine picks a template by status,
// not by operation, which keeps an error's answer one index away.

// errorStatuses are the statuses the engine answers errors with.
var errorStatuses = []int{400, 401, 403, 404, 405, 413, 415, 422, 429, 431, 500}

// problemBody is the error template where the document has none: RFC 9457
// problem details.
const problemBody = `{"type":"about:blank","title":"$reason","status":"$status","detail":"$message"}`

// Property names of an error body and the placeholder each becomes, in
// the order they are preferred.
var (
	messageNames = []string{"message", "detail", "error_description", "errormessage", "error_message", "msg", "description", "error", "title"}
	codeNames    = []string{"code", "error_code", "errorcode", "name", "type", "error"}
	statusNames  = []string{"status", "statuscode", "status_code", "httpstatus", "http_status"}
)

// ErrorSummary says what answers one error status.
type ErrorSummary struct {
	// Status is "404", or "default" for every status without its own.
	Status string `json:"status"`
	// Answer names the body: "the document's NotFound schema",
	// "problem+json, the document describes no body".
	Answer string `json:"answer"`
}

// errorResponse is one body a status is documented with, and where.
type errorResponse struct {
	resp  *openapi3.Response
	media *openapi3.MediaType // nil: no JSON body
	mt    string
	name  string // for the summary: "the document's NotFound schema"
	ops   []string
}

// errorTemplate is a compiled choice: a template and its content type.
type errorTemplate struct {
	body json.RawMessage
	ct   string
	how  string
}

// errorEnvelope fills profile.Errors and the summary's Errors. Without a
// default response, errors.body is the body most documented error
// statuses share (an undocumented 403 of a vendor whose every error is
// {error: {message}} most likely looks the same), else problem+json.
func (im *importer) errorEnvelope() {
	im.p.Errors = profile.Errors{Kinds: map[string]profile.ErrorKind{
		profile.KindInsufficientScope: {Status: http.StatusForbidden, Code: "forbidden", Message: "API key lacks the scopes this operation needs: {detail}"},
	}}
	type outcome struct {
		status string
		doc    *errorResponse // nil: not documented
		t      errorTemplate
		ok     bool
	}
	var outs []outcome
	shared := map[string]int{}
	for _, status := range errorStatuses {
		o := outcome{status: strconv.Itoa(status)}
		o.doc = im.documented(o.status, func(rs *openapi3.Responses) *openapi3.ResponseRef { return rs.Status(status) })
		if o.doc != nil && o.doc.media != nil {
			o.t, o.ok = im.template(o.status, o.doc)
		}
		if o.ok {
			shared[o.t.ct+" "+string(o.t.body)]++
		}
		outs = append(outs, o)
	}
	fallback := errorTemplate{body: json.RawMessage(problemBody), ct: profile.ContentTypeProblem, how: "problem+json"}
	why := ", the document has no default response"
	if def := im.documented("default", func(rs *openapi3.Responses) *openapi3.ResponseRef { return rs.Default() }); def != nil {
		t, ok := im.template("default", def)
		switch {
		case ok:
			fallback, why = t, ""
		case def.media == nil:
			why = ", the document's default response describes no body"
		default:
			why = ", " + def.name + " cannot carry the message (see not mapped)"
		}
	}
	if fallback.how == "problem+json" && len(shared) > 0 {
		best, n := "", 0
		for _, o := range outs { // the first of the most shared
			if k := o.t.ct + " " + string(o.t.body); o.ok && shared[k] > n {
				best, n = k, shared[k]
			}
		}
		for _, o := range outs {
			if o.ok && o.t.ct+" "+string(o.t.body) == best {
				fallback, why = o.t, " (what the document's error statuses answer"+why+")"
				break
			}
		}
	}
	im.p.Errors.Body, im.p.Errors.ContentType = fallback.body, fallback.ct
	if fallback.ct == profile.ContentTypeJSON {
		im.p.Errors.ContentType = ""
	}
	im.sum.Errors = append(im.sum.Errors, ErrorSummary{Status: "default", Answer: fallback.how + why})
	for _, o := range outs {
		answer := ""
		switch {
		case o.doc == nil:
			if o.status == "415" || o.status == "431" {
				continue // rare: named only when documented
			}
			answer = fallback.how + ", not documented"
		case o.doc.media == nil:
			answer = fallback.how + ", the document describes no body"
		case !o.ok:
			answer = fallback.how + ": " + o.doc.name + " cannot carry the message (see not mapped)"
		case string(o.t.body) == string(fallback.body) && o.t.ct == fallback.ct:
			answer = o.t.how
		default:
			if im.p.Errors.ByStatus == nil {
				im.p.Errors.ByStatus = map[string]profile.ErrorBody{}
			}
			eb := profile.ErrorBody{Body: o.t.body, ContentType: o.t.ct}
			if o.t.ct == profile.ContentTypeJSON {
				eb.ContentType = ""
			}
			im.p.Errors.ByStatus[o.status] = eb
			answer = o.t.how
		}
		im.sum.Errors = append(im.sum.Errors, ErrorSummary{Status: o.status, Answer: answer})
	}
}

// documented is the response the operations give for key (a status, or
// "default"), the most common when they differ (a gap names the others);
// nil when no operation documents it.
func (im *importer) documented(key string, pick func(*openapi3.Responses) *openapi3.ResponseRef) *errorResponse {
	byID := map[string]*errorResponse{}
	var order []string
	for _, o := range im.ops {
		if o.op.Responses == nil {
			continue
		}
		ref := pick(o.op.Responses)
		if ref == nil || ref.Value == nil {
			continue
		}
		mt, media := jsonMedia(ref.Value.Content)
		id, name := "no body", "no body"
		if media != nil {
			switch {
			case media.Schema != nil && media.Schema.Ref != "":
				id, name = media.Schema.Ref, "the document's "+schemaName(media.Schema, "")+" schema"
			case media.Schema != nil:
				id, name = fmt.Sprintf("%p", media.Schema.Value), "the schema of "+o.where()+"'s "+key+" response"
			default:
				id, name = fmt.Sprintf("%p", media), "the example of "+o.where()+"'s "+key+" response"
			}
		}
		r, ok := byID[id]
		if !ok {
			r = &errorResponse{resp: ref.Value, media: media, mt: mt, name: name}
			byID[id] = r
			order = append(order, id)
		}
		r.ops = append(r.ops, o.where())
	}
	if len(order) == 0 {
		return nil
	}
	best := byID[order[0]]
	for _, id := range order[1:] { // the first of the most common
		if r := byID[id]; len(r.ops) > len(best.ops) {
			best = r
		}
	}
	if len(order) > 1 {
		var others []string
		for _, id := range order {
			if r := byID[id]; r != best {
				others = append(others, fmt.Sprintf("%s (%s)", r.name, strings.Join(r.ops, ", ")))
			}
		}
		im.gap("errors."+key, "the operations document %s with different bodies: every %s answers the most common, %s; not %s", key, key, best.name, strings.Join(others, "; "))
	}
	return best
}

// template makes the template of a documented JSON body: from its example
// if it has one, else from its schema. ok is false (with a gap) when the
// body has no property to carry the message.
func (im *importer) template(key string, r *errorResponse) (errorTemplate, bool) {
	if r.media == nil {
		return errorTemplate{}, false
	}
	ct := r.mt
	if base, _, _ := strings.Cut(ct, ";"); strings.TrimSpace(base) != "" {
		ct = strings.ToLower(strings.TrimSpace(base))
	}
	if v, found := mediaExample(r.media); found {
		if obj, isObj := v.(map[string]any); isObj {
			slots := map[string]bool{}
			filled := exampleTemplate(obj, 0, slots)
			if slots["$message"] {
				if b, err := json.Marshal(filled); err == nil {
					return errorTemplate{body: b, ct: ct, how: r.name + " (its example)"}, true
				}
			}
		}
	}
	sh := flatten(r.media.Schema)
	if sh == nil {
		im.gap("errors."+key, "%s is not an object with properties: the message naming the rule has no place in it", r.name)
		return errorTemplate{}, false
	}
	slots := map[string]string{}
	tmpl := schemaTemplate(sh, 0, slots)
	if _, ok := slots["$message"]; !ok {
		im.gap("errors."+key, "%s has no message property outside a list (one of %s): the message naming the rule has no place in it", r.name, strings.Join(messageNames, ", "))
		return errorTemplate{}, false
	}
	b, err := json.Marshal(tmpl)
	if err != nil {
		im.gap("errors."+key, "%s cannot be a template: %v", r.name, err)
		return errorTemplate{}, false
	}
	return errorTemplate{body: b, ct: ct, how: r.name}, true
}

// exampleTemplate puts the placeholders in a document's example: the
// first message-like string property (at the top, else one object down)
// becomes $message, a code-like string $code, a numeric status $status;
// every other value stays as the document wrote it.
func exampleTemplate(obj map[string]any, depth int, slots map[string]bool) map[string]any {
	out := make(map[string]any, len(obj))
	for k, v := range obj {
		out[k] = literal(v)
	}
	keys := slices.Sorted(maps.Keys(obj))
	put := func(slot string, names []string, fits func(any) bool) {
		if slots[slot] {
			return
		}
		for _, n := range names {
			for _, k := range keys {
				if strings.ToLower(k) == n && fits(obj[k]) && !isSlot(out[k]) {
					out[k], slots[slot] = slot, true
					return
				}
			}
		}
	}
	isString := func(v any) bool { _, ok := v.(string); return ok }
	put("$message", messageNames, isString)
	put("$code", codeNames, func(v any) bool { s, ok := v.(string); return ok && !strings.Contains(s, "://") })
	put("$status", statusNames, func(v any) bool { _, ok := v.(float64); return ok })
	if depth == 0 {
		for _, k := range keys {
			if inner, ok := obj[k].(map[string]any); ok {
				out[k] = exampleTemplate(inner, 1, slots)
			}
		}
	}
	return out
}

func isSlot(v any) bool {
	s, ok := v.(string)
	return ok && slices.Contains(profile.ErrorPlaceholders, s)
}

// schemaTemplate renders an error schema as a template; slots records
// which placeholder went where: in the object, one object down, or in the
// one item of a list of errors. Properties the schema constrains (enum,
// const, pattern) keep a generated value: a placeholder would break them.
func schemaTemplate(sh *objectShape, depth int, slots map[string]string) *sample.Object {
	out := sample.NewObject()
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
				if strings.ToLower(prop) != n || assign[prop] != "" || p == nil || p.Value == nil || typeOf(p.Value) != want ||
					len(p.Value.Enum) > 0 || p.Value.Const != nil || p.Value.Pattern != "" {
					continue
				}
				if want == openapi3.TypeString && p.Value.Format != "" { // a problem's type URI, a date
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
			out.Set(name, assign[name])
		case typeOf(p.Value) == openapi3.TypeObject && depth < 1 && flatten(p) != nil:
			if inner := schemaTemplate(flatten(p), depth+1, slots); len(inner.Keys()) > 0 {
				out.Set(name, inner)
			}
		case typeOf(p.Value) == openapi3.TypeArray && depth < 1 && p.Value.Items != nil && flatten(p.Value.Items) != nil && slots["$message"] == "":
			// a list of errors (Asana's {"errors": [{"message"}]}): one
			// item carries the message
			tried := maps.Clone(slots)
			if inner := schemaTemplate(flatten(p.Value.Items), depth+1, tried); tried["$message"] != "" {
				maps.Copy(slots, tried)
				out.Set(name, []any{inner})
			} else if sh.required[name] {
				out.Set(name, []any{})
			}
		case strings.ToLower(name) == "type" && p.Value.Format != "":
			out.Set(name, "about:blank")
		case sh.required[name]:
			out.Set(name, literal(generate(p)))
		}
	}
	return out
}
