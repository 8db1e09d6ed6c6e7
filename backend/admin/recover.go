package admin

import (
	"log/slog"
	"net/http"
)

// recoverPanics turns a handler's panic into the admin API's internal
// error (logged with the panic value) instead of a dropped connection.
// http.ErrAbortHandler passes through: it is how a handler aborts on
// purpose.
func recoverPanics(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if v := recover(); v != nil {
					if v == http.ErrAbortHandler {
						panic(v)
					}
					log.Error("admin API panic", "method", r.Method, "path", r.URL.Path, "panic", v)
					writeError(w, r, log, internal(nil))
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}
