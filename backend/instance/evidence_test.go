package instance_test

import (
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"mockgate/backend/admin"
	"mockgate/backend/instance/instancetest"
	"mockgate/backend/journal"
)

// verdictsOf returns the verdict of each logged request of key id (or of
// every request when id is ""), oldest first.
func verdictsOf(t *testing.T, h *instancetest.Harness, filter string) []string {
	t.Helper()
	var log struct{ Requests []admin.RequestSummary }
	if code := h.Admin("GET", "/requests?limit=1000&"+filter, nil, &log); code != 200 {
		t.Fatalf("requests?%s: %d", filter, code)
	}
	out := make([]string, len(log.Requests))
	for i, r := range log.Requests {
		out[len(out)-1-i] = r.Verdict
	}
	return out
}

// TestVerdicts: a misbehaving client earns each verdict, a well-behaved one
// none. Misbehaving: calls again before Retry-After, keeps using a revoked
// key, repeats a page size a 400 refused. Well-behaved: waits out
// Retry-After, stops after the first 401, fixes the page size.
func TestVerdicts(t *testing.T) {
	h := instancetest.Start(t, instancetest.APIs("journeybee"))
	a := apisOf(h)[0]
	two := 2
	moveClock(t, h, admin.ClockRequest{Freeze: true})

	// Retry-After: the misbehaving client calls again at once.
	bad := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "impatient", RateLimit: &two})
	good := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "patient", RateLimit: &two})
	for range 4 {
		a.get(bad.Key)
	}
	for range 3 {
		a.get(good.Key)
	}
	moveClock(t, h, admin.ClockRequest{Advance: "60s"})
	a.get(good.Key) // after the window: fine
	if got := verdictsOf(t, h, "key="+bad.ID); strings.Join(got, ",") != ",,,retry_too_early" {
		t.Fatalf("impatient client's verdicts %q", got)
	}
	if got := verdictsOf(t, h, "key="+good.ID); strings.Join(got, "") != "" {
		t.Fatalf("patient client earned %q", got)
	}

	// A revoked key: the third request on is ignored_auth_failure.
	revoked := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "stale", RateLimit: new(int)})
	h.Admin("POST", "/keys/"+revoked.ID+"/revoke", nil, nil)
	for range 4 {
		a.get(revoked.Key)
	}
	if got := verdictsOf(t, h, "key="+revoked.ID); strings.Join(got, ",") != ",,ignored_auth_failure,ignored_auth_failure" {
		t.Fatalf("revoked key's verdicts %q", got)
	}
	// An unknown key is told apart by its hash.
	for range 3 {
		a.get("jb_live_" + strings.Repeat("z", 32))
	}
	if n := countRequests(t, h, "verdict=ignored_auth_failure"); n != 3 {
		t.Fatalf("ignored_auth_failure count %d, want 3", n)
	}

	// Page size over the maximum, again after the 400.
	pager := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "pager", RateLimit: new(int)})
	fixer := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "fixer", RateLimit: new(int)})
	get := func(k admin.CreatedKey, size string) int {
		return h.Call("journeybee", "GET", "/v1/users?pageSize="+size, "", nil, a.present(k.Key)...).Status
	}
	if get(pager, "500") != 400 || get(pager, "500") != 400 || get(fixer, "500") != 400 || get(fixer, "50") != 200 {
		t.Fatal("page sizes not answered as expected")
	}
	if got := verdictsOf(t, h, "key="+pager.ID); strings.Join(got, ",") != ",repeated_bad_request" {
		t.Fatalf("pager's verdicts %q", got)
	}
	if got := verdictsOf(t, h, "key="+fixer.ID); strings.Join(got, "") != "" {
		t.Fatalf("fixer earned %q", got)
	}
	// The trace says why.
	var log struct{ Requests []admin.RequestSummary }
	h.Admin("GET", "/requests?verdict=repeated_bad_request", nil, &log)
	var e journal.Entry
	h.Admin("GET", "/requests/"+strconv.FormatUint(log.Requests[0].ID, 10), nil, &e)
	if !strings.Contains(strings.Join(e.Trace, "\n"), "verdict: repeated_bad_request") {
		t.Fatalf("trace %q lacks the verdict", e.Trace)
	}
}

func countRequests(t *testing.T, h *instancetest.Harness, filter string) int {
	t.Helper()
	var out struct{ Count int }
	if code := h.Admin("GET", "/requests/count?"+filter, nil, &out); code != 200 {
		t.Fatalf("count?%s: %d", filter, code)
	}
	return out.Count
}

// TestRequestFilters: each filter of GET /requests and its count.
func TestRequestFilters(t *testing.T) {
	h := instancetest.Start(t, instancetest.APIs("journeybee", "eudr"))
	jb := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "jb"})
	eu := h.Key(admin.CreateKeyRequest{API: "eudr", Name: "eu", Scopes: []string{"integration:suppliers:read"}})
	t0 := h.Clock.Now()
	h.Call("journeybee", "GET", "/v1/users", "", nil, bearer(jb.Key)...)
	h.Call("journeybee", "GET", "/v1/users/3", "", nil, bearer(jb.Key)...)
	h.Clock.Advance(time.Hour)
	h.Call("journeybee", "POST", "/v1/leads", "", []byte(`{"name":"A","email":"a@b.io"}`), append(bearer(jb.Key), "Content-Type", "application/json")...)
	h.Call("eudr", "GET", "/api/v1/integration/batches", "", nil, bearer(eu.Key)...)
	h.Call("journeybee", "GET", "/v1/nope", "", nil)
	for filter, want := range map[string]int{
		"":                           5,
		"api=journeybee":             4,
		"method=POST&path=/v1/leads": 1,
		"path=/v1/users/*":           1,
		"path=/v1/*":                 3,
		"status=4xx":                 2,
		"status=403":                 1,
		"code=INSUFFICIENT_SCOPES":   1,
		"key=" + jb.ID:               3,
		"since=" + url.QueryEscape(t0.Add(30*time.Minute).Format(time.RFC3339)): 3,
		"until=" + url.QueryEscape(t0.Add(30*time.Minute).Format(time.RFC3339)): 2,
	} {
		if n := countRequests(t, h, filter); n != want {
			t.Errorf("count?%s = %d, want %d", filter, n, want)
		}
		if got := len(verdictsOf(t, h, filter)); got != want {
			t.Errorf("requests?%s lists %d, want %d", filter, got, want)
		}
	}
	for _, bad := range []string{"status=9xx", "verdict=rude", "since=yesterday", "path=nope", "colour=red", "limit=0"} {
		code, body := h.AdminSend("GET", "/requests?"+bad, "", nil)
		if code != 400 || !strings.Contains(string(body), strings.Split(bad, "=")[0]) {
			t.Errorf("requests?%s: %d %s, want 400 naming the filter", bad, code, body)
		}
	}
}

// TestCurlReplays: the copied curl command, with MOCKGATE_KEY holding the
// key, sends the same request again and gets the same answer; without the
// key it is refused. It never holds the raw key.
func TestCurlReplays(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatal("curl is needed (scripts/deps.sh installs it)")
	}
	h := instancetest.Start(t, instancetest.APIs("journeybee", "jelou"))
	jb := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "jb"})
	jl := h.Key(admin.CreateKeyRequest{API: "jelou", Name: "jl"})
	h.Call("journeybee", "POST", "/v1/leads", "", []byte(`{"name":"O'Brien $HOME","email":"o@b.io"}`), append(bearer(jb.Key), "Content-Type", "application/json")...)
	h.Call("jelou", "GET", "/jelouapi/v1/company/1001/campaigns", "", nil, "x-api-key", jl.Key)
	var log struct{ Requests []admin.RequestSummary }
	h.Admin("GET", "/requests", nil, &log)
	for i, key := range []string{jl.Key, jb.Key} {
		r := log.Requests[i]
		var c admin.CurlCommand
		if code := h.Admin("GET", "/requests/"+strconv.FormatUint(r.ID, 10)+"/curl", nil, &c); code != 200 {
			t.Fatalf("curl of %d: %d", r.ID, code)
		}
		if strings.Contains(c.Command, key) || c.Variable != admin.KeyVariable {
			t.Fatalf("curl command %q holds the key or names no variable", c.Command)
		}
		run := func(k string) string {
			cmd := exec.Command("sh", "-c", c.Command+` -o /dev/null -w '%{http_code}'`)
			cmd.Env = append(os.Environ(), admin.KeyVariable+"="+k)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v: %s", c.Command, err, out)
			}
			return string(out)
		}
		if got := run(key); got != strconv.Itoa(r.Status) {
			t.Fatalf("%s replayed with the key: %s, want %d", c.Command, got, r.Status)
		}
		if got := run("nope"); got != strconv.Itoa(http.StatusUnauthorized) {
			t.Fatalf("%s replayed with a wrong key: %s, want 401", c.Command, got)
		}
	}
}

// TestPreferredTooManyRequestsTellsNothing: a 429 the client asked for with
// Prefer does not make its next request retry_too_early; a queued fault's
// 429 does.
func TestPreferredTooManyRequestsTellsNothing(t *testing.T) {
	h := instancetest.Start(t, instancetest.APIs("journeybee"))
	a := apisOf(h)[0]
	k := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "k", RateLimit: new(int)})
	if r := a.get(k.Key, "Prefer", "code=429"); r.Status != 429 {
		t.Fatalf("Prefer 429: %d", r.Status)
	}
	a.get(k.Key)
	h.Admin("POST", "/apis/journeybee/faults", admin.FaultRequest{Status: 429}, nil)
	a.get(k.Key)
	a.get(k.Key)
	if got := verdictsOf(t, h, "key="+k.ID); strings.Join(got, ",") != ",,,retry_too_early" {
		t.Fatalf("verdicts %q", got)
	}
}
