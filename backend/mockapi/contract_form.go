package mockapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3filter"

	"mockgate/backend/profile"
)

// An imported API whose document takes an operation's body as
// application/x-www-form-urlencoded (Stripe's take nothing else) is sent
// forms. The operations take JSON objects only, so a form the document
// takes is decoded per the document (its schema and its encodings: the
// deepObject "a[b]=c" nesting), checked, and handed to the operation as
// the equivalent JSON body. The request log keeps what the client sent.

// sentBody is what the client sent when the operation reads something
// else: the request log shows the client's form, not its JSON equivalent.
type sentBody struct {
	header http.Header
	body   []byte
}

// conformForm checks a form body (data, whole) against the document and
// hands it on as JSON; ok is false when it answered.
func (e *Engine) conformForm(c *call, op *docOp, in *openapi3filter.RequestValidationInput, data []byte) (ok bool) {
	obj, err := profile.DecodeForm(op.form, c.r.Header, data)
	if err != nil {
		return e.refuse(c, op, bodyProblem(err))
	}
	js, err := json.Marshal(obj)
	if err != nil {
		return e.internal(c, err)
	}
	// The form's JSON equivalent is checked against the form's schema.
	r := *c.r
	r.Header = http.Header{"Content-Type": {"application/json"}}
	r.Body, r.GetBody = io.NopCloser(bytes.NewReader(js)), nil
	in.Request = &r
	if err := openapi3filter.ValidateRequestBody(c.r.Context(), in, op.formJSON); err != nil {
		return e.refuse(c, op, bodyProblem(err))
	}
	c.sent = &sentBody{header: c.r.Header, body: data}
	j := *c.r // path values and context kept
	j.Header = c.r.Header.Clone()
	j.Header.Set("Content-Type", "application/json")
	j.Header.Set("Content-Length", strconv.Itoa(len(js)))
	j.ContentLength = int64(len(js))
	j.Body, j.GetBody = io.NopCloser(bytes.NewReader(js)), nil
	c.r = &j
	c.step("contract: the form matches the document; the operation reads it as JSON")
	return true
}
