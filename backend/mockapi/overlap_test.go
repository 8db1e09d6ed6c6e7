package mockapi

import (
	"encoding/json"
	"strings"
	"testing"

	"mockgate/backend/profile"
)

// Paths Go's ServeMux refused side by side (neither more specific), from
// Resend's document: each answers from its own endpoint, and the one whose
// literal comes first takes the paths both match.
func TestOverlappingPathsServed(t *testing.T) {
	f := extended(t, func(p *profile.Profile) {
		add := func(method, path, param, body string) {
			p.Routes = append(p.Routes, profile.Route{Method: method, Path: path, Kind: profile.RouteStatic,
				Params: []profile.Param{{Name: param}}, Public: true, Body: json.RawMessage(body)})
		}
		add("GET", "contacts/{contact_id}/segments", "contact_id", `{"route":"segments"}`)
		add("GET", "contacts/imports/{id}", "id", `{"route":"import"}`)
		add("GET", "emails/{email_id}/attachments", "email_id", `{"route":"attachments"}`)
		add("GET", "emails/receiving/{id}", "id", `{"route":"received"}`)
		add("DELETE", "emails/receiving/{emailId}", "emailId", `{"route":"received deleted"}`)
	})
	tests := []struct {
		method, path string
		code         int
		body, allow  string
	}{
		{"GET", "/v1/contacts/c1/segments", 200, `{"route":"segments"}`, ""},
		{"GET", "/v1/contacts/imports/i1", 200, `{"route":"import"}`, ""},
		{"GET", "/v1/contacts/imports/segments", 200, `{"route":"import"}`, ""},
		{"HEAD", "/v1/contacts/c1/segments", 200, "", ""},
		{"GET", "/v1/emails/e1/attachments", 200, `{"route":"attachments"}`, ""},
		{"GET", "/v1/emails/receiving/r1", 200, `{"route":"received"}`, ""},
		{"DELETE", "/v1/emails/receiving/r1", 200, `{"route":"received deleted"}`, ""},
		// Another method: 405 in the API's envelope, with the path's methods.
		{"POST", "/v1/contacts/c1/segments", 405, `"status":405`, "GET, HEAD"},
		{"POST", "/v1/emails/receiving/r1", 405, "method POST is not allowed on /v1/emails/receiving/{id}", "GET, HEAD, DELETE"},
		{"GET", "/v1/contacts/c1/imports", 404, `"status":404`, ""},
	}
	for _, tt := range tests {
		rec := f.do(tt.method, tt.path, "")
		if rec.Code != tt.code || !strings.Contains(rec.Body.String(), tt.body) || rec.Header().Get("Allow") != tt.allow {
			t.Errorf("%s %s: %d %q Allow %q, want %d %q Allow %q", tt.method, tt.path,
				rec.Code, rec.Body, rec.Header().Get("Allow"), tt.code, tt.body, tt.allow)
		}
	}
}
