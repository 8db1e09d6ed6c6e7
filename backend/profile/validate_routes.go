package profile

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

var routeMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

func (c *checker) routes() {
	for i := range c.p.Routes {
		rt := &c.p.Routes[i]
		at := fmt.Sprintf("routes[%d]", i)
		m := strings.ToUpper(rt.Method)
		c.oneOf(at+".method", m, routeMethods...)
		if rel := strings.Trim(rt.Path, "/"); rel != "" {
			if strings.Contains(rel, "{") {
				c.add(at+".path", "must contain no '{' (got %q)", rt.Path)
			} else {
				c.segments(at+".path", rel)
			}
		}
		if rt.Status != 0 && (rt.Status < 200 || rt.Status > 299 || rt.Status == 204 || rt.Status == 205 || http.StatusText(rt.Status) == "") {
			c.add(at+".status", "must be a 2xx status with a body, not 204 or 205 (got %d)", rt.Status)
		}
		c.scope(at+".scope", rt.Scope, m != http.MethodGet)
		if !c.oneOf(at+".kind", rt.Kind, RouteTenant, RouteStatic) {
			continue
		}
		switch rt.Kind {
		case RouteTenant:
			if c.p.Tenancy.Kind != TenancyPath && c.p.Tenancy.Kind != TenancySubdomain {
				c.add(at+".kind", "tenant needs tenancy.kind path or subdomain (got %q)", c.p.Tenancy.Kind)
			}
			if len(rt.Body) > 0 {
				c.add(at+".body", "must be empty for kind tenant: it answers the tenant's object")
			}
		case RouteStatic:
			if len(rt.Body) == 0 || !json.Valid(rt.Body) {
				c.add(at+".body", "must be a JSON value for kind static")
			}
		}
	}
}

// endpoints checks that every method and path is served once and that
// net/http.ServeMux accepts the whole set, which it refuses by panicking.
func (c *checker) endpoints() {
	p := c.p
	where := func(e Endpoint) string {
		for i := range p.Routes {
			if e.Route == &p.Routes[i] {
				return fmt.Sprintf("routes[%d]", i)
			}
		}
		for i := range p.Resources {
			r := &p.Resources[i]
			if e.Resource != r {
				continue
			}
			for j := range r.Views {
				if e.View == &r.Views[j] {
					return fmt.Sprintf("resources[%d].views[%d]", i, j)
				}
			}
			return fmt.Sprintf("resources[%d]", i)
		}
		return "endpoints"
	}
	mux := http.NewServeMux()
	seen := map[string]string{}
	for _, e := range p.Endpoints() {
		at := where(e)
		if !strings.HasPrefix(e.Path, "/") {
			c.add(at, "serves the empty path: give it a path or set basePath")
			continue
		}
		pattern := e.Method + " " + e.Path
		if prev, dup := seen[pattern]; dup {
			c.add(at, "%s is also served by %s", pattern, prev)
			continue
		}
		seen[pattern] = at
		if err := register(mux, pattern); err != nil {
			c.add(at, "%s cannot be served: %s", pattern, muxProblem(err.Error(), seen))
		}
	}
}

var (
	conflictRE   = regexp.MustCompile(`conflicts with pattern "([^"]+)"`)
	likeRE       = regexp.MustCompile(`like ("[^"]*")`)
	registeredRE = regexp.MustCompile(` \(registered at [^)]*\)`)
)

// muxProblem shortens ServeMux's panic message, which names source lines,
// into one line naming the profile part that owns the other pattern.
func muxProblem(msg string, owners map[string]string) string {
	if m := conflictRE.FindStringSubmatch(msg); m != nil {
		out := fmt.Sprintf("it conflicts with %s of %s: both match some paths", m[1], owners[m[1]])
		if l := likeRE.FindStringSubmatch(msg); l != nil {
			out += ", like " + l[1] + ","
		}
		return out + " and neither is more specific"
	}
	first, _, _ := strings.Cut(registeredRE.ReplaceAllString(msg, ""), "\n")
	return first
}

func register(mux *http.ServeMux, pattern string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	mux.HandleFunc(pattern, func(http.ResponseWriter, *http.Request) {})
	return nil
}
