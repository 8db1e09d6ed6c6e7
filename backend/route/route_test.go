package route

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// named is a handler that says which pattern it is.
type named string

func (named) ServeHTTP(http.ResponseWriter, *http.Request) {}

func build(t *testing.T, patterns ...string) *Router {
	t.Helper()
	rt := New()
	for _, p := range patterns {
		method, path, _ := strings.Cut(p, " ")
		if err := rt.Handle(method, path, named(p)); err != nil {
			t.Fatalf("Handle(%q): %v", p, err)
		}
	}
	return rt
}

// The precedence rule, with the overlapping paths of Resend's document
// (../shared/openapi/resend.yaml) that ServeMux refuses side by side.
func TestPrecedence(t *testing.T) {
	rt := build(t,
		"GET /contacts/{contact_id}/segments",
		"GET /contacts/imports/{id}",
		"GET /contacts/{id}",
		"DELETE /contacts/{id}",
		"GET /emails/{email_id}/attachments",
		"GET /emails/receiving/{id}",
		"GET /emails/receiving",
		"GET /a/{x}/c/d",
		"GET /a/b/{y}/e",
		"GET /files/{name}",
	)
	tests := []struct {
		method, path string
		want         string // the pattern; "" = none
		values       map[string]string
	}{
		{"GET", "/contacts/c1/segments", "GET /contacts/{contact_id}/segments", map[string]string{"contact_id": "c1"}},
		{"GET", "/contacts/imports/i1", "GET /contacts/imports/{id}", map[string]string{"id": "i1"}},
		// Both match: the literal "imports" comes first.
		{"GET", "/contacts/imports/segments", "GET /contacts/imports/{id}", map[string]string{"id": "segments"}},
		{"GET", "/contacts/imports", "GET /contacts/{id}", map[string]string{"id": "imports"}},
		{"GET", "/contacts/segments", "GET /contacts/{id}", map[string]string{"id": "segments"}},
		{"DELETE", "/contacts/imports", "DELETE /contacts/{id}", map[string]string{"id": "imports"}},
		{"GET", "/emails/e1/attachments", "GET /emails/{email_id}/attachments", map[string]string{"email_id": "e1"}},
		{"GET", "/emails/receiving/r1", "GET /emails/receiving/{id}", map[string]string{"id": "r1"}},
		{"GET", "/emails/receiving/attachments", "GET /emails/receiving/{id}", map[string]string{"id": "attachments"}},
		{"GET", "/emails/receiving", "GET /emails/receiving", nil},
		// Backtracking: the literal b leads to {y}/e, which fails at "d";
		// the wildcard branch then serves it.
		{"GET", "/a/b/c/d", "GET /a/{x}/c/d", map[string]string{"x": "b"}},
		{"GET", "/a/b/c/e", "GET /a/b/{y}/e", map[string]string{"y": "c"}},
		// Values are unescaped per segment, as ServeMux does.
		{"GET", "/files/a%2Fb", "GET /files/{name}", map[string]string{"name": "a/b"}},
		{"GET", "/files/%zz", "GET /files/{name}", map[string]string{"name": "%zz"}},
		// HEAD is GET's; a method without patterns, a trailing slash, an
		// empty segment and a longer path match nothing.
		{"HEAD", "/contacts/c1", "GET /contacts/{id}", map[string]string{"id": "c1"}},
		{"POST", "/contacts/c1", "", nil},
		{"GET", "/contacts/", "", nil},
		{"GET", "/emails/receiving/", "", nil},
		{"GET", "/contacts/c1/segments/x", "", nil},
		{"GET", "/", "", nil},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.path)
		if err != nil { // %zz: a path net/http would keep as written
			u = &url.URL{Path: tt.path}
		}
		r := &http.Request{Method: tt.method, URL: u}
		h := rt.Handler(r)
		got := ""
		if h != nil {
			got = string(h.(named))
		}
		if got != tt.want {
			t.Errorf("%s %s: served by %q, want %q", tt.method, tt.path, got, tt.want)
			continue
		}
		for k, v := range tt.values {
			if r.PathValue(k) != v {
				t.Errorf("%s %s: {%s} = %q, want %q", tt.method, tt.path, k, r.PathValue(k), v)
			}
		}
	}
}

func TestAllowed(t *testing.T) {
	rt := build(t,
		"GET /pets/{id}", "DELETE /pets/{petId}", "POST /pets/search", "GET /pets",
	)
	tests := []struct {
		path, want, pattern string
	}{
		{"/pets/p1", "GET, HEAD, DELETE", "/pets/{id}"},
		{"/pets/search", "POST", "/pets/search"}, // the most specific path's methods
		{"/pets", "GET, HEAD", "/pets"},
		{"/cats", "", ""},
	}
	for _, tt := range tests {
		m, p := rt.Allowed(tt.path)
		if got := strings.Join(m, ", "); got != tt.want || p != tt.pattern {
			t.Errorf("Allowed(%s) = %q on %q, want %q on %q", tt.path, got, p, tt.want, tt.pattern)
		}
	}
	// GET /pets/search is served by GET /pets/{id}: its method has a pattern
	// that matches, even though POST's is more specific.
	r := httptest.NewRequest("GET", "/pets/search", nil)
	if h := rt.Handler(r); h == nil || string(h.(named)) != "GET /pets/{id}" || r.PathValue("id") != "search" {
		t.Errorf("GET /pets/search: %v", h)
	}
}

func TestHandleRefuses(t *testing.T) {
	tests := []struct {
		name, path, want string
	}{
		{"twice", "GET /pets/{id}", "GET /pets/{id} is registered twice"},
		{"same requests", "GET /pets/{petId}", "GET /pets/{petId} matches the same requests as GET /pets/{id}"},
		{"trailing slash", "GET /pets/", `path "/pets/" has an empty segment`},
		{"root", "GET /", `path "/" has an empty segment`},
		{"relative", "GET pets", `path "pets" does not start with /`},
		{"brace in literal", "GET /pe{ts", `segment "pe{ts" is neither`},
		{"empty wildcard", "GET /pets/{}", `segment "{}" is neither`},
		{"unclosed wildcard", "GET /pets/{id", `segment "{id" is neither`},
	}
	for _, tt := range tests {
		rt := build(t, "GET /pets/{id}")
		method, path, _ := strings.Cut(tt.path, " ")
		err := rt.Handle(method, path, named(tt.path))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	// Another method on the same shape is fine, and both are allowed.
	rt := build(t, "GET /pets/{id}", "PUT /pets/{petId}")
	if m, _ := rt.Allowed("/pets/1"); !slices.Equal(m, []string{"GET", "HEAD", "PUT"}) {
		t.Errorf("Allowed = %v", m)
	}
}

// An unlisted path is served, but Allowed does not name it.
func TestHandleUnlisted(t *testing.T) {
	rt := New()
	if err := rt.HandleUnlisted("GET", "/openapi.json", named("doc")); err != nil {
		t.Fatal(err)
	}
	if h := rt.Handler(httptest.NewRequest("HEAD", "/openapi.json", nil)); h == nil {
		t.Error("HEAD /openapi.json is not served")
	}
	if m, _ := rt.Allowed("/openapi.json"); m != nil {
		t.Errorf("Allowed = %v, want none", m)
	}
}

// The router against Go's ServeMux on the same patterns (a typical
// profile's: collections, items, nested ones), for a literal path and one
// with wildcards.
func BenchmarkRouter(b *testing.B) {
	patterns := []string{
		"GET /v1/users", "POST /v1/users", "GET /v1/users/{id}", "PATCH /v1/users/{id}", "DELETE /v1/users/{id}",
		"GET /v1/users/{userId}/events", "GET /v1/accounts", "GET /v1/accounts/{id}", "GET /v1/health",
	}
	rt, mux := New(), http.NewServeMux()
	for _, p := range patterns {
		method, path, _ := strings.Cut(p, " ")
		if err := rt.Handle(method, path, named(p)); err != nil {
			b.Fatal(err)
		}
		mux.Handle(p, named(p))
	}
	for _, target := range []string{"/v1/users", "/v1/users/u1/events"} {
		req := httptest.NewRequest("GET", target, nil)
		b.Run("route"+target, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if rt.Handler(req) == nil {
					b.Fatal("no handler")
				}
			}
		})
		b.Run("ServeMux"+target, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, p := mux.Handler(req); p == "" {
					b.Fatal("no handler")
				}
			}
		})
	}
}
