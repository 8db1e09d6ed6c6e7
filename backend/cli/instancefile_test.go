package cli_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"mockgate/backend/admin"
	"mockgate/backend/instance"
	"mockgate/backend/instance/instancetest"
	"mockgate/backend/store"
)

// recorder is a stranger on the port a dead instance recorded: it answers
// every request with 200 (a made-up proof on the proof route) and keeps
// what it was sent.
type recorder struct {
	srv  *httptest.Server
	mu   sync.Mutex
	seen []string // each request as text: method, URL, headers, body
}

func newRecorder(t *testing.T) *recorder {
	rec := &recorder{}
	rec.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var b strings.Builder
		b.WriteString(r.Method + " " + r.URL.String() + "\n")
		r.Header.Write(&b)
		b.Write(body)
		rec.mu.Lock()
		rec.seen = append(rec.seen, b.String())
		rec.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/proof"):
			io.WriteString(w, `{"proof":"`+strings.Repeat("0", 64)+`"}`)
		case strings.HasSuffix(r.URL.Path, "/keys"):
			io.WriteString(w, `[]`)
		default:
			io.WriteString(w, `{"status":"ok","apis":4}`)
		}
	}))
	t.Cleanup(rec.srv.Close)
	return rec
}

func (rec *recorder) requests() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]string(nil), rec.seen...)
}

// writeInstanceFile writes dir's instance file as a mockgate that starts
// would (a map, so that this test also builds against a mockgate from
// before the nonce, to show it failing there).
func writeInstanceFile(t *testing.T, dir string, info map[string]any) {
	t.Helper()
	data, err := json.Marshal(info)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, instance.InstanceFile), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func readToken(t *testing.T, dir string) string {
	t.Helper()
	tok, err := instance.ReadToken(dir)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(tok)
}

// TestStaleInstanceFile: the instance file of a killed instance names a
// port another program may hold since. The CLI sends the admin token only
// to a listener that proves it holds the folder; otherwise it opens the
// store itself (folder free) or says the folder is in use (folder held).
func TestStaleInstanceFile(t *testing.T) {
	data := t.TempDir()
	k := createKey(t, data, "--api", "journeybee", "--name", "in-A")
	token := readToken(t, data)
	dead := map[string]any{"pid": 999999, "startedAt": time.Now().UTC(), "nonce": "a-start-long-gone"}
	noToken := func(t *testing.T, rec *recorder) {
		t.Helper()
		for _, r := range rec.requests() {
			if strings.Contains(r, token) {
				t.Fatalf("the listener received the admin token:\n%s", r)
			}
		}
	}
	listsA := func(t *testing.T) {
		t.Helper()
		out, errOut, code := run(t, "keys", "list", "--data", data, "--json")
		if code != 0 || !strings.Contains(out, k.ID) {
			t.Fatalf("keys list: exit %d, want A's key %s: %s %s", code, k.ID, out, errOut)
		}
	}

	t.Run("folder free, a stranger on the port", func(t *testing.T) {
		rec := newRecorder(t)
		dead["adminUrl"] = rec.srv.URL
		writeInstanceFile(t, data, dead)
		listsA(t)
		if n := len(rec.requests()); n != 0 {
			t.Errorf("the stranger was contacted %d times: %q", n, rec.requests())
		}
		if _, err := os.Stat(filepath.Join(data, instance.InstanceFile)); !os.IsNotExist(err) {
			t.Errorf("the stale instance file is still there: %v", err)
		}
	})

	t.Run("folder free, another mockgate on the port", func(t *testing.T) {
		b := instancetest.Start(t, instancetest.APIs("journeybee"))
		raw, err := os.ReadFile(filepath.Join(b.Dir, instance.InstanceFile))
		if err != nil {
			t.Fatal(err)
		}
		var info map[string]any
		if err := json.Unmarshal(raw, &info); err != nil {
			t.Fatal(err)
		}
		writeInstanceFile(t, data, info) // even with B's own nonce
		listsA(t)
		if _, errOut, code := run(t, "keys", "create", "--data", data, "--api", "jelou", "--name", "also-in-A"); code != 0 {
			t.Fatalf("keys create: exit %d: %s", code, errOut)
		}
		if out, _, _ := run(t, "keys", "list", "--data", data); !strings.Contains(out, "also-in-A") {
			t.Errorf("the key went elsewhere: %s", out)
		}
	})

	// While the folder is held (here by this test's process) the CLI asks
	// the recorded listener for the proof: a stranger cannot give it.
	t.Run("folder held, a stranger on the port", func(t *testing.T) {
		st, err := store.Open(data, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		rec := newRecorder(t)
		dead["adminUrl"] = rec.srv.URL
		writeInstanceFile(t, data, dead)
		out, errOut, code := run(t, "keys", "list", "--data", data)
		if code != 1 || !strings.Contains(errOut, "in use") || !strings.Contains(errOut, "did not prove") {
			t.Errorf("keys list: exit %d, want 1 naming the folder in use: %s %s", code, out, errOut)
		}
		if len(rec.requests()) == 0 || !strings.Contains(rec.requests()[0], "/_admin/api/proof?challenge=") {
			t.Errorf("the stranger was not asked for the proof: %q", rec.requests())
		}
		noToken(t, rec)
	})

	// A copy of the folder (same token) served by another instance: the
	// nonce of the start the file records tells them apart.
	t.Run("folder held, a copy of it served on the port", func(t *testing.T) {
		b := instancetest.Start(t, instancetest.APIs("journeybee"))
		b.Key(admin.CreateKeyRequest{API: "journeybee", Name: "in-B"})
		if err := os.WriteFile(filepath.Join(data, instance.TokenFile), []byte(b.Instance().Token), 0o600); err != nil {
			t.Fatal(err)
		}
		st, err := store.Open(data, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		dead["adminUrl"] = b.Instance().AdminURL()
		writeInstanceFile(t, data, dead)
		out, errOut, code := run(t, "keys", "list", "--data", data)
		if code != 1 || strings.Contains(out, "in-B") {
			t.Errorf("keys list: exit %d, want 1 and not B's keys: %s %s", code, out, errOut)
		}
	})
}

// TestEmptyTokenFileReplaced is issue 12's second finding as a user meets
// it: an empty admin.token left 0644 in a folder others can read. The new
// token gets a private file, and the folder is warned about in the CLI's
// own words.
func TestEmptyTokenFileReplaced(t *testing.T) {
	data := t.TempDir()
	path := filepath.Join(data, instance.TokenFile)
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(data, 0o755); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := run(t, "keys", "list", "--data", data)
	if code != 0 || !strings.HasPrefix(errOut, "mockgate: warning: the data folder is open to other users") || !strings.Contains(errOut, "chmod 700") {
		t.Errorf("keys list: exit %d, want 0 and a warning about the folder: %s", code, errOut)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if tok := readToken(t, data); len(tok) != 64 || fi.Mode().Perm() != 0o600 {
		t.Errorf("token %q in a file of mode %04o, want 64 hex digits, 0600", tok, fi.Mode().Perm())
	}
	if err := os.Chmod(data, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, errOut, _ := run(t, "keys", "list", "--data", data); errOut != "" {
		t.Errorf("a private folder is warned about: %s", errOut)
	}
}
