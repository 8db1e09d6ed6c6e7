package profile

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
)

// Holds reports whether a field's values are JSON objects or arrays, which
// Schema describes.
func (f *Field) Holds() bool { return f.Type == TypeObject || f.Type == TypeArray }

// ValueSchema parses the schema of an object or array field, validated so
// that values can be checked against it.
func (f *Field) ValueSchema() (*openapi3.Schema, error) {
	if len(f.Schema) == 0 {
		return nil, fmt.Errorf("field %q has no schema", f.Name)
	}
	var s openapi3.Schema
	if err := json.Unmarshal(f.Schema, &s); err != nil {
		return nil, err
	}
	if err := s.Validate(context.Background()); err != nil {
		return nil, err
	}
	return &s, nil
}

// InEnum reports whether v (a string, int64, float64 or bool, as a record
// holds it) is one of the field's enum values; true when it has none.
func (f *Field) InEnum(v any) bool {
	if len(f.Enum) == 0 {
		return true
	}
	for _, e := range f.Enum {
		if enumEqual(e, v) {
			return true
		}
	}
	return false
}

func enumEqual(e, v any) bool {
	switch x := v.(type) {
	case int64:
		n, ok := enumNumber(e)
		return ok && n == float64(x)
	case float64:
		n, ok := enumNumber(e)
		return ok && n == x
	}
	return e == v
}

// enumNumber reads a numeric enum value: float64 from a parsed profile,
// json.Number or an integer from one built in Go.
func enumNumber(e any) (float64, bool) {
	switch x := e.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case json.Number:
		n, err := x.Float64()
		return n, err == nil
	}
	return 0, false
}

// EnumText lists the enum values for a message: "low, high" or "1, 2, 3".
func (f *Field) EnumText() string {
	parts := make([]string, len(f.Enum))
	for i, e := range f.Enum {
		if s, ok := e.(string); ok {
			parts[i] = s
			continue
		}
		b, err := json.Marshal(e)
		if err != nil {
			b = []byte(fmt.Sprint(e))
		}
		parts[i] = string(b)
	}
	return strings.Join(parts, ", ")
}

// BoundProblem says how a scalar value (string, int64 or float64) breaks
// the field's bounds, e.g. "must be at least 1"; "" when it does not. The
// engine answers it for a client's value and validation for a seed.
func (f *Field) BoundProblem(v any) string {
	var x float64
	switch t := v.(type) {
	case string:
		n := utf8.RuneCountInString(t)
		if f.MinLength != nil && n < *f.MinLength {
			return fmt.Sprintf("must be at least %d characters long", *f.MinLength)
		}
		if f.MaxLength != nil && n > *f.MaxLength {
			return fmt.Sprintf("must be at most %d characters long", *f.MaxLength)
		}
		return ""
	case int64:
		x = float64(t)
	case float64:
		x = t
	default:
		return ""
	}
	if m := f.Minimum; m != nil && (x < *m || f.ExclusiveMinimum && x == *m) {
		if f.ExclusiveMinimum {
			return "must be greater than " + formatNumber(*m)
		}
		return "must be at least " + formatNumber(*m)
	}
	if m := f.Maximum; m != nil && (x > *m || f.ExclusiveMaximum && x == *m) {
		if f.ExclusiveMaximum {
			return "must be less than " + formatNumber(*m)
		}
		return "must be at most " + formatNumber(*m)
	}
	return ""
}

func formatNumber(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.FormatInt(int64(x), 10)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// OmitsUnset reports whether records leave out a field without a value
// (Unset omit) rather than writing null.
func (r *Resource) OmitsUnset() bool { return r.Unset == UnsetOmit }

// IgnoresUnknown reports whether a create or update drops the body
// properties that are not fields rather than refusing them.
func (r *Resource) IgnoresUnknown() bool { return r.UnknownFields == UnknownIgnore }

// CreateStatus is the status a create answers: 201 unless documented.
func (r *Resource) CreateStatus() int {
	return r.status(func(s *Statuses) int { return s.Create }, http.StatusCreated)
}

// UpdateStatus is the status an update answers: 200 unless documented.
func (r *Resource) UpdateStatus() int {
	return r.status(func(s *Statuses) int { return s.Update }, http.StatusOK)
}

// DeleteStatus is the status a delete answers: 204 unless documented.
func (r *Resource) DeleteStatus() int {
	return r.status(func(s *Statuses) int { return s.Delete }, http.StatusNoContent)
}

func (r *Resource) status(of func(*Statuses) int, def int) int {
	if r.Statuses == nil || of(r.Statuses) == 0 {
		return def
	}
	return of(r.Statuses)
}
