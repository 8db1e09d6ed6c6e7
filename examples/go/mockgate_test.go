// Package example is a Go test of a client's rate-limit and failure
// handling against mockgate: it starts `mockgate serve` on free ports with
// a temporary data folder, reads the ready file, creates a key, hits the
// limit, moves the virtual clock instead of waiting a minute, forces a 503
// with a queued fault, and loads a saved state. Copy it into your project and point MOCKGATE_BIN
// at the binary (here it builds one when the variable is unset).
package example

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// ready is what serve --ready-file writes once every listener accepts.
type ready struct {
	AdminURL   string `json:"adminUrl"`
	AdminToken string `json:"adminToken"`
	APIs       []struct {
		ID      string `json:"id"`
		BaseURL string `json:"baseUrl"`
	} `json:"apis"`
}

// startMockgate runs serve and returns its ready file; it stops at cleanup.
func startMockgate(t *testing.T) ready {
	t.Helper()
	bin := os.Getenv("MOCKGATE_BIN")
	if bin == "" {
		bin = filepath.Join(t.TempDir(), "mockgate")
		if out, err := exec.Command("go", "build", "-o", bin, "mockgate").CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "ready.json")
	cmd := exec.Command(bin, "serve", "--data", filepath.Join(dir, "data"), "--port-base", "0", "--ready-file", file)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if data, err := os.ReadFile(file); err == nil {
			var r ready
			if err := json.Unmarshal(data, &r); err != nil {
				t.Fatal(err)
			}
			return r
		}
	}
	t.Fatal("mockgate did not write its ready file within 10 s")
	return ready{}
}

// admin calls mockgate's admin API and decodes the answer into out.
func (r ready) admin(t *testing.T, method, path string, body, out any) {
	t.Helper()
	data, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, r.AdminURL+"/_admin/api"+path, bytes.NewReader(data))
	req.Header.Set("Authorization", "Bearer "+r.AdminToken)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode >= 300 {
		t.Fatalf("%s %s: %s", method, path, res.Status)
	}
	if out != nil {
		json.NewDecoder(res.Body).Decode(out)
	}
}

func (r ready) baseURL(id string) string {
	for _, a := range r.APIs {
		if a.ID == id {
			return a.BaseURL
		}
	}
	return ""
}

// get is the client under test: one authenticated call.
func get(t *testing.T, url, key string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// total is the number of records a journeybee list reports.
func total(t *testing.T, url, key string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", url+"?pageSize=1", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var page struct{ Total int }
	if err := json.NewDecoder(res.Body).Decode(&page); err != nil || res.StatusCode != 200 {
		t.Fatalf("list: %s %v", res.Status, err)
	}
	return page.Total
}

func TestClientMeetsRateLimitAndFaults(t *testing.T) {
	mg := startMockgate(t)
	users := mg.baseURL("journeybee") + "/users"
	var key struct{ Key string }
	mg.admin(t, "POST", "/keys", map[string]string{"api": "journeybee", "name": "go test"}, &key)
	// The state now (records, keys as hashes, settings, the clock), to load
	// back at the end: every test can start from the same data.
	var saved json.RawMessage
	mg.admin(t, "GET", "/state", nil, &saved)
	mg.admin(t, "POST", "/clock", map[string]bool{"freeze": true}, nil)

	for i := 1; i <= 100; i++ {
		if res := get(t, users, key.Key); res.StatusCode != 200 {
			t.Fatalf("request %d: %s", i, res.Status)
		}
	}
	res := get(t, users, key.Key)
	if res.StatusCode != 429 || res.Header.Get("Retry-After") != "60" {
		t.Fatalf("request 101: %s, Retry-After %q", res.Status, res.Header.Get("Retry-After"))
	}

	mg.admin(t, "POST", "/clock", map[string]string{"advance": "61s"}, nil)
	if res := get(t, users, key.Key); res.StatusCode != 200 {
		t.Fatalf("after the clock moved 61 s: %s", res.Status)
	}

	mg.admin(t, "POST", "/apis/journeybee/faults", map[string]int{"status": 503, "count": 1}, nil)
	for i, want := range []int{503, 200} {
		if res := get(t, users, key.Key); res.StatusCode != want {
			t.Fatalf("call %d after queuing a 503: %s", i+1, res.Status)
		}
	}
	// A lead created, then the saved state loaded: the lead is gone.
	leads := mg.baseURL("journeybee") + "/leads"
	req, _ := http.NewRequest("POST", leads, bytes.NewReader([]byte(`{"name":"Temp","email":"t@example.com"}`)))
	req.Header.Set("Authorization", "Bearer "+key.Key)
	req.Header.Set("Content-Type", "application/json")
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 201 {
		t.Fatalf("create a lead: %v %v", err, res)
	}
	before := total(t, leads, key.Key)
	mg.admin(t, "PUT", "/state", saved, nil)
	if after := total(t, leads, key.Key); after != before-1 {
		t.Fatalf("after loading the saved state %d leads, want %d", after, before-1)
	}
	fmt.Println("go example: rate limit, virtual clock, queued fault and saved state as expected")
}
