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
		if rel := strings.Trim(rt.Path, "/"); rel != "" || len(rt.Params) > 0 {
			c.wildPath(at, rel, rt.Params, false, false)
		}
		noContent := rt.Status == http.StatusNoContent || rt.Status == http.StatusResetContent
		switch {
		case rt.Status != 0 && (rt.Status < 200 || rt.Status > 299 || http.StatusText(rt.Status) == ""):
			c.add(at+".status", "must be a 2xx status (got %d)", rt.Status)
		case noContent && len(rt.Body) > 0:
			c.add(at+".status", "must be a 2xx status with a body, not 204 or 205, since the route has a body (got %d)", rt.Status)
		}
		c.scope(at+".scope", rt.Scope, m != http.MethodGet)
		if rt.Public {
			c.public(at+".public", rt.Scope)
		}
		if rt.Security != nil {
			c.security(at+".security", *rt.Security, true, rt.Public, rt.Scope)
		}
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
			if !noContent && (len(rt.Body) == 0 || !json.Valid(rt.Body)) {
				c.add(at+".body", "must be a JSON value for kind static (a route of status 204 or 205 has none)")
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
	seen := map[string]string{"GET " + OpenAPIPath: "the OpenAPI document"}
	if err := register(mux, "GET "+OpenAPIPath); err != nil {
		c.add("endpoints", "%v", err) // an empty mux takes it
	}
	var paths []string // as the engine registers them, for its 405 answers
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
			continue
		}
		if _, dup := seen[e.Path]; !dup {
			seen[e.Path] = at
			paths = append(paths, e.Path)
		}
	}
	// The engine answers 405 on each path for the methods it lacks, with a
	// pattern of the path alone (in a mux of its own): two paths that
	// differ only in their wildcards' names ({id}, {petId}) cannot both
	// have one.
	allowed := http.NewServeMux()
	for _, pth := range paths {
		if err := register(allowed, pth); err != nil {
			c.add(seen[pth], "%s cannot be served: %s", pth, muxProblem(err.Error(), seen))
		}
	}
}

// OpenAPIPath is where the engine publishes an API's OpenAPI document: no
// endpoint may take it.
const OpenAPIPath = "/openapi.json"

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
