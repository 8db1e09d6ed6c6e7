package instance_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mockgate/backend/instance/instancetest"
)

// TestStateCommands drives mockgate state save, state load and reset as a
// user does, through the real binary: with no mockgate running (on the
// data folder) and against a running serve. Save, change, load gives the
// same answers; a bad file is refused with its problem named and changes
// nothing; the file holds no raw key and has mode 0600.
func TestStateCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	bin := mockgateBinary(t)
	data, files := t.TempDir(), t.TempDir()
	file := filepath.Join(files, "state.json")
	run := func(args ...string) (string, string, int) {
		t.Helper()
		return instancetest.Run(t, bin, append(args, "--data", data)...)
	}
	mustRun := func(args ...string) string {
		t.Helper()
		out, errOut, code := run(args...)
		if code != 0 {
			t.Fatalf("mockgate %v: exit %d: %s", args, code, errOut)
		}
		return out
	}
	readFile := func(name string) []byte {
		t.Helper()
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}

	// With no mockgate running the commands open the data folder.
	k1 := cliKey(t, bin, data, "first")
	if out := mustRun("state", "save", file); !strings.Contains(out, "State saved to "+file) {
		t.Fatalf("state save: %s", out)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the state file: %v, mode %v, want 0600", err, fi.Mode().Perm())
	}
	if strings.Contains(string(readFile(file)), k1.raw) {
		t.Fatal("the state file holds a raw key")
	}

	srv := serve(t, bin, data)
	hc := &http.Client{Timeout: 10 * time.Second}
	call := func(method, path, key, body string) string {
		t.Helper()
		req, _ := http.NewRequest(method, srv.url(2, path), strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		res, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return fmt.Sprintf("%d %s", res.StatusCode, b)
	}
	answers := func() map[string]string {
		return map[string]string{
			"leads":   call("GET", "/v1/leads?pageSize=50&page=3", k1.raw, ""),
			"user 3":  call("GET", "/v1/users/3", k1.raw, ""),
			"users":   call("GET", "/v1/users?pageSize=1", k1.raw, ""),
			"clock":   virtualTime(t, mustRun("clock", "--json")),
			"keys":    mustRun("keys", "list"),
			"summary": mustRun("integrations", "list"),
		}
	}
	if a := call("POST", "/v1/leads", k1.raw, `{"name":"Ada","email":"ada@example.com","status":"new"}`); !strings.HasPrefix(a, "201") {
		t.Fatalf("create a lead: %s", a)
	}
	mustRun("clock", "advance", "1h")
	mustRun("clock", "freeze")
	mustRun("state", "save", file)
	saved := readFile(file)
	want := answers()

	// Change records, keys, the clock and an integration.
	k2 := cliKey(t, bin, data, "second")
	mustRun("keys", "revoke", k1.id)
	call("POST", "/v1/leads", k2.raw, `{"name":"Bob","email":"bob@example.com","status":"new"}`)
	call("DELETE", "/v1/users/3", k2.raw, "")
	mustRun("clock", "advance", "24h")
	mustRun("integrations", "deactivate", "default")

	start := time.Now()
	out := mustRun("state", "load", file)
	took := time.Since(start)
	if !strings.Contains(out, "State loaded from "+file) || !strings.Contains(out, "frozen") {
		t.Fatalf("state load: %s", out)
	}
	t.Logf("mockgate state load of %d KiB against a running serve: %v", len(saved)>>10, took.Round(time.Millisecond))
	for name, w := range answers() {
		if w != want[name] {
			t.Errorf("%s after the load:\n got %.300s\nwant %.300s", name, w, want[name])
		}
	}
	if a := call("GET", "/v1/users/1", k2.raw, ""); !strings.HasPrefix(a, "401") {
		t.Errorf("a key made after the save still works: %s", a)
	}

	// Bad files: refused, named, nothing changed.
	before := filepath.Join(files, "before.json")
	mustRun("state", "save", before)
	edited := func(old, new string) []byte {
		if !strings.Contains(string(saved), old) {
			t.Fatalf("the state has no %q", old)
		}
		return []byte(strings.Replace(string(saved), old, new, 1))
	}
	for _, tc := range []struct {
		name, says string
		doc        []byte
	}{
		{"truncated", "truncated", saved[:len(saved)/2]},
		{"not JSON", "not valid JSON", []byte("hello")},
		{"foreign", "not a mockgate state", []byte(`{"hello":"world"}`)},
		{"newer", "newer mockgate", edited(`"version":1`, `"version":99`)},
		{"record not an object", "must be a JSON object", edited(`"records":[{`, `"records":[7,{`)},
		{"unknown API", `apis[0] (nope)`, edited(`"apis":[`, `"apis":[{"id":"nope","source":"file","collections":[]},`)},
	} {
		bad := filepath.Join(files, "bad.json")
		if err := os.WriteFile(bad, tc.doc, 0o600); err != nil {
			t.Fatal(err)
		}
		_, errOut, code := run("state", "load", bad)
		if code != 1 || !strings.Contains(errOut, tc.says) || !strings.Contains(errOut, "nothing was changed") || !strings.Contains(errOut, bad) {
			t.Errorf("%s: exit %d: %s", tc.name, code, errOut)
		}
	}
	after := filepath.Join(files, "after.json")
	mustRun("state", "save", after)
	sameState(t, "after the refused loads", readFile(after), readFile(before))
	if _, errOut, code := run("state", "load", filepath.Join(files, "missing.json")); code != 1 || !strings.Contains(errOut, "missing.json") {
		t.Errorf("a missing file: exit %d: %s", code, errOut)
	}

	// Reset, keeping the keys, then without.
	if out := mustRun("reset", "--keep-keys"); !strings.Contains(out, "keys kept") {
		t.Errorf("reset --keep-keys: %s", out)
	}
	var leads struct{ Total int }
	if a := call("GET", "/v1/leads?pageSize=1", k1.raw, ""); !strings.HasPrefix(a, "200") || json.Unmarshal([]byte(a[4:]), &leads) != nil || leads.Total != 120 {
		t.Errorf("after reset --keep-keys: %s", a)
	}
	mustRun("reset")
	if a := call("GET", "/v1/leads?pageSize=1", k1.raw, ""); !strings.HasPrefix(a, "401") {
		t.Errorf("a key works after reset: %s", a)
	}
	srv.stop(t)

	// Loaded with no mockgate running: everything but the clock lasts.
	_, errOut, code := run("state", "load", file)
	if code != 0 || !strings.Contains(errOut, "clock lasts only as long as this command") {
		t.Fatalf("state load with no mockgate running: exit %d: %s", code, errOut)
	}
	if out := mustRun("keys", "list"); !strings.Contains(out, "first") || strings.Contains(out, "second") {
		t.Errorf("keys after an offline load: %s", out)
	}
}

// virtualTime is the virtual time and whether it stands still, from
// mockgate clock --json (the real time in it moves on).
func virtualTime(t *testing.T, out string) string {
	t.Helper()
	var st struct {
		Now    time.Time
		Frozen bool
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("clock --json: %v: %s", err, out)
	}
	return fmt.Sprintf("%s frozen=%t", st.Now.Format(time.RFC3339Nano), st.Frozen)
}
