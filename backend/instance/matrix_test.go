package instance_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"mockgate/backend/admin"
	"mockgate/backend/profile"
)

// TestNegativeMatrix sends the same negative cases to every API, each
// answered with the status and code its profile names: no key, wrong
// scheme, malformed, unknown, revoked, expired, deleted, and the request
// after the last one the minute allows (then the next minute).
func TestNegativeMatrix(t *testing.T) {
	h := start(t)
	for _, a := range h.in.APIs {
		p := a.Engine.Profile()
		t.Run(p.ID, func(t *testing.T) {
			ep := firstList(p)
			path := strings.ReplaceAll(ep.Path, "{"+p.Tenancy.Param+"}", p.Tenancy.Default)
			host := ""
			if p.Tenancy.Kind == profile.TenancySubdomain {
				host = p.Tenancy.Default + ".localhost:PORT"
			}
			send := func(hdrs ...string) resp { return h.call(p.ID, "GET", path, host, nil, hdrs...) }
			present := func(raw string) []string {
				return []string{p.Auth.Header, strings.TrimSpace(p.Auth.Scheme + " " + raw)}
			}
			good := h.key(admin.CreateKeyRequest{API: p.ID, Name: "good"})
			revoked := h.key(admin.CreateKeyRequest{API: p.ID, Name: "revoked"})
			deleted := h.key(admin.CreateKeyRequest{API: p.ID, Name: "deleted"})
			expired := h.key(admin.CreateKeyRequest{API: p.ID, Name: "expired", TTL: "30s"})
			h.admin("POST", "/keys/"+revoked.ID+"/revoke", nil, nil)
			h.admin("DELETE", "/keys/"+deleted.ID, nil, nil)
			h.clk.Advance(time.Minute)

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
				if r.status != want.Status {
					t.Errorf("%s: status %d, want %d (%s): %s", c.name, r.status, want.Status, c.kind, r.body)
					continue
				}
				if want.Code != "" && !strings.Contains(string(r.body), `"`+want.Code+`"`) {
					t.Errorf("%s: body %s lacks code %s", c.name, r.body, want.Code)
				}
				if msg := strings.ReplaceAll(want.Message, "{detail}", ""); !strings.Contains(string(r.body), jsonText(msg)) {
					t.Errorf("%s: body %s lacks message %q", c.name, r.body, msg)
				}
			}

			// The rate limit: the last allowed request, the refused one, the next minute.
			limit := p.RateLimit.PerMinute
			for i := 1; i <= limit; i++ {
				if r := send(present(good.Key)...); r.status != http.StatusOK {
					t.Fatalf("request %d of %d: %d %s", i, limit, r.status, r.body)
				}
			}
			h.clk.Advance(15 * time.Second)
			r := send(present(good.Key)...)
			want := p.Answer(profile.KindRateLimited)
			if r.status != http.StatusTooManyRequests || !strings.Contains(string(r.body), jsonText(want.Message)) {
				t.Fatalf("request %d: %d %s", limit+1, r.status, r.body)
			}
			if ra := r.header.Get("Retry-After"); ra != "45" {
				t.Fatalf("Retry-After %q, want 45", ra)
			}
			prefix := "Ratelimit-"
			if p.RateLimit.Headers == profile.HeadersXRateLimit {
				prefix = "X-Ratelimit-"
			}
			if r.header.Get(prefix+"Limit") != strconv.Itoa(limit) || r.header.Get(prefix+"Remaining") != "0" {
				t.Fatalf("headers on 429: %v", r.header)
			}
			h.clk.Advance(46 * time.Second)
			if r := send(present(good.Key)...); r.status != http.StatusOK || r.header.Get(prefix+"Remaining") != strconv.Itoa(limit-1) {
				t.Fatalf("next minute: %d %v", r.status, r.header)
			}
		})
	}
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
