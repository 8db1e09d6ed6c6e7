package mockapi

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// TestScalarParam checks the quick check of scalar query parameters: it
// accepts what it should, leaves the rest to kin-openapi, and never
// accepts what kin-openapi refuses.
func TestScalarParam(t *testing.T) {
	param := func(schema string, required bool) *openapi3.Parameter {
		var s openapi3.Schema
		if err := s.UnmarshalJSON([]byte(schema)); err != nil {
			t.Fatalf("%s: %v", schema, err)
		}
		return &openapi3.Parameter{Name: "p", In: openapi3.ParameterInQuery, Required: required, Schema: &openapi3.SchemaRef{Value: &s}}
	}
	limit := `{"type":"integer","minimum":1,"maximum":100}`
	status := `{"type":"string","enum":["active","inactive"]}`
	tests := []struct {
		name     string
		schema   string
		required bool
		query    string
		quick    bool // a quick check exists
		accepts  bool
	}{
		{"integer in bounds", limit, false, "p=20", true, true},
		{"integer absent", limit, false, "q=1", true, true},
		{"integer absent, required", limit, true, "", true, false},
		{"integer over", limit, false, "p=101", true, false},
		{"integer under", limit, false, "p=0", true, false},
		{"integer not a number", limit, false, "p=abc", true, false},
		{"integer with a fraction", limit, false, "p=2.5", true, false},
		{"integer with a plus", limit, false, "p=%2B5", true, false},
		{"integer twice", limit, false, "p=1&p=2", true, false},
		{"integer empty", limit, false, "p=", true, false},
		{"integer exclusive bounds", `{"type":"integer","minimum":1,"exclusiveMinimum":true,"maximum":5,"exclusiveMaximum":true}`, false, "p=1", true, false},
		{"integer inside exclusive bounds", `{"type":"integer","minimum":1,"exclusiveMinimum":true,"maximum":5,"exclusiveMaximum":true}`, false, "p=4", true, true},
		{"integer huge", `{"type":"integer"}`, false, "p=99999999999999999999", true, false},
		{"string enum", status, false, "p=active", true, true},
		{"string not in enum", status, false, "p=gone", true, false},
		{"string length", `{"type":"string","minLength":2,"maxLength":3}`, false, "p=%C3%A9t%C3%A9", true, true},
		{"string too long", `{"type":"string","maxLength":3}`, false, "p=abcd", true, false},
		{"boolean", `{"type":"boolean"}`, false, "p=true", true, true},
		{"boolean spelled otherwise", `{"type":"boolean"}`, false, "p=TRUE", true, false},
		{"string with a pattern", `{"type":"string","pattern":"^a"}`, false, "p=a", false, false},
		{"string with a format", `{"type":"string","format":"uuid"}`, false, "p=a", false, false},
		{"integer enum", `{"type":"integer","enum":[1,2]}`, false, "p=1", false, false},
		{"array", `{"type":"array","items":{"type":"string"}}`, false, "p=a", false, false},
		{"number", `{"type":"number"}`, false, "p=1.5", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			prm := param(tc.schema, tc.required)
			sp := newScalarParam(prm)
			if (sp != nil) != tc.quick {
				t.Fatalf("quick check: %v, want %v", sp != nil, tc.quick)
			}
			if sp == nil {
				return
			}
			if got := sp.accepts(tc.query); got != tc.accepts {
				t.Errorf("accepts(%q) = %v, want %v", tc.query, got, tc.accepts)
			}
			// What is accepted quickly, kin-openapi accepts too.
			op := &openapi3.Operation{Parameters: openapi3.Parameters{{Value: prm}}}
			in := &openapi3filter.RequestValidationInput{
				Request: httptest.NewRequest("GET", "/x?"+tc.query, nil),
				Route:   &routers.Route{Spec: &openapi3.T{}, Path: "/x", Method: "GET", Operation: op},
				Options: checkOpts,
			}
			kinErr := openapi3filter.ValidateParameter(context.Background(), in, prm)
			if tc.accepts && kinErr != nil {
				t.Errorf("accepted quickly, refused by kin-openapi: %v", kinErr)
			}
		})
	}
}
