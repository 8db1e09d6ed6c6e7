package admin

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"mockgate/backend/clock"
)

func TestClockEndpoint(t *testing.T) {
	ta := newTestAdmin(t)
	status := func(method, body string, want int) clock.Status {
		t.Helper()
		w := ta.do(method, "/_admin/api/clock", body)
		if w.Code != want {
			t.Fatalf("%s %s: %d, want %d: %s", method, body, w.Code, want, w.Body)
		}
		var st clock.Status
		if want == 200 {
			if err := json.Unmarshal(w.Body.Bytes(), &st); err != nil {
				t.Fatal(err)
			}
		}
		return st
	}
	if st := status("GET", "", 200); !st.Now.Equal(epoch) || st.OffsetSeconds != 0 || st.Frozen {
		t.Fatalf("initial %+v", st)
	}
	if st := status("POST", `{"advance":"61s"}`, 200); !st.Now.Equal(epoch.Add(61*time.Second)) || st.OffsetSeconds != 61 {
		t.Fatalf("advance %+v", st)
	}
	if st := status("POST", `{"set":"2027-01-01T00:00:00Z"}`, 200); st.Now.Year() != 2027 {
		t.Fatalf("set %+v", st)
	}
	if st := status("POST", `{"freeze":true}`, 200); !st.Frozen {
		t.Fatalf("freeze %+v", st)
	}
	if st := status("POST", `{"resume":true}`, 200); st.Frozen || st.Now.Year() != 2027 {
		t.Fatalf("resume %+v", st)
	}
	if st := status("POST", `{"advance":"-2h"}`, 200); st.Now.Year() != 2026 {
		t.Fatalf("advance backwards %+v", st)
	}
	if st := status("POST", `{"reset":true}`, 200); st.OffsetSeconds != 0 || !st.Now.Equal(epoch) {
		t.Fatalf("reset %+v", st)
	}
	for _, bad := range []string{`{}`, `{"advance":"61s","reset":true}`, `{"advance":"soon"}`, `{"set":"tomorrow"}`,
		`{"set":"0001-01-01T00:00:00Z"}`, `{"advance":"-1000000h"}`, `{"freeze":false}`, `{"rewind":true}`} {
		w := ta.do("POST", "/_admin/api/clock", bad)
		if w.Code != 400 {
			t.Errorf("%s: %d, want 400", bad, w.Code)
			continue
		}
		e := expectEnvelope(t, w, "bad_request")
		if bad == `{"advance":"soon"}` && !strings.Contains(e.Error.Message, "soon") {
			t.Errorf("message does not name the value: %s", e.Error.Message)
		}
	}
	if st := status("GET", "", 200); st.OffsetSeconds != 0 {
		t.Fatalf("a refused request moved the clock: %+v", st)
	}
}
