package cli_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mockgate/backend/instance/instancetest"
)

// The CLI is tested as a user runs it: the real binary, built once, and
// the man page generator next to it.
var bin, genman string

const (
	testVersion = "v0.0.0-clitest"
	testCommit  = "0123456789abcdef0123456789abcdef01234567"
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "mockgate-cli-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "mockgate")
	// The instances these tests start register in a folder of their own
	// (see registry.go), not the user's.
	os.Setenv("XDG_RUNTIME_DIR", filepath.Join(dir, "runtime"))
	genman = filepath.Join(dir, "genman")
	// The version is injected as the Makefile does, so the tests see main's
	// wiring of it; cli.Run in-process covers the "dev" fallback.
	out, err := exec.Command("go", "build", "-o", dir+string(filepath.Separator),
		"-ldflags", "-X main.version="+testVersion+" -X main.commit="+testCommit,
		"mockgate", "mockgate/scripts/genman").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	return instancetest.Run(t, bin, args...)
}

type createdKey struct {
	ID, Key, API, Tenant, Integration, Name string
	Scopes                                  []string
}

func createKey(t *testing.T, data string, args ...string) createdKey {
	t.Helper()
	out, errOut, code := run(t, append([]string{"keys", "create", "--data", data, "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("keys create %v: exit %d: %s", args, code, errOut)
	}
	var k createdKey
	if err := json.Unmarshal([]byte(out), &k); err != nil {
		t.Fatalf("keys create --json: %v: %s", err, out)
	}
	if k.ID == "" || k.Key == "" || k.API == "" {
		t.Fatalf("keys create --json lacks id, key or api: %s", out)
	}
	return k
}

func get(t *testing.T, url string, headers ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

func TestHelp(t *testing.T) {
	out, _, code := run(t, "--help")
	if code != 0 || !strings.Contains(out, "mockgate serve") || !strings.Contains(out, "mockgate keys") {
		t.Fatalf("--help: exit %d: %s", code, out)
	}
	for _, sub := range []string{"serve", "keys", "integrations", "seed"} {
		out, _, code := run(t, "help", sub)
		if code != 0 || !strings.Contains(out, "Usage") {
			t.Errorf("help %s: exit %d: %s", sub, code, out)
		}
	}
	_, errOut, code := run(t, "frobnicate")
	if code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command: exit %d: %s", code, errOut)
	}
	_, errOut, code = run(t, "keys", "create", "--api", "journeybee")
	if code != 2 || !strings.Contains(errOut, "--name") {
		t.Errorf("missing --name: exit %d: %s", code, errOut)
	}
}

func TestServeAndKeys(t *testing.T) {
	data := t.TempDir()
	// A key made with no instance running.
	offline := createKey(t, data, "--api", "journeybee", "--name", "offline", "--scopes", "read")
	if len(offline.Scopes) != 1 || offline.Scopes[0] != "read" {
		t.Fatalf("scopes %v", offline.Scopes)
	}
	_, errOut, code := run(t, "keys", "create", "--data", data, "--api", "journeybee", "--name", "x", "--scopes", "admin")
	if code == 0 || !strings.Contains(errOut, `"admin" is not a scope of journeybee`) {
		t.Fatalf("bad scope: exit %d: %s", code, errOut)
	}

	srv := serveBin(t, nil, false, "serve", "--data", data)
	base, cmd, banner := srv.base, srv.cmd, srv.banner
	all := strings.Join(banner, "\n")
	for _, want := range []string{
		fmt.Sprintf("http://demo.localhost:%d/api/v1", base+1),
		fmt.Sprintf("http://127.0.0.1:%d/v1", base+2),
		fmt.Sprintf("http://127.0.0.1:%d/jelouapi/v1", base+3),
		fmt.Sprintf("http://127.0.0.1:%d/api/v1/integration", base+4),
		fmt.Sprintf("admin API    http://127.0.0.1:%d", base),
	} {
		if !strings.Contains(all, want) {
			t.Errorf("banner lacks %q:\n%s", want, all)
		}
	}
	jb := fmt.Sprintf("http://127.0.0.1:%d/v1/users", base+2)
	if st, body := get(t, jb, "Authorization", "Bearer "+offline.Key); st != 200 {
		t.Fatalf("offline key: %d %s", st, body)
	}
	// Keys made while serve runs go through its admin API: effective at once.
	online := createKey(t, data, "--api", "journeybee", "--name", "online")
	if st, _ := get(t, jb, "Authorization", "Bearer "+online.Key); st != 200 {
		t.Fatalf("online key: %d", st)
	}
	if _, errOut, code := run(t, "keys", "revoke", online.ID, "--data", data); code != 0 {
		t.Fatalf("revoke: %d %s", code, errOut)
	}
	if st, body := get(t, jb, "Authorization", "Bearer "+online.Key); st != 401 || !strings.Contains(body, "revoked") {
		t.Fatalf("after revoke: %d %s", st, body)
	}
	if _, errOut, code := run(t, "keys", "delete", online.ID, "--data", data); code != 0 {
		t.Fatalf("delete: %d %s", code, errOut)
	}
	if st, body := get(t, jb, "Authorization", "Bearer "+online.Key); st != 401 || !strings.Contains(body, "invalid API key") {
		t.Fatalf("after delete: %d %s", st, body)
	}
	// Integrations.
	eu := createKey(t, data, "--api", "eudr", "--name", "erp", "--integration", "erp-sync")
	if eu.Integration != "erp-sync" {
		t.Fatalf("integration %q", eu.Integration)
	}
	eudr := fmt.Sprintf("http://127.0.0.1:%d/api/v1/integration/suppliers", base+4)
	if out, errOut, code := run(t, "integrations", "deactivate", "erp-sync", "--data", data); code != 0 || !strings.Contains(out, "inactive") {
		t.Fatalf("deactivate: %d %s %s", code, out, errOut)
	}
	if st, body := get(t, eudr, "Authorization", "Bearer "+eu.Key); st != 403 || !strings.Contains(body, "INTEGRATION_INACTIVE") {
		t.Fatalf("inactive: %d %s", st, body)
	}
	run(t, "integrations", "activate", "erp-sync", "--data", data)
	if st, _ := get(t, eudr, "Authorization", "Bearer "+eu.Key); st != 200 {
		t.Fatalf("reactivated: %d", st)
	}
	// The seed's quick test, through the account subdomain.
	jk := createKey(t, data, "--api", "juleb", "--name", "quick")
	req, _ := http.NewRequest("GET", fmt.Sprintf("http://127.0.0.1:%d/api/v1/inventory/product?limit=1", base+1), nil)
	req.Host = fmt.Sprintf("demo.localhost:%d", base+1)
	req.Header.Set("Authorization", "Bearer "+jk.Key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"meta":{"count":1,"total":150}`) {
		t.Fatalf("quick test: %d %s", res.StatusCode, body)
	}
	// A second instance on the same folder exits non-zero within 2 s, naming the holder.
	t0 := time.Now()
	_, errOut, code = run(t, "serve", "--data", data, "--port-base", fmt.Sprint(base+10))
	if code == 0 || time.Since(t0) > 2*time.Second || !strings.Contains(errOut, fmt.Sprintf("pid %d", cmd.Process.Pid)) {
		t.Fatalf("second instance: exit %d after %v: %s", code, time.Since(t0), errOut)
	}
	// SIGTERM finishes cleanly.
	srv.stop(t, 10*time.Second)
	// With the instance gone the key commands open the store themselves.
	out, errOut, code := run(t, "keys", "list", "--data", data, "--json")
	if code != 0 {
		t.Fatalf("keys list: %d %s", code, errOut)
	}
	var ks []struct {
		ID, Status string
		UseCount   int
	}
	if err := json.Unmarshal([]byte(out), &ks); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, k := range ks {
		if k.ID == offline.ID {
			found = true
			if k.UseCount != 1 || k.Status != "active" {
				t.Errorf("offline key after use: %+v", k)
			}
		}
		if k.ID == online.ID {
			t.Errorf("deleted key still listed")
		}
	}
	if !found {
		t.Fatalf("offline key not listed: %s", out)
	}
}
