package admin

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"mockgate/backend/keys"
)

// The Explorer's "Show a failure" buttons send a request with a revoked
// key, or with a valid key that lacks the endpoint's scope. Those keys are
// real keys (the mock must judge them as it judges any), made here, marked
// with keys.PurposeExplorer and reused: one per API, kind, scope list and
// tenant. Their raw values stay in this process's memory and never reach
// the page, the store or a log, so a reload of the page reuses them too.
// A restart loses the raw values, which makes the stored keys useless: the
// first demo request after it deletes every Explorer key it does not hold.

// DemoKey asks the Explorer's proxy for a throwaway key.
type DemoKey struct {
	// Kind is DemoRevoked or DemoScopes.
	Kind string `json:"kind"`
	// Scopes are the scopes a DemoScopes key holds (in the API's own
	// vocabulary).
	Scopes []string `json:"scopes,omitempty"`
	// Tenant is the account or company the key belongs to, for an API with
	// tenants; empty means the API's default.
	Tenant string `json:"tenant,omitempty"`
}

// Demo key kinds.
const (
	DemoRevoked = "revoked"
	DemoScopes  = "scopes"
)

// DemoKeyPrefix starts the name of every Explorer key.
const DemoKeyPrefix = "Explorer demo: "

// demoKeys holds the raw values of the Explorer's keys, by what they are
// for (demoKeys.slot).
type demoKeys struct {
	mu    sync.Mutex
	held  map[string]heldKey
	swept bool
}

type heldKey struct{ id, raw string }

func (d DemoKey) slot(api string) string {
	return strings.Join([]string{api, d.Kind, strings.Join(d.Scopes, ","), d.Tenant}, "\x00")
}

// key returns the throwaway key for spec on API a, making it when it does
// not exist (or no longer does what it is for: a user deleted it, or
// revoked the limited one).
func (d *demoKeys) key(s *Server, a *API, spec DemoKey) (keys.Key, string, error) {
	spec.Scopes = slices.Clone(spec.Scopes)
	slices.Sort(spec.Scopes)
	spec.Scopes = slices.Compact(spec.Scopes)
	name := DemoKeyPrefix + "revoked"
	switch spec.Kind {
	case DemoRevoked:
		spec.Scopes = nil // any key will do: it is refused before its scopes count
	case DemoScopes:
		if len(spec.Scopes) == 0 {
			return keys.Key{}, "", badRequest("demoKey.scopes: a key limited to some scopes needs at least one")
		}
		name = DemoKeyPrefix + "only " + strings.Join(spec.Scopes, " ")
	default:
		return keys.Key{}, "", badRequest("demoKey.kind: %s is not %s or %s", quote(spec.Kind), DemoRevoked, DemoScopes)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.held == nil {
		d.held = map[string]heldKey{}
	}
	if err := d.sweep(s); err != nil {
		return keys.Key{}, "", internal(err)
	}
	slot := spec.slot(a.Engine.Profile().ID)
	if h, ok := d.held[slot]; ok {
		want := keys.StatusActive
		if spec.Kind == DemoRevoked {
			want = keys.StatusRevoked
		}
		if k, ok := s.d.Keys.Get(h.id); ok && k.Status(s.d.Clock.Now()) == want {
			return k, h.raw, nil
		}
		delete(d.held, slot)
		if err := s.d.Keys.Delete(h.id); err != nil && !errors.Is(err, keys.ErrNotFound) {
			return keys.Key{}, "", internal(err)
		}
	}
	cr, err := s.keyRequest(CreateKeyRequest{API: a.Engine.Profile().ID, Name: name, Scopes: spec.Scopes, Tenant: spec.Tenant})
	if err != nil {
		return keys.Key{}, "", badRequest("demoKey: %v", err)
	}
	cr.Purpose = keys.PurposeExplorer
	if cr.Integration != "" {
		if _, err := s.d.Integrations.Ensure(cr.API, cr.Integration); err != nil {
			return keys.Key{}, "", badRequest("demoKey: %v", err)
		}
	}
	k, raw, err := s.d.Keys.Create(cr)
	if err != nil {
		return keys.Key{}, "", internal(fmt.Errorf("making an Explorer key: %w", err))
	}
	if spec.Kind == DemoRevoked {
		if k, err = s.d.Keys.Revoke(k.ID); err != nil {
			return keys.Key{}, "", internal(fmt.Errorf("revoking an Explorer key: %w", err))
		}
	}
	d.held[slot] = heldKey{id: k.ID, raw: raw}
	return k, raw, nil
}

// sweep deletes, once per run, the Explorer keys this process does not
// hold: an earlier run made them, and their raw values are gone with it.
func (d *demoKeys) sweep(s *Server) error {
	if d.swept {
		return nil
	}
	for _, k := range s.d.Keys.List() {
		if k.Purpose != keys.PurposeExplorer || d.holds(k.ID) {
			continue
		}
		if err := s.d.Keys.Delete(k.ID); err != nil && !errors.Is(err, keys.ErrNotFound) {
			return err
		}
		if s.d.Limiter != nil {
			s.d.Limiter.Forget(k.ID)
		}
	}
	d.swept = true
	return nil
}

func (d *demoKeys) holds(id string) bool {
	for _, h := range d.held {
		if h.id == id {
			return true
		}
	}
	return false
}
