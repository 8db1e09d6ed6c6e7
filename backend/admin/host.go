package admin

import (
	"net"
	"net/http"
	"strings"
)

var errForbiddenHost = &Error{Status: http.StatusForbidden, Code: "forbidden_host",
	Message: "the admin API answers only requests addressed to localhost or a loopback address"}

// loopbackOnly refuses requests whose Host is not a loopback name: a page
// on another site cannot reach the admin API through DNS rebinding.
func loopbackOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !loopbackHost(r.Host) {
			writeError(w, r, nil, errForbiddenHost)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// loopbackHost reports whether a Host header names this machine's loopback.
func loopbackHost(host string) bool {
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(h, "[]"))
	return ip != nil && ip.IsLoopback()
}
