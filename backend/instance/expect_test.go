package instance_test

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"mockgate/backend/instance/instancetest"
)

// The checks the instance tests share; the harness that starts an
// instance and calls it is package instancetest.

// expect checks status and a JSON path's value ("error.code").
func expect(t *testing.T, r instancetest.Response, status int, checks ...string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d; body %s", r.Status, status, r.Body)
	}
	for i := 0; i+1 < len(checks); i += 2 {
		got := lookup(r.JSON(t), checks[i])
		if !strings.Contains(got, checks[i+1]) {
			t.Errorf("%s = %q, want it to contain %q (body %s)", checks[i], got, checks[i+1], r.Body)
		}
	}
}

// lookup reads a dotted path of a JSON object as a string.
func lookup(m map[string]any, path string) string {
	var cur any = m
	for _, part := range strings.Split(path, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			return "<missing>"
		}
		cur, ok = obj[part]
		if !ok {
			return "<missing>"
		}
	}
	switch v := cur.(type) {
	case string:
		return v
	case nil:
		return "null"
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

func bearer(k string) []string { return []string{"Authorization", "Bearer " + k} }

func itoa(n int) string { return strconv.Itoa(n) }

func appendJSON(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // the engine writes < > & as they are
	enc.Encode(s)
	return bytes.TrimSpace(b.Bytes())
}
