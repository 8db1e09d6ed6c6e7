// Package journal is the request log of the mock APIs: a bounded ring of
// the latest requests, queried and streamed live by the GUI and persisted
// in batches so it survives a restart.
//
// Add is on every request's path, so it only copies the entry into the
// ring and offers it to subscribers without blocking; persistence happens
// in Flush, off the request path.
package journal

import (
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"mockgate/backend/clock"
)

// Summary is what lists and the live stream show of a request: who called
// what and how it was answered, without headers and bodies.
type Summary struct {
	// ID is assigned by Add: increasing, never reused within a log.
	ID uint64 `json:"id"`
	// Time is when the request arrived, on the mock's (virtual) clock (Add
	// sets it if zero).
	Time time.Time `json:"time"`
	// RealTime is the wall-clock time, set only when the virtual clock
	// differs from it by a second or more.
	RealTime time.Time `json:"realTime,omitzero"`
	// API is the id of the mock API that answered.
	API    string `json:"api"`
	Method string `json:"method"`
	Path   string `json:"path"`
	// Query is the raw query string, secrets masked.
	Query  string `json:"query,omitempty"`
	Status int    `json:"status"`
	// ErrorKind is the engine's error kind ("invalid_key"), if the answer
	// was an error.
	ErrorKind string `json:"errorKind,omitempty"`
	// ErrorCode is the vendor's error code in the body ("TOKEN_REVOKED").
	ErrorCode string `json:"errorCode,omitempty"`
	// KeyID, KeyName and KeyMasked identify the key the request used, if
	// one was found.
	KeyID         string `json:"keyId,omitempty"`
	KeyName       string `json:"keyName,omitempty"`
	KeyMasked     string `json:"keyMasked,omitempty"`
	LatencyMicros int64  `json:"latencyMicros"`
	// Verdict judges the client's behaviour (VerdictRetryTooEarly,
	// VerdictIgnoredAuthFailure, VerdictRepeatedBadRequest), when it earned
	// one.
	Verdict string `json:"verdict,omitempty"`
	// Injected names the rule that made the answer, when it was injected
	// rather than earned: "Prefer: code=429", "fault 3 (503, 1 of 2)".
	Injected string `json:"injected,omitempty"`
}

// The verdicts on a client's behaviour a request can earn.
const (
	// VerdictRetryTooEarly: sent with a key before the Retry-After of that
	// key's previous 429 had passed.
	VerdictRetryTooEarly = "retry_too_early"
	// VerdictIgnoredAuthFailure: the third or later request in a row with a
	// key its API answered revoked, expired or invalid.
	VerdictIgnoredAuthFailure = "ignored_auth_failure"
	// VerdictRepeatedBadRequest: a list request whose page size breaks the
	// documented maximum after a 400 said so.
	VerdictRepeatedBadRequest = "repeated_bad_request"
)

// Verdicts lists every verdict.
var Verdicts = []string{VerdictRetryTooEarly, VerdictIgnoredAuthFailure, VerdictRepeatedBadRequest}

// Entry is one request to a mock API and its answer: its Summary (whose
// fields it carries at the top level in JSON) plus headers, bodies and the
// decision trace. Secrets in it are masked before it leaves the journal
// (see SetRawHeaders, MaskHeaders, MaskQuery): the raw key is never logged.
type Entry struct {
	Summary
	RemoteAddr string `json:"remoteAddr,omitempty"`
	// RequestHeaders and ResponseHeaders are copies with secrets masked.
	RequestHeaders  map[string][]string `json:"requestHeaders,omitempty"`
	RequestBody     string              `json:"requestBody,omitempty"`
	ResponseHeaders map[string][]string `json:"responseHeaders,omitempty"`
	ResponseBody    string              `json:"responseBody,omitempty"`
	// BodyTruncated reports that a body was cut to MaxBody bytes.
	BodyTruncated bool `json:"bodyTruncated,omitempty"`
	// Trace is the decision trace: which rule answered, step by step
	// ("route GET /v1/users → list user", "scope read ok", "rate 5/100").
	Trace []string `json:"trace,omitempty"`

	// raw marks headers set by SetRawHeaders, masked with secrets only
	// when the entry leaves the journal.
	raw     bool
	secrets []string
}

// SetRawHeaders gives the entry the request's and the response's header
// maps as they are, without copying or masking them: the journal masks them
// (MaskHeaders with secret) whenever the entry leaves it, through Query,
// Get or Flush, and Subscribe delivers entries without headers. This keeps
// two map copies off every request. The caller must not modify the maps
// afterwards.
func (e *Entry) SetRawHeaders(req, resp http.Header, secret []string) {
	e.RequestHeaders, e.ResponseHeaders = req, resp
	e.raw, e.secrets = true, secret
}

// masked returns e with its headers masked.
func (e *Entry) masked() Entry {
	out := *e
	if out.raw {
		out.RequestHeaders = MaskHeaders(e.RequestHeaders, e.secrets)
		out.ResponseHeaders = MaskHeaders(e.ResponseHeaders, e.secrets)
		out.raw, out.secrets = false, nil
	}
	return out
}

// Query limits.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// DefaultCapacity is the ring size New uses for a capacity of 0 or less,
// and the size a running mockgate uses: at about 4 KB per entry (headers
// and a page of JSON) the log holds about 4 MB in memory, within the
// process's 50 MB budget under load.
const DefaultCapacity = 1_000

// Filter selects entries in Query. Zero fields match everything.
type Filter struct {
	// API matches Entry.API exactly.
	API string
	// Status matches Entry.Status exactly.
	Status int
	// StatusClass matches a class: 2 for 2xx, 4 for 4xx, 5 for 5xx.
	StatusClass int
	// KeyID matches Entry.KeyID exactly.
	KeyID string
	// Method matches Entry.Method exactly (upper case).
	Method string
	// Path matches Entry.Path exactly, or as a path.Match pattern when it
	// holds *, ? or [ (a * stands for one path segment: /v1/users/*).
	Path string
	// Code matches the vendor's error code (Entry.ErrorCode) exactly.
	Code string
	// Verdict matches Entry.Verdict exactly.
	Verdict string
	// Since and Until bound Entry.Time (the mock's clock): Since <= Time <
	// Until; zero means unbounded.
	Since, Until time.Time
	// Before, if not 0, keeps entries with an ID below it: the ID of the
	// last entry of a page gives the next page.
	Before uint64
	// Limit is the page size: DefaultLimit if 0 or less, at most MaxLimit.
	Limit int
}

func (f *Filter) match(e *Entry) bool {
	return (f.API == "" || e.API == f.API) &&
		(f.Status == 0 || e.Status == f.Status) &&
		(f.StatusClass == 0 || e.Status/100 == f.StatusClass) &&
		(f.KeyID == "" || e.KeyID == f.KeyID) &&
		(f.Method == "" || e.Method == f.Method) &&
		(f.Path == "" || matchPath(f.Path, e.Path)) &&
		(f.Code == "" || e.ErrorCode == f.Code) &&
		(f.Verdict == "" || e.Verdict == f.Verdict) &&
		(f.Since.IsZero() || !e.Time.Before(f.Since)) &&
		(f.Until.IsZero() || e.Time.Before(f.Until))
}

// matchPath is the Path filter: exact, or a path.Match pattern.
func matchPath(pattern, p string) bool {
	if !strings.ContainsAny(pattern, "*?[") {
		return pattern == p
	}
	ok, _ := path.Match(pattern, p)
	return ok
}

// Persister stores the log (implemented over bbolt elsewhere). The journal
// serialises its calls.
type Persister interface {
	// AppendEntries stores es (oldest first, IDs increasing) in one
	// transaction. It must not keep es after returning.
	AppendEntries(es []Entry) error
	// LoadEntries returns the newest max entries, oldest first.
	LoadEntries(max int) ([]Entry, error)
	// TrimEntries deletes all but the newest keepNewest entries.
	TrimEntries(keepNewest int) error
}

// Stats describes the journal's state and what it had to drop.
type Stats struct {
	// Len is the number of entries in memory.
	Len int `json:"len"`
	// LastID is the ID of the latest entry added, 0 if none ever was.
	LastID uint64 `json:"lastId"`
	// SubscriberDrops counts entries not delivered to a subscriber whose
	// buffer was full.
	SubscriberDrops uint64 `json:"subscriberDrops"`
	// PersistDrops counts entries that left the ring before they could be
	// persisted (the persister failing, or more than the capacity added
	// between two flushes; the persisted log keeps only the newest
	// capacity entries anyway).
	PersistDrops uint64 `json:"persistDrops"`
}

// Journal is the bounded request log. It is safe for concurrent use.
type Journal struct {
	clk      clock.Clock
	p        Persister // nil: memory only
	flushMu  sync.Mutex
	mu       sync.Mutex
	buf      []Entry // ring: buf[head] is the oldest of n entries
	head, n  int
	nextID   uint64
	persist  uint64 // entries up to this ID are persisted (or cleared)
	inflight uint64 // last ID of the batch being appended, 0 if none
	trimAll  bool   // Clear happened: the next Flush empties the persisted log
	subs     []*subscriber
	subDrops uint64
	perDrops uint64
	keep     int // the persisted log keeps the newest keep entries
}

type subscriber struct {
	ch chan Entry
}

// New returns a journal keeping the newest capacity entries (DefaultCapacity
// if capacity is 0 or less), persisted through p if p is not nil, and loads
// the persisted tail so IDs continue after it. If loading fails, the error
// is logged with log/slog and the journal runs in memory only, so a bad log
// file never stops the mocks nor gets overwritten with clashing IDs; use
// Open to handle the error instead.
func New(capacity int, p Persister, clk clock.Clock) *Journal {
	j, err := Open(capacity, p, clk)
	if err != nil {
		slog.Error("journal: the request log will not be persisted", "err", err)
		j, _ = Open(capacity, nil, clk)
	}
	return j
}

// Open is New, returning the loading error instead of falling back.
func Open(capacity int, p Persister, clk clock.Clock) (*Journal, error) {
	if capacity <= 0 {
		capacity = DefaultCapacity
	}
	j := &Journal{clk: clk, p: p, buf: make([]Entry, capacity), nextID: 1, keep: capacity}
	if p == nil {
		return j, nil
	}
	loaded, err := p.LoadEntries(capacity)
	if err != nil {
		return nil, fmt.Errorf("loading the request log: %w", err)
	}
	slices.SortFunc(loaded, func(a, b Entry) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	loaded = slices.CompactFunc(loaded, func(a, b Entry) bool { return a.ID == b.ID })
	if len(loaded) > 0 && loaded[0].ID == 0 {
		loaded = loaded[1:] // 0 is not a valid ID
	}
	if len(loaded) > capacity {
		loaded = loaded[len(loaded)-capacity:]
	}
	j.n = copy(j.buf, loaded)
	if j.n > 0 {
		j.persist = loaded[j.n-1].ID
		j.nextID = j.persist + 1
	}
	return j, nil
}

// at returns the i-th entry, oldest first. j.mu must be held.
func (j *Journal) at(i int) *Entry {
	i += j.head
	if i >= len(j.buf) {
		i -= len(j.buf)
	}
	return &j.buf[i]
}

// search returns the position of the first entry with ID >= id. j.mu must
// be held. IDs increase along the ring, so this is a binary search.
func (j *Journal) search(id uint64) int {
	return sort.Search(j.n, func(i int) bool { return j.at(i).ID >= id })
}

// Add logs e and returns the ID it assigned. It overwrites the oldest entry
// when the ring is full, queues e for the next Flush, and offers it to each
// subscriber without ever blocking. The journal keeps e's maps and slices:
// the caller must not modify them afterwards.
func (j *Journal) Add(e Entry) uint64 {
	if e.Time.IsZero() {
		e.Time = j.clk.Now()
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	e.ID = j.nextID
	j.nextID++
	if j.n < len(j.buf) {
		*j.at(j.n) = e
		j.n++
	} else {
		old := &j.buf[j.head]
		if j.p != nil && old.ID > j.persist && old.ID > j.inflight {
			j.perDrops++
		}
		*old = e
		if j.head++; j.head == len(j.buf) {
			j.head = 0
		}
	}
	if len(j.subs) > 0 && e.raw {
		e.RequestHeaders, e.ResponseHeaders, e.raw, e.secrets = nil, nil, false, nil
	}
	for _, s := range j.subs {
		select {
		case s.ch <- e:
		default:
			j.subDrops++
		}
	}
	return e.ID
}

// Count returns how many entries f matches, ignoring its Limit and
// Before (every entry the log still holds).
func (j *Journal) Count(f Filter) int {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := 0
	for i := 0; i < j.n; i++ {
		if f.match(j.at(i)) {
			n++
		}
	}
	return n
}

func (j *Journal) Query(f Filter) []Entry {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	j.mu.Lock()
	defer j.mu.Unlock()
	end := j.n
	if f.Before != 0 {
		end = j.search(f.Before)
	}
	out := make([]Entry, 0, min(limit, end))
	for i := end - 1; i >= 0 && len(out) < limit; i-- {
		if e := j.at(i); f.match(e) {
			out = append(out, e.masked())
		}
	}
	return out
}

// Get returns the entry with this ID, if it is still in the ring.
func (j *Journal) Get(id uint64) (Entry, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if i := j.search(id); i < j.n && j.at(i).ID == id {
		return j.at(i).masked(), true
	}
	return Entry{}, false
}

// Subscribe returns a channel that receives every entry added from now on,
// buffered for buffer entries (64 if buffer is 0 or less). When the buffer
// is full, entries are dropped for this subscriber and counted in
// Stats.SubscriberDrops: a slow reader never slows requests. Received
// entries share their slices with the journal (treat them as read-only) and
// carry no headers when they were added with SetRawHeaders: Get has them,
// masked. The returned
// func unsubscribes and closes the channel; it may be called more than once.
func (j *Journal) Subscribe(buffer int) (<-chan Entry, func()) {
	if buffer <= 0 {
		buffer = 64
	}
	s := &subscriber{ch: make(chan Entry, buffer)}
	j.mu.Lock()
	j.subs = append(j.subs, s)
	j.mu.Unlock()
	var once sync.Once
	return s.ch, func() {
		once.Do(func() {
			j.mu.Lock()
			defer j.mu.Unlock()
			j.subs = slices.DeleteFunc(j.subs, func(x *subscriber) bool { return x == s })
			close(s.ch)
		})
	}
}

// Len returns the number of entries in memory.
func (j *Journal) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.n
}

// Stats returns the journal's counters.
func (j *Journal) Stats() Stats {
	j.mu.Lock()
	defer j.mu.Unlock()
	return Stats{Len: j.n, LastID: j.nextID - 1, SubscriberDrops: j.subDrops, PersistDrops: j.perDrops}
}

// Clear empties the log, in memory and in the persister (the journal owns
// its saved copy: no caller clears the store behind its back). IDs keep
// increasing. When the persister fails, the memory is empty already and
// the next Flush tries the persisted log again.
func (j *Journal) Clear() error {
	j.mu.Lock()
	clear(j.buf) // let the bodies be collected
	j.head, j.n = 0, 0
	if j.p == nil {
		j.mu.Unlock()
		return nil
	}
	j.persist = j.nextID - 1
	j.trimAll = true
	j.mu.Unlock()
	return j.Flush()
}

// SetPersistLimit bounds the persisted log to the newest n entries (at most
// the capacity): under heavy load each Flush then writes at most n entries,
// and the older unpersisted ones are counted in Stats.PersistDrops. The
// in-memory ring keeps its full capacity.
func (j *Journal) SetPersistLimit(n int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.keep = max(1, min(n, len(j.buf)))
}

// Flush persists the entries added since the last successful Flush in one
// AppendEntries batch (at most the capacity: older ones already left the
// ring), then trims the persisted log to the capacity. On failure the
// entries stay queued for the next Flush while they are still in the ring.
// Without a persister it does nothing.
func (j *Journal) Flush() error {
	if j.p == nil {
		return nil
	}
	j.flushMu.Lock()
	defer j.flushMu.Unlock()

	j.mu.Lock()
	trimAll := j.trimAll
	j.trimAll = false
	start := j.search(j.persist + 1)
	if skip := j.n - j.keep - start; skip > 0 {
		j.perDrops += uint64(skip)
		start += skip
	}
	batch := make([]Entry, 0, j.n-start)
	for i := start; i < j.n; i++ {
		batch = append(batch, *j.at(i))
	}
	if len(batch) > 0 {
		j.inflight = batch[len(batch)-1].ID
	}
	capacity := j.keep
	j.mu.Unlock()
	for i := range batch { // outside the lock: Add must not wait for this
		batch[i] = batch[i].masked()
	}

	if trimAll {
		if err := j.p.TrimEntries(0); err != nil {
			j.mu.Lock()
			j.trimAll, j.inflight = true, 0
			j.mu.Unlock()
			return fmt.Errorf("clearing the persisted request log: %w", err)
		}
	}
	if len(batch) == 0 {
		return nil
	}
	err := j.p.AppendEntries(batch)

	j.mu.Lock()
	j.inflight = 0
	if err != nil {
		// Entries of the batch that left the ring meanwhile are lost:
		// Add did not count them because they were in flight.
		oldest := j.nextID
		if j.n > 0 {
			oldest = j.at(0).ID
		}
		for i := range batch {
			if id := batch[i].ID; id > j.persist && id < oldest {
				j.perDrops++
			}
		}
		j.mu.Unlock()
		return fmt.Errorf("persisting %d request log entries: %w", len(batch), err)
	}
	j.persist = max(j.persist, batch[len(batch)-1].ID)
	j.mu.Unlock()

	if err := j.p.TrimEntries(capacity); err != nil {
		return fmt.Errorf("trimming the persisted request log: %w", err)
	}
	return nil
}
