package sample

import (
	"encoding/json"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func TestValueFitsItsSchema(t *testing.T) {
	tests := []struct{ name, schema, want string }{
		{"example first", `{"type":"string","example":"Dogs"}`, `"Dogs"`},
		{"enum", `{"type":"integer","enum":[3,4]}`, `3`},
		{"bounds", `{"type":"integer","minimum":10}`, `10`},
		{"exclusive bound", `{"type":"number","maximum":1,"exclusiveMaximum":true}`, `0`},
		{"length", `{"type":"string","minLength":8}`, `"stringxx"`},
		{"format", `{"type":"string","format":"email"}`, `"user@example.com"`},
		{"object, keys by name", `{"type":"object","required":["b"],"properties":{"b":{"type":"boolean"},"a":{"type":"integer"}}}`, `{"a":1,"b":true}`},
		{"array within maxItems", `{"type":"array","maxItems":0,"items":{"type":"string"}}`, `[]`},
		{"array to minItems", `{"type":"array","minItems":2,"items":{"type":"string"}}`, `["string","string"]`},
		{"array of objects", `{"type":"array","items":{"type":"object","properties":{"id":{"type":"integer"}}}}`, `[{"id":1}]`},
		{"an example that does not fit is not used", `{"type":"string","format":"date","example":"2019-09-15T02:06:58.147Z"}`, `"2025-01-01"`},
		{"a pattern's segment", `{"type":"string","pattern":"^/v1/tax/[^/]+/line_items"}`, `"/v1/tax/x/line_items"`},
		{"a pattern's literal start", `{"type":"string","pattern":"^/v1/accounts","maxLength":5000}`, `"/v1/accounts"`},
		{"no writeOnly in an answer", `{"type":"object","properties":{"id":{"type":"integer","readOnly":true},"password":{"type":"string","writeOnly":true}}}`, `{"id":1}`},
		{"a cut circular item ends the array", `{"type":"object","required":["name"],"properties":{"name":{"type":"string"},"parts":{"type":"array","items":{"type":"object","x-mockgate-circular":true}}}}`, `{"name":"string","parts":[]}`},
		{"allOf: the part that fixes a property wins", `{"allOf":[{"type":"object","required":["type"],"properties":{"type":{"type":"string","enum":["CANVAS"]}}},{"type":"object","properties":{"type":{"type":"string"}}}]}`, `{"type":"CANVAS"}`},
		{"a cut circular property is left out", `{"type":"object","properties":{"parent":{"type":"object","x-mockgate-circular":true}}}`, `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s openapi3.Schema
			if err := json.Unmarshal([]byte(tt.schema), &s); err != nil {
				t.Fatal(err)
			}
			v := Value(&openapi3.SchemaRef{Value: &s})
			got, err := json.Marshal(v)
			if err != nil || string(got) != tt.want {
				t.Errorf("Value = %s (%v), want %s", got, err, tt.want)
			}
			if err := s.VisitJSON(roundTrip(t, got)); err != nil {
				t.Errorf("%s does not fit its schema: %v", got, err)
			}
		})
	}
}

func roundTrip(t *testing.T, b []byte) any {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestRequestValueLeavesReadOnlyOut(t *testing.T) {
	var s openapi3.Schema
	if err := json.Unmarshal([]byte(`{"type":"object","properties":{"id":{"type":"integer","readOnly":true},"password":{"type":"string","writeOnly":true}}}`), &s); err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(RequestValue(&openapi3.SchemaRef{Value: &s}))
	if want := `{"password":"string"}`; err != nil || string(got) != want {
		t.Errorf("RequestValue = %s (%v), want %s", got, err, want)
	}
}
