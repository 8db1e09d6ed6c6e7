package profile

import (
	"net/http"
	"slices"
	"strings"
)

// Endpoint kinds, besides the resource operations (OpList...).
const (
	EndpointView   = "view"
	EndpointTenant = RouteTenant
	EndpointStatic = RouteStatic
)

// Endpoint is one method and path the API answers. The engine registers
// exactly these and the OpenAPI document describes exactly these, so the two
// cannot drift apart.
type Endpoint struct {
	Method string
	// Path is the full path with {param} segments, e.g.
	// "/jelouapi/v1/company/{companyId}/campaigns/{id}".
	Path string
	// Kind is an operation (OpList, OpGet, ...) or EndpointView,
	// EndpointTenant, EndpointStatic.
	Kind string
	// Scope is the permission the endpoint needs ("" when none): a scope
	// name, or several separated by spaces when all are needed.
	Scope string
	// Public endpoints answer without a key.
	Public bool
	// Security is what a protected endpoint of a profile with auth.schemes
	// accepts: its own, else any one scheme alone. Nil for a profile with
	// one place for keys, and for a public endpoint.
	Security Security
	// Resource is set for operations and views.
	Resource *Resource
	// View is set for EndpointView.
	View *View
	// Route is set for EndpointTenant and EndpointStatic.
	Route *Route
}

// IDParam is the path parameter naming a record.
const IDParam = "id"

// Ops returns the resource's operations, defaulting to all five.
func (r *Resource) Ops() []string {
	if len(r.Operations) == 0 {
		return []string{OpList, OpGet, OpCreate, OpUpdate, OpDelete}
	}
	return r.Operations
}

// Has reports whether the resource offers op.
func (r *Resource) Has(op string) bool {
	for _, o := range r.Ops() {
		if o == op {
			return true
		}
	}
	return false
}

// UpdateVerbs returns the methods of OpUpdate, defaulting to PUT and PATCH.
func (r *Resource) UpdateVerbs() []string {
	if len(r.UpdateMethods) == 0 {
		return []string{http.MethodPut, http.MethodPatch}
	}
	return r.UpdateMethods
}

// Prefix returns BasePath joined with the tenant path prefix, if any.
func (p *Profile) Prefix() string {
	if p.Tenancy.Kind == TenancyPath && p.Tenancy.PathPrefix != "" {
		return p.BasePath + "/" + p.Tenancy.PathPrefix
	}
	return p.BasePath
}

func joinPath(prefix, rel string) string {
	rel = strings.Trim(rel, "/")
	if rel == "" {
		return prefix
	}
	return prefix + "/" + rel
}

// Endpoints lists every endpoint of the profile: custom routes first, then
// each resource's operations and views, in profile order.
func (p *Profile) Endpoints() []Endpoint {
	prefix := p.Prefix()
	var out []Endpoint
	anyOne := p.anyScheme()
	for i := range p.Routes {
		rt := &p.Routes[i]
		e := Endpoint{Method: strings.ToUpper(rt.Method), Path: joinPath(prefix, rt.Path), Kind: rt.Kind, Scope: rt.Scope, Public: rt.Public, Route: rt}
		if rt.Security != nil {
			e.Public = e.Public || len(*rt.Security) == 0
			e.Security = *rt.Security
		}
		out = append(out, e.secured(anyOne))
	}
	for i := range p.Resources {
		r := &p.Resources[i]
		coll := joinPath(prefix, r.Path)
		item := coll + "/{" + IDParam + "}"
		for _, op := range r.Ops() {
			e := Endpoint{Kind: op, Resource: r, Scope: r.ReadScope, Public: slices.Contains(r.PublicOperations, op)}
			if sec, ok := r.Security[op]; ok {
				e.Public = e.Public || len(sec) == 0
				e.Security = sec
			}
			e = e.secured(anyOne)
			switch op {
			case OpList:
				e.Method, e.Path = http.MethodGet, coll
			case OpGet:
				e.Method, e.Path = http.MethodGet, item
			case OpCreate:
				e.Method, e.Path, e.Scope = http.MethodPost, coll, r.WriteScope
			case OpDelete:
				e.Method, e.Path, e.Scope = http.MethodDelete, item, r.WriteScope
			case OpUpdate:
				for _, m := range r.UpdateVerbs() {
					out = append(out, Endpoint{Method: strings.ToUpper(m), Path: item, Kind: op, Scope: r.WriteScope, Public: e.Public, Security: e.Security, Resource: r})
				}
				continue
			}
			out = append(out, e)
		}
		for j := range r.Views {
			v := &r.Views[j]
			// A view is a read of the record: it accepts what get does.
			ve := Endpoint{Method: http.MethodGet, Path: item + "/" + v.Name, Kind: EndpointView, Scope: v.Scope, Resource: r, View: v}
			if sec, ok := r.Security[OpGet]; ok && len(sec) > 0 {
				ve.Security = sec
			}
			out = append(out, ve.secured(anyOne))
		}
	}
	return out
}

// anyScheme is what an endpoint without its own security accepts in a
// profile with auth.schemes: a key in any one of them, scopes aside.
func (p *Profile) anyScheme() Security {
	if len(p.Auth.Schemes) == 0 {
		return nil
	}
	out := make(Security, len(p.Auth.Schemes))
	for i, s := range p.Auth.Schemes {
		out[i] = Requirement{s.Name: nil}
	}
	return out
}

// secured settles e's Security: none when public or when the profile has
// one place for keys (anyOne nil), the default where it has none.
func (e Endpoint) secured(anyOne Security) Endpoint {
	switch {
	case e.Public || anyOne == nil:
		e.Security = nil
	case len(e.Security) == 0:
		e.Security = anyOne
	}
	return e
}

// Need is the scopes a key sent under alt needs on e, separated by spaces:
// e's Scope and those alt names for its scoped schemes.
func (p *Profile) Need(e *Endpoint, alt Requirement) string {
	need := strings.Fields(e.Scope)
	for _, s := range p.Auth.Schemes { // in declaration order, for stable messages
		for _, sc := range alt[s.Name] {
			if !slices.Contains(need, sc) {
				need = append(need, sc)
			}
		}
	}
	return strings.Join(need, " ")
}
