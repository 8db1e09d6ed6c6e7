package mockapi

import (
	"bufio"
	"net/http"
	"strings"
	"testing"
)

// TestHeadSize: the size the engine counts is the size of the head on the
// wire, for the shapes a client sends (net/http keeps no count itself).
func TestHeadSize(t *testing.T) {
	for _, head := range []string{
		"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n",
		"GET /v1/users?page=2&pageSize=5 HTTP/1.1\r\nHost: 127.0.0.1:7702\r\nAuthorization: Bearer jb_live_x\r\nAccept: */*\r\n\r\n",
		"POST /api/v1/integration/batches HTTP/1.1\r\nHost: demo.localhost\r\nContent-Type: application/json\r\nContent-Length: 0\r\nX-A: 1\r\nX-A: 2\r\n\r\n",
		"GET /x HTTP/1.0\r\nX-Big: " + strings.Repeat("b", 5000) + "\r\n\r\n",
	} {
		r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(head)))
		if err != nil {
			t.Fatal(err)
		}
		if r.ProtoAtLeast(1, 1) {
			r.Header.Del("Host") // as the server does
		}
		want := len(head)
		if !strings.Contains(head, "Host:") {
			want += len("Host: \r\n") // counted though absent: a few bytes over, never under
		}
		if got := headSize(r); got != want {
			t.Errorf("headSize = %d, want %d for %.60q", got, want, head)
		}
	}
}
