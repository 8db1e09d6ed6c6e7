package admin

import (
	"net/http"
	"sync"
	"time"

	"mockgate/backend/clock"
)

// Clock is the virtual clock every service of the instance tells time by
// (*clock.Virtual).
type Clock interface {
	Now() time.Time
	Status() clock.Status
	Advance(d time.Duration)
	Set(t time.Time)
	Freeze()
	Resume()
	Reset()
}

// ClockRequest moves the virtual clock: exactly one of its fields.
type ClockRequest struct {
	// Advance is a Go duration ("61s", "-1h"): the clock moves by it.
	Advance string `json:"advance,omitempty"`
	// Set is an RFC 3339 time the clock jumps to.
	Set string `json:"set,omitempty"`
	// Freeze stops the clock; Resume lets it run on from there.
	Freeze bool `json:"freeze,omitempty"`
	Resume bool `json:"resume,omitempty"`
	// Reset brings it back to real time, running.
	Reset bool `json:"reset,omitempty"`
}

// The virtual clock stays within the years JSON and RFC 3339 can carry.
var (
	minClock = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	maxClock = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
)

func (s *Server) getClock(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, s.d.Clock.Status())
	return nil
}

func (s *Server) postClock(w http.ResponseWriter, r *http.Request) error {
	var req ClockRequest
	if err := decode(r, &req, maxBody); err != nil {
		return err
	}
	n := 0
	for _, set := range []bool{req.Advance != "", req.Set != "", req.Freeze, req.Resume, req.Reset} {
		if set {
			n++
		}
	}
	if n != 1 {
		return badRequest(`give exactly one of {"advance":"61s"}, {"set":"2027-01-01T00:00:00Z"}, {"freeze":true}, {"resume":true}, {"reset":true}`)
	}
	c := s.d.Clock
	switch {
	case req.Advance != "":
		d, err := time.ParseDuration(req.Advance)
		if err != nil {
			return badRequest("advance: %q is not a Go duration such as 61s, 90m or -1h", req.Advance)
		}
		if to := c.Now().Add(d); to.Before(minClock) || to.After(maxClock) {
			return badRequest("advance: %s would take the clock to %s, outside 1970 to 9999", req.Advance, to.Format(time.RFC3339))
		}
		c.Advance(d)
	case req.Set != "":
		t, err := time.Parse(time.RFC3339, req.Set)
		if err != nil {
			return badRequest("set: %q is not an RFC 3339 time such as 2027-01-01T00:00:00Z", req.Set)
		}
		if t.Before(minClock) || t.After(maxClock) {
			return badRequest("set: %s is outside 1970 to 9999", req.Set)
		}
		c.Set(t)
	case req.Freeze:
		c.Freeze()
	case req.Resume:
		c.Resume()
	case req.Reset:
		c.Reset()
	}
	s.clockMoved.notify()
	writeJSON(w, http.StatusOK, c.Status())
	return nil
}

// signal wakes its subscribers (the live streams) when something they show
// changed; a subscriber that has not caught up gets one wake-up, not many.
type signal struct {
	mu   sync.Mutex
	subs map[chan struct{}]struct{}
}

func (g *signal) subscribe() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.subs == nil {
		g.subs = map[chan struct{}]struct{}{}
	}
	g.subs[ch] = struct{}{}
	return ch, func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		delete(g.subs, ch)
	}
}

func (g *signal) notify() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for ch := range g.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}
