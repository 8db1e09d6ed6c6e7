package mockapi

import (
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
)

// Most parameters an imported API is called with are plain query scalars
// (limit=20, status=active), or optional ones left out. kin-openapi's
// check of one builds its input and decodes the parameter through its
// style machinery: about twenty allocations a request on a list. A
// scalar query parameter whose schema is simple is accepted here, from
// the raw query, when it is surely valid; anything else (a refusal above
// all, so that its message is kin-openapi's) goes to kin-openapi.

// scalarParam is what a simple scalar query parameter allows.
type scalarParam struct {
	name     string
	required bool
	typ      string // string, integer or boolean
	enum     []string
	// minLen and maxLen bound a string in characters (maxLen < 0: none).
	minLen, maxLen int
	// lo and hi bound an integer, inclusive.
	lo, hi float64
}

// maxExact is the largest integer a float64 holds exactly: kin-openapi
// reads numbers as float64, so past it its verdict is its own.
const maxExact = 1 << 53

// newScalarParam is prm's quick check; nil when prm is not a simple
// scalar query parameter.
func newScalarParam(prm *openapi3.Parameter) *scalarParam {
	if prm.In != openapi3.ParameterInQuery || prm.Content != nil || prm.Schema == nil || prm.Schema.Value == nil ||
		(prm.Style != "" && prm.Style != openapi3.SerializationForm) {
		return nil
	}
	s := prm.Schema.Value
	types := s.Type.Slice()
	if len(types) != 1 || len(s.AllOf)+len(s.AnyOf)+len(s.OneOf) > 0 || s.Not != nil || s.Format != "" {
		return nil
	}
	sp := &scalarParam{name: prm.Name, required: prm.Required, typ: types[0], maxLen: -1, lo: -maxExact, hi: maxExact}
	switch sp.typ {
	case openapi3.TypeString:
		if s.Pattern != "" {
			return nil
		}
		for _, v := range s.Enum {
			str, ok := v.(string)
			if !ok {
				return nil
			}
			sp.enum = append(sp.enum, str)
		}
		sp.minLen = int(min(s.MinLength, math.MaxInt32))
		if s.MaxLength != nil {
			sp.maxLen = int(min(*s.MaxLength, math.MaxInt32))
		}
	case openapi3.TypeInteger:
		if len(s.Enum) > 0 || s.MultipleOf != nil || s.ExclusiveMin.Value != nil || s.ExclusiveMax.Value != nil {
			return nil
		}
		if s.Min != nil {
			sp.lo = *s.Min
			if s.ExclusiveMin.IsTrue() {
				sp.lo = math.Floor(sp.lo) + 1
			}
		}
		if s.Max != nil {
			sp.hi = *s.Max
			if s.ExclusiveMax.IsTrue() {
				sp.hi = math.Ceil(sp.hi) - 1
			}
		}
	case openapi3.TypeBoolean:
		if len(s.Enum) > 0 {
			return nil
		}
	default:
		return nil
	}
	return sp
}

// accepts says whether the request's raw query surely satisfies the
// parameter; false means kin-openapi decides.
func (sp *scalarParam) accepts(rawQuery string) bool {
	v, n, malformed := queryParam(rawQuery, sp.name)
	switch {
	case malformed != "" || n > 1:
		return false
	case n == 0:
		return !sp.required
	case v == "":
		return false
	}
	switch sp.typ {
	case openapi3.TypeString:
		if len(sp.enum) > 0 {
			return slices.Contains(sp.enum, v)
		}
		l := utf8.RuneCountInString(v)
		return l >= sp.minLen && (sp.maxLen < 0 || l <= sp.maxLen)
	case openapi3.TypeInteger:
		if v[0] == '+' || len(v) > 16 {
			return false
		}
		i, err := strconv.ParseInt(v, 10, 64)
		return err == nil && float64(i) >= sp.lo && float64(i) <= sp.hi
	case openapi3.TypeBoolean:
		return v == "true" || v == "false"
	}
	return false
}
