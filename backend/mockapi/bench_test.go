package mockapi

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// discard is a minimal ResponseWriter, so the benchmark measures the engine
// rather than httptest's recorder.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// BenchmarkAuthenticatedPage is the hot path of the shared benchmark: an
// authenticated page of 20 journeybee users (authenticate, rate limit,
// render the page, log the request), without the network.
func BenchmarkAuthenticatedPage(b *testing.B) {
	f := newFixture(b, "journeybee", nil)
	k := f.key(b, "read")
	req := httptest.NewRequest("GET", "/v1/users?page=3&pageSize=20", nil)
	req.Header.Set("Authorization", "Bearer "+k)
	f.eng.limiter = nil // the benchmark's key has no limit, as the peer bench's
	serveParallel(b, f.eng, req)
}

// BenchmarkRejectedKey is the cost of refusing an unknown key.
func BenchmarkRejectedKey(b *testing.B) {
	f := newFixture(b, "journeybee", nil)
	req := httptest.NewRequest("GET", "/v1/users", nil)
	req.Header.Set("Authorization", "Bearer jb_live_0000000000000000000000000000000000000000")
	serveParallel(b, f.eng, req)
}

// serveParallel is the benchmarks' loop: req served by eng on every
// benchmark goroutine, into a writer that keeps nothing.
func serveParallel(b *testing.B, eng *Engine, req *http.Request) {
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		w := &discard{h: http.Header{}}
		for pb.Next() {
			clear(w.h)
			eng.ServeHTTP(w, req)
		}
	})
}
