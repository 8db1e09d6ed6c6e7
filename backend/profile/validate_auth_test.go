package profile

import (
	"encoding/json"
	"reflect"
	"testing"
)

// withSchemes turns testdata/valid.yaml into a profile whose keys are read
// from named schemes, as an imported OpenAPI document's are: an API key
// header, OAuth bearer tokens with scopes, a cookie and a query parameter;
// the item list accepts the key header or a token with items:read, the
// item create both at once, the status route a token with admin.
func withSchemes(d map[string]any) {
	type doc = map[string]any
	type list = []any
	set(d, "auth", doc{
		"schemes": list{
			doc{"name": "api_key", "header": "X-Api-Key"},
			doc{"name": "oauth", "header": "Authorization", "scheme": "Bearer", "scoped": true},
			doc{"name": "sid", "cookie": "sid"},
			doc{"name": "qk", "query": "key"},
		},
		"queryParams": list{"api_key"},
	})
	set(d, "resources[0].security", doc{
		"list":   list{doc{"api_key": list{}}, doc{"oauth": list{"items:read"}}},
		"create": list{doc{"api_key": list{}, "oauth": list{"items:write"}}},
	})
	set(d, "routes[1].security", list{doc{"oauth": list{"admin"}}})
}

// publicOK makes the profile able to have public endpoints: no tenancy,
// so no tenant route.
func publicOK(d map[string]any) {
	set(d, "tenancy", map[string]any{"kind": "none"})
	set(d, "routes", []any{d["routes"].([]any)[1]})
}

func TestSchemesValid(t *testing.T) {
	p, err := Parse(mutate(t, withSchemes), "shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Security{}
	for _, e := range p.Endpoints() {
		got[e.Method+" "+e.Path] = e.Security
	}
	anyOne := Security{{"api_key": nil}, {"oauth": nil}, {"sid": nil}, {"qk": nil}}
	items := "/api/v2/stores/{storeId}/catalog/items"
	want := map[string]Security{
		"GET " + items:                        {{"api_key": {}}, {"oauth": {"items:read"}}},
		"POST " + items:                       {{"api_key": {}, "oauth": {"items:write"}}},
		"GET " + items + "/{id}":              anyOne, // not given: any one scheme
		"GET /api/v2/stores/{storeId}/status": {{"oauth": {"admin"}}},
	}
	for ep, w := range want {
		if !reflect.DeepEqual(got[ep], w) {
			t.Errorf("%s: security = %v, want %v", ep, got[ep], w)
		}
	}
	// A scheme without scopes is written [] (not null) for the GUI.
	js, err := json.Marshal(p.Resources[0].Security["create"])
	if err != nil {
		t.Fatal(err)
	}
	if string(js) != `[{"api_key":[],"oauth":["items:write"]}]` {
		t.Errorf("JSON = %s", js)
	}
}

func TestSchemesPublic(t *testing.T) {
	p, err := Parse(mutate(t, func(d map[string]any) {
		withSchemes(d)
		publicOK(d)
		set(d, "routes[0].security", []any{})
		set(d, "routes[0].scope", "")
		set(d, "resources[0].security.get", []any{})
	}), "shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range p.Endpoints() {
		wantPublic := e.Path == "/api/v2/status" || e.Kind == OpGet && e.Resource.Name == "item"
		if e.Public != wantPublic || e.Public && e.Security != nil {
			t.Errorf("%s %s: public %v, security %v; want public %v", e.Method, e.Path, e.Public, e.Security, wantPublic)
		}
	}
}

// The profiles with one place for keys have no Security on any endpoint:
// the engine checks them as it always has.
func TestOnePlaceHasNoSecurity(t *testing.T) {
	ps, err := Builtins()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		for _, e := range p.Endpoints() {
			if e.Security != nil {
				t.Errorf("%s: %s %s has security %v", p.ID, e.Method, e.Path, e.Security)
			}
		}
	}
}

func TestValidateSchemesBroken(t *testing.T) {
	type doc = map[string]any
	type list = []any
	tests := []struct {
		name   string
		change func(d doc)
		path   string
		msg    string
	}{
		{"schemes beside a header", func(d doc) { set(d, "auth.header", "Authorization") }, "auth.header", "must be empty when auth.schemes names the places"},
		{"scheme name empty", func(d doc) { set(d, "auth.schemes[0].name", "") }, "auth.schemes[0].name", "must be 1 to 64 letters"},
		{"scheme name twice", func(d doc) { set(d, "auth.schemes[2].name", "oauth") }, "auth.schemes[2].name", `"oauth" is declared twice`},
		{"scheme with no place", func(d doc) { set(d, "auth.schemes[2]", doc{"name": "sid"}) }, "auth.schemes[2]", "must name one place for the key: header, query or cookie (got 0)"},
		{"scheme with two places", func(d doc) { set(d, "auth.schemes[2].query", "sid") }, "auth.schemes[2]", "(got 2)"},
		{"scheme header with space", func(d doc) { set(d, "auth.schemes[0].header", "X Api Key") }, "auth.schemes[0].header", "must be an HTTP header name"},
		{"scheme query bad", func(d doc) { set(d, "auth.schemes[3].query", "k y") }, "auth.schemes[3].query", "must be a query parameter name"},
		{"scheme cookie bad", func(d doc) { set(d, "auth.schemes[2].cookie", "s;d") }, "auth.schemes[2].cookie", "must be a cookie name"},
		{"scheme on a cookie", func(d doc) { set(d, "auth.schemes[2].scheme", "Bearer") }, "auth.schemes[2].scheme", "only for a key in a header"},
		{"scheme not a token", func(d doc) { set(d, "auth.schemes[1].scheme", "Bear er") }, "auth.schemes[1].scheme", "auth scheme token"},
		{"scoped without scopes model", func(d doc) {
			set(d, "permissions", doc{"model": "none"})
			for i := range 2 {
				del(d, "resources["+string(rune('0'+i))+"].readScope")
				del(d, "resources["+string(rune('0'+i))+"].writeScope")
			}
			del(d, "resources[0].views[0].scope")
			del(d, "routes[1].scope")
			del(d, "resources[0].security")
			del(d, "routes[1].security")
		}, "auth.schemes[1].scoped", "needs permissions.model scopes"},
		{"refused query is a scheme's", func(d doc) { set(d, "auth.queryParams", list{"key"}) }, "auth.queryParams[0]", "the query parameter of a scheme"},
		{"page parameter is a scheme's", func(d doc) { set(d, "auth.schemes[3].query", "limit") }, "pagination.sizeParam", "query parameter of a scheme in auth.schemes"},
		{"security without schemes", func(d doc) {
			set(d, "auth", doc{"header": "Authorization", "scheme": "Bearer"})
		}, "routes[1].security", "needs auth.schemes"},
		{"unknown scheme", func(d doc) { set(d, "routes[1].security", list{doc{"basic": list{}}}) }, "routes[1].security[0].basic", `"basic" is not a scheme of auth.schemes`},
		{"empty alternative", func(d doc) { set(d, "routes[1].security", list{doc{}}) }, "routes[1].security[0]", "must name at least one scheme"},
		{"scopes on an unscoped scheme", func(d doc) {
			set(d, "resources[0].security.list", list{doc{"api_key": list{"items:read"}}})
		}, "resources[0].security.list[0].api_key", `scheme "api_key" is not scoped`},
		{"undeclared scope", func(d doc) { set(d, "routes[1].security", list{doc{"oauth": list{"root"}}}) }, "routes[1].security[0].oauth[0]", `"root" is not a declared scope`},
		{"scope twice", func(d doc) {
			set(d, "routes[1].security", list{doc{"oauth": list{"admin", "admin"}}})
		}, "routes[1].security[0].oauth[1]", "listed twice"},
		{"security of an operation not offered", func(d doc) {
			set(d, "resources[1].security", doc{"delete": list{doc{"api_key": list{}}}})
		}, "resources[1].security.delete", `"delete" is not an operation of the resource`},
		{"public with tenancy", func(d doc) { set(d, "resources[0].security.get", list{}) }, "resources[0].security.get", "public endpoints need tenancy.kind none"},
		{"public route with a scope", func(d doc) {
			publicOK(d)
			set(d, "routes[0].security", list{})
		}, "routes[0].security", "cannot need a scope"},
		{"public and alternatives", func(d doc) {
			publicOK(d)
			set(d, "routes[0].scope", "")
			set(d, "routes[0].public", true)
		}, "routes[0].security", "must be [] or left out on a public endpoint"},
		{"rate-limit header name", func(d doc) {
			set(d, "rateLimit.headerNames", doc{"limit": "X-Limit", "remaining": "X Remaining", "reset": "X-Reset"})
		}, "rateLimit.headerNames.remaining", "must be an HTTP header name"},
		{"rate-limit header twice", func(d doc) {
			set(d, "rateLimit.headerNames", doc{"limit": "X-Limit", "remaining": "x-limit", "reset": "X-Reset"})
		}, "rateLimit.headerNames.remaining", "names another of the three headers too"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(mutate(t, func(d doc) {
				withSchemes(d)
				tt.change(d)
			}), "shop.yaml")
			assertProblem(t, err, tt.path, tt.msg)
		})
	}
}
