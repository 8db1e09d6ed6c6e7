package openapiimport

import (
	"os"
	"strings"
	"testing"

	"mockgate/backend/profile"
)

// FuzzImport feeds the importer arbitrary bytes (a user's document): it
// never panics, a refusal is a message naming the document, and what it
// imports is a valid profile whose YAML reads back.
func FuzzImport(f *testing.F) {
	// Small seeds: the fuzzer minimises every new input it finds, re-running
	// it thousands of times, which a whole vendor document makes slow.
	for _, name := range []string{"testdata/circular.yaml", "testdata/multifile/paths/widgets.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	const head = "openapi: 3.1.0\ninfo: {title: F, version: '1'}\n"
	for _, s := range []string{
		"", "{}", "openapi: 3.0.0", "swagger: '2.0'", "a: &a [*a]", strings.Repeat("[", 1000),
		head + "paths: {}",
		head + "paths:\n  /a/{b}:\n    get:\n      parameters: [{name: b, in: path, required: true, schema: {type: integer}}]\n      responses: {'200': {description: x}}\n",
		head + "paths:\n  /a:\n    $ref: 'other.yaml'\n",
		head + "paths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: x\n          content: {application/json: {schema: {$ref: '#/components/schemas/S'}}}\n" +
			"components:\n  schemas:\n    S: {type: object, properties: {s: {$ref: '#/components/schemas/S'}, n: {type: [string, 'null']}}}\n",
		head + "security: [{k: []}]\npaths:\n  /t:\n    get:\n      responses: {'200': {description: x}}\ncomponents:\n  securitySchemes:\n    k: {type: apiKey, in: cookie, name: s}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return // bounds the time per input; size is not what is tested
		}
		// The bundled form is what serve --openapi and POST /profiles keep
		// and serve: it must not panic either, and a refusal names the
		// document.
		if _, _, berr := LoadBundled(data, "fuzz.yaml"); berr != nil && !strings.Contains(berr.Error(), `"fuzz.yaml"`) {
			t.Fatalf("the bundling error does not name the document: %v", berr)
		}
		doc, err := Load(data, "fuzz.yaml")
		if err == nil {
			var res *Result
			if res, err = Import(doc, Options{}); err == nil {
				if verr := res.Profile.Validate(); verr != nil {
					t.Fatalf("an invalid profile: %v", verr)
				}
				if _, perr := profile.Parse(res.YAML, "back.yaml"); perr != nil {
					t.Fatalf("the YAML does not read back: %v\n%s", perr, res.YAML)
				}
				return
			}
		}
		if !strings.Contains(err.Error(), `"fuzz.yaml"`) {
			t.Fatalf("the error does not name the document: %v", err)
		}
	})
}
