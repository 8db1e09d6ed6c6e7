package profile

import "testing"

func TestErrorsFor(t *testing.T) {
	e := Errors{
		Body: []byte(`{"m":"$message"}`),
		ByStatus: map[string]ErrorBody{
			"404":         {ContentType: ContentTypeProblem, Body: []byte(`{"detail":"$message"}`)},
			StatusDefault: {Body: []byte(`{"error":{"message":"$message"}}`)},
		},
	}
	plain := Errors{Body: []byte(`{"m":"$message"}`), ContentType: ContentTypeProblem}
	tests := []struct {
		name     string
		e        Errors
		status   int
		body, ct string
	}{
		{"exact status", e, 404, `{"detail":"$message"}`, ContentTypeProblem},
		{"default", e, 401, `{"error":{"message":"$message"}}`, ContentTypeJSON},
		{"errors.body", Errors{Body: e.Body}, 401, `{"m":"$message"}`, ContentTypeJSON},
		{"errors.body with its content type", plain, 500, `{"m":"$message"}`, ContentTypeProblem},
	}
	for _, tt := range tests {
		body, ct := tt.e.For(tt.status)
		if string(body) != tt.body || ct != tt.ct {
			t.Errorf("%s: For(%d) = %s %s; want %s %s", tt.name, tt.status, body, ct, tt.body, tt.ct)
		}
	}
}

func TestIsJSONMediaType(t *testing.T) {
	for mt, want := range map[string]bool{
		"application/json": true, "application/problem+json": true, "Application/JSON; charset=utf-8": true,
		"application/vnd.api+json": true, "text/plain": false, "application/xml": false, "application/+json": false,
		"text/x+json": false, "": false, "application/jsonx": false,
	} {
		if got := IsJSONMediaType(mt); got != want {
			t.Errorf("IsJSONMediaType(%q) = %v; want %v", mt, got, want)
		}
	}
}

func TestByStatusValid(t *testing.T) {
	data := mutate(t, func(d map[string]any) {
		set(d, "errors.contentType", ContentTypeProblem)
		set(d, "errors.byStatus.404", map[string]any{"contentType": "application/problem+json", "body": map[string]any{"title": "$reason", "status": "$status", "detail": "$message"}})
		set(d, "errors.byStatus.default", map[string]any{"body": map[string]any{"error": map[string]any{"message": "$message", "code": "$code"}}})
	})
	p, err := Parse(data, "valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if body, ct := p.Errors.For(404); ct != ContentTypeProblem || len(body) == 0 {
		t.Errorf("404: %s %s", body, ct)
	}
}
