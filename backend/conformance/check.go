package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"mockgate/backend/profile"
)

// Response is an answer a case got.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Check compares an answer with what e expects, in the error envelope the
// profile's errors give e's status (errs.For: errors.byStatus's template
// for it, else its default, else errors.body) and that envelope's content
// type, and returns every difference, each saying what was expected and
// what came back. A wrong status is the one difference reported: the rest
// would only echo it.
func Check(errs *profile.Errors, e Expect, got Response) []string {
	if got.Status != e.Status {
		return []string{fmt.Sprintf("status: expected %d (%s), got %d: %s", e.Status, e.Kind, got.Status, snippet(got.Body))}
	}
	envelope, ct := errs.For(e.Status)
	var problems []string
	if g := got.Header.Get("Content-Type"); !sameMediaType(g, ct) {
		problems = append(problems, fmt.Sprintf("Content-Type: expected %s, got %q", ct, g))
	}
	var tmpl, body any
	if err := json.Unmarshal(envelope, &tmpl); err != nil {
		return []string{"the profile's error envelope is not JSON: " + err.Error()}
	}
	if err := json.Unmarshal(got.Body, &body); err != nil {
		problems = append(problems, fmt.Sprintf("body: expected the error envelope %s, got %s", compact(envelope), snippet(got.Body)))
	} else {
		problems = append(problems, matchEnvelope("body", tmpl, body, e)...)
	}
	for _, h := range e.Headers {
		if p := h.check(got.Header); p != "" {
			problems = append(problems, p)
		}
	}
	return problems
}

// matchEnvelope compares a body with the envelope template at path: every
// key of the template present, each placeholder filled as e says, every
// literal as written. Keys the template does not name are allowed.
func matchEnvelope(path string, tmpl, got any, e Expect) []string {
	switch t := tmpl.(type) {
	case map[string]any:
		obj, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: expected an object, got %s", path, jsonText(got))}
		}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var out []string
		for _, k := range keys {
			v, ok := obj[k]
			if !ok {
				out = append(out, fmt.Sprintf("%s.%s: missing (the envelope is %s)", path, k, jsonText(tmpl)))
				continue
			}
			out = append(out, matchEnvelope(path+"."+k, t[k], v, e)...)
		}
		return out
	case string:
		switch t {
		case "$status":
			if n, ok := got.(float64); !ok || n != float64(e.Status) {
				return []string{fmt.Sprintf("%s: expected the status %d, got %s", path, e.Status, jsonText(got))}
			}
		case "$code":
			if got != e.Code {
				return []string{fmt.Sprintf("%s: expected the code %q, got %s", path, e.Code, jsonText(got))}
			}
		case "$reason":
			if want := http.StatusText(e.Status); got != want {
				return []string{fmt.Sprintf("%s: expected %q, got %s", path, want, jsonText(got))}
			}
		case "$message":
			s, ok := got.(string)
			if !ok || !messageMatches(e.Message, s) {
				return []string{fmt.Sprintf("%s: expected the message %q, got %s", path, e.Message, jsonText(got))}
			}
			if e.Mentions != "" && !strings.Contains(s, e.Mentions) {
				return []string{fmt.Sprintf("%s: expected a message naming %q, got %q", path, e.Mentions, s)}
			}
		default:
			if got != tmpl {
				return []string{fmt.Sprintf("%s: expected %s, got %s", path, jsonText(tmpl), jsonText(got))}
			}
		}
		return nil
	default:
		if jsonText(got) != jsonText(tmpl) {
			return []string{fmt.Sprintf("%s: expected %s, got %s", path, jsonText(tmpl), jsonText(got))}
		}
		return nil
	}
}

// sameMediaType reports whether two Content-Type values name the same
// media type, parameters (charset) aside.
func sameMediaType(a, b string) bool {
	base := func(v string) string {
		t, _, _ := strings.Cut(v, ";")
		return strings.ToLower(strings.TrimSpace(t))
	}
	return base(a) == base(b)
}

// messageMatches reports whether got is want with any text where want
// says {detail}.
func messageMatches(want, got string) bool {
	parts := strings.Split(want, "{detail}")
	if len(parts) == 1 {
		return got == want
	}
	if !strings.HasPrefix(got, parts[0]) {
		return false
	}
	rest := got[len(parts[0]):]
	for _, part := range parts[1 : len(parts)-1] {
		i := strings.Index(rest, part)
		if i < 0 {
			return false
		}
		rest = rest[i+len(part):]
	}
	return strings.HasSuffix(rest, parts[len(parts)-1])
}

// check returns what is wrong with the header, or "".
func (h HeaderRule) check(hdr http.Header) string {
	vals, ok := hdr[http.CanonicalHeaderKey(h.Name)]
	if !ok || len(vals) == 0 {
		return fmt.Sprintf("%s: expected %s, got none", h.Name, h.describe())
	}
	v := vals[0]
	switch {
	case h.Equals != "" && v != h.Equals,
		h.Contains != "" && !strings.Contains(v, h.Contains):
		return fmt.Sprintf("%s: expected %s, got %q", h.Name, h.describe(), v)
	case h.Min != nil || h.Max != nil:
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || h.Min != nil && n < *h.Min || h.Max != nil && n > *h.Max {
			return fmt.Sprintf("%s: expected %s, got %q", h.Name, h.describe(), v)
		}
	}
	if len(h.Lists) > 0 || h.Omits != "" {
		var items []string
		for _, it := range strings.Split(strings.Join(vals, ","), ",") {
			items = append(items, strings.ToUpper(strings.TrimSpace(it)))
		}
		for _, want := range h.Lists {
			if !slices.Contains(items, strings.ToUpper(want)) {
				return fmt.Sprintf("%s: expected %s, got %q", h.Name, h.describe(), strings.Join(vals, ", "))
			}
		}
		if h.Omits != "" && slices.Contains(items, strings.ToUpper(h.Omits)) {
			return fmt.Sprintf("%s: expected %s, got %q", h.Name, h.describe(), strings.Join(vals, ", "))
		}
	}
	return ""
}

// describe says what the rule wants, for failure messages.
func (h HeaderRule) describe() string {
	var parts []string
	switch {
	case h.Equals != "":
		parts = append(parts, strconv.Quote(h.Equals))
	case h.Contains != "":
		parts = append(parts, "a value holding "+strconv.Quote(h.Contains))
	case h.Min != nil && h.Max != nil:
		parts = append(parts, fmt.Sprintf("an integer from %d to %d", *h.Min, *h.Max))
	case h.Min != nil:
		parts = append(parts, fmt.Sprintf("an integer of at least %d", *h.Min))
	case h.Max != nil:
		parts = append(parts, fmt.Sprintf("an integer of at most %d", *h.Max))
	}
	if len(h.Lists) > 0 {
		parts = append(parts, "a list of "+strings.Join(h.Lists, ", "))
	}
	if h.Omits != "" {
		parts = append(parts, "without "+h.Omits)
	}
	if len(parts) == 0 {
		return "the header"
	}
	return strings.Join(parts, ", ")
}

// Summary is the expected answer in a few words: 401 TOKEN_REVOKED
// "Token has been revoked", with … for the text a {detail} stands for.
func (e Expect) Summary() string {
	s := strconv.Itoa(e.Status)
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Message == "{detail}" {
		return s
	}
	return s + " " + strconv.Quote(strings.ReplaceAll(e.Message, "{detail}", "…"))
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func compact(raw []byte) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

// snippet is the start of a body, for a failure message.
func snippet(body []byte) string {
	const max = 200
	s := strings.TrimSpace(string(body))
	if s == "" {
		return "an empty body"
	}
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}
