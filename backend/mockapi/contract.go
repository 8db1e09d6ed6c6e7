package mockapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"mockgate/backend/profile"
)

// An API imported from an OpenAPI document keeps that document
// (profile.OpenAPI): the engine serves it at /openapi.json (openapi.go)
// and checks every request against it here, after the key and the rate
// limit (a request without a key is answered 401 before its parameters
// are looked at) and before the operation. Each endpoint's document
// operation is found once, when the engine is built; a request that breaks
// the operation's parameters (path, query, header: the credential is the
// key checks' business) or its JSON body is answered with the profile's
// bad_request error, status 400, or 422 where the document documents 422
// and not 400, naming the field. Built-in profiles have no document and
// pay nothing.

// contract is an imported API's document.
type contract struct {
	// doc is the document as self-contained JSON, served as it is but for
	// its servers.
	doc []byte
	t   *openapi3.T
	// ops are the document's operations by "METHOD shape", the shape being
	// the path with every {wildcard} as {} ("GET /pet/{}").
	ops map[string]*docOp
}

// docOp is the document's operation of one endpoint.
type docOp struct {
	route *routers.Route
	// names are the document's path parameter names, in path order; the
	// endpoint's wildcards (which the importer may rename) match them by
	// position.
	names  []string
	params []*openapi3.Parameter // path, query and header, not the credential
	// quick are the params' quick checks (contract_scalar.go), nil for
	// those kin-openapi always checks.
	quick []*scalarParam
	body  *openapi3.RequestBody // nil when none is documented
	// form is the body's form media type when the engine takes it
	// (contract_form.go).
	form *openapi3.MediaType
	// formJSON is the form's schema as a JSON body: a form is checked as
	// the JSON object it is read as.
	formJSON *openapi3.RequestBody
	// json: the document takes the body as JSON. Where it takes only a
	// form, a JSON body is the operation's to read, unchecked, as before
	// forms were taken.
	json bool
	// status answers a refused request: 400, or 422 when the document
	// documents 422 and not 400 for the operation.
	status int
}

// check is what an endpoint checks against the document.
type check struct {
	op *docOp
	// wild are the endpoint's wildcard names, in path order.
	wild []string
}

// checkOpts are kin-openapi's options: the request is never changed
// (no defaults filled in), and the first problem is enough.
var checkOpts = &openapi3filter.Options{SkipSettingDefaults: true}

// newContract loads p's document (or takes it parsed, when the profile's
// loader had it); nil when p has none. The document is self-contained:
// no file and no URL is read.
func newContract(p *profile.Profile) (*contract, error) {
	if p.OpenAPI == nil || len(p.OpenAPI.Source) == 0 {
		return nil, nil
	}
	t := p.OpenAPI.Parsed
	if t == nil {
		loader := openapi3.NewLoader()
		loader.ReadFromURIFunc = func(_ *openapi3.Loader, u *url.URL) ([]byte, error) {
			return nil, fmt.Errorf("$ref %q: the document must be self-contained", u.String())
		}
		var err error
		if t, err = loader.LoadFromData(p.OpenAPI.Source); err != nil {
			return nil, fmt.Errorf("profile %s: openapi.document: %w", p.ID, err)
		}
	}
	ct := &contract{doc: p.OpenAPI.Source, t: t, ops: map[string]*docOp{}}
	if t.Paths == nil {
		return ct, nil
	}
	for path, item := range t.Paths.Map() {
		shape, names := pathShape(path)
		for method, op := range item.Operations() {
			d := &docOp{
				route:  &routers.Route{Spec: t, Path: path, PathItem: item, Method: method, Operation: op},
				names:  names,
				params: checkedParams(p, item.Parameters, op.Parameters),
				body:   requestBody(op),
				form:   profile.FormBody(op),
				json:   takesJSON(op),
				status: refusalStatus(op),
			}
			if d.form != nil {
				d.formJSON = &openapi3.RequestBody{Required: d.body.Required, Content: openapi3.NewContentWithJSONSchemaRef(d.form.Schema)}
			}
			d.quick = make([]*scalarParam, len(d.params))
			for i, prm := range d.params {
				d.quick[i] = newScalarParam(prm)
			}
			ct.ops[method+" "+shape] = d
		}
	}
	return ct, nil
}

// forEndpoint is what ep checks, nil when the document has no operation
// for it (or there is no document).
func (ct *contract) forEndpoint(p *profile.Profile, ep *profile.Endpoint) *check {
	if ct == nil {
		return nil
	}
	rel := strings.TrimPrefix(ep.Path, p.Prefix())
	if rel == "" {
		rel = "/"
	}
	shape, wild := pathShape(rel)
	op := ct.ops[ep.Method+" "+shape]
	if op == nil || len(op.names) != len(wild) {
		return nil
	}
	return &check{op: op, wild: wild}
}

// documentsNoBody says a request without a body is the empty object:
// the document's operation takes no request body, or takes a form (an
// empty form; the document's check refuses it when a body is required).
// False without a document.
func (ch *check) documentsNoBody() bool { return ch != nil && (ch.op.body == nil || ch.op.form != nil) }

// pathShape returns path with every whole-segment {wildcard} as {}, and
// the wildcards' names in order.
func pathShape(path string) (string, []string) {
	segs := strings.Split(path, "/")
	var names []string
	for i, s := range segs {
		if len(s) > 2 && s[0] == '{' && s[len(s)-1] == '}' {
			names = append(names, s[1:len(s)-1])
			segs[i] = "{}"
		}
	}
	return strings.Join(segs, "/"), names
}

// checkedParams are the operation's parameters (overriding the path
// item's by name and place) that a request is checked against: not the
// cookies, nor the one that carries the key.
func checkedParams(p *profile.Profile, item, op openapi3.Parameters) []*openapi3.Parameter {
	var out []*openapi3.Parameter
	for _, prm := range profile.OperationParams(item, op) {
		if prm.In != openapi3.ParameterInCookie && !isCredential(&p.Auth, prm) {
			out = append(out, prm)
		}
	}
	return out
}

// requestBody is the operation's body when it documents a JSON one or a
// form the engine takes.
func requestBody(op *openapi3.Operation) *openapi3.RequestBody {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	if takesJSON(op) || profile.FormBody(op) != nil {
		return op.RequestBody.Value
	}
	return nil
}

// takesJSON says the operation documents a JSON request body.
func takesJSON(op *openapi3.Operation) bool {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return false
	}
	for mt := range op.RequestBody.Value.Content {
		if isJSON(mt) {
			return true
		}
	}
	return false
}

// refusalStatus is 422 when the operation documents 422 and not 400.
func refusalStatus(op *openapi3.Operation) int {
	if op.Responses != nil && op.Responses.Value("422") != nil && op.Responses.Value("400") == nil {
		return http.StatusUnprocessableEntity
	}
	return http.StatusBadRequest
}

// isJSON says whether a media type is JSON (application/json, a +json
// type); parameters are ignored.
func isJSON(mt string) bool {
	t, _, err := mime.ParseMediaType(mt)
	if err != nil {
		t = strings.ToLower(strings.TrimSpace(mt))
	}
	return t == "application/json" || strings.HasSuffix(t, "+json")
}

// conform checks the request against ch; ok is false when it answered.
func (e *Engine) conform(c *call, ch *check) (ok bool) {
	if ch == nil {
		return true
	}
	op := ch.op
	var in *openapi3filter.RequestValidationInput // built for kin-openapi's first check
	input := func() *openapi3filter.RequestValidationInput {
		if in != nil {
			return in
		}
		in = &openapi3filter.RequestValidationInput{Request: c.r, Route: op.route, Options: checkOpts}
		if len(op.names) > 0 {
			in.PathParams = make(map[string]string, len(op.names))
			for i, n := range op.names {
				in.PathParams[n] = c.r.PathValue(ch.wild[i])
			}
		}
		return in
	}
	ctx := c.r.Context()
	for i, prm := range op.params {
		if q := op.quick[i]; q != nil && q.accepts(c.r.URL.RawQuery) {
			continue
		}
		if err := openapi3filter.ValidateParameter(ctx, input(), prm); err != nil {
			return e.refuse(c, op, paramProblem(prm, err))
		}
	}
	if op.body == nil || c.r.Method == http.MethodGet || c.r.Method == http.MethodHead {
		c.step("contract: the request matches the document")
		return true
	}
	data, whole := peekBody(c.r)
	ct := c.r.Header.Get("Content-Type")
	if op.form != nil && whole && profile.IsForm(ct) {
		return e.conformForm(c, op, input(), data)
	}
	switch {
	case !op.json && len(data) > 0, !whole, len(data) > 0 && (!isJSON(ct) || !json.Valid(data)):
		// Too large, not JSON, or not valid JSON: the operation answers
		// with its own error (413, 415, invalid_json).
		c.step("contract: the body is left to the operation")
		return true
	}
	r := *c.r
	r.Body, r.GetBody = io.NopCloser(bytes.NewReader(data)), nil
	in = input()
	in.Request = &r
	if err := openapi3filter.ValidateRequestBody(ctx, in, op.body); err != nil {
		return e.refuse(c, op, bodyProblem(err))
	}
	c.step("contract: the request matches the document")
	return true
}

// refuse answers the profile's bad_request error with the operation's
// refusal status. ok is always false.
func (e *Engine) refuse(c *call, op *docOp, detail string) (ok bool) {
	c.step("contract: " + detail)
	a := e.answers[profile.KindBadRequest]
	a.status = op.status
	return e.answer(c, profile.KindBadRequest, a, detail)
}

// peekBody reads the request's body, up to one byte over MaxBody, and puts
// it back for the operation. whole is false when it is larger (or could
// not be read): the operation answers that.
func peekBody(r *http.Request) (data []byte, whole bool) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, true
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	r.Body = readCloser{io.MultiReader(bytes.NewReader(data), r.Body), r.Body}
	return data, err == nil && len(data) <= MaxBody
}

type readCloser struct {
	io.Reader
	io.Closer
}

// paramProblem names the parameter and the first reason it was refused:
// `query parameter "limit": number must be at most 100`.
func paramProblem(prm *openapi3.Parameter, err error) string {
	where := fmt.Sprintf("%s parameter %q", prm.In, prm.Name)
	if errors.Is(err, openapi3filter.ErrInvalidRequired) {
		return where + " is required"
	}
	if errors.Is(err, openapi3filter.ErrInvalidEmptyValue) {
		return where + " must not be empty"
	}
	return where + ": " + reason(err)
}

// bodyProblem names the body's field and the first reason it was refused:
// `body: property "name" is missing`, `body.tags[0]: value must be a string`.
func bodyProblem(err error) string {
	if errors.Is(err, openapi3filter.ErrInvalidRequired) {
		return "body: a request body is required"
	}
	where := "body"
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		ptr := se.JSONPointer()
		if se.SchemaField == "required" && len(ptr) > 0 {
			ptr = ptr[:len(ptr)-1] // the missing property: the reason names it
		}
		for _, p := range ptr {
			if isIndex(p) {
				where += "[" + p + "]"
			} else {
				where += "." + p
			}
		}
	}
	return where + ": " + reason(err)
}

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// maxReason bounds a reason: kin-openapi's can quote a whole schema.
const maxReason = 200

// reason is the first reason of a refusal, on one line.
func reason(err error) string {
	var me openapi3.MultiError
	for errors.As(err, &me) && len(me) > 0 {
		err = me[0]
	}
	var msg string
	var se *openapi3.SchemaError
	var pe *openapi3filter.ParseError
	switch {
	case errors.As(err, &se) && se.Reason != "":
		msg = se.Reason
	case errors.As(err, &pe) && pe.Reason != "":
		msg = pe.Reason
		if pe.Value != nil {
			msg = fmt.Sprintf("value %q: %s", truncate(fmt.Sprint(pe.Value), 40), msg)
		}
	default:
		msg = err.Error()
	}
	msg, _, _ = strings.Cut(msg, "\n")
	return truncate(plainJSONSchema(msg), maxReason)
}

// jsonSchemaRE is the JSON Schema library's form of a reason, which
// kin-openapi passes on for OpenAPI 3.1 documents: "at ”: maximum: got
// 101, want 100".
var jsonSchemaRE = regexp.MustCompile(`^at '([^']*)': (?:(\w+): got (.+), want (.+)|(.+))$`)

// boundWords say a JSON Schema bound in words, as the 3.0 validator does.
var boundWords = map[string]string{
	"maximum": "must be at most %[2]s (got %[1]s)", "minimum": "must be at least %[2]s (got %[1]s)",
	"exclusiveMaximum": "must be less than %[2]s (got %[1]s)", "exclusiveMinimum": "must be greater than %[2]s (got %[1]s)",
	"maxLength": "must be at most %[2]s characters long (got %[1]s)", "minLength": "must be at least %[2]s characters long (got %[1]s)",
	"maxItems": "must have at most %[2]s items (got %[1]s)", "minItems": "must have at least %[2]s items (got %[1]s)",
}

// plainJSONSchema rewrites a 3.1 reason in the words of a 3.0 one, so a
// client reads "must be at most 100 (got 101)" whichever version the
// vendor's document is; other reasons are kept.
func plainJSONSchema(msg string) string {
	m := jsonSchemaRE.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	out := m[5]
	if m[2] != "" {
		out = m[2] + ": got " + m[3] + ", want " + m[4]
		if w, ok := boundWords[m[2]]; ok {
			out = fmt.Sprintf(w, m[3], m[4])
		}
	}
	if m[1] != "" {
		out = "at " + m[1] + ": " + out
	}
	return out
}

// truncate cuts s to about n bytes, at a character's start.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// isCredential says whether prm is a place the profile reads a key from
// (its one place or a scheme's): the engine checks keys, not the document.
func isCredential(a *profile.Auth, prm *openapi3.Parameter) bool {
	places := append([]profile.AuthScheme{{Header: a.Header, Query: a.Query}}, a.Schemes...)
	for _, s := range places {
		switch {
		case prm.In == openapi3.ParameterInHeader && s.Header != "" && strings.EqualFold(prm.Name, s.Header),
			prm.In == openapi3.ParameterInQuery && s.Query != "" && prm.Name == s.Query:
			return true
		}
	}
	return false
}
