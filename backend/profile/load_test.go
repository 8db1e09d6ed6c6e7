package profile

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestBuiltinsLoadAndValidate(t *testing.T) {
	ps, err := Builtins()
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
		if err := p.Validate(); err != nil {
			t.Errorf("%s: Validate after load: %v", p.ID, err)
		}
	}
	if want := []string{"juleb", "journeybee", "jelou", "eudr"}; !slices.Equal(ids, want) || !slices.Equal(BuiltinIDs(), want) {
		t.Errorf("Builtins ids = %v, BuiltinIDs = %v, want %v", ids, BuiltinIDs(), want)
	}
	// Every embedded file is a listed built-in: a new one must be added to the order.
	entries, err := builtinFS.ReadDir("builtin")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if id := strings.TrimSuffix(e.Name(), ".yaml"); !slices.Contains(BuiltinIDs(), id) {
			t.Errorf("builtin/%s is embedded but not in BuiltinIDs", e.Name())
		}
	}
	// Fresh values each call: a caller's change does not leak.
	ps[0].Name = "changed"
	again, err := Builtins()
	if err != nil {
		t.Fatal(err)
	}
	if again[0].Name == "changed" {
		t.Error("Builtins returned shared values")
	}
}

func builtin(t *testing.T, id string) *Profile {
	t.Helper()
	ps, err := Builtins()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("no builtin %q", id)
	return nil
}

func TestBuiltinEndpoints(t *testing.T) {
	tests := []struct {
		id      string
		count   int
		want    []string // "METHOD PATH SCOPE"
		notWant []string // "METHOD PATH"
	}{
		{"juleb", 18, []string{
			"GET /api/v1/inventory/product inventory",
			"GET /api/v1/inventory/product/{id} inventory",
			"POST /api/v1/inventory/product inventory",
			"PUT /api/v1/inventory/product/{id} inventory",
			"PATCH /api/v1/inventory/product/{id} inventory",
			"DELETE /api/v1/inventory/product/{id} inventory",
			"GET /api/v1/pos/order pos",
			"GET /api/v1/resources/partner/{id} resources",
		}, nil},
		{"journeybee", 18, []string{
			"POST /v1/leads write",
			"GET /v1/leads read",
			"GET /v1/users/{id} read",
			"PATCH /v1/users/{id} write",
			"DELETE /v1/partners/{id} write",
		}, nil},
		{"jelou", 9, []string{
			"GET /jelouapi/v1/company/{companyId} ",
			"POST /jelouapi/v1/company/{companyId}/messages ",
			"GET /jelouapi/v1/company/{companyId}/messages/{id} ",
			"GET /jelouapi/v1/company/{companyId}/campaigns ",
			"POST /jelouapi/v1/company/{companyId}/campaigns ",
			"GET /jelouapi/v1/company/{companyId}/conversations ",
		}, []string{"DELETE /jelouapi/v1/company/{companyId}/messages/{id}", "POST /jelouapi/v1/company/{companyId}/conversations"}},
		{"eudr", 25, []string{
			"GET /api/v1/integration/batches/{id}/dds integration:dds:read",
			"GET /api/v1/integration/sync/status integration:sync:read",
			"GET /api/v1/integration/sync/logs integration:sync:read",
			"GET /api/v1/integration/suppliers integration:suppliers:read",
			"POST /api/v1/integration/suppliers integration:suppliers:write",
			"POST /api/v1/integration/webhooks integration:webhooks:manage",
			"DELETE /api/v1/integration/webhooks/{id} integration:webhooks:manage",
		}, []string{"DELETE /api/v1/integration/suppliers/{id}", "POST /api/v1/integration/sync/logs"}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			var got, gotRoutes []string
			for _, e := range builtin(t, tt.id).Endpoints() {
				got = append(got, e.Method+" "+e.Path+" "+e.Scope)
				gotRoutes = append(gotRoutes, e.Method+" "+e.Path)
			}
			if len(got) != tt.count {
				t.Errorf("%d endpoints, want %d:\n%s", len(got), tt.count, strings.Join(got, "\n"))
			}
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing endpoint %q", w)
				}
			}
			for _, w := range tt.notWant {
				if slices.Contains(gotRoutes, w) {
					t.Errorf("unexpected endpoint %q", w)
				}
			}
		})
	}
}

func TestParseJSONEqualsYAML(t *testing.T) {
	fromYAML, err := LoadFile(filepath.Join("testdata", "valid.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(fromYAML)
	if err != nil {
		t.Fatal(err)
	}
	fromJSON, err := Parse(js, "valid.json")
	if err != nil {
		t.Fatal(err)
	}
	js2, err := json.Marshal(fromJSON)
	if err != nil {
		t.Fatal(err)
	}
	if string(js) != string(js2) {
		t.Errorf("JSON round trip differs:\n%s\n%s", js, js2)
	}
}

func TestParseDefaults(t *testing.T) {
	p := mutate(t, func(d map[string]any) {
		delete(d, "permissions")
		delete(d, "tenancy")
		delete(d, "routes")
		for _, r := range d["resources"].([]any) {
			r := r.(map[string]any)
			delete(r, "readScope")
			delete(r, "writeScope")
			delete(r, "views")
		}
	})
	got, err := Parse(p, "defaults.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got.Permissions.Model != PermNone || got.Tenancy.Kind != TenancyNone {
		t.Errorf("model %q, tenancy %q, want none and none", got.Permissions.Model, got.Tenancy.Kind)
	}
}

// TestParseShape covers what Parse refuses before Validate: syntax, unknown
// fields and wrong JSON types, each named by its path.
func TestParseShape(t *testing.T) {
	valid, err := os.ReadFile(filepath.Join("testdata", "valid.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, old, new string
		wantPath       string
		wantMsg        string
	}{
		{"misspelt top field", "basePath: /api/v2", "basepath: /api/v2", "basepath", `unknown field (did you mean "basePath"?)`},
		{"misspelt nested field", "{name: price, type: number", "{name: price, typ: number", "resources[0].fields[1].typ", `unknown field (did you mean "type"?)`},
		{"unknown field far from any", "perMinute: 60", "perMinute: 60\n  burst: 5", "rateLimit.burst", "unknown field (known fields: headerNames, headers, perMinute)"},
		{"string for integer", "seed: {count: 25}", "seed: {count: many}", "resources[0].seed.count", `must be an integer (got "many")`},
		{"fraction for integer", "length: 32", "length: 32.5", "keyFormat.length", "must be an integer (got number 32.5)"},
		{"YAML boolean in enum", "enum: [red, green, blue]", "enum: [true, green, blue]", "resources[0].fields[3].enum[0]", "must be a string (got boolean true; quote it in YAML)"},
		{"YAML number for string", `version: "2.1"`, "version: 2.1", "version", "must be a string (got number 2.1; quote it in YAML)"},
		{"object for list", "queryParams: [api_key]", "queryParams: {a: b}", "auth.queryParams", "must be a list (got an object)"},
		{"list for object", "seed: {count: 5}", "seed: [5]", "resources[1].seed", "must be an object (got a list)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(string(valid), tt.old) {
				t.Fatalf("testdata/valid.yaml has no %q", tt.old)
			}
			data := strings.Replace(string(valid), tt.old, tt.new, 1)
			_, err := Parse([]byte(data), "shop.yaml")
			assertProblem(t, err, tt.wantPath, tt.wantMsg)
			if err != nil && !strings.Contains(err.Error(), `profile "shop" (shop.yaml): `) {
				t.Errorf("error does not name the profile and file: %v", err)
			}
		})
	}
}

func TestParseErrorsNameTheFile(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"empty", "", `profile "x.yaml": the file is empty`},
		{"syntax", "id: [", `profile "x.yaml": not valid YAML or JSON`},
		{"not an object", "[1, 2]", `profile "x.yaml": must be an object (got a list)`},
		{"invalid", "id: Bad", `profile "Bad" (x.yaml): id: must be`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.data), "x.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	_, err := LoadFile(filepath.Join("testdata", "missing.yaml"))
	if err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("LoadFile of a missing file: %v", err)
	}
}

// assertProblem checks that err holds a FieldError at exactly path whose
// message contains msg, and that the text shows both.
func assertProblem(t *testing.T, err error, path, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s: %s", path, msg)
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error is %T, not *ValidationError: %v", err, err)
	}
	for _, p := range ve.Problems {
		if p.Path == path && strings.Contains(p.Msg, msg) {
			if !strings.Contains(err.Error(), ": "+path+": "+p.Msg) {
				t.Errorf("Error() does not show %q:\n%v", path+": "+p.Msg, err)
			}
			return
		}
	}
	t.Errorf("no problem at %s containing %q; got:\n%v", path, msg, err)
}

// An unknown field and an invalid value are named in one answer, not the
// first on one try and the second on the next.
func TestParseNamesEveryProblemAtOnce(t *testing.T) {
	valid, err := os.ReadFile(filepath.Join("testdata", "valid.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	data := strings.Replace(string(valid), "basePath: /api/v2", "basepath: /api/v2", 1)
	data = strings.Replace(data, "alphabet: base62", "alphabet: emoji", 1)
	_, err = Parse([]byte(data), "shop.yaml")
	assertProblem(t, err, "basepath", `unknown field (did you mean "basePath"?)`)
	assertProblem(t, err, "keyFormat.alphabet", "must be one of")
	// A wrong type stops the reading: only the shape's problem is named.
	data = strings.Replace(string(valid), "length: 32", "length: long", 1)
	_, err = Parse([]byte(data), "shop.yaml")
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Path != "keyFormat.length" {
		t.Errorf("a wrong type: %v", err)
	}
}
