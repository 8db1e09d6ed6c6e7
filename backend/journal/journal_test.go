package journal

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"mockgate/backend/clock"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// memPersister is a Persister in memory that records its calls.
type memPersister struct {
	mu          sync.Mutex
	stored      []Entry
	appendCalls [][]Entry
	trimCalls   []int
	failAppend  error
	failLoad    error
}

func (m *memPersister) AppendEntries(es []Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.appendCalls = append(m.appendCalls, append([]Entry(nil), es...))
	if m.failAppend != nil {
		return m.failAppend
	}
	m.stored = append(m.stored, es...)
	return nil
}

func (m *memPersister) LoadEntries(max int) ([]Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failLoad != nil {
		return nil, m.failLoad
	}
	s := m.stored
	if len(s) > max {
		s = s[len(s)-max:]
	}
	return append([]Entry(nil), s...), nil
}

func (m *memPersister) TrimEntries(keep int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.trimCalls = append(m.trimCalls, keep)
	if len(m.stored) > keep {
		m.stored = append([]Entry(nil), m.stored[len(m.stored)-keep:]...)
	}
	return nil
}

func (m *memPersister) snapshot() (stored []Entry, appends [][]Entry, trims []int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Entry(nil), m.stored...), append([][]Entry(nil), m.appendCalls...), append([]int(nil), m.trimCalls...)
}

func ids(es []Entry) []uint64 {
	out := make([]uint64, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func equalIDs(a []uint64, b ...uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRingWrap(t *testing.T) {
	j := New(3, nil, clock.NewFake(t0))
	for i := 1; i <= 5; i++ {
		if id := j.Add(Entry{Summary: Summary{Path: fmt.Sprint("/", i)}}); id != uint64(i) {
			t.Fatalf("Add #%d returned ID %d", i, id)
		}
	}
	got := j.Query(Filter{})
	if !equalIDs(ids(got), 5, 4, 3) || got[0].Path != "/5" || got[2].Path != "/3" {
		t.Fatalf("Query = %v; want 5 4 3", ids(got))
	}
	if j.Len() != 3 {
		t.Errorf("Len = %d, want 3", j.Len())
	}
	if _, ok := j.Get(2); ok {
		t.Error("Get(2) found an entry that left the ring")
	}
	if e, ok := j.Get(4); !ok || e.Path != "/4" {
		t.Errorf("Get(4) = %+v, %v", e, ok)
	}
	if _, ok := j.Get(6); ok {
		t.Error("Get(6) found a future entry")
	}
	if got[0].Time != t0 {
		t.Errorf("Time = %v; want the clock's time when unset", got[0].Time)
	}
	if s := j.Stats(); s.LastID != 5 || s.Len != 3 || s.PersistDrops != 0 {
		t.Errorf("Stats = %+v (no persister: no persist drops)", s)
	}
}

func TestQueryFilters(t *testing.T) {
	j := New(100, nil, clock.NewFake(t0))
	add := []Entry{
		{Summary: Summary{API: "eudr", Status: 200, KeyID: "k1"}},
		{Summary: Summary{API: "eudr", Status: 401}},
		{Summary: Summary{API: "juleb", Status: 403, KeyID: "k2"}},
		{Summary: Summary{API: "juleb", Status: 200, KeyID: "k2"}},
		{Summary: Summary{API: "eudr", Status: 429, KeyID: "k1"}},
		{Summary: Summary{API: "jelou", Status: 500}},
		{Summary: Summary{API: "eudr", Status: 201, KeyID: "k1"}},
	}
	for _, e := range add {
		j.Add(e)
	}
	tests := []struct {
		name string
		f    Filter
		want []uint64
	}{
		{"all", Filter{}, []uint64{7, 6, 5, 4, 3, 2, 1}},
		{"api", Filter{API: "eudr"}, []uint64{7, 5, 2, 1}},
		{"status", Filter{Status: 200}, []uint64{4, 1}},
		{"2xx", Filter{StatusClass: 2}, []uint64{7, 4, 1}},
		{"4xx", Filter{StatusClass: 4}, []uint64{5, 3, 2}},
		{"5xx", Filter{StatusClass: 5}, []uint64{6}},
		{"key", Filter{KeyID: "k2"}, []uint64{4, 3}},
		{"api+class+key", Filter{API: "eudr", StatusClass: 4, KeyID: "k1"}, []uint64{5}},
		{"none", Filter{API: "nope"}, []uint64{}},
		{"limit", Filter{Limit: 2}, []uint64{7, 6}},
		{"before", Filter{Before: 5}, []uint64{4, 3, 2, 1}},
		{"before+filter+limit", Filter{API: "eudr", Before: 7, Limit: 2}, []uint64{5, 2}},
		{"before oldest", Filter{Before: 1}, []uint64{}},
		{"before future", Filter{Before: 100, Limit: 1}, []uint64{7}},
	}
	for _, tt := range tests {
		got := j.Query(tt.f)
		if got == nil || !equalIDs(ids(got), tt.want...) {
			t.Errorf("%s: Query(%+v) = %v, want %v", tt.name, tt.f, ids(got), tt.want)
		}
	}
}

func TestBeforePaging(t *testing.T) {
	j := New(50, nil, clock.NewFake(t0))
	for range 80 { // 1..30 left the ring
		j.Add(Entry{Summary: Summary{Status: 200}})
	}
	var all []uint64
	var before uint64
	for pages := 0; ; pages++ {
		page := j.Query(Filter{Before: before, Limit: 7})
		if len(page) == 0 {
			if pages != 8 {
				t.Errorf("%d pages, want 8", pages)
			}
			break
		}
		all = append(all, ids(page)...)
		before = page[len(page)-1].ID
	}
	if len(all) != 50 || all[0] != 80 || all[49] != 31 {
		t.Fatalf("paged %d entries from %d to %d; want 80..31", len(all), all[0], all[len(all)-1])
	}
	for i := 1; i < len(all); i++ {
		if all[i] != all[i-1]-1 {
			t.Fatalf("paging skipped or repeated at %d", all[i])
		}
	}
}

func TestQueryLimitBounds(t *testing.T) {
	j := New(1500, nil, clock.NewFake(t0))
	for range 1500 {
		j.Add(Entry{})
	}
	for _, tt := range []struct{ limit, want int }{{0, DefaultLimit}, {-3, DefaultLimit}, {5, 5}, {1000, 1000}, {5000, MaxLimit}} {
		if got := len(j.Query(Filter{Limit: tt.limit})); got != tt.want {
			t.Errorf("Limit %d: %d entries, want %d", tt.limit, got, tt.want)
		}
	}
}

func TestSubscribe(t *testing.T) {
	j := New(10, nil, clock.NewFake(t0))
	ch, cancel := j.Subscribe(4)
	id := j.Add(Entry{Summary: Summary{Path: "/v1/users"}})
	select {
	case e := <-ch:
		if e.ID != id || e.Path != "/v1/users" {
			t.Errorf("received %+v", e)
		}
	case <-time.After(time.Second):
		t.Fatal("subscriber received nothing within a second")
	}
	cancel()
	cancel() // idempotent
	if _, open := <-ch; open {
		t.Error("channel still open after cancel")
	}
	j.Add(Entry{}) // must not send on the closed channel
}

func TestSlowSubscriberDoesNotBlock(t *testing.T) {
	j := New(10, nil, clock.NewFake(t0))
	_, cancel := j.Subscribe(1) // never read
	defer cancel()
	fast, cancelFast := j.Subscribe(200)
	defer cancelFast()
	done := make(chan struct{})
	go func() {
		for range 100 {
			j.Add(Entry{})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Add blocked on a slow subscriber")
	}
	if s := j.Stats(); s.SubscriberDrops != 99 {
		t.Errorf("SubscriberDrops = %d, want 99", s.SubscriberDrops)
	}
	if len(fast) != 100 {
		t.Errorf("the fast subscriber got %d entries, want 100", len(fast))
	}
}

func TestFlushBatching(t *testing.T) {
	p := &memPersister{}
	j := New(100, p, clock.NewFake(t0))
	if err := j.Flush(); err != nil {
		t.Fatal(err)
	}
	if _, appends, _ := p.snapshot(); len(appends) != 0 {
		t.Fatal("Flush of an empty journal called AppendEntries")
	}
	for i := range 50 {
		j.Add(Entry{Summary: Summary{Status: 200 + i}})
	}
	if err := j.Flush(); err != nil {
		t.Fatal(err)
	}
	stored, appends, trims := p.snapshot()
	if len(appends) != 1 || len(appends[0]) != 50 || appends[0][0].ID != 1 || appends[0][49].ID != 50 {
		t.Fatalf("AppendEntries calls: %d (first batch %d entries); want one batch of 50, oldest first", len(appends), len(appends[0]))
	}
	if len(trims) != 1 || trims[0] != 100 || len(stored) != 50 {
		t.Errorf("trims %v, stored %d", trims, len(stored))
	}
	j.Add(Entry{})
	j.Flush()
	j.Flush()
	if _, appends, _ := p.snapshot(); len(appends) != 2 || len(appends[1]) != 1 || appends[1][0].ID != 51 {
		t.Errorf("second batch = %v; want only entry 51", ids(appends[len(appends)-1]))
	}
}

func TestPersistQueueBounded(t *testing.T) {
	p := &memPersister{failAppend: errors.New("disk gone")}
	j := New(10, p, clock.NewFake(t0))
	for range 15 {
		j.Add(Entry{})
	}
	if s := j.Stats(); s.PersistDrops != 5 {
		t.Errorf("PersistDrops = %d after 15 unflushed adds to a ring of 10, want 5", s.PersistDrops)
	}
	if err := j.Flush(); err == nil {
		t.Fatal("Flush hid the persister's error")
	}
	for range 4 { // entries 6..9 of the failed batch leave the ring
		j.Add(Entry{})
	}
	if s := j.Stats(); s.PersistDrops != 9 {
		t.Errorf("PersistDrops = %d, want 9", s.PersistDrops)
	}
	p.mu.Lock()
	p.failAppend = nil
	p.mu.Unlock()
	if err := j.Flush(); err != nil {
		t.Fatal(err)
	}
	_, appends, _ := p.snapshot()
	if last := appends[len(appends)-1]; !equalIDs(ids(last), 10, 11, 12, 13, 14, 15, 16, 17, 18, 19) {
		t.Errorf("retried batch = %v; want 10..19", ids(last))
	}
	if s := j.Stats(); s.PersistDrops != 9 {
		t.Errorf("PersistDrops = %d after the retry, want still 9", s.PersistDrops)
	}
}

func TestReloadContinuesIDs(t *testing.T) {
	p := &memPersister{}
	clk := clock.NewFake(t0)
	j := New(5, p, clk)
	for i := range 8 {
		j.Add(Entry{Summary: Summary{Path: fmt.Sprint("/", i+1)}})
	}
	if err := j.Flush(); err != nil {
		t.Fatal(err)
	}
	j2 := New(5, p, clk)
	if got := ids(j2.Query(Filter{})); !equalIDs(got, 8, 7, 6, 5, 4) {
		t.Fatalf("after reload Query = %v, want 8..4", got)
	}
	if id := j2.Add(Entry{}); id != 9 {
		t.Errorf("first ID after reload = %d, want 9", id)
	}
	j2.Flush()
	if _, appends, _ := p.snapshot(); len(appends) != 2 || !equalIDs(ids(appends[1]), 9) {
		t.Errorf("loaded entries were appended again: %v", appends)
	}
	// A smaller capacity loads only the newest.
	j3 := New(2, p, clk)
	if got := ids(j3.Query(Filter{})); !equalIDs(got, 9, 8) {
		t.Errorf("capacity 2 reload = %v, want 9 8", got)
	}
}

func TestLoadFailure(t *testing.T) {
	p := &memPersister{failLoad: errors.New("corrupt")}
	if _, err := Open(5, p, clock.NewFake(t0)); err == nil {
		t.Fatal("Open hid the load error")
	}
	j := New(5, p, clock.NewFake(t0)) // falls back to memory only
	j.Add(Entry{})
	if err := j.Flush(); err != nil {
		t.Fatal(err)
	}
	if _, appends, _ := p.snapshot(); len(appends) != 0 {
		t.Error("a journal that failed to load wrote to the persister")
	}
}

func TestClear(t *testing.T) {
	p := &memPersister{}
	j := New(10, p, clock.NewFake(t0))
	for range 4 {
		j.Add(Entry{})
	}
	j.Flush()
	j.Add(Entry{}) // 5: never persisted
	j.Clear()
	if j.Len() != 0 || len(j.Query(Filter{})) != 0 {
		t.Fatal("Clear left entries")
	}
	if id := j.Add(Entry{}); id != 6 {
		t.Errorf("ID after Clear = %d, want 6", id)
	}
	if err := j.Flush(); err != nil {
		t.Fatal(err)
	}
	stored, appends, trims := p.snapshot()
	if !equalIDs(ids(stored), 6) || !equalIDs(ids(appends[len(appends)-1]), 6) {
		t.Errorf("persisted after Clear = %v; want only 6", ids(stored))
	}
	if trims[len(trims)-2] != 0 {
		t.Errorf("trims = %v; want a TrimEntries(0) for the Clear", trims)
	}
	if s := j.Stats(); s.PersistDrops != 0 {
		t.Errorf("cleared entries counted as drops: %+v", s)
	}
}

// TestConcurrent exercises every method at once; run it with -race.
func TestConcurrent(t *testing.T) {
	p := &memPersister{}
	j := New(64, p, clock.Real{})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 500 {
				j.Add(Entry{Summary: Summary{API: fmt.Sprint("api", g), Status: 200 + i%3*100}, RequestHeaders: map[string][]string{"A": {"b"}}})
			}
		})
	}
	for range 2 {
		wg.Go(func() {
			ch, cancel := j.Subscribe(8)
			defer cancel()
			for range 50 {
				select {
				case <-ch:
				case <-time.After(10 * time.Millisecond):
				}
			}
		})
	}
	wg.Go(func() {
		for i := range 200 {
			es := j.Query(Filter{StatusClass: 4, Limit: 10})
			for k := 1; k < len(es); k++ {
				if es[k].ID >= es[k-1].ID {
					t.Errorf("Query out of order: %v", ids(es))
					return
				}
			}
			if len(es) > 0 {
				j.Get(es[0].ID)
			}
			if i == 100 {
				j.Clear()
			}
			_ = j.Len()
		}
	})
	wg.Go(func() {
		for range 50 {
			if err := j.Flush(); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
	if s := j.Stats(); s.LastID != 2000 {
		t.Errorf("LastID = %d, want 2000", s.LastID)
	}
}

func TestPersistLimit(t *testing.T) {
	p := &limitPersister{}
	j := New(10, p, clock.NewFake(time.Unix(0, 0)))
	j.SetPersistLimit(3)
	for i := 0; i < 8; i++ {
		j.Add(Entry{Summary: Summary{API: "a"}})
	}
	if err := j.Flush(); err != nil {
		t.Fatal(err)
	}
	if len(p.appended) != 3 || p.appended[0].ID != 6 || p.appended[2].ID != 8 {
		t.Fatalf("appended %v, want the newest 3 (6..8)", ids(p.appended))
	}
	if p.keep != 3 {
		t.Fatalf("trimmed to %d, want 3", p.keep)
	}
	if st := j.Stats(); st.PersistDrops != 5 || st.Len != 8 {
		t.Fatalf("stats %+v: want 5 persist drops and all 8 in memory", st)
	}
}

type limitPersister struct {
	appended []Entry
	keep     int
}

func (p *limitPersister) AppendEntries(es []Entry) error {
	p.appended = append(p.appended, es...)
	return nil
}
func (p *limitPersister) LoadEntries(int) ([]Entry, error) { return nil, nil }
func (p *limitPersister) TrimEntries(n int) error          { p.keep = n; return nil }

func TestRawHeadersMaskedOnTheWayOut(t *testing.T) {
	p := &limitPersister{}
	j := New(10, p, clock.NewFake(time.Unix(0, 0)))
	sub, cancel := j.Subscribe(4)
	defer cancel()
	const key = "jb_live_SECRETSECRETSECRETSECRET1234"
	req := http.Header{"Authorization": {"Bearer " + key}, "X-Custom-Key": {key}, "Accept": {"*/*"}}
	resp := http.Header{"Content-Type": {"application/json"}}
	var e Entry
	e.SetRawHeaders(req, resp, []string{"x-custom-key"})
	id := j.Add(e)
	check := func(where string, e Entry) {
		t.Helper()
		b, _ := json.Marshal(e)
		if strings.Contains(string(b), "SECRETSECRET") {
			t.Fatalf("%s: raw key in %s", where, b)
		}
		if e.RequestHeaders["Accept"][0] != "*/*" || e.ResponseHeaders["Content-Type"][0] != "application/json" {
			t.Fatalf("%s: headers lost: %v %v", where, e.RequestHeaders, e.ResponseHeaders)
		}
	}
	got, _ := j.Get(id)
	check("Get", got)
	check("Query", j.Query(Filter{})[0])
	if err := j.Flush(); err != nil {
		t.Fatal(err)
	}
	check("Flush", p.appended[0])
	live := <-sub
	if live.RequestHeaders != nil || live.ResponseHeaders != nil {
		t.Fatalf("subscriber got headers: %v", live.RequestHeaders)
	}
	if req["Authorization"][0] != "Bearer "+key {
		t.Fatal("the caller's map was modified")
	}
}

// TestClearEmptiesThePersisterAtOnce: the journal owns its saved copy, so a
// restart right after Clear (before any Flush) brings nothing back.
func TestClearEmptiesThePersisterAtOnce(t *testing.T) {
	p := &memPersister{}
	j := New(10, p, clock.NewFake(t0))
	for range 3 {
		j.Add(Entry{})
	}
	if err := j.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := j.Clear(); err != nil {
		t.Fatal(err)
	}
	if stored, _, _ := p.snapshot(); len(stored) != 0 {
		t.Fatalf("persisted after Clear, before any Flush: %v", ids(stored))
	}
	if got := New(10, p, clock.NewFake(t0)).Len(); got != 0 {
		t.Fatalf("a journal reopened after Clear holds %d entries", got)
	}
}
