// Package admin is the admin HTTP API that the GUI, the web UI and the CLI
// all use: the mock APIs and their settings, keys, integrations, the request
// log (paged and live), data reset and seeding, each API's OpenAPI document.
//
// Over the network it listens on loopback only, refuses requests whose Host
// is not a loopback name (DNS rebinding) and asks for the data folder's
// admin token (a Bearer header, or the session cookie the web UI gets in
// exchange for it). The desktop webview reaches it in-process and is trusted.
package admin

import (
	"crypto/rand"
	"encoding/json"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"

	"mockgate/backend/dataset"
	"mockgate/backend/integrations"
	"mockgate/backend/journal"
	"mockgate/backend/keys"
	"mockgate/backend/mockapi"
	"mockgate/backend/openapiimport"
)

// Prefix is the path prefix of every admin API route.
const Prefix = "/_admin/api"

// CookieName is the web UI's session cookie.
const CookieName = "mockgate_admin"

// API is one mock API as the admin sees it.
type API struct {
	Engine *mockapi.Engine
	Data   *dataset.Set
	Bind   string
	// Port it listens on (set once listening).
	Port int
	// Source says where the profile came from: SourceBuiltin, SourceFile
	// (serve --profile) or SourceImported (the admin API; removable).
	Source string
}

// Profile sources.
const (
	SourceBuiltin  = "builtin"
	SourceFile     = "file"
	SourceImported = "imported"
)

// Profiles adds and removes user APIs while mockgate runs (the GUI's
// Import…). Implemented by the instance, which owns the listeners.
type Profiles interface {
	// Import validates a profile's source (YAML or JSON), starts its API and
	// keeps the source so the API comes back after a restart. A validation
	// failure is a *profile.ValidationError; an id in use is ErrConflict.
	// id, when set, must be the profile's.
	Import(src []byte, id string) (*API, error)
	// ImportOpenAPI imports an OpenAPI document (YAML or JSON) as Import
	// does a profile, keeping the document with it; id, when set, is the
	// API's id (else a slug of info.title). A document that is not valid
	// is an *openapiimport.InvalidError naming each problem's place.
	ImportOpenAPI(src []byte, id string) (*API, *openapiimport.Summary, error)
	// Remove stops an imported API and forgets it, its keys and its data.
	Remove(id string) error
}

// Keys are the key operations the admin API offers (*keys.Service).
type Keys interface {
	List() []keys.Key
	Get(id string) (keys.Key, bool)
	Create(req keys.CreateRequest) (k keys.Key, raw string, err error)
	Revoke(id string) (keys.Key, error)
	Delete(id string) error
	// Subscribe calls fn after every change of a key; cancel stops it.
	Subscribe(fn func()) (cancel func())
}

// Integrations are the integrations keys belong to (*integrations.Registry).
type Integrations interface {
	List(api string) []integrations.Integration
	Ensure(api, name string) (integrations.Integration, error)
	SetActive(api, name string, active bool) (integrations.Integration, error)
	// Remove forgets an integration (integrations.ErrNotFound when there
	// is none); the caller checks that no key belongs to it.
	Remove(api, name string) error
}

// Journal is the request log (*journal.Journal).
type Journal interface {
	Query(f journal.Filter) []journal.Entry
	Count(f journal.Filter) int
	Get(id uint64) (journal.Entry, bool)
	Len() int
	Clear() error
	Subscribe(buffer int) (<-chan journal.Entry, func())
}

// Limiter forgets the rate-limit window of a deleted key
// (*ratelimit.Limiter).
type Limiter interface {
	Forget(id string)
}

// Deps are the services the admin API drives.
type Deps struct {
	APIs         []*API
	Profiles     Profiles // nil: no import
	Keys         Keys
	Integrations Integrations
	Journal      Journal
	Limiter      Limiter
	Clock        Clock
	State        State // nil: no state save, load or reset
	Logger       *slog.Logger
	Token        string
	// Version is mockgate's version, for the documents it writes (HAR).
	Version string
	// Assets is the web UI; nil serves none.
	Assets fs.FS
}

// Server is the admin API.
type Server struct {
	d        Deps
	mux      *http.ServeMux
	adminURL atomic.Pointer[string]
	apis     atomic.Pointer[[]*API] // replaced whole when an API is imported or removed
	nonce    string                 // this start's, see proof.go
	// clockMoved wakes the live streams when the virtual clock moves.
	clockMoved signal
	// demo holds the Explorer's throwaway keys (explorer_demo.go).
	demo demoKeys
	// closing is closed by CloseStreams: live streams end, new ones end at
	// once.
	closing   chan struct{}
	closeOnce sync.Once
}

// New builds the admin API.
func New(d Deps) *Server {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	s := &Server{d: d, mux: http.NewServeMux(), nonce: rand.Text(), closing: make(chan struct{})}
	s.SetAPIs(d.APIs)
	s.routes()
	return s
}

// SetAPIs publishes the list of mock APIs (after an import or a removal).
func (s *Server) SetAPIs(apis []*API) {
	cp := append([]*API(nil), apis...)
	s.apis.Store(&cp)
}

// list returns the mock APIs.
func (s *Server) list() []*API { return *s.apis.Load() }

// SetAdminURL records where the admin API listens (shown by the UI).
func (s *Server) SetAdminURL(u string) { s.adminURL.Store(&u) }

// Handler is the admin API for the network. The middleware, in the order a
// request meets them (written down here only): recover from panics, mark
// answers not cacheable, refuse a Host that is not loopback (DNS
// rebinding), ask for the admin token (static UI files, health and the
// proof of holding the token need none).
func (s *Server) Handler() http.Handler {
	return chain(s.mux, recoverPanics(s.d.Logger), noStore, loopbackOnly, requireToken(s.d.Token, openPaths()))
}

// TrustedHandler is the admin API without the Host and token checks, for
// the desktop webview, which reaches it in-process.
func (s *Server) TrustedHandler() http.Handler {
	return chain(s.mux, recoverPanics(s.d.Logger), noStore)
}

// chain wraps h in middleware, the first outermost.
func chain(h http.Handler, mw ...func(http.Handler) http.Handler) http.Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

// session exchanges the token (Bearer) for an HttpOnly, SameSite=Strict
// cookie, so the web UI's EventSource can authenticate.
func (s *Server) session(w http.ResponseWriter, r *http.Request) error {
	if !hasToken(r, s.d.Token) {
		return &Error{Status: http.StatusUnauthorized, Code: "unauthorized", Message: "missing or wrong admin token"}
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: s.d.Token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, Health{Status: "ok", APIs: len(s.list())})
	return nil
}

// apiByID is the mock API with this id.
func (s *Server) apiByID(id string) (*API, error) {
	for _, a := range s.list() {
		if a.Engine.Profile().ID == id {
			return a, nil
		}
	}
	return nil, notFound("no API %s", quote(id))
}

// pathAPI is the mock API named by the route's {api}.
func (s *Server) pathAPI(r *http.Request) (*API, error) { return s.apiByID(r.PathValue("api")) }

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

// HasUI reports whether the web UI is served.
func (s *Server) HasUI() bool { return s.d.Assets != nil }
