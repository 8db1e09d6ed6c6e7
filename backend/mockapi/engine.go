// Package mockapi is the mock engine: one http.Handler built from a
// profile. A request goes through, in this order (written down once here):
//
//	capture (request log, stats, panic → 500) → fault injection → CORS →
//	tenant from the Host → route (404, 405 with Allow) → key in the query →
//	authentication → integration → tenant of the key → rate limit → scope →
//	the operation (pagination, body checks, the dataset) → the profile's
//	envelope.
//
// chain.go holds the steps up to the route, in that order; auth.go the
// checks from the key in the query to the scope; handlers.go the
// operations; respond.go the writers. Every error is answered by kind
// through one function (fail), which turns it into the profile's status,
// headers and error body.
package mockapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/textproto"
	"sync/atomic"

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
	if e.mux, err = e.install(); err != nil {
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
	h := e.corsAround(&s)
	e.inner.Store(&h)
	return nil
}

// ResetStats zeroes the traffic counters.
func (e *Engine) ResetStats() { e.stats.reset() }
