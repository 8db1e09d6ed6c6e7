package clock

import (
	"testing"
	"time"
)

func TestVirtual(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	real := NewFake(t0)
	v := NewVirtual(real)
	if !v.Now().Equal(t0) || v.Status().OffsetSeconds != 0 || v.Status().Frozen {
		t.Fatalf("new clock: %+v", v.Status())
	}
	v.Advance(61 * time.Second)
	real.Advance(time.Second)
	if got := v.Now(); !got.Equal(t0.Add(62 * time.Second)) {
		t.Fatalf("advanced 61s, 1s passed: %v", got)
	}
	if st := v.Status(); st.OffsetSeconds != 61 || !st.Real.Equal(t0.Add(time.Second)) {
		t.Fatalf("status %+v", st)
	}

	// Frozen: real time passes, virtual time stands; Advance still moves it.
	v.Freeze()
	at := v.Now()
	real.Advance(time.Hour)
	if !v.Now().Equal(at) || !v.Status().Frozen {
		t.Fatalf("frozen clock moved: %v, want %v", v.Now(), at)
	}
	v.Advance(10 * time.Second)
	if !v.Now().Equal(at.Add(10 * time.Second)) {
		t.Fatalf("advance while frozen: %v", v.Now())
	}
	// Resume runs on from the frozen time, not from real time.
	v.Resume()
	real.Advance(2 * time.Second)
	if !v.Now().Equal(at.Add(12 * time.Second)) {
		t.Fatalf("resumed: %v, want %v", v.Now(), at.Add(12*time.Second))
	}

	// Set, backwards too.
	past := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	v.Set(past)
	if !v.Now().Equal(past) || v.Status().OffsetSeconds >= 0 {
		t.Fatalf("set back: %+v", v.Status())
	}
	v.Freeze()
	future := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	v.Set(future)
	real.Advance(time.Minute)
	if !v.Now().Equal(future) {
		t.Fatalf("set while frozen: %v", v.Now())
	}

	v.Reset()
	if st := v.Status(); st.Frozen || st.OffsetSeconds != 0 || !st.Now.Equal(real.Now()) {
		t.Fatalf("reset: %+v", st)
	}
}

// ticking is a base clock that moves on every reading, as the wall clock
// does between two calls.
type ticking struct{ t time.Time }

func (c *ticking) Now() time.Time { c.t = c.t.Add(time.Microsecond); return c.t }

// The offset a status reports is the exact one (a saved state carries it),
// however much real time passes while it is read.
func TestStatusOffsetExact(t *testing.T) {
	v := NewVirtual(&ticking{time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)})
	v.Advance(90 * time.Minute)
	if st := v.Status(); st.OffsetSeconds != 5400 || !st.Now.Equal(st.Real.Add(90*time.Minute)) {
		t.Fatalf("status %+v, want the offset 5400 s exactly", st)
	}
}
