package admin

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRecoverPanics(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	h := recoverPanics(log)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("secret detail of the panic")
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/_admin/api/keys", nil))
	if w.Code != 500 {
		t.Fatalf("status %d, want 500", w.Code)
	}
	expectEnvelope(t, w, "internal")
	if strings.Contains(w.Body.String(), "secret detail") {
		t.Errorf("the panic value reached the client: %s", w.Body)
	}
	if !strings.Contains(logs.String(), "secret detail") || !strings.Contains(logs.String(), "/_admin/api/keys") {
		t.Errorf("the panic is not logged with its path: %q", logs.String())
	}

	// http.ErrAbortHandler is how a handler aborts on purpose: it passes.
	abort := recoverPanics(log)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) }))
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler to pass through", v)
		}
	}()
	abort.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
}
