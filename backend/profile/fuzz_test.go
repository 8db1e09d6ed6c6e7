package profile

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// FuzzParse feeds Parse arbitrary bytes (a user's profile file): it never
// panics, a refusal names the file, and a profile it accepts is valid, has
// its endpoints, and reads back the same from its own JSON.
func FuzzParse(f *testing.F) {
	for _, id := range builtinIDs {
		data, err := builtinFS.ReadFile("builtin/" + id + ".yaml")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	valid, err := os.ReadFile("testdata/valid.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	for _, s := range []string{
		"", "null", "[]", "{}", "id: x", "{\"id\": 1}", "a: &a [*a]",
		"id: ../../etc\nname: x\nversion: '1'",
		strings.Repeat("[", 1000), strings.Repeat("a: {", 200),
		"\xff\xfe\x00", "id: \"\\ud800\"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return // bounds the time per input; size is not what is tested
		}
		p, err := Parse(data, "fuzz.yaml")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("Parse accepted a profile that does not validate: %v", err)
		}
		eps := p.Endpoints()
		js, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		q, err := Parse(js, "again.json")
		if err != nil {
			t.Fatalf("the accepted profile does not parse from its own JSON: %v\n%s", err, js)
		}
		if q.ID != p.ID || len(q.Endpoints()) != len(eps) {
			t.Fatalf("round trip changed the profile: id %q→%q, %d→%d endpoints", p.ID, q.ID, len(eps), len(q.Endpoints()))
		}
	})
}
