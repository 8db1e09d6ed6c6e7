package profile

import (
	"encoding/json"
	"slices"
	"strings"
)

// ScopeNames returns the names of the declared scopes in display order.
func (p *Profile) ScopeNames() []string {
	out := make([]string, len(p.Permissions.Scopes))
	for i, s := range p.Permissions.Scopes {
		out[i] = s.Name
	}
	return out
}

// Grants reports whether a key holding scopes may call a route that needs
// need: one scope, or several separated by spaces (as OAuth writes them),
// all of which are needed. Model none and an empty need grant everything.
// A held scope also grants what Implies says it implies, transitively;
// under model readwrite "write" always grants "read", as the model defines.
func (p *Profile) Grants(scopes []string, need string) bool {
	if need == "" || p.Permissions.Model == PermNone || p.Permissions.Model == "" {
		return true
	}
	if strings.IndexByte(need, ' ') < 0 {
		return p.grantsOne(scopes, need)
	}
	for _, n := range strings.Fields(need) {
		if !p.grantsOne(scopes, n) {
			return false
		}
	}
	return true
}

// MissingScopes returns the scopes of need (see Grants) that scopes do not
// grant, separated by spaces: what a refused key lacks.
func (p *Profile) MissingScopes(scopes []string, need string) string {
	var out []string
	for _, n := range strings.Fields(need) {
		if !p.Grants(scopes, n) {
			out = append(out, n)
		}
	}
	return strings.Join(out, " ")
}

func (p *Profile) grantsOne(scopes []string, need string) bool {
	if slices.Contains(scopes, need) { // the common case, without allocating
		return true
	}
	seen := make(map[string]bool, len(scopes))
	queue := slices.Clone(scopes)
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if seen[s] {
			continue
		}
		if s == need {
			return true
		}
		seen[s] = true
		queue = append(queue, p.Permissions.Implies[s]...)
		if p.Permissions.Model == PermReadWrite && s == "write" {
			queue = append(queue, "read")
		}
	}
	return false
}

// HasTenant reports whether id is one of the profile's tenants.
func (p *Profile) HasTenant(id string) bool {
	return p.tenant(id) != nil
}

// TenantObject returns the JSON a "tenant" route answers for id: the
// tenant's Object, or {"id": id} when it has none. It returns nil for an
// unknown tenant.
func (p *Profile) TenantObject(id string) json.RawMessage {
	t := p.tenant(id)
	if t == nil {
		return nil
	}
	if len(t.Object) > 0 {
		return t.Object
	}
	b, err := json.Marshal(map[string]string{"id": id})
	if err != nil {
		return nil // a string map always marshals
	}
	return b
}

func (p *Profile) tenant(id string) *Tenant {
	for i := range p.Tenancy.Tenants {
		if p.Tenancy.Tenants[i].ID == id {
			return &p.Tenancy.Tenants[i]
		}
	}
	return nil
}
