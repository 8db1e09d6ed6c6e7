package instance_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"mockgate/backend/admin"
	"mockgate/backend/clock"
	"mockgate/backend/instance"
)

// harness is a real mockgate on loopback ports with a fake clock.
type harness struct {
	t     *testing.T
	dir   string
	clk   *clock.Fake
	in    *instance.Instance
	logs  *syncBuffer
	hc    *http.Client
	ports map[string]int
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func start(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, dir: t.TempDir(), clk: clock.NewFake(epoch), logs: &syncBuffer{}, hc: &http.Client{Timeout: 10 * time.Second}}
	h.startOn(h.dir)
	t.Cleanup(h.stop)
	return h
}

func (h *harness) startOn(dir string) {
	h.t.Helper()
	in, err := instance.Start(instance.Config{
		DataDir: dir, PortBase: 0, Clock: h.clk, FlushEvery: 20 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		h.t.Fatalf("start: %v", err)
	}
	h.in = in
	h.ports = map[string]int{}
	for _, a := range in.APIs {
		h.ports[a.Engine.Profile().ID] = a.Port
	}
}

func (h *harness) stop() {
	if h.in != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := h.in.Shutdown(ctx); err != nil {
			h.t.Errorf("shutdown: %v", err)
		}
		h.in = nil
	}
}

// restart stops the instance and starts a new one on the same data folder.
func (h *harness) restart() {
	h.t.Helper()
	h.stop()
	h.startOn(h.dir)
}

// resp is a received answer.
type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, r.body)
	}
	return m
}

// call sends a request to an API. host overrides the Host header (juleb's
// account subdomain); headers are name, value pairs.
func (h *harness) call(api, method, path, host string, body []byte, headers ...string) resp {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	u := "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(h.ports[api])) + path
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	if host != "" {
		req.Host = strings.ReplaceAll(host, "PORT", strconv.Itoa(h.ports[api]))
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	res, err := h.hc.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return resp{res.StatusCode, res.Header, data}
}

// admin calls the admin API with the token.
func (h *harness) admin(method, path string, body any, out any) int {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, h.in.AdminURL()+admin.Prefix+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+h.in.Token)
	req.Header.Set("Content-Type", "application/json")
	res, err := h.hc.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			h.t.Fatalf("%s %s: %v: %s", method, path, err, data)
		}
	}
	return res.StatusCode
}

// key creates a key through the admin API and returns it.
func (h *harness) key(req admin.CreateKeyRequest) admin.CreatedKey {
	h.t.Helper()
	var k admin.CreatedKey
	if st := h.admin("POST", "/keys", req, &k); st != http.StatusCreated {
		h.t.Fatalf("create key %+v: status %d", req, st)
	}
	if k.Key == "" {
		h.t.Fatalf("create key: no raw key in the answer")
	}
	return k
}

// expect checks status and a JSON path's value ("error.code").
func expect(t *testing.T, r resp, status int, checks ...string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	for i := 0; i+1 < len(checks); i += 2 {
		got := lookup(r.json(t), checks[i])
		if !strings.Contains(got, checks[i+1]) {
			t.Errorf("%s = %q, want it to contain %q (body %s)", checks[i], got, checks[i+1], r.body)
		}
	}
}

// lookup reads a dotted path of a JSON object as a string.
func lookup(m map[string]any, path string) string {
	var cur any = m
	for _, part := range strings.Split(path, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			return "<missing>"
		}
		cur, ok = obj[part]
		if !ok {
			return "<missing>"
		}
	}
	switch v := cur.(type) {
	case string:
		return v
	case nil:
		return "null"
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

func bearer(k string) []string { return []string{"Authorization", "Bearer " + k} }

func itoa(n int) string { return strconv.Itoa(n) }

func appendJSON(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // the engine writes < > & as they are
	enc.Encode(s)
	return bytes.TrimSpace(b.Bytes())
}
