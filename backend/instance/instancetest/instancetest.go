// Package instancetest starts a whole mockgate (instance.Start) for tests:
// free loopback ports, a data folder under t.TempDir(), a fake clock, the
// log in a buffer, and a stop at cleanup; with the admin JSON client and
// calls to the mock APIs that those tests share. Like bbolt's btesting, it
// is a normal package imported only by tests.
package instancetest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"mockgate/backend/admin"
	"mockgate/backend/clock"
	"mockgate/backend/instance"
)

// Epoch is where a Harness's clock starts.
var Epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// Option changes the configuration a Harness starts with. The Harness sets
// the data folder, free ports (PortBase 0) and a quick flush first, so an
// option may change those; it sets the clock and the logger last, since it
// hands them to the test.
type Option func(*instance.Config)

// APIs limits the built-in APIs started.
func APIs(ids ...string) Option {
	return func(c *instance.Config) { c.APIs = ids }
}

// ProfileFiles adds user profiles after the built-ins.
func ProfileFiles(paths ...string) Option {
	return func(c *instance.Config) { c.ProfileFiles = paths }
}

// Harness is a running mockgate on loopback ports, and the test that owns it.
type Harness struct {
	// Dir is the data folder, kept across Restart.
	Dir string
	// Clock is the instance's clock, starting at Epoch: tests move it
	// instead of sleeping.
	Clock *clock.Fake
	// Logs holds the instance's log at debug level, across restarts.
	Logs *LogBuffer

	t   testing.TB
	cfg instance.Config
	hc  *http.Client
	in  *instance.Instance

	mu    sync.Mutex
	ports map[string]int // by API id, from the running instance
}

// Start starts an instance with every built-in API (unless an option says
// otherwise) and stops it when the test ends.
func Start(t testing.TB, opts ...Option) *Harness {
	t.Helper()
	h := &Harness{t: t, Clock: clock.NewFake(Epoch), Logs: &LogBuffer{}, hc: &http.Client{Timeout: 10 * time.Second}}
	h.cfg = instance.Config{DataDir: t.TempDir(), PortBase: 0, FlushEvery: 20 * time.Millisecond}
	for _, o := range opts {
		o(&h.cfg)
	}
	h.cfg.Clock = h.Clock
	h.cfg.Logger = slog.New(slog.NewTextHandler(h.Logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h.Dir = h.cfg.DataDir
	h.start()
	t.Cleanup(h.Stop)
	return h
}

func (h *Harness) start() {
	h.t.Helper()
	in, err := instance.Start(h.cfg)
	if err != nil {
		h.t.Fatalf("start: %v", err)
	}
	h.in = in
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ports = map[string]int{}
	for _, a := range in.APIs {
		h.ports[a.Engine.Profile().ID] = a.Port
	}
}

// Stop shuts the instance down: it flushes usage counters and the request
// log and closes the store. Stopping twice does nothing.
func (h *Harness) Stop() {
	if h.in == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.in.Shutdown(ctx); err != nil {
		h.t.Errorf("shutdown: %v", err)
	}
	h.in = nil
}

// Restart stops the instance and starts a new one on the same data folder
// with the same configuration, on new ports.
func (h *Harness) Restart() {
	h.t.Helper()
	h.Stop()
	h.start()
}

// Instance is the running instance (nil after Stop); Restart replaces it.
func (h *Harness) Instance() *instance.Instance { return h.in }

// Port is the port an API listens on: one the instance started with, or
// one given to SetPort.
func (h *Harness) Port(api string) int {
	h.t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	p, ok := h.ports[api]
	if !ok {
		h.t.Fatalf("no port known for API %q (one imported since the start needs SetPort)", api)
	}
	return p
}

// SetPort says where an API listens that was imported through the admin
// API since the instance started; Restart finds it again by itself.
func (h *Harness) SetPort(api string, port int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ports[api] = port
}

// AdminClient is a client of the running instance's admin API, with its
// token.
func (h *Harness) AdminClient() AdminClient {
	h.t.Helper()
	if h.in == nil {
		h.t.Fatal("the instance is stopped")
	}
	return AdminClient{URL: h.in.AdminURL(), Token: h.in.Token, HTTP: h.hc}
}

// Admin calls the admin API with the token (see AdminClient.Do) and
// returns the status; a request that fails or an answer out cannot hold
// fails the test.
func (h *Harness) Admin(method, path string, body, out any) int {
	h.t.Helper()
	status, err := h.AdminClient().Do(method, path, body, out)
	if err != nil {
		h.t.Fatal(err)
	}
	return status
}

// AdminSend sends a body that is not JSON to the admin API with the token
// (see AdminClient.Send) and returns the status and the answer; a request
// that fails fails the test.
func (h *Harness) AdminSend(method, path, contentType string, body []byte) (int, []byte) {
	h.t.Helper()
	status, answer, err := h.AdminClient().Send(method, path, contentType, body)
	if err != nil {
		h.t.Fatal(err)
	}
	return status, answer
}

// Key creates a key through the admin API and returns it with its raw key.
func (h *Harness) Key(req admin.CreateKeyRequest) admin.CreatedKey {
	h.t.Helper()
	var k admin.CreatedKey
	if st := h.Admin("POST", "/keys", req, &k); st != http.StatusCreated {
		h.t.Fatalf("create key %+v: status %d", req, st)
	}
	if k.Key == "" {
		h.t.Fatalf("create key: no raw key in the answer")
	}
	return k
}

// Response is a mock API's answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body as a JSON object, failing the test if it is not one.
func (r Response) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, r.Body)
	}
	return m
}

// Call sends a request to an API. host overrides the Host header (a
// tenant's subdomain), with "PORT" standing for the API's port; headers
// are name, value pairs.
func (h *Harness) Call(api, method, path, host string, body []byte, headers ...string) Response {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	return h.Do(h.Request(api, method, path, host, rd, headers...))
}

// Request builds a request to an API, as Call sends it, for a test that
// must shape it further (a path kept exactly as written, a body of
// unknown length).
func (h *Harness) Request(api, method, path, host string, body io.Reader, headers ...string) *http.Request {
	h.t.Helper()
	port := strconv.Itoa(h.Port(api))
	req, err := http.NewRequest(method, "http://"+net.JoinHostPort("127.0.0.1", port)+path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	if host != "" {
		req.Host = strings.ReplaceAll(host, "PORT", port)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	return req
}

// Do sends a request and reads the whole answer; a request that fails
// fails the test.
func (h *Harness) Do(req *http.Request) Response {
	h.t.Helper()
	res, err := h.hc.Do(req)
	if err != nil {
		h.t.Fatalf("%s %.80s: %v", req.Method, req.URL.RequestURI(), err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return Response{res.StatusCode, res.Header, data}
}

// LogBuffer is a bytes.Buffer that goroutines may write at once: an
// instance's log, a child process's output.
type LogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns everything written so far.
func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Run runs a mockgate binary as a user does (no display, so never the
// window) and returns its output and exit code; a binary that cannot be
// started fails the test.
func Run(t testing.TB, bin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "DISPLAY=", "WAYLAND_DISPLAY=")
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}
