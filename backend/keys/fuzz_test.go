package keys

import (
	"crypto/sha256"
	"strings"
	"testing"
)

// matchesRef is Matches written the slow, obvious way, to compare against.
func matchesRef(f Format, raw string) bool {
	rest, ok := strings.CutPrefix(raw, f.Prefix)
	if !ok || len(rest) != f.Length {
		return false
	}
	chars := f.chars()
	if chars == "" {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if strings.IndexByte(chars, rest[i]) < 0 {
			return false
		}
	}
	return true
}

// FuzzFormatMatches checks Matches on any format and any presented key
// (the request path calls it on whatever a client sends): it never panics,
// agrees with the obvious implementation, and a key Generate made for a
// valid format always matches its format (and, mutated, agrees again).
func FuzzFormatMatches(f *testing.F) {
	f.Add("eudr_live_", "hex", 48, "eudr_live_0123456789abcdef0123456789abcdef0123456789abcdef", 0)
	f.Add("eudr_live_", "hex", 48, "eudr_live_0123456789ABCDEF0123456789abcdef0123456789abcdef", 3)
	f.Add("jb_live_", "base62", 40, "jb_live_", 7)
	f.Add("jl_", "base62", 40, "jl_\xff\xfe", 1)
	f.Add("", "hex", 16, "", 0)
	f.Add("x", "base64", 16, "x0000000000000000", 0)
	f.Add("p_", "hex", -1, "p_", 2)
	f.Add("é_", "base62", 256, strings.Repeat("a", 300), 5)
	f.Fuzz(func(t *testing.T, prefix, alphabet string, length int, raw string, flip int) {
		fm := Format{Prefix: prefix, Alphabet: alphabet, Length: length}
		if got, want := fm.Matches(raw), matchesRef(fm, raw); got != want {
			t.Fatalf("Matches(%+v, %q) = %v, reference says %v", fm, raw, got, want)
		}
		if fm.Validate() != nil {
			if _, err := Generate(fm); err == nil {
				t.Fatalf("Generate accepted the invalid format %+v", fm)
			}
			return
		}
		key, err := Generate(fm)
		if err != nil {
			t.Fatalf("Generate(%+v): %v", fm, err)
		}
		if len(key) != len(prefix)+length || !strings.HasPrefix(key, prefix) || !fm.Matches(key) {
			t.Fatalf("Generate(%+v) = %q, which does not match its format", fm, key)
		}
		if Hash(key) != sha256.Sum256([]byte(key)) {
			t.Fatalf("Hash(%q) is not its SHA-256", key)
		}
		// One changed byte of the random part: Matches still agrees.
		b := []byte(key)
		i := len(prefix) + (flip%length+length)%length
		b[i] ^= byte(flip>>8) | 1
		if got, want := fm.Matches(string(b)), matchesRef(fm, string(b)); got != want {
			t.Fatalf("Matches(%+v, %q) = %v, reference says %v", fm, b, got, want)
		}
	})
}

// FuzzHash checks Hash against SHA-256 for any input, on both sides of its
// stack-buffer bound.
func FuzzHash(f *testing.F) {
	f.Add("")
	f.Add("jb_live_abc")
	f.Add(strings.Repeat("k", 128))
	f.Add(strings.Repeat("k", 129))
	f.Fuzz(func(t *testing.T, raw string) {
		if Hash(raw) != sha256.Sum256([]byte(raw)) {
			t.Fatalf("Hash(%q) is not its SHA-256", raw)
		}
	})
}
