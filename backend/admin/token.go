package admin

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

var errUnauthorized = &Error{Status: http.StatusUnauthorized, Code: "unauthorized",
	Message: "missing or wrong admin token (see admin.token in the data folder)"}

// requireToken asks every admin API route for the token (a Bearer header,
// or the web UI's session cookie), except the open paths (openPaths: health,
// the proof of holding the token (proof.go), the admin API's own document,
// and the session exchange, which checks it itself). The web UI's static
// files hold no secret and need none.
func requireToken(token string, open map[string]bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p := r.URL.Path
			if strings.HasPrefix(p, Prefix+"/") && !open[p] && !hasToken(r, token) {
				writeError(w, r, nil, errUnauthorized)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// hasToken reports whether r carries the admin token.
func hasToken(r *http.Request, token string) bool {
	tok := ""
	if h := r.Header.Get("Authorization"); len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
		tok = strings.Trim(h[7:], " \t") // only the blanks HTTP allows around a value
	} else if c, err := r.Cookie(CookieName); err == nil {
		tok = c.Value
	}
	return tok != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(token)) == 1
}
