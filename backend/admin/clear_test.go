package admin_test

import (
	"net/http"
	"testing"

	"mockgate/backend/mockapi"
)

// Clear log starts the traffic counters again too: the APIs screen's error
// share and chart then describe the requests the log holds.
func TestClearLogResetsTrafficCounters(t *testing.T) {
	h := startExplorer(t)
	h.Call("journeybee", "GET", "/v1/users", "", nil) // 401
	stats := func() mockapi.Snapshot {
		var all map[string]mockapi.Snapshot
		if code := h.Admin("GET", "/stats?seconds=300", nil, &all); code != http.StatusOK {
			t.Fatalf("stats: %d", code)
		}
		return all["journeybee"]
	}
	if s := stats(); s.Total != 1 || s.WindowByStatus[401] != 1 {
		t.Fatalf("before: %+v", s)
	}
	if code := h.Admin("DELETE", "/requests", nil, nil); code != http.StatusNoContent {
		t.Fatalf("clear: %d", code)
	}
	if s := stats(); s.Total != 0 || len(s.WindowByStatus) != 0 || len(s.ByStatus) != 0 {
		t.Errorf("after clear: %+v", s)
	}
}
