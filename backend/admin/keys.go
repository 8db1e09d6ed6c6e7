package admin

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"mockgate/backend/dataset"
	"mockgate/backend/keys"
	"mockgate/backend/profile"
)

// KeyView is a key as listed: never the raw key, never its hash.
type KeyView struct {
	ID          string     `json:"id"`
	API         string     `json:"api"`
	Name        string     `json:"name"`
	Masked      string     `json:"masked"`
	Scopes      []string   `json:"scopes"`
	Tenant      string     `json:"tenant,omitempty"`
	Integration string     `json:"integration,omitempty"`
	RateLimit   *int       `json:"rateLimit,omitempty"`
	Status      string     `json:"status"`
	CreatedAt   time.Time  `json:"createdAt"`
	ExpiresAt   *time.Time `json:"expiresAt,omitempty"`
	RevokedAt   *time.Time `json:"revokedAt,omitempty"`
	LastUsedAt  *time.Time `json:"lastUsedAt,omitempty"`
	UseCount    int64      `json:"useCount"`
	// Purpose is "explorer" for the Explorer's throwaway keys (see
	// keys.PurposeExplorer), absent for a user's key.
	Purpose string `json:"purpose,omitempty"`
}

// PurposeUser selects, in GET /keys?purpose=, the keys a user made (those
// without a Purpose).
const PurposeUser = "user"

// CreatedKey is the answer to a create: the view plus the raw key, shown
// this once.
type CreatedKey struct {
	KeyView
	Key string `json:"key"`
}

// CreateKeyRequest creates a key. Scopes, tenant and integration default as
// the API's profile says; TTL (a Go duration) is an alternative to ExpiresAt.
type CreateKeyRequest struct {
	API         string     `json:"api"`
	Name        string     `json:"name"`
	Scopes      []string   `json:"scopes,omitempty"`
	Tenant      string     `json:"tenant,omitempty"`
	Integration string     `json:"integration,omitempty"`
	ExpiresAt   *time.Time `json:"expiresAt,omitempty"`
	TTL         string     `json:"ttl,omitempty"`
	RateLimit   *int       `json:"rateLimit,omitempty"`
}

func (s *Server) view(k keys.Key) KeyView {
	return KeyView{
		ID: k.ID, API: k.API, Name: k.Name, Masked: k.Masked(), Scopes: k.Scopes, Tenant: k.Tenant,
		Integration: k.Integration, RateLimit: k.RateLimit, Status: k.Status(s.d.Clock.Now()),
		CreatedAt: k.CreatedAt, ExpiresAt: k.ExpiresAt, RevokedAt: k.RevokedAt, LastUsedAt: k.LastUsedAt, UseCount: k.UseCount,
		Purpose: k.Purpose,
	}
}

// listKeys answers the keys, newest first. Query parameters: api (an API
// id), purpose ("user" for the keys users made, "explorer" for the
// Explorer's throwaway keys; default both).
func (s *Server) listKeys(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	api, purpose := q.Get("api"), q.Get("purpose")
	if purpose != "" && purpose != PurposeUser && purpose != keys.PurposeExplorer {
		return badRequest("purpose must be %s or %s", PurposeUser, keys.PurposeExplorer)
	}
	want := purpose // a user's key has no Purpose
	if purpose == PurposeUser {
		want = ""
	}
	out := []KeyView{}
	for _, k := range s.d.Keys.List() {
		if (api == "" || k.API == api) && (purpose == "" || k.Purpose == want) {
			out = append(out, s.view(k))
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) getKey(w http.ResponseWriter, r *http.Request) error {
	k, ok := s.d.Keys.Get(r.PathValue("id"))
	if !ok {
		return errNoKey(r.PathValue("id"))
	}
	writeJSON(w, http.StatusOK, s.view(k))
	return nil
}

func errNoKey(id string) *Error { return notFound("no key %s", quote(id)) }

func (s *Server) createKey(w http.ResponseWriter, r *http.Request) error {
	var req CreateKeyRequest
	if err := decode(r, &req, maxBody); err != nil {
		return err
	}
	cr, err := s.keyRequest(req)
	if err != nil {
		return badRequest("%v", err)
	}
	if cr.Integration != "" {
		if _, err := s.d.Integrations.Ensure(cr.API, cr.Integration); err != nil {
			return badRequest("%v", err)
		}
	}
	k, raw, err := s.d.Keys.Create(cr)
	if errors.Is(err, keys.ErrInvalid) {
		return badRequest("%v", err)
	}
	if err != nil {
		return internal(err)
	}
	writeJSON(w, http.StatusCreated, CreatedKey{KeyView: s.view(k), Key: raw})
	return nil
}

// keyRequest checks a create request against the API's profile and fills
// the profile's defaults.
func (s *Server) keyRequest(req CreateKeyRequest) (keys.CreateRequest, error) {
	a, err := s.apiByID(req.API)
	if err != nil {
		ids := make([]string, 0, len(s.list()))
		for _, x := range s.list() {
			ids = append(ids, x.Engine.Profile().ID)
		}
		return keys.CreateRequest{}, fmt.Errorf("api: no API %q (APIs: %s)", req.API, strings.Join(ids, ", "))
	}
	p := a.Engine.Profile()
	cr := keys.CreateRequest{
		API: p.ID, Name: strings.TrimSpace(req.Name), RateLimit: req.RateLimit, ExpiresAt: req.ExpiresAt,
		Format: keys.Format{Prefix: p.KeyFormat.Prefix, Alphabet: p.KeyFormat.Alphabet, Length: p.KeyFormat.Length},
	}
	if cr.Name == "" {
		return cr, fmt.Errorf("name: a key needs a name")
	}
	if req.RateLimit != nil && *req.RateLimit < 0 {
		return cr, fmt.Errorf("rateLimit: must be 0 (no limit) or a number of requests per minute")
	}
	if req.TTL != "" {
		if req.ExpiresAt != nil {
			return cr, fmt.Errorf("ttl: give ttl or expiresAt, not both")
		}
		d, err := time.ParseDuration(req.TTL)
		if err != nil || d <= 0 {
			return cr, fmt.Errorf("ttl: %q is not a positive duration such as 30m or 24h", req.TTL)
		}
		at := s.d.Clock.Now().Add(d).UTC().Truncate(time.Second)
		cr.ExpiresAt = &at
	}
	// Scopes in the API's own vocabulary.
	all := p.ScopeNames()
	switch {
	case p.Permissions.Model == profile.PermNone:
		if len(req.Scopes) > 0 {
			return cr, fmt.Errorf("scopes: API %s has no permissions; every key may call every route", p.ID)
		}
	case len(req.Scopes) == 0 && len(p.Permissions.Default) > 0:
		cr.Scopes = slices.Clone(p.Permissions.Default)
	case len(req.Scopes) == 0:
		cr.Scopes = all
	default:
		for _, sc := range req.Scopes {
			if !slices.Contains(all, sc) {
				return cr, fmt.Errorf("scopes: %q is not a scope of %s (scopes: %s)", sc, p.ID, strings.Join(all, ", "))
			}
			if !slices.Contains(cr.Scopes, sc) {
				cr.Scopes = append(cr.Scopes, sc)
			}
		}
	}
	// Tenant: the account or company the key belongs to.
	if p.Tenancy.Kind == profile.TenancyNone {
		if req.Tenant != "" {
			return cr, fmt.Errorf("tenant: API %s has no accounts or companies", p.ID)
		}
	} else {
		cr.Tenant = dataset.DataTenant(p, req.Tenant)
		if !p.HasTenant(cr.Tenant) {
			return cr, fmt.Errorf("tenant: no %s %q in %s (%ss: %s)", p.Tenancy.Label, cr.Tenant, p.ID, p.Tenancy.Label, strings.Join(dataset.Tenants(p), ", "))
		}
	}
	// Integration (EUDR).
	if p.Integrations == nil {
		if req.Integration != "" {
			return cr, fmt.Errorf("integration: API %s has no integrations", p.ID)
		}
	} else {
		cr.Integration = req.Integration
		if cr.Integration == "" {
			cr.Integration = p.Integrations.Default
		}
	}
	return cr, nil
}

func (s *Server) revokeKey(w http.ResponseWriter, r *http.Request) error {
	k, err := s.d.Keys.Revoke(r.PathValue("id"))
	if errors.Is(err, keys.ErrNotFound) {
		return errNoKey(r.PathValue("id"))
	}
	if err != nil {
		return internal(err)
	}
	writeJSON(w, http.StatusOK, s.view(k))
	return nil
}

func (s *Server) deleteKey(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	err := s.d.Keys.Delete(id)
	if errors.Is(err, keys.ErrNotFound) {
		return errNoKey(id)
	}
	if err != nil {
		return internal(err)
	}
	s.d.Limiter.Forget(id)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
