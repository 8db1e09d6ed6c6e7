package profile

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Nothing in the profile format is a file path: ids, paths and tenants
// name routes and store buckets, never files. These are what a hostile
// profile could try instead; each must be refused (naming the field), fast.
func TestHostileProfileRefused(t *testing.T) {
	base, err := os.ReadFile("testdata/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	valid := string(base)
	edit := func(old, new string) string {
		t.Helper()
		if !strings.Contains(valid, old) {
			t.Fatalf("testdata/valid.yaml lacks %q", old)
		}
		return strings.Replace(valid, old, new, 1)
	}
	manyResources := func(n, count int) string {
		s := valid[:strings.Index(valid, "resources:\n")] + "resources:\n"
		for i := range n {
			s += "  - name: r" + strconv.Itoa(i) + "\n    path: r" + strconv.Itoa(i) + "\n    readScope: \"items:read\"\n    writeScope: \"items:write\"\n" +
				"    seed: {count: " + strconv.Itoa(count) + "}\n    fields:\n      - {name: label, type: string, fake: \"{word}\"}\n"
		}
		return s
	}
	laughs := "a: &a [x, x, x, x, x, x, x, x, x]\n"
	for i, prev := 'b', 'a'; i <= 'j'; i, prev = i+1, i {
		laughs += string(i) + ": &" + string(i) + " [" + strings.Repeat("*"+string(prev)+", ", 8) + "*" + string(prev) + "]\n"
	}
	tests := []struct {
		name, profile, field string
	}{
		{"id with ../", edit("id: shop", "id: ../../etc"), "id"},
		{"id with a slash", edit("id: shop", "id: a/b"), "id"},
		{"id absolute path", edit("id: shop", `id: "/etc/passwd"`), "id"},
		{"basePath with ..", edit("basePath: /api/v2", "basePath: /api/../../etc"), "basePath"},
		{"basePath encoded ..", edit("basePath: /api/v2", "basePath: /api/%2e%2e"), "basePath"},
		{"resource path with ..", edit("path: catalog/items", "path: ../../etc/passwd"), "resources[0].path"},
		{"resource path absolute", edit("path: catalog/items", "path: /etc/passwd"), "resources[0].path"},
		{"resource path with .", edit("path: catalog/items", "path: catalog/./items"), "resources[0].path"},
		{"resource path with a backslash", edit("path: catalog/items", `path: 'catalog\..\items'`), "resources[0].path"},
		{"tenant with a slash", edit("    - id: outlet", "    - id: ../outlet"), "tenancy.tenants[1].id"},
		{"tenant ..", edit("    - id: outlet", `    - id: ".."`), "tenancy.tenants[1].id"},
		{"idPrefix with ../", edit("idPrefix: itm_", "idPrefix: ../"), "resources[0].idPrefix"},
		{"seed count over the maximum", edit("seed: {count: 25}", "seed: {count: 2000001}"), "resources[0].seed.count"},
		{"negative seed count", edit("seed: {count: 25}", "seed: {count: -1}"), "resources[0].seed.count"},
		{"seed count overflowing int", edit("seed: {count: 25}", "seed: {count: 99999999999999999999}"), "seed.count"},
		{"many resources at the maximum seed", manyResources(40, MaxSeedCount), "the seed data totals"},
		{"huge fake values", edit(`fake: "{productname}"`, `fake: "{password:true,true,true,true,false,2000000}"`), "resources[0].fields[0].fake"},
		{"unknown fake function", edit(`fake: "{productname}"`, `fake: "{file:/etc/passwd}"`), "resources[0].fields[0].fake"},
		{"billion laughs", laughs, ""},
		{"deep nesting", strings.Repeat("[", 100_000), ""},
		{"deep YAML nesting", strings.Repeat("a:\n ", 5_000) + "b", ""},
		{"unknown field (include)", edit("id: shop", "id: shop\ninclude: /etc/passwd"), "include"},
		{"unknown field ($ref)", edit("id: shop", "id: shop\n$ref: /etc/passwd"), "$ref"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t0 := time.Now()
			_, err := Parse([]byte(tt.profile), "hostile.yaml")
			took := time.Since(t0)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), "hostile.yaml") || !strings.Contains(err.Error(), tt.field) {
				t.Errorf("error does not name the file and %q: %.300v", tt.field, err)
			}
			if took > 2*time.Second {
				t.Errorf("refusing it took %v", took)
			}
		})
	}
}

// A count over the cap is refused before anything is rendered.
func TestHugeFakeRefusedFast(t *testing.T) {
	base, err := os.ReadFile("testdata/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	prof := strings.Replace(string(base), `fake: "{productname}"`, `fake: "{sentence:500000000}"`, 1)
	t0 := time.Now()
	_, err = Parse([]byte(prof), "huge.yaml")
	if err == nil || !strings.Contains(err.Error(), `count "500000000": must be between 0 and 1024`) {
		t.Fatalf("error %v", err)
	}
	if took := time.Since(t0); took > time.Second {
		t.Fatalf("refusing took %v: the value was rendered", took)
	}
}
