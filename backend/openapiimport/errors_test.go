package openapiimport

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"mockgate/backend/profile"
)

// errorSaid says whether the summary's line for status holds answer.
func errorSaid(s *Summary, status, answer string) bool {
	return slices.ContainsFunc(s.Errors, func(e ErrorSummary) bool { return e.Status == status && strings.Contains(e.Answer, answer) })
}

func TestErrorBodiesPerStatus(t *testing.T) {
	res := imported(t, "testdata/errors.yaml", Options{})
	p, s := res.Profile, res.Summary
	if !jsonEq(p.Errors.Body, `{"message":"$message","code":"error"}`) || p.Errors.ContentType != "" {
		t.Errorf("errors.body (the default response, its enum code kept) %s %q", p.Errors.Body, p.Errors.ContentType)
	}
	tests := []struct {
		status, body, ct, said string
	}{
		{"401", `{"error":{"message":"$message","code":"$code"}}`, "", "the document's AuthError schema"},
		{"403", `{"type":"about:blank","title":"$reason","status":"$status","detail":"$message"}`, profile.ContentTypeProblem, "the schema of POST /things's 403 response"},
		{"404", `{"error":{"message":"$message","type":"string","code":"$code"}}`, "", "the document's NotFound schema"},
		{"422", `{"errors":[{"message":"$message"}]}`, "", "the document's ValidationError schema"}, // a list of errors: its item carries the message
		{"429", `{"message":"$message","retry_after":30}`, "", "(its example)"},
	}
	for _, tt := range tests {
		b, ok := p.Errors.ByStatus[tt.status]
		if !ok || !jsonEq(b.Body, tt.body) || b.ContentType != tt.ct || !errorSaid(s, tt.status, tt.said) {
			t.Errorf("%s: %s %q (%v); want %s %q; summary %+v", tt.status, b.Body, b.ContentType, ok, tt.body, tt.ct, s.Errors)
		}
	}
	if len(p.Errors.ByStatus) != len(tests) {
		t.Errorf("byStatus %v", p.Errors.ByStatus)
	}
	for _, g := range []struct{ where, reason string }{
		{"errors.404", "most common, the document's NotFound schema; not the document's Error schema (DELETE /things/{id})"},
	} {
		if !hasGap(s, g.where, g.reason) {
			t.Errorf("no gap %s: %s in %+v", g.where, g.reason, s.NotMapped)
		}
	}
	for status, said := range map[string]string{
		"default": "the document's Error schema",
		"400":     "the document's Error schema, not documented",
	} {
		if !errorSaid(s, status, said) {
			t.Errorf("summary of %s lacks %q: %+v", status, said, s.Errors)
		}
	}
}

// TestErrorTemplatesFromExamples: an example's message, code and status
// become placeholders, at the top or one object down; values that look
// like placeholders are escaped; an example without a message falls back
// to the schema.
func TestErrorTemplatesFromExamples(t *testing.T) {
	tests := []struct {
		name    string
		example map[string]any
		want    map[string]any
		ok      bool
	}{
		{"top", map[string]any{"message": "x", "code": "E1", "status": 404.0}, map[string]any{"message": "$message", "code": "$code", "status": "$status"}, true},
		{"nested", map[string]any{"error": map[string]any{"message": "x", "type": "invalid"}}, map[string]any{"error": map[string]any{"message": "$message", "type": "$code"}}, true},
		{"detail before description", map[string]any{"detail": "d", "description": "e"}, map[string]any{"detail": "$message", "description": "e"}, true},
		{"a dollar value", map[string]any{"message": "x", "price": "$5"}, map[string]any{"message": "$message", "price": "_$5"}, true},
		{"type URI is no code", map[string]any{"type": "https://x/y", "detail": "d"}, map[string]any{"type": "https://x/y", "detail": "$message"}, true},
		{"no message", map[string]any{"errors": []any{map[string]any{"message": "x"}}}, nil, false},
	}
	for _, tt := range tests {
		slots := map[string]bool{}
		got := exampleTemplate(tt.example, 0, slots)
		if slots["$message"] != tt.ok || tt.ok && !jsonEqValue(got, tt.want) {
			t.Errorf("%s: %v %v; want %v", tt.name, got, slots, tt.want)
		}
	}
}

func jsonEqValue(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && jsonEq(x, string(y))
}
