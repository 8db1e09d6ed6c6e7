package instance_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"mockgate/backend/admin"
	"mockgate/backend/clock"
	"mockgate/backend/instance/instancetest"
	"mockgate/backend/mockapi"
	"mockgate/backend/profile"
)

// api is one built-in API as these tests call it: the path of its first
// list, the Host it needs, and how a key is presented.
type api struct {
	h    *instancetest.Harness
	p    *profile.Profile
	path string
	host string
}

func apisOf(h *instancetest.Harness) []api {
	var out []api
	for _, a := range h.Instance().APIs {
		p := a.Engine.Profile()
		path, host := listTarget(p)
		out = append(out, api{h: h, p: p, path: path, host: host})
	}
	return out
}

func (a api) present(raw string) []string { return credential(a.p, raw) }

func (a api) get(raw string, hdrs ...string) instancetest.Response {
	if raw != "" {
		hdrs = append(a.present(raw), hdrs...)
	}
	return a.h.Call(a.p.ID, "GET", a.path, a.host, nil, hdrs...)
}

// expectKind checks r is the API's own answer to kind.
func (a api) expectKind(t *testing.T, r instancetest.Response, kind string) {
	t.Helper()
	want := a.p.Answer(kind)
	if r.Status != want.Status {
		t.Fatalf("%s: status %d, want %d (%s): %s", a.p.ID, r.Status, want.Status, kind, r.Body)
	}
	if want.Code != "" && strings.Contains(string(a.p.Errors.Body), `"$code"`) && !strings.Contains(string(r.Body), `"`+want.Code+`"`) {
		t.Fatalf("%s: body %s lacks the code %s of %s", a.p.ID, r.Body, want.Code, kind)
	}
	if msg := strings.Split(want.Message, "{detail}")[0]; !strings.Contains(string(r.Body), jsonText(msg)) {
		t.Fatalf("%s: body %s lacks the message %q of %s", a.p.ID, r.Body, msg, kind)
	}
}

func moveClock(t *testing.T, h *instancetest.Harness, req admin.ClockRequest) clock.Status {
	t.Helper()
	var st clock.Status
	if code := h.Admin("POST", "/clock", req, &st); code != 200 {
		t.Fatalf("POST /clock %+v: %d", req, code)
	}
	return st
}

// TestVirtualClockExpiry: the admin API's clock makes a key expire on each
// API, with that API's expired-key answer, and the Keys list says so;
// moving the clock back makes it valid again.
func TestVirtualClockExpiry(t *testing.T) {
	h := instancetest.Start(t)
	for _, a := range apisOf(h) {
		t.Run(a.p.ID, func(t *testing.T) {
			defer moveClock(t, h, admin.ClockRequest{Reset: true})
			k := h.Key(admin.CreateKeyRequest{API: a.p.ID, Name: "short", TTL: "1h"})
			moveClock(t, h, admin.ClockRequest{Advance: "59m"})
			if r := a.get(k.Key); r.Status != 200 {
				t.Fatalf("at 59 min: %d %s", r.Status, r.Body)
			}
			moveClock(t, h, admin.ClockRequest{Advance: "2m"})
			a.expectKind(t, a.get(k.Key), profile.KindExpiredKey)
			var kv admin.KeyView
			h.Admin("GET", "/keys/"+k.ID, nil, &kv)
			if kv.Status != "expired" {
				t.Fatalf("Keys list says %q after the clock passed the expiry", kv.Status)
			}
			moveClock(t, h, admin.ClockRequest{Advance: "-2m"})
			if r := a.get(k.Key); r.Status != 200 {
				t.Fatalf("clock moved back before the expiry: %d %s", r.Status, r.Body)
			}
		})
	}
}

// TestVirtualClockRateLimit: with the clock frozen, the request past the
// limit is refused with Retry-After equal to the virtual seconds left, and
// moving the clock opens the next window. Moving it back starts a fresh
// window rather than a negative one.
func TestVirtualClockRateLimit(t *testing.T) {
	h := instancetest.Start(t)
	for _, a := range apisOf(h) {
		t.Run(a.p.ID, func(t *testing.T) {
			defer moveClock(t, h, admin.ClockRequest{Reset: true})
			moveClock(t, h, admin.ClockRequest{Freeze: true})
			k := h.Key(admin.CreateKeyRequest{API: a.p.ID, Name: "busy"})
			limit := a.p.RateLimit.PerMinute
			for i := 1; i <= limit; i++ {
				if r := a.get(k.Key); r.Status != 200 {
					t.Fatalf("request %d of %d: %d", i, limit, r.Status)
				}
			}
			r := a.get(k.Key)
			a.expectKind(t, r, profile.KindRateLimited)
			if ra := r.Header.Get("Retry-After"); ra != "60" {
				t.Fatalf("Retry-After %q with the clock frozen, want 60", ra)
			}
			moveClock(t, h, admin.ClockRequest{Advance: "45s"})
			if r := a.get(k.Key); r.Status != 429 || r.Header.Get("Retry-After") != "15" {
				t.Fatalf("45 virtual seconds later: %d, Retry-After %q, want 429 and 15", r.Status, r.Header.Get("Retry-After"))
			}
			moveClock(t, h, admin.ClockRequest{Advance: "15s"})
			if r := a.get(k.Key); r.Status != 200 {
				t.Fatalf("the next window: %d", r.Status)
			}
			moveClock(t, h, admin.ClockRequest{Advance: "-10m"})
			if r := a.get(k.Key); r.Status != 200 {
				t.Fatalf("clock set back: %d (a window that began in the future must start afresh)", r.Status)
			}
		})
	}
}

// TestPreferEveryAPI: Prefer: code=S answers S as the API itself would, for
// every status the API documents; Prefer latency and unknown preferences
// do not change the answer; the per-API setting turns Prefer off.
func TestPreferEveryAPI(t *testing.T) {
	h := instancetest.Start(t)
	for _, a := range apisOf(h) {
		t.Run(a.p.ID, func(t *testing.T) {
			k := h.Key(admin.CreateKeyRequest{API: a.p.ID, Name: "prefer", RateLimit: new(int)})
			seen := map[int]bool{}
			for _, kind := range []string{profile.KindInvalidKey, profile.KindInsufficientScope, profile.KindRateLimited,
				profile.KindInternal, profile.KindRouteNotFound, profile.KindBadRequest} {
				st := a.p.Answer(kind).Status
				if seen[st] {
					continue
				}
				seen[st] = true
				r := a.get(k.Key, "Prefer", "code="+strconv.Itoa(st))
				a.expectKind(t, r, kind)
				if st == 429 && (r.Header.Get("Retry-After") == "" || (r.Header.Get("Ratelimit-Limit") == "" && r.Header.Get("X-Ratelimit-Limit") == "")) {
					t.Fatalf("Prefer 429 without Retry-After or rate-limit headers: %v", r.Header)
				}
			}
			if r := a.get(k.Key, "Prefer", "return=minimal, latency=5, code=299"); r.Status != 200 {
				t.Fatalf("ignored preferences changed the answer: %d %s", r.Status, r.Body)
			}
			set := a.settings(t)
			set.IgnorePrefer = true
			if code := h.Admin("PUT", "/apis/"+a.p.ID+"/settings", set, nil); code != 200 {
				t.Fatalf("settings: %d", code)
			}
			if r := a.get(k.Key, "Prefer", "code=500"); r.Status != 200 {
				t.Fatalf("Prefer answered with ignorePrefer set: %d", r.Status)
			}
		})
	}
}

func (a api) settings(t *testing.T) mockapi.Settings {
	t.Helper()
	var in admin.APIInfo
	if code := a.h.Admin("GET", "/apis/"+a.p.ID, nil, &in); code != 200 {
		t.Fatalf("GET api: %d", code)
	}
	return in.Settings
}

// TestFaultQueue: queued faults answer in order, exactly count times, also
// under concurrent requests; method, path, key and after narrow them; a
// reset connection gets no answer; every injected answer is marked in the
// request log.
func TestFaultQueue(t *testing.T) {
	h := instancetest.Start(t)
	a := apisOf(h)[1] // journeybee
	k := h.Key(admin.CreateKeyRequest{API: a.p.ID, Name: "faulty", RateLimit: new(int)})
	other := h.Key(admin.CreateKeyRequest{API: a.p.ID, Name: "other", RateLimit: new(int)})
	add := func(req admin.FaultRequest) mockapi.Fault {
		t.Helper()
		var f mockapi.Fault
		if code := h.Admin("POST", "/apis/"+a.p.ID+"/faults", req, &f); code != 201 {
			t.Fatalf("add fault %+v: %d", req, code)
		}
		return f
	}

	// In order: the first matching fault answers, then the next.
	add(admin.FaultRequest{Status: 500})
	add(admin.FaultRequest{Status: 503, Count: 2})
	for i, want := range []int{500, 503, 503, 200} {
		if r := a.get(k.Key); r.Status != want {
			t.Fatalf("request %d: %d, want %d: %s", i+1, r.Status, want, r.Body)
		}
	}

	// Exactly count times under concurrency.
	add(admin.FaultRequest{Status: 503, Count: 10})
	var mu sync.Mutex
	got := map[int]int{}
	var wg sync.WaitGroup
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := a.get(k.Key)
			mu.Lock()
			got[r.Status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if got[503] != 10 || got[200] != 30 {
		t.Fatalf("40 concurrent requests against a fault of count 10: %v", got)
	}
	var pending []mockapi.Fault
	h.Admin("GET", "/apis/"+a.p.ID+"/faults", nil, &pending)
	if len(pending) != 0 {
		t.Fatalf("spent faults still pending: %+v", pending)
	}

	// Narrowed by key, method, path and after.
	add(admin.FaultRequest{Status: 502, KeyID: other.ID, Method: "GET", Path: "/v1/users/*", After: 1})
	if r := h.Call(a.p.ID, "GET", "/v1/users/1", "", nil, a.present(k.Key)...); r.Status != 200 {
		t.Fatalf("another key's request: %d", r.Status)
	}
	if r := a.get(other.Key); r.Status != 200 {
		t.Fatalf("a request to another path: %d", r.Status)
	}
	if r := h.Call(a.p.ID, "GET", "/v1/users/2", "", nil, a.present(other.Key)...); r.Status != 200 {
		t.Fatalf("the request after lets through: %d", r.Status)
	}
	if r := h.Call(a.p.ID, "GET", "/v1/users/1", "", nil, a.present(other.Key)...); r.Status != 502 {
		t.Fatalf("the matching request: %d %s", r.Status, r.Body)
	}

	// A reset connection: the client sees an error, not an answer. (On a
	// fresh connection: Go's client retries an idempotent request once when
	// a reused connection closes, and would then get the next answer.)
	add(admin.FaultRequest{ResetConnection: true})
	req := h.Request(a.p.ID, "GET", a.path, "", nil, a.present(k.Key)...)
	if res, err := (&http.Transport{DisableKeepAlives: true}).RoundTrip(req); err == nil {
		res.Body.Close()
		t.Fatalf("reset connection answered %d", res.StatusCode)
	}

	// Bad faults are refused with the field named.
	for body, field := range map[string]string{
		`{}`:                            "status",
		`{"status":200}`:                "status",
		`{"status":503,"count":-1}`:     "count",
		`{"status":503,"path":"v1"}`:    "path",
		`{"latencyMs":90000}`:           "latencyMs",
		`{"status":503,"colour":"x"}`:   "colour",
		`{"status":503,"method":"G T"}`: "method",
	} {
		code, out := h.AdminSend("POST", "/apis/"+a.p.ID+"/faults", "application/json", []byte(body))
		if code != 400 || !strings.Contains(string(out), field) {
			t.Errorf("fault %s: %d %s, want 400 naming %s", body, code, out, field)
		}
	}
	if code := h.Admin("DELETE", "/apis/"+a.p.ID+"/faults", nil, nil); code != 204 {
		t.Fatalf("clear: %d", code)
	}

	// The request log names the rule.
	var log struct{ Requests []admin.RequestSummary }
	h.Admin("GET", "/requests?api="+a.p.ID+"&limit=1000", nil, &log)
	marked := map[string]int{}
	for _, e := range log.Requests {
		if e.Injected != "" {
			marked[fmt.Sprint(e.Status)]++
			if e.KeyID != k.ID && e.KeyID != other.ID {
				t.Errorf("injected %d names key %q, want the key it presented", e.Status, e.KeyID)
			}
		}
	}
	if marked["500"] != 1 || marked["503"] != 12 || marked["502"] != 1 || marked["0"] != 1 {
		t.Fatalf("injected answers marked in the log, by status: %v", marked)
	}
}

// TestClockDoesNotSurviveARestart: a new start is at real time (the
// documented choice: a state file carries the clock, a restart does not).
func TestClockDoesNotSurviveARestart(t *testing.T) {
	h := instancetest.Start(t)
	moveClock(t, h, admin.ClockRequest{Advance: "48h"})
	moveClock(t, h, admin.ClockRequest{Freeze: true})
	h.Restart()
	var st clock.Status
	h.Admin("GET", "/clock", nil, &st)
	if st.OffsetSeconds != 0 || st.Frozen {
		t.Fatalf("after a restart the clock is %+v, want real time, running", st)
	}
}
