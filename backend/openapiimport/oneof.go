package openapiimport

import (
	"maps"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// A oneOf whose alternatives require nothing and let other properties
// through (Intellifi's "location", "location_id" or "location_url") cannot
// be satisfied: an object that fits one alternative fits the others too,
// and oneOf wants exactly one. No answer the mock sends, and no request a
// client sends, validates there; the summary says so, once per operation
// whose answer or request body holds such a oneOf.

// oneOfGaps names, for each operation, the first indistinguishable oneOf
// of its success answer and of its JSON request body.
func (im *importer) oneOfGaps() {
	for _, o := range im.ops {
		var at []string
		if _, resp := success(o); resp != nil {
			if _, m := jsonMedia(resp.Content); m != nil {
				if p, ok := indistinguishableOneOf(m.Schema, "answer", map[*openapi3.Schema]bool{}); ok {
					at = append(at, p)
				}
			}
		}
		if s := requestSchema(o); s != nil {
			if p, ok := indistinguishableOneOf(s, "request body", map[*openapi3.Schema]bool{}); ok {
				at = append(at, p)
			}
		}
		for _, p := range at {
			im.gap(o.where(), "the document's oneOf at %s cannot be satisfied: its alternatives require nothing and allow other properties, so a value that fits one fits several", p)
		}
	}
}

// indistinguishableOneOf finds the first oneOf under r whose alternatives
// (two or more) each accept every object (unsatisfiableOneOf), and
// where it is.
func indistinguishableOneOf(r *openapi3.SchemaRef, at string, seen map[*openapi3.Schema]bool) (string, bool) {
	if r == nil || r.Value == nil || seen[r.Value] {
		return "", false
	}
	s := r.Value
	seen[s] = true
	if unsatisfiableOneOf(s) {
		return at, true
	}
	for _, list := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
		for _, sub := range list {
			if p, ok := indistinguishableOneOf(sub, at, seen); ok {
				return p, true
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
		if p, ok := indistinguishableOneOf(s.Properties[name], at+"."+name, seen); ok {
			return p, true
		}
	}
	if p, ok := indistinguishableOneOf(s.Items, at+"[]", seen); ok {
		return p, true
	}
	return indistinguishableOneOf(s.AdditionalProperties.Schema, at+".*", seen)
}

// unsatisfiableOneOf says whether s is a oneOf without a discriminator
// of which two alternatives or more accept every object: an object type
// (or none), no required property, no enum nor const, no minProperties,
// additionalProperties not false, no composition of their own. The
// corpus test takes the validation failures such a oneOf causes
// (export_test.go).
func unsatisfiableOneOf(s *openapi3.Schema) bool {
	if s == nil || len(s.OneOf) < 2 || s.Discriminator != nil {
		return false
	}
	open := 0
	for _, alt := range s.OneOf {
		if alt != nil && acceptsEveryObject(alt.Value) {
			open++
		}
	}
	return open >= 2
}

func acceptsEveryObject(a *openapi3.Schema) bool {
	if a == nil {
		return false
	}
	t := typeOf(a)
	closed := a.AdditionalProperties.Has != nil && !*a.AdditionalProperties.Has
	return (t == "" || t == openapi3.TypeObject) && len(a.Required) == 0 && len(a.Enum) == 0 && a.Const == nil &&
		a.MinProps == 0 && !closed && len(a.AllOf)+len(a.AnyOf)+len(a.OneOf) == 0 && a.Not == nil
}
