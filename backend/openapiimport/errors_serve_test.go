package openapiimport_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"

	"mockgate/backend/admin"
	"mockgate/backend/openapiimport"
)

// errCall is an error answer and whether the original document describes
// it (then it must validate against it).
type errCall struct {
	method, path string
	headers      []string
	status       int
	ct, contains string
	documented   bool
}

// TestServedErrorsValidateAgainstTheOriginal serves imported documents
// and validates their error answers with kin-openapi against the vendor's
// original document (not the mock's own /openapi.json), wherever the
// document describes the status for the operation.
func TestServedErrorsValidateAgainstTheOriginal(t *testing.T) {
	docs := []struct {
		file  string
		calls func(key string) []errCall
	}{
		{"testdata/errors.yaml", func(k string) []errCall {
			return []errCall{
				{"GET", "/v1/things", nil, 401, "application/json", `"error":{"code":"unauthorized","message":"Missing API key"}`, true},
				{"GET", "/v1/things/999", bearer(k), 404, "application/json", `"error":{"code":"not_found","message":"thing \"999\" not found","type":"string"}`, true},
				{"PATCH", "/v1/things/999", append(bearer(k), "Content-Type", "application/json"), 404, "application/json", `"code":"not_found"`, true},
				{"GET", "/v1/things/1", append(bearer(k), "Prefer", "code=429"), 429, "application/json", `"retry_after":30`, true},
				{"POST", "/v1/things", append(bearer(k), "Prefer", "code=403"), 403, "application/problem+json", `"detail":"API key lacks`, true},
				{"GET", "/v1/things/1", append(bearer(k), "Prefer", "code=500"), 500, "application/json", `"code":"error"`, false},
			}
		}},
		{"testdata/petstore3.yaml", func(k string) []errCall {
			return []errCall{
				{"GET", "/api/v3/pet/findByStatus", nil, 401, "application/problem+json", `"detail":"Missing API key"`, true},
				{"GET", "/api/v3/pet/999", bearer(k), 404, "application/problem+json", `not found`, true},
			}
		}},
		{"testdata/resend.yaml", func(k string) []errCall {
			return []errCall{
				{"GET", "/emails", nil, 401, "application/problem+json", `"detail":"Missing API key"`, false},
				{"GET", "/domains/nope_1", bearer(k), 404, "application/problem+json", `not found`, false},
			}
		}},
	}
	for _, d := range docs {
		h, api := serve(t, d.file)
		k := h.Key(admin.CreateKeyRequest{API: api, Name: "k"}).Key
		original, err := openapiimport.LoadFile(d.file)
		if err != nil {
			t.Fatal(err)
		}
		doc := original.T
		base := "http://127.0.0.1:" + strconv.Itoa(h.Port(api))
		bp := ""
		if len(doc.Servers) > 0 {
			u, err := url.Parse(doc.Servers[0].URL)
			if err != nil {
				t.Fatal(err)
			}
			bp = strings.TrimSuffix(u.Path, "/")
		}
		doc.Servers = openapi3.Servers{{URL: base + bp}} // the document's paths, on the mock
		router, err := legacy.NewRouter(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range d.calls(k) {
			var body []byte
			if c.method == "POST" || c.method == "PATCH" {
				body = []byte(`{"name":"x"}`)
			}
			r := h.Call(api, c.method, c.path, "", body, c.headers...)
			if r.Status != c.status || !strings.HasPrefix(r.Header.Get("Content-Type"), c.ct) || !strings.Contains(string(r.Body), c.contains) {
				t.Errorf("%s %s %s: %d %s %s; want %d %s with %s", d.file, c.method, c.path, r.Status, r.Header.Get("Content-Type"), r.Body, c.status, c.ct, c.contains)
				continue
			}
			req, _ := http.NewRequest(c.method, base+c.path, bytes.NewReader(body))
			route, params, err := router.FindRoute(req)
			if err != nil {
				t.Errorf("%s %s %s: no route in the original document: %v", d.file, c.method, c.path, err)
				continue
			}
			if documented := route.Operation.Responses.Status(c.status) != nil || route.Operation.Responses.Default() != nil; documented != c.documented {
				t.Errorf("%s %s %s: documented %v, want %v", d.file, c.method, c.path, documented, c.documented)
				continue
			}
			if !c.documented {
				continue
			}
			err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
				RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
				Status:                 r.Status, Header: r.Header, Body: io.NopCloser(bytes.NewReader(r.Body)),
				Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
			})
			if err != nil {
				t.Errorf("%s %s %s -> %d %s: not as the original document says:\n%v", d.file, c.method, c.path, r.Status, r.Body, err)
			}
		}
	}
}
