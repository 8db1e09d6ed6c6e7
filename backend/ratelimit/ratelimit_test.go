package ratelimit

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"mockgate/backend/clock"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func TestWindow(t *testing.T) {
	clk := clock.NewFake(t0)
	l := New(clk, time.Minute)
	for i := 1; i <= 100; i++ {
		d := l.Allow("k", 100)
		if !d.Allowed || d.Limit != 100 || d.Remaining != 100-i {
			t.Fatalf("request %d: %+v", i, d)
		}
		clk.Advance(100 * time.Millisecond) // 10 s over the 100 requests
	}
	d := l.Allow("k", 100)
	if d.Allowed || d.Remaining != 0 || d.Limit != 100 {
		t.Fatalf("101st request: %+v; want refused with Remaining 0", d)
	}
	if want := 50 * time.Second; d.Reset != want || d.RetryAfter() != 50 {
		t.Errorf("101st: Reset %v RetryAfter %d; want %v, 50", d.Reset, d.RetryAfter(), want)
	}
	clk.Advance(49*time.Second + 500*time.Millisecond)
	if d := l.Allow("k", 100); d.Allowed || d.Reset != 500*time.Millisecond || d.RetryAfter() != 1 {
		t.Errorf("half a second before the end: %+v, RetryAfter %d", d, d.RetryAfter())
	}
	clk.Advance(500 * time.Millisecond) // exactly the end of the window
	if d := l.Allow("k", 100); !d.Allowed || d.Remaining != 99 || d.Reset != time.Minute {
		t.Errorf("first request of the next window: %+v", d)
	}
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		d    Decision
		want int
	}{
		{Decision{Reset: 0, Allowed: true}, 0},
		{Decision{Reset: 0}, 1},
		{Decision{Reset: time.Nanosecond}, 1},
		{Decision{Reset: time.Second}, 1},
		{Decision{Reset: time.Second + 1}, 2},
		{Decision{Reset: 59*time.Second + 999*time.Millisecond}, 60},
		{Decision{Reset: time.Minute}, 60},
	}
	for _, tt := range tests {
		if got := tt.d.RetryAfter(); got != tt.want {
			t.Errorf("%+v.RetryAfter() = %d, want %d", tt.d, got, tt.want)
		}
	}
}

// ResetSeconds is RetryAfter without the floor of 1 for a refused request:
// the reset headers say when the window ends, even when that is now.
func TestResetSeconds(t *testing.T) {
	tests := []struct {
		d    Decision
		want int
	}{
		{Decision{Reset: 0, Allowed: true}, 0},
		{Decision{Reset: 0}, 0},
		{Decision{Reset: time.Nanosecond}, 1},
		{Decision{Reset: time.Second, Allowed: true}, 1},
		{Decision{Reset: time.Second + 1}, 2},
		{Decision{Reset: 59*time.Second + 999*time.Millisecond}, 60},
		{Decision{Reset: time.Minute, Allowed: true}, 60},
	}
	for _, tt := range tests {
		if got := tt.d.ResetSeconds(); got != tt.want {
			t.Errorf("%+v.ResetSeconds() = %d, want %d", tt.d, got, tt.want)
		}
	}
}

func TestKeysIndependent(t *testing.T) {
	clk := clock.NewFake(t0)
	l := New(clk, time.Minute)
	for range 3 {
		l.Allow("a", 3)
	}
	if d := l.Allow("a", 3); d.Allowed {
		t.Fatal("a: 4th request allowed")
	}
	clk.Advance(30 * time.Second)
	if d := l.Allow("b", 3); !d.Allowed || d.Remaining != 2 || d.Reset != time.Minute {
		t.Errorf("b: %+v; want its own fresh window", d)
	}
	clk.Advance(30 * time.Second)
	if d := l.Allow("a", 3); !d.Allowed {
		t.Errorf("a after its window: %+v", d)
	}
	if d := l.Allow("b", 3); !d.Allowed || d.Remaining != 1 || d.Reset != 30*time.Second {
		t.Errorf("b in its window: %+v", d)
	}
}

func TestLimitChange(t *testing.T) {
	clk := clock.NewFake(t0)
	l := New(clk, time.Minute)
	steps := []struct {
		limit         int
		allowed       bool
		wantRemaining int
	}{
		{5, true, 4},
		{5, true, 3},
		{2, false, 0}, // lowered below the count: refused for the rest of the window
		{3, true, 0},  // raised: the window's count (2) carries over
		{3, false, 0},
		{10, true, 6},
		{0, true, 0}, // unlimited: not counted
		{-1, true, 0},
		{10, true, 5},
	}
	for i, st := range steps {
		d := l.Allow("k", st.limit)
		wantLimit := max(st.limit, 0)
		if d.Allowed != st.allowed || d.Remaining != st.wantRemaining || d.Limit != wantLimit {
			t.Errorf("step %d (limit %d): %+v; want allowed %v remaining %d", i, st.limit, d, st.allowed, st.wantRemaining)
		}
	}
}

func TestUnlimited(t *testing.T) {
	l := New(clock.NewFake(t0), time.Minute)
	for range 1000 {
		if d := l.Allow("k", 0); d != (Decision{Allowed: true}) {
			t.Fatalf("unlimited: %+v", d)
		}
	}
}

func TestForgetAndClockSetBack(t *testing.T) {
	clk := clock.NewFake(t0)
	l := New(clk, time.Minute)
	l.Allow("k", 1)
	if l.Allow("k", 1).Allowed {
		t.Fatal("2nd request allowed with limit 1")
	}
	l.Forget("k")
	if !l.Allow("k", 1).Allowed {
		t.Fatal("forgotten key still limited")
	}
	clk.Set(t0.Add(-time.Hour)) // virtual clock moved back
	if d := l.Allow("k", 1); !d.Allowed || d.Reset != time.Minute {
		t.Fatalf("after the clock went back: %+v; want a new window", d)
	}
}

func TestStaleWindowsDropped(t *testing.T) {
	clk := clock.NewFake(t0)
	l := New(clk, time.Minute)
	for i := range 10000 {
		l.Allow(fmt.Sprint("key-", i), 10)
	}
	if n := l.size(); n != 10000 {
		t.Fatalf("%d windows, want 10000", n)
	}
	clk.Advance(time.Minute)
	for i := range 1000 { // touching every shard sweeps it
		l.Allow(fmt.Sprint("new-", i), 10)
	}
	if n := l.size(); n != 1000 {
		t.Errorf("%d windows after the old ones ended, want 1000", n)
	}
}

func (l *Limiter) size() int {
	n := 0
	for i := range l.shards {
		s := &l.shards[i]
		s.mu.Lock()
		n += len(s.windows)
		s.mu.Unlock()
	}
	return n
}

// TestConcurrent checks, under -race, that concurrent requests for one key
// never let more than the limit through, and that other keys run alongside.
func TestConcurrent(t *testing.T) {
	clk := clock.NewFake(t0)
	l := New(clk, time.Minute)
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				if l.Allow("shared", 100).Allowed {
					allowed.Add(1)
				}
				l.Allow(fmt.Sprint("own-", g, "-", i%7), 50)
				if i%100 == 0 {
					l.Forget(fmt.Sprint("own-", g, "-0"))
				}
			}
		})
	}
	wg.Wait()
	if n := allowed.Load(); n != 100 {
		t.Errorf("%d requests allowed for one key, want exactly 100", n)
	}
}

func TestShardSpread(t *testing.T) {
	var counts [numShards]int
	for i := range 3200 {
		counts[shardOf(fmt.Sprintf("%08x-aaaa-4bbb-8ccc-%012x", i*7919, i))]++
	}
	for i, c := range counts {
		if c < 50 || c > 150 {
			t.Errorf("shard %d got %d of 3200 ids; the hash spreads badly", i, c)
		}
	}
}

func BenchmarkAllow(b *testing.B) {
	l := New(clock.Real{}, time.Minute)
	ids := make([]string, 256)
	for i := range ids {
		ids[i] = fmt.Sprintf("%08x-1d2e-4f00-9abc-%012x", i*2654435761, i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var next atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		i := int(next.Add(1)) * 17
		for pb.Next() {
			l.Allow(ids[i%len(ids)], 1<<30)
			i++
		}
	})
}

func BenchmarkAllowOneKey(b *testing.B) {
	l := New(clock.Real{}, time.Minute)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			l.Allow("0b5c6c1e-1d2e-4f00-9abc-0123456789ab", 1<<30)
		}
	})
}
