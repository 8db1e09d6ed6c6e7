package conformance

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"mockgate/backend/mockapi"
	"mockgate/backend/profile"
)

// UnknownRoute is the path segment, under the API's base path, that no
// profile names.
const UnknownRoute = "mockgate-conformance-no-such-route"

// Matrix derives the negative cases of p, in the order a run sends them.
// The rate-limit case comes last: it spends its key's window. A case that
// does not apply to p (a wrong scheme where the key is the whole header,
// another tenant where there are none) is left out.
func Matrix(p *profile.Profile) []Case {
	if len(p.Endpoints()) == 0 {
		return nil // a valid profile always has one; nothing to call otherwise
	}
	m := matrix{p: p}
	probe := m.probe()
	get := func(role string) Request { return Request{Method: probe.Method, Path: m.path(probe), Role: role} }
	literal := func(key, scheme string) Request {
		return Request{Method: probe.Method, Path: m.path(probe), Key: key, Scheme: scheme}
	}
	unknown := p.KeyFormat.Prefix + strings.Repeat("0", p.KeyFormat.Length)

	m.add("no-credential", "no credential", get(""), profile.KindMissingKey)
	if p.Auth.Scheme != "" { // not with auth.schemes: another alternative may take the header
		m.add("wrong-scheme", "the key under the Basic scheme", literal(unknown, "Basic"), profile.KindWrongScheme)
	}
	malformed := profile.KindInvalidKey // a key of another shape is just unknown where the shape is not enforced
	if p.KeyFormat.Enforce {
		malformed = profile.KindMalformedKey
	}
	m.add("malformed-key", "a key not of the format "+p.KeyFormat.Prefix+"<"+strconv.Itoa(p.KeyFormat.Length)+" "+p.KeyFormat.Alphabet+">",
		literal(unknown[:len(unknown)-1], ""), malformed)
	m.add("unknown-key", "a well-formed key that does not exist", literal(unknown, ""), profile.KindInvalidKey)
	m.add("revoked-key", "a revoked key", get(RoleRevoked), profile.KindRevokedKey)
	m.add("deleted-key", "a deleted key", get(RoleDeleted), profile.KindInvalidKey)
	m.add("expired-key", "an expired key", get(RoleExpired), profile.KindExpiredKey)
	for _, g := range m.scopeGroups() {
		m.add("missing-scope:"+g.scope, "a key without "+g.scope+" on "+g.ep.Method+" "+g.ep.Path, m.call(g.ep, g.role), profile.KindInsufficientScope)
		m.last().Expect.Mentions = m.detail(profile.KindInsufficientScope, strings.Fields(g.scope)[0]) // what the key lacks
	}
	if p.Tenancy.Kind != profile.TenancyNone && otherTenant(p) != "" {
		m.add("other-tenant", "a key of another "+orWord(p.Tenancy.Label, "tenant"), get(RoleOtherTenant), profile.KindWrongTenant)
	}
	if p.Integrations != nil {
		m.add("inactive-integration", "a key of an inactive integration", get(RoleInactiveIntegration), profile.KindIntegrationInactive)
	}
	if list := m.first(func(e profile.Endpoint) bool { return e.Kind == profile.OpList }); list != nil {
		pg := p.Pagination
		path := m.path(*list) + "?" + pg.SizeParam + "="
		if pg.MaxSize > 0 {
			m.add("page-size-over-max", pg.SizeParam+" over its maximum of "+strconv.Itoa(pg.MaxSize),
				Request{Method: http.MethodGet, Path: path + strconv.Itoa(pg.MaxSize+1), Role: RoleValid}, profile.KindBadRequest)
			m.last().Expect.Mentions = m.detail(profile.KindBadRequest, pg.SizeParam)
		}
		m.add("page-size-not-a-number", pg.SizeParam+" that is not a number",
			Request{Method: http.MethodGet, Path: path + "ten", Role: RoleValid}, profile.KindBadRequest)
		m.last().Expect.Mentions = m.detail(profile.KindBadRequest, pg.SizeParam)
	}
	if create := m.first(func(e profile.Endpoint) bool { return e.Kind == profile.OpCreate }); create != nil {
		post := func(contentType, body string, size int) Request {
			return Request{Method: create.Method, Path: m.path(*create), Role: RoleValid, ContentType: contentType, Body: body, BodySize: size}
		}
		m.add("malformed-json", "a body that is not JSON", post("application/json", `{"name": "mockgate",`, 0), profile.KindInvalidJSON)
		m.add("wrong-content-type", "a JSON body sent as text/plain", post("text/plain", `{}`, 0), profile.KindUnsupportedMedia)
		m.last().Expect.Mentions = m.detail(profile.KindUnsupportedMedia, "application/json")
		m.add("body-over-limit", "a body over the limit of "+strconv.Itoa(mockapi.MaxBody)+" bytes",
			post("application/json", "", mockapi.MaxBody+1), profile.KindPayloadTooLarge)
	}
	m.add("unknown-route", "an unknown route", Request{Method: http.MethodGet, Path: m.fill(p.Prefix()) + "/" + UnknownRoute, Role: RoleValid},
		profile.KindRouteNotFound)
	if e, method, allowed := m.wrongMethod(); method != "" {
		m.add("wrong-method", method+" on "+e.Path, Request{Method: method, Path: m.path(e), Role: RoleValid}, profile.KindMethodNotAllowed)
		m.last().Expect.Headers = append(m.last().Expect.Headers, HeaderRule{Name: "Allow", Lists: allowed, Omits: method})
	}
	if limit := p.RateLimit.PerMinute; limit > 0 {
		r := get(RoleRateLimit)
		if probe.Kind == profile.OpList {
			r.Path += "?" + p.Pagination.SizeParam + "=1" // the smallest page: the window is spent fast
		}
		r.Repeat = limit
		m.add("rate-limit", "request "+strconv.Itoa(limit+1)+" in a minute, past the limit of "+strconv.Itoa(limit), r, profile.KindRateLimited)
	}
	return m.cases
}

type matrix struct {
	p     *profile.Profile
	cases []Case
}

// add appends a case answered by kind: the profile's answer, in JSON, with
// the rate-limit headers where the request passes authentication.
func (m *matrix) add(id, name string, r Request, kind string) {
	a := m.p.Answer(kind)
	e := Expect{Kind: kind, Status: a.Status, Code: a.Code, Message: a.Message,
		Headers: []HeaderRule{{Name: "Content-Type", Contains: "json"}}}
	if m.p.RateLimit.PerMinute > 0 {
		switch kind {
		case profile.KindInsufficientScope, profile.KindBadRequest, profile.KindInvalidJSON,
			profile.KindUnsupportedMedia, profile.KindPayloadTooLarge:
			e.Headers = append(e.Headers, m.rateHeaders(false)...)
		case profile.KindRateLimited:
			e.Headers = append(e.Headers, m.rateHeaders(true)...)
		}
	}
	m.cases = append(m.cases, Case{ID: id, Name: name, Request: r, Expect: e})
}

func (m *matrix) last() *Case { return &m.cases[len(m.cases)-1] }

// rateHeaders are the profile's rate-limit headers on an authenticated
// answer; refused adds Retry-After and an empty window.
func (m *matrix) rateHeaders(refused bool) []HeaderRule {
	limit := int64(m.p.RateLimit.PerMinute)
	prefix := "RateLimit-"
	reset := HeaderRule{Min: ptr(0), Max: ptr(60)} // seconds left in the window
	if m.p.RateLimit.Headers == profile.HeadersXRateLimit {
		prefix = "X-RateLimit-"
		reset = HeaderRule{Min: ptr(1)} // the Unix time the window ends
	}
	names := profile.RateLimitHeaderNames{Limit: prefix + "Limit", Remaining: prefix + "Remaining", Reset: prefix + "Reset"}
	if n := m.p.RateLimit.HeaderNames; n != nil {
		names = *n // the vendor's own
	}
	reset.Name = names.Reset
	out := []HeaderRule{{Name: names.Limit, Equals: strconv.FormatInt(limit, 10)}}
	if refused {
		out = append(out, HeaderRule{Name: names.Remaining, Equals: "0"}, reset,
			HeaderRule{Name: "Retry-After", Min: ptr(1), Max: ptr(60)})
	} else {
		out = append(out, HeaderRule{Name: names.Remaining, Min: ptr(0), Max: ptr(limit)}, reset)
	}
	return out
}

func ptr(n int64) *int64 { return &n }

// detail is what the message must mention when the kind's message has a
// {detail} to say it in; "" when it is fixed text.
func (m *matrix) detail(kind, what string) string {
	if strings.Contains(m.p.Answer(kind).Message, "{detail}") {
		return what
	}
	return ""
}

// probe is the endpoint the credential cases call: the first list, else
// the first GET, else the first endpoint.
func (m *matrix) probe() profile.Endpoint {
	if e := m.first(func(e profile.Endpoint) bool { return e.Kind == profile.OpList }); e != nil {
		return *e
	}
	if e := m.first(func(e profile.Endpoint) bool { return e.Method == http.MethodGet }); e != nil {
		return *e
	}
	return m.p.Endpoints()[0]
}

func (m *matrix) first(ok func(profile.Endpoint) bool) *profile.Endpoint {
	for _, e := range m.p.Endpoints() {
		if ok(e) {
			return &e
		}
	}
	return nil
}

// fill names the default tenant in a path.
func (m *matrix) fill(path string) string {
	if t := m.p.Tenancy; t.Kind == profile.TenancyPath && t.Param != "" {
		path = strings.ReplaceAll(path, "{"+t.Param+"}", t.Default)
	}
	return path
}

// path is e's path with the default tenant and the first seeded record.
func (m *matrix) path(e profile.Endpoint) string {
	prefix := ""
	if e.Resource != nil {
		prefix = e.Resource.IDPrefix
	}
	return strings.ReplaceAll(m.fill(e.Path), "{"+profile.IDParam+"}", prefix+"1")
}

// call is a request to e with the key of role: a write sends an empty JSON
// object, which the scope refuses before anything reads it.
func (m *matrix) call(e profile.Endpoint, role string) Request {
	r := Request{Method: e.Method, Path: m.path(e), Role: role}
	if e.Method == http.MethodPost || e.Method == http.MethodPut || e.Method == http.MethodPatch {
		r.ContentType, r.Body = "application/json", "{}"
	}
	return r
}

// scopeGroup is the routes one scope guards, the endpoint a case calls
// and the role of a key without the scope.
type scopeGroup struct {
	scope string
	ep    profile.Endpoint
	role  string
}

// scopeGroups are the scope-guarded groups of routes for which a key can
// lack the scope (under readwrite, every key may read), each with the
// endpoint least likely to change anything: a list, a read, then a write.
func (m *matrix) scopeGroups() []scopeGroup {
	p := m.p
	if p.Permissions.Model == profile.PermNone || p.Permissions.Model == "" {
		return nil
	}
	readOnly := ReadOnlyScopes(p)
	var out []scopeGroup
	seen := map[string]bool{}
	for _, e := range p.Endpoints() {
		s := Need(p, &e)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		if len(WithoutScopes(p, s)) == 0 {
			continue // every key holds it
		}
		g := scopeGroup{scope: s, role: RoleWithout + s}
		if len(readOnly) > 0 && !p.Grants(readOnly, s) {
			g.role = RoleReadOnly
		}
		g.ep = e
		for _, o := range p.Endpoints() {
			if Need(p, &o) == s && uint(callOrder(o)) < uint(callOrder(g.ep)) {
				g.ep = o
			}
		}
		out = append(out, g)
	}
	return out
}

// callOrder ranks an endpoint by how little calling it could change: a
// list first, a delete last (-1, unknown kinds, after all).
func callOrder(e profile.Endpoint) int {
	return slices.Index([]string{profile.OpList, profile.OpGet, profile.EndpointView, profile.EndpointStatic, profile.EndpointTenant,
		profile.OpCreate, profile.OpUpdate, profile.OpDelete}, e.Kind)
}

// ReadOnlyScopes are the scopes only GET routes need: those of a
// read-only key.
func ReadOnlyScopes(p *profile.Profile) []string {
	writes := map[string]bool{}
	for _, e := range p.Endpoints() {
		if e.Method != http.MethodGet {
			writes[Need(p, &e)] = true
		}
	}
	var out []string
	for _, e := range p.Endpoints() {
		if s := Need(p, &e); s != "" && !writes[s] && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// WithoutScopes are the declared scopes that do not grant need (of
// several, its first): those of a key without it (none when every scope
// grants it). Each scope alone may fall short of several needed at once,
// yet all together grant them: the key lacks the first for certain.
func WithoutScopes(p *profile.Profile, need string) []string {
	if f := strings.Fields(need); len(f) > 1 {
		need = f[0]
	}
	var out []string
	for _, s := range p.ScopeNames() {
		if !p.Grants([]string{s}, need) {
			out = append(out, s)
		}
	}
	return out
}

// otherTenant is a tenant of p other than its default.
func otherTenant(p *profile.Profile) string {
	for _, t := range p.Tenancy.Tenants {
		if t.ID != p.Tenancy.Default {
			return t.ID
		}
	}
	return ""
}

// wrongMethod finds an endpoint's path and a method the API does not
// allow on it, with the methods it does allow.
func (m *matrix) wrongMethod() (e profile.Endpoint, method string, allowed []string) {
	byPath := map[string][]string{}
	var eps []profile.Endpoint
	for _, e := range m.p.Endpoints() {
		if _, ok := byPath[e.Path]; !ok {
			eps = append(eps, e)
		}
		byPath[e.Path] = append(byPath[e.Path], e.Method)
	}
	probe := m.probe().Path
	slices.SortStableFunc(eps, func(a, b profile.Endpoint) int { // the probe's path first
		return boolInt(b.Path == probe) - boolInt(a.Path == probe)
	})
	for _, e := range eps {
		for _, try := range []string{http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodPost, http.MethodGet} {
			if !slices.Contains(byPath[e.Path], try) {
				return e, try, byPath[e.Path]
			}
		}
	}
	return profile.Endpoint{}, "", nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func orWord(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
