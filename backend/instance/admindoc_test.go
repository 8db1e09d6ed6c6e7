package instance_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"mockgate/backend/admin"
	"mockgate/backend/instance/instancetest"
)

// TestAdminAnswersConformToTheirDocument calls every admin route of a
// running instance, for its success and for errors, and validates each
// request and answer against GET /_admin/api/openapi.json with
// kin-openapi: the admin API and its document cannot drift apart.
func TestAdminAnswersConformToTheirDocument(t *testing.T) {
	h := instancetest.Start(t)
	ac := h.AdminClient()
	res, err := http.Get(ac.URL + admin.Prefix + "/openapi.json") // open: no token
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if doc.Servers[0].URL != ac.URL {
		t.Errorf("the document's server %q, want %q", doc.Servers[0].URL, ac.URL)
	}
	// The live stream's events are text: kin-openapi has no decoder of its own for them.
	openapi3filter.RegisterBodyDecoder("text/event-stream", openapi3filter.FileBodyDecoder)
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{} // operations validated with their success status
	call := func(method, path, contentType string, body []byte, want int) []byte {
		t.Helper()
		req, err := http.NewRequest(method, ac.URL+admin.Prefix+path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+ac.Token)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatalf("%s %s is not in the document: %v", method, path, err)
		}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		if want < 400 {
			if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
				t.Errorf("%s %s: the request does not match the document: %v", method, path, err)
			}
			req.Body = io.NopCloser(bytes.NewReader(body)) // the validation read it
		}
		status, header, answer := sendRequest(t, req)
		if status != want {
			t.Fatalf("%s %s: %d, want %d: %s", method, path, status, want, answer)
		}
		validateAnswer(t, in, route, status, header, answer)
		if want < 400 {
			seen[strings.ToUpper(method)+" "+route.Path] = true
		}
		return answer
	}
	jsonBody := func(v any) []byte { b, _ := json.Marshal(v); return b }
	post := func(path string, v any, want int) []byte {
		return call("POST", path, "application/json", jsonBody(v), want)
	}

	call("GET", "/health", "", nil, 200)
	call("GET", "/proof?challenge="+strings.Repeat("ab", 16), "", nil, 200)
	call("GET", "/proof?challenge=xyz", "", nil, 400)
	call("POST", "/session", "", nil, 204)
	call("GET", "/openapi.json", "", nil, 200)
	call("GET", "/apis", "", nil, 200)
	for _, a := range h.Instance().APIs {
		id := a.Engine.Profile().ID
		call("GET", "/apis/"+id, "", nil, 200)
		call("GET", "/apis/"+id+"/profile", "", nil, 200)
		call("GET", "/apis/"+id+"/openapi.json", "", nil, 200)
	}
	call("GET", "/apis/nope", "", nil, 404)
	call("GET", "/apis/journeybee/stats?seconds=10", "", nil, 200)
	call("GET", "/stats", "", nil, 200)
	call("PUT", "/apis/journeybee/settings", "application/json", jsonBody(map[string]any{"corsOrigins": []string{"http://localhost:3000"}, "latencyMs": 0}), 200)
	call("PUT", "/apis/journeybee/settings", "application/json", []byte(`{"errorRate":2}`), 400)
	post("/apis/journeybee/reset", nil, 200)
	post("/apis/journeybee/seed", map[string]any{"resource": "users", "count": 1001}, 200)
	post("/apis/journeybee/faults", map[string]any{"status": 503, "count": 1, "path": "/v1/nothing"}, 201)
	call("GET", "/apis/journeybee/faults", "", nil, 200)
	call("DELETE", "/apis/journeybee/faults", "", nil, 204)
	post("/clock", map[string]any{"freeze": true}, 200)
	post("/clock", map[string]any{"advance": "1s"}, 200)
	post("/clock", map[string]any{"advance": "soon"}, 400)
	call("GET", "/clock", "", nil, 200)
	post("/clock", map[string]any{"reset": true}, 200)

	var k admin.CreatedKey
	json.Unmarshal(post("/keys", map[string]any{"api": "eudr", "name": "doc", "integration": "doc-int", "ttl": "1h"}, 201), &k)
	post("/keys", map[string]any{"api": "eudr", "name": "doc", "scopes": []string{"nope"}}, 400)
	call("GET", "/keys", "", nil, 200)
	call("GET", "/keys?api=eudr", "", nil, 200)
	call("GET", "/keys/"+k.ID, "", nil, 200)
	h.Call("eudr", "GET", "/api/v1/integration/suppliers?limit=1", "", nil, "Authorization", "Bearer "+k.Key)
	post("/keys/"+k.ID+"/revoke", nil, 200)
	call("GET", "/integrations?api=eudr", "", nil, 200)
	post("/integrations", map[string]any{"api": "eudr", "name": "doc-int-2"}, 201)
	post("/integrations/eudr/doc-int/deactivate", nil, 200)
	post("/integrations/eudr/doc-int/activate", nil, 200)
	call("DELETE", "/integrations/eudr/doc-int", "", nil, 409) // the key belongs to it
	call("DELETE", "/keys/"+k.ID, "", nil, 204)
	call("DELETE", "/keys/"+k.ID, "", nil, 404)
	call("DELETE", "/integrations/eudr/doc-int", "", nil, 204)
	call("DELETE", "/integrations/eudr/doc-int", "", nil, 404)
	call("DELETE", "/integrations/eudr/doc-int-2", "", nil, 204)

	var page admin.RequestPage
	waitFor(t, func() bool {
		json.Unmarshal(call("GET", "/requests?api=eudr&limit=5", "", nil, 200), &page)
		return len(page.Requests) > 0
	})
	call("GET", "/requests/"+strconv.FormatUint(page.Requests[0].ID, 10), "", nil, 200)
	call("GET", "/requests/"+strconv.FormatUint(page.Requests[0].ID, 10)+"/curl", "", nil, 200)
	call("GET", "/requests?status=7xx", "", nil, 400)
	call("GET", "/requests/count?api=eudr&method=GET&path=/api/v1/integration/*", "", nil, 200)
	call("GET", "/requests/count?verdict=rude", "", nil, 400)
	call("GET", "/requests.har?api=eudr", "", nil, 200)
	saved := call("GET", "/state", "", nil, 200)
	call("PUT", "/state", "application/json", saved, 200)
	call("PUT", "/state", "application/json", []byte(`{"format":"other"}`), 400)
	post("/reset", map[string]any{"keepKeys": true}, 200)
	post("/explorer/send", map[string]any{"api": "journeybee", "method": "GET", "path": "/v1/users"}, 200)
	call("DELETE", "/requests", "", nil, 204)

	src, err := os.ReadFile("../../examples/petshop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	call("POST", "/profiles", "application/yaml", src, 201)
	call("POST", "/profiles", "application/yaml", []byte("id: [nope"), 400)
	call("DELETE", "/profiles/petshop", "", nil, 204)

	// The live stream: its headers and first bytes.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ac.URL+admin.Prefix+"/requests/stream", nil)
	req.Header.Set("Authorization", "Bearer "+ac.Token)
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Fatal(err)
	}
	sres, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	first := make([]byte, 13)
	io.ReadFull(sres.Body, first)
	sres.Body.Close()
	validateAnswer(t, &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route}, route, sres.StatusCode, sres.Header, first)
	seen["GET "+route.Path] = true

	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if !seen[method+" "+path] {
				t.Errorf("%s %s: no real answer was validated", method, path)
			}
		}
	}
}

func validateAnswer(t *testing.T, in *openapi3filter.RequestValidationInput, route *routers.Route, status int, header http.Header, body []byte) {
	t.Helper()
	err := openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: status, Header: header, Body: io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	})
	if err != nil {
		t.Errorf("%s %s -> %d does not match the document: %v\n%.600s", in.Request.Method, route.Path, status, err, body)
	}
}

func sendRequest(t *testing.T, req *http.Request) (int, http.Header, []byte) {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header, b
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if ok() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("timed out")
}
