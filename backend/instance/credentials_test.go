package instance_test

import (
	"net/http"
	"strings"
	"testing"

	"mockgate/backend/admin"
	"mockgate/backend/instance/instancetest"
	"mockgate/backend/profile"
)

// listTarget is the path and Host of p's first list endpoint for its
// default tenant ("" for the API's own host).
func listTarget(p *profile.Profile) (path, host string) {
	path = strings.ReplaceAll(firstList(p).Path, "{"+p.Tenancy.Param+"}", p.Tenancy.Default)
	if p.Tenancy.Kind == profile.TenancySubdomain {
		host = p.Tenancy.Default + ".localhost:PORT"
	}
	return path, host
}

// credential is the header carrying raw the way p wants it.
func credential(p *profile.Profile, raw string) []string {
	if p.Auth.Scheme == "" {
		return []string{p.Auth.Header, raw}
	}
	return []string{p.Auth.Header, p.Auth.Scheme + " " + raw}
}

// TestCredentialBlanks: only the blanks HTTP allows around a header value
// (SP, HTAB) are trimmed; a key next to any other character, a
// non-breaking space first, is another credential: malformed where the
// profile enforces the shape (eudr: INVALID_TOKEN_FORMAT), unknown
// elsewhere.
func TestCredentialBlanks(t *testing.T) {
	h := instancetest.Start(t)
	for _, a := range h.Instance().APIs {
		p := a.Engine.Profile()
		t.Run(p.ID, func(t *testing.T) {
			path, host := listTarget(p)
			good := h.Key(admin.CreateKeyRequest{API: p.ID, Name: "good"}).Key
			send := func(raw string) instancetest.Response {
				return h.Call(p.ID, "GET", path, host, nil, credential(p, raw)...)
			}
			ok := []string{good, good + " ", good + "\t", " " + good}
			if p.Auth.Scheme == "" {
				ok = append(ok, "\t "+good) // after a scheme only spaces may come (RFC 9110 11.4)
			}
			for _, raw := range ok {
				if r := send(raw); r.Status != http.StatusOK {
					t.Errorf("%q: %d, want 200: %s", raw, r.Status, r.Body)
				}
			}
			want := profile.KindInvalidKey
			if p.KeyFormat.Enforce {
				want = profile.KindMalformedKey
			}
			for _, raw := range []string{good + "\u00a0", "\u00a0" + good, good + "\u2003", good + "\u3000", good + "\u0085", good + "\u200b", good + "\u00a0 "} {
				r := send(raw)
				a := p.Answer(want)
				if r.Status != a.Status || a.Code != "" && !strings.Contains(string(r.Body), `"`+a.Code+`"`) {
					t.Errorf("%q: %d %s, want %d %s (%s)", raw, r.Status, r.Body, a.Status, a.Code, want)
				}
			}
			// A lone non-breaking space is a (wrong) credential, not none.
			if p.Auth.Scheme == "" {
				if r := send("\u00a0"); r.Status != p.Answer(want).Status || strings.Contains(string(r.Body), "Missing") {
					t.Errorf("lone U+00A0: %d %s, want %s", r.Status, r.Body, want)
				}
			}
		})
	}
}
