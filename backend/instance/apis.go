package instance

import (
	"fmt"
	"runtime/debug"
	"slices"

	"mockgate/backend/admin"
	"mockgate/backend/dataset"
	"mockgate/backend/mockapi"
	"mockgate/backend/openapiimport"
	"mockgate/backend/profile"
)

// port is the port of an API: a built-in keeps its place whichever APIs
// are enabled (journeybee is always PortBase+2), and the others follow the
// four built-ins in order. 0 (any free port) when PortBase is 0.
func (s *Services) port(id string) int {
	if s.cfg.PortBase <= 0 {
		return 0
	}
	builtins := profile.BuiltinIDs()
	if i := slices.Index(builtins, id); i >= 0 {
		return s.cfg.PortBase + 1 + i
	}
	others := 0
	for _, a := range s.APIs {
		if !slices.Contains(builtins, a.Engine.Profile().ID) {
			others++
		}
	}
	return s.cfg.PortBase + 1 + len(builtins) + others
}

// newAPI builds the data set and the engine of one profile.
func (s *Services) newAPI(p *profile.Profile, port int) (*admin.API, error) {
	cfg := s.cfg
	if p.Integrations != nil {
		if _, err := s.Integ.Ensure(p.ID, p.Integrations.Default); err != nil {
			return nil, err
		}
	}
	data, err := dataset.Open(p, s.Store, cfg.Clock)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.ID, err)
	}
	eng, err := mockapi.New(mockapi.Deps{
		Profile: p, Keys: s.Keys, Limiter: s.Limiter, Journal: s.Journal, Data: data,
		Integrations: s.Integ, Clock: cfg.Clock, Logger: cfg.Logger, SettingsStore: s.Store,
	})
	if err != nil {
		return nil, err
	}
	return &admin.API{Engine: eng, Data: data, Port: port, Bind: cfg.Bind}, nil
}

// loadImported starts the profiles imported through the admin API in
// earlier runs, each with its OpenAPI document when it has one. One that no
// longer loads (its id now taken, or refused by a stricter validation) is
// skipped with a warning rather than stopping the others.
func (s *Services) loadImported() error {
	srcs, err := s.Store.Profiles()
	if err != nil {
		return err
	}
	docs, err := s.Store.Documents()
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(srcs))
	for id := range srcs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		p, err := profile.Parse(srcs[id], "imported profile "+id)
		if err == nil && s.find(p.ID) != nil {
			err = fmt.Errorf("id %q is already used", p.ID)
		}
		if err == nil {
			err = attachDocument(p, docs[id])
		}
		if err != nil {
			s.cfg.Logger.Warn("an imported profile was not started", "id", id, "err", err)
			continue
		}
		a, err := s.newAPI(p, s.port(p.ID))
		if err != nil {
			return err
		}
		a.Source = admin.SourceImported
		s.APIs = append(s.APIs, a)
	}
	return nil
}

// attachDocument gives a kept profile (imported through the admin API, or
// in a saved state) the document kept beside it: a profile that names one
// must have it, and one that names none must not.
func attachDocument(p *profile.Profile, doc []byte) error {
	switch {
	case p.OpenAPI == nil && len(doc) > 0:
		return fmt.Errorf("profile %s: an OpenAPI document is kept for it but the profile has no openapi block", p.ID)
	case p.OpenAPI == nil:
		return nil
	case len(doc) == 0:
		return fmt.Errorf("profile %s: openapi.document: the document %q is not kept with the profile (import the OpenAPI document itself rather than a profile naming a file)", p.ID, p.OpenAPI.Document)
	}
	d, err := openapiimport.Load(doc, p.OpenAPI.Document)
	if err != nil {
		return err
	}
	p.OpenAPI.Source, p.OpenAPI.Parsed = doc, d.T
	return nil
}

func (s *Services) find(id string) *admin.API {
	for _, a := range s.APIs {
		if a.Engine.Profile().ID == id {
			return a
		}
	}
	return nil
}

// Import validates a profile's source, starts its API (listening, when the
// instance listens) and keeps the source in the store, so the API is back
// after a restart. It implements admin.Profiles.
func (s *Services) Import(src []byte, id string) (*admin.API, error) {
	p, err := profile.Parse(src, "imported profile")
	if err != nil {
		return nil, err
	}
	if id != "" && id != p.ID {
		return nil, fmt.Errorf("id %q: the profile's id is %q (?id= names the API of an OpenAPI document; a profile names its own)", id, p.ID)
	}
	if err := attachDocument(p, nil); err != nil {
		return nil, err
	}
	return s.add(p, src, nil)
}

// postedDocument names an OpenAPI document posted to the admin API, in
// messages and in its profile's openapi.document.
const postedDocument = "openapi.json"

// ImportOpenAPI imports an OpenAPI document (YAML or JSON) as Import does
// a profile: its API starts, and the profile and the document are kept in
// the store. id, when set, is the API's id. It implements admin.Profiles.
func (s *Services) ImportOpenAPI(src []byte, id string) (*admin.API, *openapiimport.Summary, error) {
	if id != "" {
		if err := openapiimport.CheckID(id); err != nil {
			return nil, nil, err
		}
	}
	doc, js, err := openapiimport.LoadBundled(src, postedDocument)
	if err != nil {
		return nil, nil, err
	}
	res, err := openapiimport.Import(doc, openapiimport.Options{ID: id, Document: postedDocument})
	if err != nil {
		return nil, nil, err
	}
	res.Profile.OpenAPI.Source, res.Profile.OpenAPI.Parsed = js, doc.T
	a, err := s.add(res.Profile, res.YAML, js)
	if err != nil {
		return nil, nil, err
	}
	releaseDocumentGarbage(s.APIs)
	return a, res.Summary, nil
}

// releaseDocumentGarbage returns to the OS the memory that loading and
// importing OpenAPI documents left as garbage, when an API serves one.
// It is called once the documents are in place: at start-up (Open) and
// after an import through the admin API. Why: parsing, validating and
// mapping a large document peaks at several times what the engine keeps
// (Stripe's: ~380 MB for ~55 MB kept), and Go returns freed pages to the
// OS only gradually, so the process would otherwise sit at 150+ MB of RSS
// for minutes. It costs one forced garbage collection (tens of ms), paid
// only by instances that serve a document.
func releaseDocumentGarbage(apis []*admin.API) {
	for _, a := range apis {
		if a.Engine.Profile().OpenAPI != nil {
			debug.FreeOSMemory()
			return
		}
	}
}

// add starts the API of p and keeps its source (and document) in the store.
func (s *Services) add(p *profile.Profile, src, doc []byte) (*admin.API, error) {
	s.apisMu.Lock()
	defer s.apisMu.Unlock()
	if s.find(p.ID) != nil {
		return nil, fmt.Errorf("%w: the id %q is already used by a running API; change the profile's id", admin.ErrConflict, p.ID)
	}
	a, err := s.newAPI(p, s.port(p.ID))
	if err != nil {
		return nil, err
	}
	a.Source = admin.SourceImported
	if err := s.Store.PutProfile(p.ID, src, doc); err != nil {
		return nil, err
	}
	if s.onAdd != nil {
		if err := s.onAdd(a); err != nil {
			s.Store.DeleteProfile(p.ID)
			return nil, err
		}
	}
	s.APIs = append(s.APIs, a)
	s.Admin.SetAPIs(s.APIs)
	return a, nil
}

// Remove stops an imported API and deletes its profile, its keys and its
// records. The keys go with it: an API imported again under the same id
// must not answer the old ones. It implements admin.Profiles.
func (s *Services) Remove(id string) error {
	s.apisMu.Lock()
	defer s.apisMu.Unlock()
	a := s.find(id)
	if a == nil || a.Source != admin.SourceImported {
		return fmt.Errorf("no imported API %q", id)
	}
	if s.onRemove != nil {
		s.onRemove(id)
	}
	s.APIs = slices.DeleteFunc(s.APIs, func(x *admin.API) bool { return x == a })
	s.Admin.SetAPIs(s.APIs)
	gone, err := s.Keys.DeleteAPI(id)
	for _, k := range gone {
		s.Limiter.Forget(k)
	}
	if err != nil {
		return err
	}
	if err := s.Store.DeleteProfile(id); err != nil {
		return err
	}
	if err := s.Store.DeleteSettings(id); err != nil {
		return err
	}
	return a.Data.Drop()
}
