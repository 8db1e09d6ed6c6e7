// Package clock is the one source of time for keys, expiry, rate limits and
// the request log, so tests (and later a virtual clock in the product) move
// time instead of sleeping.
package clock

import (
	"sync"
	"time"
)

// Clock tells the current time.
type Clock interface {
	Now() time.Time
}

// Real is the wall clock.
type Real struct{}

// Now returns time.Now().
func (Real) Now() time.Time { return time.Now() }

// Fake is a manually advanced clock for tests. The zero value starts at the
// zero time; use NewFake for a meaningful start.
type Fake struct {
	mu  sync.Mutex
	now time.Time
}

// NewFake returns a Fake clock set to t.
func NewFake(t time.Time) *Fake { return &Fake{now: t} }

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Advance moves the clock forward by d.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

// Set moves the clock to t.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = t
}

// Virtual is the product's virtual clock: the wall clock moved by an
// offset, which the admin API can advance, set, freeze, resume and reset,
// so a test sees a key expire or a rate-limit window end without waiting.
// Everything that tells time in a running mockgate asks this clock.
type Virtual struct {
	base Clock // the real time it is moved from

	mu       sync.Mutex
	offset   time.Duration // added to base while running
	frozen   bool
	frozenAt time.Time // the virtual time while frozen
}

// NewVirtual returns a virtual clock over base (Real when nil), at real
// time and running.
func NewVirtual(base Clock) *Virtual {
	if base == nil {
		base = Real{}
	}
	return &Virtual{base: base}
}

// Now returns the virtual time.
func (v *Virtual) Now() time.Time {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.now()
}

func (v *Virtual) now() time.Time {
	if v.frozen {
		return v.frozenAt
	}
	return v.base.Now().Add(v.offset)
}

// Status is the virtual clock as the admin API shows it.
type Status struct {
	// Now is the virtual time.
	Now time.Time `json:"now"`
	// Real is the wall-clock time Now was read at.
	Real time.Time `json:"real"`
	// OffsetSeconds is Now minus Real, in seconds (negative when the clock
	// was set back).
	OffsetSeconds float64 `json:"offsetSeconds"`
	// Frozen reports that the virtual time stands still.
	Frozen bool `json:"frozen"`
}

// Status returns the clock's state.
func (v *Virtual) Status() Status {
	v.mu.Lock()
	defer v.mu.Unlock()
	// The base is read once: OffsetSeconds is then the exact offset (a
	// saved state carries it), not the offset plus the time between reads.
	real := v.base.Now()
	now := real.Add(v.offset)
	if v.frozen {
		now = v.frozenAt
	}
	return Status{Now: now, Real: real, OffsetSeconds: now.Sub(real).Seconds(), Frozen: v.frozen}
}

// Advance moves the virtual time by d (backwards when d is negative).
func (v *Virtual) Advance(d time.Duration) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.frozen {
		v.frozenAt = v.frozenAt.Add(d)
		return
	}
	v.offset += d
}

// Set moves the virtual time to t; a frozen clock stays frozen at t.
func (v *Virtual) Set(t time.Time) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.frozen {
		v.frozenAt = t
		return
	}
	v.offset = t.Sub(v.base.Now())
}

// Freeze stops the virtual time where it is.
func (v *Virtual) Freeze() {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.frozen {
		v.frozenAt, v.frozen = v.now(), true
	}
}

// Resume lets a frozen clock run again from the time it was frozen at.
func (v *Virtual) Resume() {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.frozen {
		v.offset, v.frozen = v.frozenAt.Sub(v.base.Now()), false
	}
}

// Reset brings the clock back to real time, running.
func (v *Virtual) Reset() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.offset, v.frozen, v.frozenAt = 0, false, time.Time{}
}
