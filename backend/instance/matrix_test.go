package instance_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"mockgate/backend/admin"
	"mockgate/backend/instance/instancetest"
	"mockgate/backend/profile"
)

// TestNegativeMatrix sends the same negative cases to every API, each
// answered with the status and code its profile names: no key, wrong
// scheme, malformed, unknown, revoked, expired, deleted, and the request
// after the last one the minute allows (then the next minute).
func TestNegativeMatrix(t *testing.T) {
	h := instancetest.Start(t)
	eachAPI(t, h, func(t *testing.T, p *profile.Profile, path, host string) {
		send := func(hdrs ...string) instancetest.Response { return h.Call(p.ID, "GET", path, host, nil, hdrs...) }
		present := func(raw string) []string { return credential(p, raw) }
		good := h.Key(admin.CreateKeyRequest{API: p.ID, Name: "good"})
		revoked := h.Key(admin.CreateKeyRequest{API: p.ID, Name: "revoked"})
		deleted := h.Key(admin.CreateKeyRequest{API: p.ID, Name: "deleted"})
		expired := h.Key(admin.CreateKeyRequest{API: p.ID, Name: "expired", TTL: "30s"})
		h.Admin("POST", "/keys/"+revoked.ID+"/revoke", nil, nil)
		h.Admin("DELETE", "/keys/"+deleted.ID, nil, nil)
		h.Clock.Advance(time.Minute)

		cases := []struct {
			name string
			hdrs []string
			kind string
		}{
			{"no key", nil, profile.KindMissingKey},
			{"unknown key", present(p.KeyFormat.Prefix + strings.Repeat("a", p.KeyFormat.Length)), profile.KindInvalidKey},
			{"revoked", present(revoked.Key), profile.KindRevokedKey},
			{"deleted", present(deleted.Key), profile.KindInvalidKey},
			{"expired", present(expired.Key), profile.KindExpiredKey},
		}
		if p.Auth.Scheme != "" {
			cases = append(cases, struct {
				name string
				hdrs []string
				kind string
			}{"wrong scheme", []string{p.Auth.Header, "Basic " + good.Key}, profile.KindWrongScheme})
		}
		if p.KeyFormat.Enforce {
			cases = append(cases, struct {
				name string
				hdrs []string
				kind string
			}{"malformed", present(good.Key[:len(good.Key)-1]), profile.KindMalformedKey})
		}
		for _, c := range cases {
			r := send(c.hdrs...)
			want := p.Answer(c.kind)
			if r.Status != want.Status {
				t.Errorf("%s: status %d, want %d (%s): %s", c.name, r.Status, want.Status, c.kind, r.Body)
				continue
			}
			if want.Code != "" && !strings.Contains(string(r.Body), `"`+want.Code+`"`) {
				t.Errorf("%s: body %s lacks code %s", c.name, r.Body, want.Code)
			}
			if msg := strings.ReplaceAll(want.Message, "{detail}", ""); !strings.Contains(string(r.Body), jsonText(msg)) {
				t.Errorf("%s: body %s lacks message %q", c.name, r.Body, msg)
			}
		}

		// The rate limit: the last allowed request, the refused one, the next minute.
		limit := p.RateLimit.PerMinute
		for i := 1; i <= limit; i++ {
			if r := send(present(good.Key)...); r.Status != http.StatusOK {
				t.Fatalf("request %d of %d: %d %s", i, limit, r.Status, r.Body)
			}
		}
		h.Clock.Advance(15 * time.Second)
		r := send(present(good.Key)...)
		want := p.Answer(profile.KindRateLimited)
		if r.Status != http.StatusTooManyRequests || !strings.Contains(string(r.Body), jsonText(want.Message)) {
			t.Fatalf("request %d: %d %s", limit+1, r.Status, r.Body)
		}
		if ra := r.Header.Get("Retry-After"); ra != "45" {
			t.Fatalf("Retry-After %q, want 45", ra)
		}
		prefix := "Ratelimit-"
		if p.RateLimit.Headers == profile.HeadersXRateLimit {
			prefix = "X-Ratelimit-"
		}
		if r.Header.Get(prefix+"Limit") != strconv.Itoa(limit) || r.Header.Get(prefix+"Remaining") != "0" {
			t.Fatalf("headers on 429: %v", r.Header)
		}
		h.Clock.Advance(46 * time.Second)
		if r := send(present(good.Key)...); r.Status != http.StatusOK || r.Header.Get(prefix+"Remaining") != strconv.Itoa(limit-1) {
			t.Fatalf("next minute: %d %v", r.Status, r.Header)
		}
	})
}

// listTarget is the path and Host of p's first list endpoint for its
// default tenant ("" for the API's own host).
func listTarget(p *profile.Profile) (path, host string) {
	path = strings.ReplaceAll(firstList(p).Path, "{"+p.Tenancy.Param+"}", p.Tenancy.Default)
	if p.Tenancy.Kind == profile.TenancySubdomain {
		host = p.Tenancy.Default + ".localhost:PORT"
	}
	return path, host
}

// eachAPI runs fn as a subtest for every API h serves, with the path and
// Host of its first list endpoint.
func eachAPI(t *testing.T, h *instancetest.Harness, fn func(t *testing.T, p *profile.Profile, path, host string)) {
	for _, a := range h.Instance().APIs {
		p := a.Engine.Profile()
		t.Run(p.ID, func(t *testing.T) {
			path, host := listTarget(p)
			fn(t, p, path, host)
		})
	}
}

// credential is the header carrying raw the way p wants it.
func credential(p *profile.Profile, raw string) []string {
	if p.Auth.Scheme == "" {
		return []string{p.Auth.Header, raw}
	}
	return []string{p.Auth.Header, p.Auth.Scheme + " " + raw}
}

func firstList(p *profile.Profile) profile.Endpoint {
	for _, e := range p.Endpoints() {
		if e.Kind == profile.OpList && (e.Scope == "" || strings.Contains(e.Scope, "read") || p.Permissions.Model != profile.PermReadWrite) {
			return e
		}
	}
	return p.Endpoints()[0]
}

// jsonText is s as it appears inside a JSON string.
func jsonText(s string) string {
	b := string(appendJSON(s))
	return b[1 : len(b)-1]
}
