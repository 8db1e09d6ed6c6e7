// Package openapi derives the OpenAPI 3.1 document of a mock API from its
// profile: the security scheme, every endpoint the engine serves (from
// profile.Endpoints, so the two cannot drift), parameters, request bodies,
// the resources' schemas, the list envelope, and for each operation the
// error responses it can really answer, in the profile's error envelope.
package openapi

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"mockgate/backend/profile"
)

// Version is the OpenAPI version of the generated documents.
const Version = "3.1.0"

// Generate returns the OpenAPI 3.1 document of p as indented JSON, for a
// server reached at serverURL (e.g. "http://localhost:7701"). The same
// profile and URL always give the same bytes.
func Generate(p *profile.Profile, serverURL string) ([]byte, error) {
	if p == nil {
		return nil, errors.New("openapi: nil profile")
	}
	g := &gen{
		p:           p,
		schemas:     newObj(),
		responses:   newObj(),
		schemaNames: map[string]bool{},
		respNames:   map[string]string{},
		res:         map[*profile.Resource]resourceNames{},
		opIDs:       map[string]bool{},
		usesCode:    p.Errors.UsesCode(),
		errorByKey:  map[string]string{},
	}
	g.registerSchemas()
	if err := g.buildSchemas(); err != nil {
		return nil, fmt.Errorf("openapi: profile %q: %w", p.ID, err)
	}
	paths, err := g.paths()
	if err != nil {
		return nil, fmt.Errorf("openapi: profile %q: %w", p.ID, err)
	}
	schemes, security := g.securitySchemes()
	components := newObj().
		set("schemas", g.schemas).
		set("responses", g.responses)
	if h := g.headerComponents(); h.len() > 0 {
		components.set("headers", h)
	}
	components.set("securitySchemes", schemes)

	doc := newObj().
		set("openapi", Version).
		set("info", g.info()).
		set("servers", g.servers(serverURL)).
		set("security", security).
		set("tags", g.tags()).
		set("paths", paths).
		set("components", components)
	raw, err := marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("openapi: profile %q: %w", p.ID, err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		return nil, fmt.Errorf("openapi: profile %q: %w", p.ID, err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

type gen struct {
	p           *profile.Profile
	schemas     *obj // components.schemas
	responses   *obj // components.responses
	schemaNames map[string]bool
	respNames   map[string]string // status and kinds → response name
	res         map[*profile.Resource]resourceNames
	errorSchema string
	// errorByKey names the schema of each errors.byStatus template, by key.
	errorByKey   map[string]string
	tenantSchema string
	opIDs        map[string]bool
	usesCode     bool // the error envelope carries $code
}

func (g *gen) info() *obj {
	p := g.p
	var d strings.Builder
	d.WriteString(strings.TrimSpace(p.Description))
	if len(p.Notes) > 0 {
		d.WriteString("\n\nNotes:\n")
		for _, n := range p.Notes {
			d.WriteString("\n- " + n)
		}
	}
	if len(p.Errors.ByStatus) == 0 {
		d.WriteString("\n\nErrors (every error answers the envelope of the Error schema):")
	} else {
		d.WriteString("\n\nErrors (each status answers the envelope its response names):")
	}
	d.WriteString("\n\n| kind | status | code | message |\n|---|---|---|---|")
	for _, k := range profile.Kinds {
		a := p.Answer(k)
		code := ""
		if g.usesCode {
			code = "`" + a.Code + "`"
		}
		fmt.Fprintf(&d, "\n| `%s` | %d | %s | %s |", k, a.Status, code, strings.ReplaceAll(a.Message, "|", `\|`))
	}
	return newObj().set("title", p.Name).set("version", p.Version).set("description", strings.TrimSpace(d.String()))
}

// servers names the mock's address. Under subdomain tenancy the engine
// takes the tenant from the Host's first label (demo.localhost), so the
// first server has a variable for it and the second is the bare host,
// which the engine serves as the default tenant.
func (g *gen) servers(serverURL string) []any {
	serverURL = strings.TrimSuffix(serverURL, "/")
	if serverURL == "" {
		serverURL = "/"
	}
	t := g.p.Tenancy
	if t.Kind != profile.TenancySubdomain {
		return []any{newObj().set("url", serverURL)}
	}
	label := cmp.Or(t.Label, "account")
	u, err := url.Parse(serverURL)
	host := ""
	if err == nil {
		host = u.Hostname()
	}
	if host == "" || net.ParseIP(host) != nil {
		return []any{newObj().set("url", serverURL).set("description",
			fmt.Sprintf("The %s is the first label of the Host (%s.localhost); this address has none, so requests use the default %s %q.", label, t.Default, label, t.Default))}
	}
	bare := u.Host
	if labels := strings.Split(host, "."); len(labels) >= 3 || len(labels) == 2 && labels[1] == "localhost" {
		bare = strings.TrimPrefix(u.Host, labels[0]+".") // a tenant is already in the Host
	}
	rest := strings.TrimSuffix(u.EscapedPath(), "/")
	variable := "account"
	return []any{
		newObj().set("url", u.Scheme+"://{"+variable+"}."+bare+rest).
			set("description", fmt.Sprintf("The %s is the Host's first label.", label)).
			set("variables", newObj().set(variable, newObj().
				set("default", t.Default).
				set("description", fmt.Sprintf("The %s: one of %s. Another answers 404.", label, g.tenantList())))),
		newObj().set("url", u.Scheme+"://"+bare+rest).
			set("description", fmt.Sprintf("Without a subdomain: the default %s %q.", label, t.Default)),
	}
}

func (g *gen) tenantList() string {
	ids := make([]string, len(g.p.Tenancy.Tenants))
	for i, t := range g.p.Tenancy.Tenants {
		ids[i] = strconv.Quote(t.ID)
	}
	return strings.Join(ids, ", ")
}

// securitySchemes are the document's schemes and its default security:
// the profile's one place, or each scheme of auth.schemes (any one of
// which an endpoint without its own security accepts).
func (g *gen) securitySchemes() (*obj, []any) {
	if len(g.p.Auth.Schemes) == 0 {
		name, scheme := g.securityScheme()
		return newObj().set(name, scheme), []any{newObj().set(name, []string{})}
	}
	schemes := newObj()
	var security []any
	for _, s := range g.p.Auth.Schemes {
		schemes.set(s.Name, g.namedScheme(s))
		security = append(security, newObj().set(s.Name, []string{}))
	}
	return schemes, security
}

// namedScheme describes one scheme of auth.schemes. A scoped scheme is
// HTTP bearer too: the scopes an operation needs are in its security.
func (g *gen) namedScheme(s profile.AuthScheme) *obj {
	desc := strings.TrimSpace(s.Description)
	if s.Scoped {
		desc = strings.TrimSpace(desc + " The key carries scopes: each operation's security names those it needs.")
	}
	o := newObj()
	switch {
	case s.Query != "":
		o.set("type", "apiKey").set("in", "query").set("name", s.Query)
	case s.Cookie != "":
		o.set("type", "apiKey").set("in", "cookie").set("name", s.Cookie)
	case strings.EqualFold(s.Scheme, profile.SchemeBasic) && http.CanonicalHeaderKey(s.Header) == "Authorization":
		o.set("type", "http").set("scheme", "basic")
		desc = strings.TrimSpace(desc + " The key is the user name; the password is not checked.")
	case strings.EqualFold(s.Scheme, "Bearer") && http.CanonicalHeaderKey(s.Header) == "Authorization":
		o.set("type", "http").set("scheme", "bearer")
	default:
		o.set("type", "apiKey").set("in", "header").set("name", s.Header)
		if s.Scheme != "" {
			desc = strings.TrimSpace("Send `" + s.Header + ": " + s.Scheme + " <key>`. " + desc)
		}
	}
	if desc != "" {
		o.set("description", desc)
	}
	return o
}

// securityScheme describes how a key is sent: HTTP bearer when the profile
// says "Authorization: Bearer <key>", otherwise an API key in its header.
func (g *gen) securityScheme() (string, *obj) {
	p := g.p
	var d strings.Builder
	fmt.Fprintf(&d, "Keys are `%s` followed by %d %s characters.", p.KeyFormat.Prefix, p.KeyFormat.Length, alphabetName(p.KeyFormat.Alphabet))
	if p.KeyFormat.Enforce {
		d.WriteString(" A key of another shape answers `malformed_key`.")
	}
	switch {
	case len(p.Auth.QueryParams) > 0:
		fmt.Fprintf(&d, " A key in the query string (%s) is refused with `key_in_query`.", strings.Join(p.Auth.QueryParams, ", "))
	case p.Auth.Query != "":
	default:
		fmt.Fprintf(&d, " A key in the query string is not read: it is ignored, and only %s authenticates.", p.Auth.Place())
	}
	switch p.Permissions.Model {
	case profile.PermReadWrite:
		d.WriteString(" A key carries `read` permission (GET) or `write` permission (everything).")
	case profile.PermScopes:
		d.WriteString(" A key carries scopes; each endpoint names the ones it needs (`x-required-scope`, space-separated when several are):")
		for _, s := range p.Permissions.Scopes {
			fmt.Fprintf(&d, "\n- `%s`", s.Name)
			if s.Description != "" {
				d.WriteString(": " + s.Description)
			}
		}
	}
	switch {
	case p.Auth.Query != "":
		return "apiKeyAuth", newObj().set("type", "apiKey").set("in", "query").set("name", p.Auth.Query).
			set("description", "Send the key in the query parameter `"+p.Auth.Query+"`. "+d.String())
	case p.Auth.Cookie != "":
		return "apiKeyAuth", newObj().set("type", "apiKey").set("in", "cookie").set("name", p.Auth.Cookie).
			set("description", "Send the key in the cookie `"+p.Auth.Cookie+"`. "+d.String())
	case strings.EqualFold(p.Auth.Scheme, profile.SchemeBasic) && http.CanonicalHeaderKey(p.Auth.Header) == "Authorization":
		return "basicAuth", newObj().set("type", "http").set("scheme", "basic").
			set("description", "Send the key as the user name of HTTP Basic credentials, `Authorization: Basic base64(<key>:)`; the password is not checked. "+d.String())
	}
	if strings.EqualFold(p.Auth.Scheme, "Bearer") && http.CanonicalHeaderKey(p.Auth.Header) == "Authorization" {
		return "bearerAuth", newObj().set("type", "http").set("scheme", "bearer").
			set("bearerFormat", p.KeyFormat.Prefix+"<"+strconv.Itoa(p.KeyFormat.Length)+" "+p.KeyFormat.Alphabet+">").
			set("description", "Send `Authorization: Bearer <key>`. "+d.String())
	}
	how := "`" + p.Auth.Header + ": <key>`"
	if p.Auth.Scheme != "" {
		how = "`" + p.Auth.Header + ": " + p.Auth.Scheme + " <key>`"
	}
	return "apiKeyAuth", newObj().set("type", "apiKey").set("in", "header").set("name", p.Auth.Header).
		set("description", "Send "+how+". "+d.String())
}

func alphabetName(a string) string {
	if a == "hex" {
		return "lower-case hexadecimal"
	}
	return a
}

// routeTag groups the non-CRUD routes.
const routeTag = "general"

func (g *gen) tags() []any {
	var out []any
	if len(g.p.Routes) > 0 {
		out = append(out, newObj().set("name", routeTag).set("description", "Routes outside the resources."))
	}
	for _, r := range g.p.Resources {
		out = append(out, newObj().set("name", r.Name).set("description", "The "+r.Name+" records at "+r.Path+"."))
	}
	return out
}

// paths builds one path item per endpoint path, in endpoint order.
func (g *gen) paths() (*obj, error) {
	paths := newObj()
	for _, e := range g.p.Endpoints() {
		item, _ := paths.get(e.Path).(*obj)
		if item == nil {
			item = newObj()
			paths.set(e.Path, item)
		}
		method := strings.ToLower(e.Method)
		if item.has(method) {
			return nil, fmt.Errorf("%s %s is served twice", e.Method, e.Path)
		}
		op, err := g.operation(e)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", e.Method, e.Path, err)
		}
		item.set(method, op)
	}
	return paths, nil
}
