package instance_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"mockgate/backend/admin"
)

// TestImportProfile is the GUI's Import profile: a user API added while
// mockgate runs, refused with every problem named when invalid, kept across
// a restart, removable (and only if imported).
func TestImportProfile(t *testing.T) {
	h := start(t)
	src, err := os.ReadFile("../../examples/petshop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	post := func(body []byte) (int, map[string]any) {
		req, _ := http.NewRequest("POST", h.in.AdminURL()+admin.Prefix+"/profiles", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+h.in.Token)
		req.Header.Set("Content-Type", "application/yaml")
		res, err := h.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		var m map[string]any
		json.Unmarshal(data, &m)
		return res.StatusCode, m
	}
	st, info := post(src)
	if st != 201 || info["id"] != "petshop" || info["source"] != "imported" || info["port"].(float64) == 0 {
		t.Fatalf("import: %d %v", st, info)
	}
	h.ports["petshop"] = int(info["port"].(float64))
	k := h.key(admin.CreateKeyRequest{API: "petshop", Name: "pets", Scopes: []string{"pets:read"}})
	expect(t, h.call("petshop", "GET", "/v2/pets?size=5", "", nil, bearer(k.Key)...), 200, "total", "75")
	expect(t, h.call("petshop", "GET", "/v2/pets", "", nil), 401, "error.code", "NO_KEY")

	if st, m := post(src); st != 409 || !strings.Contains(lookup(m, "error.message"), `"petshop" is already used`) {
		t.Fatalf("second import: %d %v", st, m)
	}
	bad := strings.Replace(strings.Replace(string(src), "id: petshop", "id: other", 1), "style: page", "style: cursor", 1)
	bad = strings.Replace(bad, "alphabet: hex", "alphabet: emoji", 1)
	st, m := post([]byte(bad))
	problems := lookup(m, "error.problems")
	if st != 400 || !strings.Contains(problems, "pagination.style") || !strings.Contains(problems, "keyFormat.alphabet") {
		t.Fatalf("invalid import: %d %v", st, m)
	}

	// Back after a restart, on the data folder alone.
	h.restart()
	var apis []admin.APIInfo
	h.admin("GET", "/apis", nil, &apis)
	if len(apis) != 5 || apis[4].ID != "petshop" || apis[4].Source != "imported" {
		t.Fatalf("after restart: %+v", apis)
	}
	h.ports["petshop"] = apis[4].Port
	expect(t, h.call("petshop", "GET", "/v2/pets?size=5", "", nil, bearer(k.Key)...), 200, "total", "75")

	// Only imported APIs can be removed; removal stops the listener.
	if st := h.admin("DELETE", "/profiles/journeybee", nil, nil); st != 409 {
		t.Fatalf("removing a built-in: %d", st)
	}
	if st := h.admin("DELETE", "/profiles/petshop", nil, nil); st != 204 {
		t.Fatalf("remove: %d", st)
	}
	if _, err := http.Get("http://127.0.0.1:" + itoa(apis[4].Port) + "/v2/pets"); err == nil {
		t.Fatal("the removed API still answers")
	}
	h.restart()
	h.admin("GET", "/apis", nil, &apis)
	if len(apis) != 4 {
		t.Fatalf("removed API back after restart: %d APIs", len(apis))
	}
}
