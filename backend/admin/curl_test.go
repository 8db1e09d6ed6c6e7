package admin

import (
	"strings"
	"testing"

	"mockgate/backend/journal"
	"mockgate/backend/profile"
)

// TestCurlPutsTheKeyWhereTheAPIReadsIt: a key in the query, a cookie or
// Basic credentials becomes $MOCKGATE_KEY in the replayed command.
func TestCurlPutsTheKeyWhereTheAPIReadsIt(t *testing.T) {
	for _, tt := range []struct {
		auth    profile.Auth
		entry   journal.Entry
		want    string
		notWant string
	}{
		{profile.Auth{Query: "api_key"},
			journal.Entry{Summary: journal.Summary{Method: "GET", Path: "/v1/pets", Query: "api_key=ext_…abcd&limit=2"}},
			`"http://127.0.0.1:7705/v1/pets?api_key=$MOCKGATE_KEY&limit=2"`, "ext_"},
		{profile.Auth{Cookie: "sid"},
			journal.Entry{Summary: journal.Summary{Method: "GET", Path: "/v1/pets"}, RequestHeaders: map[string][]string{"Cookie": {"them…=abc"}}},
			`-H "Cookie: sid=$MOCKGATE_KEY"`, "them"},
		{profile.Auth{Header: "Authorization", Scheme: "Basic"},
			journal.Entry{Summary: journal.Summary{Method: "GET", Path: "/v1/pets"}, RequestHeaders: map[string][]string{"Authorization": {"Basic ZXh0…Og=="}}},
			`-u "$MOCKGATE_KEY:"`, "Basic"},
	} {
		got := curlFor(&tt.entry, "http://127.0.0.1:7705", &profile.Profile{Auth: tt.auth})
		if !strings.Contains(got.Command, tt.want) || strings.Contains(got.Command, tt.notWant) || got.Variable != KeyVariable {
			t.Errorf("%+v: %+v; want it to hold %s and not %q", tt.auth, got, tt.want, tt.notWant)
		}
	}
}
