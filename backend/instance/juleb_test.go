package instance_test

import (
	"strings"
	"testing"

	"mockgate/backend/admin"
	"mockgate/backend/instance/instancetest"
)

func TestJulebQuickTest(t *testing.T) {
	h := instancetest.Start(t)
	k := h.Key(admin.CreateKeyRequest{API: "juleb", Name: "quick"})
	// The seed's quick test: curl -H "Authorization: Bearer $KEY" "http://demo.localhost:PORT/api/v1/inventory/product?limit=1"
	r := h.Call("juleb", "GET", "/api/v1/inventory/product?limit=1", "demo.localhost:PORT", nil, bearer(k.Key)...)
	expect(t, r, 200, "meta.count", "1", "meta.total", "150", "pagination.limit", "1", "pagination.offset", "0", "pagination.previous", "null")
	m := r.JSON(t)
	if data, _ := m["data"].([]any); len(data) != 1 {
		t.Fatalf("data %v", m["data"])
	}
	if next := lookup(m, "pagination.next"); !strings.HasPrefix(next, "http://demo.localhost:") || !strings.Contains(next, "offset=1") {
		t.Fatalf("next %q", next)
	}
	if r.Header.Get("RateLimit-Limit") != "120" || r.Header.Get("RateLimit-Remaining") != "119" {
		t.Fatalf("rate-limit headers %v", r.Header)
	}
	// Without a subdomain the account is demo.
	expect(t, h.Call("juleb", "GET", "/api/v1/inventory/product?limit=1", "", nil, bearer(k.Key)...), 200, "meta.total", "150")
}

func TestJulebErrors(t *testing.T) {
	h := instancetest.Start(t)
	demo := h.Key(admin.CreateKeyRequest{API: "juleb", Name: "demo all"})
	inv := h.Key(admin.CreateKeyRequest{API: "juleb", Name: "inventory only", Scopes: []string{"inventory"}})
	acme := h.Key(admin.CreateKeyRequest{API: "juleb", Name: "acme", Tenant: "acme"})
	revoked := h.Key(admin.CreateKeyRequest{API: "juleb", Name: "revoked"})
	h.Admin("POST", "/keys/"+revoked.ID+"/revoke", nil, nil)
	const (
		check401 = "Check your API key and ensure it's included in the Authorization header"
		perm403  = "Your API key may not have permission for this endpoint or account"
	)
	tests := []struct {
		name, path, host string
		headers          []string
		status           int
		code, msg        string
	}{
		{"no key", "/api/v1/inventory/product", "demo.localhost", nil, 401, "unauthorized", check401},
		{"wrong scheme", "/api/v1/inventory/product", "demo.localhost", []string{"Authorization", "Token " + demo.Key}, 401, "unauthorized", check401},
		{"unknown key", "/api/v1/inventory/product", "demo.localhost", bearer("jlb_nope"), 401, "unauthorized", check401},
		{"revoked", "/api/v1/inventory/product", "demo.localhost", bearer(revoked.Key), 401, "unauthorized", "revoked"},
		{"key in the query", "/api/v1/inventory/product?api_key=" + demo.Key, "demo.localhost", nil, 401, "unauthorized", "Authorization header"},
		{"key in the query with header too", "/api/v1/inventory/product?token=x", "demo.localhost", bearer(demo.Key), 401, "unauthorized", "Do not send API keys in URLs"},
		{"other account", "/api/v1/inventory/product", "acme.localhost", bearer(demo.Key), 403, "forbidden", perm403},
		{"own account", "/api/v1/inventory/product", "acme.localhost", bearer(acme.Key), 200, "", ""},
		{"other endpoint group", "/api/v1/pos/order", "demo.localhost", bearer(inv.Key), 403, "forbidden", perm403},
		{"own endpoint group", "/api/v1/inventory/product/1", "demo.localhost", bearer(inv.Key), 200, "", ""},
		{"unknown account", "/api/v1/inventory/product", "nope.localhost", bearer(demo.Key), 404, "not_found", "Verify your account name in the URL is correct"},
		{"limit over max", "/api/v1/inventory/product?limit=101", "demo.localhost", bearer(demo.Key), 400, "bad_request", "limit must be an integer between 1 and 100"},
		{"negative offset", "/api/v1/inventory/product?offset=-1", "demo.localhost", bearer(demo.Key), 400, "bad_request", "offset must be an integer between 0"},
		{"offset not a number", "/api/v1/inventory/product?offset=ten", "demo.localhost", bearer(demo.Key), 400, "bad_request", "offset"},
		{"unknown route", "/api/v1/inventory/nothing", "demo.localhost", bearer(demo.Key), 404, "not_found", "no such endpoint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.Call("juleb", "GET", tt.path, tt.host, nil, tt.headers...)
			if tt.status == 200 {
				expect(t, r, 200)
				return
			}
			expect(t, r, tt.status, "error.code", tt.code, "error.message", tt.msg, "error.status", itoa(tt.status))
		})
	}
}

func TestJulebPaginationEdges(t *testing.T) {
	h := instancetest.Start(t)
	k := h.Key(admin.CreateKeyRequest{API: "juleb", Name: "pages"})
	get := func(q string) map[string]any {
		r := h.Call("juleb", "GET", "/api/v1/inventory/product"+q, "demo.localhost:PORT", nil, bearer(k.Key)...)
		expect(t, r, 200)
		return r.JSON(t)
	}
	m := get("")
	if lookup(m, "meta.count") != "20" || lookup(m, "pagination.limit") != "20" {
		t.Fatalf("default page: %v", m["meta"])
	}
	m = get("?limit=100&offset=100")
	if lookup(m, "meta.count") != "50" || lookup(m, "pagination.next") != "null" || !strings.Contains(lookup(m, "pagination.previous"), "offset=0") {
		t.Fatalf("last page: meta %v pagination %v", m["meta"], m["pagination"])
	}
	m = get("?offset=150")
	if lookup(m, "meta.count") != "0" || lookup(m, "data") != "[]" || lookup(m, "meta.total") != "150" {
		t.Fatalf("past the end: %v", m)
	}
	// Every page of 7 joins up to the whole collection, in order.
	seen := 0
	for off := 0; off < 150; off += 7 {
		data := get("?limit=7&offset=" + itoa(off))["data"].([]any)
		for i, d := range data {
			if id := lookup(d.(map[string]any), "id"); id != itoa(off+i+1) {
				t.Fatalf("offset %d item %d: id %s", off, i, id)
			}
			seen++
		}
	}
	if seen != 150 {
		t.Fatalf("walked %d records, want 150", seen)
	}
}

func TestJulebCRUD(t *testing.T) {
	h := instancetest.Start(t)
	k := h.Key(admin.CreateKeyRequest{API: "juleb", Name: "writer", Scopes: []string{"resources"}})
	js := append(bearer(k.Key), "Content-Type", "application/json")
	r := h.Call("juleb", "POST", "/api/v1/resources/partner", "demo.localhost:PORT", []byte(`{"name":"Nile Traders","type":"supplier","email":"ops@nile.example"}`), js...)
	expect(t, r, 201, "name", "Nile Traders", "id", "41")
	h.Restart()
	expect(t, h.Call("juleb", "GET", "/api/v1/resources/partner/41", "demo.localhost:PORT", nil, js...), 200, "email", "ops@nile.example")
	// Accounts have separate data: acme has no partner 41.
	acme := h.Key(admin.CreateKeyRequest{API: "juleb", Name: "acme", Tenant: "acme"})
	expect(t, h.Call("juleb", "GET", "/api/v1/resources/partner/41", "acme.localhost:PORT", nil, bearer(acme.Key)...), 404, "error.code", "not_found")
	expect(t, h.Call("juleb", "DELETE", "/api/v1/resources/partner/41", "demo.localhost:PORT", nil, js...), 204)
	expect(t, h.Call("juleb", "GET", "/api/v1/resources/partner/41", "demo.localhost:PORT", nil, js...), 404)
}
