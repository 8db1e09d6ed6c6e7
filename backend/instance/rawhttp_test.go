package instance_test

import (
	"bufio"
	"encoding/json"
	"io"
	"maps"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"mockgate/backend/instance/instancetest"
)

// raw sends head (a request as it goes on the wire) to an API over a new
// connection and reads the answer.
func raw(t *testing.T, h *instancetest.Harness, api, head string) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(h.Port(api))))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	go io.WriteString(conn, head) // the server may answer before it has read everything
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%.60q: %v", head, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

// TestHeadOverLimitInEnvelope: a request whose line and headers are over
// 1 MiB, by its query, one header or many, is answered 431 by the API, in
// its own envelope (net/http answered it in plain text before any handler
// ran); one just under the limit goes on as usual.
func TestHeadOverLimitInEnvelope(t *testing.T) {
	h := instancetest.Start(t)
	const mib = 1 << 20
	for _, api := range badAPIs {
		t.Run(api.id, func(t *testing.T) {
			env := envelopeKeys(t, h, api.id)
			host := "localhost"
			if api.host != "" {
				host = api.host
			}
			get := func(query string, headers ...string) string {
				return "GET " + api.list + query + " HTTP/1.1\r\nHost: " + host + "\r\n" + strings.Join(headers, "") + "\r\n"
			}
			var many []string
			for i := range 1050 { // about 1.07 MB: over 1 MiB, under what net/http reads
				many = append(many, "X-Filler-"+strconv.Itoa(i)+": "+strings.Repeat("f", 1000)+"\r\n")
			}
			for name, head := range map[string]string{
				"query":        get("?q=" + strings.Repeat("x", mib)),
				"one header":   get("", "X-Big: "+strings.Repeat("h", mib)+"\r\n"),
				"many headers": get("", many...),
				"just over":    get("?q=" + strings.Repeat("x", mib-len(get("?q="))+1)),
			} {
				res, body := raw(t, h, api.id, head)
				if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
					t.Errorf("%s (%d bytes): status %d, want 431: %.200s", name, len(head), res.StatusCode, body)
					continue
				}
				if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
					t.Errorf("%s: Content-Type %q: %.200s", name, ct, body)
					continue
				}
				var m map[string]any
				if err := json.Unmarshal(body, &m); err != nil {
					t.Errorf("%s: not JSON: %v: %.200s", name, err, body)
				} else if got := slices.Sorted(maps.Keys(m)); !slices.Equal(got, env) {
					t.Errorf("%s: error body members %v, the envelope has %v: %s", name, got, env, body)
				}
				if !strings.Contains(string(body), "1 MiB") {
					t.Errorf("%s: the answer does not name the limit: %s", name, body)
				}
			}
			// At the limit: no key, so the API's 401.
			head := get("?q=" + strings.Repeat("x", mib-len(get("?q="))))
			if res, body := raw(t, h, api.id, head); res.StatusCode != http.StatusUnauthorized {
				t.Errorf("a head of exactly 1 MiB: status %d, want 401: %.200s", res.StatusCode, body)
			}
		})
	}
}

// TestAnsweredByNetHTTP documents the requests net/http refuses itself,
// before any handler runs, so not in an API's envelope (the reasons are in
// docs/RELIABILITY.md): malformed HTTP that no client library sends (and a
// head far over 1 MiB: TestOversizedHeaderBlock). If
// one of them starts reaching the engine, this test says so, and the
// document must change. The server goes on serving after each.
func TestAnsweredByNetHTTP(t *testing.T) {
	h := instancetest.Start(t, instancetest.APIs("journeybee"))
	const line = "GET /v1/users HTTP/1.1\r\nHost: localhost\r\n"
	for _, tc := range []struct {
		name, head string
		status     int
	}{
		{"malformed %-escape in the path", "GET /v1/users/%zz HTTP/1.1\r\nHost: localhost\r\n\r\n", 400},
		{"NUL in the request target", "GET /v1/us\x00ers HTTP/1.1\r\nHost: localhost\r\n\r\n", 400},
		{"space in the request target", "GET /v1/us ers HTTP/1.1\r\nHost: localhost\r\n\r\n", 400},
		{"NUL in a header value", line + "X-A: a\x00b\r\n\r\n", 400},
		{"invalid header name", line + "X A: b\r\n\r\n", 400},
		{"two Host headers", line + "Host: other\r\n\r\n", 400},
		{"malformed Host", "GET /v1/users HTTP/1.1\r\nHost: a b\r\n\r\n", 400},
		{"no Host in HTTP/1.1", "GET /v1/users HTTP/1.1\r\n\r\n", 400},
		{"malformed Content-Length", "POST /v1/users HTTP/1.1\r\nHost: localhost\r\nContent-Length: x\r\n\r\n", 400},
		{"unknown transfer coding", "POST /v1/users HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
		{"unsupported HTTP version", "GET /v1/users HTTP/9.9\r\nHost: localhost\r\n\r\n", 505},
		{"unknown expectation", line + "Expect: teapot\r\n\r\n", 417},
	} {
		res, body := raw(t, h, "journeybee", tc.head)
		ct := res.Header.Get("Content-Type")
		if res.StatusCode != tc.status || strings.HasPrefix(ct, "application/json") {
			t.Errorf("%s: %d %q %.100s, want net/http's own %d: if the engine answers it now, update docs/RELIABILITY.md", tc.name, res.StatusCode, ct, body, tc.status)
		}
		if r := h.Call("journeybee", "GET", "/v1/users", "", nil); r.Status != 401 {
			t.Fatalf("after %s: %d %s", tc.name, r.Status, r.Body)
		}
	}
}
