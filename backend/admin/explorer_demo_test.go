package admin_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"mockgate/backend/admin"
)

var suppliers = admin.ExplorerRequest{API: "eudr", Method: "GET", Path: "/api/v1/integration/suppliers"}

// demoSend sends req with the Explorer's throwaway key spec and returns the
// mock's answer; the raw key must not come back.
func (h *explorerHarness) demoSend(req admin.ExplorerRequest, spec admin.DemoKey) admin.ExplorerResponse {
	h.t.Helper()
	req.DemoKey = &spec
	code, res, raw := h.send(req)
	if code != http.StatusOK || res.DemoKey == nil {
		h.t.Fatalf("demo send %+v: admin %d: %s", spec, code, raw)
	}
	if regexp.MustCompile(`(eudr_live_[0-9a-f]{8}|jlb_[A-Za-z0-9]{8})`).MatchString(raw) {
		h.t.Fatalf("the answer holds a raw key: %s", raw)
	}
	return res
}

func (h *explorerHarness) explorerKeys() []admin.KeyView {
	h.t.Helper()
	var ks []admin.KeyView
	if code := h.Admin("GET", "/keys?purpose=explorer", nil, &ks); code != http.StatusOK {
		h.t.Fatalf("list explorer keys: %d", code)
	}
	return ks
}

func ids(ks []admin.KeyView) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.ID
	}
	slices.Sort(out)
	return out
}

// TestExplorerDemoKeys: the Explorer's failures are sent with throwaway
// keys made by the server, marked as the Explorer's, reused (a reload of
// the page included: the server holds them), remade when a user deleted
// one, and swept after a restart, when their raw values are gone.
func TestExplorerDemoKeys(t *testing.T) {
	h := startExplorer(t)
	user := h.key("eudr", "integration:suppliers:read")

	res := h.demoSend(suppliers, admin.DemoKey{Kind: admin.DemoRevoked})
	if res.Status != 401 || !strings.Contains(res.Body, "TOKEN_REVOKED") {
		t.Fatalf("revoked: %d %s", res.Status, res.Body)
	}
	revoked := *res.DemoKey
	if revoked.Purpose != "explorer" || revoked.Name != "Explorer demo: revoked" || revoked.Status != "revoked" {
		t.Fatalf("demo key %+v", revoked)
	}
	if again := h.demoSend(suppliers, admin.DemoKey{Kind: admin.DemoRevoked}); again.DemoKey.ID != revoked.ID {
		t.Errorf("a second send made another key: %s, then %s", revoked.ID, again.DemoKey.ID)
	}
	res = h.demoSend(suppliers, admin.DemoKey{Kind: admin.DemoScopes, Scopes: []string{"integration:batches:read"}})
	if res.Status != 403 || !strings.Contains(res.Body, "INSUFFICIENT_SCOPES") || res.DemoKey.Name != "Explorer demo: only integration:batches:read" {
		t.Fatalf("missing scope: %d %s %+v", res.Status, res.Body, res.DemoKey)
	}
	limited := *res.DemoKey
	if got, want := ids(h.explorerKeys()), ids([]admin.KeyView{revoked, limited}); !slices.Equal(got, want) {
		t.Errorf("explorer keys %v, want %v", got, want)
	}
	var mine []admin.KeyView
	h.Admin("GET", "/keys?purpose=user", nil, &mine)
	if len(mine) != 1 || mine[0].ID != user.ID {
		t.Errorf("user keys %+v, want only %s", mine, user.ID)
	}
	if code := h.Admin("GET", "/keys?purpose=other", nil, nil); code != http.StatusBadRequest {
		t.Errorf("purpose=other: %d, want 400", code)
	}

	// The request log names the key, as for any other.
	var list struct {
		Requests []admin.RequestSummary `json:"requests"`
	}
	h.Admin("GET", "/requests?key="+limited.ID, nil, &list)
	if len(list.Requests) != 1 || list.Requests[0].KeyName != limited.Name {
		t.Errorf("log entries of the limited key: %+v", list.Requests)
	}

	// Deleted by a user: made again.
	h.Admin("DELETE", "/keys/"+revoked.ID, nil, nil)
	if res := h.demoSend(suppliers, admin.DemoKey{Kind: admin.DemoRevoked}); res.DemoKey.ID == revoked.ID || res.Status != 401 {
		t.Errorf("after a delete: key %s, status %d", res.DemoKey.ID, res.Status)
	}

	// A tenant: the key belongs to it, so only its flaw fails the request.
	products := admin.ExplorerRequest{API: "juleb", Method: "GET", Path: "/api/v1/inventory/product", Tenant: "acme"}
	res = h.demoSend(products, admin.DemoKey{Kind: admin.DemoScopes, Scopes: []string{"pos"}, Tenant: "acme"})
	if res.Status != 403 || res.DemoKey.Tenant != "acme" {
		t.Errorf("juleb acme, pos only: %d %s %+v", res.Status, res.Body, res.DemoKey)
	}

	for _, bad := range []admin.DemoKey{{Kind: "stolen"}, {Kind: admin.DemoScopes}, {Kind: admin.DemoScopes, Scopes: []string{"nope"}}} {
		req := suppliers
		req.DemoKey = &bad
		if code, _, raw := h.send(req); code != http.StatusBadRequest {
			t.Errorf("demo key %+v: %d %s", bad, code, raw)
		}
	}

	// After a restart the stored Explorer keys are of no use (their raw
	// values died with the process): the first demo send sweeps them.
	before := ids(h.explorerKeys())
	h.Restart()
	if got := ids(h.explorerKeys()); !slices.Equal(got, before) {
		t.Fatalf("explorer keys after the restart %v, want %v until the first demo send", got, before)
	}
	res = h.demoSend(suppliers, admin.DemoKey{Kind: admin.DemoRevoked})
	after := h.explorerKeys()
	if len(after) != 1 || after[0].ID != res.DemoKey.ID || slices.Contains(before, res.DemoKey.ID) {
		t.Errorf("after the restart: explorer keys %+v, sent with %s (before: %v)", after, res.DemoKey.ID, before)
	}
	if _, ok := h.Harness.Instance().Keys.Get(user.ID); !ok {
		t.Error("the sweep deleted a user's key")
	}
}
