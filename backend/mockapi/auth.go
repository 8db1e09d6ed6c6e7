package mockapi

import (
	"encoding/base64"
	"net/textproto"
	"strconv"
	"strings"

	"mockgate/backend/journal"
	"mockgate/backend/keys"
	"mockgate/backend/profile"
	"mockgate/backend/ratelimit"
)

// authorize runs every check between the route and the operation:
// key in the query, the key itself, its integration, its tenant, the rate
// limit and the scope. ok is false when it answered the request. A
// profile with auth.schemes has its keys checked by authorizeSchemes
// (authschemes.go).
func (e *Engine) authorize(c *call, ep *profile.Endpoint) (ok bool) {
	p := e.p
	if raw := c.r.URL.RawQuery; raw != "" {
		for _, name := range p.Auth.QueryParams {
			if _, n, bad := queryParam(raw, name); n > 0 || bad != "" {
				c.tracef("auth: key sent in the query parameter %q: refused", name)
				return e.fail(c, profile.KindKeyInQuery, "")
			}
		}
		if ep.Security != nil {
			e.traceUnreadQuery(c, ep, raw)
		} else if name, found := journal.SecretParam(raw, nil); found && name != p.Auth.Query && !ep.Public {
			// Any other key in the URL is not a credential: only the
			// profile's place is read. The trace says so, since it may be
			// why a request without a key there is refused (the log masks
			// the value).
			c.tracef("auth: query parameter %q is not read as a key (only %s is): ignored", name, p.Auth.Place())
		}
	}
	if ep.Public {
		c.step("auth: public endpoint, no key needed")
		return true
	}
	if ep.Security != nil {
		return e.authorizeSchemes(c, ep)
	}
	raw, kind := e.credential(c, &e.place)
	if kind != "" {
		return e.fail(c, kind, "")
	}
	ent, ok := e.activeKey(c, raw, "", true)
	if !ok {
		return false
	}
	if !e.admit(c, ep, ent) {
		return false
	}
	k := &ent.Key
	if ep.Scope != "" && !p.Grants(k.Scopes, ep.Scope) {
		return e.lacks(c, ep.Scope, p.MissingScopes(k.Scopes, ep.Scope))
	}
	ent.RecordUse(e.clk.Now())
	return true
}

// activeKey looks raw up and checks it is a live key of this API: its
// format (where enforced), its existence, revocation and expiry, and its
// integration. The first key of a request (first) names its credential
// and key in the log. label names the scheme in the trace ("" for a
// profile with one place). ok is false when it answered.
func (e *Engine) activeKey(c *call, raw, label string, first bool) (ent *keys.Entry, ok bool) {
	p := e.p
	if p.KeyFormat.Enforce && !e.format.Matches(raw) {
		c.tracef("auth: %skey does not match %s<%d %s characters>", label, p.KeyFormat.Prefix, p.KeyFormat.Length, p.KeyFormat.Alphabet)
		return nil, e.fail(c, profile.KindMalformedKey, "")
	}
	h := keys.Hash(raw)
	if first {
		c.cred = h
	}
	ent, found := e.keys.Lookup(h)
	if !found || ent.Key.API != p.ID {
		c.step("auth: " + label + "no such key for this API")
		return nil, e.fail(c, profile.KindInvalidKey, "")
	}
	if first {
		c.key = ent
	}
	k := &ent.Key
	if k.RevokedAt != nil {
		c.step("auth: " + label + "key revoked")
		return nil, e.fail(c, profile.KindRevokedKey, "")
	}
	if k.ExpiresAt != nil && !e.clk.Now().Before(*k.ExpiresAt) {
		c.step("auth: " + label + "key expired")
		return nil, e.fail(c, profile.KindExpiredKey, "")
	}
	c.step("auth: " + label + "key active")
	if p.Integrations != nil && e.integ != nil && !e.integ.Active(p.ID, k.Integration) {
		c.step("integration: " + k.Integration + " is not active")
		return nil, e.fail(c, profile.KindIntegrationInactive, "")
	}
	return ent, true
}

// admit checks the key's tenant and counts the request against its rate
// limit; ok is false when it answered.
func (e *Engine) admit(c *call, ep *profile.Endpoint, ent *keys.Entry) (ok bool) {
	return e.checkTenant(c, ep) && e.rateLimit(c, &ent.Key)
}

// lacks answers 403 for a key without the scopes need, missing being
// those it lacks.
func (e *Engine) lacks(c *call, need, missing string) (ok bool) {
	if missing == need {
		c.step("scope: needs " + need + ": not granted")
	} else {
		c.step("scope: needs " + need + ": lacks " + missing)
	}
	return e.fail(c, profile.KindInsufficientScope, missing)
}

// keyPlace is where a key is read from: a header (with its auth scheme),
// a query parameter or a cookie.
type keyPlace struct {
	profile.AuthScheme
	header string // canonical header name
}

func newKeyPlace(s profile.AuthScheme) keyPlace {
	return keyPlace{AuthScheme: s, header: textproto.CanonicalMIMEHeaderKey(s.Header)}
}

// credential extracts the raw key from pl (a header, a query parameter or
// a cookie), or the kind of error when there is none (KindMissingKey when
// nothing was sent there). Only the blanks HTTP allows around a header
// value (SP, HTAB) are trimmed: any other character, a non-breaking space
// (U+00A0) included, is part of the credential and fails its format check
// or its lookup.
func (e *Engine) credential(c *call, pl *keyPlace) (string, string) {
	switch {
	case pl.Query != "":
		return e.queryCredential(c, pl.Query)
	case pl.Cookie != "":
		return e.cookieCredential(c, pl.Cookie)
	}
	vals := c.r.Header[pl.header]
	if len(vals) == 0 || trimOWS(vals[0]) == "" {
		c.step("auth: no " + pl.Header + " header")
		return "", profile.KindMissingKey
	}
	if len(vals) > 1 {
		c.step("auth: " + pl.Header + " header given more than once")
		return "", profile.KindWrongScheme
	}
	v := trimOWS(vals[0])
	scheme := pl.Scheme
	if scheme == "" {
		return v, ""
	}
	if len(v) <= len(scheme) || !strings.EqualFold(v[:len(scheme)], scheme) || v[len(scheme)] != ' ' {
		c.step("auth: header is not \"" + scheme + " <key>\"")
		return "", profile.KindWrongScheme
	}
	raw := strings.TrimLeft(v[len(scheme)+1:], " ")
	if raw != "" && strings.EqualFold(scheme, profile.SchemeBasic) {
		var ok bool
		if raw, ok = basicUser(raw); !ok {
			c.step("auth: Basic credentials that are not base64 of user:password")
			return "", profile.KindWrongScheme
		}
	}
	if raw == "" {
		c.step("auth: empty key after the scheme")
		if e.p.KeyFormat.Enforce {
			return "", profile.KindMalformedKey
		}
		return "", profile.KindMissingKey
	}
	return raw, ""
}

// basicUser returns the user name of RFC 7617 credentials, which is the
// key; the password is not checked.
func basicUser(cred string) (string, bool) {
	dec, err := base64.StdEncoding.DecodeString(cred)
	if err != nil {
		return "", false
	}
	user, _, found := strings.Cut(string(dec), ":")
	return user, found
}

// queryCredential reads the key from the query parameter name.
func (e *Engine) queryCredential(c *call, name string) (string, string) {
	v, n, bad := queryParam(c.r.URL.RawQuery, name)
	switch {
	case n == 0 && bad != "":
		c.step("auth: query parameter " + name + " is not decodable")
		return "", profile.KindWrongScheme
	case n == 0 || v == "":
		c.step("auth: no query parameter " + name)
		return "", profile.KindMissingKey
	case n > 1:
		c.step("auth: query parameter " + name + " given more than once")
		return "", profile.KindWrongScheme
	}
	return v, ""
}

// cookieCredential reads the key from the cookie name.
func (e *Engine) cookieCredential(c *call, name string) (string, string) {
	cs := c.r.CookiesNamed(name)
	switch {
	case len(cs) == 0 || cs[0].Value == "":
		c.step("auth: no cookie " + name)
		return "", profile.KindMissingKey
	case len(cs) > 1:
		c.step("auth: cookie " + name + " given more than once")
		return "", profile.KindWrongScheme
	}
	return cs[0].Value, ""
}

// trimOWS trims HTTP's optional whitespace (RFC 9110 5.5: SP and HTAB)
// from both ends of a header value; strings.TrimSpace would also drop
// Unicode spaces, letting "key\u00a0" pass as the key.
func trimOWS(v string) string { return strings.Trim(v, " \t") }

// checkTenant compares the request's tenant (Host or path) with the key's;
// ok is false when it answered.
func (e *Engine) checkTenant(c *call, ep *profile.Endpoint) (ok bool) {
	t := e.p.Tenancy
	switch t.Kind {
	case profile.TenancySubdomain:
		// c.tenant was resolved (and checked to exist) by route.
	case profile.TenancyPath:
		c.tenant = c.r.PathValue(t.Param)
		if c.tenant != c.key.Key.Tenant && !e.p.HasTenant(c.tenant) {
			c.step("tenant: " + t.Label + " " + strconv.Quote(c.tenant) + " does not exist")
			return e.fail(c, profile.KindUnknownTenant, t.Label+" "+strconv.Quote(c.tenant)+" does not exist")
		}
	default:
		return true
	}
	if c.tenant != c.key.Key.Tenant {
		c.step("tenant: key belongs to " + t.Label + " " + strconv.Quote(c.key.Key.Tenant) + ", not " + strconv.Quote(c.tenant))
		return e.fail(c, profile.KindWrongTenant, "")
	}
	return true
}

// rateLimit counts the request against the key's window and sets the
// profile's rate-limit headers; ok is false when it answered (429).
func (e *Engine) rateLimit(c *call, k *keys.Key) (ok bool) {
	limit := e.p.RateLimit.PerMinute
	if k.RateLimit != nil {
		limit = *k.RateLimit
	}
	if limit <= 0 || e.limiter == nil {
		return true
	}
	d := e.limiter.Allow(k.ID, limit)
	e.rateHeaders(c, d)
	if !d.Allowed {
		c.tracef("rate limit: over %d requests per minute; retry after %d s", d.Limit, d.RetryAfter())
		return e.fail(c, profile.KindRateLimited, "")
	}
	return true
}

// rateHeaders sets the profile's rate-limit headers for d, and Retry-After
// when d refuses the request: one definition for the limiter's answers and
// the injected 429s.
func (e *Engine) rateHeaders(c *call, d ratelimit.Decision) {
	resetSecs := d.ResetSeconds()
	h := c.w.Header()
	if n := e.rateNames; n != nil {
		// The vendor's own names; the convention says what reset holds.
		reset := strconv.Itoa(resetSecs)
		if e.p.RateLimit.Headers == profile.HeadersXRateLimit {
			reset = strconv.FormatInt(e.clk.Now().Unix()+int64(resetSecs), 10)
		}
		h[n.Limit] = []string{strconv.Itoa(d.Limit)}
		h[n.Remaining] = []string{strconv.Itoa(d.Remaining)}
		h[n.Reset] = []string{reset}
	} else if e.p.RateLimit.Headers == profile.HeadersXRateLimit {
		h["X-Ratelimit-Limit"] = []string{strconv.Itoa(d.Limit)}
		h["X-Ratelimit-Remaining"] = []string{strconv.Itoa(d.Remaining)}
		h["X-Ratelimit-Reset"] = []string{strconv.FormatInt(e.clk.Now().Unix()+int64(resetSecs), 10)}
	} else {
		h["Ratelimit-Limit"] = []string{strconv.Itoa(d.Limit)}
		h["Ratelimit-Remaining"] = []string{strconv.Itoa(d.Remaining)}
		h["Ratelimit-Reset"] = []string{strconv.Itoa(resetSecs)}
	}
	if !d.Allowed {
		h["Retry-After"] = []string{strconv.Itoa(d.RetryAfter())}
	}
}
