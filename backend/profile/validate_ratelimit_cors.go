package profile

import (
	"fmt"
	"net/url"
	"strings"
)

func (c *checker) rateLimitAndCORS() {
	rl := c.p.RateLimit
	if rl.PerMinute < 0 {
		c.add("rateLimit.perMinute", "must be 0 (no limit) or more (got %d)", rl.PerMinute)
	}
	if rl.PerMinute > 0 || rl.Headers != "" {
		c.oneOf("rateLimit.headers", rl.Headers, HeadersRateLimit, HeadersXRateLimit)
	}
	if n := rl.HeaderNames; n != nil {
		seen := map[string]bool{}
		for _, f := range []struct{ name, v string }{{"limit", n.Limit}, {"remaining", n.Remaining}, {"reset", n.Reset}} {
			path := "rateLimit.headerNames." + f.name
			switch {
			case !isToken(f.v):
				c.add(path, "must be an HTTP header name (got %q)", f.v)
			case seen[strings.ToLower(f.v)]:
				c.add(path, "%q names another of the three headers too", f.v)
			}
			seen[strings.ToLower(f.v)] = true
		}
	}
	seen := map[string]bool{}
	for i, o := range c.p.CORS.AllowedOrigins {
		path := fmt.Sprintf("cors.allowedOrigins[%d]", i)
		if !CORSOrigin(o) {
			c.add(path, "must be \"*\" or an origin such as http://localhost:5173 (got %q)", o)
		} else if seen[o] {
			c.add(path, "%q is listed twice", o)
		}
		seen[o] = true
	}
}

// CORSOrigin reports whether s may stand in a list of allowed CORS origins:
// "*" or an origin as a browser sends it in its Origin header (scheme,
// host and optional port; no path, not even "/", no user, query or
// fragment). Profile validation and the run-time settings both ask it.
func CORSOrigin(s string) bool {
	if s == "*" {
		return true
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" &&
		u.User == nil && u.Path == "" && u.RawQuery == "" && u.Fragment == "" && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "#")
}
