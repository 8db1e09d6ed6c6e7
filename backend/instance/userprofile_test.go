package instance_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mockgate/backend/admin"
	"mockgate/backend/instance"
	"mockgate/backend/instance/instancetest"
)

// TestUserProfile serves the example profile from the README beside the
// built-ins: keys, scopes, pagination and its own error envelope, no Go.
func TestUserProfile(t *testing.T) {
	h := instancetest.Start(t, instancetest.APIs("journeybee"), instancetest.ProfileFiles("../../examples/petshop.yaml"))
	in := h.Instance()
	if len(in.APIs) != 2 || in.APIs[1].Engine.Profile().ID != "petshop" {
		t.Fatalf("APIs %v", in.APIs)
	}
	ro := h.Key(admin.CreateKeyRequest{API: "petshop", Name: "ro", Scopes: []string{"pets:read"}})
	if !strings.HasPrefix(ro.Key, "pet_") || len(ro.Key) != 36 {
		t.Fatalf("key %q", ro.Key)
	}
	expect(t, h.Call("petshop", "GET", "/v2/pets?size=10&page=2", "", nil, bearer(ro.Key)...), 200, "total", "75", "page", "2", "size", "10")
	expect(t, h.Call("petshop", "GET", "/v2/pets", "", nil), 401, "error.code", "NO_KEY")
	expect(t, h.Call("petshop", "GET", "/v2/pets", "", nil, bearer("pet_xyz")...), 401, "error.code", "BAD_KEY", "error.message", "pet_<32 hex>")
	expect(t, h.Call("petshop", "POST", "/v2/pets", "", []byte(`{"name":"Rex","species":"dog"}`), append(bearer(ro.Key), "Content-Type", "application/json")...),
		403, "error.code", "SCOPE", "error.message", "This key lacks pets:write")
	expect(t, h.Call("petshop", "GET", "/v2/pets?size=201", "", nil, bearer(ro.Key)...), 400, "error.message", "size must be an integer between 1 and 200")
}

// TestInvalidProfileRefused names the file and the field.
func TestInvalidProfileRefused(t *testing.T) {
	data, err := os.ReadFile("../../examples/petshop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte(strings.Replace(string(data), "alphabet: hex", "alphabet: emoji", 1)), 0o600)
	_, err = instance.Start(instance.Config{DataDir: t.TempDir(), ProfileFiles: []string{bad}})
	if err == nil || !strings.Contains(err.Error(), "bad.yaml") || !strings.Contains(err.Error(), "keyFormat.alphabet") {
		t.Fatalf("error %v: want it to name bad.yaml and keyFormat.alphabet", err)
	}
	_, err = instance.Start(instance.Config{DataDir: t.TempDir(), ProfileFiles: []string{"../../examples/petshop.yaml", "../../examples/petshop.yaml"}})
	if err == nil || !strings.Contains(err.Error(), "used twice") {
		t.Fatalf("duplicate profile: %v", err)
	}
}

// TestPortsStayPut: a built-in keeps its port whichever APIs are enabled,
// and user profiles come after the four built-ins.
func TestPortsStayPut(t *testing.T) {
	base, err := instance.FreePortBase(6)
	if err != nil {
		t.Fatal(err)
	}
	in, err := instance.Start(instance.Config{DataDir: t.TempDir(), PortBase: base, APIs: []string{"jelou"}, ProfileFiles: []string{"../../examples/petshop.yaml"}})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Shutdown(context.Background())
	got := map[string]int{}
	for _, a := range in.APIs {
		got[a.Engine.Profile().ID] = a.Port
	}
	if got["jelou"] != base+3 || got["petshop"] != base+5 {
		t.Fatalf("ports %v with base %d: want jelou %d, petshop %d", got, base, base+3, base+5)
	}
}
