package profile

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"
)

func TestGrants(t *testing.T) {
	shop, err := LoadFile(filepath.Join("testdata", "valid.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cyclic := &Profile{Permissions: Permissions{Model: PermScopes,
		Scopes:  []Scope{{Name: "a"}, {Name: "b"}, {Name: "c"}},
		Implies: map[string][]string{"a": {"b"}, "b": {"a"}}}}
	tests := []struct {
		name   string
		p      *Profile
		scopes []string
		need   string
		want   bool
	}{
		{"readwrite read reads", builtin(t, "journeybee"), []string{"read"}, "read", true},
		{"readwrite read cannot write", builtin(t, "journeybee"), []string{"read"}, "write", false},
		{"readwrite write reads", builtin(t, "journeybee"), []string{"write"}, "read", true},
		{"readwrite write writes", builtin(t, "journeybee"), []string{"write"}, "write", true},
		{"readwrite write reads without implies", &Profile{Permissions: Permissions{Model: PermReadWrite}}, []string{"write"}, "read", true},
		{"no scopes, need read", builtin(t, "journeybee"), nil, "read", false},
		{"empty need", builtin(t, "journeybee"), nil, "", true},
		{"scopes exact", builtin(t, "eudr"), []string{"integration:batches:read", "integration:dds:read"}, "integration:dds:read", true},
		{"scopes other", builtin(t, "eudr"), []string{"integration:batches:read"}, "integration:dds:read", false},
		{"scopes write does not read", builtin(t, "eudr"), []string{"integration:batches:write"}, "integration:batches:read", false},
		{"juleb group", builtin(t, "juleb"), []string{"inventory"}, "pos", false},
		{"model none", builtin(t, "jelou"), nil, "anything", true},
		{"implies transitively", shop, []string{"admin"}, "items:read", true},
		{"implies one way", shop, []string{"items:read"}, "items:write", false},
		{"implies cycle terminates", cyclic, []string{"a"}, "c", false},
		{"implies cycle grants", cyclic, []string{"b"}, "a", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Grants(tt.scopes, tt.need); got != tt.want {
				t.Errorf("Grants(%v, %q) = %v, want %v", tt.scopes, tt.need, got, tt.want)
			}
		})
	}
}

func TestScopeNames(t *testing.T) {
	if got := builtin(t, "journeybee").ScopeNames(); !slices.Equal(got, []string{"read", "write"}) {
		t.Errorf("journeybee scopes %v", got)
	}
	if got := builtin(t, "eudr").ScopeNames(); len(got) != 9 || got[0] != "integration:suppliers:read" {
		t.Errorf("eudr scopes %v", got)
	}
	if got := builtin(t, "jelou").ScopeNames(); len(got) != 0 {
		t.Errorf("jelou scopes %v", got)
	}
}

func TestTenants(t *testing.T) {
	shop, err := LoadFile(filepath.Join("testdata", "valid.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		p       *Profile
		id      string
		has     bool
		wantObj string // a JSON field "name" or "id" to find; "" for nil
	}{
		{"jelou company", builtin(t, "jelou"), "1001", true, "Acme Retail"},
		{"jelou other company", builtin(t, "jelou"), "2002", true, "Globex Travel"},
		{"jelou unknown", builtin(t, "jelou"), "9999", false, ""},
		{"juleb account", builtin(t, "juleb"), "demo", true, "demo"},
		{"juleb unknown", builtin(t, "juleb"), "nope", false, ""},
		{"no tenancy", builtin(t, "eudr"), "demo", false, ""},
		{"tenant without object", shop, "outlet", true, "outlet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.HasTenant(tt.id); got != tt.has {
				t.Errorf("HasTenant(%q) = %v", tt.id, got)
			}
			obj := tt.p.TenantObject(tt.id)
			if tt.wantObj == "" {
				if obj != nil {
					t.Errorf("TenantObject(%q) = %s, want nil", tt.id, obj)
				}
				return
			}
			var m map[string]any
			if err := json.Unmarshal(obj, &m); err != nil {
				t.Fatalf("TenantObject(%q) = %s: %v", tt.id, obj, err)
			}
			if m["name"] != tt.wantObj && m["id"] != tt.wantObj {
				t.Errorf("TenantObject(%q) = %s, want name or id %q", tt.id, obj, tt.wantObj)
			}
		})
	}
}
