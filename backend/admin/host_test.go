package admin

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// okHandler answers 204: a request that got past a middleware.
var okHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })

func TestLoopbackOnly(t *testing.T) {
	h := loopbackOnly(okHandler)
	for _, tc := range []struct {
		host string
		want int
	}{
		{"127.0.0.1:7700", 204},
		{"localhost:7700", 204},
		{"LOCALHOST.", 204},
		{"app.localhost:7700", 204},
		{"[::1]:7700", 204},
		{"127.8.9.10", 204},
		{"evil.example.com", 403},
		{"evil.example.com:7700", 403},
		{"192.168.1.5:7700", 403},
		{"localhost.evil.com", 403},
		{"", 403},
	} {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/_admin/api/keys", nil)
		r.Host = tc.host
		h.ServeHTTP(w, r)
		if w.Code != tc.want {
			t.Errorf("Host %q: %d, want %d", tc.host, w.Code, tc.want)
		}
		if tc.want == 403 {
			expectEnvelope(t, w, "forbidden_host")
		}
	}
}
