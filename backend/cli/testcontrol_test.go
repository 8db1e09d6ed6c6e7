package cli_test

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// ready is the ready file serve --ready-file writes.
type ready struct {
	AdminURL   string `json:"adminUrl"`
	AdminToken string `json:"adminToken"`
	PID        int    `json:"pid"`
	APIs       []struct {
		ID, BaseURL, Origin, OpenAPIURL string
	} `json:"apis"`
}

// serveReady starts serve on free ports with a ready file and waits for the
// file, as a test harness in any language would.
func serveReady(t *testing.T, data string) ready {
	t.Helper()
	file := filepath.Join(t.TempDir(), "ready.json")
	cmd := exec.Command(bin, "serve", "--data", data, "--port-base", "0", "--ready-file", file)
	cmd.Env = append(os.Environ(), "DISPLAY=", "WAYLAND_DISPLAY=")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { // drain the log so serve never blocks on it
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		if _, err := os.Stat(file); !os.IsNotExist(err) {
			t.Errorf("the ready file outlived serve: %v", err)
		}
	})
	deadline := time.Now().Add(15 * time.Second)
	for {
		data, err := os.ReadFile(file)
		if err == nil {
			var r ready
			if err := json.Unmarshal(data, &r); err != nil {
				t.Fatalf("ready file is not whole JSON: %v: %s", err, data)
			}
			fi, _ := os.Stat(file)
			if fi.Mode().Perm() != 0o600 {
				t.Fatalf("ready file mode %v, want 0600 (it holds the admin token)", fi.Mode().Perm())
			}
			if r.PID != cmd.Process.Pid || r.AdminToken == "" || len(r.APIs) != 4 {
				t.Fatalf("ready file: %+v", r)
			}
			return r
		}
		if time.Now().After(deadline) {
			t.Fatal("no ready file after 15 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (r ready) base(id string) string {
	for _, a := range r.APIs {
		if a.ID == id {
			return a.BaseURL
		}
	}
	return ""
}

// TestClockAndFaultsThroughTheBinary: the ready file's URLs answer at once;
// mockgate clock advance expires a key and opens the next rate-limit
// window; mockgate faults add makes the next calls 503 and then lets
// through; both refuse to run without an instance.
func TestClockAndFaultsThroughTheBinary(t *testing.T) {
	data := t.TempDir()
	r := serveReady(t, data)
	jb := r.base("journeybee")
	if code, _ := get(t, jb+"/users"); code != 401 {
		t.Fatalf("journeybee from the ready file: %d", code)
	}
	k := createKey(t, data, "--api", "journeybee", "--name", "short", "--ttl", "1h")
	auth := []string{"Authorization", "Bearer " + k.Key}

	// The request log shows no real time while the clocks agree.
	if code, _ := get(t, jb+"/users", auth...); code != 200 {
		t.Fatalf("fresh key: %d", code)
	}
	out, errOut, code := run(t, "clock", "advance", "2h", "--data", data, "--json")
	if code != 0 {
		t.Fatalf("clock advance: %d %s", code, errOut)
	}
	var st struct {
		OffsetSeconds float64
		Frozen        bool
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || st.OffsetSeconds < 7199 || st.OffsetSeconds > 7201 {
		t.Fatalf("clock advance --json: %v %s", err, out)
	}
	code, body := get(t, jb+"/users", auth...)
	if code != 401 || !strings.Contains(body, "expired") {
		t.Fatalf("after advancing past the expiry: %d %s", code, body)
	}
	out, _, _ = run(t, "keys", "list", "--data", data)
	if !strings.Contains(out, "expired") {
		t.Fatalf("keys list after the clock moved: %s", out)
	}
	if out, _, code := run(t, "clock", "--data", data); code != 0 || !strings.Contains(out, "offset +2h0m") {
		t.Fatalf("clock status: %d %s", code, out)
	}
	if _, errOut, code := run(t, "clock", "advance", "soon", "--data", data); code != 1 || !strings.Contains(errOut, "soon") {
		t.Fatalf("clock advance soon: %d %s", code, errOut)
	}
	if _, _, code := run(t, "clock", "reset", "--data", data); code != 0 {
		t.Fatal("clock reset")
	}
	// The request log shows the mock's time, and the real time only where
	// the two differed: the newest entry (the expired call) has both.
	code, body = get(t, r.AdminURL+"/_admin/api/requests?api=journeybee", "Authorization", "Bearer "+r.AdminToken)
	var log struct {
		Requests []struct {
			Status   int
			Time     time.Time
			RealTime *time.Time
		}
	}
	if err := json.Unmarshal([]byte(body), &log); err != nil || code != 200 || len(log.Requests) < 3 {
		t.Fatalf("requests: %d %v %s", code, err, body)
	}
	newest, before := log.Requests[0], log.Requests[1]
	if newest.RealTime == nil || newest.Time.Sub(*newest.RealTime) < 2*time.Hour-time.Minute {
		t.Fatalf("the call at +2h: time %v, real time %v", newest.Time, newest.RealTime)
	}
	if before.RealTime != nil {
		t.Fatalf("a call before the clock moved shows a real time: %+v", before)
	}

	// Faults: two 503s, then the API's own answer again.
	k2 := createKey(t, data, "--api", "journeybee", "--name", "faulty")
	auth2 := []string{"Authorization", "Bearer " + k2.Key}
	if out, errOut, code := run(t, "faults", "add", "--api", "journeybee", "--status", "503", "--count", "2", "--data", data); code != 0 || !strings.Contains(out, "queued") {
		t.Fatalf("faults add: %d %s %s", code, out, errOut)
	}
	if out, _, _ := run(t, "faults", "list", "--data", data); !strings.Contains(out, "2 of 2") {
		t.Fatalf("faults list: %s", out)
	}
	for i, want := range []int{503, 503, 200} {
		if code, body := get(t, jb+"/users", auth2...); code != want {
			t.Fatalf("call %d: %d, want %d: %s", i+1, code, want, body)
		}
	}
	if out, _, _ := run(t, "faults", "list", "--data", data); !strings.Contains(out, "No faults pending") {
		t.Fatalf("faults list after they are spent: %s", out)
	}
	if _, errOut, code := run(t, "faults", "add", "--api", "journeybee", "--data", data); code != 2 || !strings.Contains(errOut, "--status") {
		t.Fatalf("faults add without a fault: %d %s", code, errOut)
	}

	// Without a running instance they say so.
	other := t.TempDir()
	for _, args := range [][]string{{"clock"}, {"faults", "list"}} {
		if _, errOut, code := run(t, append(args, "--data", other)...); code != 1 || !strings.Contains(errOut, "no mockgate is running") {
			t.Errorf("%v without an instance: %d %s", args, code, errOut)
		}
	}
}

// TestRequestsThroughTheBinary: mockgate requests, requests count, requests
// export --har and requests curl as a user runs them; neither the HAR nor
// the curl line holds the raw key, and the curl line works with
// MOCKGATE_KEY set.
func TestRequestsThroughTheBinary(t *testing.T) {
	data := t.TempDir()
	r := serveReady(t, data)
	k := createKey(t, data, "--api", "journeybee", "--name", "evidence")
	jb := r.base("journeybee")
	for _, p := range []string{"/users", "/users/3", "/nope"} {
		get(t, jb+p, "Authorization", "Bearer "+k.Key)
	}
	if out, errOut, code := run(t, "requests", "count", "--data", data, "--path", "/v1/users/*"); code != 0 || strings.TrimSpace(out) != "1" {
		t.Fatalf("requests count --path: exit %d, %q %s", code, out, errOut)
	}
	if out, _, code := run(t, "requests", "count", "--data", data, "--status", "4xx"); code != 0 || strings.TrimSpace(out) != "1" {
		t.Fatalf("requests count --status 4xx: exit %d, %q", code, out)
	}
	out, errOut, code := run(t, "requests", "--data", data, "--json", "--limit", "1", "--path", "/v1/users")
	var list []struct{ ID uint64 }
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) != 1 {
		t.Fatalf("requests --json: exit %d: %s %s", code, out, errOut)
	}
	har := filepath.Join(t.TempDir(), "run.har")
	if out, errOut, code := run(t, "requests", "export", "--har", har, "--data", data); code != 0 || !strings.Contains(out, "Wrote 3 requests") {
		t.Fatalf("requests export: exit %d: %s %s", code, out, errOut)
	}
	doc, _ := os.ReadFile(har)
	if !strings.Contains(string(doc), `"version": "1.2"`) || strings.Contains(string(doc), k.Key) {
		t.Fatalf("the HAR is not 1.2 or holds the raw key")
	}
	line, errOut, code := run(t, "requests", "curl", strconv.FormatUint(list[0].ID, 10), "--data", data)
	if code != 0 || strings.Contains(line, k.Key) || !strings.Contains(line, "$MOCKGATE_KEY") {
		t.Fatalf("requests curl: exit %d: %s %s", code, line, errOut)
	}
	cmd := exec.Command("sh", "-c", strings.TrimSpace(line)+` -o /dev/null -w '%{http_code}'`)
	cmd.Env = append(os.Environ(), "MOCKGATE_KEY="+k.Key)
	if got, err := cmd.Output(); err != nil || string(got) != "200" {
		t.Fatalf("the curl line with MOCKGATE_KEY set: %q %v", got, err)
	}
	if _, errOut, code := run(t, "requests", "--data", data, "--verdict", "rude"); code != 1 || !strings.Contains(errOut, "verdict") {
		t.Fatalf("a bad verdict: exit %d: %s", code, errOut)
	}
}
