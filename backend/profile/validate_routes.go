package profile

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"mockgate/backend/route"
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

// endpoints checks that the engine's router (package route) takes every
// endpoint: each method and path once, and no two that match exactly the
// same requests. Overlapping paths are fine: the router serves them.
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
	rt := route.New()
	seen := map[string]string{"GET " + OpenAPIPath: "the OpenAPI document"}
	if err := rt.HandleUnlisted(http.MethodGet, OpenAPIPath, http.NotFoundHandler()); err != nil {
		c.add("endpoints", "%v", err) // an empty router takes it
	}
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
		var same *route.SameRequestsError
		switch err := rt.Handle(e.Method, e.Path, http.NotFoundHandler()); {
		case errors.As(err, &same):
			c.add(at, "%s cannot be served: it matches the same requests as %s of %s (the paths differ only in their wildcards' names)", pattern, same.Other, seen[same.Other])
		case err != nil:
			c.add(at, "%s cannot be served: %v", pattern, err)
		}
	}
}

// OpenAPIPath is where the engine publishes an API's OpenAPI document: no
// endpoint may take it.
const OpenAPIPath = "/openapi.json"
