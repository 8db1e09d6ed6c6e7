package instancetest_test

import (
	"net/http"
	"testing"

	"mockgate/backend/admin"
	"mockgate/backend/instance/instancetest"
)

// TestHarness starts one API, creates a key, calls the API with it, and
// finds the key again after a restart and through a client made from the
// data folder alone, as a CLI test would.
func TestHarness(t *testing.T) {
	h := instancetest.Start(t, instancetest.APIs("journeybee"))
	if got := h.Clock.Now(); !got.Equal(instancetest.Epoch) {
		t.Fatalf("clock at %v, want %v", got, instancetest.Epoch)
	}
	k := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "harness"})
	if r := h.Call("journeybee", "GET", "/v1/users", "", nil, "Authorization", "Bearer "+k.Key); r.Status != http.StatusOK {
		t.Fatalf("call: %d %s", r.Status, r.Body)
	}

	h.Restart()
	c, err := instancetest.AdminClientFor(h.Dir)
	if err != nil {
		t.Fatal(err)
	}
	var list []struct{ ID string }
	if st, err := c.Do("GET", "/keys", nil, &list); err != nil || st != http.StatusOK {
		t.Fatalf("list keys: %d %v", st, err)
	}
	if len(list) != 1 || list[0].ID != k.ID {
		t.Fatalf("keys after restart: %+v, want %s", list, k.ID)
	}
	c.Token = ""
	if st, err := c.Do("GET", "/keys", nil, nil); err != nil || st != http.StatusUnauthorized {
		t.Fatalf("without the token: %d %v", st, err)
	}
}
