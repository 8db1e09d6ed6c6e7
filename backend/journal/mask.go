package journal

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// MaxBody is the most bytes of a request or response body the log keeps.
const MaxBody = 8 << 10

// TruncateBody returns b as a string, cut to at most MaxBody bytes, and
// whether it was cut. The cut falls on a rune boundary, so a valid UTF-8
// body stays valid.
func TruncateBody(b []byte) (string, bool) {
	if len(b) <= MaxBody {
		return string(b), false
	}
	cut := MaxBody
	// Back off to the start of a rune that straddles the limit; a rune is
	// at most utf8.UTFMax bytes, so binary data costs at most 3 steps.
	for i := 1; i < utf8.UTFMax && !utf8.RuneStart(b[cut]); i++ {
		cut--
	}
	return string(b[:cut]), true
}

// MaskSecret hides a credential for display. A leading scheme word
// ("Bearer ", "Basic ") is kept; of the secret after it, a secret longer
// than 12 characters keeps its first 4 and last 4 around "…", one of 6 to
// 12 characters becomes "…" and its last 2, and a shorter one just "…".
// It never returns a non-empty secret whole.
func MaskSecret(v string) string {
	scheme, secret := "", v
	if i := strings.IndexByte(v, ' '); i > 0 && isSchemeWord(v[:i]) {
		j := i
		for j < len(v) && v[j] == ' ' {
			j++
		}
		scheme, secret = v[:j], v[j:]
	}
	if secret == "" {
		return v
	}
	switch n := utf8.RuneCountInString(secret); {
	case n > 12:
		return scheme + firstRunes(secret, 4) + "…" + lastRunes(secret, 4)
	case n >= 6:
		return scheme + "…" + lastRunes(secret, 2)
	default:
		return scheme + "…"
	}
}

// isSchemeWord reports whether w looks like an HTTP auth scheme (a token of
// letters, digits, '-' and '_', like "Bearer" or "AWS4-HMAC-SHA256").
func isSchemeWord(w string) bool {
	if len(w) > 32 {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func firstRunes(s string, k int) string {
	i := 0
	for ; k > 0 && i < len(s); k-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}

func lastRunes(s string, k int) string {
	i := len(s)
	for ; k > 0 && i > 0; k-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return s[i:]
}

// defaultSecretHeaders are masked by MaskHeaders whatever the caller passes: the
// credentials of every vendor style, plus cookies.
var defaultSecretHeaders = [...]string{
	"Authorization", "Proxy-Authorization", "X-Api-Key", "Api-Key",
	"X-Auth-Token", "Cookie", "Set-Cookie",
}

func isSecretHeader(name string, extra []string) bool {
	return containsFold(defaultSecretHeaders[:], name) || containsFold(extra, name)
}

// containsFold reports whether list holds name, ignoring case.
func containsFold(list []string, name string) bool {
	for _, s := range list {
		if len(name) == len(s) && strings.EqualFold(name, s) {
			return true
		}
	}
	return false
}

// MaskHeaders returns a copy of h in which the values of Authorization,
// Proxy-Authorization, X-Api-Key, Api-Key, X-Auth-Token, Cookie, Set-Cookie
// and of the names in secretHeaders (case-insensitive) are masked with
// MaskSecret. The copy shares nothing with h. It makes two allocations
// (the map and one array for all values) plus one per masked value.
func MaskHeaders(h http.Header, secretHeaders []string) map[string][]string {
	if h == nil {
		return nil
	}
	total := 0
	for _, vs := range h {
		total += len(vs)
	}
	vals := make([]string, total)
	out := make(map[string][]string, len(h))
	for name, vs := range h {
		dst := vals[:len(vs):len(vs)] // capped, so an append cannot overwrite a neighbour
		vals = vals[len(vs):]
		if isSecretHeader(name, secretHeaders) {
			for i, v := range vs {
				dst[i] = MaskSecret(v)
			}
		} else {
			copy(dst, vs)
		}
		out[name] = dst
	}
	return out
}

// defaultSecretParams are masked by MaskQuery whatever the caller passes: the
// names clients commonly put keys under when they (wrongly) send them in
// the URL.
var defaultSecretParams = [...]string{
	"api_key", "apikey", "api-key", "x-api-key", "key", "token",
	"access_token", "auth", "authorization", "secret", "password",
}

func isSecretParam(name string, extra []string) bool {
	if strings.ContainsAny(name, "%+") {
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
	}
	return containsFold(defaultSecretParams[:], name) || containsFold(extra, name)
}

// MaskQuery returns rawQuery with the values of the parameters named in
// secretParams, and of common key parameters (api_key, apikey, api-key,
// x-api-key, key, token, access_token, auth, authorization, secret,
// password), masked with MaskSecret; names match case-insensitively, also
// when percent-encoded. The order and encoding of everything else are kept,
// and a query without such parameters is returned as is, without
// allocating.
func MaskQuery(rawQuery string, secretParams []string) string {
	if _, ok := SecretParam(rawQuery, secretParams); !ok {
		return rawQuery
	}
	var b strings.Builder
	b.Grow(len(rawQuery) + 16)
	for i, part := range strings.Split(rawQuery, "&") {
		if i > 0 {
			b.WriteByte('&')
		}
		name, value, ok := strings.Cut(part, "=")
		if !ok || !isSecretParam(name, secretParams) {
			b.WriteString(part)
			continue
		}
		if v, err := url.QueryUnescape(value); err == nil {
			value = v
		}
		b.WriteString(name)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(MaskSecret(value)))
	}
	return b.String()
}

// SecretParam returns the name (as written) of the first parameter of
// rawQuery whose value MaskQuery masks: one named in extra or a common key
// parameter. It does not allocate.
func SecretParam(rawQuery string, extra []string) (name string, ok bool) {
	for rest := rawQuery; rest != ""; {
		var part string
		part, rest, _ = strings.Cut(rest, "&")
		if name, _, ok := strings.Cut(part, "="); ok && isSecretParam(name, extra) {
			return name, true
		}
	}
	return "", false
}

// minEcho is the shortest secret query value MaskEchoes looks for: keys are
// long, and masking every "1" of a body for key=1 would garble it.
const minEcho = 8

// MaskEchoes returns body with every value of rawQuery's secret parameters
// (as MaskQuery chooses them) that the body repeats, as sent or decoded,
// replaced by its mask: an answer may echo its request's query (a next
// page's URL), and a key in that query must not reach the log through it.
// A body with nothing to mask is returned as is.
func MaskEchoes(body []byte, rawQuery string, secretParams []string) []byte {
	if _, ok := SecretParam(rawQuery, secretParams); !ok {
		return body
	}
	for part := range strings.SplitSeq(rawQuery, "&") {
		name, value, ok := strings.Cut(part, "=")
		if !ok || len(value) < minEcho || !isSecretParam(name, secretParams) {
			continue
		}
		forms := []string{value}
		if v, err := url.QueryUnescape(value); err == nil && v != value {
			forms = append(forms, v)
		}
		for _, f := range forms {
			if bytes.Contains(body, []byte(f)) {
				body = bytes.ReplaceAll(body, []byte(f), []byte(MaskSecret(f)))
			}
		}
	}
	return body
}
