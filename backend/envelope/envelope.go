// Package envelope compiles a profile's JSON body templates (the list
// envelope, the error envelope) into literal chunks and placeholder slots,
// so the hot path renders a response by appending bytes instead of
// marshalling maps.
//
// A placeholder is a JSON string value that is exactly "$name", e.g.
//
//	{"data": "$items", "meta": {"count": "$count", "total": "$total"}}
package envelope

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Template is a compiled body template.
type Template struct {
	segs  []segment
	slots []string
}

type segment struct {
	lit  []byte
	slot string // "" for a literal-only tail
}

// Compile parses raw (a JSON object) and splits it at every placeholder.
// Placeholders not in allowed are refused, as is a placeholder used as an
// object key.
func Compile(raw []byte, allowed ...string) (*Template, error) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	src := buf.Bytes()
	if len(src) == 0 || src[0] != '{' {
		return nil, fmt.Errorf("must be a JSON object")
	}
	t := &Template{}
	start := 0
	for i := 0; i < len(src); i++ {
		if src[i] != '"' {
			continue
		}
		end := stringEnd(src, i)
		s := src[i+1 : end]
		isKey := end+1 < len(src) && src[end+1] == ':'
		if len(s) > 1 && s[0] == '$' && !bytes.ContainsRune(s, '\\') {
			name := string(s)
			if !slices.Contains(allowed, name) {
				return nil, fmt.Errorf("unknown placeholder %q (allowed: %v)", name, allowed)
			}
			if isKey {
				return nil, fmt.Errorf("placeholder %q used as an object key", name)
			}
			t.segs = append(t.segs, segment{lit: slices.Clone(src[start:i]), slot: name})
			t.slots = append(t.slots, name)
			start = end + 1
		}
		i = end
	}
	t.segs = append(t.segs, segment{lit: slices.Clone(src[start:])})
	return t, nil
}

// stringEnd returns the index of the quote closing the JSON string that
// opens at src[i] (src is valid compact JSON).
func stringEnd(src []byte, i int) int {
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case '"':
			return j
		}
	}
	return len(src) - 1
}

// Slots returns the placeholders in template order (with repeats).
func (t *Template) Slots() []string { return t.slots }

// Has reports whether the template uses the placeholder.
func (t *Template) Has(slot string) bool { return slices.Contains(t.slots, slot) }

// Filler renders one placeholder's JSON value onto dst.
type Filler interface {
	Fill(dst []byte, slot string) []byte
}

// Append renders the template onto dst.
func (t *Template) Append(dst []byte, f Filler) []byte {
	for _, s := range t.segs {
		dst = append(dst, s.lit...)
		if s.slot != "" {
			dst = f.Fill(dst, s.slot)
		}
	}
	return dst
}

const hex = "0123456789abcdef"

// AppendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD, so
// the output is always valid JSON whatever a client sent.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// AppendInt appends n as a JSON number.
func AppendInt(dst []byte, n int64) []byte { return strconv.AppendInt(dst, n, 10) }
