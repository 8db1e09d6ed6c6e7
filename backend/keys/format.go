// Package keys issues, stores and checks the API keys of the mock APIs.
//
// A raw key exists only twice: when Create returns it (shown once to the
// user) and when a client presents it in a request. Everything kept, in
// memory or on disk, is its SHA-256 hash plus a few display characters.
// Requests find their key with Lookup, which reads an immutable snapshot
// through one atomic load, so the request path never waits for a lock.
package keys

import (
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"strings"
)

// Alphabets a Format may use.
const (
	// AlphabetHex is lower-case hexadecimal: 0-9a-f.
	AlphabetHex = "hex"
	// AlphabetBase62 is 0-9A-Za-z.
	AlphabetBase62 = "base62"
)

// Bounds on Format.Length. The lower bound keeps the displayed prefix (four
// random characters) and last four from revealing most of a key, and keeps
// at least 64 bits of randomness.
const (
	MinLength = 16
	MaxLength = 256
)

const (
	hexChars    = "0123456789abcdef"
	base62Chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
)

// Format is the shape of a raw key: Prefix followed by Length characters of
// Alphabet.
type Format struct {
	// Prefix starts every key, e.g. "eudr_live_". It may be empty.
	Prefix string `json:"prefix"`
	// Alphabet of the random part: AlphabetHex or AlphabetBase62.
	Alphabet string `json:"alphabet"`
	// Length of the random part, in characters.
	Length int `json:"length"`
}

// Validate reports, as a sentence naming the field, why f cannot issue keys.
// The returned error matches ErrInvalid.
func (f Format) Validate() error {
	if f.chars() == "" {
		return invalidf("the key format's alphabet %q is not supported: use %q or %q", f.Alphabet, AlphabetHex, AlphabetBase62)
	}
	if f.Length < MinLength || f.Length > MaxLength {
		return invalidf("the key format's length must be between %d and %d characters, not %d", MinLength, MaxLength, f.Length)
	}
	if strings.ContainsFunc(f.Prefix, func(r rune) bool { return r <= ' ' || r > '~' }) {
		return invalidf("the key format's prefix %q must be printable ASCII without spaces", f.Prefix)
	}
	return nil
}

func (f Format) chars() string {
	switch f.Alphabet {
	case AlphabetHex:
		return hexChars
	case AlphabetBase62:
		return base62Chars
	}
	return ""
}

// Generate returns a new raw key of format f from crypto/rand. Each random
// character is drawn by rejection sampling (bytes at or above the largest
// multiple of the alphabet size are discarded), so every character of the
// alphabet is equally likely.
func Generate(f Format) (string, error) {
	if err := f.Validate(); err != nil {
		return "", err
	}
	chars := f.chars()
	n := len(chars)
	limit := 256 - 256%n // bytes >= limit would favour the first 256%n characters
	out := make([]byte, len(f.Prefix), len(f.Prefix)+f.Length)
	copy(out, f.Prefix)
	var buf [64]byte
	for len(out) < cap(out) {
		if _, err := rand.Read(buf[:]); err != nil {
			return "", fmt.Errorf("reading the system's random source: %w", err)
		}
		for _, b := range buf {
			if int(b) >= limit {
				continue
			}
			out = append(out, chars[int(b)%n])
			if len(out) == cap(out) {
				break
			}
		}
	}
	return string(out), nil
}

// Matches reports whether raw has exactly the shape of f: the prefix, then
// Length characters of the alphabet and nothing else. It does not allocate.
func (f Format) Matches(raw string) bool {
	if len(raw) != len(f.Prefix)+f.Length || !strings.HasPrefix(raw, f.Prefix) {
		return false
	}
	rest := raw[len(f.Prefix):]
	switch f.Alphabet {
	case AlphabetHex:
		for i := 0; i < len(rest); i++ {
			c := rest[i]
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return false
			}
		}
	case AlphabetBase62:
		for i := 0; i < len(rest); i++ {
			c := rest[i]
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
				return false
			}
		}
	default:
		return false
	}
	return true
}

// Hash returns the SHA-256 of raw: the only form in which a key is kept.
// It does not allocate for keys up to 128 bytes.
func Hash(raw string) [32]byte {
	// []byte(raw) would allocate for anything over 32 bytes; a stack
	// buffer covers every realistic key.
	var buf [128]byte
	if len(raw) <= len(buf) {
		n := copy(buf[:], raw)
		return sha256.Sum256(buf[:n])
	}
	return sha256.Sum256([]byte(raw))
}
