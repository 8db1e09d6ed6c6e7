package mockapi

import (
	"net/url"
	"testing"
)

// queryParam must agree with url.ParseQuery on every input.
func TestQueryParamMatchesParseQuery(t *testing.T) {
	for _, raw := range []string{"", "page=1", "page=1&page=2", "pageSize=%35%30", "a=1&page", "page=&x=1",
		"p%61ge=3", "page=1;x=2", "page=%zz&page=2", "page=a+b", "x=1&&page=4&", "page=1=2", "PAGE=1", "page=%zz"} {
		want := url.Values{}
		if v, err := url.ParseQuery(raw); err == nil || v != nil {
			want = v
		}
		first, n, _ := queryParam(raw, "page")
		if n != len(want["page"]) || (n > 0 && first != want["page"][0]) {
			t.Errorf("queryParam(%q) = %q, %d; ParseQuery says %q", raw, first, n, want["page"])
		}
	}
}

func FuzzQueryParam(f *testing.F) {
	for _, s := range []string{"page=1&page=2", "p%61ge=%31", "page=1;x", "a=b&page=+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		want, _ := url.ParseQuery(raw)
		first, n, _ := queryParam(raw, "page")
		if n != len(want["page"]) || (n > 0 && first != want["page"][0]) {
			t.Fatalf("queryParam(%q) = %q, %d; ParseQuery says %q", raw, first, n, want["page"])
		}
	})
}

func TestQueryParamMalformed(t *testing.T) {
	if _, n, bad := queryParam("x=%zz&page=%zz&page=%y", "page"); n != 0 || bad != "%zz" {
		t.Fatalf("n %d, malformed %q", n, bad)
	}
	if _, _, bad := queryParam("x=%zz&page=1", "page"); bad != "" {
		t.Fatalf("another parameter's bad escape reported: %q", bad)
	}
}
