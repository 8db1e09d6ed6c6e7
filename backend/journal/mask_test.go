package journal

import (
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"mockgate/backend/keys"
)

func TestMaskSecret(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Bearer ", "Bearer "},
		{"Bearer eudr_live_0123456789abcdef0123456789abcdef0123456789abcdef", "Bearer eudr…cdef"},
		{"bearer   jb_live_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789aBcD", "bearer   jb_l…aBcD"},
		{"jl_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789aBcD", "jl_A…aBcD"},
		{"Basic dXNlcjpwYXNzd29yZA==", "Basic dXNl…ZA=="},
		{"1234567890123", "1234…0123"}, // 13: first and last 4
		{"123456789012", "…12"},        // 12 and fewer: last 2
		{"Bearer 123456", "Bearer …56"},
		{"12345", "…"},
		{"a", "…"},
		{"Bearer", "…er"},                              // no space: the word is the secret
		{"Token a b c d e f g h i", "Token a b … h i"}, // one scheme, the rest is secret
		{"ünïcödé-sécrét-välüe", "ünïc…älüe"},          // counted in runes, cut on runes
		{"=/+=/+=/+=/+=/+ x", "=/+=…/+ x"},             // not a scheme word
	}
	for _, tt := range tests {
		got := MaskSecret(tt.in)
		if got != tt.want {
			t.Errorf("MaskSecret(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("MaskSecret(%q) = %q is not valid UTF-8", tt.in, got)
		}
	}
}

// keyShapes are raw keys of every shape the built-in APIs issue, and some.
func keyShapes(t *testing.T) []string {
	t.Helper()
	formats := []keys.Format{
		{Prefix: "eudr_live_", Alphabet: keys.AlphabetHex, Length: 48},
		{Prefix: "jb_live_", Alphabet: keys.AlphabetBase62, Length: 40},
		{Prefix: "jl_", Alphabet: keys.AlphabetBase62, Length: 40},
		{Prefix: "jlb_", Alphabet: keys.AlphabetBase62, Length: 40},
		{Alphabet: keys.AlphabetHex, Length: 16},
		{Alphabet: keys.AlphabetBase62, Length: 256},
	}
	var out []string
	for _, f := range formats {
		for range 20 {
			raw, err := keys.Generate(f)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, raw)
		}
	}
	return append(out, "short", "123456789012", "1234567890123")
}

// hidden reports whether out hides raw: for a secret long enough to show
// 8 characters, no run of 9 of its characters may appear.
func hidden(out, raw string) bool {
	if len(raw) <= 12 {
		return !strings.Contains(out, raw)
	}
	for i := 0; i+9 <= len(raw); i++ {
		if strings.Contains(out, raw[i:i+9]) {
			return false
		}
	}
	return true
}

func TestRawKeyNeverInOutput(t *testing.T) {
	for _, raw := range keyShapes(t) {
		for _, v := range []string{raw, "Bearer " + raw, "Basic " + raw, "Bearer  " + raw + " "} {
			if out := MaskSecret(v); !hidden(out, raw) {
				t.Errorf("MaskSecret(%q) = %q leaks the key", v, out)
			}
		}
		h := http.Header{
			"Authorization":       {"Bearer " + raw},
			"X-Api-Key":           {raw},
			"x-api-key":           {raw}, // not canonical
			"Cookie":              {"session=" + raw},
			"Proxy-Authorization": {raw},
			"X-Vendor-Token":      {raw},
		}
		for name, vs := range MaskHeaders(h, []string{"x-vendor-token"}) {
			for _, v := range vs {
				if !hidden(v, raw) {
					t.Errorf("MaskHeaders: %s: %q leaks %q", name, v, raw)
				}
			}
		}
		for _, q := range []string{"api_key=" + raw, "limit=1&token=" + raw + "&x=1", "Key=" + raw, "api%5Fkey=" + raw, "X-API-KEY=" + raw, "apiKey=" + raw} {
			if out := MaskQuery(q, []string{"apiKey"}); !hidden(out, raw) {
				t.Errorf("MaskQuery(%q) = %q leaks the key", q, out)
			}
		}
	}
}

func TestMaskHeaders(t *testing.T) {
	h := http.Header{
		"Authorization": {"Bearer eudr_live_0123456789abcdef0123456789abcdef0123456789abcdef"},
		"Accept":        {"application/json", "text/plain"},
		"X-Company-Key": {"jl_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789aBcD"},
		"Set-Cookie":    {"sid=abcdefghijklmnopq; Path=/"},
		"Empty":         {},
	}
	got := MaskHeaders(h, []string{"X-COMPANY-KEY"})
	want := map[string][]string{
		"Authorization": {"Bearer eudr…cdef"},
		"Accept":        {"application/json", "text/plain"},
		"X-Company-Key": {"jl_A…aBcD"},
		"Set-Cookie":    {"sid=…th=/"},
		"Empty":         {},
	}
	if len(got) != len(want) {
		t.Fatalf("MaskHeaders = %v", got)
	}
	for k, wv := range want {
		if strings.Join(got[k], "|") != strings.Join(wv, "|") {
			t.Errorf("%s = %q, want %q", k, got[k], wv)
		}
	}
	// The copy is independent, and appending to one value cannot spill
	// into the next one's backing array.
	got["Accept"][0] = "changed"
	_ = append(got["Authorization"], "extra")
	if h.Get("Accept") != "application/json" || got["Accept"][1] != "text/plain" {
		t.Error("MaskHeaders shares storage")
	}
	if MaskHeaders(nil, nil) != nil {
		t.Error("MaskHeaders(nil) is not nil")
	}
}

func TestMaskQuery(t *testing.T) {
	const k = "jb_live_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789aBcD"
	tests := []struct {
		in     string
		params []string
		want   string
	}{
		{"", nil, ""},
		{"limit=1&offset=0", nil, "limit=1&offset=0"},
		{"limit=1&api_key=" + k, nil, "limit=1&api_key=jb_l%E2%80%A6aBcD"},
		{"TOKEN=" + k + "&a=%20b", nil, "TOKEN=jb_l%E2%80%A6aBcD&a=%20b"},
		{"api%5Fkey=" + k, nil, "api%5Fkey=jb_l%E2%80%A6aBcD"},
		{"sig=" + k, []string{"SIG"}, "sig=jb_l%E2%80%A6aBcD"},
		{"sig=" + k, nil, "sig=" + k}, // not a secret param unless named
		{"key", nil, "key"},           // no value
		{"key=&x=1", nil, "key=&x=1"}, // empty value
		{"access_token=Bearer+" + k, nil, "access_token=Bearer+jb_l%E2%80%A6aBcD"},
		{"a=1&&key=short", nil, "a=1&&key=%E2%80%A6"},
	}
	for _, tt := range tests {
		if got := MaskQuery(tt.in, tt.params); got != tt.want {
			t.Errorf("MaskQuery(%q, %q) = %q, want %q", tt.in, tt.params, got, tt.want)
		}
	}
}

func TestTruncateBody(t *testing.T) {
	pad := func(n int) string { return strings.Repeat("a", n) }
	tests := []struct {
		name      string
		in        string
		wantLen   int
		truncated bool
	}{
		{"empty", "", 0, false},
		{"exactly MaxBody", pad(MaxBody), MaxBody, false},
		{"one over", pad(MaxBody + 1), MaxBody, true},
		{"2-byte rune across the limit", pad(MaxBody-1) + "é" + "zz", MaxBody - 1, true},
		{"2-byte rune ending at the limit", pad(MaxBody-2) + "é" + "zz", MaxBody, true},
		{"3-byte rune across the limit", pad(MaxBody-2) + "€" + "zz", MaxBody - 2, true},
		{"4-byte rune across the limit", pad(MaxBody-1) + "😀" + "zz", MaxBody - 1, true},
		{"4-byte rune one byte short", pad(MaxBody-3) + "😀" + "zz", MaxBody - 3, true},
		{"all multi-byte", strings.Repeat("日本語", MaxBody), MaxBody - MaxBody%3, true},
	}
	for _, tt := range tests {
		got, tr := TruncateBody([]byte(tt.in))
		if len(got) != tt.wantLen || tr != tt.truncated || !strings.HasPrefix(tt.in, got) {
			t.Errorf("%s: len %d truncated %v; want %d %v", tt.name, len(got), tr, tt.wantLen, tt.truncated)
		}
		if !utf8.ValidString(got) {
			t.Errorf("%s: result is not valid UTF-8", tt.name)
		}
	}
	// Binary data: still at most MaxBody, never more than 3 bytes less.
	bin := []byte(strings.Repeat("\x80", MaxBody+10))
	if got, tr := TruncateBody(bin); !tr || len(got) < MaxBody-3 || len(got) > MaxBody {
		t.Errorf("binary: len %d", len(got))
	}
}

func TestSecretParam(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		params   []string
	}{
		{"", "", nil},
		{"limit=1&offset=0", "", nil},
		{"limit=1&api%5Fkey=x&token=y", "api%5Fkey", nil},
		{"sig=x", "", nil},
		{"a=1&sig=x", "sig", []string{"SIG"}},
		{"key", "", nil}, // no value: nothing to mask
		{"Key=", "Key", nil},
	} {
		name, ok := SecretParam(tt.in, tt.params)
		if name != tt.want || ok != (tt.want != "") {
			t.Errorf("SecretParam(%q, %q) = %q, %v, want %q", tt.in, tt.params, name, ok, tt.want)
		}
		if masked := MaskQuery(tt.in, tt.params) != tt.in; masked != ok && tt.in != "Key=" {
			t.Errorf("MaskQuery(%q) masked %v, SecretParam found %v", tt.in, masked, ok)
		}
	}
	if n := testing.AllocsPerRun(100, func() { SecretParam("page=1&pageSize=20&apiKey=x", nil) }); n != 0 {
		t.Errorf("SecretParam allocates %v times", n)
	}
}

func TestMaskEchoes(t *testing.T) {
	const k = "jb_live_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789aBcD"
	next := `{"next_url":"http://127.0.0.1:7705/api/items?after=item_2&key=` + k + `&limit=2"}`
	masked := `{"next_url":"http://127.0.0.1:7705/api/items?after=item_2&key=jb_l…aBcD&limit=2"}`
	tests := []struct {
		name, body, query string
		params            []string
		want              string
	}{
		{"a key echoed in a next link", next, "limit=2&key=" + k, nil, masked},
		{"a scheme's own parameter", strings.ReplaceAll(next, "key=", "sig="), "sig=" + k, []string{"sig"}, strings.ReplaceAll(masked, "key=", "sig=")},
		{"sent percent-encoded", `{"token":"ab/c+d=efgh12345"}`, "token=ab%2Fc%2Bd%3Defgh12345", nil, `{"token":"ab/c…2345"}`},
		{"no secret parameter", next, "limit=2", nil, next},
		{"a short value is left", `{"count":1}`, "key=1", nil, `{"count":1}`},
		{"not echoed", `{"data":[]}`, "key=" + k, nil, `{"data":[]}`},
	}
	for _, tt := range tests {
		if got := string(MaskEchoes([]byte(tt.body), tt.query, tt.params)); got != tt.want {
			t.Errorf("%s: MaskEchoes = %s, want %s", tt.name, got, tt.want)
		}
	}
}
