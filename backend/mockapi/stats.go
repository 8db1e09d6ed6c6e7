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
	// byStatus is the second's answers by status; its map is reused when
	// the slot's second comes round again.
	byStatus map[int]int64
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
		m := b.byStatus
		clear(m)
		*b = secondCount{unix: sec, byStatus: m}
		if b.byStatus == nil {
			b.byStatus = map[int]int64{}
		}
	}
	b.count++
	b.byStatus[status]++
	if status >= 400 {
		b.errors++
	}
}

// Snapshot is a copy of the counters.
type Snapshot struct {
	// Total and ByStatus count since start (or the last reset).
	Total    int64         `json:"total"`
	ByStatus map[int]int64 `json:"byStatus"`
	// WindowByStatus counts the answers by status over the seconds asked
	// for: the time frame of PerSecond.
	WindowByStatus map[int]int64 `json:"windowByStatus"`
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
	out := Snapshot{Total: s.total, ByStatus: make(map[int]int64, len(s.byStatus)), WindowByStatus: map[int]int64{}, PerSecond: make([]SecondSample, 0, seconds)}
	for k, v := range s.byStatus {
		out.ByStatus[k] = v
	}
	end := now.Unix()
	for t := end - int64(seconds) + 1; t <= end; t++ {
		b := s.secs[((t%statsWindow)+statsWindow)%statsWindow]
		sample := SecondSample{Unix: t}
		if b.unix == t {
			sample.Count, sample.Errors = b.count, b.errors
			for code, n := range b.byStatus {
				out.WindowByStatus[code] += n
			}
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
