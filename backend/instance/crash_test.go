package instance_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"mockgate/backend/store"

	"mockgate/backend/instance"
	"mockgate/backend/instance/instancetest"
)

// The crash test drives the real binary, as a user (or a CI job) runs it.

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

// mockgateBinary builds the mockgate binary once per test run (the first
// test that needs it pays for it); TestMain removes it.
func mockgateBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "mockgate-crash-test")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "mockgate")
		out, err := exec.Command("go", "build", "-o", binPath, "mockgate").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// server is a `mockgate serve` child process.
type server struct {
	cmd    *exec.Cmd
	stderr *instancetest.LogBuffer
	done   chan error
	base   int
}

// serve starts `mockgate serve` on data, on free ports, and waits for its
// banner. A port can be taken between the check and the listen (another
// test, another process's outgoing connection): then it tries other ports.
func serve(t *testing.T, bin, data string) *server {
	t.Helper()
	for attempt := 1; ; attempt++ {
		base, err := instance.FreePortBase(4)
		if err != nil {
			t.Fatal(err)
		}
		s, err := startServe(t, bin, data, base)
		if err == nil {
			return s
		}
		if attempt == 5 || !strings.Contains(s.stderr.String(), "address already in use") {
			t.Fatalf("%v\n%s", err, s.stderr)
		}
	}
}

func startServe(t *testing.T, bin, data string, base int) (*server, error) {
	t.Helper()
	s := &server{stderr: &instancetest.LogBuffer{}, done: make(chan error, 1), base: base}
	s.cmd = exec.Command(bin, "serve", "--data", data, "--port-base", fmt.Sprint(base))
	s.cmd.Env = append(os.Environ(), "DISPLAY=", "WAYLAND_DISPLAY=")
	s.cmd.Stderr = s.stderr
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		signalled := false
		for sc.Scan() {
			if !signalled && strings.HasPrefix(sc.Text(), "Create a key") {
				close(ready)
				signalled = true
			}
		}
		s.done <- s.cmd.Wait()
	}()
	t.Cleanup(func() { s.cmd.Process.Kill() })
	select {
	case <-ready:
		return s, nil
	case err := <-s.done:
		return s, fmt.Errorf("serve exited before it was ready: %v", err)
	case <-time.After(15 * time.Second):
		return s, fmt.Errorf("serve printed no banner in 15 s")
	}
}

// kill9 kills the server with SIGKILL and waits for it.
func (s *server) kill9(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not die")
	}
}

// stop ends the server with SIGTERM (a clean shutdown).
func (s *server) stop(t *testing.T) {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		if err != nil {
			t.Fatalf("serve after SIGTERM: %v\n%s", err, s.stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop on SIGTERM")
	}
}

func (s *server) url(api int, path string) string {
	return fmt.Sprintf("http://127.0.0.1:%d%s", s.base+api, path)
}

type ackedKey struct{ id, raw string }
type ackedRecord struct{ id, email string }

// TestCrashDuringWrites runs `mockgate serve`, creates keys (the CLI,
// through the running instance's admin API) and records (HTTP POST to
// journeybee) as fast as it can, and kills the server with SIGKILL at a
// random moment. After each crash the server starts again on the same
// folder: every key and record that was acknowledged (exit 0 with the key
// as JSON; 201 with the record) must be there and usable. At the end the
// file passes bbolt's consistency check and every stored value is whole
// JSON.
func TestCrashDuringWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	bin := mockgateBinary(t)
	data := t.TempDir()
	hc := &http.Client{Timeout: 5 * time.Second}
	var (
		mu      sync.Mutex
		keys    []ackedKey
		records []ackedRecord
	)
	deadline := time.Now().Add(20 * time.Second) // the whole test stays under 30 s
	const rounds = 3
	srv := serve(t, bin, data)
	for round := range rounds {
		// A writer key for this round, without a rate limit.
		writer := cliKey(t, bin, data, "writer", "--scopes", "write", "--rate-limit", "off")
		keys = append(keys, writer)
		var killed atomic.Bool
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { // keys through the CLI
			defer wg.Done()
			for i := 0; !killed.Load(); i++ {
				cmd := exec.Command(bin, "keys", "create", "--data", data, "--api", "journeybee",
					"--name", fmt.Sprintf("crash-%d-%d", round, i), "--json")
				out, err := cmd.Output()
				if err != nil {
					continue // not acknowledged
				}
				var k struct{ ID, Key string }
				if json.Unmarshal(out, &k) != nil || k.ID == "" || k.Key == "" {
					continue
				}
				mu.Lock()
				keys = append(keys, ackedKey{k.ID, k.Key})
				mu.Unlock()
			}
		}()
		for w := range 2 { // records over HTTP
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; !killed.Load(); i++ {
					email := fmt.Sprintf("r%d-w%d-%d@crash.test", round, w, i)
					body := fmt.Sprintf(`{"name":"crash %d","email":%q}`, i, email)
					req, _ := http.NewRequest("POST", srv.url(2, "/v1/users"), strings.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+writer.raw)
					req.Header.Set("Content-Type", "application/json")
					res, err := hc.Do(req)
					if err != nil {
						continue
					}
					b, err := io.ReadAll(res.Body)
					res.Body.Close()
					if err != nil || res.StatusCode != http.StatusCreated {
						continue
					}
					var rec struct {
						ID    json.Number `json:"id"`
						Email string      `json:"email"`
					}
					if json.Unmarshal(b, &rec) != nil || rec.Email != email {
						t.Errorf("a 201 with a body that is not the record: %s", b)
						continue
					}
					mu.Lock()
					records = append(records, ackedRecord{rec.ID.String(), email})
					mu.Unlock()
				}
			}()
		}
		time.Sleep(time.Duration(300+rand.IntN(900)) * time.Millisecond)
		killed.Store(true)
		srv.kill9(t)
		wg.Wait() // a CLI call in flight may finish on its own, offline: it counts too
		mu.Lock()
		t.Logf("round %d: killed with %d keys and %d records acknowledged so far", round, len(keys), len(records))
		mu.Unlock()
		if len(keys) == 0 || len(records) == 0 {
			t.Fatalf("round %d acknowledged nothing: the test proves nothing", round)
		}

		srv = serve(t, bin, data) // the store opens after the crash
		verify(t, hc, srv, writer.raw, keys, records)
		if time.Now().After(deadline) {
			t.Logf("stopping after %d rounds to stay within the time budget", round+1)
			break
		}
	}
	srv.stop(t)
	checkFile(t, filepath.Join(data, store.FileName))
}

// cliKey creates a key with the CLI and returns it.
func cliKey(t *testing.T, bin, data, name string, args ...string) ackedKey {
	t.Helper()
	out, err := exec.Command(bin, append([]string{"keys", "create", "--data", data, "--api", "journeybee", "--name", name, "--json"}, args...)...).Output()
	if err != nil {
		t.Fatalf("keys create: %v", err)
	}
	var k struct{ ID, Key string }
	if err := json.Unmarshal(out, &k); err != nil {
		t.Fatal(err)
	}
	return ackedKey{k.ID, k.Key}
}

// verify checks every acknowledged key answers (and reads) and every
// acknowledged record is there with its content.
func verify(t *testing.T, hc *http.Client, srv *server, reader string, keys []ackedKey, records []ackedRecord) {
	t.Helper()
	get := func(path, key string) (int, []byte) {
		req, _ := http.NewRequest("GET", srv.url(2, path), nil)
		req.Header.Set("Authorization", "Bearer "+key)
		res, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, b
	}
	lost := 0
	for _, k := range keys {
		if st, b := get("/v1/users?pageSize=1", k.raw); st != http.StatusOK {
			lost++
			if lost <= 5 {
				t.Errorf("acknowledged key %s does not work after the crash: %d %s", k.id, st, b)
			}
		}
	}
	for _, r := range records {
		st, b := get("/v1/users/"+r.id, reader)
		if st != http.StatusOK || !bytes.Contains(b, []byte(r.email)) {
			lost++
			if lost <= 5 {
				t.Errorf("acknowledged record %s (%s) is not there after the crash: %d %s", r.id, r.email, st, b)
			}
		}
	}
	if lost > 0 {
		t.Fatalf("%d of %d acknowledged keys and records lost", lost, len(keys)+len(records))
	}
}

// checkFile opens the store file read-only with bbolt: the consistency
// check passes and every key and record value is whole JSON.
func checkFile(t *testing.T, path string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return fmt.Errorf("consistency: %w", err)
		}
		n := 0
		var walk func(name string, b *bolt.Bucket) error
		walk = func(name string, b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				if v == nil {
					return walk(name+"/"+string(k), b.Bucket(k))
				}
				if (strings.HasPrefix(name, "records/") || name == "keys") && !json.Valid(v) {
					return fmt.Errorf("%s %x: a half-written value: %q", name, k, v)
				}
				n++
				return nil
			})
		}
		for _, b := range []string{"keys", "records"} {
			if err := walk(b, tx.Bucket([]byte(b))); err != nil {
				return err
			}
		}
		t.Logf("store file consistent: %d values checked", n)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
