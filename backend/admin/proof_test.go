package admin

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestProof(t *testing.T) {
	ta := newTestAdmin(t)
	other := New(Deps{Token: "tok"}) // same token, another start
	if n := ta.srv.Nonce(); len(n) < 16 || n == other.Nonce() {
		t.Fatalf("nonces %q and %q: want a fresh random one per start", n, other.Nonce())
	}
	challenge := strings.Repeat("0123456789abcdef", 4)
	ask := func(srv *Server, query string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/_admin/api/proof"+query, nil)
		r.Host = "127.0.0.1:7700" // and no token: the route needs none
		w := httptest.NewRecorder()
		srv.Handler().ServeHTTP(w, r)
		return w
	}
	w := ask(ta.srv, "?challenge="+challenge)
	var got struct{ Proof string }
	if err := json.Unmarshal(w.Body.Bytes(), &got); w.Code != 200 || err != nil {
		t.Fatalf("proof: %d %v %s", w.Code, err, w.Body)
	}
	if want := Proof("tok", ta.srv.Nonce(), challenge); got.Proof != want {
		t.Errorf("proof %q, want %q", got.Proof, want)
	}
	if strings.Contains(w.Body.String(), "tok") || strings.Contains(w.Body.String(), ta.srv.Nonce()) {
		t.Errorf("the answer reveals the token or the nonce: %s", w.Body)
	}
	// The proof depends on every input: a listener that knows one token
	// cannot answer for another, nor a restart for the start before it.
	for name, p := range map[string]string{
		"another token":     Proof("tok2", ta.srv.Nonce(), challenge),
		"another start":     Proof("tok", other.Nonce(), challenge),
		"another challenge": Proof("tok", ta.srv.Nonce(), challenge[1:]+"0"),
	} {
		if p == got.Proof {
			t.Errorf("%s gives the same proof", name)
		}
	}
	for _, q := range []string{"", "?challenge=", "?challenge=abc", "?challenge=" + strings.Repeat("g", 64),
		"?challenge=" + strings.Repeat("A", 64), "?challenge=" + strings.Repeat("a", 130)} {
		if w := ask(ta.srv, q); w.Code != 400 {
			t.Errorf("%q: %d, want 400", q, w.Code)
		} else {
			expectEnvelope(t, w, "bad_request")
		}
	}
	// A foreign Host is refused as everywhere (DNS rebinding).
	r := httptest.NewRequest("GET", "/_admin/api/proof?challenge="+challenge, nil)
	r.Host = "evil.example"
	w = httptest.NewRecorder()
	ta.srv.Handler().ServeHTTP(w, r)
	if w.Code != 403 {
		t.Errorf("foreign Host: %d, want 403", w.Code)
	}
}
