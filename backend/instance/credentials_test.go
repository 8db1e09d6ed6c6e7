package instance_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"mockgate/backend/admin"
	"mockgate/backend/instance/instancetest"
	"mockgate/backend/profile"
)

// TestCredentialBlanks: only the blanks HTTP allows around a header value
// (SP, HTAB) are trimmed; a key next to any other character, a
// non-breaking space first, is another credential: malformed where the
// profile enforces the shape (eudr: INVALID_TOKEN_FORMAT), unknown
// elsewhere.
func TestCredentialBlanks(t *testing.T) {
	h := instancetest.Start(t)
	eachAPI(t, h, func(t *testing.T, p *profile.Profile, path, host string) {
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

// TestKeyInQuery: each API's rule for a key in the URL (see its profile's
// notes): juleb refuses it, even next to a valid header, as its seed says;
// the others read only their header and ignore the parameter, noting it in
// the trace. Either way the request log masks the value.
func TestKeyInQuery(t *testing.T) {
	h := instancetest.Start(t)
	eachAPI(t, h, func(t *testing.T, p *profile.Profile, path, host string) {
		raw := h.Key(admin.CreateKeyRequest{API: p.ID, Name: "in the URL"}).Key
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		refuses := len(p.Auth.QueryParams) > 0
		// The rule is written down: in the profile's notes, and so in its
		// OpenAPI document, whose security scheme also states it.
		doc := string(h.Call(p.ID, "GET", "/openapi.json", host, nil).Body)
		rule := "A key in the query string is not read"
		if refuses {
			rule = "is refused with `key_in_query`"
		}
		if !strings.Contains(strings.Join(p.Notes, "\n"), "Keys in URLs: ") || !strings.Contains(doc, "Keys in URLs: ") || !strings.Contains(doc, rule) {
			t.Errorf("the rule for a key in the URL is not in the notes and the OpenAPI document (%q)", rule)
		}
		for _, param := range []string{"api_key", "apiKey", "token", "key"} {
			target := path + sep + param + "=" + url.QueryEscape(raw)
			withHeader := h.Call(p.ID, "GET", target, host, nil, credential(p, raw)...)
			alone := h.Call(p.ID, "GET", target, host, nil)
			kindAlone := profile.KindMissingKey
			if refuses {
				kindAlone = profile.KindKeyInQuery
				if a := p.Answer(profile.KindKeyInQuery); withHeader.Status != a.Status || !strings.Contains(string(withHeader.Body), jsonText(a.Message)) {
					t.Errorf("%s with a valid header: %d %s, want %d (key_in_query)", param, withHeader.Status, withHeader.Body, a.Status)
				}
			} else if withHeader.Status != http.StatusOK {
				t.Errorf("%s with a valid header: %d %s, want 200 (the parameter is ignored)", param, withHeader.Status, withHeader.Body)
			}
			if a := p.Answer(kindAlone); alone.Status != a.Status || !strings.Contains(string(alone.Body), jsonText(strings.ReplaceAll(a.Message, "{detail}", ""))) {
				t.Errorf("%s alone: %d %s, want %d (%s)", param, alone.Status, alone.Body, a.Status, kindAlone)
			}
		}
		// The request log: the value masked, and the trace says why.
		var page struct {
			Requests []struct {
				ID    uint64
				Query string
			} `json:"requests"`
		}
		h.Admin("GET", "/requests?api="+p.ID+"&limit=1000", nil, &page)
		if len(page.Requests) < 9 {
			t.Fatalf("request log has %d entries for %s, want 9", len(page.Requests), p.ID)
		}
		secret := raw[len(raw)-24:]
		for _, e := range page.Requests {
			_, body := h.AdminSend("GET", "/requests/"+itoa(int(e.ID)), "", nil)
			if strings.Contains(string(body), secret) {
				t.Errorf("request log entry %d holds the raw key: %s", e.ID, body)
			}
			var entry struct{ Trace []string }
			if err := json.Unmarshal(body, &entry); err != nil {
				t.Fatal(err)
			}
			trace := strings.Join(entry.Trace, "\n")
			if e.Query == "" {
				continue // the OpenAPI document
			}
			if !refuses && !strings.Contains(trace, "is not read as a key") {
				t.Errorf("entry %d (%s): the trace does not say the parameter was ignored:\n%s", e.ID, e.Query, trace)
			}
			if refuses && !strings.Contains(trace, "refused") {
				t.Errorf("entry %d (%s): the trace does not say the key was refused:\n%s", e.ID, e.Query, trace)
			}
		}
	})
}
