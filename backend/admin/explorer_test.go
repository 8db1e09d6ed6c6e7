package admin_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"mockgate/backend/admin"
	"mockgate/backend/instance"
	"mockgate/backend/instance/instancetest"
)

// explorerHarness is a real instance on free loopback ports; calls go
// through the admin API's network listener, token and all.
type explorerHarness struct {
	*instancetest.Harness
	t *testing.T
}

func startExplorer(t *testing.T) *explorerHarness {
	t.Helper()
	return &explorerHarness{instancetest.Start(t), t}
}

// key creates a key for api with scopes.
func (h *explorerHarness) key(api string, scopes ...string) admin.CreatedKey {
	h.t.Helper()
	return h.Key(admin.CreateKeyRequest{API: api, Name: "explorer test", Scopes: scopes})
}

func (h *explorerHarness) send(req admin.ExplorerRequest) (int, admin.ExplorerResponse, string) {
	h.t.Helper()
	var raw json.RawMessage
	code := h.Admin("POST", "/explorer/send", req, &raw)
	var res admin.ExplorerResponse
	if code == http.StatusOK {
		if err := json.Unmarshal(raw, &res); err != nil {
			h.t.Fatal(err)
		}
	}
	return code, res, string(raw)
}

func TestExplorerSendCallsTheMockAndIsLogged(t *testing.T) {
	h := startExplorer(t)
	k := h.key("journeybee", "read")

	code, res, raw := h.send(admin.ExplorerRequest{
		API: "journeybee", Method: "GET", Path: "/v1/users", Query: "page=2&pageSize=3",
		Headers: map[string]string{"Authorization": "Bearer " + k.Key},
	})
	if code != http.StatusOK || res.Status != http.StatusOK {
		t.Fatalf("send: admin %d, mock %d: %s", code, res.Status, raw)
	}
	var page struct {
		Data     []map[string]any `json:"data"`
		Page     int              `json:"page"`
		PageSize int              `json:"pageSize"`
	}
	if err := json.Unmarshal([]byte(res.Body), &page); err != nil || len(page.Data) != 3 || page.Page != 2 {
		t.Fatalf("body: %v %+v", err, page)
	}
	if res.StatusText != "OK" || res.TimeMs <= 0 || !strings.HasSuffix(res.URL, "/v1/users?page=2&pageSize=3") {
		t.Errorf("answer: %+v", res)
	}
	if got := res.Headers["X-Ratelimit-Limit"]; len(got) != 1 || got[0] != "100" {
		t.Errorf("rate-limit header: %v (headers %v)", got, res.Headers)
	}

	// The proxied call is a real request: the log has it, with the key's
	// name and the credential masked.
	var list struct {
		Requests []admin.RequestSummary `json:"requests"`
	}
	h.Admin("GET", "/requests?api=journeybee", nil, &list)
	if len(list.Requests) != 1 {
		t.Fatalf("request log: %+v", list.Requests)
	}
	got := list.Requests[0]
	if got.Path != "/v1/users" || got.Status != 200 || got.KeyName != "explorer test" || got.KeyID != k.ID {
		t.Errorf("logged: %+v", got)
	}
	var entry struct {
		RequestHeaders map[string][]string `json:"requestHeaders"`
	}
	h.Admin("GET", "/requests/"+strconv.FormatUint(got.ID, 10), nil, &entry)
	auth := strings.Join(entry.RequestHeaders["Authorization"], "")
	if auth == "" || strings.Contains(auth, k.Key) {
		t.Errorf("logged Authorization %q: want it present and masked", auth)
	}

	// A body reaches the mock; the mock's errors come back as they are.
	code, res, raw = h.send(admin.ExplorerRequest{
		API: "journeybee", Method: "post", Path: "/v1/leads", Body: `{"name":"x"}`,
		Headers: map[string]string{"Authorization": "Bearer " + k.Key, "Content-Type": "application/json"},
	})
	if code != http.StatusOK || res.Status != http.StatusForbidden || !strings.Contains(res.Body, `"error"`) {
		t.Errorf("POST with a read key: admin %d, mock %d %s (%s)", code, res.Status, res.Body, raw)
	}
}

func TestExplorerSendTenantHost(t *testing.T) {
	h := startExplorer(t)
	k := h.key("juleb") // account demo, every scope

	for _, tc := range []struct {
		tenant string
		status int
		host   string
	}{
		{"", 200, "127.0.0.1:"},
		{"demo", 200, "demo.localhost:"},
		{"acme", 403, "acme.localhost:"},
		{"nowhere", 404, "nowhere.localhost:"},
	} {
		code, res, raw := h.send(admin.ExplorerRequest{
			API: "juleb", Method: "GET", Path: "/api/v1/inventory/product", Query: "limit=1", Tenant: tc.tenant,
			Headers: map[string]string{"Authorization": "Bearer " + k.Key},
		})
		if code != http.StatusOK || res.Status != tc.status || !strings.HasPrefix(res.URL, "http://"+tc.host) {
			t.Errorf("tenant %q: admin %d, mock %d, url %s: %s", tc.tenant, code, res.Status, res.URL, raw)
		}
	}
}

func TestExplorerSendRefuses(t *testing.T) {
	h := startExplorer(t)
	for _, tc := range []struct {
		name string
		req  any
		code int
	}{
		{"unknown API", admin.ExplorerRequest{API: "nope", Path: "/"}, 400},
		{"absolute URL", admin.ExplorerRequest{API: "journeybee", Path: "http://example.com/v1/users"}, 400},
		{"scheme-relative", admin.ExplorerRequest{API: "journeybee", Path: "//example.com/v1/users"}, 400},
		{"no leading slash", admin.ExplorerRequest{API: "journeybee", Path: "v1/users"}, 400},
		{"query in path", admin.ExplorerRequest{API: "journeybee", Path: "/v1/users?page=1"}, 400},
		{"control in path", admin.ExplorerRequest{API: "journeybee", Path: "/v1/users\r\nX: y"}, 400},
		{"method", admin.ExplorerRequest{API: "journeybee", Method: "CONNECT", Path: "/v1/users"}, 400},
		{"Host header", admin.ExplorerRequest{API: "journeybee", Path: "/v1/users", Headers: map[string]string{"host": "example.com"}}, 400},
		{"bad header name", admin.ExplorerRequest{API: "journeybee", Path: "/v1/users", Headers: map[string]string{"a b": "c"}}, 400},
		{"header value newline", admin.ExplorerRequest{API: "journeybee", Path: "/v1/users", Headers: map[string]string{"X-A": "b\r\nHost: evil"}}, 400},
		{"tenant on a path-tenant API", admin.ExplorerRequest{API: "jelou", Path: "/", Tenant: "1001"}, 400},
		{"tenant not a label", admin.ExplorerRequest{API: "juleb", Path: "/", Tenant: "evil.com:80/x"}, 400},
		{"unknown field", map[string]any{"api": "journeybee", "path": "/v1/users", "url": "http://example.com"}, 400},
	} {
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if code := h.Admin("POST", "/explorer/send", tc.req, &e); code != tc.code || e.Error.Message == "" {
			t.Errorf("%s: %d %+v, want %d with a message", tc.name, code, e, tc.code)
		}
	}

	// Without the admin token the proxy is closed like every admin route.
	req := httptest.NewRequest("POST", "http://127.0.0.1"+admin.Prefix+"/explorer/send", strings.NewReader(`{"api":"journeybee","path":"/v1/users"}`))
	rec := httptest.NewRecorder()
	h.Instance().Admin.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("no token: %d", rec.Code)
	}
}

// TestExplorerSendBoundsTheAnswer points an API at a server that answers
// more than MaxExplorerResponse bytes: the proxy keeps the first
// MaxExplorerResponse and says it cut the body.
func TestExplorerSendBoundsTheAnswer(t *testing.T) {
	svc, err := instance.Open(instance.Config{DataDir: t.TempDir(), APIs: []string{"journeybee"}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })

	big := bytes.Repeat([]byte("x"), admin.MaxExplorerResponse+4096)
	var gotPath, gotHost string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotPath, gotHost = r.URL.RequestURI(), r.Host
		w.Write(big)
	}))
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	api := *svc.APIs[0]
	api.Bind = "127.0.0.1"
	api.Port, _ = strconv.Atoi(port)
	s := admin.New(admin.Deps{APIs: []*admin.API{&api}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})

	body, _ := json.Marshal(admin.ExplorerRequest{API: "journeybee", Path: "/v1/a%2Fb", Query: "q=1"})
	rec := httptest.NewRecorder()
	s.TrustedHandler().ServeHTTP(rec, httptest.NewRequest("POST", admin.Prefix+"/explorer/send", bytes.NewReader(body)))
	var res admin.ExplorerResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || rec.Code != 200 {
		t.Fatalf("%d %v", rec.Code, err)
	}
	if len(res.Body) != admin.MaxExplorerResponse || !res.BodyTruncated {
		t.Errorf("body %d bytes, truncated %v", len(res.Body), res.BodyTruncated)
	}
	if gotPath != "/v1/a%2Fb?q=1" || gotHost != "127.0.0.1:"+port {
		t.Errorf("the API saw %s on host %s", gotPath, gotHost)
	}
}
