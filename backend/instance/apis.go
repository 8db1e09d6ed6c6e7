package instance

import (
	"fmt"
	"slices"

	"mockgate/backend/admin"
	"mockgate/backend/dataset"
	"mockgate/backend/mockapi"
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
// earlier runs. One that no longer loads (its id now taken, or refused by a
// stricter validation) is skipped with a warning rather than stopping the
// others.
func (s *Services) loadImported() error {
	srcs, err := s.Store.Profiles()
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
func (s *Services) Import(src []byte) (*admin.API, error) {
	p, err := profile.Parse(src, "imported profile")
	if err != nil {
		return nil, err
	}
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
	if err := s.Store.PutProfile(p.ID, src); err != nil {
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
