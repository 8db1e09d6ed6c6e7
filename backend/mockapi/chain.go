package mockapi

import (
	"fmt"
	"net/http"
	"path"
	"strings"

	"github.com/rs/cors"

	"mockgate/backend/profile"
	"mockgate/backend/route"
)

// The chain a request meets, in order (the package doc names every step):
// ServeHTTP captures the call and refuses a head over the limit (head.go),
// then the CORS handler built by corsAround wraps fault injection
// (inject.go) and route, which dispatches through the router that
// install built. The endpoint handlers it registers continue in auth.go
// (authorize) and handlers.go (operate); respond.go writes every answer.

// ServeHTTP answers one request to the mock API.
func (e *Engine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := newCall(e, w, r)
	defer c.finish()
	if !e.headFits(c) {
		return
	}
	(*e.inner.Load()).ServeHTTP(c, r)
}

// corsAround puts the CORS handler of s (when s lists origins) around
// route: it answers preflights itself and adds the CORS headers to the
// others. apply swaps the result in whole when the settings change.
func (e *Engine) corsAround(s *Settings) http.Handler {
	var h http.Handler = http.HandlerFunc(e.injectThenRoute)
	if len(s.CORSOrigins) > 0 {
		h = cors.New(cors.Options{
			AllowedOrigins: s.CORSOrigins,
			AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodHead},
			AllowedHeaders: []string{"*"},
			ExposedHeaders: e.exposedHeaders(),
			MaxAge:         600,
		}).Handler(h)
	}
	return h
}

// exposedHeaders are the answer headers a browser's script may read: the
// rate-limit headers (of both conventions, and the vendor's own names).
func (e *Engine) exposedHeaders() []string {
	out := []string{"Retry-After", "Location", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset",
		"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}
	if n := e.rateNames; n != nil {
		out = append(out, n.Limit, n.Remaining, n.Reset)
	}
	return out
}

// injectThenRoute injects the faults asked for (inject.go), then routes.
// It runs inside CORS, so an injected answer carries the CORS headers a
// browser needs to see it, and a preflight is never failed.
func (e *Engine) injectThenRoute(w http.ResponseWriter, r *http.Request) {
	c := w.(*call)
	if !e.inject(c) {
		return
	}
	e.route(c, r)
}

// route resolves the tenant of the Host (subdomain tenancy), refuses
// unclean paths (ServeMux redirected them; they stay 404) and dispatches.
func (e *Engine) route(w http.ResponseWriter, r *http.Request) {
	c := w.(*call)
	if p := r.URL.Path; p == "" || p[0] != '/' || (p != "/" && path.Clean(p) != p) {
		e.fail(c, profile.KindRouteNotFound, "no route "+r.Method+" "+r.URL.Path)
		return
	}
	if e.p.Tenancy.Kind == profile.TenancySubdomain {
		t := subdomain(r.Host)
		if t == "" {
			t = e.p.Tenancy.Default
		}
		if !e.p.HasTenant(t) {
			c.tracef("tenant: %s %q does not exist", e.p.Tenancy.Label, t)
			e.fail(c, profile.KindUnknownTenant, fmt.Sprintf("%s %q does not exist", e.p.Tenancy.Label, t))
			return
		}
		c.tenant = t
	}
	e.dispatch(c, r)
}

// subdomain returns the first label of host when it names one: the
// "demo" of demo.localhost:7701 or demo.example.test, nothing for
// localhost or an IP address.
func subdomain(host string) string {
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		host = host[:i]
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "" || host[0] == '[' {
		return ""
	}
	labels := strings.Split(host, ".")
	last := labels[len(labels)-1]
	if last != "" && last[0] >= '0' && last[0] <= '9' { // IPv4
		return ""
	}
	if last == "localhost" && len(labels) >= 2 {
		return labels[0]
	}
	if len(labels) >= 3 {
		return labels[0]
	}
	return ""
}

// install returns the engine's router (package route): every endpoint of
// the profile and the OpenAPI document. Overlapping paths are served, a
// literal segment before a wildcard (route's package doc); a path served for
// other methods answers 405 with the methods of the most specific such path
// (Allow), any other 404. Every handler it registers takes the *call that
// ServeHTTP hands down as its ResponseWriter, so the router only works
// behind ServeHTTP; tests reach the routes through ServeHTTP too.
func (e *Engine) install() (*route.Router, error) {
	rt := route.New()
	for _, ep := range e.p.Endpoints() {
		if err := rt.Handle(ep.Method, ep.Path, e.endpointHandler(&ep)); err != nil {
			return nil, fmt.Errorf("profile %s: %v", e.p.ID, err)
		}
	}
	// The document's path answers 404, not 405, to other methods.
	if err := rt.HandleUnlisted(http.MethodGet, OpenAPIPath, http.HandlerFunc(e.serveOpenAPI)); err != nil {
		return nil, fmt.Errorf("profile %s: %v", e.p.ID, err)
	}
	return rt, nil
}

// dispatch hands the request to its endpoint's handler, or answers 405 or
// 404 in the profile's envelope.
func (e *Engine) dispatch(c *call, r *http.Request) {
	if h := e.router.Handler(r); h != nil {
		h.ServeHTTP(c, r)
		return
	}
	if methods, pth := e.router.Allowed(r.URL.EscapedPath()); len(methods) > 0 {
		allow := strings.Join(methods, ", ")
		c.w.Header().Set("Allow", allow)
		e.fail(c, profile.KindMethodNotAllowed, fmt.Sprintf("method %s is not allowed on %s; allowed: %s", r.Method, pth, allow))
		return
	}
	e.fail(c, profile.KindRouteNotFound, "no route "+r.Method+" "+r.URL.Path)
}
