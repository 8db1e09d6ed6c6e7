package instance_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"mockgate/backend/admin"
	"mockgate/backend/instance"
	"mockgate/backend/instance/instancetest"
)

// TestAdminStaysOnLoopback binds the mock APIs to every interface: the
// admin API must still listen on 127.0.0.1 only. Checked three ways: the
// URL it reports, the kernel's socket table, and a connection to another
// loopback address (127.0.0.2), which reaches the APIs but not the admin.
func TestAdminStaysOnLoopback(t *testing.T) {
	in, err := instance.Start(instance.Config{DataDir: t.TempDir(), Bind: "0.0.0.0"})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Shutdown(context.Background())
	u, err := url.Parse(in.AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	if u.Hostname() != "127.0.0.1" {
		t.Fatalf("admin API at %s, want 127.0.0.1", in.AdminURL())
	}
	adminPort, _ := strconv.Atoi(u.Port())
	if socks, err := listeningSockets(); err == nil {
		if got := socks[adminPort]; got != "127.0.0.1" {
			t.Errorf("the kernel has the admin port %d bound to %q, want 127.0.0.1", adminPort, got)
		}
		for _, a := range in.APIs {
			if got := socks[a.Port]; got != "0.0.0.0" && got != "::" {
				t.Errorf("%s API port %d bound to %q, want every interface", a.Engine.Profile().ID, a.Port, got)
			}
		}
	} else {
		t.Logf("no /proc/net/tcp (%v): socket table not checked", err)
	}
	d := net.Dialer{Timeout: 2 * time.Second}
	if c, err := d.Dial("tcp", net.JoinHostPort("127.0.0.2", u.Port())); err == nil {
		c.Close()
		t.Errorf("the admin API answers on 127.0.0.2:%s", u.Port())
	}
	jb := in.APIs[1]
	c, err := d.Dial("tcp", net.JoinHostPort("127.0.0.2", strconv.Itoa(jb.Port)))
	if err != nil {
		t.Fatalf("the journeybee API (bound to 0.0.0.0) does not answer on 127.0.0.2: %v", err)
	}
	c.Close()
}

// listeningSockets reads the listening TCP sockets from /proc/net/tcp and
// tcp6: port → local address.
func listeningSockets() (map[int]string, error) {
	out := map[int]string{}
	for _, file := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(string(data), "\n")[1:] {
			f := strings.Fields(line)
			if len(f) < 4 || f[3] != "0A" { // 0A: LISTEN
				continue
			}
			addr, port, ok := strings.Cut(f[1], ":")
			p, err := strconv.ParseInt(port, 16, 32)
			b, err2 := hex.DecodeString(addr)
			if !ok || err != nil || err2 != nil || len(b)%4 != 0 {
				continue
			}
			for i := 0; i < len(b); i += 4 { // each 32-bit word is little-endian
				b[i], b[i+1], b[i+2], b[i+3] = b[i+3], b[i+2], b[i+1], b[i]
			}
			out[int(p)] = net.IP(b).String()
		}
	}
	return out, nil
}

// hostileProfile is valid, and everything in it that could look like a
// file name does: tenants "..", resource paths like etc/passwd, seed
// values that are paths. Nothing in the format is a path, so none of it
// may reach the file system.
const hostileProfile = `
id: hostile
name: "../../../etc/passwd"
version: "../1"
basePath: /etc
auth: {header: X-Key}
keyFormat: {prefix: "x_", alphabet: hex, length: 32}
tenancy:
  kind: path
  label: tenant
  pathPrefix: "t/{tenant}"
  param: tenant
  default: "~root"
  tenants: [{id: "..."}, {id: "a..b"}, {id: "~root"}]
pagination:
  style: page
  sizeParam: size
  positionParam: page
  defaultSize: 5
  maxSize: 50
  body: {items: $items, total: $total}
rateLimit: {perMinute: 0, headers: ratelimit}
errors:
  body: {error: $message}
resources:
  - name: passwd
    path: etc/passwd
    seed: {count: 3}
    fields:
      - {name: file, type: string, fake: "../../../../tmp/mockgate-pwned"}
      - {name: home, type: string, fake: "/root/.ssh/id_rsa"}
`

// TestHostileProfileStaysInDataFolder starts an instance with that profile,
// uses it every way the APIs and the admin API allow, and checks that
// nothing was written outside the data folder and that no answer holds a
// file's content.
func TestHostileProfileStaysInDataFolder(t *testing.T) {
	root := t.TempDir()
	data := filepath.Join(root, "data")
	profDir := filepath.Join(root, "profiles")
	if err := os.MkdirAll(profDir, 0o700); err != nil {
		t.Fatal(err)
	}
	prof := filepath.Join(profDir, "hostile.yaml")
	if err := os.WriteFile(prof, []byte(hostileProfile), 0o600); err != nil {
		t.Fatal(err)
	}
	before := tree(t, root)
	in, err := instance.Start(instance.Config{DataDir: data, APIs: []string{"journeybee"}, ProfileFiles: []string{prof}})
	if err != nil {
		t.Fatal(err)
	}
	var api *admin.API
	for _, a := range in.APIs {
		if a.Engine.Profile().ID == "hostile" {
			api = a
		}
	}
	if api == nil {
		t.Fatal("the hostile API did not start")
	}
	hc := &http.Client{Timeout: 10 * time.Second}
	adminAPI := instancetest.AdminClient{URL: in.AdminURL(), Token: in.Token, HTTP: hc}
	adminDo := func(method, path, body string) (int, string) {
		st, b, err := adminAPI.Send(method, path, "application/json", []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		return st, string(b)
	}
	var answers strings.Builder
	// ("." and ".." are refused as tenants by validation; these are the
	// dottiest names a profile can still use.)
	for _, tenant := range []string{"...", "a..b", "~root"} {
		st, body := adminDo("POST", "/keys", fmt.Sprintf(`{"api":"hostile","name":"../../x","tenant":%q}`, tenant))
		if st != 201 {
			t.Fatalf("key for tenant %q: %d %s", tenant, st, body)
		}
		key := body[strings.Index(body, `"key":"`)+7:]
		key = key[:strings.IndexByte(key, '"')]
		for _, p := range []string{
			"/etc/t/" + url.PathEscape(tenant) + "/etc/passwd",
			"/etc/t/%2e%2e/etc/passwd", "/etc/t/../etc/passwd", "/etc/t/~root/etc/passwd/1",
			"/etc/t/~root/etc/passwd?page=../../etc/shadow", "/../../../../etc/passwd", "/openapi.json",
		} {
			for _, method := range []string{"GET", "POST", "DELETE"} {
				req, _ := http.NewRequest(method, api.Origin()+"/", strings.NewReader(`{"file":"../../../tmp/mockgate-pwned2","home":"/etc/shadow"}`))
				req.URL.Opaque = strings.SplitN(p, "?", 2)[0]
				if q := strings.SplitN(p, "?", 2); len(q) == 2 {
					req.URL.RawQuery = q[1]
				}
				req.Header.Set("X-Key", key)
				req.Header.Set("Content-Type", "application/json")
				res, err := hc.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				answers.Write(b)
				if res.StatusCode >= 500 {
					t.Errorf("%s %s: %d %s", method, p, res.StatusCode, b)
				}
			}
		}
	}
	for _, call := range [][2]string{
		{"GET", "/apis/hostile/openapi.json"}, {"POST", "/apis/hostile/reset"}, {"GET", "/apis/..%2f..%2fetc/openapi.json"},
		{"POST", "/apis/hostile/seed"}, {"GET", "/requests?api=../../etc/passwd"}, {"GET", "/keys/..%2f..%2fetc%2fpasswd"},
	} {
		_, body := adminDo(call[0], call[1], `{"resource":"passwd","tenant":"..","count":10}`)
		answers.WriteString(body)
	}
	if err := in.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{"root:x:0:0", "BEGIN OPENSSH", "PRIVATE KEY"} {
		if strings.Contains(answers.String(), leak) {
			t.Errorf("an answer holds a file's content (%q)", leak)
		}
	}
	after := tree(t, root)
	for path := range after {
		if !strings.HasPrefix(path, "data"+string(filepath.Separator)) && path != "data" && !slices.Contains(keys(before), path) {
			t.Errorf("a file appeared outside the data folder: %s", path)
		}
	}
	for path, st := range before {
		if after[path] != st {
			t.Errorf("%s changed outside the data folder", path)
		}
	}
	for _, f := range []string{"/tmp/mockgate-pwned", "/tmp/mockgate-pwned2"} {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("%s exists", f)
		}
	}
	var inData []string
	for path := range after {
		if rel, ok := strings.CutPrefix(path, "data"+string(filepath.Separator)); ok {
			inData = append(inData, rel)
		}
	}
	slices.Sort(inData)
	if !slices.Equal(inData, []string{instance.TokenFile, "mockgate.db"}) {
		t.Errorf("the data folder holds %v, want only the token and the store", inData)
	}
}

// tree maps every path under root (relative) to its size and mtime.
func tree(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == root {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		out[rel] = fmt.Sprint(fi.Size(), fi.ModTime().UnixNano(), fi.Mode())
		if d.IsDir() {
			out[rel] = "dir"
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
