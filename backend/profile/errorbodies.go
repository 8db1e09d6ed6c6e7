package profile

import (
	"encoding/json"
	"mime"
	"strconv"
	"strings"
)

// Error body content types.
const (
	// ContentTypeJSON is what an error body without its own content type
	// is answered as.
	ContentTypeJSON = "application/json"
	// ContentTypeProblem is RFC 9457 problem details.
	ContentTypeProblem = "application/problem+json"
)

// StatusDefault is the ByStatus key of the template for every status
// without its own (OpenAPI's "default" response).
const StatusDefault = "default"

// ErrorBody is an error template of its own for one status (see
// Errors.ByStatus).
type ErrorBody struct {
	// ContentType of the answer; empty means application/json.
	ContentType string `json:"contentType,omitempty"`
	// Body is the template, with the placeholders of Errors.Body.
	Body json.RawMessage `json:"body"`
}

// For returns the template and content type an error of status answers
// with: ByStatus's entry for the status, else its "default", else Body.
// The content type is never empty. The engine and the OpenAPI generator
// both choose through here, so what is served is what is documented.
func (e *Errors) For(status int) (body json.RawMessage, contentType string) {
	b, ok := e.ByStatus[e.KeyFor(status)]
	if !ok {
		b = ErrorBody{ContentType: e.ContentType, Body: e.Body}
	}
	if b.ContentType == "" {
		b.ContentType = ContentTypeJSON
	}
	return b.Body, b.ContentType
}

// KeyFor is the ByStatus key whose template answers status: the status
// itself, else StatusDefault; "" means errors.body.
func (e *Errors) KeyFor(status int) string {
	if k := strconv.Itoa(status); hasKey(e.ByStatus, k) {
		return k
	}
	if hasKey(e.ByStatus, StatusDefault) {
		return StatusDefault
	}
	return ""
}

func hasKey(m map[string]ErrorBody, k string) bool { _, ok := m[k]; return ok }

// UsesCode says whether any error template has the $code placeholder
// (then every kind needs a code).
func (e *Errors) UsesCode() bool {
	if strings.Contains(string(e.Body), `"$code"`) {
		return true
	}
	for _, b := range e.ByStatus {
		if strings.Contains(string(b.Body), `"$code"`) {
			return true
		}
	}
	return false
}

// IsJSONMediaType says whether a media type is JSON: application/json or
// a structured syntax suffix +json (application/problem+json), with or
// without parameters.
func IsJSONMediaType(mt string) bool {
	base, _, _ := strings.Cut(mt, ";")
	base = strings.TrimSpace(strings.ToLower(base))
	return base == ContentTypeJSON || strings.HasPrefix(base, "application/") && strings.HasSuffix(base, "+json") && len(base) > len("application/+json")
}

// validJSONMediaType is IsJSONMediaType for a value a profile gives: it
// must also parse as a media type, since it is sent as a header.
func validJSONMediaType(mt string) bool {
	_, _, err := mime.ParseMediaType(mt)
	return err == nil && IsJSONMediaType(mt)
}
