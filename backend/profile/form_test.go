package profile

import (
	"reflect"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// Bracketed form keys nest as the schema says; bad keys are an error, not
// a panic.
func TestDecodeBrackets(t *testing.T) {
	schema := openapi3.NewObjectSchema().
		WithProperty("n", openapi3.NewIntegerSchema()).
		WithProperty("s", openapi3.NewStringSchema()).
		WithProperty("tags", openapi3.NewArraySchema().WithItems(openapi3.NewStringSchema())).
		WithProperty("tiers", openapi3.NewArraySchema().WithItems(openapi3.NewObjectSchema().
			WithProperty("up_to", &openapi3.Schema{AnyOf: openapi3.SchemaRefs{openapi3.NewStringSchema().WithEnum("inf").NewRef(), openapi3.NewIntegerSchema().NewRef()}}))).
		WithAdditionalProperties(openapi3.NewStringSchema())
	ref := schema.NewRef()
	for _, tc := range []struct {
		form    string
		want    map[string]any
		wantErr bool
	}{
		{"n=3&s=3", map[string]any{"n": int64(3), "s": "3"}, false},
		{"tags[]=a&tags[]=b", map[string]any{"tags": []any{"a", "b"}}, false},
		{"tags=a", map[string]any{"tags": []any{"a"}}, false},
		{"tiers[1][up_to]=5&tiers[0][up_to]=inf", map[string]any{"tiers": []any{map[string]any{"up_to": "inf"}, map[string]any{"up_to": int64(5)}}}, false},
		{"x[a]=1", map[string]any{"x": map[string]any{"a": "1"}}, false},
		{"x=1&x[a]=1", nil, true},
		{"x[a=1", nil, true},
		{"%zz", nil, true},
	} {
		got, err := decodeBrackets([]byte(tc.form), ref)
		if (err != nil) != tc.wantErr {
			t.Errorf("%s: error %v, want error %v", tc.form, err, tc.wantErr)
			continue
		}
		if !tc.wantErr && !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %#v, want %#v", tc.form, got, tc.want)
		}
	}
}

// An operation's own parameter overrides the path item's of the same
// place and name, a header's in any case; others are kept, the
// operation's first.
func TestOperationParams(t *testing.T) {
	prm := func(in, name, desc string) *openapi3.ParameterRef {
		return &openapi3.ParameterRef{Value: &openapi3.Parameter{In: in, Name: name, Description: desc}}
	}
	item := openapi3.Parameters{prm("query", "limit", "item"), prm("header", "X-Trace", "item"), prm("path", "id", "item")}
	op := openapi3.Parameters{prm("query", "limit", "op"), prm("header", "x-trace", "op"), prm("query", "id", "op"), nil}
	var got []string
	for _, p := range OperationParams(item, op) {
		got = append(got, p.In+" "+p.Name+" "+p.Description)
	}
	want := []string{"query limit op", "header x-trace op", "query id op", "path id item"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
