package mockapi

import (
	"net/url"
	"strings"
)

// queryParam finds name in a raw query string without building the whole
// url.Values map (the hot path reads two or three parameters): it returns
// the first value and how many times the name occurs. Names and values are
// percent-decoded as url.ParseQuery does, and an undecodable pair is not
// counted, as url.ParseQuery drops it; but when name's value is the
// undecodable part, it is returned in malformed, so the caller can refuse
// it instead of silently using a default.
func queryParam(raw, name string) (first string, count int, malformed string) {
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
			dec, err := url.QueryUnescape(v)
			if err != nil {
				if malformed == "" {
					malformed = v
				}
				continue
			}
			v = dec
		}
		if count == 0 {
			first = v
		}
		count++
	}
	return first, count, malformed
}
