package profile

import (
	"net/http"
	"testing"
)

// The field kinds an imported API needs load and validate, and a profile
// without them keeps the engine's statuses.
func TestFieldKindsValid(t *testing.T) {
	type doc = map[string]any
	type list = []any
	data := mutate(t, func(d doc) {
		set(d, "resources[0].fields[2]", doc{"name": "stock", "type": "integer", "enum": list{0, 10, 20}, "minimum": 0, "maximum": 20})
		set(d, "resources[0].fields[4]", doc{"name": "tags", "type": "array", "nullable": true, "minItems": 0, "maxItems": 5,
			"schema": doc{"type": "array", "items": doc{"type": "object", "required": list{"name"},
				"properties": doc{"name": doc{"type": "string", "maxLength": 20}, "rank": doc{"type": "integer", "enum": list{1, 2}, "nullable": true}}}}})
		push(d, "resources[0].fields", doc{"name": "dims", "type": "object", "schema": doc{"type": "object", "additionalProperties": false,
			"properties": doc{"w": doc{"type": "number", "minimum": 0, "exclusiveMinimum": true}}}})
		push(d, "resources[0].fields", doc{"name": "code", "type": "string", "minLength": 2, "maxLength": 4, "fake": "{lexify:???}"})
		set(d, "resources[0].statuses", doc{"create": 200, "delete": 200})
		set(d, "resources[0].deleteBody", doc{"object": "item", "id": "$id", "deleted": true})
		set(d, "resources[0].unset", "omit")
	})
	p, err := Parse(data, "shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r := &p.Resources[0]
	if r.CreateStatus() != http.StatusOK || r.DeleteStatus() != http.StatusOK || r.UpdateStatus() != http.StatusOK || !r.OmitsUnset() {
		t.Errorf("statuses %d %d %d, omit %v", r.CreateStatus(), r.UpdateStatus(), r.DeleteStatus(), r.OmitsUnset())
	}
	if o := &p.Resources[1]; o.CreateStatus() != http.StatusCreated || o.DeleteStatus() != http.StatusNoContent || o.OmitsUnset() {
		t.Errorf("defaults: %d %d %v", o.CreateStatus(), o.DeleteStatus(), o.OmitsUnset())
	}
	stock := &r.Fields[2]
	for _, tt := range []struct {
		v      any
		inEnum bool
		bound  string
	}{
		{int64(10), true, ""}, {int64(5), false, ""}, {float64(20), true, ""}, {"10", false, ""}, {int64(-1), false, "must be at least 0"}, {int64(21), false, "must be at most 20"},
	} {
		if got := stock.InEnum(tt.v); got != tt.inEnum {
			t.Errorf("InEnum(%#v) = %v", tt.v, got)
		}
		if got := stock.BoundProblem(tt.v); got != tt.bound {
			t.Errorf("BoundProblem(%#v) = %q, want %q", tt.v, got, tt.bound)
		}
	}
	if s, err := r.Fields[4].ValueSchema(); err != nil || s.Items == nil {
		t.Errorf("tags schema: %v %v", s, err)
	}
}
