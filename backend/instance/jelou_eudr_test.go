package instance_test

import (
	"strings"
	"testing"
	"time"

	"mockgate/backend/admin"
	"mockgate/backend/instance/instancetest"
)

func jelouKey(k string) []string { return []string{"x-api-key", k} }

func TestJelou(t *testing.T) {
	h := instancetest.Start(t)
	k := h.Key(admin.CreateKeyRequest{API: "jelou", Name: "bot"})
	other := h.Key(admin.CreateKeyRequest{API: "jelou", Name: "globex", Tenant: "2002"})
	revoked := h.Key(admin.CreateKeyRequest{API: "jelou", Name: "old"})
	h.Admin("POST", "/keys/"+revoked.ID+"/revoke", nil, nil)
	if k.Tenant != "1001" || !strings.HasPrefix(k.Key, "jl_") {
		t.Fatalf("key %+v", k.KeyView)
	}
	base := "/jelouapi/v1/company/1001"
	tests := []struct {
		name, method, path, body string
		headers                  []string
		status                   int
		check                    []string
	}{
		{"company", "GET", base, "", jelouKey(k.Key), 200, []string{"name", "Acme Retail", "id", "1001"}},
		{"no key", "GET", base, "", nil, 401, []string{"statusCode", "401", "error", "Unauthorized", "message", "Missing x-api-key"}},
		{"bearer instead of x-api-key", "GET", base, "", bearer(k.Key), 401, []string{"message", "Missing x-api-key"}},
		{"unknown key", "GET", base, "", jelouKey("jl_nope"), 401, []string{"message", "Invalid API key"}},
		{"revoked", "GET", base, "", jelouKey(revoked.Key), 401, []string{"message", "revoked"}},
		{"other company", "GET", "/jelouapi/v1/company/2002", "", jelouKey(k.Key), 403, []string{"statusCode", "403", "error", "Forbidden", "message", "does not belong to this company"}},
		{"own company 2002", "GET", "/jelouapi/v1/company/2002/campaigns", "", jelouKey(other.Key), 200, []string{"pagination.total", "25"}},
		{"unknown company", "GET", "/jelouapi/v1/company/9999", "", jelouKey(k.Key), 404, []string{"message", "Company not found"}},
		{"campaigns", "GET", base + "/campaigns?limit=5", "", jelouKey(k.Key), 200, []string{"pagination.limit", "5", "pagination.total", "25", "pagination.totalPages", "5"}},
		{"conversations", "GET", base + "/conversations", "", jelouKey(k.Key), 200, []string{"pagination.total", "80"}},
		{"limit over max", "GET", base + "/conversations?limit=101", "", jelouKey(k.Key), 400, []string{"message", "limit must be an integer between 1 and 100"}},
		{"send message", "POST", base + "/messages", `{"botId":"bot-1","userId":"+593999","type":"text","text":"hola"}`, append(jelouKey(k.Key), "Content-Type", "application/json"), 201, []string{"text", "hola", "id", "31"}},
		{"create campaign", "POST", base + "/campaigns", `{"name":"Black Friday","botId":"bot-1"}`, append(jelouKey(k.Key), "Content-Type", "application/json"), 201, []string{"name", "Black Friday"}},
		{"no delete on conversations", "DELETE", base + "/conversations/1", "", jelouKey(k.Key), 405, []string{"statusCode", "405"}},
		{"text body", "POST", base + "/messages", `{}`, append(jelouKey(k.Key), "Content-Type", "text/plain"), 415, []string{"statusCode", "415"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body []byte
			if tt.body != "" {
				body = []byte(tt.body)
			}
			expect(t, h.Call("jelou", tt.method, tt.path, "", body, tt.headers...), tt.status, tt.check...)
		})
	}
	// The created message persists.
	h.Restart()
	expect(t, h.Call("jelou", "GET", base+"/messages/31", "", nil, jelouKey(k.Key)...), 200, "text", "hola")
	// Deleting a key is immediate and final.
	if st := h.Admin("DELETE", "/keys/"+k.ID, nil, nil); st != 204 {
		t.Fatalf("delete %d", st)
	}
	expect(t, h.Call("jelou", "GET", base, "", nil, jelouKey(k.Key)...), 401, "message", "Invalid API key")
}

func TestEUDR(t *testing.T) {
	h := instancetest.Start(t)
	all := h.Key(admin.CreateKeyRequest{API: "eudr", Name: "erp sync"})
	supRead := h.Key(admin.CreateKeyRequest{API: "eudr", Name: "suppliers read", Scopes: []string{"integration:suppliers:read"}})
	revoked := h.Key(admin.CreateKeyRequest{API: "eudr", Name: "leaked"})
	expiring := h.Key(admin.CreateKeyRequest{API: "eudr", Name: "nightly", ExpiresAt: ptr(instancetest.Epoch.Add(time.Hour))})
	side := h.Key(admin.CreateKeyRequest{API: "eudr", Name: "side", Integration: "side-system"})
	h.Admin("POST", "/keys/"+revoked.ID+"/revoke", nil, nil)
	if !eudrShape(all.Key) {
		t.Fatalf("key %q is not eudr_live_<48 hex>", all.Key)
	}
	if st := h.Admin("POST", "/integrations/eudr/side-system/deactivate", nil, nil); st != 200 {
		t.Fatalf("deactivate: %d", st)
	}
	h.Clock.Advance(2 * time.Hour)
	unknown := "eudr_live_" + strings.Repeat("ab", 24)
	js := func(k string) []string { return append(bearer(k), "Content-Type", "application/json") }
	const p = "/api/v1/integration"
	tests := []struct {
		name, method, path, body string
		headers                  []string
		status                   int
		code                     string
	}{
		{"no header", "GET", p + "/suppliers", "", nil, 401, "AUTHENTICATION_REQUIRED"},
		{"basic scheme", "GET", p + "/suppliers", "", []string{"Authorization", "Basic " + all.Key}, 401, "INVALID_TOKEN_FORMAT"},
		{"bearer empty", "GET", p + "/suppliers", "", []string{"Authorization", "Bearer "}, 401, "INVALID_TOKEN_FORMAT"},
		{"short token", "GET", p + "/suppliers", "", bearer("eudr_live_abc"), 401, "INVALID_TOKEN_FORMAT"},
		{"upper-case hex", "GET", p + "/suppliers", "", bearer(strings.ToUpper(all.Key[:10]) + strings.ToUpper(all.Key[10:])), 401, "INVALID_TOKEN_FORMAT"},
		{"test prefix", "GET", p + "/suppliers", "", bearer("eudr_test_" + all.Key[10:]), 401, "INVALID_TOKEN_FORMAT"},
		{"unknown token", "GET", p + "/suppliers", "", bearer(unknown), 401, "INVALID_TOKEN"},
		{"revoked", "GET", p + "/suppliers", "", bearer(revoked.Key), 401, "TOKEN_REVOKED"},
		{"expired", "GET", p + "/suppliers", "", bearer(expiring.Key), 401, "TOKEN_EXPIRED"},
		{"inactive integration", "GET", p + "/suppliers", "", bearer(side.Key), 403, "INTEGRATION_INACTIVE"},
		{"missing scope", "GET", p + "/products", "", bearer(supRead.Key), 403, "INSUFFICIENT_SCOPES"},
		{"read scope cannot write", "POST", p + "/suppliers", `{"name":"X","country":"CI"}`, js(supRead.Key), 403, "INSUFFICIENT_SCOPES"},
		{"scope granted", "GET", p + "/suppliers", "", bearer(supRead.Key), 200, ""},
		{"dds status", "GET", p + "/batches/bat_3/dds", "", bearer(all.Key), 200, ""},
		{"dds needs its scope", "GET", p + "/batches/bat_3/dds", "", bearer(supRead.Key), 403, "INSUFFICIENT_SCOPES"},
		{"sync status", "GET", p + "/sync/status", "", bearer(all.Key), 200, ""},
		{"sync logs", "GET", p + "/sync/logs?limit=100&page=2", "", bearer(all.Key), 200, ""},
		{"webhooks", "GET", p + "/webhooks", "", bearer(all.Key), 200, ""},
		{"create webhook", "POST", p + "/webhooks", `{"url":"https://erp.example/hooks","events":"batch.dds.updated"}`, js(all.Key), 201, ""},
		{"bad webhook url", "POST", p + "/webhooks", `{"url":"not a url","events":"*"}`, js(all.Key), 400, "VALIDATION_ERROR"},
		{"unknown batch", "GET", p + "/batches/bat_999", "", bearer(all.Key), 404, "NOT_FOUND"},
		{"batch id without prefix", "GET", p + "/batches/3", "", bearer(all.Key), 404, "NOT_FOUND"},
		{"no delete of suppliers", "DELETE", p + "/suppliers/sup_1", "", bearer(all.Key), 405, "METHOD_NOT_ALLOWED"},
		{"malformed JSON", "POST", p + "/suppliers", `{"name":`, js(all.Key), 400, "INVALID_JSON"},
		{"page 0", "GET", p + "/batches?page=0", "", bearer(all.Key), 400, "VALIDATION_ERROR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body []byte
			if tt.body != "" {
				body = []byte(tt.body)
			}
			r := h.Call("eudr", tt.method, tt.path, "", body, tt.headers...)
			if tt.code == "" {
				expect(t, r, tt.status)
				return
			}
			expect(t, r, tt.status, "error.code", tt.code)
			if lookup(r.JSON(t), "error.message") == "" {
				t.Fatalf("no message: %s", r.Body)
			}
		})
	}
	r := h.Call("eudr", "GET", p+"/batches/bat_3/dds", "", nil, bearer(all.Key)...)
	expect(t, r, 200, "batchId", "bat_3")
	if lookup(r.JSON(t), "ddsStatus") == "<missing>" {
		t.Fatalf("dds view %s", r.Body)
	}
	// Reactivating the integration lets its keys in again on the next request.
	h.Admin("POST", "/integrations/eudr/side-system/activate", nil, nil)
	expect(t, h.Call("eudr", "GET", p+"/suppliers", "", nil, bearer(side.Key)...), 200, "pagination.total", "40")
	// Create and update survive a restart.
	r = h.Call("eudr", "POST", p+"/batches", "", []byte(`{"reference":"LOT-1","productId":"prd_1","supplierId":"sup_1","quantityKg":1500}`), js(all.Key)...)
	expect(t, r, 201, "id", "bat_81")
	expect(t, h.Call("eudr", "PATCH", p+"/batches/bat_81", "", []byte(`{"ddsStatus":"submitted"}`), js(all.Key)...), 200, "ddsStatus", "submitted")
	h.Restart()
	expect(t, h.Call("eudr", "GET", p+"/batches/bat_81/dds", "", nil, bearer(all.Key)...), 200, "ddsStatus", "submitted")
}

func eudrShape(k string) bool {
	rest, ok := strings.CutPrefix(k, "eudr_live_")
	if !ok || len(rest) != 48 {
		return false
	}
	return strings.Trim(rest, "0123456789abcdef") == ""
}

func ptr[T any](v T) *T { return &v }
