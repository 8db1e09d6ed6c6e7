package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mockgate/backend/cli"
	"mockgate/backend/openapiimport"
	"mockgate/backend/profile"
)

const petstore = "../openapiimport/testdata/petstore3.yaml"

func TestImportOpenAPI(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "petstore.profile.yaml")
	out, errOut, code := runInProcess(t, cli.Env{}, "import", "openapi", petstore, "-o", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	p, err := profile.LoadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// The profile names its document from its own folder.
	abs, _ := filepath.Abs(petstore)
	if rel, _ := filepath.Rel(filepath.Dir(file), abs); p.OpenAPI == nil || p.OpenAPI.Document != filepath.ToSlash(rel) {
		t.Errorf("openapi: %+v, want the document %q", p.OpenAPI, rel)
	}
	for _, want := range []string{"Wrote the profile " + p.ID + " to " + file, "Operations: 19 (10 public)", "petstore_auth (oauth2, 8 operations)",
		"Not mapped (", "api_key (apiKey in header api_key, 2 operations): keys are read from the api_key header"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// Without -o the profile goes to stdout and the summary to stderr.
	out, errOut, code = runInProcess(t, cli.Env{}, "import", "openapi", petstore, "--id", "pets")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if p, err := profile.Parse([]byte(out), "stdout"); err != nil || p.ID != "pets" {
		t.Fatalf("stdout is not the profile: %v\n%s", err, out)
	}
	if !strings.Contains(errOut, "as profile pets") {
		t.Errorf("stderr lacks the summary:\n%s", errOut)
	}

	// --json: the summary (and without -o the profile's text beside it).
	out, _, code = runInProcess(t, cli.Env{}, "import", "openapi", petstore, "-o", file, "--json")
	var sum openapiimport.Summary
	if err := json.Unmarshal([]byte(out), &sum); code != 0 || err != nil || sum.Counts.Operations != 19 || len(sum.NotMapped) == 0 {
		t.Fatalf("--json -o: exit %d, %v: %s", code, err, out)
	}
	out, _, code = runInProcess(t, cli.Env{}, "import", "openapi", petstore, "--json")
	var both struct {
		Summary openapiimport.Summary `json:"summary"`
		Profile string                `json:"profile"`
	}
	if err := json.Unmarshal([]byte(out), &both); code != 0 || err != nil || both.Summary.ID != p.ID || !strings.Contains(both.Profile, "basePath: /api/v3") {
		t.Fatalf("--json: exit %d, %v: %.300s", code, err, out)
	}
}

func TestImportOpenAPIRefusals(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "api.yaml")
	data, err := os.ReadFile(petstore)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(doc, data, 0o600)
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {}\n"), 0o600)
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"import", "openapi"}, 2, "needs the OpenAPI FILE"},
		{[]string{"import", "openapi", filepath.Join(dir, "none.yaml")}, 1, "none.yaml"},
		{[]string{"import", "openapi", bad}, 1, "invalid path /a"},
		{[]string{"import", "openapi", doc, "--id", "Pets!"}, 2, `--id: id "Pets!"`},
		{[]string{"import", "openapi", doc, "-o", doc}, 2, "would overwrite the OpenAPI document"},
		{[]string{"import", "swagger", doc}, 2, `unknown import command "swagger"`},
	} {
		_, errOut, code := runInProcess(t, cli.Env{}, tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, want %d with %q: %s", tt.args, code, tt.code, tt.want, errOut)
		}
	}
	if after, _ := os.ReadFile(doc); string(after) != string(data) {
		t.Fatal("the document was changed")
	}
}
