package admin

import (
	"strings"
	"testing"

	"mockgate/backend/journal"
	"mockgate/backend/profile"
)

// TestCurlPutsTheKeyWhereTheAPIReadsIt: a key in the query, a cookie or
// Basic credentials becomes $MOCKGATE_KEY in the replayed command, in
// auth's one place or in any of auth.schemes.
func TestCurlPutsTheKeyWhereTheAPIReadsIt(t *testing.T) {
	schemes := []profile.AuthScheme{
		{Name: "header", Header: "api_key"}, // logged as Go's canonical Api_key
		{Name: "query", Query: "key"},
		{Name: "cookie", Cookie: "brain.sid"},
		{Name: "bearer", Header: "Authorization", Scheme: "Bearer"},
		{Name: "basic", Header: "Authorization", Scheme: "Basic"},
	}
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
		// An imported API's schemes: each place it reads a key from.
		{profile.Auth{Schemes: schemes},
			journal.Entry{Summary: journal.Summary{Method: "GET", Path: "/api/items"}, RequestHeaders: map[string][]string{"Api_key": {"ext_…abcd"}}},
			`-H "api_key: $MOCKGATE_KEY"`, "ext_"},
		{profile.Auth{Schemes: schemes},
			journal.Entry{Summary: journal.Summary{Method: "GET", Path: "/api/items", Query: "limit=2&key=ext_…abcd"}},
			`"http://127.0.0.1:7705/api/items?limit=2&key=$MOCKGATE_KEY"`, "ext_"},
		{profile.Auth{Schemes: schemes},
			journal.Entry{Summary: journal.Summary{Method: "GET", Path: "/api/items"}, RequestHeaders: map[string][]string{"Cookie": {"brai…abcd"}}},
			`-H "Cookie: brain.sid=$MOCKGATE_KEY"`, "brai…"},
		{profile.Auth{Schemes: schemes},
			journal.Entry{Summary: journal.Summary{Method: "GET", Path: "/api/items"}, RequestHeaders: map[string][]string{"Authorization": {"Bearer ext_…abcd"}}},
			`-H "Authorization: Bearer $MOCKGATE_KEY"`, "ext_"},
		{profile.Auth{Schemes: schemes},
			journal.Entry{Summary: journal.Summary{Method: "GET", Path: "/api/items"}, RequestHeaders: map[string][]string{"Authorization": {"Basic ZXh0…Og=="}}},
			`-u "$MOCKGATE_KEY:"`, "Basic"},
		// A header name a double-quoted word would expand stays single-quoted.
		{profile.Auth{Header: "x-$odd"},
			journal.Entry{Summary: journal.Summary{Method: "GET", Path: "/v1/pets"}, RequestHeaders: map[string][]string{"X-$odd": {"ext_…abcd"}}},
			`-H 'x-$odd: '"$MOCKGATE_KEY"`, "ext_"},
	} {
		got := curlFor(&tt.entry, "http://127.0.0.1:7705", &profile.Profile{Auth: tt.auth})
		if !strings.Contains(got.Command, tt.want) || strings.Contains(got.Command, tt.notWant) || got.Variable != KeyVariable {
			t.Errorf("%+v: %+v; want it to hold %s and not %q", tt.auth, got, tt.want, tt.notWant)
		}
	}
}
