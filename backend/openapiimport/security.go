package openapiimport

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"mockgate/backend/profile"
)

// securityMap is how the document's security became the profile's.
type securityMap struct {
	// names maps a document scheme to its profile scheme, for those
	// mapped.
	names map[string]string
	// scoped are the document schemes whose keys carry scopes.
	scoped map[string]bool
	// scopes maps a document scope to its profile name (made to fit the
	// scope syntax when it did not).
	scopes map[string]string
}

var schemeBad = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// security maps every scheme the document declares to a named place keys
// are read from (auth.schemes), oauth2 and openIdConnect scopes to the
// profile's scopes, and each operation's requirements to its security:
// alternatives (OR) of schemes all needed at once (AND), or public for
// security: []. A document without a scheme the engine can check keeps
// the Authorization header with a bearer key.
func (im *importer) security() {
	im.p.Auth = profile.Auth{Header: "Authorization", Scheme: "Bearer"}
	im.sec = securityMap{names: map[string]string{}, scoped: map[string]bool{}, scopes: map[string]string{}}
	var schemes openapi3.SecuritySchemes
	if im.t.Components != nil {
		schemes = im.t.Components.SecuritySchemes
	}
	names := orderedKeys(schemes, func(r *openapi3.SecuritySchemeRef) *openapi3.Origin { return r.Origin })
	usage := map[string]int{}
	for _, o := range im.ops {
		seen := map[string]bool{}
		for _, req := range im.requirements(o) {
			for name := range req {
				if !seen[name] {
					seen[name] = true
					usage[name]++
				}
			}
		}
	}
	var vocab []profile.Scope
	var places []profile.AuthScheme
	for _, name := range names {
		ref := schemes[name]
		if ref == nil || ref.Value == nil {
			continue
		}
		s := ref.Value
		im.sum.Security = append(im.sum.Security, SchemeSummary{Name: name, Type: describeScheme(s), Operations: usage[name]})
		if !mappable(s) {
			im.sum.Security[len(im.sum.Security)-1].MappedTo = "not mapped: " + unmappableWhy(s)
			im.gap("securitySchemes."+name, "%s", unmappableWhy(s))
			continue
		}
		place := placeFor(s)
		place.Name = im.schemeName(name, places)
		place.Description = oneLine(s.Description)
		if s.Type == "oauth2" || s.Type == "openIdConnect" {
			scopes := im.scopeVocabulary(name, s, vocab)
			vocab = append(vocab, scopes...)
			place.Scoped = true
			im.sec.scoped[name] = true
		}
		if s.Type == "http" && strings.EqualFold(s.BearerFormat, "JWT") {
			im.gap("securitySchemes."+name, "bearerFormat JWT: mockgate's keys are opaque random strings, not JWTs, and no claims are read")
		}
		places = append(places, place)
		im.sec.names[name] = place.Name
	}
	if len(vocab) > 0 {
		im.p.Permissions = profile.Permissions{Model: profile.PermScopes, Scopes: vocab}
	} else {
		im.p.Permissions = profile.Permissions{Model: profile.PermNone}
		for i := range places {
			places[i].Scoped = false // openIdConnect without a scope anywhere: nothing to carry
		}
	}
	if len(places) > 0 {
		im.p.Auth = profile.Auth{Schemes: places}
	}
	for i := range im.sum.Security {
		sum := &im.sum.Security[i]
		pn, ok := im.sec.names[sum.Name]
		if !ok {
			continue
		}
		pl := im.p.Auth.SchemeNamed(pn)
		sum.MappedTo = mappedHow(*pl)
		if pl.Scoped {
			sum.MappedTo += "; a key holds every scope the document defines unless created with --scopes, and each operation needs the scopes its security names for this scheme"
			for _, sc := range im.schemeScopes(sum.Name, schemes[sum.Name].Value) {
				sum.Scopes = append(sum.Scopes, im.sec.scopes[sc])
			}
		}
	}
	for _, o := range im.ops {
		im.operationSecurity(o)
	}
}

// schemeName is the profile name of a document scheme: the same, unless
// it has characters a scheme name cannot hold or is too long.
func (im *importer) schemeName(name string, taken []profile.AuthScheme) string {
	base := schemeBad.ReplaceAllString(name, "_")
	if len(base) > 60 {
		base = base[:60]
	}
	if base == "" {
		base = "scheme"
	}
	fit := base
	for i := 2; slices.ContainsFunc(taken, func(s profile.AuthScheme) bool { return s.Name == fit }); i++ {
		fit = fmt.Sprintf("%s_%d", base, i)
	}
	if fit != name {
		im.gap("securitySchemes."+name, "its name has characters (or a length) a profile's scheme name cannot hold: it is %q in the profile", fit)
	}
	return fit
}

// requirements are the operation's security alternatives: its own, else
// the document's.
func (im *importer) requirements(o *operation) openapi3.SecurityRequirements {
	if o.op.Security != nil {
		return *o.op.Security
	}
	return im.t.Security
}

// mappable says whether a key can be read the way the scheme says.
func mappable(s *openapi3.SecurityScheme) bool {
	switch s.Type {
	case "apiKey":
		return (s.In == "header" || s.In == "query" || s.In == "cookie") && s.Name != ""
	case "http":
		return strings.EqualFold(s.Scheme, "bearer") || strings.EqualFold(s.Scheme, "basic")
	case "oauth2", "openIdConnect":
		return true
	}
	return false
}

func unmappableWhy(s *openapi3.SecurityScheme) string {
	switch s.Type {
	case "http":
		return fmt.Sprintf("HTTP %q authentication: keys are checked as Bearer or Basic credentials, an API key or OAuth tokens", s.Scheme)
	case "mutualTLS":
		return "mutual TLS: the mock APIs listen on plain HTTP"
	case "apiKey":
		if s.Name == "" {
			return "an API key without a name: there is no header, query parameter or cookie to read it from"
		}
		return fmt.Sprintf("an API key in %q: keys are read from a header, a query parameter or a cookie", s.In)
	}
	return fmt.Sprintf("scheme type %q is not known", s.Type)
}

func describeScheme(s *openapi3.SecurityScheme) string {
	switch s.Type {
	case "apiKey":
		return fmt.Sprintf("apiKey in %s %s", s.In, s.Name)
	case "http":
		return "http " + strings.ToLower(s.Scheme)
	}
	return s.Type
}

// placeFor is where a mappable scheme's key is read from.
func placeFor(s *openapi3.SecurityScheme) profile.AuthScheme {
	switch {
	case s.Type == "apiKey" && s.In == "query":
		return profile.AuthScheme{Query: s.Name}
	case s.Type == "apiKey" && s.In == "cookie":
		return profile.AuthScheme{Cookie: s.Name}
	case s.Type == "apiKey":
		return profile.AuthScheme{Header: s.Name}
	case s.Type == "http" && strings.EqualFold(s.Scheme, "basic"):
		return profile.AuthScheme{Header: "Authorization", Scheme: profile.SchemeBasic}
	}
	return profile.AuthScheme{Header: "Authorization", Scheme: "Bearer"} // bearer, oauth2, openIdConnect
}

// mappedHow says, for the summary, how a scheme's keys are checked.
func mappedHow(s profile.AuthScheme) string {
	switch {
	case s.Scheme == profile.SchemeBasic:
		return "keys are read from the Authorization header as the user name of Basic credentials; the password is not checked"
	case s.Scheme != "":
		return "keys are read from " + s.Place() + " as " + s.Scheme + " <key>"
	case s.Query != "":
		return "keys are read from " + s.Place() + ", only on the operations whose security names this scheme"
	}
	return "keys are read from " + s.Place()
}

// scopeVocabulary adds a scoped scheme's scopes to the vocabulary (which
// has those of the schemes before it): an oauth2 scheme's flows' scopes in
// the document's order, then any other scope an operation's requirement
// names for it (openIdConnect declares none).
func (im *importer) scopeVocabulary(name string, s *openapi3.SecurityScheme, have []profile.Scope) []profile.Scope {
	var out []profile.Scope
	taken := func(fit string) bool {
		has := func(sc profile.Scope) bool { return sc.Name == fit }
		return slices.ContainsFunc(have, has) || slices.ContainsFunc(out, has)
	}
	descs := map[string]string{}
	if s.Flows != nil {
		for _, f := range flows(s) {
			for sc, d := range f.Scopes {
				if descs[sc] == "" {
					descs[sc] = d
				}
			}
		}
	}
	for _, sc := range im.schemeScopes(name, s) {
		if _, done := im.sec.scopes[sc]; done {
			continue // another scheme declared it
		}
		fit := scopeBad.ReplaceAllString(sc, "_")
		for i := 2; taken(fit); i++ {
			fit = fmt.Sprintf("%s_%d", scopeBad.ReplaceAllString(sc, "_"), i)
		}
		if fit != sc {
			im.gap("scope "+sc, "has characters a scope name cannot hold (letters, digits and _ . : / -): it is %q in the profile", fit)
		}
		im.sec.scopes[sc] = fit
		out = append(out, profile.Scope{Name: fit, Description: oneLine(descs[sc])})
	}
	return out
}

// schemeScopes are the scopes of a scheme, as the document names them: its
// flows' in the document's order, then those only requirements name.
func (im *importer) schemeScopes(name string, s *openapi3.SecurityScheme) []string {
	var out []string
	add := func(sc string) {
		if !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	if s.Flows != nil {
		for _, f := range flows(s) {
			for _, sc := range flowScopes(f) {
				add(sc)
			}
		}
	}
	for _, o := range im.ops {
		for _, req := range im.requirements(o) {
			for _, sc := range req[name] {
				add(sc)
			}
		}
	}
	return out
}

func flows(s *openapi3.SecurityScheme) []*openapi3.OAuthFlow {
	var out []*openapi3.OAuthFlow
	for _, f := range []*openapi3.OAuthFlow{s.Flows.Implicit, s.Flows.Password, s.Flows.ClientCredentials, s.Flows.AuthorizationCode} {
		if f != nil {
			out = append(out, f)
		}
	}
	return out
}

// flowScopes are a flow's scope names in the document's order.
func flowScopes(f *openapi3.OAuthFlow) []string {
	names := slices.Sorted(maps.Keys(f.Scopes))
	if f.Origin == nil || len(f.Origin.Sequences["scopes"]) == 0 {
		return names
	}
	line := map[string]int{}
	for _, loc := range f.Origin.Sequences["scopes"] {
		line[loc.Name] = loc.Line
	}
	sort.SliceStable(names, func(i, j int) bool { return line[names[i]] < line[names[j]] })
	return names
}

// operationSecurity gives an operation its security, or makes it public,
// and records what of its requirements the profile cannot check.
func (im *importer) operationSecurity(o *operation) {
	reqs := im.requirements(o)
	where := o.where()
	if len(reqs) == 0 {
		o.public = true
	}
	for _, req := range reqs {
		if len(req) == 0 {
			o.public = true
			im.gap(where, "its security lists {} (no credential) as an alternative, so a key is optional: served as public")
			break
		}
	}
	o.sum.Public = o.public
	if o.public {
		return
	}
	var sec profile.Security
	var dropped, alts []string
	for _, req := range reqs {
		docNames := slices.Sorted(maps.Keys(req))
		pr := profile.Requirement{}
		ok := true
		for _, n := range docNames {
			pn, mapped := im.sec.names[n]
			if !mapped {
				ok = false
				break
			}
			scopes := []string{}
			if im.sec.scoped[n] && im.p.Permissions.Model == profile.PermScopes {
				for _, sc := range req[n] {
					if fit := im.sec.scopes[sc]; fit != "" && !slices.Contains(scopes, fit) {
						scopes = append(scopes, fit)
					}
				}
			} else if len(req[n]) > 0 {
				im.gap(where, "the role names %s its security gives %s are not checked: that scheme's keys carry no scopes", strings.Join(req[n], ", "), n)
			}
			pr[pn] = scopes
		}
		if !ok {
			dropped = append(dropped, strings.Join(docNames, " and "))
			continue
		}
		sec = append(sec, pr)
		alts = append(alts, describeRequirement(pr, im.p.Auth.Schemes))
	}
	switch {
	case len(im.p.Auth.Schemes) == 0:
		// No scheme is mapped: the key is read from the one default place.
		if len(dropped) > 0 {
			im.gap(where, "accepts only %s, which is not mapped: the route takes a key from %s", strings.Join(dropped, " or "), im.p.Auth.Place())
		}
		return
	case len(sec) == 0:
		im.gap(where, "accepts only %s, which is not mapped: the route accepts a key in any scheme of the profile", strings.Join(dropped, " or "))
		return
	case len(dropped) > 0:
		im.gap(where, "the alternative %s is not mapped: only the others are accepted", strings.Join(dropped, " or "))
	}
	o.security = sec
	o.sum.Security = strings.Join(alts, " | ")
	var need []string
	for _, pr := range sec {
		for _, n := range slices.Sorted(maps.Keys(pr)) {
			for _, sc := range pr[n] {
				if !slices.Contains(need, sc) {
					need = append(need, sc)
				}
			}
		}
	}
	o.sum.Scopes = strings.Join(need, " ")
}

// describeRequirement writes one alternative for the summary, its schemes
// in the profile's order: "api_key", "petstore_auth [write:pets read:pets]",
// "api_key + session".
func describeRequirement(req profile.Requirement, schemes []profile.AuthScheme) string {
	var parts []string
	for _, s := range schemes {
		scopes, in := req[s.Name]
		if !in {
			continue
		}
		p := s.Name
		if len(scopes) > 0 {
			p += " [" + strings.Join(scopes, " ") + "]"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " + ")
}
