// Package instance assembles one running mockgate: the store, the key
// service, the integrations, the request log, a mock engine per enabled
// profile on its own port, and the admin API. The headless CLI (serve) and
// the desktop app both start exactly this; the key commands open the same
// services without listeners when no instance runs.
package instance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"mockgate/backend/admin"
	"mockgate/backend/clock"
	"mockgate/backend/integrations"
	"mockgate/backend/journal"
	"mockgate/backend/keys"
	"mockgate/backend/mockapi"
	"mockgate/backend/openapiimport"
	"mockgate/backend/profile"
	"mockgate/backend/ratelimit"
	"mockgate/backend/store"
)

// Config says what to start.
type Config struct {
	// DataDir holds the store, the admin token and the instance file.
	DataDir string
	// Bind is the address the mock APIs listen on (default 127.0.0.1). The
	// admin API always listens on loopback.
	Bind string
	// PortBase: admin on PortBase, then one port per API in order. Zero
	// picks free ports (tests).
	PortBase int
	// APIs limits the built-in APIs started (nil: all).
	APIs []string
	// ProfileFiles are user profiles added after the built-ins.
	ProfileFiles []string
	// Profiles are user profiles already loaded (serve --openapi imports
	// its documents in memory), added after ProfileFiles.
	Profiles []*profile.Profile
	// UI serves the web UI (Assets) on the admin port.
	UI bool
	// Assets is the built frontend (frontend/dist), for the web UI.
	Assets fs.FS
	// Clock is the time the virtual clock starts from (default: the wall
	// clock; tests pass a fake one).
	Clock clock.Clock
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// JournalSize caps the request log (default journal.DefaultCapacity).
	JournalSize int
	// ReadyFile, when set, is written (atomically, mode 0600) once every
	// listener accepts, and removed at shutdown: see Ready.
	ReadyFile string
	// FlushEvery is how often usage counters and the request log are
	// written (default 1s).
	FlushEvery time.Duration
	// Version is mockgate's version, recorded in the documents it writes
	// (saved states, HAR); may be empty.
	Version string
}

// Default values.
const (
	DefaultPortBase = 7700
	DefaultBind     = "127.0.0.1"
	// PersistedLog is how many of the newest request-log entries survive a
	// restart.
	PersistedLog = 500
	// InstanceFile in the data folder says which process holds it and
	// where its admin API listens.
	InstanceFile = "instance.json"
	// TokenFile in the data folder holds the admin API token (mode 0600).
	TokenFile = "admin.token"
)

// Info is the content of the instance file.
type Info struct {
	PID       int       `json:"pid"`
	AdminURL  string    `json:"adminUrl"`
	StartedAt time.Time `json:"startedAt"`
	// Nonce is this start's (admin.Server.Nonce): a command line tool
	// sends the admin token only to a listener that proves it holds the
	// token and started with this nonce (admin.Proof), never to whatever
	// took the port of an instance that died.
	Nonce string `json:"nonce"`
}

// Services are the state and logic shared by every listener.
type Services struct {
	cfg   Config
	Store *store.Store
	// Clock is the virtual clock every service tells time by.
	Clock   *clock.Virtual
	Keys    *keys.Service
	Integ   *integrations.Registry
	Journal *journal.Journal
	Limiter *ratelimit.Limiter
	APIs    []*admin.API
	Admin   *admin.Server
	Token   string

	cancel context.CancelFunc
	bg     sync.WaitGroup

	// apisMu serialises imports and removals of APIs; onAdd and onRemove
	// are set by a listening Instance (nil when only the store is open).
	apisMu   sync.Mutex
	onAdd    func(a *admin.API) error
	onRemove func(id string)
}

// Instance is a running mockgate with its listeners.
type Instance struct {
	*Services
	servers  []*http.Server
	byAPI    map[string]*http.Server // guarded by apisMu
	adminURL string
	closed   bool
	mu       sync.Mutex
}

// Open opens the store and builds every service and engine, without
// listening. Ports in the APIs' base URLs are those Start would use.
func Open(cfg Config) (*Services, error) {
	// Everything that tells time asks one virtual clock over the configured
	// one, so the admin API can move time for every API at once.
	vc := clock.NewVirtual(cfg.Clock)
	cfg.Clock = vc
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Bind == "" {
		cfg.Bind = DefaultBind
	}
	if cfg.FlushEvery <= 0 {
		cfg.FlushEvery = time.Second
	}
	profiles, err := LoadProfiles(cfg.APIs, cfg.ProfileFiles)
	if err != nil {
		return nil, err
	}
	for _, p := range cfg.Profiles {
		if slices.ContainsFunc(profiles, func(q *profile.Profile) bool { return q.ID == p.ID }) {
			return nil, fmt.Errorf("profile %s: id %q is already used; give it another (--id)", p.ID, p.ID)
		}
		profiles = append(profiles, p)
	}
	st, err := store.Open(cfg.DataDir, store.Options{Timeout: time.Second, Holder: func() string { return holder(cfg.DataDir) }})
	if err != nil {
		return nil, err
	}
	// Holding the lock, any instance file is a dead instance's (a running
	// one holds the lock while its file exists): it would name the wrong
	// holder in a second process's LockedError.
	if err := os.Remove(filepath.Join(cfg.DataDir, InstanceFile)); err == nil {
		cfg.Logger.Info("removed the instance file of an instance that is gone", "dir", cfg.DataDir)
	}
	s := &Services{cfg: cfg, Store: st, Clock: vc}
	if err := s.build(profiles); err != nil {
		st.Close()
		return nil, err
	}
	releaseDocumentGarbage(s.APIs)
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.bg.Add(1)
	go func() { defer s.bg.Done(); s.flushEvery(ctx, cfg.FlushEvery) }()
	return s, nil
}

// flushEvery writes the batched state (key usage counters, the request
// log) every interval, and once more when ctx ends. A failure is logged and
// the same state is retried on the next tick.
func (s *Services) flushEvery(ctx context.Context, every time.Duration) {
	flush := func() {
		if err := s.Keys.Flush(); err != nil {
			s.cfg.Logger.Error("flushing key usage counters", "err", err)
		}
		if err := s.Journal.Flush(); err != nil {
			s.cfg.Logger.Error("flushing the request log", "err", err)
		}
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			flush()
			return
		case <-t.C:
			flush()
		}
	}
}

func (s *Services) build(profiles []*profile.Profile) error {
	cfg := s.cfg
	var err error
	if s.Keys, err = keys.NewService(s.Store, cfg.Clock); err != nil {
		return err
	}
	if s.Integ, err = integrations.New(s.Store, cfg.Clock); err != nil {
		return err
	}
	s.Journal = journal.New(cfg.JournalSize, s.Store, cfg.Clock)
	// Under load only the newest entries are worth writing: persisting the
	// whole ring every second would churn the store (and its mapped pages,
	// which count in the process's memory) at megabytes a second.
	s.Journal.SetPersistLimit(PersistedLog)
	s.Limiter = ratelimit.New(cfg.Clock, time.Minute)
	for _, p := range profiles {
		a, err := s.newAPI(p, s.port(p.ID))
		if err != nil {
			return err
		}
		a.Source = admin.SourceFile
		if slices.Contains(profile.BuiltinIDs(), p.ID) {
			a.Source = admin.SourceBuiltin
		}
		s.APIs = append(s.APIs, a)
	}
	if err := s.loadImported(); err != nil {
		return err
	}
	if s.Token, err = adminToken(cfg.DataDir); err != nil {
		return err
	}
	warnOpenFolder(cfg.DataDir, cfg.Logger)
	s.Admin = admin.New(admin.Deps{
		APIs: s.APIs, Profiles: s, Keys: s.Keys, Integrations: s.Integ, Journal: s.Journal, Limiter: s.Limiter,
		Clock: s.Clock, State: s, Logger: cfg.Logger, Token: s.Token, Version: cfg.Version, Assets: uiAssets(cfg),
	})
	return nil
}

func uiAssets(cfg Config) fs.FS {
	if cfg.UI {
		return cfg.Assets
	}
	return nil
}

// Close flushes the counters and the request log and closes the store.
func (s *Services) Close() error {
	s.cancel()
	s.bg.Wait()
	return s.Store.Close()
}

// Start opens the services and starts the admin listener and one listener
// per API.
func Start(cfg Config) (*Instance, error) {
	s, err := Open(cfg)
	if err != nil {
		return nil, err
	}
	in := &Instance{Services: s}
	if err := in.listen(); err != nil {
		in.Shutdown(context.Background())
		return nil, err
	}
	if cfg.ReadyFile != "" {
		if err := in.writeReady(cfg.ReadyFile); err != nil {
			in.Shutdown(context.Background())
			return nil, err
		}
	}
	return in, nil
}

func (in *Instance) listen() error {
	cfg := in.cfg
	adminAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(cfg.PortBase))
	ln, err := listen(adminAddr, "admin API")
	if err != nil {
		return err
	}
	in.adminURL = "http://" + ln.Addr().String()
	in.serve(ln, in.Admin.Handler())
	in.byAPI = map[string]*http.Server{}
	for _, a := range in.APIs {
		if err := in.listenAPI(a, false); err != nil {
			return err
		}
	}
	in.onAdd = func(a *admin.API) error { return in.listenAPI(a, true) }
	in.onRemove = in.stopAPI
	in.Admin.SetAdminURL(in.adminURL)
	info := Info{PID: os.Getpid(), AdminURL: in.adminURL, StartedAt: time.Now().UTC(), Nonce: in.Admin.Nonce()}
	data, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return err
	}
	return writePrivate(filepath.Join(cfg.DataDir, InstanceFile), data)
}

func listen(addr, what string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot listen on %s: %w (is another program using the port? try --port-base)", what, addr, err)
	}
	return ln, nil
}

// listenAPI starts a's listener on its port. An imported API (anyPort)
// whose port is taken gets any free one instead.
func (in *Instance) listenAPI(a *admin.API, anyPort bool) error {
	what := a.Engine.Profile().ID + " API"
	ln, err := listen(net.JoinHostPort(in.cfg.Bind, strconv.Itoa(a.Port)), what)
	if err != nil && anyPort && a.Port != 0 {
		ln, err = listen(net.JoinHostPort(in.cfg.Bind, "0"), what)
	}
	if err != nil {
		return err
	}
	a.Port = ln.Addr().(*net.TCPAddr).Port
	in.byAPI[a.Engine.Profile().ID] = in.serve(ln, a.Engine)
	return nil
}

// stopAPI closes an API's listener, letting in-flight requests finish.
func (in *Instance) stopAPI(id string) {
	srv := in.byAPI[id]
	if srv == nil {
		return
	}
	delete(in.byAPI, id)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(ctx)
	in.mu.Lock()
	in.servers = slices.DeleteFunc(in.servers, func(x *http.Server) bool { return x == srv })
	in.mu.Unlock()
}

func (in *Instance) serve(ln net.Listener, h http.Handler) *http.Server {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    mockapi.MaxHeaderBytes, // over the APIs' 1 MiB, which they answer in their envelope
		ErrorLog:          slog.NewLogLogger(in.cfg.Logger.Handler(), slog.LevelDebug),
	}
	in.mu.Lock()
	in.servers = append(in.servers, srv)
	in.mu.Unlock()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			in.cfg.Logger.Error("listener stopped", "addr", ln.Addr().String(), "err", err)
		}
	}()
	return srv
}

// AdminURL is the admin API's base URL.
func (in *Instance) AdminURL() string { return in.adminURL }

// UIURL is the web UI's address with the admin token in the fragment (a
// fragment never reaches a server log).
func (in *Instance) UIURL() string { return in.adminURL + "/#token=" + in.Token }

// DesktopHandler is the admin API and UI for the desktop webview: it is
// reached in-process through Wails' AssetServer, never over the network, so
// it does not ask for the admin token.
func (in *Instance) DesktopHandler() http.Handler { return in.Admin.TrustedHandler() }

// Shutdown ends the live streams, finishes in-flight requests, flushes and
// closes the store.
func (in *Instance) Shutdown(ctx context.Context) error {
	in.mu.Lock()
	if in.closed {
		in.mu.Unlock()
		return nil
	}
	in.closed = true
	servers := slices.Clone(in.servers)
	in.mu.Unlock() // an in-flight admin request may be removing an API
	// A browser's live stream would keep the admin server busy until ctx
	// ends: close the streams first.
	in.Admin.CloseStreams()
	var errs []error
	for _, srv := range servers {
		if err := srv.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	os.Remove(filepath.Join(in.cfg.DataDir, InstanceFile))
	if in.cfg.ReadyFile != "" {
		os.Remove(in.cfg.ReadyFile) // it names ports that no longer answer
	}
	errs = append(errs, in.Services.Close())
	return errors.Join(errs...)
}

// LoadProfiles returns the enabled built-ins (all when ids is empty) and
// the user profiles, refusing unknown ids and duplicates.
func LoadProfiles(ids []string, files []string) ([]*profile.Profile, error) {
	all, err := profile.Builtins()
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if !slices.Contains(profile.BuiltinIDs(), id) {
			return nil, fmt.Errorf("unknown API %q (built-in APIs: %v)", id, profile.BuiltinIDs())
		}
	}
	var out []*profile.Profile
	for _, p := range all {
		if len(ids) == 0 || slices.Contains(ids, p.ID) {
			out = append(out, p)
		}
	}
	for _, f := range files {
		p, err := profile.LoadFile(f)
		if err != nil {
			return nil, err
		}
		if err := loadDocument(p, f); err != nil {
			return nil, err
		}
		for _, q := range all {
			if q.ID == p.ID {
				return nil, fmt.Errorf("profile %s: id %q is already used by a built-in API", f, p.ID)
			}
		}
		for _, q := range out {
			if q.ID == p.ID {
				return nil, fmt.Errorf("profile %s: id %q is used twice", f, p.ID)
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// loadDocument reads the OpenAPI document a profile file names
// (openapi.document, relative to the profile file) as one self-contained
// document.
func loadDocument(p *profile.Profile, file string) error {
	if p.OpenAPI == nil {
		return nil
	}
	path := filepath.FromSlash(p.OpenAPI.Document)
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(file), path)
	}
	d, js, err := openapiimport.LoadFileBundled(path)
	if err == nil {
		err = d.Wait() // no Import here to wait for its validation
	}
	if err != nil {
		return fmt.Errorf("profile %s: openapi.document: %w", file, err)
	}
	p.OpenAPI.Source, p.OpenAPI.Parsed = js, d.T
	return nil
}

// ReadInfo reads the instance file of a data folder.
func ReadInfo(dir string) (Info, error) {
	var info Info
	data, err := os.ReadFile(filepath.Join(dir, InstanceFile))
	if err != nil {
		return info, err
	}
	return info, json.Unmarshal(data, &info)
}

// holder describes the process holding a data folder, for lock errors.
func holder(dir string) string {
	info, err := ReadInfo(dir)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("mockgate (pid %d, admin API %s, started %s)", info.PID, info.AdminURL, info.StartedAt.Format(time.RFC3339))
}

// ReadToken reads the admin token of a data folder.
func ReadToken(dir string) (string, error) {
	data, err := os.ReadFile(filepath.Join(dir, TokenFile))
	if err != nil {
		return "", err
	}
	return string(data), nil
}
