package admin

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRequireToken(t *testing.T) {
	const tok = "s3cret-token"
	h := requireToken(tok, openPaths())(okHandler)
	for _, tc := range []struct {
		name, path, auth, cookie string
		want                     int
	}{
		{"bearer", "/_admin/api/keys", "Bearer " + tok, "", 204},
		{"bearer, any case", "/_admin/api/keys", "bearer " + tok, "", 204},
		{"cookie", "/_admin/api/keys", "", tok, 204},
		{"none", "/_admin/api/keys", "", "", 401},
		{"wrong", "/_admin/api/keys", "Bearer nope", "", 401},
		{"wrong cookie", "/_admin/api/keys", "", "nope", 401},
		{"basic", "/_admin/api/keys", "Basic " + tok, "", 401},
		{"empty bearer", "/_admin/api/keys", "Bearer ", "", 401},
		{"unknown admin route", "/_admin/api/nope", "", "", 401},
		{"health is open", "/_admin/api/health", "", "", 204},
		{"proof is open", "/_admin/api/proof", "", "", 204},
		{"a trailing non-breaking space is part of the token", "/_admin/api/keys", "Bearer " + tok + "\u00a0", "", 401},
		{"tab around the token is allowed", "/_admin/api/keys", "Bearer \t" + tok + "\t", "", 204},
		{"session checks itself", "/_admin/api/session", "", "", 204},
		{"UI files are open", "/index.html", "", "", 204},
		{"the prefix alone is not a route", "/_admin/api", "", "", 204},
	} {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", tc.path, nil)
		if tc.auth != "" {
			r.Header.Set("Authorization", tc.auth)
		}
		if tc.cookie != "" {
			r.AddCookie(&http.Cookie{Name: CookieName, Value: tc.cookie})
		}
		h.ServeHTTP(w, r)
		if w.Code != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, w.Code, tc.want)
		}
		if tc.want == 401 {
			expectEnvelope(t, w, "unauthorized")
		}
	}
}
