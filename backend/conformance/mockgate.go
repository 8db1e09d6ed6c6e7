package conformance

import (
	"crypto/rand"
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"

	"mockgate/backend/profile"
)

// Admin is what a run against the running mockgate uses of its admin API:
// a JSON body in (nil: none), the JSON answer decoded into out (nil: not
// read), an answer in the admin error envelope as the error. The CLI's
// client and the tests' admin clients provide it.
type Admin interface {
	Do(method, path string, body, out any) error
}

// AdminFunc makes a function an Admin.
type AdminFunc func(method, path string, body, out any) error

// Do calls f.
func (f AdminFunc) Do(method, path string, body, out any) error { return f(method, path, body, out) }

// clockStatus is the part of the admin API's clock status a run keeps.
type clockStatus struct {
	Now           time.Time `json:"now"`
	Real          time.Time `json:"real"`
	OffsetSeconds float64   `json:"offsetSeconds"`
	Frozen        bool      `json:"frozen"`
}

// Session is what Prepare made on a running mockgate for one API's cases:
// the keys by role, and what Close removes and restores.
type Session struct {
	// Keys are the raw keys by role.
	Keys map[string]string

	admin       Admin
	api         string
	ids         []string // keys to delete
	integration string   // the integration made for the inactive-integration role
	clock       *clockStatus
}

// Prepare readies a running mockgate for p's cases through its admin API:
// it freezes the virtual clock, so the rate-limit window cannot roll over
// and Retry-After is exact; makes a key for every role the cases present
// (the expired one expires when the clock is moved a few seconds on,
// instead of the run waiting; the revoked one is revoked, the deleted one
// deleted; the inactive-integration one joins an integration made for the
// run and deactivated). Close removes all of it and puts the clock back as
// it was. When Prepare fails it has already undone what it did.
func Prepare(a Admin, p *profile.Profile, cases []Case) (s *Session, err error) {
	s = &Session{Keys: map[string]string{}, admin: a, api: p.ID}
	defer func() {
		if err != nil {
			err = errors.Join(err, s.Close())
		}
	}()
	var st clockStatus
	if err := a.Do("GET", "/clock", nil, &st); err != nil {
		return s, fmt.Errorf("reading the clock: %w", err)
	}
	s.clock = &st
	if err := a.Do("POST", "/clock", map[string]any{"freeze": true}, nil); err != nil {
		return s, fmt.Errorf("freezing the clock: %w", err)
	}
	ids := map[string]string{}
	for _, role := range Roles(cases) {
		if role == RoleInactiveIntegration {
			name := integrationName()
			if err := a.Do("POST", "/integrations", map[string]any{"api": p.ID, "name": name}, nil); err != nil {
				return s, fmt.Errorf("making an integration: %w", err)
			}
			s.integration = name
		}
		var k struct{ ID, Key string }
		if err := a.Do("POST", "/keys", keyRequest(p, role, s.integration), &k); err != nil {
			return s, fmt.Errorf("making the %s key: %w", role, err)
		}
		s.ids = append(s.ids, k.ID)
		s.Keys[role], ids[role] = k.Key, k.ID
	}
	if id, ok := ids[RoleRevoked]; ok {
		if err := a.Do("POST", "/keys/"+url.PathEscape(id)+"/revoke", nil, nil); err != nil {
			return s, fmt.Errorf("revoking the revoked key: %w", err)
		}
	}
	if id, ok := ids[RoleDeleted]; ok {
		if err := a.Do("DELETE", "/keys/"+url.PathEscape(id), nil, nil); err != nil {
			return s, fmt.Errorf("deleting the deleted key: %w", err)
		}
		s.ids = slices.DeleteFunc(s.ids, func(x string) bool { return x == id })
	}
	if s.integration != "" {
		if err := a.Do("POST", s.integrationPath()+"/deactivate", nil, nil); err != nil {
			return s, fmt.Errorf("deactivating integration %s: %w", s.integration, err)
		}
	}
	if _, ok := ids[RoleExpired]; ok {
		if err := a.Do("POST", "/clock", map[string]any{"advance": expiredAfter.String()}, nil); err != nil {
			return s, fmt.Errorf("moving the clock past the expiry: %w", err)
		}
	}
	return s, nil
}

// The expired key lives expiresIn; the clock then moves expiredAfter on.
const (
	expiresIn    = time.Second
	expiredAfter = 2 * time.Second
)

// keyRequest is the admin API's create-key request for role; integration
// is the one the inactive-integration key joins.
func keyRequest(p *profile.Profile, role, integration string) map[string]any {
	req := map[string]any{"api": p.ID, "name": "conformance " + role}
	if p.Permissions.Model != profile.PermNone && p.Permissions.Model != "" {
		req["scopes"] = p.ScopeNames()
	}
	switch {
	case role == RoleExpired:
		req["ttl"] = expiresIn.String()
	case role == RoleReadOnly:
		req["scopes"] = ReadOnlyScopes(p)
	case role == RoleOtherTenant:
		req["tenant"] = otherTenant(p)
	case role == RoleInactiveIntegration:
		req["integration"] = integration
	case strings.HasPrefix(role, RoleWithout):
		req["scopes"] = WithoutScopes(p, strings.TrimPrefix(role, RoleWithout))
	}
	return req
}

// integrationName is a new name for the integration of a run.
func integrationName() string { return "conformance-" + strings.ToLower(rand.Text()[:8]) }

func (s *Session) integrationPath() string {
	return "/integrations/" + url.PathEscape(s.api) + "/" + url.PathEscape(s.integration)
}

// Close deletes the keys and the integration Prepare made and puts the
// clock back: a clock that was frozen is frozen again at the time it
// showed; one that ran at real time is reset to it; one that ran moved by
// an offset runs again with that offset (to within the milliseconds two
// admin calls take). Every step is tried; the errors
// are joined.
func (s *Session) Close() error {
	var errs []error
	for _, id := range s.ids {
		if err := s.admin.Do("DELETE", "/keys/"+url.PathEscape(id), nil, nil); err != nil {
			errs = append(errs, fmt.Errorf("deleting key %s: %w", id, err))
		}
	}
	s.ids = nil
	if s.integration != "" {
		if err := s.admin.Do("DELETE", s.integrationPath(), nil, nil); err != nil {
			errs = append(errs, fmt.Errorf("removing integration %s: %w", s.integration, err))
		}
		s.integration = ""
	}
	if c := s.clock; c != nil {
		s.clock = nil
		if err := s.restoreClock(*c); err != nil {
			errs = append(errs, fmt.Errorf("restoring the clock: %w", err))
		}
	}
	return errors.Join(errs...)
}

func (s *Session) restoreClock(was clockStatus) error {
	switch {
	case was.Frozen:
		return s.admin.Do("POST", "/clock", map[string]any{"set": was.Now.Format(time.RFC3339Nano)}, nil)
	case math.Abs(was.OffsetSeconds) < 0.5: // at real time, but for the time between two readings
		return s.admin.Do("POST", "/clock", map[string]any{"reset": true}, nil)
	}
	if err := s.admin.Do("POST", "/clock", map[string]any{"resume": true}, nil); err != nil {
		return err
	}
	var now clockStatus
	if err := s.admin.Do("GET", "/clock", nil, &now); err != nil {
		return err
	}
	offset := time.Duration(was.OffsetSeconds * float64(time.Second))
	return s.admin.Do("POST", "/clock", map[string]any{"set": now.Real.Add(offset).Format(time.RFC3339Nano)}, nil)
}
