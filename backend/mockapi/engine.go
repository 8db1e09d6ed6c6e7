// Package mockapi is the mock engine: one http.Handler built from a
// profile. A request goes through, in this order (written down once here):
//
//	capture (request log, stats, a head over 1 MiB → 431, panic → 500) →
//	fault injection → CORS →
//	tenant from the Host → route (404, 405 with Allow) → key in the query →
//	authentication → integration → tenant of the key → rate limit → scope →
//	the document's parameters and body (an imported API, contract.go) →
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
	"cmp"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"

	"mockgate/backend/clock"
	"mockgate/backend/dataset"
	"mockgate/backend/journal"
	"mockgate/backend/keys"
	"mockgate/backend/profile"
	"mockgate/backend/ratelimit"
	"mockgate/backend/route"
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
	// SettingsStore keeps the run-time settings; nil persists nothing and
	// starts from the profile's defaults.
	SettingsStore SettingsStore
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
	saved   SettingsStore // may be nil

	router *route.Router
	format keys.Format
	// place is where a profile with one place reads its key; schemes are
	// the places of auth.schemes, in their order (authschemes.go).
	place   keyPlace
	schemes []keyPlace
	// rateNames are rateLimit.headerNames in canonical form, or nil.
	rateNames  *profile.RateLimitHeaderNames
	lists      map[*profile.Resource]*lister
	errForms   errForms
	answers    map[string]answer
	secretHdrs []string
	// secretQuery are the query parameters the request log masks beside
	// the usual key names: the refused ones and the one read as the key.
	secretQuery []string

	docs     docCache
	contract *contract  // nil without a document (the built-ins)
	setMu    sync.Mutex // serializes SetSettings
	settings atomic.Pointer[Settings]
	inner    atomic.Pointer[http.Handler] // CORS (when enabled) around inject and route
	faults   faultQueue
	judge    judge
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
		integ: d.Integrations, clk: d.Clock, log: d.Logger, stats: newStats(), saved: d.SettingsStore,
		format:     keys.Format{Prefix: p.KeyFormat.Prefix, Alphabet: p.KeyFormat.Alphabet, Length: p.KeyFormat.Length},
		place:      newKeyPlace(profile.AuthScheme{Header: p.Auth.Header, Scheme: p.Auth.Scheme, Query: p.Auth.Query, Cookie: p.Auth.Cookie}),
		answers:    map[string]answer{},
		secretHdrs: []string{cmp.Or(p.Auth.Header, "Cookie")},
		docs:       docCache{docs: map[string][]byte{}},
	}
	if e.log == nil {
		e.log = slog.Default()
	}
	e.secretQuery = p.Auth.QueryParams
	if p.Auth.Query != "" {
		e.secretQuery = append(slices.Clone(p.Auth.QueryParams), p.Auth.Query)
	}
	e.maskSchemes()
	if n := p.RateLimit.HeaderNames; n != nil {
		e.rateNames = &profile.RateLimitHeaderNames{Limit: http.CanonicalHeaderKey(n.Limit),
			Remaining: http.CanonicalHeaderKey(n.Remaining), Reset: http.CanonicalHeaderKey(n.Reset)}
	}
	var err error
	if e.lists, err = listers(p); err != nil {
		return nil, err
	}
	if e.errForms, err = compileErrForms(&p.Errors); err != nil {
		return nil, fmt.Errorf("profile %s: %w", p.ID, err)
	}
	for _, k := range profile.Kinds {
		a := p.Answer(k)
		e.answers[k] = answer{status: a.Status, code: a.Code, msg: a.Message}
	}
	if e.contract, err = newContract(p); err != nil {
		return nil, err
	}
	if e.router, err = e.install(); err != nil {
		return nil, err
	}
	set, err := e.startSettings()
	if err != nil {
		return nil, err
	}
	e.apply(&set)
	return e, nil
}

// Profile is the engine's profile.
func (e *Engine) Profile() *profile.Profile { return e.p }

// Stats are the engine's traffic counters.
func (e *Engine) Stats() *Stats { return e.stats }

// Settings returns the current run-time settings.
func (e *Engine) Settings() Settings { return *e.settings.Load() }

// SetSettings validates s, saves it through the SettingsStore, then puts
// it in force. When saving fails, the error is returned and the settings
// in force stay as they were, so what runs is always what a restart brings
// back. A caller that must tell a refused value from a failed save
// validates first (s.Validate), as the admin API does.
func (e *Engine) SetSettings(s Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	e.setMu.Lock() // saves and applies in the same order
	defer e.setMu.Unlock()
	if e.saved != nil {
		if err := e.saved.SaveSettings(e.p.ID, s); err != nil {
			return fmt.Errorf("saving the settings of %s: %w", e.p.ID, err)
		}
	}
	e.apply(&s)
	return nil
}

// apply puts s in force: the fault settings and the CORS layer.
func (e *Engine) apply(s *Settings) {
	e.settings.Store(s)
	h := e.corsAround(s)
	e.inner.Store(&h)
}

// ReloadSettings puts in force the settings the SettingsStore holds now,
// else the profile's defaults (a saved state was written to the store).
func (e *Engine) ReloadSettings() error {
	e.setMu.Lock()
	defer e.setMu.Unlock()
	s, err := e.startSettings()
	if err != nil {
		return err
	}
	e.apply(&s)
	return nil
}

// startSettings are the settings an engine starts with: the saved ones,
// else the profile's defaults. Saved settings that no longer validate (a
// rule became stricter since they were saved) are a warning, not a failed
// start: the defaults apply until the next SetSettings.
func (e *Engine) startSettings() (Settings, error) {
	def := Settings{CORSOrigins: e.p.CORS.AllowedOrigins}
	if e.saved != nil {
		s, ok, err := e.saved.LoadSettings(e.p.ID)
		if err != nil {
			return Settings{}, fmt.Errorf("loading the settings of %s: %w", e.p.ID, err)
		}
		if ok {
			err := s.Validate()
			if err == nil {
				return s, nil
			}
			e.log.Warn("the saved settings are no longer valid; the profile's defaults apply", "api", e.p.ID, "err", err)
		}
	}
	return def, def.Validate() // checked with the profile already
}

// ResetStats zeroes the traffic counters.
func (e *Engine) ResetStats() { e.stats.reset() }
