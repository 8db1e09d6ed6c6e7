package instance_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/oasdiff/yaml"

	"mockgate/backend/admin"
	"mockgate/backend/instance/instancetest"
)

// importDoc imports an OpenAPI document through POST /profiles under id
// and tells the harness its port.
func importDoc(t *testing.T, h *instancetest.Harness, path, id string) admin.ImportedAPI {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	st, body := h.AdminSend("POST", "/profiles?id="+id, "application/yaml", src)
	var got admin.ImportedAPI
	if err := json.Unmarshal(body, &got); err != nil || st != http.StatusCreated {
		t.Fatalf("import %s: %d %s", path, st, body)
	}
	h.SetPort(id, got.Port)
	return got
}

// TestImportedKeysNeverLeak: keys of imported APIs sent in each of their
// schemes' places (a header, a query parameter, a cookie) appear nowhere
// the admin API shows or exports the request log (the list, each entry,
// the HAR, each curl command) nor in a state save; and each curl command
// replays with the key in MOCKGATE_KEY.
func TestImportedKeysNeverLeak(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatal("curl is needed (scripts/deps.sh installs it)")
	}
	h := instancetest.Start(t, instancetest.APIs("journeybee"))
	// intellifi: apiKey in the X-Api-Key header, the key query parameter
	// and the brain.sid cookie (any one; /users takes the cookie only).
	// circular: apiKey in the api_key query parameter.
	importDoc(t, h, "../openapiimport/testdata/corpus/intellifi.json", "brain")
	importDoc(t, h, "../openapiimport/testdata/circular.yaml", "tree")
	brain := h.Key(admin.CreateKeyRequest{API: "brain", Name: "brain"}).Key
	tree := h.Key(admin.CreateKeyRequest{API: "tree", Name: "tree"}).Key

	calls := []struct {
		name, api, path string
		headers         []string
		key             string
	}{
		{"header", "brain", "/api/items?limit=2", []string{"X-Api-Key", brain}, brain},
		{"query", "brain", "/api/items?limit=2&key=" + brain, nil, brain},
		{"cookie", "brain", "/api/items?limit=2", []string{"Cookie", "theme=dark; brain.sid=" + brain}, brain},
		{"cookie only", "brain", "/api/users", []string{"Cookie", "brain.sid=" + brain}, brain},
		{"query, circular", "tree", "/tree/api/nodes?api_key=" + tree + "&per_page=2", nil, tree},
	}
	for _, c := range calls {
		if r := h.Call(c.api, "GET", c.path, "", nil, c.headers...); r.Status != http.StatusOK {
			t.Fatalf("%s: GET %s: %d %s", c.name, c.path, r.Status, r.Body)
		}
	}

	var page struct{ Requests []admin.RequestSummary }
	if st, body := h.AdminSend("GET", "/requests?limit=1000", "", nil); st != 200 || json.Unmarshal(body, &page) != nil {
		t.Fatalf("requests: %d %s", st, body)
	}
	if len(page.Requests) != len(calls) {
		t.Fatalf("the log holds %d requests, want %d", len(page.Requests), len(calls))
	}
	var shown bytes.Buffer
	for _, path := range []string{"/requests?limit=1000", "/requests.har", "/state"} {
		st, body := h.AdminSend("GET", path, "", nil)
		if st != 200 {
			t.Fatalf("%s: %d %s", path, st, body)
		}
		shown.Write(body)
	}
	// Newest first: the log's i-th entry is calls[len-1-i].
	for i, r := range page.Requests {
		c := calls[len(calls)-1-i]
		id := strconv.FormatUint(r.ID, 10)
		st, entry := h.AdminSend("GET", "/requests/"+id, "", nil)
		if st != 200 {
			t.Fatalf("request %s: %d", id, st)
		}
		shown.Write(entry)
		var cmd admin.CurlCommand
		if st := h.Admin("GET", "/requests/"+id+"/curl", nil, &cmd); st != 200 {
			t.Fatalf("curl of %s: %d", id, st)
		}
		shown.WriteString(cmd.Command)
		if cmd.Variable != admin.KeyVariable || strings.Contains(cmd.Command, c.key) {
			t.Fatalf("%s: curl %q names no variable or holds the key", c.name, cmd.Command)
		}
		run := func(k string) string {
			sh := exec.Command("sh", "-c", cmd.Command+` -o /dev/null -w '%{http_code}'`)
			sh.Env = append(os.Environ(), admin.KeyVariable+"="+k)
			out, err := sh.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v: %s", cmd.Command, err, out)
			}
			return string(out)
		}
		if got := run(c.key); got != "200" {
			t.Errorf("%s: %s replayed with the key: %s, want 200", c.name, cmd.Command, got)
		}
		if got := run("nope"); got != "401" {
			t.Errorf("%s: %s replayed with a wrong key: %s, want 401", c.name, cmd.Command, got)
		}
	}
	for _, raw := range []string{brain, tree} {
		secret := raw[len(raw)-24:] // the random part (the prefix is public)
		if n := strings.Count(shown.String(), secret); n != 0 {
			t.Errorf("the raw key %s…%s appears %d times in the request log, its exports or the state", raw[:8], raw[len(raw)-4:], n)
		}
	}
	if !strings.Contains(shown.String(), "…") {
		t.Errorf("the request log shows no masked value")
	}
}

// TestImportLargeDocument: POST /profiles takes documents over the admin
// API's usual 1 MiB (real vendors' run to several MB), and refuses one over its
// own limit with 413 in the admin envelope.
func TestImportLargeDocument(t *testing.T) {
	h := instancetest.Start(t, instancetest.APIs("journeybee"))
	src, err := os.ReadFile("../openapiimport/testdata/petstore3.yaml")
	if err != nil {
		t.Fatal(err)
	}
	js, err := yaml.YAMLToJSON(src) // JSON, as the large vendors' documents are
	if err != nil {
		t.Fatal(err)
	}
	// A specification extension at the top level: part of the document,
	// read and kept, served back in /openapi.json.
	pad := func(size int) []byte {
		return append([]byte(`{"x-padding":"`+strings.Repeat("x", size)+`",`), js[1:]...)
	}
	big := pad(1<<20 + 64<<10) // just over the usual 1 MiB: the importer is slow under -race
	st, body := h.AdminSend("POST", "/profiles?id=big", "application/json", big)
	var got admin.ImportedAPI
	if err := json.Unmarshal(body, &got); err != nil || st != http.StatusCreated || got.Import == nil {
		t.Fatalf("a %d-byte document: %d %.300s", len(big), st, body)
	}

	st, body = h.AdminSend("POST", "/profiles?id=huge", "application/json", pad(33<<20))
	var e struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal(body, &e); err != nil || st != http.StatusRequestEntityTooLarge || e.Error.Code != "too_large" || !strings.Contains(e.Error.Message, "32 MiB") {
		t.Fatalf("a 33 MiB document: %d %.300s", st, body)
	}
	// Every other route keeps its 1 MiB.
	st, body = h.AdminSend("POST", "/keys", "application/json", []byte(`{"api":"journeybee","name":"`+strings.Repeat("x", 1<<20)+`"}`))
	if st != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "1 MiB") {
		t.Fatalf("a 1 MiB key request: %d %.300s", st, body)
	}
}
