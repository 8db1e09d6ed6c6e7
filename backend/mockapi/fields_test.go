package mockapi

import (
	"encoding/json"
	"strings"
	"testing"

	"mockgate/backend/profile"
)

// withFields gives the extended profile's pet the field kinds an imported
// API has: an object, an array, an integer enum, a bounded and a nullable
// field, unset fields left out, and the document's statuses.
func withFields(p *profile.Profile) {
	pet := &p.Resources[0]
	zero, thirty := 0.0, 30.0
	pet.Fields = append(pet.Fields,
		profile.Field{Name: "category", Type: profile.TypeObject,
			Schema: json.RawMessage(`{"type":"object","required":["name"],"properties":{"id":{"type":"integer","example":1},"name":{"type":"string","example":"Dogs"}}}`)},
		profile.Field{Name: "tags", Type: profile.TypeArray,
			Schema: json.RawMessage(`{"type":"array","maxItems":3,"items":{"type":"object","properties":{"name":{"type":"string"}}}}`)},
		profile.Field{Name: "rank", Type: profile.TypeInteger, Enum: []any{1.0, 2.0, 3.0}},
		profile.Field{Name: "age", Type: profile.TypeInteger, Minimum: &zero, Maximum: &thirty, Fake: "{number:1,20}"},
		profile.Field{Name: "nickname", Type: profile.TypeString, Nullable: true},
	)
	pet.Unset = profile.UnsetOmit
	pet.Statuses = &profile.Statuses{Create: 200, Delete: 200}
	pet.DeleteBody = json.RawMessage(`{"object":"pet","id":"$id","deleted":true}`)
}

func TestObjectArrayEnumBoundsAndNull(t *testing.T) {
	f := extended(t, withFields)
	k := f.key(t, "write:pets", "read:pets")
	auth := []string{"Authorization", "Bearer " + k, "Content-Type", "application/json"}
	tests := []struct {
		name, body string
		status     int
		contains   []string // in the answer
		absent     string   // not in the answer
	}{
		{"nested object and array", `{"name":"Rex","category":{"id":2,"name":"Cats"},"tags":[{"name":"a"},{"name":"b"}]}`, 200,
			[]string{`"category":{"id":2,"name":"Cats"}`, `"tags":[{"name":"a"},{"name":"b"}]`}, `"nickname"`},
		{"unset fields are left out", `{"name":"Rex"}`, 200, []string{`"name":"Rex"`}, `"category"`},
		{"an array for an object", `{"name":"Rex","category":[]}`, 400, []string{`field \"category\" must be an object`}, ""},
		{"a string for an array", `{"name":"Rex","tags":"a"}`, 400, []string{`field \"tags\" must be an array`}, ""},
		{"a nested wrong type", `{"name":"Rex","category":{"name":7}}`, 400, []string{`field \"category.name\" is invalid`}, ""},
		{"a nested required property", `{"name":"Rex","category":{"id":1}}`, 400, []string{`field \"category.name\" is invalid: property \"name\" is missing`}, ""},
		{"an item's wrong type", `{"name":"Rex","tags":[{"name":"a"},{"name":false}]}`, 400, []string{`field \"tags[1].name\" is invalid`}, ""},
		{"too many items", `{"name":"Rex","tags":[{},{},{},{}]}`, 400, []string{`field \"tags\" is invalid`}, ""},
		{"an integer enum", `{"name":"Rex","rank":2}`, 200, []string{`"rank":2`}, ""},
		{"outside an integer enum", `{"name":"Rex","rank":4}`, 400, []string{`field \"rank\" must be one of 1, 2, 3 (got 4)`}, ""},
		{"a string for an integer enum", `{"name":"Rex","rank":"2"}`, 400, []string{`field \"rank\" must be an integer`}, ""},
		{"over maximum", `{"name":"Rex","age":31}`, 400, []string{`field \"age\" must be at most 30 (got 31)`}, ""},
		{"under minimum", `{"name":"Rex","age":-1}`, 400, []string{`field \"age\" must be at least 0 (got -1)`}, ""},
		{"null where nullable", `{"name":"Rex","nickname":null}`, 200, []string{`"nickname":null`}, ""},
		{"null where not nullable", `{"name":"Rex","category":null}`, 400, []string{`field \"category\" cannot be null`}, ""},
		{"null for a required field", `{"name":null}`, 400, []string{`field \"name\" is required and cannot be null`}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := f.do("POST", "/v1/pets", tt.body, auth...)
			body := rec.Body.String()
			if rec.Code != tt.status {
				t.Fatalf("%d %s, want %d", rec.Code, body, tt.status)
			}
			for _, c := range tt.contains {
				if !strings.Contains(body, c) {
					t.Errorf("%s: no %s", body, c)
				}
			}
			if tt.absent != "" && strings.Contains(body, tt.absent) {
				t.Errorf("%s: has %s", body, tt.absent)
			}
			if tt.status == 400 && (!strings.Contains(body, `"title":"Bad Request"`) || !strings.Contains(body, `"status":400`)) {
				t.Errorf("not in the API's error envelope: %s", body)
			}
		})
	}
}

func TestPatchObjectAndNull(t *testing.T) {
	f := extended(t, withFields)
	k := f.key(t, "write:pets", "read:pets")
	auth := []string{"Authorization", "Bearer " + k, "Content-Type", "application/json"}
	rec := f.do("PATCH", "/v1/pets/2", `{"tags":[{"name":"x"}],"nickname":null}`, auth...)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"tags":[{"name":"x"}]`) || !strings.Contains(rec.Body.String(), `"nickname":null`) {
		t.Fatalf("PATCH: %d %s", rec.Code, rec.Body)
	}
	// The merge keeps the other fields, the object among them.
	if rec := f.do("GET", "/v1/pets/2", ""); !strings.Contains(rec.Body.String(), `"category":{`) || !strings.Contains(rec.Body.String(), `"nickname":null`) {
		t.Errorf("GET after PATCH: %s", rec.Body)
	}
	if rec := f.do("PATCH", "/v1/pets/2", `{"tags":{}}`, auth...); rec.Code != 400 || !strings.Contains(rec.Body.String(), "tags") {
		t.Errorf("PATCH with a wrong type: %d %s", rec.Code, rec.Body)
	}
}

// Seed records hold object and array values generated from the schema,
// the same on every run.
func TestSeedObjectsFromSchema(t *testing.T) {
	first := extended(t, withFields).do("GET", "/v1/pets/3", "").Body.String()
	again := extended(t, withFields).do("GET", "/v1/pets/3", "").Body.String()
	if first != again {
		t.Errorf("seed differs between runs:\n%s\n%s", first, again)
	}
	var pet map[string]any
	if err := json.Unmarshal([]byte(first), &pet); err != nil {
		t.Fatal(err)
	}
	cat, _ := pet["category"].(map[string]any)
	tags, _ := pet["tags"].([]any)
	if cat["name"] != "Dogs" || len(tags) == 0 {
		t.Errorf("seeded pet %s", first)
	}
	if age, _ := pet["age"].(float64); age < 1 || age > 20 {
		t.Errorf("age %v", pet["age"])
	}
	if r, _ := pet["rank"].(float64); r < 1 || r > 3 || r != float64(int(r)) {
		t.Errorf("rank %v is not from its integer enum", pet["rank"])
	}
}

func TestDocumentedDeleteStatus(t *testing.T) {
	f := extended(t, withFields)
	k := f.key(t, "write:pets", "read:pets")
	rec := f.do("DELETE", "/v1/pets/4", "", "Authorization", "Bearer "+k)
	if rec.Code != 200 || rec.Body.String() != `{"object":"pet","id":4,"deleted":true}` {
		t.Fatalf("DELETE: %d %s", rec.Code, rec.Body)
	}
	if rec := f.do("GET", "/v1/pets/4", ""); rec.Code != 404 {
		t.Errorf("deleted pet: %d", rec.Code)
	}
	// Without a body, a documented 200 answers none; the default stays 204.
	f = extended(t, func(p *profile.Profile) {
		withFields(p)
		p.Resources[0].DeleteBody = nil
	})
	if rec := f.do("DELETE", "/v1/pets/4", "", "Authorization", "Bearer "+f.key(t, "write:pets", "read:pets")); rec.Code != 200 || rec.Body.Len() != 0 {
		t.Errorf("DELETE without a body: %d %q", rec.Code, rec.Body)
	}
	f = extended(t, nil)
	if rec := f.do("DELETE", "/v1/pets/4", "", "Authorization", "Bearer "+f.key(t, "write:pets", "read:pets")); rec.Code != 204 {
		t.Errorf("DELETE by default: %d", rec.Code)
	}
}
