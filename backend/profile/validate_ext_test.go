package profile

import "testing"

// TestValidateImportedParts covers the parts of the format that imported
// OpenAPI documents use: the key in a query parameter or a cookie, public
// endpoints, several scopes at once, declared wildcards and 204 routes.
func TestValidateImportedParts(t *testing.T) {
	type doc = map[string]any
	type list = []any
	noTenancy := func(d doc) {
		set(d, "tenancy", doc{"kind": "none"})
		set(d, "routes[0]", doc{"method": "GET", "path": "hello", "kind": "static", "body": doc{}})
	}
	valid := []struct {
		name   string
		change func(d doc)
	}{
		{"key in the query", func(d doc) { set(d, "auth", doc{"query": "key"}) }},
		{"key in a cookie", func(d doc) { set(d, "auth", doc{"cookie": "sid", "queryParams": list{"api_key"}}) }},
		{"basic", func(d doc) { set(d, "auth.scheme", "Basic") }},
		{"two scopes", func(d doc) { set(d, "resources[0].writeScope", "items:write admin") }},
		{"public route", func(d doc) { noTenancy(d); set(d, "routes[1].public", true); del(d, "routes[1].scope") }},
		{"public operations", func(d doc) { noTenancy(d); set(d, "resources[1].publicOperations", list{"list", "get"}) }},
		{"route wildcard", func(d doc) {
			set(d, "routes[1].path", "status/{zone}/now")
			set(d, "routes[1].params", list{doc{"name": "zone", "description": "A zone."}})
		}},
		{"nested resource", func(d doc) {
			set(d, "resources[1].path", "customers/{customerId}/orders")
			set(d, "resources[1].params", list{doc{"name": "customerId"}})
		}},
		{"204 route", func(d doc) { set(d, "routes[1].status", 204); del(d, "routes[1].body") }},
		{"hasMore", func(d doc) { set(d, "pagination.body.more", "$hasMore") }},
	}
	for _, tt := range valid {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse(mutate(t, tt.change), "shop.yaml"); err != nil {
				t.Fatal(err)
			}
		})
	}
	broken := []struct {
		name   string
		change func(d doc)
		path   string
		msg    string
	}{
		{"two places", func(d doc) { set(d, "auth.query", "key") }, "auth", "must name one place for the key"},
		{"query name", func(d doc) { set(d, "auth", doc{"query": "a key"}) }, "auth.query", "must be a query parameter name"},
		{"cookie name", func(d doc) { set(d, "auth", doc{"cookie": "s;d"}) }, "auth.cookie", "must be a cookie name"},
		{"scheme with a cookie", func(d doc) { set(d, "auth", doc{"cookie": "sid", "scheme": "Bearer"}) }, "auth.scheme", "only for a key in a header"},
		{"query refused too", func(d doc) { set(d, "auth", doc{"query": "api_key", "queryParams": list{"api_key"}}) }, "auth.queryParams[0]", "cannot also be refused"},
		{"query is a page parameter", func(d doc) { set(d, "auth", doc{"query": "limit"}) }, "pagination.sizeParam", "also auth.query"},
		{"scopes double space", func(d doc) { set(d, "resources[0].writeScope", "items:write  admin") }, "resources[0].writeScope", "separated by single spaces"},
		{"scopes unknown", func(d doc) { set(d, "resources[0].writeScope", "items:write nope") }, "resources[0].writeScope", `"nope" is not a declared scope`},
		{"scopes twice", func(d doc) { set(d, "routes[1].scope", "admin admin") }, "routes[1].scope", "listed twice"},
		{"public with tenancy", func(d doc) { set(d, "resources[1].publicOperations", list{"get"}) }, "resources[1].publicOperations", "need tenancy.kind none"},
		{"public route with a scope", func(d doc) { noTenancy(d); set(d, "routes[1].public", true) }, "routes[1].public", "cannot need a scope"},
		{"public operation not offered", func(d doc) { noTenancy(d); set(d, "resources[1].publicOperations", list{"delete"}) }, "resources[1].publicOperations[0]", "not one of the resource's operations"},
		{"public operation twice", func(d doc) { noTenancy(d); set(d, "resources[1].publicOperations", list{"get", "get"}) }, "resources[1].publicOperations[1]", "listed twice"},
		{"param not in path", func(d doc) { set(d, "routes[1].params", list{doc{"name": "zone"}}) }, "routes[1].params[0].name", "not a segment of the path"},
		{"param name", func(d doc) {
			set(d, "routes[1].path", "status/{a-b}")
			set(d, "routes[1].params", list{doc{"name": "a-b"}})
		}, "routes[1].params[0].name", "must be a name of letters"},
		{"param twice", func(d doc) {
			set(d, "routes[1].path", "status/{z}/{z}")
			set(d, "routes[1].params", list{doc{"name": "z"}})
		}, "routes[1].path", "appears twice"},
		{"resource wildcard id", func(d doc) {
			set(d, "resources[1].path", "a/{id}/orders")
			set(d, "resources[1].params", list{doc{"name": "id"}})
		}, "resources[1].path", "the record id's"},
		{"resource wildcard is the tenant's", func(d doc) {
			set(d, "resources[1].path", "a/{storeId}/orders")
			set(d, "resources[1].params", list{doc{"name": "storeId"}})
		}, "resources[1].path", "tenancy parameter"},
		{"resource ends with a wildcard", func(d doc) {
			set(d, "resources[1].path", "orders/{x}")
			set(d, "resources[1].params", list{doc{"name": "x"}})
		}, "resources[1].path", "must end with the collection's name"},
		{"205 with a body", func(d doc) { set(d, "routes[1].status", 205) }, "routes[1].status", "not 204 or 205"},
		{"hasMore in a list", func(d doc) { set(d, "pagination.body.more", list{"$hasMore"}) }, "pagination.body.more[0]", "may not be inside a list"},
		{"unknownFields other", func(d doc) { set(d, "resources[0].unknownFields", "keep") }, "resources[0].unknownFields", "must be one of"},
		{"unknownFields ignore without a document", func(d doc) { set(d, "resources[0].unknownFields", "ignore") }, "resources[0].unknownFields", "needs openapi.document"},
	}
	for _, tt := range broken {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(mutate(t, tt.change), "shop.yaml")
			assertProblem(t, err, tt.path, tt.msg)
		})
	}
}

func TestGrantsEveryScopeOfANeed(t *testing.T) {
	p := &Profile{Permissions: Permissions{Model: PermScopes, Implies: map[string][]string{"admin": {"write"}}}}
	for _, tt := range []struct {
		held []string
		need string
		ok   bool
		miss string
	}{
		{[]string{"read", "write"}, "write read", true, ""},
		{[]string{"write"}, "write read", false, "read"},
		{[]string{"admin", "read"}, "write read", true, ""},
		{nil, "write read", false, "write read"},
		{nil, "", true, ""},
	} {
		if got := p.Grants(tt.held, tt.need); got != tt.ok {
			t.Errorf("Grants(%v, %q) = %v", tt.held, tt.need, got)
		}
		if got := p.MissingScopes(tt.held, tt.need); got != tt.miss {
			t.Errorf("MissingScopes(%v, %q) = %q, want %q", tt.held, tt.need, got, tt.miss)
		}
	}
}

// TestValidateCatchesWhatTheEngineCannotServe: two endpoints that match
// exactly the same requests (one method, paths that differ only in a
// wildcard's name) cannot both be served, and no endpoint may take the
// OpenAPI document's path. Other methods on such paths, and paths that only
// overlap, are served (package route).
func TestValidateCatchesWhatTheEngineCannotServe(t *testing.T) {
	type doc = map[string]any
	type list = []any
	status := func(method, name string) doc {
		return doc{"method": method, "path": "status/{" + name + "}", "params": list{doc{"name": name}}, "kind": "static", "body": doc{}}
	}
	_, err := Parse(mutate(t, func(d doc) {
		push(d, "routes", status("POST", "a"))
		push(d, "routes", status("POST", "b"))
	}), "shop.yaml")
	assertProblem(t, err, "routes[3]", "POST /api/v2/stores/{storeId}/status/{b} cannot be served: it matches the same requests as POST /api/v2/stores/{storeId}/status/{a} of routes[2]")
	if _, err := Parse(mutate(t, func(d doc) {
		push(d, "routes", status("POST", "a"))
		push(d, "routes", status("PUT", "b"))
		// Overlaps status/{a} and catalog/items beside them (Go's ServeMux
		// refused both: neither is more specific).
		push(d, "routes", doc{"method": "POST", "path": "{x}/items", "params": list{doc{"name": "x"}}, "kind": "static", "body": doc{}})
		push(d, "routes", doc{"method": "POST", "path": "status/items", "kind": "static", "body": doc{}})
	}), "shop.yaml"); err != nil {
		t.Errorf("overlapping paths, and one shape for two methods: %v", err)
	}
	_, err = Parse(mutate(t, func(d doc) {
		set(d, "basePath", "")
		set(d, "tenancy", doc{"kind": "none"})
		set(d, "routes[0]", doc{"method": "GET", "path": "openapi.json", "kind": "static", "body": doc{}})
	}), "shop.yaml")
	assertProblem(t, err, "routes[0]", "GET /openapi.json is also served by the OpenAPI document")
}
