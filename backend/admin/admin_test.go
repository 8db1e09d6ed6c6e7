package admin

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"mockgate/backend/clock"
	"mockgate/backend/dataset"
	"mockgate/backend/dataset/datasettest"
	"mockgate/backend/integrations"
	"mockgate/backend/journal"
	"mockgate/backend/keys"
	"mockgate/backend/mockapi"
	"mockgate/backend/profile"
	"mockgate/backend/ratelimit"
)

// These tests build the admin API from fakes of the small interfaces it
// declares, without an instance, a store or a listener.

var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// fakeKeys is an in-memory Keys; failWith makes writes fail.
type fakeKeys struct {
	mu       sync.Mutex
	keys     map[string]keys.Key
	created  []keys.CreateRequest
	failWith error
}

func (f *fakeKeys) List() []keys.Key {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []keys.Key
	for _, k := range f.keys {
		out = append(out, k)
	}
	return out
}

func (f *fakeKeys) Get(id string) (keys.Key, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k, ok := f.keys[id]
	return k, ok
}

func (f *fakeKeys) Create(req keys.CreateRequest) (keys.Key, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failWith != nil {
		return keys.Key{}, "", f.failWith
	}
	f.created = append(f.created, req)
	k := keys.Key{ID: "k" + string(rune('0'+len(f.created))), API: req.API, Name: req.Name, Scopes: req.Scopes, Tenant: req.Tenant, CreatedAt: epoch}
	f.keys[k.ID] = k
	return k, "raw-" + k.ID, nil
}

func (f *fakeKeys) Revoke(id string) (keys.Key, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k, ok := f.keys[id]
	if !ok {
		return keys.Key{}, keys.ErrNotFound
	}
	at := epoch
	k.RevokedAt = &at
	f.keys[id] = k
	return k, nil
}

func (f *fakeKeys) Delete(id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failWith != nil {
		return f.failWith
	}
	if _, ok := f.keys[id]; !ok {
		return keys.ErrNotFound
	}
	delete(f.keys, id)
	return nil
}

func (f *fakeKeys) Subscribe(func()) func() { return func() {} }

type fakeIntegrations struct{ ensured []string }

func (f *fakeIntegrations) List(string) []integrations.Integration { return nil }
func (f *fakeIntegrations) Ensure(api, name string) (integrations.Integration, error) {
	f.ensured = append(f.ensured, api+"/"+name)
	return integrations.Integration{API: api, Name: name, Active: true}, nil
}
func (f *fakeIntegrations) SetActive(api, name string, active bool) (integrations.Integration, error) {
	return integrations.Integration{}, integrations.ErrNotFound
}
func (f *fakeIntegrations) Remove(api, name string) error { return integrations.ErrNotFound }

type fakeJournal struct {
	cleared  int
	clearErr error
}

func (f *fakeJournal) Query(journal.Filter) []journal.Entry { return nil }
func (f *fakeJournal) Get(uint64) (journal.Entry, bool)     { return journal.Entry{}, false }
func (f *fakeJournal) Len() int                             { return 0 }
func (f *fakeJournal) Count(journal.Filter) int             { return 0 }
func (f *fakeJournal) Clear() error                         { f.cleared++; return f.clearErr }
func (f *fakeJournal) Subscribe(int) (<-chan journal.Entry, func()) {
	return make(chan journal.Entry), func() {}
}

type fakeLimiter struct{ forgot []string }

func (f *fakeLimiter) Forget(id string) { f.forgot = append(f.forgot, id) }

// testAdmin is an admin API over fakes and one real engine (journeybee on
// an in-memory dataset, not listening).
type testAdmin struct {
	srv     *Server
	keys    *fakeKeys
	integ   *fakeIntegrations
	journal *fakeJournal
	limiter *fakeLimiter
	logs    *bytes.Buffer
}

func newTestAdmin(t *testing.T) *testAdmin {
	t.Helper()
	ps, err := profile.Builtins()
	if err != nil {
		t.Fatal(err)
	}
	var apis []*API
	clk := clock.NewVirtual(clock.NewFake(epoch))
	for _, p := range ps {
		if p.ID != "journeybee" && p.ID != "eudr" {
			continue
		}
		data, err := dataset.Open(p, datasettest.NewMemory(), clk)
		if err != nil {
			t.Fatal(err)
		}
		eng, err := mockapi.New(mockapi.Deps{Profile: p, Data: data, Clock: clk, Limiter: ratelimit.New(clk, time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		apis = append(apis, &API{Engine: eng, Data: data, Bind: "127.0.0.1"})
	}
	ta := &testAdmin{keys: &fakeKeys{keys: map[string]keys.Key{}}, integ: &fakeIntegrations{},
		journal: &fakeJournal{}, limiter: &fakeLimiter{}, logs: &bytes.Buffer{}}
	ta.srv = New(Deps{
		APIs: apis, Keys: ta.keys, Integrations: ta.integ, Journal: ta.journal, Limiter: ta.limiter,
		Clock: clk, Logger: slog.New(slog.NewTextHandler(ta.logs, nil)), Token: "tok",
	})
	return ta
}

// do calls the network handler with the token.
func (ta *testAdmin) do(method, path, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Host = "127.0.0.1:7700"
	r.Header.Set("Authorization", "Bearer tok")
	w := httptest.NewRecorder()
	ta.srv.Handler().ServeHTTP(w, r)
	return w
}

// expectEnvelope checks w holds the admin API's error envelope with code.
func expectEnvelope(t *testing.T, w *httptest.ResponseRecorder, code string) envelope {
	t.Helper()
	var e envelope
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatalf("not the admin error envelope: %v: %s", err, w.Body)
	}
	if e.Error.Code != code || e.Error.Message == "" {
		t.Fatalf("error %+v, want code %q with a message", e.Error, code)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	return e
}

func TestHandlerErrorsInOneEnvelope(t *testing.T) {
	ta := newTestAdmin(t)
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		code, inMessage          string
	}{
		{"unknown API", "GET", "/_admin/api/apis/nope", "", 404, "not_found", `"nope"`},
		{"unknown route", "GET", "/_admin/api/nope", "", 404, "not_found", "/_admin/api/nope"},
		{"unknown key", "POST", "/_admin/api/keys/k9/revoke", "", 404, "not_found", `"k9"`},
		{"empty body", "POST", "/_admin/api/keys", "", 400, "bad_request", "empty"},
		{"unknown field", "POST", "/_admin/api/keys", `{"api":"journeybee","name":"x","colour":1}`, 400, "bad_request", "colour"},
		{"too large", "POST", "/_admin/api/keys", `{"name":"` + strings.Repeat("x", 1<<20) + `"}`, 413, "too_large", "1 MiB"},
		{"explorer too large", "POST", "/_admin/api/explorer/send", `{"body":"` + strings.Repeat("x", 4<<20) + `"}`, 413, "too_large", "4 MiB"},
		{"bad key request", "POST", "/_admin/api/keys", `{"api":"journeybee","name":"x","scopes":["admin"]}`, 400, "bad_request", "scopes"},
		{"bad stats seconds", "GET", "/_admin/api/stats?seconds=0", "", 400, "bad_request", "seconds"},
		{"bad status filter", "GET", "/_admin/api/requests?status=7xx", "", 400, "bad_request", "status"},
		{"seed beyond the maximum", "POST", "/_admin/api/apis/journeybee/seed", `{"resource":"users","count":2000001}`, 400, "bad_request", "2000000"},
		{"remove a built-in", "DELETE", "/_admin/api/profiles/journeybee", "", 409, "conflict", "not imported"},
		{"import without Profiles", "POST", "/_admin/api/profiles", "id: x", 501, "not_supported", "import"},
		{"integration of an API without", "POST", "/_admin/api/integrations", `{"api":"journeybee","name":"x"}`, 400, "bad_request", "integrations"},
		{"unknown integration", "POST", "/_admin/api/integrations/eudr/nope/activate", "", 404, "not_found", `"nope"`},
		{"explorer to a stopped API", "POST", "/_admin/api/explorer/send", `{"api":"journeybee","path":"/v1/users"}`, 409, "not_running", "not listening"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := ta.do(tc.method, tc.path, tc.body)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.status, w.Body)
			}
			e := expectEnvelope(t, w, tc.code)
			if !strings.Contains(e.Error.Message, tc.inMessage) {
				t.Errorf("message %q does not say %q", e.Error.Message, tc.inMessage)
			}
		})
	}
}

// An internal cause is logged and never sent.
func TestInternalCauseLoggedNotSent(t *testing.T) {
	ta := newTestAdmin(t)
	ta.journal.clearErr = errors.New("disk /secret/path is full")
	w := ta.do("DELETE", "/_admin/api/requests", "")
	if w.Code != 500 {
		t.Fatalf("status %d", w.Code)
	}
	expectEnvelope(t, w, "internal")
	if strings.Contains(w.Body.String(), "/secret/path") {
		t.Errorf("the cause reached the client: %s", w.Body)
	}
	if !strings.Contains(ta.logs.String(), "/secret/path") {
		t.Errorf("the cause is not logged: %q", ta.logs.String())
	}

	ta.keys.failWith = errors.New("bbolt: write failed")
	w = ta.do("POST", "/_admin/api/keys", `{"api":"journeybee","name":"x"}`)
	if w.Code != 500 || strings.Contains(w.Body.String(), "bbolt") {
		t.Fatalf("create with a failing store: %d %s", w.Code, w.Body)
	}
	// A refused key request is the client's mistake, not an internal one.
	ta.keys.failWith = keys.ErrInvalid
	if w = ta.do("POST", "/_admin/api/keys", `{"api":"journeybee","name":"x"}`); w.Code != 400 {
		t.Fatalf("create refused by the key service: %d %s", w.Code, w.Body)
	}
}

func TestKeysThroughFakes(t *testing.T) {
	ta := newTestAdmin(t)
	w := ta.do("POST", "/_admin/api/keys", `{"api":"journeybee","name":" ci "}`)
	if w.Code != 201 {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	var ck CreatedKey
	json.Unmarshal(w.Body.Bytes(), &ck)
	if ck.Key != "raw-k1" || ck.Name != "ci" {
		t.Fatalf("created %+v", ck)
	}
	// The profile's defaults were filled in: journeybee keys default to write.
	if got := ta.keys.created[0]; got.Name != "ci" || len(got.Scopes) != 1 || got.Scopes[0] != "write" {
		t.Errorf("create request %+v", got)
	}
	// eudr keys belong to an integration, created when missing.
	if w = ta.do("POST", "/_admin/api/keys", `{"api":"eudr","name":"e"}`); w.Code != 201 {
		t.Fatalf("eudr create: %d %s", w.Code, w.Body)
	}
	if len(ta.integ.ensured) != 1 || ta.integ.ensured[0] != "eudr/default" {
		t.Errorf("integrations ensured: %v", ta.integ.ensured)
	}
	if w = ta.do("DELETE", "/_admin/api/keys/k1", ""); w.Code != 204 {
		t.Fatalf("delete: %d %s", w.Code, w.Body)
	}
	if len(ta.limiter.forgot) != 1 || ta.limiter.forgot[0] != "k1" {
		t.Errorf("the limiter forgot %v, want [k1]", ta.limiter.forgot)
	}
	if w = ta.do("DELETE", "/_admin/api/keys/k1", ""); w.Code != 404 {
		t.Fatalf("second delete: %d", w.Code)
	}
	if w = ta.do("DELETE", "/_admin/api/requests", ""); w.Code != 204 || ta.journal.cleared != 1 {
		t.Fatalf("clear: %d, cleared %d times", w.Code, ta.journal.cleared)
	}
}

// The middleware order: a foreign Host is refused before the token is
// asked for; the trusted handler asks neither; every answer is no-store.
func TestHandlerMiddlewareOrder(t *testing.T) {
	ta := newTestAdmin(t)
	r := httptest.NewRequest("GET", "/_admin/api/keys", nil)
	r.Host = "evil.example.com"
	w := httptest.NewRecorder()
	ta.srv.Handler().ServeHTTP(w, r)
	if w.Code != 403 {
		t.Fatalf("foreign Host without a token: %d, want 403 (Host first)", w.Code)
	}
	if w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("refusal is cacheable")
	}
	r = httptest.NewRequest("GET", "/_admin/api/keys", nil)
	r.Host = "localhost:7700"
	w = httptest.NewRecorder()
	ta.srv.Handler().ServeHTTP(w, r)
	if w.Code != 401 {
		t.Fatalf("no token: %d", w.Code)
	}
	r = httptest.NewRequest("GET", "/_admin/api/keys", nil)
	r.Host = "evil.example.com"
	w = httptest.NewRecorder()
	ta.srv.TrustedHandler().ServeHTTP(w, r)
	if w.Code != 200 || w.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("trusted handler: %d %q", w.Code, w.Header().Get("Cache-Control"))
	}
}
