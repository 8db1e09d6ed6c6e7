package envelope

import (
	"encoding/json"
	"strings"
	"testing"
)

type fill map[string]string

func (f fill) Fill(dst []byte, slot string) []byte { return append(dst, f[slot]...) }

func TestCompileAndAppend(t *testing.T) {
	tests := []struct {
		name, tmpl, want string
		vals             fill
	}{
		{"flat", `{"error": "$message"}`, `{"error":"boom"}`, fill{"$message": `"boom"`}},
		{"nested keeps order", `{"data":"$items","meta":{"count":"$count","total":"$total"},"pagination":{"next":"$next"}}`,
			`{"data":[1,2],"meta":{"count":2,"total":150},"pagination":{"next":null}}`,
			fill{"$items": "[1,2]", "$count": "2", "$total": "150", "$next": "null"}},
		{"literal dollar string stays", `{"note":"$ not a slot \"$items\"","x":"$items"}`, `{"note":"$ not a slot \"$items\"","x":[]}`, fill{"$items": "[]"}},
		{"repeated slot", `{"a":"$code","b":["$code"]}`, `{"a":"X","b":["X"]}`, fill{"$code": `"X"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tp, err := Compile([]byte(tt.tmpl), "$message", "$items", "$count", "$total", "$next", "$code")
			if err != nil {
				t.Fatal(err)
			}
			got := string(tp.Append(nil, tt.vals))
			if got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
			if !json.Valid([]byte(got)) {
				t.Fatalf("invalid JSON: %s", got)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	for _, tmpl := range []string{`{"a":"$nope"}`, `["$items"]`, `{"$items":1}`, `{`} {
		if _, err := Compile([]byte(tmpl), "$items"); err == nil {
			t.Errorf("Compile(%s): want error", tmpl)
		}
	}
}

func TestAppendString(t *testing.T) {
	inputs := []string{"plain", `quo"te\back`, "ctl\x00\x1f\n\t", "bad\xff\xfeutf8", "emoji 😀 and \u2028", strings.Repeat("é", 50)}
	for _, in := range inputs {
		out := AppendString(nil, in)
		if !json.Valid(out) {
			t.Fatalf("AppendString(%q) = %s: not valid JSON", in, out)
		}
		var back string
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatal(err)
		}
		std, _ := json.Marshal(in) // encoding/json replaces each invalid byte too
		var want string
		_ = json.Unmarshal(std, &want)
		if back != want {
			t.Errorf("round trip of %q = %q, want %q", in, back, want)
		}
	}
}
