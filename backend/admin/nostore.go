package admin

import "net/http"

// noStore keeps browsers and proxies from caching admin answers: they hold
// keys' metadata and the request log.
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}
