package mockapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/oasdiff/yaml"

	"mockgate/backend/openapiimport"
	"mockgate/backend/profile"
)

const contractDoc = "testdata/contract.yaml"

// importedFixture serves the profile imported from the document at path,
// keeping the document as the instance does.
func importedFixture(t testing.TB, path string) *fixture {
	t.Helper()
	doc, js, err := openapiimport.LoadFileBundled(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := openapiimport.Import(doc, openapiimport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res.Profile.OpenAPI = &profile.OpenAPI{Document: path, Source: js}
	return newFixtureFor(t, res.Profile, nil)
}

// Each request that breaks its operation's parameters or body is refused
// in the profile's envelope, naming the field; 422 where the operation
// documents 422 and not 400.
func TestRequestsAreCheckedAgainstTheDocument(t *testing.T) {
	f := importedFixture(t, contractDoc)
	key := f.key(t)
	for _, tc := range []struct {
		name, method, target, body string
		headers                    []string
		status                     int
		msg                        string
	}{
		{"a valid page", "GET", "/v1/items?limit=5&status=active", "", nil, 200, ""},
		{"over the maximum", "GET", "/v1/items?limit=1000", "", nil, 400, `query parameter "limit": number must be at most 100`},
		{"wrong type", "GET", "/v1/items?limit=abc", "", nil, 400, `query parameter "limit": value "abc": an invalid integer`},
		{"not in the enum", "GET", "/v1/items?status=lost", "", nil, 400, `query parameter "status": value is not one of the allowed values`},
		{"under the minimum", "GET", "/v1/items?offset=-1", "", nil, 400, `query parameter "offset": number must be at least 0`},
		{"missing required query", "GET", "/v1/search", "", nil, 400, `query parameter "q" is required`},
		{"required query given", "GET", "/v1/search?q=x", "", nil, 200, ""},
		{"header too long", "GET", "/v1/search?q=x", "", []string{"X-Trace", "123456789"}, 400, `header parameter "X-Trace": maximum string length is 8`},
		{"path parameter", "GET", "/v1/items/0", "", nil, 400, `path parameter "itemId": number must be at least 1`},
		{"path parameter valid", "GET", "/v1/items/1", "", nil, 200, ""},
		{"body missing a required property", "POST", "/v1/items", `{"price": 3}`, []string{"Content-Type", "application/json"}, 422, `body: property "name" is missing`},
		{"body field of the wrong type", "POST", "/v1/items", `{"name": "a", "price": "x"}`, []string{"Content-Type", "application/json"}, 422, `body.price: value must be a number`},
		{"body array item", "POST", "/v1/items", `{"name": "a", "tags": ["x", 2]}`, []string{"Content-Type", "application/json"}, 422, `body.tags[1]: value must be a string`},
		{"body required", "POST", "/v1/items", "", nil, 422, `body: a request body is required`},
		{"valid body", "POST", "/v1/items", `{"name": "a", "price": 3}`, []string{"Content-Type", "application/json"}, 201, ""},
		// Not JSON: the operation's own answers (415, invalid JSON).
		{"not JSON", "POST", "/v1/items", `name=a`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, ""},
		{"broken JSON", "POST", "/v1/items", `{"name":`, []string{"Content-Type", "application/json"}, 400, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := append([]string{"X-Api-Key", key}, tc.headers...)
			rec := f.do(tc.method, tc.target, tc.body, h...)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			if tc.msg == "" {
				return
			}
			var body struct{ Message string }
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("not the profile's envelope: %s", rec.Body)
			}
			if !strings.HasPrefix(body.Message, tc.msg) {
				t.Fatalf("message %q, want it to start with %q", body.Message, tc.msg)
			}
		})
	}
}

// The key comes first: a request without one is answered 401 whatever its
// parameters, and the request's query is not changed by the checks (no
// defaults filled in).
func TestKeyIsCheckedBeforeTheDocument(t *testing.T) {
	f := importedFixture(t, contractDoc)
	if rec := f.do("GET", "/v1/items?limit=1000", ""); rec.Code != http.StatusUnauthorized {
		t.Fatalf("without a key: %d, want 401: %s", rec.Code, rec.Body)
	}
	req := httptest.NewRequest("GET", "/v1/items?status=active", nil)
	req.Header.Set("X-Api-Key", f.key(t))
	f.eng.ServeHTTP(httptest.NewRecorder(), req)
	if req.URL.RawQuery != "status=active" {
		t.Fatalf("the query was changed to %q", req.URL.RawQuery)
	}
}

// A body over the engine's limit is the operation's 413, not read whole by
// the checks.
func TestLargeBodyIsLeftToTheOperation(t *testing.T) {
	f := importedFixture(t, contractDoc)
	big := `{"name": "` + strings.Repeat("a", MaxBody) + `"}`
	rec := f.do("POST", "/v1/items", big, "X-Api-Key", f.key(t), "Content-Type", "application/json")
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413: %.200s", rec.Code, rec.Body)
	}
}

// /openapi.json of an imported API is the vendor's document but for its
// servers, which name the mock.
func TestImportedOpenAPIIsTheDocument(t *testing.T) {
	f := importedFixture(t, contractDoc)
	req := httptest.NewRequest("GET", "http://127.0.0.1:7705/openapi.json", nil)
	rec := httptest.NewRecorder()
	f.eng.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var got map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(contractDoc)
	if err != nil {
		t.Fatal(err)
	}
	js, err := yaml.YAMLToJSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]any
	if err := json.Unmarshal(js, &want); err != nil {
		t.Fatal(err)
	}
	servers := got["servers"]
	delete(got, "servers")
	delete(want, "servers")
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("the served document differs from the vendor's (servers aside)")
	}
	wantServers := []any{map[string]any{"url": "http://127.0.0.1:7705/v1", "description": "mockgate"}}
	if !reflect.DeepEqual(servers, wantServers) {
		t.Fatalf("servers %v, want %v", servers, wantServers)
	}
}

func TestWithServer(t *testing.T) {
	const srv = `[{"url":"http://h/v1","description":"mockgate"}]`
	for _, tc := range []struct{ in, want string }{
		{`{"openapi":"3.1.0","info":{},"servers":[{"url":"x"}],"paths":{}}`, `{"openapi":"3.1.0","info":{},"servers":` + srv + `,"paths":{}}`},
		{`{"openapi":"3.1.0","info":{},"paths":{}}`, `{"openapi":"3.1.0","info":{},"servers":` + srv + `,"paths":{}}`},
		{`{"openapi":"3.1.0","info":{},"paths":{"/a":{"servers":[]}}}`, `{"openapi":"3.1.0","info":{},"paths":{"/a":{"servers":[]}},"servers":` + srv + `}`},
	} {
		got, err := withServer([]byte(tc.in), "http://h/v1")
		if err != nil || string(got) != tc.want {
			t.Errorf("%s:\n got %s (%v)\nwant %s", tc.in, got, err, tc.want)
		}
	}
	if _, err := withServer([]byte(`[]`), "x"); err == nil {
		t.Error("a document that is not an object: no error")
	}
}

// BenchmarkImportedPage is BenchmarkAuthenticatedPage for an imported API:
// checked, its list parameters checked against its document; unchecked,
// the same profile without its document (the checks' cost is the
// difference).
func BenchmarkImportedPage(b *testing.B) {
	for _, mode := range []string{"checked", "unchecked"} {
		b.Run(mode, func(b *testing.B) {
			f := importedFixture(b, contractDoc)
			if mode == "unchecked" {
				p := *f.eng.Profile()
				p.OpenAPI = nil
				f = newFixtureFor(b, &p, nil)
			}
			k := f.key(b)
			req := httptest.NewRequest("GET", "/v1/items?limit=20&offset=5&status=active", nil)
			req.Header.Set("X-Api-Key", k)
			f.eng.limiter = nil
			serveParallel(b, f.eng, req)
		})
	}
}

// A 3.1 document's reasons come from the JSON Schema library in its own
// words; they read as a 3.0 document's do.
func TestPlainJSONSchema(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"at '': maximum: got 101, want 100", "must be at most 100 (got 101)"},
		{"at '': minimum: got 0, want 1", "must be at least 1 (got 0)"},
		{"at '/name': maxLength: got 7, want 5", "at /name: must be at most 5 characters long (got 7)"},
		{"at '': pattern: got x, want ^a", "pattern: got x, want ^a"},
		{"at '': value must be a string", "value must be a string"},
		{"number must be at most 100", "number must be at most 100"},
	} {
		if got := plainJSONSchema(tt.in); got != tt.want {
			t.Errorf("%q: %q, want %q", tt.in, got, tt.want)
		}
	}
}
