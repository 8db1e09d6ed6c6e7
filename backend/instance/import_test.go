package instance_test

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"mockgate/backend/admin"
	"mockgate/backend/instance/instancetest"
)

// TestImportProfile is the GUI's Import… with a profile: a user API added while
// mockgate runs, refused with every problem named when invalid, kept across
// a restart, removable (and only if imported).
func TestImportProfile(t *testing.T) {
	h := instancetest.Start(t)
	src, err := os.ReadFile("../../examples/petshop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	post := func(body []byte) (int, map[string]any) {
		st, data := h.AdminSend("POST", "/profiles", "application/yaml", body)
		var m map[string]any
		json.Unmarshal(data, &m)
		return st, m
	}
	st, info := post(src)
	if st != 201 || info["id"] != "petshop" || info["source"] != "imported" || info["port"].(float64) == 0 {
		t.Fatalf("import: %d %v", st, info)
	}
	h.SetPort("petshop", int(info["port"].(float64)))
	k := h.Key(admin.CreateKeyRequest{API: "petshop", Name: "pets", Scopes: []string{"pets:read"}})
	expect(t, h.Call("petshop", "GET", "/v2/pets?size=5", "", nil, bearer(k.Key)...), 200, "total", "75")
	expect(t, h.Call("petshop", "GET", "/v2/pets", "", nil), 401, "error.code", "NO_KEY")

	if st, m := post(src); st != 409 || !strings.Contains(lookup(m, "error.message"), `"petshop" is already used`) {
		t.Fatalf("second import: %d %v", st, m)
	}
	bad := strings.Replace(strings.Replace(string(src), "id: petshop", "id: other", 1), "style: page", "style: keyset", 1)
	bad = strings.Replace(bad, "alphabet: hex", "alphabet: emoji", 1)
	st, m := post([]byte(bad))
	problems := lookup(m, "error.problems")
	if st != 400 || !strings.Contains(problems, "pagination.style") || !strings.Contains(problems, "keyFormat.alphabet") {
		t.Fatalf("invalid import: %d %v", st, m)
	}

	// Back after a restart, on the data folder alone.
	h.Restart()
	var apis []admin.APIInfo
	h.Admin("GET", "/apis", nil, &apis)
	if len(apis) != 5 || apis[4].ID != "petshop" || apis[4].Source != "imported" {
		t.Fatalf("after restart: %+v", apis)
	}
	h.SetPort("petshop", apis[4].Port)
	expect(t, h.Call("petshop", "GET", "/v2/pets?size=5", "", nil, bearer(k.Key)...), 200, "total", "75")

	// Only imported APIs can be removed; removal stops the listener.
	if st := h.Admin("DELETE", "/profiles/journeybee", nil, nil); st != 409 {
		t.Fatalf("removing a built-in: %d", st)
	}
	if st := h.Admin("DELETE", "/profiles/petshop", nil, nil); st != 204 {
		t.Fatalf("remove: %d", st)
	}
	if _, err := http.Get("http://127.0.0.1:" + itoa(apis[4].Port) + "/v2/pets"); err == nil {
		t.Fatal("the removed API still answers")
	}
	h.Restart()
	h.Admin("GET", "/apis", nil, &apis)
	if len(apis) != 4 {
		t.Fatalf("removed API back after restart: %d APIs", len(apis))
	}

	// Its keys went with it: imported again, the API refuses the old key.
	var ks []admin.KeyView
	h.Admin("GET", "/keys?api=petshop", nil, &ks)
	if len(ks) != 0 {
		t.Fatalf("the removed API's keys are still listed: %+v", ks)
	}
	st, info = post(src)
	if st != 201 {
		t.Fatalf("import again: %d %v", st, info)
	}
	h.SetPort("petshop", int(info["port"].(float64)))
	expect(t, h.Call("petshop", "GET", "/v2/pets?size=5", "", nil, bearer(k.Key)...), 401, "error.code", "BAD_KEY")
}
