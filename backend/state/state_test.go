package state_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"mockgate/backend/state"
)

const minimal = `{"format":"mockgate-state","version":1,"mockgate":"v1.2.3","savedAt":"2026-03-01T12:00:00Z",
 "clock":{"offsetSeconds":3600.5,"frozen":false,"now":"2026-03-01T13:00:00Z"},
 "apis":[{"id":"journeybee","source":"builtin","settings":{"corsOrigins":[],"latencyMs":0,"errorRate":0,"throttleRate":0,"ignorePrefer":false},
   "collections":[{"tenant":"-","resource":"users","seq":2,"records":[{"id":1},{"id":2}]}]}],
 "keys":[{"id":"k1","api":"journeybee","name":"ci","prefix":"jb_live_abcd","last4":"wxyz","hash":"` + hash + `","scopes":["read"],"createdAt":"2026-03-01T12:00:00Z","useCount":3}],
 "integrations":[{"api":"eudr","name":"default","active":true,"createdAt":"2026-03-01T12:00:00Z","updatedAt":"2026-03-01T12:00:00Z"}]}`

const hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

func TestParse(t *testing.T) {
	doc, err := state.Parse([]byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Mockgate != "v1.2.3" || doc.Clock.Offset() != 3600*time.Second+500*time.Millisecond || len(doc.APIs[0].Collections[0].Records) != 2 || doc.Keys[0].UseCount != 3 {
		t.Fatalf("parsed %+v", doc)
	}
	// What Parse reads, json.Marshal writes back.
	again, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := state.Parse(again); err != nil {
		t.Fatalf("a marshalled document does not parse: %v", err)
	}
}

func TestParseRefusals(t *testing.T) {
	edit := func(old, new string) string {
		if !strings.Contains(minimal, old) {
			t.Fatalf("no %q", old)
		}
		return strings.Replace(minimal, old, new, 1)
	}
	for _, tc := range []struct{ doc, says string }{
		{"", "empty"},
		{"  \n", "empty"},
		{minimal[:100], "truncated"},
		{minimal + "x", "not valid JSON at byte"},
		{minimal + " {}", "not valid JSON at byte"},
		{`"a string"`, "a JSON string, not an object"},
		{`null`, `no "format"`},
		{`{"format":7}`, `"format" is 7`},
		{edit(`"version":1`, `"version":"1"`), `"version" "1" is not a state version`},
		{edit(`"version":1`, `"version":1.5`), `is not a state version`},
		{edit(`"version":1,`, `"version":2,"newField":true,`), "saved by a newer mockgate (v1.2.3) in state version 2"},
		{edit(`"savedAt"`, `"savedat2"`), `unknown field "savedat2"`},
		{edit(`"seq":2`, `"seq":-2`), "apis.collections.seq: a JSON number -2 where a whole number is expected"},
		{edit(`"offsetSeconds":3600.5`, `"offsetSeconds":1e12`), "beyond what the clock can be moved by"},
		{edit(`"frozen":false,"now":"2026-03-01T13:00:00Z"`, `"frozen":true`), `a frozen clock needs "now"`},
		{edit(`"now":"2026-03-01T13:00:00Z"`, `"now":"tomorrow"`), "cannot be read"},
		{edit(`{"id":"journeybee"`, `{"id":""`), `apis[0] has no "id"`},
		{edit(`"apis":[`, `"apis":[{"id":"journeybee","source":"builtin"},`), "apis[1] (journeybee): the API is listed twice"},
		{edit(`"collections":[`, `"collections":[{"tenant":"-","resource":"users"},`), "users of tenant - is listed twice"},
		{edit(`"collections":[`, `"collections":[{"tenant":"-"},`), `needs a "tenant" and a "resource"`},
		{edit(`"errorRate":0`, `"errorRate":3`), "apis[0] (journeybee): settings: errorRate"},
		{edit(hash, "ABC"), "keys: key k1 has a malformed hash"},
		{edit(`"name":"default"`, `"name":"a/b"`), `integrations: integration "a/b" of eudr`},
	} {
		_, err := state.Parse([]byte(tc.doc))
		if err == nil || !errors.Is(err, state.ErrInvalid) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%.60q: %v, want it to say %q", tc.doc, err, tc.says)
		}
	}
	var ne *state.NewerError
	if _, err := state.Parse([]byte(strings.Replace(minimal, `"version":1`, `"version":99`, 1))); !errors.As(err, &ne) || ne.Version != 99 {
		t.Errorf("version 99: %v", err)
	}
}
