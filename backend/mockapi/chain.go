package mockapi

import (
	"fmt"
	"net/http"
	"path"
	"strings"

	"github.com/rs/cors"

	"mockgate/backend/profile"
)

// The chain a request meets, in order (the package doc names every step):
// ServeHTTP captures the call and refuses a head over the limit (head.go),
// then the CORS handler built by corsAround wraps fault injection
// (inject.go) and route, which hands over to the mux that
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
// unclean paths (the mux would redirect them) and dispatches to the mux.
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
	e.mux.ServeHTTP(c, r)
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

// install returns the engine's mux: every endpoint of the profile, the
// OpenAPI document, and for the rest a handler that answers 405 with the
// methods a path allows, else 404. The 405 patterns (a path alone) live in
// a mux of their own: beside a method's pattern, a path alone conflicts
// with any overlapping one ("/v1/pets/search" with "GET /v1/pets/{id}"),
// which ServeMux refuses. Every handler it registers takes the *call that
// ServeHTTP hands down as its ResponseWriter, so the mux only works behind
// ServeHTTP; tests reach the routes through ServeHTTP too.
func (e *Engine) install() (mux *http.ServeMux, err error) {
	defer func() {
		if r := recover(); r != nil { // ServeMux panics on conflicting patterns
			mux, err = nil, fmt.Errorf("profile %s: %v", e.p.ID, r)
		}
	}()
	mux = http.NewServeMux()
	allowed := http.NewServeMux()
	allow := map[string][]string{}
	var paths []string
	for _, ep := range e.p.Endpoints() {
		ep := ep
		h := e.endpointHandler(&ep)
		mux.Handle(ep.Method+" "+ep.Path, h)
		if _, seen := allow[ep.Path]; !seen {
			paths = append(paths, ep.Path)
		}
		allow[ep.Path] = append(allow[ep.Path], ep.Method)
		if ep.Method == http.MethodGet {
			allow[ep.Path] = append(allow[ep.Path], http.MethodHead)
		}
	}
	for _, pth := range paths {
		methods := strings.Join(allow[pth], ", ")
		allowed.Handle(pth, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c := w.(*call)
			c.w.Header().Set("Allow", methods)
			e.fail(c, profile.KindMethodNotAllowed, fmt.Sprintf("method %s is not allowed on %s; allowed: %s", r.Method, pth, methods))
		}))
	}
	mux.HandleFunc("GET "+OpenAPIPath, e.serveOpenAPI)
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, pattern := allowed.Handler(r); pattern != "" {
			h.ServeHTTP(w, r)
			return
		}
		e.fail(w.(*call), profile.KindRouteNotFound, "no route "+r.Method+" "+r.URL.Path)
	}))
	return mux, nil
}
