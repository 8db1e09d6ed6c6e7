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
