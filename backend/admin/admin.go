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
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"

	"mockgate/backend/clock"
	"mockgate/backend/dataset"
	"mockgate/backend/integrations"
	"mockgate/backend/journal"
	"mockgate/backend/keys"
	"mockgate/backend/mockapi"
	"mockgate/backend/ratelimit"
	"mockgate/backend/store"
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
// Import profile). Implemented by the instance, which owns the listeners.
type Profiles interface {
	// Import validates a profile's source (YAML or JSON), starts its API and
	// keeps the source so the API comes back after a restart. A validation
	// failure is a *profile.ValidationError.
	Import(src []byte) (*API, error)
	// Remove stops an imported API and forgets it and its data.
	Remove(id string) error
}

// Deps are the services the admin API drives.
type Deps struct {
	APIs         []*API
	Profiles     Profiles // nil: no import
	Keys         *keys.Service
	Integrations *integrations.Registry
	Journal      *journal.Journal
	Limiter      *ratelimit.Limiter
	Store        *store.Store
	Clock        clock.Clock
	Logger       *slog.Logger
	Token        string
	// Assets is the web UI; nil serves none.
	Assets fs.FS
}

// Server is the admin API.
type Server struct {
	d        Deps
	mux      *http.ServeMux
	adminURL atomic.Pointer[string]
	apis     atomic.Pointer[[]*API] // replaced whole when an API is imported or removed
}

// New builds the admin API.
func New(d Deps) *Server {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	s := &Server{d: d, mux: http.NewServeMux()}
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

func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("GET "+Prefix+"/health", s.health)
	m.HandleFunc("POST "+Prefix+"/session", s.session)
	m.HandleFunc("GET "+Prefix+"/apis", s.listAPIs)
	m.HandleFunc("GET "+Prefix+"/apis/{api}", s.getAPI)
	m.HandleFunc("GET "+Prefix+"/apis/{api}/stats", s.apiStats)
	m.HandleFunc("GET "+Prefix+"/stats", s.allStats)
	m.HandleFunc("PUT "+Prefix+"/apis/{api}/settings", s.putSettings)
	m.HandleFunc("POST "+Prefix+"/apis/{api}/reset", s.resetAPI)
	m.HandleFunc("POST "+Prefix+"/apis/{api}/seed", s.seedAPI)
	m.HandleFunc("GET "+Prefix+"/apis/{api}/openapi.json", s.openAPI)
	m.HandleFunc("POST "+Prefix+"/profiles", s.importProfile)
	m.HandleFunc("DELETE "+Prefix+"/profiles/{api}", s.removeProfile)
	m.HandleFunc("GET "+Prefix+"/keys", s.listKeys)
	m.HandleFunc("POST "+Prefix+"/keys", s.createKey)
	m.HandleFunc("GET "+Prefix+"/keys/{id}", s.getKey)
	m.HandleFunc("POST "+Prefix+"/keys/{id}/revoke", s.revokeKey)
	m.HandleFunc("DELETE "+Prefix+"/keys/{id}", s.deleteKey)
	m.HandleFunc("GET "+Prefix+"/integrations", s.listIntegrations)
	m.HandleFunc("POST "+Prefix+"/integrations", s.createIntegration)
	m.HandleFunc("POST "+Prefix+"/integrations/{api}/{name}/activate", s.setIntegration(true))
	m.HandleFunc("POST "+Prefix+"/integrations/{api}/{name}/deactivate", s.setIntegration(false))
	m.HandleFunc("GET "+Prefix+"/requests", s.listRequests)
	m.HandleFunc("DELETE "+Prefix+"/requests", s.clearRequests)
	m.HandleFunc("GET "+Prefix+"/requests/stream", s.stream)
	m.HandleFunc("GET "+Prefix+"/requests/{id}", s.getRequest)
	m.HandleFunc("POST "+Prefix+"/explorer/send", s.explorerSend)
	m.HandleFunc(Prefix+"/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "no admin route "+r.Method+" "+r.URL.Path)
	})
	if s.d.Assets != nil {
		files := http.FileServerFS(s.d.Assets)
		m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				w.Header().Set("Allow", "GET, HEAD")
				writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "the web UI answers GET only")
				return
			}
			files.ServeHTTP(w, r)
		})
	}
}

// Handler is the admin API for the network: loopback Host and the token
// required (static UI files need only the Host check: they hold no secret).
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !loopbackHost(r.Host) {
			writeError(w, http.StatusForbidden, "forbidden_host", "the admin API answers only requests addressed to localhost or a loopback address")
			return
		}
		if strings.HasPrefix(r.URL.Path, Prefix+"/") && r.URL.Path != Prefix+"/health" && r.URL.Path != Prefix+"/session" && !s.authorized(r) {
			writeError(w, http.StatusUnauthorized, "unauthorized", "missing or wrong admin token (see admin.token in the data folder)")
			return
		}
		s.serve(w, r)
	})
}

// TrustedHandler is the admin API without the token check, for the desktop
// webview, which reaches it in-process.
func (s *Server) TrustedHandler() http.Handler { return http.HandlerFunc(s.serve) }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.d.Logger.Error("admin API panic", "path", r.URL.Path, "panic", v)
			writeError(w, http.StatusInternalServerError, "internal", "internal error (see the mockgate log)")
		}
	}()
	w.Header().Set("Cache-Control", "no-store")
	s.mux.ServeHTTP(w, r)
}

func (s *Server) authorized(r *http.Request) bool {
	tok := ""
	if h := r.Header.Get("Authorization"); len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
		tok = strings.TrimSpace(h[7:])
	} else if c, err := r.Cookie(CookieName); err == nil {
		tok = c.Value
	}
	return tok != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(s.d.Token)) == 1
}

// session exchanges the token (Bearer) for an HttpOnly, SameSite=Strict
// cookie, so the web UI's EventSource can authenticate.
func (s *Server) session(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		writeError(w, http.StatusUnauthorized, "unauthorized", "missing or wrong admin token")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: s.d.Token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "apis": len(s.list())})
}

// loopbackHost reports whether a Host header names this machine's loopback.
func loopbackHost(host string) bool {
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(h, "[]"))
	return ip != nil && ip.IsLoopback()
}

// apiError is the admin API's own error envelope.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	var e apiError
	e.Error.Code, e.Error.Message = code, msg
	writeJSON(w, status, e)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"error":{"code":"internal","message":"could not encode the response"}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(data)
}

// decode reads a JSON request body of at most 1 MiB into v, refusing
// unknown fields; it answers the error itself and returns false.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			writeError(w, http.StatusRequestEntityTooLarge, "too_large", "request body over 1 MiB")
		case errors.Is(err, io.EOF):
			writeError(w, http.StatusBadRequest, "bad_request", "request body is empty: expected a JSON object")
		default:
			writeError(w, http.StatusBadRequest, "bad_request", "invalid JSON body: "+err.Error())
		}
		return false
	}
	return true
}

func (s *Server) api(w http.ResponseWriter, r *http.Request) *API {
	id := r.PathValue("api")
	for _, a := range s.list() {
		if a.Engine.Profile().ID == id {
			return a
		}
	}
	writeError(w, http.StatusNotFound, "not_found", "no API "+quote(id))
	return nil
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

// HasUI reports whether the web UI is served.
func (s *Server) HasUI() bool { return s.d.Assets != nil }
