package admin

import (
	"net/http/httptest"
	"testing"
)

func TestNoStore(t *testing.T) {
	w := httptest.NewRecorder()
	noStore(okHandler).ServeHTTP(w, httptest.NewRequest("GET", "/_admin/api/keys", nil))
	if got := w.Header().Get("Cache-Control"); got != "no-store" {
		t.Fatalf("Cache-Control %q, want no-store", got)
	}
}
