package conformance

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"mockgate/backend/profile"
)

// TestCheckPerStatusErrors: an answer is checked against the template its
// status has in errors.byStatus (else the default, else errors.body), in
// that template's content type.
func TestCheckPerStatusErrors(t *testing.T) {
	errs := &profile.Errors{
		Body: json.RawMessage(`{"message":"$message","code":"$code"}`),
		ByStatus: map[string]profile.ErrorBody{
			"403": {ContentType: profile.ContentTypeProblem, Body: json.RawMessage(`{"title":"$reason","status":"$status","detail":"$message"}`)},
			"429": {Body: json.RawMessage(`{"error":{"message":"$message"}}`)},
		},
	}
	const (
		jsonCT    = "application/json; charset=utf-8"
		problemCT = "application/problem+json"
	)
	forbidden := Expect{Kind: "insufficient_scope", Status: 403, Code: "forbidden", Message: "lacks {detail}"}
	limited := Expect{Kind: "rate_limited", Status: 429, Code: "rate_limited", Message: "slow down"}
	missing := Expect{Kind: "missing_key", Status: 401, Code: "missing_key", Message: "no key"}
	tests := []struct {
		name string
		e    Expect
		ct   string
		body string
		want string // a problem that must be reported; "" for none
	}{
		{"403 in its own problem+json", forbidden, problemCT, `{"title":"Forbidden","status":403,"detail":"lacks read:pets"}`, ""},
		{"403 in errors.body", forbidden, problemCT, `{"message":"lacks read:pets","code":"forbidden"}`, "body.detail: missing"},
		{"403 as application/json", forbidden, jsonCT, `{"title":"Forbidden","status":403,"detail":"lacks read:pets"}`, "Content-Type: expected application/problem+json"},
		{"429 in its own envelope", limited, jsonCT, `{"error":{"message":"slow down"}}`, ""},
		{"429 with a wrong message", limited, jsonCT, `{"error":{"message":"later"}}`, `body.error.message: expected the message "slow down"`},
		{"401 in errors.body", missing, jsonCT, `{"message":"no key","code":"missing_key"}`, ""},
		{"401 in another status's envelope", missing, jsonCT, `{"error":{"message":"no key"}}`, "body.message: missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Check(errs, tt.e, Response{Status: tt.e.Status, Header: http.Header{"Content-Type": {tt.ct}}, Body: []byte(tt.body)})
			switch {
			case tt.want == "" && len(got) > 0:
				t.Errorf("problems %q, want none", got)
			case tt.want != "" && !strings.Contains(strings.Join(got, "\n"), tt.want):
				t.Errorf("problems %q, want one saying %q", got, tt.want)
			}
		})
	}
}
