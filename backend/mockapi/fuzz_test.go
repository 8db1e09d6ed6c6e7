package mockapi

import (
	"bufio"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
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

// The fuzz targets run whole requests through an Engine built over
// in-memory backends (no bbolt: millions of executions must stay fast).

// fzKeys is an in-memory keys.Store.
type fzKeys struct{}

func (fzKeys) SaveKey(keys.Key) error            { return nil }
func (fzKeys) DeleteKey(string) error            { return nil }
func (fzKeys) LoadKeys() ([]keys.Key, error)     { return nil, nil }
func (fzKeys) SaveUsage(u []keys.Usage) error    { return nil }
func (fzIntegrations) Active(api, n string) bool { return n != "off" }

type fzIntegrations struct{}

// fzAPI is one engine with a key that may do everything, without a rate
// limit, and a revoked one.
type fzAPI struct {
	eng          *Engine
	key, revoked string
	host         string
	list         string // path of a list endpoint
	errKeys      []string
	statuses     map[int]bool // every status the profile may answer
}

var fzAPIs = sync.OnceValues(func() ([]*fzAPI, error) {
	ps, err := profile.Builtins()
	if err != nil {
		return nil, err
	}
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	ks, err := keys.NewService(fzKeys{}, clk)
	if err != nil {
		return nil, err
	}
	var out []*fzAPI
	for _, p := range ps {
		data, err := dataset.Open(p, datasettest.NewMemory(), clk)
		if err != nil {
			return nil, err
		}
		eng, err := New(Deps{Profile: p, Keys: ks, Limiter: ratelimit.New(clk, time.Minute),
			Journal: journal.New(50, nil, clk), Data: data, Integrations: fzIntegrations{}, Clock: clk})
		if err != nil {
			return nil, err
		}
		a := &fzAPI{eng: eng, host: "localhost", statuses: map[int]bool{200: true, 201: true, 204: true}}
		if p.Tenancy.Kind == profile.TenancySubdomain {
			a.host = p.Tenancy.Default + ".localhost"
		}
		zero := 0
		req := keys.CreateRequest{API: p.ID, Name: "fuzz", Scopes: p.ScopeNames(), Tenant: p.Tenancy.Default,
			Format: keys.Format{Prefix: p.KeyFormat.Prefix, Alphabet: p.KeyFormat.Alphabet, Length: p.KeyFormat.Length}, RateLimit: &zero}
		if _, a.key, err = ks.Create(req); err != nil {
			return nil, err
		}
		k, raw, err := ks.Create(req)
		if err != nil {
			return nil, err
		}
		if _, err := ks.Revoke(k.ID); err != nil {
			return nil, err
		}
		a.revoked = raw
		for _, ep := range p.Endpoints() {
			if ep.Kind == profile.OpList && a.list == "" {
				a.list = strings.ReplaceAll(ep.Path, "{"+p.Tenancy.Param+"}", p.Tenancy.Default)
			}
		}
		var tmpl map[string]any
		if err := json.Unmarshal(p.Errors.Body, &tmpl); err != nil {
			return nil, err
		}
		a.errKeys = slices.Sorted(maps.Keys(tmpl))
		for _, k := range profile.Kinds {
			if k != profile.KindInternal {
				a.statuses[p.Answer(k).Status] = true
			}
		}
		out = append(out, a)
	}
	return out, nil
})

func fzAPIFor(t *testing.T, i uint8) *fzAPI {
	apis, err := fzAPIs()
	if err != nil {
		t.Fatal(err)
	}
	return apis[int(i)%len(apis)]
}

// authHeader is how the profile wants a key sent.
func (a *fzAPI) authHeader(key string) (string, string) {
	au := a.eng.p.Auth
	if au.Scheme == "" {
		return au.Header, key
	}
	return au.Header, au.Scheme + " " + key
}

// check asserts the answer is one the profile can give, in its envelope.
func (a *fzAPI) check(t *testing.T, req *http.Request, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	what := fmt.Sprintf("%s %s %s", a.eng.p.ID, req.Method, req.URL)
	if !a.statuses[rec.Code] {
		t.Fatalf("%s: status %d is not one the profile answers: %s", what, rec.Code, rec.Body)
	}
	if rec.Code == http.StatusNoContent || req.Method == http.MethodHead {
		return nil
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s: Content-Type %q", what, ct)
	}
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("%s: body is not a JSON object: %v: %.300s", what, err, rec.Body)
	}
	if rec.Code >= 400 {
		if got := slices.Sorted(maps.Keys(m)); !slices.Equal(got, a.errKeys) {
			t.Fatalf("%s: %d body has members %v, the profile's envelope has %v: %s", what, rec.Code, got, a.errKeys, rec.Body)
		}
	}
	switch rec.Code {
	case http.StatusMethodNotAllowed:
		if rec.Header().Get("Allow") == "" {
			t.Fatalf("%s: 405 without Allow", what)
		}
	case http.StatusTooManyRequests:
		if rec.Header().Get("Retry-After") == "" {
			t.Fatalf("%s: 429 without Retry-After", what)
		}
	}
	return m
}

// FuzzPagination sends any query string to a list endpoint with a valid
// key: a page (200, no more items than the profile's maximum) or a 400 in
// the envelope (or, for a key-looking parameter, the key-in-URL 401).
func FuzzPagination(f *testing.F) {
	for _, q := range []string{"", "limit=1", "offset=149", "page=0", "pageSize=51", "page=-1", "page=99999999999999999999",
		"limit=abc", "limit=1&limit=2", "page=2&pageSize=50", "offset=2147483647", "limit=%zz", "limit=1e3", "limit= 5",
		"page=1;pageSize=2", "api_key=x", "limit=+5", "limit=0x10", "offset=-0", "a=b&&&=&limit"} {
		for api := range uint8(4) {
			f.Add(api, q)
		}
	}
	f.Fuzz(func(t *testing.T, api uint8, query string) {
		a := fzAPIFor(t, api)
		req := httptest.NewRequest("GET", "http://"+a.host+"/", nil)
		req.URL.Path, req.URL.RawQuery, req.RequestURI = a.list, query, ""
		req.Header.Set(a.authHeader(a.key))
		rec := httptest.NewRecorder()
		a.eng.ServeHTTP(rec, req)
		m := a.check(t, req, rec)
		pg := a.eng.p.Pagination
		switch rec.Code {
		case http.StatusOK:
			var items []any
			for _, v := range m {
				if arr, ok := v.([]any); ok {
					items = arr
				}
			}
			if len(items) > pg.MaxSize {
				t.Fatalf("?%s: %d items, the maximum page is %d", query, len(items), pg.MaxSize)
			}
		case http.StatusBadRequest:
			if !strings.Contains(rec.Body.String(), pg.SizeParam) && !strings.Contains(rec.Body.String(), pg.PositionParam) {
				t.Fatalf("?%s: 400 that names neither %s nor %s: %s", query, pg.SizeParam, pg.PositionParam, rec.Body)
			}
		case http.StatusUnauthorized:
			if len(a.eng.p.Auth.QueryParams) == 0 {
				t.Fatalf("?%s: 401 with a valid key: %s", query, rec.Body)
			}
		default:
			t.Fatalf("?%s: status %d: %s", query, rec.Code, rec.Body)
		}
	})
}

// FuzzAuthHeader sends any credential header: 200 only for the real key,
// else a 401 or 403 in the profile's envelope.
func FuzzAuthHeader(f *testing.F) {
	for _, v := range []string{"", "Bearer", "Bearer ", "bearer x", "Basic abc", "Bearer  KEY", "KEY", "Bearer KEY", " Bearer KEY ",
		"Bearer REVOKED", "Bearer eudr_live_" + strings.Repeat("a", 48), "Bearer eudr_live_" + strings.Repeat("A", 48),
		"Bearer \x00", "Bearer KEY\x00", "Bearer " + strings.Repeat("k", 5000), "Token KEY", "BEARER KEY"} {
		for api := range uint8(4) {
			f.Add(api, v, false)
			f.Add(api, v, true)
		}
	}
	f.Fuzz(func(t *testing.T, api uint8, value string, twice bool) {
		a := fzAPIFor(t, api)
		name, _ := a.authHeader("")
		value = strings.ReplaceAll(strings.ReplaceAll(value, "REVOKED", a.revoked), "KEY", a.key)
		req := httptest.NewRequest("GET", "http://"+a.host+"/", nil)
		req.URL.Path, req.RequestURI = a.list, ""
		req.Header[http.CanonicalHeaderKey(name)] = []string{value}
		if twice {
			req.Header.Add(name, value)
		}
		rec := httptest.NewRecorder()
		a.eng.ServeHTTP(rec, req)
		a.check(t, req, rec)
		switch rec.Code {
		case http.StatusOK:
			if twice || !credentialIs(value, a.key, a.eng.p.Auth.Scheme) {
				t.Fatalf("%s: 200 for the credential %q (twice %v)", a.eng.p.ID, value, twice)
			}
		case http.StatusUnauthorized, http.StatusForbidden:
		default:
			t.Fatalf("%s: status %d for the credential %q", a.eng.p.ID, rec.Code, value)
		}
	})
}

// FuzzRequest sends any request the HTTP server would hand over (it is
// parsed by net/http first, as on the wire): whatever it is, the answer is
// a status the profile declares, in JSON, in its envelope for errors;
// never a 500, never a panic.
func FuzzRequest(f *testing.F) {
	seeds := []struct {
		method, target, ctype, body string
	}{
		{"GET", "/v1/users?page=2", "", ""},
		{"POST", "/v1/users", "application/json", `{"name":"a","email":"a@b.co"}`},
		{"PATCH", "/v1/users/1", "application/json", `{"role":"admin"}`},
		{"PUT", "/v1/users/1", "application/json", `{"name":"n","email":"n@b.co"}`},
		{"DELETE", "/v1/users/2", "", ""},
		{"HEAD", "/v1/users", "", ""},
		{"OPTIONS", "/v1/users", "", ""},
		{"GET", "/v1/users/../../etc/passwd", "", ""},
		{"GET", "/v1//users", "", ""},
		{"GET", "/api/v1/inventory/product?limit=1&api_key=x", "", ""},
		{"POST", "/api/v1/inventory/product", "application/json", `{"name":"p","sku":"s","price":1}`},
		{"POST", "/jelouapi/v1/company/1001/messages", "application/json; charset=utf-8", `{"botId":"b","userId":"u","type":"text"}`},
		{"GET", "/jelouapi/v1/company/9999/messages", "", ""},
		{"GET", "/api/v1/integration/batches/bat_1/dds", "", ""},
		{"POST", "/api/v1/integration/webhooks", "application/vnd.api+json", `{"url":"http://x.y","events":"*"}`},
		{"GET", "/openapi.json", "", ""},
		{"POST", "/v1/users", "text/plain", `{}`},
		{"POST", "/v1/users", "application/json", `[` + strings.Repeat(`[`, 3000)},
		{"GET", "/%2e%2e/%2e%2e/etc/passwd", "", ""},
	}
	for i, s := range seeds {
		f.Add(uint8(i), s.method, s.target, "localhost", s.ctype, []byte(s.body), true)
	}
	f.Fuzz(func(t *testing.T, api uint8, method, target, host, ctype string, body []byte, auth bool) {
		a := fzAPIFor(t, api)
		if host == "localhost" {
			host = a.host
		}
		var raw strings.Builder
		fmt.Fprintf(&raw, "%s %s HTTP/1.1\r\nHost: %s\r\n", method, target, host)
		if ctype != "" {
			fmt.Fprintf(&raw, "Content-Type: %s\r\n", ctype)
		}
		if auth {
			n, v := a.authHeader(a.key)
			fmt.Fprintf(&raw, "%s: %s\r\n", n, v)
		}
		fmt.Fprintf(&raw, "Content-Length: %d\r\n\r\n%s", len(body), body)
		req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw.String())))
		if err != nil {
			return // net/http answers this itself, before any handler
		}
		if !validMethod(req.Method) {
			return // the server answers 400 itself
		}
		req.RemoteAddr = "127.0.0.1:1"
		rec := httptest.NewRecorder()
		a.eng.ServeHTTP(rec, req)
		a.check(t, req, rec)
	})
}

// credentialIs says whether the header value carries key the way the
// profile reads it: trimmed, the scheme in any case, spaces after it.
func credentialIs(value, key, scheme string) bool {
	v := strings.TrimSpace(value)
	if scheme == "" {
		return v == key
	}
	return len(v) > len(scheme) && strings.EqualFold(v[:len(scheme)], scheme) && v[len(scheme)] == ' ' &&
		strings.TrimLeft(v[len(scheme)+1:], " ") == key
}
