package openapiimport

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// A record fits both a polymorphic get answer and the list's items: the
// first alternative they share, else the get answer as it is.
func TestCommonAlternative(t *testing.T) {
	account := openapi3.NewObjectSchema().NewRef()
	card := openapi3.NewObjectSchema().NewRef()
	source := openapi3.NewObjectSchema().NewRef()
	get := (&openapi3.Schema{AnyOf: openapi3.SchemaRefs{account, card, source}}).NewRef()
	for _, tc := range []struct {
		name  string
		items *openapi3.SchemaRef
		want  *openapi3.SchemaRef
	}{
		{"shared alternative", (&openapi3.Schema{AnyOf: openapi3.SchemaRefs{source, card}}).NewRef(), card},
		{"oneOf items", (&openapi3.Schema{OneOf: openapi3.SchemaRefs{source}}).NewRef(), source},
		{"nothing shared", (&openapi3.Schema{AnyOf: openapi3.SchemaRefs{openapi3.NewObjectSchema().NewRef()}}).NewRef(), get},
		{"plain items", openapi3.NewObjectSchema().NewRef(), get},
		{"no items", nil, get},
	} {
		if got := commonAlternative(get, tc.items); got != tc.want {
			t.Errorf("%s: got %p, want %p", tc.name, got, tc.want)
		}
	}
}

// A oneOf is indistinguishable when two alternatives or more accept every
// object; a required property, an enum, a closed object or a
// discriminator tells them apart.
func TestUnsatisfiableOneOf(t *testing.T) {
	open := func() *openapi3.SchemaRef {
		return openapi3.NewObjectSchema().WithProperty("a", openapi3.NewStringSchema()).NewRef()
	}
	required := openapi3.NewObjectSchema().WithProperty("b", openapi3.NewStringSchema()).WithRequired([]string{"b"}).NewRef()
	closed := openapi3.NewObjectSchema().WithoutAdditionalProperties().NewRef()
	for _, tc := range []struct {
		name string
		s    *openapi3.Schema
		want bool
	}{
		{"two open alternatives", &openapi3.Schema{OneOf: openapi3.SchemaRefs{open(), open()}}, true},
		{"one open, one required", &openapi3.Schema{OneOf: openapi3.SchemaRefs{open(), required}}, false},
		{"one open, one closed", &openapi3.Schema{OneOf: openapi3.SchemaRefs{open(), closed}}, false},
		{"a string and an object", &openapi3.Schema{OneOf: openapi3.SchemaRefs{open(), openapi3.NewStringSchema().NewRef()}}, false},
		{"a discriminator", &openapi3.Schema{OneOf: openapi3.SchemaRefs{open(), open()}, Discriminator: &openapi3.Discriminator{PropertyName: "a"}}, false},
		{"not a oneOf", &openapi3.Schema{AnyOf: openapi3.SchemaRefs{open(), open()}}, false},
	} {
		if got := unsatisfiableOneOf(tc.s); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
