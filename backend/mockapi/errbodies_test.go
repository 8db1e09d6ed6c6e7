package mockapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"

	"mockgate/backend/openapi"
	"mockgate/backend/profile"
)

// byStatusProfile gives the extended profile a template of its own for
// each status the engine answers, each recognisable by its one property,
// and problem+json for the rest.
func byStatusProfile(p *profile.Profile) {
	own := func(prop, ct string) profile.ErrorBody {
		return profile.ErrorBody{ContentType: ct, Body: json.RawMessage(`{"` + prop + `":"$message","s":"$status"}`)}
	}
	p.Errors.ContentType = profile.ContentTypeProblem
	scope := p.Errors.Kinds[profile.KindInsufficientScope]
	scope.Code = "forbidden" // the 401 template uses $code
	p.Errors.Kinds[profile.KindInsufficientScope] = scope
	p.Errors.ByStatus = map[string]profile.ErrorBody{
		"400": own("m400", ""),
		"401": {Body: json.RawMessage(`{"error":{"message":"$message","code":"$code"}}`)},
		"403": own("m403", "application/vnd.test+json"),
		"404": own("m404", profile.ContentTypeProblem),
		"405": own("m405", ""),
		"413": own("m413", ""),
		"422": own("m422", ""),
		"429": own("m429", ""),
		"431": own("m431", ""),
	}
}

func TestErrorTemplatePerStatus(t *testing.T) {
	f := extended(t, byStatusProfile)
	all := "Bearer " + f.key(t)
	readOnly := "Bearer " + f.key(t, "read:pets")
	big := `{"name":"` + strings.Repeat("x", MaxBody) + `"}`
	tests := []struct {
		name, method, target, body string
		headers                    []string
		status                     int
		prop, ct, msg              string // the template's property, the Content-Type, in the message
		header                     string // a header the answer must carry
	}{
		{"no key", "GET", "/v1/pets", "", nil, 401, "error", "application/json; charset=utf-8", "Missing API key", ""},
		{"unknown key", "GET", "/v1/pets", "", []string{"Authorization", "Bearer ext_000000000000000000000000"}, 401, "error", "application/json; charset=utf-8", "Invalid API key", ""},
		{"scope", "POST", "/v1/pets", `{"name":"a"}`, []string{"Authorization", readOnly, "Content-Type", "application/json"}, 403, "m403", "application/vnd.test+json", "write:pets", ""},
		{"no route", "GET", "/v1/nowhere", "", []string{"Authorization", all}, 404, "m404", profile.ContentTypeProblem, "", ""},
		{"no record", "GET", "/v1/pets/999", "", nil, 404, "m404", profile.ContentTypeProblem, `999\" not found`, ""},
		{"method", "DELETE", "/v1/health", "", nil, 405, "m405", "application/json; charset=utf-8", "method DELETE is not allowed", "Allow"},
		{"page size", "GET", "/v1/pets?limit=0", "", []string{"Authorization", all}, 400, "m400", "application/json; charset=utf-8", "limit must be an integer between 1 and 10", ""},
		{"too large", "POST", "/v1/pets", big, []string{"Authorization", all, "Content-Type", "application/json"}, 413, "m413", "application/json; charset=utf-8", "exceeds the limit of 1 MiB", ""},
		{"head too large", "GET", "/v1/pets", "", []string{"X-Big", strings.Repeat("y", MaxHead)}, 431, "m431", "application/json; charset=utf-8", "exceed the limit of 1 MiB", ""},
		{"no content type: errors.body", "POST", "/v1/pets", `{"name":"a"}`, []string{"Authorization", all}, 415, "detail", profile.ContentTypeProblem, "Content-Type must be application/json", ""},
		{"Prefer 404", "GET", "/v1/pets", "", []string{"Authorization", all, "Prefer", "code=404"}, 404, "m404", profile.ContentTypeProblem, "Route not found", ""},
		{"Prefer 429", "GET", "/v1/pets", "", []string{"Authorization", all, "Prefer", "code=429"}, 429, "m429", "application/json; charset=utf-8", "Too many requests", "Retry-After"},
	}
	for _, tt := range tests {
		rec := f.do(tt.method, tt.target, tt.body, tt.headers...)
		var got map[string]any
		err := json.Unmarshal(rec.Body.Bytes(), &got)
		if rec.Code != tt.status || err != nil || got[tt.prop] == nil || rec.Header().Get("Content-Type") != tt.ct ||
			!strings.Contains(rec.Body.String(), tt.msg) || tt.header != "" && rec.Header().Get(tt.header) == "" {
			t.Errorf("%s: %d %s %s %v; want %d with %q (%s) naming %q", tt.name, rec.Code, rec.Header().Get("Content-Type"), rec.Body, err, tt.status, tt.prop, tt.ct, tt.msg)
		}
		if cl := rec.Header().Get("Content-Length"); cl != "" && cl != itoa(rec.Body.Len()) {
			t.Errorf("%s: Content-Length %s for %d bytes", tt.name, cl, rec.Body.Len())
		}
	}
}

// TestInjectedErrorsUseTheirTemplate: the fault settings, the fault queue
// and a status no kind answers each pick the template of their status.
func TestInjectedErrorsUseTheirTemplate(t *testing.T) {
	f := extended(t, func(p *profile.Profile) {
		byStatusProfile(p)
		p.Errors.ByStatus[profile.StatusDefault] = profile.ErrorBody{Body: json.RawMessage(`{"dflt":"$message","reason":"$reason"}`)}
	})
	all := []string{"Authorization", "Bearer " + f.key(t)}
	check := func(name string, status int, prop, ct string) {
		t.Helper()
		rec := f.do("GET", "/v1/pets", "", all...)
		var got map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != status || got[prop] == nil || rec.Header().Get("Content-Type") != ct {
			t.Errorf("%s: %d %s %s; want %d with %q as %s", name, rec.Code, rec.Header().Get("Content-Type"), rec.Body, status, prop, ct)
		}
	}
	if err := f.eng.SetSettings(Settings{ErrorRate: 1}); err != nil {
		t.Fatal(err)
	}
	check("error rate: default", 500, "dflt", "application/json; charset=utf-8")
	if err := f.eng.SetSettings(Settings{ThrottleRate: 1}); err != nil {
		t.Fatal(err)
	}
	check("throttle rate", 429, "m429", "application/json; charset=utf-8")
	if err := f.eng.SetSettings(Settings{}); err != nil {
		t.Fatal(err)
	}
	for _, fs := range []FaultSpec{{Status: 422}, {Status: 503}, {Status: 404}} {
		if _, err := f.eng.AddFault(fs); err != nil {
			t.Fatal(err)
		}
	}
	check("fault 422, no kind", 422, "m422", "application/json; charset=utf-8")
	check("fault 503: default", 503, "dflt", "application/json; charset=utf-8")
	check("fault 404", 404, "m404", profile.ContentTypeProblem)
	check("no fault left", http.StatusOK, "data", "application/json; charset=utf-8")
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestByStatusDocumentMatchesAnswers: the generated OpenAPI document names
// each status's own template and content type, and the answers validate
// against it.
func TestByStatusDocumentMatchesAnswers(t *testing.T) {
	f := extended(t, byStatusProfile)
	raw, err := openapi.Generate(f.eng.Profile(), "http://localhost:7705")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
		t.Fatal(err)
	}
	if doc.Components.Schemas["Error404"] == nil || doc.Components.Responses["NotFound"].Value.Content.Get(profile.ContentTypeProblem) == nil {
		t.Fatalf("the 404 answer's schema and content type are not documented: %s", raw)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	k, ro := f.key(t), f.key(t, "read:pets")
	for _, c := range []struct{ method, target, body, key string }{
		{"GET", "/v1/pets", "", ""},                       // 401
		{"POST", "/v1/pets", `{"name":"a"}`, ro},          // 403
		{"GET", "/v1/pets/999", "", ""},                   // 404
		{"GET", "/v1/pets?limit=0", "", k},                // 400
		{"POST", "/v1/pets/5/toys", `{"label":1}`, k},     // 400 of a field
		{"PATCH", "/v1/pets/999", `{"name":"b"}`, k},      // 404 of an update
		{"POST", "/v1/pets", `{"name":"a"`, k},            // 400 invalid JSON
		{"POST", "/v1/pets/1/uploadImage", "", ro},        // 403 on a route
		{"GET", "/v1/pets/search", "", ""},                // 401 on a route
		{"POST", "/v1/pets", `{"name":"a"}`, "ext_nokey"}, // 401 invalid key
	} {
		req := httptest.NewRequest(c.method, "http://localhost:7705"+c.target, strings.NewReader(c.body))
		if c.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if c.key != "" {
			req.Header.Set("Authorization", "Bearer "+c.key)
		}
		rec := httptest.NewRecorder()
		f.eng.ServeHTTP(rec, req)
		if rec.Code < 400 {
			t.Errorf("%s %s: %d, want an error", c.method, c.target, rec.Code)
		}
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatalf("%s %s: %v", c.method, c.target, err)
		}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code, Header: rec.Header(),
			Body: io.NopCloser(strings.NewReader(rec.Body.String())), Options: &openapi3filter.Options{IncludeResponseStatus: true}}
		if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
			t.Errorf("%s %s → %d %s: %v", c.method, c.target, rec.Code, rec.Body, err)
		}
	}
}
