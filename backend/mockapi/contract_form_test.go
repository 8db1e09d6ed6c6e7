package mockapi

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"mockgate/backend/journal"
)

// An imported operation whose document takes a form reads it as the
// equivalent JSON object, nested keys and the schema's types included; an
// operation whose document takes only JSON, and every built-in profile,
// answer a form 415 as before.
func TestFormBodies(t *testing.T) {
	f := importedFixture(t, "testdata/form.yaml")
	key := f.key(t)
	form := []string{"X-Api-Key", key, "Content-Type", "application/x-www-form-urlencoded"}
	for _, tc := range []struct {
		name, method, target, body string
		headers                    []string
		status                     int
		want                       map[string]any // fields of the answer
	}{
		{"nested keys", "POST", "/v1/customers", "name=Ada&balance=12&tags=a&tags=b&address[city]=Paris&metadata[plan]=gold", form, 200,
			map[string]any{"name": "Ada", "balance": 12.0, "tags": []any{"a", "b"}, "address": map[string]any{"city": "Paris"}, "metadata": map[string]any{"plan": "gold"}}},
		// kin-openapi does not decode objects in arrays: bracketed keys do.
		{"objects in arrays", "POST", "/v1/customers", "name=T&tiers[0][up_to]=inf&tiers[0][amount]=1&tiers[1][up_to]=10&tiers[1][amount]=2&metadata[k]=v", form, 200,
			map[string]any{"tiers": []any{map[string]any{"up_to": "inf", "amount": 1.0}, map[string]any{"up_to": 10.0, "amount": 2.0}}, "metadata": map[string]any{"k": "v"}}},
		{"objects in arrays, a wrong type", "POST", "/v1/customers", "name=T&tiers[0][amount]=x", form, 400, nil},
		{"form with a charset", "POST", "/v1/customers", "name=Bo", []string{"X-Api-Key", key, "Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}, 200,
			map[string]any{"name": "Bo"}},
		{"missing a required field", "POST", "/v1/customers", "balance=1", form, 400, nil},
		{"a field of the wrong type", "POST", "/v1/customers", "name=A&balance=lots", form, 400, nil},
		{"JSON still taken", "POST", "/v1/customers", `{"name":"Cy"}`, []string{"X-Api-Key", key, "Content-Type", "application/json"}, 200,
			map[string]any{"name": "Cy"}},
		{"a required form missing", "POST", "/v1/customers", "", []string{"X-Api-Key", key}, 400, nil},
		{"JSON only: a form is 415", "POST", "/v1/notes", "text=hi", form, 415, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := f.do(tc.method, tc.target, tc.body, tc.headers...)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			if tc.want == nil {
				return
			}
			var got map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("not JSON: %s", rec.Body)
			}
			for k, v := range tc.want {
				if !reflect.DeepEqual(got[k], v) {
					t.Errorf("%s = %#v, want %#v", k, got[k], v)
				}
			}
			id, _ := got["id"].(string)
			if rec := f.do("GET", "/v1/customers/"+id, "", "X-Api-Key", key); rec.Code != 200 {
				t.Errorf("GET the created record: %d %s", rec.Code, rec.Body)
			}
		})
	}
	// The request log keeps what the client sent: the form, not its JSON.
	for _, e := range f.log.Query(journal.Filter{}) {
		if e.Method == "POST" && strings.HasPrefix(e.RequestBody, "name=Ada") {
			if ct := e.RequestHeaders["Content-Type"]; len(ct) != 1 || ct[0] != "application/x-www-form-urlencoded" {
				t.Errorf("logged Content-Type %q, want the client's", ct)
			}
			return
		}
	}
	t.Error("the request log does not show the client's form")
}

// A built-in profile has no document: a form is refused as always
// (journeybee answers an unsupported Content-Type 400).
func TestFormBodiesBuiltinUnchanged(t *testing.T) {
	f := newFixture(t, "journeybee", nil)
	rec := f.do("POST", "/v1/users", "name=a", "Authorization", "Bearer "+f.key(t), "Content-Type", "application/x-www-form-urlencoded")
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "Content-Type must be application/json") {
		t.Fatalf("status %d, want journeybee's 400 for a Content-Type that is not JSON: %s", rec.Code, rec.Body)
	}
}
