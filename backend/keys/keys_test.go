package keys

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"mockgate/backend/clock"
)

// memStore is an in-memory Store that records every call and keeps a JSON
// transcript of everything it receives, so tests can search it for secrets.
type memStore struct {
	mu         sync.Mutex
	keys       map[string]Key
	transcript bytes.Buffer
	usageCalls [][]Usage
	failSave   error
	failUsage  error
	failDelete error
}

func newMemStore() *memStore { return &memStore{keys: map[string]Key{}} }

func (m *memStore) record(op string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	fmt.Fprintf(&m.transcript, "%s %s\n", op, b)
}

func (m *memStore) SaveKey(k Key) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.record("SaveKey", k)
	if m.failSave != nil {
		return m.failSave
	}
	m.keys[k.ID] = k.clone()
	return nil
}

func (m *memStore) DeleteKey(id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.record("DeleteKey", id)
	if m.failDelete != nil {
		return m.failDelete
	}
	delete(m.keys, id)
	return nil
}

func (m *memStore) LoadKeys() ([]Key, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Key, 0, len(m.keys))
	for _, k := range m.keys {
		out = append(out, k.clone())
	}
	return out, nil
}

// SaveUsage follows the Store contract: unknown ids are skipped.
func (m *memStore) SaveUsage(us []Usage) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.record("SaveUsage", us)
	m.usageCalls = append(m.usageCalls, append([]Usage(nil), us...))
	if m.failUsage != nil {
		return m.failUsage
	}
	for _, u := range us {
		k, ok := m.keys[u.ID]
		if !ok {
			continue
		}
		t := u.LastUsedAt
		k.LastUsedAt, k.UseCount = &t, u.UseCount
		m.keys[u.ID] = k
	}
	return nil
}

func (m *memStore) calls() [][]Usage {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([][]Usage(nil), m.usageCalls...)
}

var (
	t0        = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	eudrFmt   = Format{Prefix: "eudr_live_", Alphabet: AlphabetHex, Length: 48}
	jbFmt     = Format{Prefix: "jb_live_", Alphabet: AlphabetBase62, Length: 40}
	noPrefix  = Format{Alphabet: AlphabetBase62, Length: 32}
	allFormat = []Format{eudrFmt, jbFmt, noPrefix}
)

func newTestService(t testing.TB) (*Service, *memStore, *clock.Fake) {
	t.Helper()
	st := newMemStore()
	clk := clock.NewFake(t0)
	s, err := NewService(st, clk)
	if err != nil {
		t.Fatal(err)
	}
	return s, st, clk
}

func mustCreate(t testing.TB, s *Service, req CreateRequest) (Key, string) {
	t.Helper()
	k, raw, err := s.Create(req)
	if err != nil {
		t.Fatalf("Create(%+v): %v", req, err)
	}
	return k, raw
}

func TestGenerate(t *testing.T) {
	for _, f := range allFormat {
		t.Run(f.Prefix+f.Alphabet, func(t *testing.T) {
			seen := map[string]bool{}
			for range 200 {
				raw, err := Generate(f)
				if err != nil {
					t.Fatal(err)
				}
				if len(raw) != len(f.Prefix)+f.Length || !strings.HasPrefix(raw, f.Prefix) || !f.Matches(raw) {
					t.Fatalf("Generate(%+v) = %q: wrong shape", f, raw)
				}
				if seen[raw] {
					t.Fatalf("Generate returned %q twice", raw)
				}
				seen[raw] = true
			}
		})
	}
}

// TestGenerateDistribution checks every character of the alphabet appears
// and none is grossly over- or under-represented (a modulo bias would put
// the first characters of base62 about 25% above the rest).
func TestGenerateDistribution(t *testing.T) {
	for _, f := range []Format{{Alphabet: AlphabetHex, Length: 64}, {Alphabet: AlphabetBase62, Length: 62}} {
		t.Run(f.Alphabet, func(t *testing.T) {
			counts := map[byte]int{}
			const n = 2000
			for range n {
				raw, err := Generate(f)
				if err != nil {
					t.Fatal(err)
				}
				for i := 0; i < len(raw); i++ {
					counts[raw[i]]++
				}
			}
			chars := f.chars()
			mean := float64(n*f.Length) / float64(len(chars))
			for i := 0; i < len(chars); i++ {
				c := counts[chars[i]]
				if c == 0 {
					t.Errorf("character %q never appeared", chars[i])
				}
				if float64(c) < 0.85*mean || float64(c) > 1.15*mean {
					t.Errorf("character %q appeared %d times, expected about %.0f", chars[i], c, mean)
				}
			}
			if len(counts) != len(chars) {
				t.Errorf("%d distinct characters, want %d", len(counts), len(chars))
			}
		})
	}
}

func TestFormatValidate(t *testing.T) {
	tests := []struct {
		f    Format
		want string // substring of the error; "" means valid
	}{
		{eudrFmt, ""},
		{jbFmt, ""},
		{Format{Alphabet: "base64", Length: 32}, "alphabet"},
		{Format{Alphabet: "", Length: 32}, "alphabet"},
		{Format{Alphabet: "HEX", Length: 32}, "alphabet"},
		{Format{Alphabet: AlphabetHex, Length: MinLength - 1}, "length"},
		{Format{Alphabet: AlphabetHex, Length: MaxLength + 1}, "length"},
		{Format{Prefix: "a b_", Alphabet: AlphabetHex, Length: 32}, "prefix"},
		{Format{Prefix: "clé_", Alphabet: AlphabetHex, Length: 32}, "prefix"},
	}
	for _, tt := range tests {
		err := tt.f.Validate()
		if tt.want == "" {
			if err != nil {
				t.Errorf("Validate(%+v) = %v, want nil", tt.f, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrInvalid) {
			t.Errorf("Validate(%+v) = %v, want an ErrInvalid mentioning %q", tt.f, err, tt.want)
		}
		if _, err := Generate(tt.f); err == nil {
			t.Errorf("Generate(%+v) succeeded with an invalid format", tt.f)
		}
	}
}

func TestMatches(t *testing.T) {
	hex48 := strings.Repeat("0123456789abcdef", 3)
	b62 := "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789aBcD"
	tests := []struct {
		f    Format
		raw  string
		want bool
	}{
		{eudrFmt, "eudr_live_" + hex48, true},
		{eudrFmt, "eudr_live_" + strings.ToUpper(hex48), false}, // hex is lower-case
		{eudrFmt, "eudr_live_" + hex48[:47], false},             // short
		{eudrFmt, "eudr_live_" + hex48 + "0", false},            // long
		{eudrFmt, "eudr_test_" + hex48, false},                  // wrong prefix
		{eudrFmt, "EUDR_LIVE_" + hex48, false},                  // prefix is exact
		{eudrFmt, "eudr_live_" + hex48[:47] + "g", false},       // not hex
		{eudrFmt, "eudr_live_" + hex48[:46] + "é", false},       // 2 bytes, right length in bytes
		{eudrFmt, "", false},
		{jbFmt, "jb_live_" + b62, true},
		{jbFmt, "jb_live_" + b62[:39] + "-", false},
		{jbFmt, "jb_live_" + b62[:39] + "_", false},
		{jbFmt, "jb_live_" + b62[:39] + " ", false},
		{jbFmt, "Bearer jb_live_" + b62, false},
		{noPrefix, b62[:32], true},
		{noPrefix, b62[:31], false},
		{Format{Alphabet: "nope", Length: 32}, b62[:32], false},
	}
	for _, tt := range tests {
		if got := tt.f.Matches(tt.raw); got != tt.want {
			t.Errorf("%+v.Matches(%q) = %v, want %v", tt.f, tt.raw, got, tt.want)
		}
	}
}

func TestHash(t *testing.T) {
	got := Hash("abc")
	want := "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	if fmt.Sprintf("%x", got) != want {
		t.Errorf("Hash(abc) = %x, want %s", got, want)
	}
}

func TestStatus(t *testing.T) {
	past, future := t0.Add(-time.Hour), t0.Add(time.Hour)
	tests := []struct {
		name string
		k    Key
		want string
	}{
		{"plain", Key{}, StatusActive},
		{"expires later", Key{ExpiresAt: &future}, StatusActive},
		{"expired", Key{ExpiresAt: &past}, StatusExpired},
		{"expires exactly now", Key{ExpiresAt: &t0}, StatusExpired},
		{"revoked", Key{RevokedAt: &past}, StatusRevoked},
		{"revoked wins over expired", Key{RevokedAt: &future, ExpiresAt: &past}, StatusRevoked},
	}
	for _, tt := range tests {
		if got := tt.k.Status(t0); got != tt.want {
			t.Errorf("%s: Status = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestCreateShape(t *testing.T) {
	s, _, _ := newTestService(t)
	limit := 5
	exp := t0.Add(24 * time.Hour)
	k, raw := mustCreate(t, s, CreateRequest{
		API: "eudr", Name: "  CI pipeline ", Format: eudrFmt, Scopes: []string{"suppliers:read", "suppliers:read", "products:read"},
		Integration: "int_1", ExpiresAt: &exp, RateLimit: &limit,
	})
	if !eudrFmt.Matches(raw) {
		t.Fatalf("raw key %q does not match its format", raw)
	}
	if k.Name != "CI pipeline" || k.API != "eudr" || k.Integration != "int_1" {
		t.Errorf("record = %+v", k)
	}
	if k.Prefix != raw[:len("eudr_live_")+4] || k.Last4 != raw[len(raw)-4:] {
		t.Errorf("Prefix %q / Last4 %q do not come from %q", k.Prefix, k.Last4, raw)
	}
	if want := k.Prefix + "…" + k.Last4; k.Masked() != want {
		t.Errorf("Masked = %q, want %q", k.Masked(), want)
	}
	if h := Hash(raw); k.Hash != fmt.Sprintf("%x", h) {
		t.Errorf("Hash = %s, want %x", k.Hash, h)
	}
	if len(k.ID) != 36 || k.ID[14] != '4' {
		t.Errorf("ID %q is not a v4 UUID", k.ID)
	}
	if strings.Join(k.Scopes, ",") != "suppliers:read,products:read" {
		t.Errorf("Scopes = %v (duplicates should be dropped)", k.Scopes)
	}
	if !k.CreatedAt.Equal(t0) || k.ExpiresAt == nil || !k.ExpiresAt.Equal(exp) || k.RateLimit == nil || *k.RateLimit != 5 {
		t.Errorf("times/limit wrong: %+v", k)
	}
	limit = 9 // the request's pointer must not alias the record
	if got, _ := s.Get(k.ID); *got.RateLimit != 5 {
		t.Errorf("RateLimit aliased the request: %d", *got.RateLimit)
	}
	k2, _ := mustCreate(t, s, CreateRequest{API: "jelou", Name: "n", Format: jbFmt})
	if k2.Scopes == nil {
		t.Errorf("Scopes is nil; want an empty list so JSON shows []")
	}
}

func TestCreateValidation(t *testing.T) {
	s, st, _ := newTestService(t)
	past, neg := t0.Add(-time.Second), -1
	tests := []struct {
		name string
		req  CreateRequest
		want error
	}{
		{"no api", CreateRequest{Name: "n", Format: jbFmt}, ErrAPIRequired},
		{"no name", CreateRequest{API: "a", Name: "  ", Format: jbFmt}, ErrNameRequired},
		{"long name", CreateRequest{API: "a", Name: strings.Repeat("é", MaxNameLength+1), Format: jbFmt}, ErrNameTooLong},
		{"empty scope", CreateRequest{API: "a", Name: "n", Format: jbFmt, Scopes: []string{"read", ""}}, ErrEmptyScope},
		{"expiry past", CreateRequest{API: "a", Name: "n", Format: jbFmt, ExpiresAt: &past}, ErrExpiryNotFuture},
		{"expiry now", CreateRequest{API: "a", Name: "n", Format: jbFmt, ExpiresAt: &t0}, ErrExpiryNotFuture},
		{"negative limit", CreateRequest{API: "a", Name: "n", Format: jbFmt, RateLimit: &neg}, ErrNegativeRateLimit},
		{"bad format", CreateRequest{API: "a", Name: "n", Format: Format{Alphabet: "x", Length: 20}}, ErrInvalid},
	}
	for _, tt := range tests {
		_, raw, err := s.Create(tt.req)
		if !errors.Is(err, tt.want) || !errors.Is(err, ErrInvalid) || raw != "" {
			t.Errorf("%s: err = %v, raw = %q; want %v", tt.name, err, raw, tt.want)
		}
	}
	if len(s.List()) != 0 || len(st.keys) != 0 {
		t.Errorf("invalid requests created keys")
	}
	if strings.ToUpper(ErrNameRequired.Error()[:1]) == ErrNameRequired.Error()[:1] {
		t.Errorf("error strings should start lower-case: %q", ErrNameRequired)
	}
}

func TestLifecycle(t *testing.T) {
	s, st, clk := newTestService(t)
	k, raw := mustCreate(t, s, CreateRequest{API: "journeybee", Name: "dev", Format: jbFmt, Scopes: []string{"read"}})
	h := Hash(raw)

	e, ok := s.Lookup(h)
	if !ok || e.Key.ID != k.ID || e.Key.Status(clk.Now()) != StatusActive || e.Masked() != k.Masked() {
		t.Fatalf("Lookup after create = %+v, %v", e, ok)
	}
	if _, ok := s.Lookup(Hash(raw + "x")); ok {
		t.Fatal("Lookup found a key for a different raw value")
	}
	e.RecordUse(clk.Now())

	clk.Advance(time.Minute)
	rk, err := s.Revoke(k.ID)
	if err != nil || rk.RevokedAt == nil || !rk.RevokedAt.Equal(t0.Add(time.Minute)) || rk.UseCount != 1 {
		t.Fatalf("Revoke = %+v, %v", rk, err)
	}
	if e2, ok := s.Lookup(h); !ok || e2.Key.Status(clk.Now()) != StatusRevoked {
		t.Fatalf("Lookup after revoke = %+v, %v; want a revoked entry", e2, ok)
	}
	if st.keys[k.ID].RevokedAt == nil {
		t.Error("revocation not persisted")
	}
	clk.Advance(time.Minute)
	again, err := s.Revoke(k.ID)
	if err != nil || !again.RevokedAt.Equal(*rk.RevokedAt) {
		t.Errorf("second Revoke = %+v, %v; want the first revocation unchanged", again, err)
	}
	// A request that looked the key up before revocation still counts.
	e.RecordUse(clk.Now())
	if got, _ := s.Get(k.ID); got.UseCount != 2 {
		t.Errorf("UseCount = %d, want 2 (counters shared across revoke)", got.UseCount)
	}

	if err := s.Delete(k.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Lookup(h); ok {
		t.Fatal("Lookup found a deleted key")
	}
	if _, ok := s.Get(k.ID); ok || len(s.List()) != 0 || len(st.keys) != 0 {
		t.Fatal("deleted key still listed or stored")
	}
	if _, err := s.Revoke(k.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Revoke(deleted) = %v, want ErrNotFound", err)
	}
	if err := s.Delete(k.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Delete(deleted) = %v, want ErrNotFound", err)
	}
	if err := s.Delete("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Delete(unknown) = %v, want ErrNotFound", err)
	}
}

func TestExpiry(t *testing.T) {
	s, _, clk := newTestService(t)
	exp := t0.Add(time.Hour)
	_, raw := mustCreate(t, s, CreateRequest{API: "eudr", Name: "temp", Format: eudrFmt, ExpiresAt: &exp})
	e, _ := s.Lookup(Hash(raw))
	steps := []struct {
		advance time.Duration
		want    string
	}{
		{0, StatusActive},
		{time.Hour - time.Nanosecond, StatusActive},
		{time.Nanosecond, StatusExpired},
		{time.Hour, StatusExpired},
	}
	for _, st := range steps {
		clk.Advance(st.advance)
		if got := e.Key.Status(clk.Now()); got != st.want {
			t.Errorf("at %v: Status = %q, want %q", clk.Now().Sub(t0), got, st.want)
		}
	}
}

func TestPersistFailures(t *testing.T) {
	s, st, _ := newTestService(t)
	boom := errors.New("disk full")
	st.failSave = boom
	if _, raw, err := s.Create(CreateRequest{API: "a", Name: "n", Format: jbFmt}); !errors.Is(err, boom) || raw != "" {
		t.Fatalf("Create with a failing store = %q, %v", raw, err)
	}
	if len(s.List()) != 0 {
		t.Fatal("a key that was not persisted was published")
	}
	st.failSave = nil
	k, raw := mustCreate(t, s, CreateRequest{API: "a", Name: "n", Format: jbFmt})
	st.failSave, st.failDelete = boom, boom
	if _, err := s.Revoke(k.ID); !errors.Is(err, boom) {
		t.Fatalf("Revoke = %v, want %v", err, boom)
	}
	if err := s.Delete(k.ID); !errors.Is(err, boom) {
		t.Fatalf("Delete = %v, want %v", err, boom)
	}
	if e, ok := s.Lookup(Hash(raw)); !ok || e.Key.RevokedAt != nil {
		t.Fatal("a failed revoke or delete changed the key in memory")
	}
}

func TestFlushBatching(t *testing.T) {
	s, st, clk := newTestService(t)
	var ids []string
	var entries []*Entry
	for i := range 3 {
		k, raw := mustCreate(t, s, CreateRequest{API: "a", Name: fmt.Sprint("k", i), Format: jbFmt})
		e, _ := s.Lookup(Hash(raw))
		ids, entries = append(ids, k.ID), append(entries, e)
	}
	if err := s.Flush(); err != nil || len(st.calls()) != 0 {
		t.Fatalf("Flush with no use: err %v, %d SaveUsage calls; want none", err, len(st.calls()))
	}
	for i, e := range entries[:2] {
		for range 100 * (i + 1) {
			clk.Advance(time.Second)
			e.RecordUse(clk.Now())
		}
	}
	entries[0].RecordUse(t0) // an older time must not move LastUsedAt back
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	calls := st.calls()
	if len(calls) != 1 || len(calls[0]) != 2 {
		t.Fatalf("SaveUsage calls = %+v; want one batch of 2", calls)
	}
	got := map[string]Usage{}
	for _, u := range calls[0] {
		got[u.ID] = u
	}
	if u := got[ids[0]]; u.UseCount != 101 || !u.LastUsedAt.Equal(t0.Add(100*time.Second)) {
		t.Errorf("usage of key 0 = %+v", u)
	}
	if u := got[ids[1]]; u.UseCount != 200 || !u.LastUsedAt.Equal(t0.Add(300*time.Second)) {
		t.Errorf("usage of key 1 = %+v", u)
	}
	if err := s.Flush(); err != nil || len(st.calls()) != 1 {
		t.Errorf("second Flush without use called SaveUsage")
	}

	// A failed batch is retried whole.
	st.failUsage = errors.New("io error")
	entries[2].RecordUse(clk.Now())
	if err := s.Flush(); err == nil {
		t.Fatal("Flush hid a store error")
	}
	st.failUsage = nil
	entries[1].RecordUse(clk.Now())
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	calls = st.calls()
	if last := calls[len(calls)-1]; len(last) != 2 {
		t.Errorf("retry batch = %+v; want keys 1 and 2", last)
	}

	// Usage survives a restart.
	s2, err := NewService(st, clk)
	if err != nil {
		t.Fatal(err)
	}
	if k, _ := s2.Get(ids[1]); k.UseCount != 201 {
		t.Errorf("after reload UseCount = %d, want 201", k.UseCount)
	}
	if e, ok := s2.Lookup(entries[1].hash); !ok || e.UseCount() != 201 {
		t.Errorf("after reload Lookup = %v, %v", e, ok)
	}
}

func TestDeletedKeyNotFlushed(t *testing.T) {
	s, st, clk := newTestService(t)
	k, raw := mustCreate(t, s, CreateRequest{API: "a", Name: "gone", Format: jbFmt})
	e, _ := s.Lookup(Hash(raw))
	e.RecordUse(clk.Now())
	if err := s.Delete(k.ID); err != nil {
		t.Fatal(err)
	}
	e.RecordUse(clk.Now()) // a request still in flight
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	for _, c := range st.calls() {
		for _, u := range c {
			if u.ID == k.ID {
				t.Fatalf("deleted key %s sent to SaveUsage", k.ID)
			}
		}
	}
	if len(st.keys) != 0 {
		t.Fatal("deleted key came back")
	}
}

func TestRawKeyNeverStored(t *testing.T) {
	s, st, clk := newTestService(t)
	var raws []string
	for i, f := range allFormat {
		exp := t0.Add(time.Hour)
		k, raw := mustCreate(t, s, CreateRequest{API: "a", Name: fmt.Sprint("k", i), Format: f, Scopes: []string{"read"}, ExpiresAt: &exp})
		raws = append(raws, raw)
		e, _ := s.Lookup(Hash(raw))
		e.RecordUse(clk.Now())
		if _, err := s.Revoke(k.ID); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if err := s.Delete(k.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	listed, _ := json.Marshal(s.List())
	for i, raw := range raws {
		secret := raw[len(allFormat[i].Prefix):]
		for where, b := range map[string][]byte{"store": st.transcript.Bytes(), "List": listed} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("raw key %q reached %s", raw, where)
			}
			// Not even its middle: only 4+4 characters are ever displayed.
			if bytes.Contains(b, []byte(secret[4:len(secret)-4])) {
				t.Errorf("the hidden part of %q reached %s", raw, where)
			}
		}
	}
	if st.transcript.Len() == 0 {
		t.Fatal("the store saw nothing; the test is broken")
	}
}

func TestListOrderAndCopies(t *testing.T) {
	s, _, clk := newTestService(t)
	for i := range 3 {
		mustCreate(t, s, CreateRequest{API: "a", Name: fmt.Sprint("k", i), Format: jbFmt, Scopes: []string{"read"}})
		clk.Advance(time.Second)
	}
	l := s.List()
	if len(l) != 3 || l[0].Name != "k2" || l[2].Name != "k0" {
		t.Fatalf("List order = %v %v %v; want newest first", l[0].Name, l[1].Name, l[2].Name)
	}
	l[0].Scopes[0] = "write"
	if again, _ := s.Get(l[0].ID); again.Scopes[0] != "read" {
		t.Error("List returned the service's own Scopes slice")
	}
}

func TestSubscribe(t *testing.T) {
	s, _, _ := newTestService(t)
	var n int
	cancel := s.Subscribe(func() { n++ })
	k, _ := mustCreate(t, s, CreateRequest{API: "a", Name: "n", Format: jbFmt})
	s.Revoke(k.ID)
	s.Revoke(k.ID) // no change, no call
	s.Create(CreateRequest{})
	s.Delete(k.ID)
	if n != 3 {
		t.Errorf("subscriber called %d times, want 3", n)
	}
	cancel()
	mustCreate(t, s, CreateRequest{API: "a", Name: "n", Format: jbFmt})
	if n != 3 {
		t.Errorf("cancelled subscriber still called")
	}
}

func TestNewServiceRejectsCorruptStore(t *testing.T) {
	st := newMemStore()
	st.keys["x"] = Key{ID: "x", Hash: "zz"}
	if _, err := NewService(st, clock.NewFake(t0)); err == nil || !strings.Contains(err.Error(), "malformed hash") {
		t.Errorf("NewService = %v; want a malformed-hash error", err)
	}
}

// TestConcurrent runs lookups and uses against creates, revokes, deletes
// and flushes; run it with -race.
func TestConcurrent(t *testing.T) {
	s, _, clk := newTestService(t)
	var hashes [][32]byte
	for i := range 8 {
		_, raw := mustCreate(t, s, CreateRequest{API: "a", Name: fmt.Sprint("k", i), Format: jbFmt})
		hashes = append(hashes, Hash(raw))
	}
	stop := make(chan struct{})
	var readers, writers sync.WaitGroup
	var uses [4]int64
	for g := range 4 {
		readers.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if e, ok := s.Lookup(hashes[i%len(hashes)]); ok {
					_ = e.Key.Status(clk.Now())
					e.RecordUse(clk.Now())
					uses[g]++
				}
			}
		})
	}
	writers.Go(func() {
		for i := range 200 {
			k, _, err := s.Create(CreateRequest{API: "a", Name: fmt.Sprint("c", i), Format: jbFmt})
			if err != nil {
				t.Error(err)
				return
			}
			if i%2 == 0 {
				_, err = s.Revoke(k.ID)
			} else {
				err = s.Delete(k.ID)
			}
			if err != nil {
				t.Error(err)
			}
			_ = s.List()
		}
	})
	writers.Go(func() {
		for range 50 {
			if err := s.Flush(); err != nil {
				t.Error(err)
			}
		}
	})
	writers.Wait()
	close(stop)
	readers.Wait()
	var total, want int64
	for _, h := range hashes {
		e, _ := s.Lookup(h)
		total += e.UseCount()
	}
	for _, u := range uses {
		want += u
	}
	if total != want {
		t.Errorf("counted %d uses, made %d", total, want)
	}
}
