package mockapi

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"mockgate/backend/journal"
	"mockgate/backend/keys"
	"mockgate/backend/profile"
)

// A profile with auth.schemes (an imported OpenAPI document's security)
// reads keys from several named places, and each endpoint's Security says
// which it accepts: alternatives (any one suffices), each naming schemes
// that must all carry a valid key of this API. The first alternative
// whose credentials are all present is the one checked; a request with
// none gets missing_key. Each scoped scheme's key must hold the scopes the
// alternative names for it; the endpoint's own scope, the rate limit, the
// tenant and the request log go by the alternative's first key.

// schemeCred is what one scheme's place holds in a request.
type schemeCred struct {
	read bool
	raw  string
	kind string // the error of a credential sent in the wrong shape
	ent  *keys.Entry
}

// maxInlineSchemes is how many schemes a request's credentials are kept
// for without allocating.
const maxInlineSchemes = 8

// authorizeSchemes checks the request's keys against ep.Security; ok is
// false when it answered.
func (e *Engine) authorizeSchemes(c *call, ep *profile.Endpoint) (ok bool) {
	var inline [maxInlineSchemes]schemeCred
	creds := inline[:0]
	if len(e.schemes) <= maxInlineSchemes {
		creds = inline[:len(e.schemes)]
	} else {
		creds = make([]schemeCred, len(e.schemes))
	}
	// A credential in the wrong shape ("Basic ..." where a Bearer token
	// is read) may be another scheme's at the same header: an alternative
	// whose credentials are all well formed goes first.
	alt, bad := -1, -1
	for i, req := range ep.Security {
		all, wellFormed := e.present(c, req, creds)
		if all && wellFormed {
			alt = i
			break
		}
		if all && bad < 0 {
			bad = i
		}
	}
	if alt < 0 {
		alt = bad
	}
	if alt < 0 {
		c.step("auth: no key where this endpoint accepts one; tried " + e.tried(ep.Security))
		return e.fail(c, profile.KindMissingKey, "")
	}
	req := ep.Security[alt]
	if len(ep.Security) > 1 {
		c.step("auth: alternative " + strconv.Itoa(alt+1) + " of " + strconv.Itoa(len(ep.Security)) + ": " + e.describe(req))
	}
	var first *keys.Entry
	for i := range e.schemes {
		s := &e.schemes[i]
		if _, in := req[s.Name]; !in {
			continue
		}
		cr := creds[i]
		if cr.kind != "" {
			return e.fail(c, cr.kind, "")
		}
		if strings.EqualFold(s.Scheme, profile.SchemeBasic) {
			c.step("auth: " + s.Name + ": Basic credentials: the user name is the key; the password is not checked")
		}
		ent, ok := e.activeKey(c, cr.raw, s.Name+": ", first == nil)
		if !ok {
			return false
		}
		if first == nil {
			first = ent
		}
		creds[i].ent = ent
	}
	if !e.admit(c, ep, first) {
		return false
	}
	if need, missing := e.missingScopes(ep, req, creds, first); missing != "" {
		return e.lacks(c, need, missing)
	}
	now := e.clk.Now()
	for i := range creds {
		if creds[i].ent != nil {
			creds[i].ent.RecordUse(now)
		}
	}
	return true
}

// present reads the places of req's schemes (once per request, into
// creds) and reports whether all of them hold a credential, and whether
// all of those are well formed.
func (e *Engine) present(c *call, req profile.Requirement, creds []schemeCred) (all, wellFormed bool) {
	all, wellFormed = true, true
	for i := range e.schemes {
		s := &e.schemes[i]
		if _, in := req[s.Name]; !in {
			continue
		}
		cr := &creds[i]
		if !cr.read {
			cr.read = true
			n := len(c.steps)
			cr.raw, cr.kind = e.credential(c, s)
			if cr.kind == profile.KindMissingKey {
				c.steps = c.steps[:n] // tried summarises the places
			}
		}
		switch cr.kind {
		case "":
		case profile.KindMissingKey:
			all = false
		default:
			wellFormed = false
		}
	}
	return all, wellFormed
}

// missingScopes returns what the alternative needs and what its keys
// lack: the scopes it names for a scoped scheme must be held by the key
// sent in that scheme, the endpoint's own scope by the first key.
func (e *Engine) missingScopes(ep *profile.Endpoint, req profile.Requirement, creds []schemeCred, first *keys.Entry) (need, missing string) {
	p := e.p
	var needs, lacks []string
	add := func(scopes []string, held []string) {
		for _, sc := range scopes {
			if !slices.Contains(needs, sc) {
				needs = append(needs, sc)
			}
			if !p.Grants(held, sc) && !slices.Contains(lacks, sc) {
				lacks = append(lacks, sc)
			}
		}
	}
	add(strings.Fields(ep.Scope), first.Key.Scopes)
	for i := range e.schemes {
		s := &e.schemes[i]
		scopes := req[s.Name]
		if len(scopes) == 0 || !s.Scoped {
			continue
		}
		add(scopes, creds[i].ent.Key.Scopes)
	}
	return strings.Join(needs, " "), strings.Join(lacks, " ")
}

// tried names every place the alternatives read, for the trace of a
// request without a key.
func (e *Engine) tried(sec profile.Security) string {
	var parts []string
	for _, req := range sec {
		parts = append(parts, e.describe(req))
	}
	return strings.Join(parts, "; or ")
}

// describe names the places of one alternative: "api_key (the X-Api-Key
// header) and oauth (the Authorization header, Bearer <key>)".
func (e *Engine) describe(req profile.Requirement) string {
	var parts []string
	for i := range e.schemes {
		s := &e.schemes[i]
		if _, in := req[s.Name]; !in {
			continue
		}
		where := s.Place()
		if s.Scheme != "" {
			where += ", " + s.Scheme + " <key>"
		}
		parts = append(parts, s.Name+" ("+where+")")
	}
	return strings.Join(parts, " and ")
}

// traceUnreadQuery says which key-like query parameters the endpoint does
// not read: a scheme's query parameter is a credential only where the
// endpoint's security names that scheme.
func (e *Engine) traceUnreadQuery(c *call, ep *profile.Endpoint, raw string) {
	for rest := raw; rest != ""; {
		var part string
		part, rest, _ = strings.Cut(rest, "&")
		if _, secret := journal.SecretParam(part, e.secretQuery); !secret {
			continue
		}
		name, _, _ := strings.Cut(part, "=")
		if dec, err := url.QueryUnescape(name); err == nil {
			name = dec
		}
		if !e.readsQuery(ep, name) {
			c.tracef("auth: query parameter %q is not read as a key here: this endpoint accepts a key in %s; ignored", name, e.tried(ep.Security))
		}
	}
}

// readsQuery reports whether one of ep's alternatives reads the query
// parameter name.
func (e *Engine) readsQuery(ep *profile.Endpoint, name string) bool {
	for i := range e.schemes {
		s := &e.schemes[i]
		if s.Query != name {
			continue
		}
		for _, req := range ep.Security {
			if _, in := req[s.Name]; in {
				return true
			}
		}
	}
	return false
}

// maskSchemes adds the places of auth.schemes to what the request log
// masks: every scheme's header and query parameter (the Cookie header is
// always masked whole).
func (e *Engine) maskSchemes() {
	e.secretQuery = slices.Clone(e.secretQuery) // not to write into the profile's
	for _, s := range e.p.Auth.Schemes {
		e.schemes = append(e.schemes, newKeyPlace(s))
		switch {
		case s.Header != "" && !slices.Contains(e.secretHdrs, s.Header):
			e.secretHdrs = append(e.secretHdrs, s.Header)
		case s.Query != "" && !slices.Contains(e.secretQuery, s.Query):
			e.secretQuery = append(e.secretQuery, s.Query)
		}
	}
}
