// Package ratelimit is the per-key request limiter of the mock APIs: a fixed
// window per key that opens at the key's first request and lasts the
// window length (a minute in the product), so the request after the
// limit-th inside one window is refused until the window ends.
//
// Time comes from an injected clock, so tests and the virtual clock move
// windows without waiting.
package ratelimit

import (
	"sync"
	"time"

	"mockgate/backend/clock"
)

// Decision is the limiter's answer to one request.
type Decision struct {
	// Allowed reports whether the request may proceed.
	Allowed bool
	// Limit is the number of requests a window allows; 0 means unlimited.
	Limit int
	// Remaining is how many more requests the current window allows.
	Remaining int
	// Reset is the time until the current window ends (0 when unlimited).
	Reset time.Duration
}

// ResetSeconds returns Reset rounded up to whole seconds: the value of a
// seconds-valued RateLimit-Reset header, and the offset of an epoch-valued
// X-RateLimit-Reset one.
func (d Decision) ResetSeconds() int {
	return int((d.Reset + time.Second - 1) / time.Second)
}

// RetryAfter returns ResetSeconds, at least 1 for a refused request: the
// value of the Retry-After header of a 429 (0 would invite an immediate
// retry that the same window refuses). Both come from Reset, so every
// header agrees on when to come back.
func (d Decision) RetryAfter() int {
	s := d.ResetSeconds()
	if s < 1 && !d.Allowed {
		return 1
	}
	return s
}

const numShards = 32

// Limiter counts requests per key id. It is safe for concurrent use; keys
// in different shards never contend.
type Limiter struct {
	clk    clock.Clock
	window time.Duration
	shards [numShards]shard
}

type shard struct {
	mu        sync.Mutex
	windows   map[string]*window
	peak      int       // largest len(windows) since the map was last rebuilt
	lastSweep time.Time // when stale windows were last dropped
	_         [64]byte  // keeps neighbouring shards' locks off one cache line
}

type window struct {
	start time.Time
	count int
}

// New returns a limiter whose windows last length (normally
// time.Minute; a non-positive window means a minute).
func New(clk clock.Clock, length time.Duration) *Limiter {
	if length <= 0 {
		length = time.Minute
	}
	l := &Limiter{clk: clk, window: length}
	for i := range l.shards {
		l.shards[i].windows = make(map[string]*window)
	}
	return l
}

// Allow counts one request by key id against limit requests per window and
// says whether it may proceed. A limit of 0 or less means unlimited: the
// request is allowed with Limit 0 and nothing is counted. Changing the
// limit of a key keeps its current window and count. A refused request is
// not counted.
func (l *Limiter) Allow(id string, limit int) Decision {
	if limit <= 0 {
		return Decision{Allowed: true}
	}
	now := l.clk.Now()
	s := &l.shards[shardOf(id)]
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Sub(s.lastSweep) >= l.window || now.Before(s.lastSweep) {
		s.sweep(now, l.window)
	}
	w := s.windows[id]
	switch {
	case w == nil:
		w = &window{start: now}
		s.windows[id] = w
		s.peak = max(s.peak, len(s.windows))
	case now.Sub(w.start) >= l.window || now.Before(w.start):
		// The window is over (or the clock was set back before it began).
		*w = window{start: now}
	}
	d := Decision{Limit: limit, Reset: w.start.Add(l.window).Sub(now)}
	if w.count < limit {
		w.count++
		d.Allowed = true
		d.Remaining = limit - w.count
	}
	return d
}

// Forget drops the window of key id, e.g. when the key is deleted.
func (l *Limiter) Forget(id string) {
	s := &l.shards[shardOf(id)]
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.windows, id)
}

// sweep drops windows that have ended, at most once per window length per
// shard, so memory follows the keys in use rather than every key ever seen.
// A map that has shrunk to a quarter of its peak is rebuilt, since Go maps
// do not give memory back on delete.
func (s *shard) sweep(now time.Time, length time.Duration) {
	s.lastSweep = now
	for id, w := range s.windows {
		if now.Sub(w.start) >= length || now.Before(w.start) {
			delete(s.windows, id)
		}
	}
	if s.peak >= 64 && len(s.windows) <= s.peak/4 {
		fresh := make(map[string]*window, len(s.windows))
		for id, w := range s.windows {
			fresh[id] = w
		}
		s.windows = fresh
		s.peak = len(fresh)
	}
}

// shardOf is 32-bit FNV-1a of id, inlined to stay allocation-free.
func shardOf(id string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(id); i++ {
		h ^= uint32(id[i])
		h *= 16777619
	}
	return h % numShards
}
