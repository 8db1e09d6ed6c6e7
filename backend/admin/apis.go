package admin

import (
	"errors"
	"net"
	"net/http"
	"strconv"
	"time"

	"mockgate/backend/dataset"
	"mockgate/backend/mockapi"
	"mockgate/backend/openapiimport"
	"mockgate/backend/profile"
)

// APIInfo describes one mock API for the GUI and the CLI.
type APIInfo struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	Description string            `json:"description,omitempty"`
	Version     string            `json:"version"`
	Status      string            `json:"status"`
	Port        int               `json:"port"`
	Origin      string            `json:"origin"`
	BaseURL     string            `json:"baseUrl"`
	OpenAPIURL  string            `json:"openapiUrl"`
	Auth        profile.Auth      `json:"auth"`
	KeyFormat   profile.KeyFormat `json:"keyFormat"`
	Permissions struct {
		Model   string          `json:"model"`
		Scopes  []profile.Scope `json:"scopes"`
		Default []string        `json:"default"`
	} `json:"permissions"`
	Tenancy struct {
		Kind  string `json:"kind"`
		Label string `json:"label,omitempty"`
		// PathPrefix is the route prefix naming the tenant (kind path),
		// relative to the base URL: "company/{companyId}".
		PathPrefix string   `json:"pathPrefix,omitempty"`
		Default    string   `json:"default,omitempty"`
		Tenants    []string `json:"tenants"`
	} `json:"tenancy"`
	Integrations *profile.Integrations `json:"integrations,omitempty"`
	RateLimit    profile.RateLimit     `json:"rateLimit"`
	Pagination   struct {
		Style         string `json:"style"`
		SizeParam     string `json:"sizeParam"`
		PositionParam string `json:"positionParam"`
		AfterParam    string `json:"afterParam,omitempty"`
		BeforeParam   string `json:"beforeParam,omitempty"`
		DefaultSize   int    `json:"defaultSize"`
		MaxSize       int    `json:"maxSize"`
	} `json:"pagination"`
	Resources []ResourceInfo   `json:"resources"`
	Settings  mockapi.Settings `json:"settings"`
	Notes     []string         `json:"notes,omitempty"`
	Requests  int64            `json:"requests"`
	// Source is builtin, file (serve --profile) or imported (removable).
	Source string `json:"source"`
}

// ResourceInfo is one resource with its record count (default tenant).
type ResourceInfo struct {
	Name    string `json:"name"`
	Path    string `json:"path"`
	Records int    `json:"records"`
}

// Origin is the scheme, host and port clients use for the API.
func (a *API) Origin() string {
	host := a.Bind
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(a.Port))
}

// BaseURL is where the API's routes start; for subdomain tenancy it names
// the default tenant (http://demo.localhost:7701/api/v1).
func (a *API) BaseURL() string {
	p := a.Engine.Profile()
	if p.Tenancy.Kind == profile.TenancySubdomain {
		return "http://" + p.Tenancy.Default + ".localhost:" + strconv.Itoa(a.Port) + p.BasePath
	}
	return a.Origin() + p.BasePath
}

func (s *Server) info(a *API) APIInfo {
	p := a.Engine.Profile()
	in := APIInfo{
		ID: p.ID, Name: p.Name, Description: p.Description, Version: p.Version,
		Status: "running", Port: a.Port, Origin: a.Origin(), BaseURL: a.BaseURL(),
		OpenAPIURL: a.Origin() + mockapi.OpenAPIPath, Auth: p.Auth, KeyFormat: p.KeyFormat,
		Integrations: p.Integrations, RateLimit: p.RateLimit, Settings: a.Engine.Settings(), Notes: p.Notes,
		Requests: a.Engine.Stats().Snapshot(time.Now(), 1).Total,
		Source:   a.Source,
	}
	if a.Port == 0 {
		in.Status = "stopped"
	}
	in.Permissions.Model, in.Permissions.Scopes, in.Permissions.Default = p.Permissions.Model, p.Permissions.Scopes, p.Permissions.Default
	in.Tenancy.Kind, in.Tenancy.Label, in.Tenancy.Default = p.Tenancy.Kind, p.Tenancy.Label, p.Tenancy.Default
	in.Tenancy.PathPrefix = p.Tenancy.PathPrefix
	for _, t := range p.Tenancy.Tenants {
		in.Tenancy.Tenants = append(in.Tenancy.Tenants, t.ID)
	}
	pg := p.Pagination
	in.Pagination.Style, in.Pagination.SizeParam, in.Pagination.PositionParam = pg.Style, pg.SizeParam, pg.PositionParam
	in.Pagination.AfterParam, in.Pagination.BeforeParam = pg.AfterParam, pg.BeforeParam
	in.Pagination.DefaultSize, in.Pagination.MaxSize = pg.DefaultSize, pg.MaxSize
	tenant := dataset.DataTenant(p, "")
	for i := range p.Resources {
		r := &p.Resources[i]
		ri := ResourceInfo{Name: r.Name, Path: r.Path}
		if c := a.Data.Collection(tenant, r); c != nil {
			ri.Records = c.Len()
		}
		in.Resources = append(in.Resources, ri)
	}
	return in
}

func (s *Server) listAPIs(w http.ResponseWriter, r *http.Request) error {
	out := make([]APIInfo, 0, len(s.list()))
	for _, a := range s.list() {
		out = append(out, s.info(a))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) getAPI(w http.ResponseWriter, r *http.Request) error {
	a, err := s.pathAPI(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.info(a))
	return nil
}

// Traffic counters follow the wall clock (time.Now), not the injected
// clock: they measure what happened on this machine per real second.

func (s *Server) apiStats(w http.ResponseWriter, r *http.Request) error {
	a, err := s.pathAPI(r)
	if err != nil {
		return err
	}
	secs, err := statsSeconds(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.Engine.Stats().Snapshot(time.Now(), secs))
	return nil
}

// allStats answers every API's traffic in one call, by API id (the APIs
// screen polls it every two seconds).
func (s *Server) allStats(w http.ResponseWriter, r *http.Request) error {
	secs, err := statsSeconds(r)
	if err != nil {
		return err
	}
	now := time.Now()
	out := map[string]mockapi.Snapshot{}
	for _, a := range s.list() {
		out[a.Engine.Profile().ID] = a.Engine.Stats().Snapshot(now, secs)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// statsSeconds reads the seconds parameter (default 300, 1 to 600).
func statsSeconds(r *http.Request) (int, error) {
	v := r.URL.Query().Get("seconds")
	if v == "" {
		return 300, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 600 {
		return 0, badRequest("seconds must be an integer between 1 and 600")
	}
	return n, nil
}

// putSettings changes an API's run-time settings; the engine validates,
// persists and applies them.
func (s *Server) putSettings(w http.ResponseWriter, r *http.Request) error {
	a, err := s.pathAPI(r)
	if err != nil {
		return err
	}
	var set mockapi.Settings
	if err := decode(r, &set, maxBody); err != nil {
		return err
	}
	if err := set.Validate(); err != nil {
		return badRequest("%v", err)
	}
	if err := a.Engine.SetSettings(set); err != nil {
		return internal(err)
	}
	writeJSON(w, http.StatusOK, a.Engine.Settings())
	return nil
}

func (s *Server) resetAPI(w http.ResponseWriter, r *http.Request) error {
	a, err := s.pathAPI(r)
	if err != nil {
		return err
	}
	if err := a.Data.Reset(); err != nil {
		return internal(err)
	}
	writeJSON(w, http.StatusOK, s.info(a))
	return nil
}

// seedRequest grows a collection to Count records (scale tests).
type seedRequest struct {
	Resource string `json:"resource"`
	Tenant   string `json:"tenant"`
	Count    int    `json:"count"`
}

func (s *Server) seedAPI(w http.ResponseWriter, r *http.Request) error {
	a, err := s.pathAPI(r)
	if err != nil {
		return err
	}
	var req seedRequest
	if err := decode(r, &req, maxBody); err != nil {
		return err
	}
	p := a.Engine.Profile()
	res := resource(p, req.Resource)
	if res == nil {
		return badRequest("no resource %s in %s", quote(req.Resource), p.ID)
	}
	if req.Count < 0 || req.Count > profile.MaxSeedCount {
		return badRequest("count must be between 0 and %d", profile.MaxSeedCount)
	}
	tenant := dataset.DataTenant(p, req.Tenant)
	c := a.Data.Collection(tenant, res)
	if c == nil {
		return badRequest("no %s %s", p.Tenancy.Label, quote(req.Tenant))
	}
	if err := a.Data.Grow(c, res, tenant, req.Count); err != nil {
		return internal(err)
	}
	writeJSON(w, http.StatusOK, SeedAnswer{API: p.ID, Resource: res.Name, Tenant: tenant, Records: c.Len()})
	return nil
}

// getProfile answers the API's whole profile as it was loaded (defaults
// filled in), so a client can derive what the API promises: the
// conformance pack builds its cases from it.
func (s *Server) getProfile(w http.ResponseWriter, r *http.Request) error {
	a, err := s.pathAPI(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.Engine.Profile())
	return nil
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	a, err := s.pathAPI(r)
	if err != nil {
		return err
	}
	doc, err := a.Engine.OpenAPIDocument(a.Origin())
	if err != nil {
		return internal(err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(doc)
	return nil
}

// importProfile adds a user API from a profile's source or an OpenAPI
// document (YAML or JSON, the request body; a document has a top-level
// "openapi" version). A profile that is not valid is answered 400 with
// every problem, each naming its field; a document, naming its place.
func (s *Server) importProfile(w http.ResponseWriter, r *http.Request) error {
	if s.d.Profiles == nil {
		return &Error{Status: http.StatusNotImplemented, Code: "not_supported", Message: "this instance cannot import profiles"}
	}
	src, err := readBody(r, maxImportBody)
	if err != nil {
		return err
	}
	id := r.URL.Query().Get("id")
	if openapiimport.IsDocument(src) {
		a, sum, err := s.d.Profiles.ImportOpenAPI(src, id)
		var ie *openapiimport.InvalidError
		switch {
		case errors.As(err, &ie):
			return &Error{Status: http.StatusBadRequest, Code: "invalid_openapi", Message: ie.Error(), Problems: ie.Problems}
		case errors.Is(err, ErrConflict):
			return conflict("%v", err)
		case err != nil:
			return &Error{Status: http.StatusBadRequest, Code: "invalid_openapi", Message: err.Error()}
		}
		writeJSON(w, http.StatusCreated, ImportedAPI{APIInfo: s.info(a), Import: sum})
		return nil
	}
	a, err := s.d.Profiles.Import(src, id)
	var ve *profile.ValidationError
	switch {
	case errors.As(err, &ve):
		problems := make([]string, len(ve.Problems))
		for i, p := range ve.Problems {
			problems[i] = p.Error()
		}
		return &Error{Status: http.StatusBadRequest, Code: "invalid_profile", Message: ve.Error(), Problems: problems}
	case errors.Is(err, ErrConflict):
		return conflict("%v", err)
	case err != nil:
		return &Error{Status: http.StatusBadRequest, Code: "invalid_profile", Message: err.Error()}
	}
	writeJSON(w, http.StatusCreated, ImportedAPI{APIInfo: s.info(a)})
	return nil
}

// ImportedAPI answers an import: the API, and for an OpenAPI document what
// the import made of it.
type ImportedAPI struct {
	APIInfo
	// Import is the import's summary (an OpenAPI document only).
	Import *openapiimport.Summary `json:"import,omitempty"`
}

// ErrConflict is returned by Profiles.Import for an id already in use.
var ErrConflict = errors.New("conflict")

func (s *Server) removeProfile(w http.ResponseWriter, r *http.Request) error {
	a, err := s.pathAPI(r)
	if err != nil {
		return err
	}
	id := a.Engine.Profile().ID
	if a.Source != SourceImported || s.d.Profiles == nil {
		return conflict("API %s was not imported; only imported APIs can be removed", quote(id))
	}
	if err := s.d.Profiles.Remove(id); err != nil {
		return internal(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// resource is the resource of p named name, by name or path.
func resource(p *profile.Profile, name string) *profile.Resource {
	for i := range p.Resources {
		if r := &p.Resources[i]; r.Name == name || r.Path == name {
			return r
		}
	}
	return nil
}
