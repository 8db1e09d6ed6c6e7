package instance_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"mockgate/backend/admin"
	"mockgate/backend/instance"
	"mockgate/backend/instance/instancetest"
)

// TestRawKeyNeverStored creates keys, uses them every way a client might
// (header, wrong scheme, in the URL), then searches the data folder, the
// server log and the request log for the raw keys' bytes.
func TestRawKeyNeverStored(t *testing.T) {
	h := instancetest.Start(t)
	var raws []string
	for _, api := range []string{"juleb", "journeybee", "jelou", "eudr"} {
		raws = append(raws, h.Key(admin.CreateKeyRequest{API: api, Name: "secret " + api}).Key)
	}
	jul, jb, jel, eu := raws[0], raws[1], raws[2], raws[3]
	h.Call("juleb", "GET", "/api/v1/inventory/product?limit=1", "demo.localhost", nil, bearer(jul)...)
	h.Call("juleb", "GET", "/api/v1/inventory/product?api_key="+jul, "demo.localhost", nil)
	h.Call("juleb", "GET", "/api/v1/pos/order?token="+jul+"&x=1", "demo.localhost", nil, "Authorization", "Basic "+jul)
	h.Call("journeybee", "GET", "/v1/users", "", nil, bearer(jb)...)
	h.Call("journeybee", "POST", "/v1/users", "", []byte(`{"name":"a","email":"a@b.co"}`), append(bearer(jb), "Content-Type", "application/json")...)
	h.Call("journeybee", "GET", "/v1/users", "", nil, "Authorization", jb)
	h.Call("jelou", "GET", "/jelouapi/v1/company/1001", "", nil, "x-api-key", jel)
	h.Call("jelou", "GET", "/jelouapi/v1/company/1001", "", nil, "X-API-KEY", " "+jel+" ")
	h.Call("eudr", "GET", "/api/v1/integration/suppliers", "", nil, bearer(eu)...)
	h.Call("eudr", "GET", "/api/v1/integration/suppliers", "", nil, bearer(eu+"0")...)

	// The request log as the GUI reads it, entry by entry with headers and bodies.
	var page struct {
		Requests []struct{ ID uint64 } `json:"requests"`
	}
	h.Admin("GET", "/requests?limit=1000", nil, &page)
	if len(page.Requests) < 10 {
		t.Fatalf("request log has %d entries, want at least 10", len(page.Requests))
	}
	var logged bytes.Buffer
	for _, e := range page.Requests {
		_, entry := h.AdminSend("GET", "/requests/"+itoa(int(e.ID)), "", nil)
		logged.Write(entry)
	}
	var keyList bytes.Buffer
	_, list := h.AdminSend("GET", "/keys", "", nil)
	keyList.Write(list)

	h.Stop() // flushes usage counters and the request log, closes the store
	var disk bytes.Buffer
	filepath.WalkDir(h.Dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, rerr := os.ReadFile(path)
			if rerr != nil {
				t.Fatal(rerr)
			}
			disk.Write(data)
		}
		return nil
	})
	if disk.Len() == 0 {
		t.Fatal("nothing on disk to search")
	}
	for _, raw := range raws {
		// The random part alone is what must not leak (the prefix is public).
		secret := raw[len(raw)-24:]
		for what, haystack := range map[string]string{
			"data folder": disk.String(), "server log": h.Logs.String(),
			"request log": logged.String(), "key list": keyList.String(),
		} {
			if strings.Contains(haystack, secret) {
				t.Errorf("the raw key %s…%s appears in the %s", raw[:8], raw[len(raw)-4:], what)
			}
		}
	}
	if !strings.Contains(logged.String(), "…") {
		t.Errorf("the request log shows no masked value")
	}
}

// TestAdminAccess checks the admin API refuses what it must.
func TestAdminAccess(t *testing.T) {
	h := instancetest.Start(t)
	c := h.AdminClient()
	do := func(host, auth string) int {
		req, _ := http.NewRequest("GET", c.URL+admin.Prefix+"/keys", nil)
		if host != "" {
			req.Host = host
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		res, err := c.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	tests := []struct {
		name, host, auth string
		status           int
	}{
		{"token", "", "Bearer " + h.Instance().Token, 200},
		{"localhost name", "localhost:7700", "Bearer " + h.Instance().Token, 200},
		{"no token", "", "", 401},
		{"wrong token", "", "Bearer " + strings.Repeat("0", 64), 401},
		{"foreign host (DNS rebinding)", "evil.example:7700", "Bearer " + h.Instance().Token, 403},
		{"LAN address", "192.168.1.10:7700", "Bearer " + h.Instance().Token, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := do(tt.host, tt.auth); got != tt.status {
				t.Fatalf("status %d, want %d", got, tt.status)
			}
		})
	}
	fi, err := os.Stat(filepath.Join(h.Dir, instance.TokenFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file mode %v, want 0600", fi.Mode().Perm())
	}
}

// TestSecondInstanceRefused checks the data folder lock.
func TestSecondInstanceRefused(t *testing.T) {
	h := instancetest.Start(t)
	_, err := instance.Start(instance.Config{DataDir: h.Dir})
	if err == nil {
		t.Fatal("a second instance started on the same data folder")
	}
	if msg := err.Error(); !strings.Contains(msg, "in use by mockgate (pid") || !strings.Contains(msg, h.Instance().AdminURL()) {
		t.Fatalf("message %q does not say which instance holds the folder", msg)
	}
}

// TestWebUI serves the frontend and the admin API on one port.
func TestWebUI(t *testing.T) {
	assets := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>mockgate</title>")}}
	in, err := instance.Start(instance.Config{DataDir: t.TempDir(), UI: true, Assets: assets})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Shutdown(context.Background())
	res, err := http.Get(in.AdminURL() + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "<title>mockgate</title>") {
		t.Fatalf("GET /: %d %s", res.StatusCode, body)
	}
	if !strings.HasPrefix(in.UIURL(), in.AdminURL()+"/#token=") {
		t.Fatalf("UI URL %q", in.UIURL())
	}
	// The token from the UI URL opens a session cookie that the API accepts.
	tok := strings.TrimPrefix(in.UIURL(), in.AdminURL()+"/#token=")
	req, _ := http.NewRequest("POST", in.AdminURL()+admin.Prefix+"/session", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cookies := res.Cookies()
	if res.StatusCode != 204 || len(cookies) != 1 || !cookies[0].HttpOnly {
		t.Fatalf("session: %d %v", res.StatusCode, cookies)
	}
	req, _ = http.NewRequest("GET", in.AdminURL()+admin.Prefix+"/apis", nil)
	req.AddCookie(cookies[0])
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var apis []admin.APIInfo
	json.NewDecoder(res.Body).Decode(&apis)
	res.Body.Close()
	if res.StatusCode != 200 || len(apis) != 4 || apis[0].ID != "juleb" || apis[0].BaseURL == "" {
		t.Fatalf("apis with cookie: %d %+v", res.StatusCode, apis)
	}
}

// TestStats counts traffic per API, all APIs in one call.
func TestStats(t *testing.T) {
	h := instancetest.Start(t)
	k := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "stats"})
	for range 3 {
		h.Call("journeybee", "GET", "/v1/users", "", nil, bearer(k.Key)...)
	}
	h.Call("journeybee", "GET", "/v1/users", "", nil)
	var all map[string]struct {
		Total     int64                   `json:"total"`
		ByStatus  map[string]int64        `json:"byStatus"`
		PerSecond []struct{ Count int64 } `json:"perSecond"`
	}
	if st := h.Admin("GET", "/stats?seconds=60", nil, &all); st != 200 {
		t.Fatalf("stats: %d", st)
	}
	jb := all["journeybee"]
	var recent int64
	for _, s := range jb.PerSecond {
		recent += s.Count
	}
	if len(all) != 4 || jb.Total != 4 || jb.ByStatus["200"] != 3 || jb.ByStatus["401"] != 1 || len(jb.PerSecond) != 60 || recent != 4 {
		t.Fatalf("stats %+v", all)
	}
	if st := h.Admin("GET", "/stats?seconds=0", nil, nil); st != 400 {
		t.Fatalf("seconds=0: %d", st)
	}
}
