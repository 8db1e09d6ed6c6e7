package mockapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"mockgate/backend/clock"
	"mockgate/backend/dataset"
	"mockgate/backend/dataset/datasettest"
	"mockgate/backend/journal"
	"mockgate/backend/keys"
	"mockgate/backend/profile"
	"mockgate/backend/ratelimit"
)

// panicky is a backend whose record writes panic, to prove the engine
// answers a panic with the profile's 500.
type panicky struct{ *datasettest.Memory }

func (panicky) CreateRecord(string, func(uint64) ([]byte, error)) (uint64, []byte, error) {
	panic("disk on fire")
}

type fixture struct {
	eng  *Engine
	keys *keys.Service
	log  *journal.Journal
	clk  *clock.Fake
}

// newFixture builds an engine over in-memory backends: the store imports
// this package (its SettingsStore), so these tests cannot import the store;
// the instance tests cover the engine over bbolt.
func newFixture(t testing.TB, api string, wrap func(*datasettest.Memory) dataset.Backend) *fixture {
	t.Helper()
	ps, err := profile.Builtins()
	if err != nil {
		t.Fatal(err)
	}
	var p *profile.Profile
	for _, q := range ps {
		if q.ID == api {
			p = q
		}
	}
	return newFixtureFor(t, p, wrap)
}

// newFixtureFor builds the engine of any validated profile, as newFixture
// does for a built-in.
func newFixtureFor(t testing.TB, p *profile.Profile, wrap func(*datasettest.Memory) dataset.Backend) *fixture {
	t.Helper()
	mem := datasettest.NewMemory()
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	var backend dataset.Backend = mem
	if wrap != nil {
		backend = wrap(mem)
	}
	data, err := dataset.Open(p, backend, clk)
	if err != nil {
		t.Fatal(err)
	}
	ks, err := keys.NewService(fzKeys{}, clk) // fuzz_test.go's in-memory keys.Store
	if err != nil {
		t.Fatal(err)
	}
	jl := journal.New(100, nil, clk)
	eng, err := New(Deps{Profile: p, Keys: ks, Limiter: ratelimit.New(clk, time.Minute), Journal: jl, Data: data, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{eng, ks, jl, clk}
}

func (f *fixture) key(t testing.TB, scopes ...string) string {
	t.Helper()
	p := f.eng.Profile()
	if len(scopes) == 0 {
		scopes = p.ScopeNames()
	}
	tenant := ""
	if p.Tenancy.Kind != profile.TenancyNone {
		tenant = p.Tenancy.Default
	}
	_, raw, err := f.keys.Create(keys.CreateRequest{API: p.ID, Name: "t", Scopes: scopes, Tenant: tenant,
		Format: keys.Format{Prefix: p.KeyFormat.Prefix, Alphabet: p.KeyFormat.Alphabet, Length: p.KeyFormat.Length}})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func (f *fixture) do(method, target, body string, headers ...string) *httptest.ResponseRecorder {
	var req *http.Request
	if body != "" {
		req = httptest.NewRequest(method, target, strings.NewReader(body))
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	f.eng.ServeHTTP(rec, req)
	return rec
}

func TestPanicAnswers500InEnvelope(t *testing.T) {
	f := newFixture(t, "journeybee", func(m *datasettest.Memory) dataset.Backend { return panicky{m} })
	k := f.key(t, "write")
	rec := f.do("POST", "/v1/users", `{"name":"a","email":"a@b.co"}`, "Authorization", "Bearer "+k, "Content-Type", "application/json")
	if rec.Code != 500 || rec.Body.String() != `{"error":"Internal Server Error: an unexpected error occurred"}` {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if strings.Contains(rec.Body.String(), "disk on fire") {
		t.Fatal("panic value leaked to the client")
	}
	// The server goes on answering.
	if rec := f.do("GET", "/v1/users", "", "Authorization", "Bearer "+k); rec.Code != 200 {
		t.Fatalf("after panic: %d", rec.Code)
	}
	es := f.log.Query(journal.Filter{})
	if len(es) != 2 || es[1].Status != 500 || es[1].ErrorKind != profile.KindInternal {
		t.Fatalf("journal %+v", es)
	}
}

func TestFaultInjection(t *testing.T) {
	f := newFixture(t, "eudr", nil)
	k := f.key(t)
	auth := []string{"Authorization", "Bearer " + k}
	if err := f.eng.SetSettings(Settings{ErrorRate: 1}); err != nil {
		t.Fatal(err)
	}
	rec := f.do("GET", "/api/v1/integration/suppliers", "", auth...)
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), `"code":"INTERNAL_ERROR"`) {
		t.Fatalf("error rate 1: %d %s", rec.Code, rec.Body)
	}
	if err := f.eng.SetSettings(Settings{ThrottleRate: 1}); err != nil {
		t.Fatal(err)
	}
	rec = f.do("GET", "/api/v1/integration/suppliers", "", auth...)
	if rec.Code != 429 || rec.Header().Get("Retry-After") != "1" || !strings.Contains(rec.Body.String(), `"code":"RATE_LIMITED"`) {
		t.Fatalf("throttle rate 1: %d %v %s", rec.Code, rec.Header(), rec.Body)
	}
	// A share: about half of 400 requests fail.
	if err := f.eng.SetSettings(Settings{ErrorRate: 0.5}); err != nil {
		t.Fatal(err)
	}
	fails := 0
	for i := 0; i < 400; i++ {
		if f.do("GET", "/api/v1/integration/suppliers", "", auth...).Code == 500 {
			fails++
		}
	}
	if fails < 140 || fails > 260 {
		t.Fatalf("error rate 0.5 failed %d of 400", fails)
	}
	f.clk.Advance(2 * time.Minute) // a new rate-limit window
	if err := f.eng.SetSettings(Settings{LatencyMs: 30}); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	if rec := f.do("GET", "/api/v1/integration/suppliers", "", auth...); rec.Code != 200 {
		t.Fatalf("latency: %d", rec.Code)
	}
	if d := time.Since(t0); d < 30*time.Millisecond {
		t.Fatalf("latency 30 ms took %v", d)
	}
	for _, bad := range []Settings{{ErrorRate: 1.5}, {LatencyMs: -1}, {ErrorRate: 0.6, ThrottleRate: 0.6}, {CORSOrigins: []string{"ftp://x"}}} {
		if err := f.eng.SetSettings(bad); err == nil {
			t.Errorf("settings %+v accepted", bad)
		}
	}
}

func TestCORS(t *testing.T) {
	f := newFixture(t, "journeybee", nil)
	k := f.key(t, "read")
	pre := func() *httptest.ResponseRecorder {
		return f.do("OPTIONS", "/v1/users", "", "Origin", "http://localhost:3000", "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization")
	}
	if rec := f.do("GET", "/v1/users", "", "Origin", "http://localhost:3000", "Authorization", "Bearer "+k); rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("CORS off by default, got %v", rec.Header())
	}
	if rec := pre(); rec.Code != 405 {
		t.Fatalf("preflight with CORS off: %d", rec.Code)
	}
	if err := f.eng.SetSettings(Settings{CORSOrigins: []string{"http://localhost:3000"}}); err != nil {
		t.Fatal(err)
	}
	if rec := pre(); rec.Code != 204 || rec.Header().Get("Access-Control-Allow-Origin") != "http://localhost:3000" {
		t.Fatalf("preflight: %d %v", rec.Code, rec.Header())
	}
	rec := f.do("GET", "/v1/users", "", "Origin", "http://localhost:3000", "Authorization", "Bearer "+k)
	if rec.Code != 200 || rec.Header().Get("Access-Control-Allow-Origin") != "http://localhost:3000" ||
		!strings.Contains(rec.Header().Get("Access-Control-Expose-Headers"), "X-Ratelimit-Remaining") {
		t.Fatalf("actual request: %d %v", rec.Code, rec.Header())
	}
	if rec := f.do("GET", "/v1/users", "", "Origin", "http://evil.example", "Authorization", "Bearer "+k); rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("other origin allowed: %v", rec.Header())
	}
}

func TestSubdomain(t *testing.T) {
	for host, want := range map[string]string{
		"demo.localhost:7701": "demo", "demo.localhost": "demo", "acme.localhost.": "acme",
		"localhost:7701": "", "127.0.0.1:7701": "", "[::1]:7701": "", "demo.juleb.test": "demo",
		"example.com": "", "": "", "DEMO.LOCALHOST": "demo",
	} {
		if got := subdomain(host); got != want {
			t.Errorf("subdomain(%q) = %q, want %q", host, got, want)
		}
	}
}

func TestJournalEntryHasTraceAndMasks(t *testing.T) {
	f := newFixture(t, "juleb", nil)
	k := f.key(t, "inventory")
	f.do("GET", "/api/v1/pos/order?limit=1", "", "Authorization", "Bearer "+k)
	es := f.log.Query(journal.Filter{})
	if len(es) != 1 {
		t.Fatalf("%d entries", len(es))
	}
	e := es[0]
	if e.Status != 403 || e.ErrorKind != profile.KindInsufficientScope || e.ErrorCode != "forbidden" || e.KeyName != "t" {
		t.Fatalf("entry %+v", e)
	}
	trace := strings.Join(e.Trace, "\n")
	for _, want := range []string{"route: GET /api/v1/pos/order → list order", "auth: key active", "scope: needs pos: not granted"} {
		if !strings.Contains(trace, want) {
			t.Errorf("trace lacks %q:\n%s", want, trace)
		}
	}
	h, _ := json.Marshal(e.RequestHeaders)
	if strings.Contains(string(h), k[len(k)-20:]) {
		t.Fatalf("raw key in the logged headers: %s", h)
	}
}
