package profile

import "testing"

// CORSOrigin is the one rule for allowed CORS origins, used by profile
// validation and by the run-time settings.
func TestCORSOrigin(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"*", true},
		{"http://localhost:3000", true},
		{"https://app.example.com", true},
		{"http://127.0.0.1:5173", true},
		{"http://[::1]:8080", true},
		{"http://x/", false}, // a browser's Origin never ends in "/": it would never match
		{"http://x/app", false},
		{"http://x?a=1", false},
		{"http://x#top", false},
		{"http://x?", false},
		{"http://user@x", false},
		{"ftp://x", false},
		{"localhost:3000", false},
		{"http://", false},
		{"", false},
		{"**", false},
	} {
		if got := CORSOrigin(tc.in); got != tc.want {
			t.Errorf("CORSOrigin(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
