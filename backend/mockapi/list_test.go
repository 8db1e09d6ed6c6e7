package mockapi

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"mockgate/backend/profile"
)

// cursorBody uses every placeholder a cursor list has.
const cursorBody = `{"object":"list","data":"$items","has_more":"$hasMore","next_cursor":"$nextCursor","previous_cursor":"$previousCursor",
	"first_id":"$firstId","last_id":"$lastId","next":"$next","previous":"$previous","total":"$total","count":"$count","limit":"$limit"}`

// cursorAPI is journeybee with partners (50, integer ids) paged by
// after/before ids and leads (120, ids lead_N) by an opaque page_token,
// each resource with its own pagination; users keep the profile's pages.
func cursorAPI(t testing.TB, change func(*profile.Profile)) *fixture {
	t.Helper()
	ps, err := profile.Builtins()
	if err != nil {
		t.Fatal(err)
	}
	var p *profile.Profile
	for _, q := range ps {
		if q.ID == "journeybee" {
			p = q
		}
	}
	for i := range p.Resources {
		r := &p.Resources[i]
		switch r.Name {
		case "partner":
			r.Pagination = &profile.Pagination{Style: profile.PageCursor, SizeParam: "limit", AfterParam: "after", BeforeParam: "before",
				DefaultSize: 10, MaxSize: 20, Body: json.RawMessage(cursorBody)}
		case "lead":
			r.IDPrefix = "lead_"
			r.Pagination = &profile.Pagination{Style: profile.PageCursor, SizeParam: "page_size", AfterParam: "page_token", Cursor: profile.CursorOpaque,
				DefaultSize: 25, MaxSize: 100, Body: json.RawMessage(`{"items":"$items","next_page_token":"$nextCursor"}`)}
		}
	}
	if change != nil {
		change(p)
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	return newFixtureFor(t, p, nil)
}

type cursorPage struct {
	Data           []struct{ ID any } `json:"data"`
	Items          []struct{ ID any } `json:"items"`
	HasMore        bool               `json:"has_more"`
	NextCursor     *string            `json:"next_cursor"`
	PreviousCursor *string            `json:"previous_cursor"`
	FirstID        any                `json:"first_id"`
	LastID         any                `json:"last_id"`
	Next, Previous *string
	Total, Count   int
	Limit          int
	NextPageToken  *string `json:"next_page_token"`
	Error          string  `json:"error"`
}

func (f *fixture) page(t *testing.T, k, target string) (int, cursorPage) {
	t.Helper()
	rec := f.do("GET", target, "", "Authorization", "Bearer "+k)
	var pg cursorPage
	if err := json.Unmarshal(rec.Body.Bytes(), &pg); err != nil {
		t.Fatalf("GET %s: %v %s", target, err, rec.Body)
	}
	return rec.Code, pg
}

func ids(items []struct{ ID any }) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = fmt.Sprint(it.ID)
	}
	return out
}

// TestCursorWalk pages forward and backward through every partner and
// checks each record comes exactly once, in order, and the body's cursors.
func TestCursorWalk(t *testing.T) {
	f := cursorAPI(t, nil)
	k := f.key(t)
	tests := []struct {
		name, first string
		backward    bool
		sizes       []int // the page sizes met, in order
		want        int   // records 1..want
	}{
		{"forward", "/v1/partners?limit=7", false, []int{7, 7, 7, 7, 7, 7, 7, 1}, 50},
		{"forward, default size", "/v1/partners", false, []int{10, 10, 10, 10, 10}, 50},
		// A cursor names a record: the walk back starts before the last.
		{"backward from the last", "/v1/partners?limit=20&before=50", true, []int{20, 20, 9}, 49},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen []string
			var sizes []int
			target := tt.first
			for n := 0; target != ""; n++ {
				if n > 60 {
					t.Fatal("the walk does not end")
				}
				code, pg := f.page(t, k, target)
				if code != 200 || pg.Total != 50 || pg.Count != len(pg.Data) {
					t.Fatalf("GET %s: %d %+v", target, code, pg)
				}
				got := ids(pg.Data)
				if len(got) > 0 && (fmt.Sprint(pg.FirstID) != got[0] || fmt.Sprint(pg.LastID) != got[len(got)-1]) {
					t.Errorf("GET %s: first_id %v last_id %v for %v", target, pg.FirstID, pg.LastID, got)
				}
				sizes = append(sizes, len(got))
				if tt.backward {
					seen = append(got, seen...)
				} else {
					seen = append(seen, got...)
				}
				cursor, link := pg.NextCursor, pg.Next
				if tt.backward {
					cursor, link = pg.PreviousCursor, pg.Previous
				}
				if pg.HasMore != (cursor != nil) || (cursor == nil) != (link == nil) {
					t.Fatalf("GET %s: has_more %v with cursor %v and link %v", target, pg.HasMore, cursor, link)
				}
				target = ""
				if link != nil {
					u, err := url.Parse(*link)
					if err != nil {
						t.Fatal(err)
					}
					target = u.RequestURI()
				}
			}
			want := make([]string, tt.want)
			for i := range want {
				want[i] = fmt.Sprint(i + 1)
			}
			if !slices.Equal(seen, want) || !slices.Equal(sizes, tt.sizes) {
				t.Errorf("records %v in pages of %v; want each of 1..%d once, pages of %v", seen, sizes, tt.want, tt.sizes)
			}
		})
	}
}

// TestCursorConsistent: records created and deleted between two requests
// of a walk neither repeat nor skip the records that stay.
func TestCursorConsistent(t *testing.T) {
	f := cursorAPI(t, nil)
	k := f.key(t)
	auth := []string{"Authorization", "Bearer " + k}
	_, p1 := f.page(t, k, "/v1/partners?limit=10")
	if rec := f.do("POST", "/v1/partners", `{"name":"Newco"}`, append(auth, "Content-Type", "application/json")...); rec.Code != 201 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	// The page's last record is deleted: its id still names the place.
	if rec := f.do("DELETE", "/v1/partners/10", "", auth...); rec.Code != 204 {
		t.Fatalf("delete: %d %s", rec.Code, rec.Body)
	}
	seen := ids(p1.Data)
	for cur := p1.NextCursor; cur != nil; {
		code, pg := f.page(t, k, "/v1/partners?limit=10&after="+*cur)
		if code != 200 {
			t.Fatalf("after %s: %d %+v", *cur, code, pg)
		}
		seen = append(seen, ids(pg.Data)...)
		cur = pg.NextCursor
	}
	want := []string{}
	for i := 1; i <= 51; i++ {
		want = append(want, fmt.Sprint(i))
	}
	if !slices.Equal(seen, want) {
		t.Errorf("walk across a create and a delete: %v", seen)
	}
}

// TestCursorOpaque walks the leads by their opaque page_token.
func TestCursorOpaque(t *testing.T) {
	f := cursorAPI(t, nil)
	k := f.key(t)
	var seen []string
	target := "/v1/leads?page_size=50"
	for target != "" {
		code, pg := f.page(t, k, target)
		if code != 200 {
			t.Fatalf("GET %s: %d %+v", target, code, pg)
		}
		seen = append(seen, ids(pg.Items)...)
		target = ""
		if tok := pg.NextPageToken; tok != nil {
			if dec, err := base64.RawURLEncoding.DecodeString(*tok); err != nil || string(dec) != seen[len(seen)-1] {
				t.Fatalf("token %q is not base64url of the last id %s", *tok, seen[len(seen)-1])
			}
			target = "/v1/leads?page_size=50&page_token=" + *tok
		}
	}
	if len(seen) != 120 || seen[0] != "lead_1" || seen[119] != "lead_120" {
		t.Errorf("leads %d: %v", len(seen), seen)
	}
}

// TestCursorRefused: a bad cursor, both directions at once, a size over
// the documented maximum: 400 in the API's envelope naming the parameter.
func TestCursorRefused(t *testing.T) {
	f := cursorAPI(t, nil)
	k := f.key(t)
	tests := []struct{ target, want string }{
		{"/v1/partners?after=abc", `after must be the id of a partner record, as in the list's records (got "abc")`},
		{"/v1/partners?after=51", `after must be the id of a partner record`},
		{"/v1/partners?after=0", `after must be the id of a partner record`},
		{"/v1/partners?after=-3", `after must be the id`},
		{"/v1/partners?before=x%zz", `before must be the id of a partner record`},
		{"/v1/partners?after=3&after=4", `after must be given once (got 2 values)`},
		{"/v1/partners?after=3&before=9", `after and before cannot be given together`},
		{"/v1/partners?limit=21", `limit must be an integer between 1 and 20 (got "21")`},
		{"/v1/partners?limit=0&after=2", `limit must be an integer between 1 and 20`},
		{"/v1/leads?page_token=lead_5", `page_token must be a cursor from a page of this list (got "lead_5")`},
		{"/v1/leads?page_token=" + base64.RawURLEncoding.EncodeToString([]byte("lead_500")), `page_token must be a cursor`},
		{"/v1/leads?page_token=" + base64.RawURLEncoding.EncodeToString([]byte("5")), `page_token must be a cursor`},
		{"/v1/leads?page_size=101", `page_size must be an integer between 1 and 100`},
	}
	for _, tt := range tests {
		code, pg := f.page(t, k, tt.target)
		if code != 400 || !strings.Contains(pg.Error, tt.want) {
			t.Errorf("GET %s: %d %q; want 400 with %q", tt.target, code, pg.Error, tt.want)
		}
	}
	// The profile's own style still pages the users, and an empty cursor
	// is no cursor.
	if code, pg := f.page(t, k, "/v1/users?page=2&pageSize=5"); code != 200 || ids(pg.Data)[0] != "6" {
		t.Errorf("users page 2: %d %+v", code, pg)
	}
	if code, pg := f.page(t, k, "/v1/partners?after=&limit=2"); code != 200 || !slices.Equal(ids(pg.Data), []string{"1", "2"}) {
		t.Errorf("empty after: %d %+v", code, pg)
	}
}

// BenchmarkCursorPage compares the first cursor page of 200,000 records
// with one near the end, through the whole engine.
func BenchmarkCursorPage(b *testing.B) {
	f := cursorAPI(b, func(p *profile.Profile) { p.RateLimit.PerMinute = 0 })
	k := f.key(b)
	p := f.eng.Profile()
	var partner *profile.Resource
	for i := range p.Resources {
		if p.Resources[i].Name == "partner" {
			partner = &p.Resources[i]
		}
	}
	coll := f.eng.data.Collection(f.eng.dataTenant(&call{}), partner)
	if err := f.eng.data.Grow(coll, partner, "-", 200_000); err != nil {
		b.Fatal(err)
	}
	for _, target := range []string{"/v1/partners?limit=20", "/v1/partners?limit=20&after=199900"} {
		b.Run(target, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if rec := f.do("GET", target, "", "Authorization", "Bearer "+k); rec.Code != 200 {
					b.Fatalf("%d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
