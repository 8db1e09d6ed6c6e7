// Package conformancetest holds what tests of the conformance pack share:
// a server that gets the profile wrong on purpose, for the pack to catch.
// Like instancetest, it is a normal package imported only by tests.
package conformancetest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"mockgate/backend/conformance"
)

// WrongFailures are the cases WrongServer fails, each with a part of the
// difference the pack must report.
var WrongFailures = map[string]string{
	"revoked-key":   "status: expected 401 (revoked_key), got 200",
	"rate-limit":    "Retry-After: expected an integer from 1 to 60, got none",
	"unknown-route": "body: expected the error envelope",
}

// WrongServer claims to implement journeybee in front of a real one at
// upstream (its origin) and gets three things wrong: it answers 200 to the
// key revoked, it never sends Retry-After, and it answers an unknown route
// with Go's plain-text 404. Everything else is passed through. It stops
// when the test ends.
func WrongServer(t testing.TB, upstream, revoked string) *httptest.Server {
	t.Helper()
	u, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	proxy.ModifyResponse = func(res *http.Response) error {
		res.Header.Del("Retry-After")
		return nil
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Header.Get("Authorization") == "Bearer "+revoked:
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"data":[],"page":1,"pageSize":10,"total":0,"totalPages":0}`)
		case strings.Contains(r.URL.Path, conformance.UnknownRoute):
			http.NotFound(w, r)
		default:
			proxy.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}
