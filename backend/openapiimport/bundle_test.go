package openapiimport

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/yaml"
)

// A single-file document's JSON is its own text: equal as JSON to the
// document, keys in the vendor's order.
func TestBundleSingleFileIsTheDocument(t *testing.T) {
	for _, f := range []string{"testdata/petstore3.yaml", "testdata/resend.yaml", "testdata/circular.yaml"} {
		t.Run(f, func(t *testing.T) {
			_, js, err := LoadFileBundled(f)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want, err := yaml.YAMLToJSON(raw)
			if err != nil {
				t.Fatal(err)
			}
			var got, exp any
			if err := json.Unmarshal(js, &got); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(want, &exp); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, exp) {
				t.Fatalf("the bundled JSON differs from the document")
			}
			if i, j := strings.Index(string(js), `"info"`), strings.Index(string(js), `"paths"`); i < 0 || j < 0 || i > j {
				t.Errorf("keys not in the document's order: info at %d, paths at %d", i, j)
			}
		})
	}
}

// A multi-file document becomes one document with no $ref to another
// file, which loads by itself and keeps every path.
func TestBundleMultiFile(t *testing.T) {
	doc, js, err := LoadFileBundled("testdata/multifile/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if hasFileRef(js) {
		t.Fatalf("a $ref to a file is left: %s", js)
	}
	t2, err := openapi3.NewLoader().LoadFromData(js)
	if err != nil {
		t.Fatalf("the bundled document does not load by itself: %v", err)
	}
	if err := t2.Validate(t.Context()); err != nil {
		t.Fatalf("the bundled document is not valid: %v", err)
	}
	if got, want := len(t2.Paths.Map()), len(doc.T.Paths.Map()); got != want || got < 3 {
		t.Fatalf("paths: got %d, want %d", got, want)
	}
}

func TestYAMLToJSON(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{in: "b: 1\na: x\n", want: `{"b":1,"a":"x"}`},
		{in: "200: {description: ok}\n", want: `{"200":{"description":"ok"}}`},
		{in: "x: &a [1, 2.5, true, null]\ny: *a\n", want: `{"x":[1,2.5,true,null],"y":[1,2.5,true,null]}`},
		{in: "n: 0x10\nm: .inf\nv: '3'\n", want: `{"n":16,"m":".inf","v":"3"}`},
		{in: `{"a": 1e3, "b": "q\"s"}`, want: `{"a":1e3,"b":"q\"s"}`},
		{in: "a: 1\na: 2\n", err: `the key "a" appears twice`},
		{in: "a: [\n", err: "not valid YAML"},
	} {
		got, err := YAMLToJSON([]byte(tc.in))
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: err %v, want %q", tc.in, err, tc.err)
			}
		case err != nil:
			t.Errorf("%q: %v", tc.in, err)
		case string(got) != tc.want:
			t.Errorf("%q: got %s, want %s", tc.in, got, tc.want)
		}
	}
}
