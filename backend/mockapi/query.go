package mockapi

import (
	"net/url"
	"strings"
)

// queryParam finds name in a raw query string without building the whole
// url.Values map (the hot path reads two or three parameters): it returns
// the first value and how many times the name occurs. Names and values are
// percent-decoded as url.ParseQuery does; an undecodable pair is skipped as
// url.ParseQuery skips it.
func queryParam(raw, name string) (first string, count int) {
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" || strings.Contains(pair, ";") {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		if strings.ContainsAny(k, "%+") {
			var err error
			if k, err = url.QueryUnescape(k); err != nil {
				continue
			}
		}
		if k != name {
			continue
		}
		if strings.ContainsAny(v, "%+") {
			var err error
			if v, err = url.QueryUnescape(v); err != nil {
				continue
			}
		}
		if count == 0 {
			first = v
		}
		count++
	}
	return first, count
}
