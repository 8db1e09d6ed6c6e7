package openapiimport

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"mockgate/backend/profile"
)

// securityMap is how the document's security became the profile's.
type securityMap struct {
	// primary is the scheme whose place keys are read from ("" for none).
	primary string
	// scopes maps a document scope to its profile name (made to fit the
	// scope syntax when it did not).
	scopes map[string]string
}

// security picks the scheme most operations use as the place keys are
// read from (a profile reads a key from one place), maps its scopes, and
// gives each operation the scopes it needs or makes it public.
func (im *importer) security() {
	im.p.Auth = profile.Auth{Header: "Authorization", Scheme: "Bearer"}
	im.sec.scopes = map[string]string{}
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
	im.sec.primary = im.choosePrimary(names, schemes, usage)
	var vocab []profile.Scope
	for _, name := range names {
		s := schemes[name].Value
		sum := SchemeSummary{Name: name, Type: describeScheme(s), Operations: usage[name]}
		switch {
		case name == im.sec.primary:
			im.p.Auth = authFor(s)
			vocab = im.scopeVocabulary(s)
			sum.MappedTo = "keys are read from " + im.p.Auth.Place() + keyHow(im.p.Auth)
			for _, sc := range vocab {
				sum.Scopes = append(sum.Scopes, sc.Name)
			}
			if len(vocab) > 0 {
				sum.MappedTo += "; a key holds scopes (all of them unless created with --scopes) and each operation needs those its security names"
			}
			if s.Type == "http" && strings.EqualFold(s.BearerFormat, "JWT") {
				im.gap("securitySchemes."+name, "bearerFormat JWT: mockgate's keys are opaque random strings, not JWTs, and no claims are read")
			}
		case !mappable(s):
			sum.MappedTo = "not mapped: " + unmappableWhy(s)
			im.gap("securitySchemes."+name, "%s", unmappableWhy(s))
		default:
			place := "(none)"
			if im.sec.primary != "" {
				place = im.p.Auth.Place() + " (scheme " + im.sec.primary + ")"
			}
			sum.MappedTo = "not mapped: a profile reads a key from one place, " + place + "; operations that accept only this scheme take that key instead"
			im.gap("securitySchemes."+name, "%s: a profile reads a key from one place, %s; the operations that accept only this scheme take that key instead", describeScheme(s), place)
		}
		im.sum.Security = append(im.sum.Security, sum)
	}
	if len(vocab) > 0 {
		im.p.Permissions = profile.Permissions{Model: profile.PermScopes, Scopes: vocab}
	} else {
		im.p.Permissions = profile.Permissions{Model: profile.PermNone}
	}
	for _, o := range im.ops {
		im.operationSecurity(o)
	}
}

// requirements are the operation's security alternatives: its own, else
// the document's.
func (im *importer) requirements(o *operation) openapi3.SecurityRequirements {
	if o.op.Security != nil {
		return *o.op.Security
	}
	return im.t.Security
}

// choosePrimary returns the mappable scheme the most operations use; a tie
// goes to the one the document's own security names first, then to the
// first declared.
func (im *importer) choosePrimary(names []string, schemes openapi3.SecuritySchemes, usage map[string]int) string {
	var order []string
	for _, req := range im.t.Security {
		for _, n := range slices.Sorted(maps.Keys(req)) {
			if !slices.Contains(order, n) {
				order = append(order, n)
			}
		}
	}
	for _, n := range names {
		if !slices.Contains(order, n) {
			order = append(order, n)
		}
	}
	best := ""
	for _, n := range order {
		ref := schemes[n]
		if ref == nil || ref.Value == nil || !mappable(ref.Value) || usage[n] == 0 {
			continue
		}
		if best == "" || usage[n] > usage[best] {
			best = n
		}
	}
	return best
}

// mappable says whether a key can be read the way the scheme says.
func mappable(s *openapi3.SecurityScheme) bool {
	switch s.Type {
	case "apiKey":
		return s.In == "header" || s.In == "query" || s.In == "cookie"
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

// authFor is where a mappable scheme's key is read from.
func authFor(s *openapi3.SecurityScheme) profile.Auth {
	switch {
	case s.Type == "apiKey" && s.In == "query":
		return profile.Auth{Query: s.Name}
	case s.Type == "apiKey" && s.In == "cookie":
		return profile.Auth{Cookie: s.Name}
	case s.Type == "apiKey":
		return profile.Auth{Header: s.Name}
	case s.Type == "http" && strings.EqualFold(s.Scheme, "basic"):
		return profile.Auth{Header: "Authorization", Scheme: profile.SchemeBasic}
	}
	return profile.Auth{Header: "Authorization", Scheme: "Bearer"} // bearer, oauth2, openIdConnect
}

func keyHow(a profile.Auth) string {
	switch {
	case a.Scheme == profile.SchemeBasic:
		return " as the user name of Basic credentials (any password)"
	case a.Scheme != "":
		return " as " + a.Scheme + " <key>"
	}
	return ""
}

// scopeVocabulary lists the primary scheme's scopes: an oauth2 scheme's
// flows' scopes in the document's order, then any other scope an
// operation's requirement names for it (openIdConnect declares none).
func (im *importer) scopeVocabulary(s *openapi3.SecurityScheme) []profile.Scope {
	var out []profile.Scope
	add := func(name, desc string) {
		if _, done := im.sec.scopes[name]; done {
			return
		}
		fit := scopeBad.ReplaceAllString(name, "_")
		for i := 2; slices.ContainsFunc(out, func(sc profile.Scope) bool { return sc.Name == fit }); i++ {
			fit = fmt.Sprintf("%s_%d", scopeBad.ReplaceAllString(name, "_"), i)
		}
		if fit != name {
			im.gap("scope "+name, "has characters a scope name cannot hold (letters, digits and _ . : / -): it is %q in the profile", fit)
		}
		im.sec.scopes[name] = fit
		out = append(out, profile.Scope{Name: fit, Description: oneLine(desc)})
	}
	if s.Flows != nil {
		for _, f := range []*openapi3.OAuthFlow{s.Flows.Implicit, s.Flows.Password, s.Flows.ClientCredentials, s.Flows.AuthorizationCode} {
			if f == nil {
				continue
			}
			for _, name := range flowScopes(f) {
				add(name, f.Scopes[name])
			}
		}
	}
	for _, o := range im.ops {
		for _, req := range im.requirements(o) {
			for _, name := range req[im.sec.primary] {
				add(name, "")
			}
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

// operationSecurity gives an operation the scopes it needs, or makes it
// public, and records what its requirement has that the profile cannot
// check.
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
	primary := im.sec.primary
	var alts []openapi3.SecurityRequirement
	var others []string
	for _, req := range reqs {
		if _, ok := req[primary]; ok && primary != "" {
			alts = append(alts, req)
			for _, n := range slices.Sorted(maps.Keys(req)) {
				if n != primary {
					im.gap(where, "also needs %s with the key (both at once), which is not checked", n)
				}
			}
		} else {
			others = append(others, strings.Join(slices.Sorted(maps.Keys(req)), " and "))
		}
	}
	if len(alts) == 0 {
		if primary != "" {
			im.gap(where, "accepts only %s, which is not mapped: the route takes the key from %s", strings.Join(others, " or "), im.p.Auth.Place())
		}
		return
	}
	if len(others) > 0 {
		im.gap(where, "the alternative %s is not honoured: keys are read from %s only", strings.Join(others, " or "), im.p.Auth.Place())
	}
	var need []string
	for _, req := range alts {
		for _, sc := range req[primary] {
			if n := im.sec.scopes[sc]; n != "" && !slices.Contains(need, n) {
				need = append(need, n)
			}
		}
	}
	if len(alts) > 1 && len(need) > 0 {
		im.gap(where, "accepts any one of %d sets of %s scopes; mapped to all of them (%s), since a route needs one set", len(alts), primary, strings.Join(need, " "))
	}
	if im.p.Permissions.Model == profile.PermScopes {
		o.scope = strings.Join(need, " ")
		o.sum.Scopes = o.scope
	}
}
