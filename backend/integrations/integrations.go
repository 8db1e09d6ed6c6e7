// Package integrations keeps the integrations that keys of some APIs belong
// to (the EUDR API: a deactivated integration makes its keys answer
// INTEGRATION_INACTIVE). Lookups are lock-free reads of an immutable map.
package integrations

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"mockgate/backend/clock"
)

// Integration is one integration of an API.
type Integration struct {
	API       string    `json:"api"`
	Name      string    `json:"name"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Store is the persistence the registry needs (implemented by *store.Store).
type Store interface {
	// SaveIntegration writes in, replacing the record of the same API and
	// name; it is durable when it returns.
	SaveIntegration(in Integration) error
	// LoadIntegrations returns every stored integration.
	LoadIntegrations() ([]Integration, error)
	// DeleteIntegration removes the record of api's integration name; it
	// is durable when it returns.
	DeleteIntegration(api, name string) error
}

// ErrNotFound is returned for an integration that does not exist.
var ErrNotFound = errors.New("integration not found")

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$`)

// Registry holds every integration.
type Registry struct {
	st  Store
	clk clock.Clock
	mu  sync.Mutex // serialises writers
	all atomic.Pointer[map[string]Integration]
}

func id(api, name string) string { return api + "/" + name }

// New loads every integration.
func New(st Store, clk clock.Clock) (*Registry, error) {
	r := &Registry{st: st, clk: clk}
	if err := r.Reload(); err != nil {
		return nil, err
	}
	return r, nil
}

// Reload reads every integration from the Store again (a saved state was
// written there).
func (r *Registry) Reload() error {
	all, err := r.st.LoadIntegrations()
	if err != nil {
		return err
	}
	m := make(map[string]Integration, len(all))
	for _, in := range all {
		m[id(in.API, in.Name)] = in
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.all.Store(&m)
	return nil
}

// Check reports the first record of ins that the registry could not hold
// (no API, a name it would refuse, the same API and name twice), naming
// it: a saved state is checked with it before anything is written.
func Check(ins []Integration) error {
	seen := make(map[string]bool, len(ins))
	for _, in := range ins {
		switch {
		case in.API == "":
			return fmt.Errorf("integration %q has no API", in.Name)
		case !nameRE.MatchString(in.Name):
			return fmt.Errorf("integration %q of %s: %w", in.Name, in.API, errBadName)
		case seen[id(in.API, in.Name)]:
			return fmt.Errorf("integration %q of %s is listed twice", in.Name, in.API)
		}
		seen[id(in.API, in.Name)] = true
	}
	return nil
}

var errBadName = errors.New("a name has 1 to 64 letters, digits, spaces, '.', '_' or '-'")

// Active reports whether the integration exists and is active.
func (r *Registry) Active(api, name string) bool {
	in, ok := (*r.all.Load())[id(api, name)]
	return ok && in.Active
}

// Get returns one integration.
func (r *Registry) Get(api, name string) (Integration, bool) {
	in, ok := (*r.all.Load())[id(api, name)]
	return in, ok
}

// List returns the integrations of api (all APIs when empty), by name.
func (r *Registry) List(api string) []Integration {
	var out []Integration
	for _, in := range *r.all.Load() {
		if api == "" || in.API == api {
			out = append(out, in)
		}
	}
	slices.SortFunc(out, func(a, b Integration) int {
		return strings.Compare(a.API+"/"+a.Name, b.API+"/"+b.Name)
	})
	return out
}

// Ensure creates the integration (active) when it does not exist.
func (r *Registry) Ensure(api, name string) (Integration, error) {
	if !nameRE.MatchString(name) {
		return Integration{}, fmt.Errorf("integration name %q: use 1 to 64 letters, digits, spaces, '.', '_' or '-'", name)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if in, ok := (*r.all.Load())[id(api, name)]; ok {
		return in, nil
	}
	now := r.clk.Now().UTC()
	in := Integration{API: api, Name: name, Active: true, CreatedAt: now, UpdatedAt: now}
	return in, r.put(in)
}

// SetActive activates or deactivates an existing integration.
func (r *Registry) SetActive(api, name string, active bool) (Integration, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	in, ok := (*r.all.Load())[id(api, name)]
	if !ok {
		return Integration{}, fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	in.Active, in.UpdatedAt = active, r.clk.Now().UTC()
	return in, r.put(in)
}

// Remove forgets an integration: its keys, if any were left, answer as
// keys of an inactive one.
func (r *Registry) Remove(api, name string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	old := *r.all.Load()
	if _, ok := old[id(api, name)]; !ok {
		return fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	if err := r.st.DeleteIntegration(api, name); err != nil {
		return err
	}
	m := make(map[string]Integration, len(old))
	for k, v := range old {
		m[k] = v
	}
	delete(m, id(api, name))
	r.all.Store(&m)
	return nil
}

// put persists then publishes (caller holds mu).
func (r *Registry) put(in Integration) error {
	if err := r.st.SaveIntegration(in); err != nil {
		return err
	}
	old := *r.all.Load()
	m := make(map[string]Integration, len(old)+1)
	for k, v := range old {
		m[k] = v
	}
	m[id(in.API, in.Name)] = in
	r.all.Store(&m)
	return nil
}
