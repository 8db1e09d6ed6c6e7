package admin

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// The admin API's document is valid OpenAPI 3.1, names every route the
// mux serves (each documented operation reaches its own handler, not the
// 404 fallback), asks for the token on all but the open ones, and is
// served without a token.
func TestAdminDocument(t *testing.T) {
	ta := newTestAdmin(t)
	ta.srv.SetAdminURL("http://127.0.0.1:7700")
	r := httptest.NewRequest("GET", Prefix+"/openapi.json", nil)
	r.Host = "127.0.0.1:7700"
	w := httptest.NewRecorder()
	ta.srv.Handler().ServeHTTP(w, r) // no token: the document is open
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("openapi.json without a token: %d %s", w.Code, w.Body)
	}
	doc, err := openapi3.NewLoader().LoadFromData(w.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the admin document is not valid OpenAPI: %v", err)
	}
	if doc.OpenAPI != "3.1.0" || doc.Servers[0].URL != "http://127.0.0.1:7700" {
		t.Errorf("openapi %q, servers %v", doc.OpenAPI, doc.Servers)
	}
	if s := doc.Components.SecuritySchemes[schemeToken]; s == nil || s.Value.Type != "http" || s.Value.Scheme != "bearer" {
		t.Errorf("the token's security scheme: %+v", s)
	}

	table := routeTable(nil)
	ops := 0
	for _, item := range doc.Paths.Map() {
		ops += len(item.Operations())
	}
	if ops != len(table) {
		t.Errorf("the document has %d operations, the route table %d", ops, len(table))
	}
	for _, rt := range table {
		item := doc.Paths.Value(Prefix + rt.path)
		if item == nil || item.GetOperation(rt.method) == nil {
			t.Errorf("%s %s is not in the document", rt.method, rt.path)
			continue
		}
		op := item.GetOperation(rt.method)
		open := op.Security != nil && len(*op.Security) == 0
		if open != (rt.auth == authOpen) {
			t.Errorf("%s %s: documented open %v, route auth %v", rt.method, rt.path, open, rt.auth)
		}
		if op.Responses.Status(rt.status) == nil || op.Responses.Default() == nil {
			t.Errorf("%s %s: no %d or default answer", rt.method, rt.path, rt.status)
		}
		// The mux sends the documented request to this route's handler.
		path := strings.NewReplacer("{api}", "journeybee", "{id}", "x1", "{name}", "default").Replace(rt.path)
		req := httptest.NewRequest(rt.method, Prefix+path, nil)
		if _, pattern := ta.srv.mux.Handler(req); pattern != rt.method+" "+Prefix+rt.path {
			t.Errorf("%s %s is routed to %q", rt.method, path, pattern)
		}
	}

	// The token middleware and the document agree on the open routes.
	for p := range openPaths() {
		r := httptest.NewRequest("GET", p, nil)
		r.Host = "localhost"
		w := httptest.NewRecorder()
		ta.srv.Handler().ServeHTTP(w, r)
		if w.Code == 401 && !strings.HasSuffix(p, "/session") {
			t.Errorf("%s asks for the token", p)
		}
	}
}
