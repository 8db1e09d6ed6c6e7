package mockapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"

	"mockgate/backend/journal"
	"mockgate/backend/openapi"
	"mockgate/backend/profile"
)

// extended loads testdata/extended.yaml, lets change alter it, and
// validates it again.
func extended(t *testing.T, change func(p *profile.Profile)) *fixture {
	t.Helper()
	p, err := profile.LoadFile("testdata/extended.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if change != nil {
		change(p)
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	return newFixtureFor(t, p, nil)
}

func TestPublicEndpoints(t *testing.T) {
	f := extended(t, nil)
	for _, target := range []string{"/v1/health", "/v1/pets/3"} {
		if rec := f.do("GET", target, ""); rec.Code != 200 {
			t.Errorf("GET %s without a key: %d %s", target, rec.Code, rec.Body)
		}
		// A key, even a made-up one, is not read on a public endpoint.
		if rec := f.do("GET", target, "", "Authorization", "Bearer nonsense"); rec.Code != 200 {
			t.Errorf("GET %s with a made-up key: %d %s", target, rec.Code, rec.Body)
		}
	}
	// The other operations of the same resource still need a key.
	if rec := f.do("GET", "/v1/pets", ""); rec.Code != 401 {
		t.Errorf("list without a key: %d", rec.Code)
	}
	es := f.log.Query(journal.Filter{Path: "/v1/health"})
	if len(es) == 0 || !strings.Contains(strings.Join(es[0].Trace, "\n"), "auth: public endpoint, no key needed") {
		t.Errorf("trace of a public endpoint: %+v", es)
	}
}

func TestSeveralScopesAreAllNeeded(t *testing.T) {
	f := extended(t, nil)
	write := f.key(t, "write:pets")
	both := f.key(t, "write:pets", "read:pets")
	post := func(key string) *httptest.ResponseRecorder {
		return f.do("POST", "/v1/pets", `{"name":"Rex"}`, "Authorization", "Bearer "+key, "Content-Type", "application/json")
	}
	rec := post(write)
	if rec.Code != 403 || !strings.Contains(rec.Body.String(), "read:pets") || strings.Contains(rec.Body.String(), "write:pets") {
		t.Fatalf("a key lacking read:pets: %d %s (want 403 naming only read:pets)", rec.Code, rec.Body)
	}
	if rec := post(both); rec.Code != 201 {
		t.Fatalf("a key with both scopes: %d %s", rec.Code, rec.Body)
	}
	if rec := f.do("POST", "/v1/pets/7/uploadImage", "", "Authorization", "Bearer "+write); rec.Code != 403 {
		t.Fatalf("route needing two scopes, key with one: %d %s", rec.Code, rec.Body)
	}
}

func TestWildcardsAnd204(t *testing.T) {
	f := extended(t, nil)
	k := f.key(t)
	auth := []string{"Authorization", "Bearer " + k}
	rec := f.do("POST", "/v1/pets/anything/uploadImage", "", auth...)
	if rec.Code != 200 || rec.Body.String() != `{"code":200,"message":"uploaded"}` {
		t.Fatalf("route with a wildcard: %d %s", rec.Code, rec.Body)
	}
	rec = f.do("POST", "/v1/logout", "", auth...)
	if rec.Code != 204 || rec.Body.Len() != 0 {
		t.Fatalf("204 route: %d %q", rec.Code, rec.Body)
	}
	// A nested collection answers whatever the parent's id is.
	rec = f.do("GET", "/v1/pets/2/toys?limit=2", "", auth...)
	var page struct {
		Data    []map[string]any `json:"data"`
		HasMore bool             `json:"has_more"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &page); rec.Code != 200 || err != nil || len(page.Data) != 2 || !page.HasMore {
		t.Fatalf("nested list: %d %s", rec.Code, rec.Body)
	}
	rec = f.do("GET", "/v1/pets/2/toys?limit=2&offset=2", "", auth...)
	if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil || len(page.Data) != 1 || page.HasMore {
		t.Fatalf("last page: %d %s", rec.Code, rec.Body)
	}
	rec = f.do("POST", "/v1/pets/9/toys", `{"label":"ball"}`, append(auth, "Content-Type", "application/json")...)
	if rec.Code != 201 || rec.Header().Get("Location") != "/v1/pets/9/toys/4" {
		t.Fatalf("nested create: %d %v %s", rec.Code, rec.Header(), rec.Body)
	}
}

// TestLiteralBesideWildcard: a route beside a resource's item path
// (pets/search beside pets/{id}) is served, and its 405 names its own
// methods.
func TestLiteralBesideWildcard(t *testing.T) {
	f := extended(t, nil)
	auth := []string{"Authorization", "Bearer " + f.key(t)}
	if rec := f.do("GET", "/v1/pets/search", "", auth...); rec.Code != 200 || rec.Body.String() != `[{"name":"Rex"}]` {
		t.Fatalf("GET pets/search: %d %s", rec.Code, rec.Body)
	}
	if rec := f.do("POST", "/v1/pets/search", "{}", auth...); rec.Code != 405 || rec.Header().Get("Allow") != "GET, HEAD" {
		t.Fatalf("POST pets/search: %d %v", rec.Code, rec.Header())
	}
	if rec := f.do("GET", "/v1/pets/2", "", auth...); rec.Code != 200 {
		t.Fatalf("GET pets/2: %d", rec.Code)
	}
	if rec := f.do("POST", "/v1/pets/2", "{}", auth...); rec.Code != 405 || !strings.Contains(rec.Header().Get("Allow"), "DELETE") {
		t.Fatalf("POST pets/2: %d %v", rec.Code, rec.Header())
	}
	if rec := f.do("GET", "/v1/nothing", "", auth...); rec.Code != 404 {
		t.Fatalf("GET nothing: %d", rec.Code)
	}
}

func TestKeyInQueryCookieOrBasic(t *testing.T) {
	t.Run("query", func(t *testing.T) {
		f := extended(t, func(p *profile.Profile) { p.Auth = profile.Auth{Query: "api_key"} })
		k := f.key(t)
		if rec := f.do("GET", "/v1/pets?api_key="+k, ""); rec.Code != 200 {
			t.Fatalf("key in the query: %d %s", rec.Code, rec.Body)
		}
		for target, kind := range map[string]string{
			"/v1/pets":          profile.KindMissingKey,
			"/v1/pets?api_key=": profile.KindMissingKey,
			"/v1/pets?api_key=" + k + "&api_key=" + k: profile.KindWrongScheme,
			"/v1/pets?api_key=%zz":                    profile.KindWrongScheme,
			"/v1/pets?api_key=ext_nope":               profile.KindInvalidKey,
		} {
			if rec := f.do("GET", target, "", "Authorization", "Bearer "+k); rec.Code != 401 {
				t.Errorf("%s: %d, want 401 (%s)", target, rec.Code, kind)
			}
		}
		es := f.log.Query(journal.Filter{Status: 200})
		if len(es) != 1 || strings.Contains(es[0].Query, k) || !strings.HasPrefix(es[0].Query, "api_key=") {
			t.Fatalf("the logged query must mask the key: %+v", es)
		}
		if trace := strings.Join(es[0].Trace, "\n"); strings.Contains(trace, "not read as a key") {
			t.Fatalf("the key's own parameter is read:\n%s", trace)
		}
	})
	t.Run("cookie", func(t *testing.T) {
		f := extended(t, func(p *profile.Profile) { p.Auth = profile.Auth{Cookie: "sid"} })
		k := f.key(t)
		if rec := f.do("GET", "/v1/pets", "", "Cookie", "theme=dark; sid="+k); rec.Code != 200 {
			t.Fatalf("key in a cookie: %d %s", rec.Code, rec.Body)
		}
		for _, cookie := range []string{"", "theme=dark", "sid=", "sid=" + k + "; sid=" + k} {
			if rec := f.do("GET", "/v1/pets", "", "Cookie", cookie, "Authorization", "Bearer "+k); rec.Code != 401 {
				t.Errorf("Cookie %q: %d, want 401", cookie, rec.Code)
			}
		}
	})
	t.Run("basic", func(t *testing.T) {
		f := extended(t, func(p *profile.Profile) { p.Auth = profile.Auth{Header: "Authorization", Scheme: "Basic"} })
		k := f.key(t)
		b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
		for _, cred := range []string{b64(k + ":"), b64(k + ":any password")} {
			if rec := f.do("GET", "/v1/pets", "", "Authorization", "Basic "+cred); rec.Code != 200 {
				t.Fatalf("Basic %s: %d %s", cred, rec.Code, rec.Body)
			}
		}
		for _, h := range []string{"Basic " + k, "Basic " + b64(k), "Bearer " + k, "Basic " + b64(":"+k)} {
			if rec := f.do("GET", "/v1/pets", "", "Authorization", h); rec.Code != 401 {
				t.Errorf("Authorization %q: %d, want 401", h, rec.Code)
			}
		}
	})
}

// TestExtendedDocumentMatchesAnswers checks the generated OpenAPI document
// of every variant with kin-openapi, and the real answers of the Bearer
// variant against it: public operations, several scopes, wildcards, 204.
func TestExtendedDocumentMatchesAnswers(t *testing.T) {
	variants := map[string]profile.Auth{
		"bearer": {Header: "Authorization", Scheme: "Bearer"},
		"query":  {Query: "api_key"},
		"cookie": {Cookie: "sid"},
		"basic":  {Header: "Authorization", Scheme: "Basic"},
	}
	for name, auth := range variants {
		f := extended(t, func(p *profile.Profile) { p.Auth = auth })
		raw, err := openapi.Generate(f.eng.Profile(), "http://localhost:7705")
		if err != nil {
			t.Fatal(err)
		}
		doc, err := openapi3.NewLoader().LoadFromData(raw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if op := doc.Paths.Find("/v1/health").Get; op.Security == nil || len(*op.Security) != 0 {
			t.Errorf("%s: the public route's security: %v", name, op.Security)
		}
		if name != "bearer" {
			continue
		}
		router, err := legacy.NewRouter(doc)
		if err != nil {
			t.Fatal(err)
		}
		k := f.key(t)
		for _, c := range []struct{ method, target, body, key string }{
			{"GET", "/v1/health", "", ""},
			{"GET", "/v1/pets/1", "", ""},
			{"GET", "/v1/pets?limit=1", "", k},
			{"GET", "/v1/pets", "", ""},
			{"POST", "/v1/pets/1/uploadImage", "", f.key(t, "read:pets")},
			{"POST", "/v1/pets/1/uploadImage", "", k},
			{"POST", "/v1/logout", "", k},
			{"GET", "/v1/pets/5/toys", "", k},
			{"POST", "/v1/pets/5/toys", `{"label":"x"}`, k},
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
			route, params, err := router.FindRoute(req)
			if err != nil {
				t.Fatalf("%s %s: %v", c.method, c.target, err)
			}
			in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
			out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code, Header: rec.Header(),
				Body: io.NopCloser(strings.NewReader(rec.Body.String()))}
			if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
				t.Errorf("%s %s → %d %s: %v", c.method, c.target, rec.Code, rec.Body, err)
			}
		}
	}
}
