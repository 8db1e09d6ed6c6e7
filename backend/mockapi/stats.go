package mockapi

import (
	"sync"
	"time"
)

// statsWindow is how many seconds of per-second counts are kept.
const statsWindow = 600

// Stats counts an API's traffic for the GUI: totals by status and requests
// per second over the last ten minutes.
type Stats struct {
	mu       sync.Mutex
	byStatus map[int]int64
	total    int64
	secs     [statsWindow]secondCount
}

type secondCount struct {
	unix   int64
	count  int64
	errors int64
}

func newStats() *Stats { return &Stats{byStatus: map[int]int64{}} }

func (s *Stats) record(now time.Time, status int) {
	sec := now.Unix()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.total++
	s.byStatus[status]++
	b := &s.secs[sec%statsWindow]
	if b.unix != sec {
		*b = secondCount{unix: sec}
	}
	b.count++
	if status >= 400 {
		b.errors++
	}
}

// Snapshot is a copy of the counters.
type Snapshot struct {
	Total    int64         `json:"total"`
	ByStatus map[int]int64 `json:"byStatus"`
	// PerSecond holds the last Seconds seconds, oldest first.
	PerSecond []SecondSample `json:"perSecond"`
}

// SecondSample is one second of traffic.
type SecondSample struct {
	Unix   int64 `json:"t"`
	Count  int64 `json:"count"`
	Errors int64 `json:"errors"`
}

// Snapshot returns the totals and the last seconds (at most statsWindow).
func (s *Stats) Snapshot(now time.Time, seconds int) Snapshot {
	seconds = max(1, min(seconds, statsWindow))
	s.mu.Lock()
	defer s.mu.Unlock()
	out := Snapshot{Total: s.total, ByStatus: make(map[int]int64, len(s.byStatus)), PerSecond: make([]SecondSample, 0, seconds)}
	for k, v := range s.byStatus {
		out.ByStatus[k] = v
	}
	end := now.Unix()
	for t := end - int64(seconds) + 1; t <= end; t++ {
		b := s.secs[((t%statsWindow)+statsWindow)%statsWindow]
		sample := SecondSample{Unix: t}
		if b.unix == t {
			sample.Count, sample.Errors = b.count, b.errors
		}
		out.PerSecond = append(out.PerSecond, sample)
	}
	return out
}

func (s *Stats) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.total = 0
	s.byStatus = map[int]int64{}
	s.secs = [statsWindow]secondCount{}
}
