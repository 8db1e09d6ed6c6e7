// Package mockapi is the mock engine: one http.Handler built from a
// profile. A request goes through, in this order (written down once here):
//
//	capture (request log, stats, panic → 500) → CORS → fault injection →
//	tenant from the Host → route (404, 405 with Allow) → key in the query →
//	authentication → integration → tenant of the key → rate limit → scope →
//	the operation (pagination, body checks, the dataset) → the profile's
//	envelope.
//
// Handlers return an error kind; one function (fail) turns it into the
// profile's status, headers and error body.
package mockapi

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/textproto"
	"path"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rs/cors"

	"mockgate/backend/clock"
	"mockgate/backend/dataset"
	"mockgate/backend/envelope"
	"mockgate/backend/journal"
	"mockgate/backend/keys"
	"mockgate/backend/profile"
	"mockgate/backend/ratelimit"
)

// MaxBody is the largest request body accepted (413 above it).
const MaxBody = 1 << 20

// KeyLookup finds keys by hash (implemented by *keys.Service).
type KeyLookup interface {
	Lookup(hash [32]byte) (*keys.Entry, bool)
}

// Integrations tells whether a key's integration is active.
type Integrations interface {
	Active(api, name string) bool
}

// Journal receives one entry per request (implemented by *journal.Journal).
type Journal interface {
	Add(e journal.Entry) uint64
}

// Deps are what an engine needs.
type Deps struct {
	Profile      *profile.Profile
	Keys         KeyLookup
	Limiter      *ratelimit.Limiter
	Journal      Journal // may be nil
	Data         *dataset.Set
	Integrations Integrations // may be nil when the profile has none
	Clock        clock.Clock
	Logger       *slog.Logger
	Settings     Settings
}

// Engine serves one mock API.
type Engine struct {
	p       *profile.Profile
	keys    KeyLookup
	limiter *ratelimit.Limiter
	journal Journal
	data    *dataset.Set
	integ   Integrations
	clk     clock.Clock
	log     *slog.Logger
	stats   *Stats

	mux        *http.ServeMux
	format     keys.Format
	authHeader string // canonical header name
	listTmpl   *envelope.Template
	errTmpl    *envelope.Template
	answers    map[string]answer
	secretHdrs []string

	docs     docCache
	settings atomic.Pointer[Settings]
	inner    atomic.Pointer[http.Handler] // CORS (when enabled) around route
}

// answer is a compiled error kind.
type answer struct {
	status int
	code   string
	msg    string // may hold {detail}
}

// New builds the engine of d.Profile (already validated).
func New(d Deps) (*Engine, error) {
	p := d.Profile
	e := &Engine{
		p: p, keys: d.Keys, limiter: d.Limiter, journal: d.Journal, data: d.Data,
		integ: d.Integrations, clk: d.Clock, log: d.Logger, stats: newStats(),
		format:     keys.Format{Prefix: p.KeyFormat.Prefix, Alphabet: p.KeyFormat.Alphabet, Length: p.KeyFormat.Length},
		authHeader: textproto.CanonicalMIMEHeaderKey(p.Auth.Header),
		answers:    map[string]answer{},
		secretHdrs: []string{p.Auth.Header},
		docs:       docCache{docs: map[string][]byte{}},
	}
	if e.log == nil {
		e.log = slog.Default()
	}
	var err error
	if e.listTmpl, err = envelope.Compile(p.Pagination.Body, profile.ListPlaceholders...); err != nil {
		return nil, fmt.Errorf("profile %s: pagination.body: %w", p.ID, err)
	}
	if e.errTmpl, err = envelope.Compile(p.Errors.Body, profile.ErrorPlaceholders...); err != nil {
		return nil, fmt.Errorf("profile %s: errors.body: %w", p.ID, err)
	}
	for _, k := range profile.Kinds {
		a := p.Answer(k)
		e.answers[k] = answer{status: a.Status, code: a.Code, msg: a.Message}
	}
	e.mux = http.NewServeMux()
	if err := e.Install(e.mux); err != nil {
		return nil, err
	}
	if err := e.SetSettings(d.Settings); err != nil {
		return nil, err
	}
	return e, nil
}

// Profile is the engine's profile.
func (e *Engine) Profile() *profile.Profile { return e.p }

// Stats are the engine's traffic counters.
func (e *Engine) Stats() *Stats { return e.stats }

// Settings returns the current run-time settings.
func (e *Engine) Settings() Settings { return *e.settings.Load() }

// SetSettings validates and applies run-time settings.
func (e *Engine) SetSettings(s Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	e.settings.Store(&s)
	var h http.Handler = http.HandlerFunc(e.route)
	if len(s.CORSOrigins) > 0 {
		h = cors.New(cors.Options{
			AllowedOrigins: s.CORSOrigins,
			AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodHead},
			AllowedHeaders: []string{"*"},
			ExposedHeaders: []string{"Retry-After", "Location", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset",
				"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"},
			MaxAge: 600,
		}).Handler(h)
	}
	e.inner.Store(&h)
	return nil
}

// ResetStats zeroes the traffic counters.
func (e *Engine) ResetStats() { e.stats.reset() }

// Install registers every endpoint of the profile on mux, plus a 405
// answer for each path with the methods it allows and a 404 for the rest.
// Tests may call it with their own mux.
func (e *Engine) Install(mux *http.ServeMux) (err error) {
	defer func() {
		if r := recover(); r != nil { // ServeMux panics on conflicting patterns
			err = fmt.Errorf("profile %s: %v", e.p.ID, r)
		}
	}()
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
		mux.Handle(pth, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c := w.(*call)
			c.w.Header().Set("Allow", methods)
			e.fail(c, profile.KindMethodNotAllowed, fmt.Sprintf("method %s is not allowed on %s; allowed: %s", r.Method, pth, methods))
		}))
	}
	mux.HandleFunc("GET "+OpenAPIPath, e.serveOpenAPI)
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.fail(w.(*call), profile.KindRouteNotFound, "no route "+r.Method+" "+r.URL.Path)
	}))
	return nil
}

// ServeHTTP answers one request to the mock API.
func (e *Engine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := newCall(e, w, r)
	defer c.finish()
	if !e.inject(c) {
		return
	}
	(*e.inner.Load()).ServeHTTP(c, r)
}

// inject applies the fault settings; it returns false when it answered.
func (e *Engine) inject(c *call) bool {
	s := e.settings.Load()
	if s.LatencyMs > 0 {
		if err := sleep(c.r.Context(), s.LatencyMs); err != nil {
			return false // client gone
		}
		c.tracef("fault: added %d ms of latency", s.LatencyMs)
	}
	if s.ErrorRate > 0 || s.ThrottleRate > 0 {
		x := rand.Float64()
		switch {
		case x < s.ErrorRate:
			c.tracef("fault: injected 500 (error rate %g)", s.ErrorRate)
			e.fail(c, profile.KindInternal, "injected fault")
			return false
		case x < s.ErrorRate+s.ThrottleRate:
			c.tracef("fault: injected 429 (throttle rate %g)", s.ThrottleRate)
			c.w.Header().Set("Retry-After", "1")
			e.fail(c, profile.KindRateLimited, "injected fault")
			return false
		}
	}
	return true
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

func sleep(ctx context.Context, ms int) error {
	t := time.NewTimer(time.Duration(ms) * time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
