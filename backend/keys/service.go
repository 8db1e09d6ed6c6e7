package keys

import (
	"cmp"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"mockgate/backend/clock"
)

// Usage is the live usage of one key, as Flush hands it to the Store.
type Usage struct {
	ID         string
	LastUsedAt time.Time
	UseCount   int64
}

// Store is the persistence the Service needs. The Service serialises its
// calls: no two run at once.
//
// SaveUsage must only update keys that exist: an id it does not know
// (a key deleted meanwhile) is skipped, never recreated. The Service already
// leaves deleted ids out of every batch (a delete and a flush never overlap),
// so this is a second guard, not the first.
type Store interface {
	// SaveKey writes k, replacing any record with the same ID; it is
	// durable when it returns.
	SaveKey(k Key) error
	// DeleteKey removes the record with this id.
	DeleteKey(id string) error
	// LoadKeys returns every stored key.
	LoadKeys() ([]Key, error)
	// SaveUsage updates UseCount and LastUsedAt of existing keys, in one
	// transaction.
	SaveUsage(u []Usage) error
}

// CreateRequest is what a new key is made from.
type CreateRequest struct {
	API         string
	Name        string
	Format      Format
	Scopes      []string
	Tenant      string
	Integration string
	// ExpiresAt, if set, must be in the future.
	ExpiresAt *time.Time
	// RateLimit overrides the API's per-minute limit: nil means the API's
	// default, 0 means no limit.
	RateLimit *int
	// Purpose is Key.Purpose: empty for a user's key.
	Purpose string
}

// Entry is what Lookup finds: an immutable snapshot of a key plus its live
// usage counters, which survive revocation (the revoked entry shares them).
type Entry struct {
	// Key is the record as of the snapshot. It is shared: never modify it,
	// its Scopes or what its pointers point to. Its UseCount and
	// LastUsedAt are not live; use the methods of Entry for those.
	Key Key

	hash   [32]byte
	masked string
	u      *usage
}

// usage is the mutable part of an Entry, updated on every request.
type usage struct {
	count atomic.Int64
	last  atomic.Int64 // Unix nanoseconds; 0 means never
	dirty atomic.Bool  // changed since the last successful flush
}

// RecordUse counts one request made with the key at time at. It only
// touches atomics in memory; Flush persists the counters.
func (e *Entry) RecordUse(at time.Time) {
	u := e.u
	u.count.Add(1)
	n := at.UnixNano()
	for {
		old := u.last.Load()
		if n <= old || u.last.CompareAndSwap(old, n) {
			break
		}
	}
	// The load keeps the cache line shared when the flag is already set.
	if !u.dirty.Load() {
		u.dirty.Store(true)
	}
}

// UseCount returns the live number of requests made with the key.
func (e *Entry) UseCount() int64 { return e.u.count.Load() }

// LastUsedAt returns the time of the latest request, and false if the key
// was never used.
func (e *Entry) LastUsedAt() (time.Time, bool) {
	n := e.u.last.Load()
	if n == 0 {
		return time.Time{}, false
	}
	return time.Unix(0, n).UTC(), true
}

// Masked returns Key.Masked(), computed once when the entry was made, so the
// request path does not build it per request.
func (e *Entry) Masked() string { return e.masked }

// Snapshot returns a copy of the key that the caller owns, with the live
// usage counters merged in.
func (e *Entry) Snapshot() Key {
	k := e.Key.clone()
	k.UseCount = e.UseCount()
	if t, ok := e.LastUsedAt(); ok {
		k.LastUsedAt = &t
	}
	return k
}

func newEntry(k Key, hash [32]byte, u *usage) *Entry {
	return &Entry{Key: k, hash: hash, masked: k.Masked(), u: u}
}

// index holds every key by hash and by id. Writers (holding Service.mu)
// change it in place under xmu; readers take xmu's read lock for one map
// access. (A copy-on-write index made every create cost O(keys): 1 ms with
// 2,000 keys.)
type index struct {
	byHash map[[32]byte]*Entry
	byID   map[string]*Entry
}

func (x *index) put(e *Entry) {
	x.byHash[e.hash] = e
	x.byID[e.Key.ID] = e
}

func (x *index) del(e *Entry) {
	delete(x.byHash, e.hash)
	delete(x.byID, e.Key.ID)
}

// Service manages the keys of all APIs. Reads (Lookup, RecordUse) are
// lock-free; writes are serialised, persisted first and published after.
// It is safe for concurrent use.
type Service struct {
	st  Store
	clk clock.Clock

	mu  sync.Mutex   // serialises writes and flushes, and so every Store call
	xmu sync.RWMutex // guards the maps of idx; written only while mu is held
	idx atomic.Pointer[index]

	subMu  sync.Mutex
	subs   []subscriber
	nextID int
}

type subscriber struct {
	id int
	fn func()
}

// NewService loads every key from st into memory.
func NewService(st Store, clk clock.Clock) (*Service, error) {
	stored, err := st.LoadKeys()
	if err != nil {
		return nil, fmt.Errorf("loading keys: %w", err)
	}
	x, err := newIndex(stored)
	if err != nil {
		return nil, fmt.Errorf("loading keys: %w", err)
	}
	s := &Service{st: st, clk: clk}
	s.idx.Store(x)
	return s, nil
}

// newIndex indexes stored key records, refusing a malformed hash and
// duplicate ids or hashes (two records answering one key).
func newIndex(stored []Key) (*index, error) {
	x := &index{
		byHash: make(map[[32]byte]*Entry, len(stored)),
		byID:   make(map[string]*Entry, len(stored)),
	}
	for _, k := range stored {
		var h [32]byte
		if n, err := hex.Decode(h[:], []byte(k.Hash)); err != nil || n != len(h) || len(k.Hash) != hex.EncodedLen(len(h)) {
			return nil, fmt.Errorf("key %s has a malformed hash %q", k.ID, k.Hash)
		}
		if _, dup := x.byID[k.ID]; dup {
			return nil, fmt.Errorf("two keys have the id %s", k.ID)
		}
		if other, dup := x.byHash[h]; dup {
			return nil, fmt.Errorf("keys %s and %s have the same hash", other.Key.ID, k.ID)
		}
		k = k.clone()
		u := &usage{}
		u.count.Store(k.UseCount)
		if k.LastUsedAt != nil {
			u.last.Store(k.LastUsedAt.UnixNano())
		}
		x.put(newEntry(k, h, u))
	}
	return x, nil
}

// CheckRecords reports the first key record of ks that the Service could
// not hold (no id, API or name, a hash that is not 64 hex digits, a
// negative rate limit, an id or a hash used twice), naming it: a saved
// state is checked with it before anything is written.
func CheckRecords(ks []Key) error {
	for i, k := range ks {
		switch {
		case k.ID == "":
			return fmt.Errorf("key %d has no id", i+1)
		case strings.TrimSpace(k.API) == "":
			return fmt.Errorf("key %s has no API", k.ID)
		case strings.TrimSpace(k.Name) == "":
			return fmt.Errorf("key %s has no name", k.ID)
		case k.Hash != strings.ToLower(k.Hash):
			return fmt.Errorf("key %s has a malformed hash %q (lower-case hex expected)", k.ID, k.Hash)
		case k.RateLimit != nil && *k.RateLimit < 0:
			return fmt.Errorf("key %s has a negative rate limit", k.ID)
		case k.UseCount < 0:
			return fmt.Errorf("key %s has a negative use count", k.ID)
		}
	}
	_, err := newIndex(ks)
	return err
}

// Lookup finds the key whose raw form hashes to hash, whatever its status:
// the caller tells revoked and expired keys apart with Key.Status. A deleted
// key is not found. Lookup takes no lock and does not allocate.
func (s *Service) Lookup(hash [32]byte) (*Entry, bool) {
	s.xmu.RLock()
	e, ok := s.idx.Load().byHash[hash]
	s.xmu.RUnlock()
	return e, ok
}

// Get returns the key with this id, with live usage.
func (s *Service) Get(id string) (Key, bool) {
	s.xmu.RLock()
	e, ok := s.idx.Load().byID[id]
	s.xmu.RUnlock()
	if !ok {
		return Key{}, false
	}
	return e.Snapshot(), true
}

// List returns every key, newest first, with live usage.
func (s *Service) List() []Key {
	x := s.idx.Load()
	s.xmu.RLock()
	out := make([]Key, 0, len(x.byID))
	for _, e := range x.byID {
		out = append(out, e.Snapshot())
	}
	s.xmu.RUnlock()
	slices.SortFunc(out, func(a, b Key) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	return out
}

// Create issues a new key. The record is durable before the key works; the
// raw key is returned here and nowhere else, and is never stored.
func (s *Service) Create(req CreateRequest) (Key, string, error) {
	k, raw, err := s.create(req)
	if err != nil {
		return Key{}, "", err
	}
	s.notify()
	return k, raw, nil
}

func (s *Service) create(req CreateRequest) (Key, string, error) {
	api := strings.TrimSpace(req.API)
	if api == "" {
		return Key{}, "", ErrAPIRequired
	}
	name := strings.TrimSpace(req.Name)
	if name == "" {
		return Key{}, "", ErrNameRequired
	}
	if utf8.RuneCountInString(name) > MaxNameLength {
		return Key{}, "", ErrNameTooLong
	}
	if err := req.Format.Validate(); err != nil {
		return Key{}, "", err
	}
	scopes := make([]string, 0, len(req.Scopes))
	for _, sc := range req.Scopes {
		sc = strings.TrimSpace(sc)
		if sc == "" {
			return Key{}, "", ErrEmptyScope
		}
		if !slices.Contains(scopes, sc) {
			scopes = append(scopes, sc)
		}
	}
	if req.RateLimit != nil && *req.RateLimit < 0 {
		return Key{}, "", ErrNegativeRateLimit
	}
	now := s.clk.Now().UTC()
	var expires *time.Time
	if req.ExpiresAt != nil {
		if !req.ExpiresAt.After(now) {
			return Key{}, "", ErrExpiryNotFuture
		}
		t := req.ExpiresAt.UTC()
		expires = &t
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	x := s.idx.Load()
	var raw string
	var h [32]byte
	for {
		var err error
		if raw, err = Generate(req.Format); err != nil {
			return Key{}, "", err
		}
		// A collision is all but impossible (at least 2^64 keys); a clash
		// would make two records answer one key, so draw again.
		if h = Hash(raw); x.byHash[h] == nil {
			break
		}
	}
	p := len(req.Format.Prefix)
	k := Key{
		ID:          uuid.NewString(),
		API:         api,
		Name:        name,
		Prefix:      raw[:p+4],
		Last4:       raw[len(raw)-4:],
		Hash:        hex.EncodeToString(h[:]),
		Scopes:      scopes,
		Tenant:      strings.TrimSpace(req.Tenant),
		Integration: strings.TrimSpace(req.Integration),
		RateLimit:   clonePtr(req.RateLimit),
		CreatedAt:   now,
		ExpiresAt:   expires,
		Purpose:     req.Purpose,
	}
	if err := s.st.SaveKey(k.clone()); err != nil {
		return Key{}, "", fmt.Errorf("saving the new key: %w", err)
	}
	s.xmu.Lock()
	x.put(newEntry(k, h, &usage{}))
	s.xmu.Unlock()
	return k.clone(), raw, nil
}

// Revoke marks the key revoked, keeping its record: requests with it are
// then answered as revoked, from the very next Lookup. Revoking a revoked
// key changes nothing. An unknown id gives ErrNotFound.
func (s *Service) Revoke(id string) (Key, error) {
	k, changed, err := s.revoke(id)
	if changed {
		s.notify()
	}
	return k, err
}

func (s *Service) revoke(id string) (Key, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	x := s.idx.Load()
	e, ok := x.byID[id]
	if !ok {
		return Key{}, false, ErrNotFound
	}
	if e.Key.RevokedAt != nil {
		return e.Snapshot(), false, nil
	}
	k := e.Key.clone()
	now := s.clk.Now().UTC()
	k.RevokedAt = &now
	ne := newEntry(k, e.hash, e.u)
	// The saved record carries the live counters, so a store that keeps
	// usage inside the key record does not step back to stale ones.
	if err := s.st.SaveKey(ne.Snapshot()); err != nil {
		return Key{}, false, fmt.Errorf("saving the revoked key: %w", err)
	}
	s.xmu.Lock()
	x.put(ne)
	s.xmu.Unlock()
	return ne.Snapshot(), true, nil
}

// Delete removes the key for good: requests with it are then answered as
// an invalid key, from the very next Lookup. An unknown id gives ErrNotFound.
func (s *Service) Delete(id string) error {
	if err := s.delete(id); err != nil {
		return err
	}
	s.notify()
	return nil
}

func (s *Service) delete(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	x := s.idx.Load()
	e, ok := x.byID[id]
	if !ok {
		return ErrNotFound
	}
	if err := s.st.DeleteKey(id); err != nil {
		return fmt.Errorf("deleting the key: %w", err)
	}
	s.xmu.Lock()
	x.del(e)
	s.xmu.Unlock()
	return nil
}

// Replace runs write, which replaces every stored key (a saved state is
// written in one transaction), then reloads all of them from the Store. No
// other write and no usage flush runs between the two, so the usage
// counters of the keys in memory never land on the records just written.
// When write fails the keys stay as they were. The returned written says
// whether write succeeded, so that a caller can tell a refused write (the
// store unchanged) from a failed reload (the store changed, the keys in
// memory not).
func (s *Service) Replace(write func() error) (written bool, err error) {
	written, err = s.replace(write)
	if err == nil {
		s.notify()
	}
	return written, err
}

func (s *Service) replace(write func() error) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := write(); err != nil {
		return false, err
	}
	stored, err := s.st.LoadKeys()
	if err != nil {
		return true, fmt.Errorf("reloading keys: %w", err)
	}
	x, err := newIndex(stored)
	if err != nil {
		return true, fmt.Errorf("reloading keys: %w", err)
	}
	s.xmu.Lock()
	s.idx.Store(x)
	s.xmu.Unlock()
	return true, nil
}

// DeleteAPI removes every key of an API for good (the API itself is being
// removed) and returns their ids; subscribers hear of it once. Keys deleted
// before a failure stay deleted.
func (s *Service) DeleteAPI(api string) ([]string, error) {
	ids, err := s.deleteAPI(api)
	if len(ids) > 0 {
		s.notify()
	}
	return ids, err
}

func (s *Service) deleteAPI(api string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	x := s.idx.Load()
	s.xmu.RLock()
	var doomed []*Entry
	for _, e := range x.byID {
		if e.Key.API == api {
			doomed = append(doomed, e)
		}
	}
	s.xmu.RUnlock()
	slices.SortFunc(doomed, func(a, b *Entry) int { return strings.Compare(a.Key.ID, b.Key.ID) })
	ids := make([]string, 0, len(doomed))
	for _, e := range doomed {
		if err := s.st.DeleteKey(e.Key.ID); err != nil {
			return ids, fmt.Errorf("deleting the keys of %s: %w", api, err)
		}
		s.xmu.Lock()
		x.del(e)
		s.xmu.Unlock()
		ids = append(ids, e.Key.ID)
	}
	return ids, nil
}

// Flush writes the usage of every key used since the last flush in one
// SaveUsage batch, sorted by id; it does not call the Store when nothing
// changed. If the Store fails, the same keys are retried on the next Flush.
// A deleted key is never in the batch: Flush and Delete exclude each other,
// and Flush only sees keys still in the index.
func (s *Service) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	x := s.idx.Load()
	var batch []Usage
	var taken []*usage
	for id, e := range x.byID {
		if !e.u.dirty.Swap(false) {
			continue
		}
		u := Usage{ID: id, UseCount: e.u.count.Load()}
		if t, ok := e.LastUsedAt(); ok {
			u.LastUsedAt = t
		}
		batch = append(batch, u)
		taken = append(taken, e.u)
	}
	if len(batch) == 0 {
		return nil
	}
	slices.SortFunc(batch, func(a, b Usage) int { return strings.Compare(a.ID, b.ID) })
	if err := s.st.SaveUsage(batch); err != nil {
		for _, u := range taken {
			u.dirty.Store(true)
		}
		return fmt.Errorf("saving key usage: %w", err)
	}
	return nil
}

// Subscribe calls fn after every successful Create, Revoke (that changed
// something) and Delete, on the goroutine that made the change, after the
// change is visible. fn must return quickly (a non-blocking channel send is
// the usual body). The returned func unsubscribes.
func (s *Service) Subscribe(fn func()) (cancel func()) {
	s.subMu.Lock()
	defer s.subMu.Unlock()
	s.nextID++
	id := s.nextID
	s.subs = append(s.subs, subscriber{id: id, fn: fn})
	return func() {
		s.subMu.Lock()
		defer s.subMu.Unlock()
		s.subs = slices.DeleteFunc(s.subs, func(sb subscriber) bool { return sb.id == id })
	}
}

func (s *Service) notify() {
	s.subMu.Lock()
	subs := slices.Clone(s.subs)
	s.subMu.Unlock()
	for _, sb := range subs {
		sb.fn()
	}
}
