package mockapi

import (
	"testing"
	"time"

	"mockgate/backend/journal"
)

// The request log shows the path as the client sent it: an encoded
// traversal stays encoded, so the log tells it from a plain one.
func TestLogShowsThePathAsSent(t *testing.T) {
	f := newFixture(t, "journeybee", nil)
	for _, target := range []string{"/v1/..%2F..%2Fadmin", "/v1/users", "/v1/a%20b"} {
		f.do("GET", target, "")
	}
	es := f.log.Query(journal.Filter{})
	var got []string
	for _, e := range es {
		got = append(got, e.Path)
	}
	want := []string{"/v1/a%20b", "/v1/users", "/v1/..%2F..%2Fadmin"}
	if len(got) != len(want) {
		t.Fatalf("paths %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("path %d = %q, want %q", i, got[i], want[i])
		}
	}
}

// The status counts of a window are those of its seconds only, beside the
// counts since start; a reset starts both again.
func TestStatsWindowByStatus(t *testing.T) {
	s := newStats()
	now := time.Unix(1_800_000_000, 0)
	s.record(now.Add(-10*time.Minute+time.Second), 200) // still in the 10-minute ring, outside a 5-minute window
	s.record(now.Add(-6*time.Minute), 401)
	s.record(now.Add(-2*time.Minute), 200)
	s.record(now.Add(-2*time.Minute), 500)
	s.record(now, 404)
	snap := s.Snapshot(now, 300)
	if snap.Total != 5 || snap.ByStatus[200] != 2 || snap.ByStatus[401] != 1 {
		t.Errorf("since start: total %d, by status %v", snap.Total, snap.ByStatus)
	}
	want := map[int]int64{200: 1, 500: 1, 404: 1}
	if len(snap.WindowByStatus) != len(want) {
		t.Fatalf("window by status %v, want %v", snap.WindowByStatus, want)
	}
	for code, n := range want {
		if snap.WindowByStatus[code] != n {
			t.Errorf("window by status %v, want %v", snap.WindowByStatus, want)
		}
	}
	// A slot's second comes round again: its old counts do not stay.
	s.record(now.Add(10*time.Minute), 201)
	if later := s.Snapshot(now.Add(10*time.Minute), 1); len(later.WindowByStatus) != 1 || later.WindowByStatus[201] != 1 {
		t.Errorf("reused slot: %v", later.WindowByStatus)
	}
	s.reset()
	if snap := s.Snapshot(now, 300); snap.Total != 0 || len(snap.WindowByStatus) != 0 {
		t.Errorf("after reset: %+v", snap)
	}
}
