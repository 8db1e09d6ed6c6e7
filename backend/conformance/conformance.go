// Package conformance is the conformance pack: the negative-test matrix
// derived from an API's profile (no credential, wrong scheme, malformed,
// unknown, revoked, deleted and expired keys, a missing scope per
// scope-guarded group of routes, another tenant, an inactive integration,
// the request past the rate limit, bad page sizes, malformed JSON, a wrong
// content type, a body over the limit, an unknown route, a wrong method),
// each case checked for the status, the error envelope's shape, the error
// code and the headers the profile promises.
//
// The pack runs against the running mockgate, which makes the keys it
// needs through the admin API (Prepare), or against any server that claims
// to implement the profile, with keys the user supplies (cases whose key
// was not supplied are skipped, never passed). Results go out as text,
// JSON or JUnit XML, and the same matrix as a Postman collection.
//
// It reaches both kinds of server through small interfaces: Doer for the
// API's HTTP and Admin for mockgate's admin API.
package conformance

import (
	"encoding/base64"
	"net/http"
	"strings"

	"mockgate/backend/profile"
)

// Roles name the keys cases present. Against mockgate Prepare makes one
// key per role; against another server the user supplies them
// (--key ROLE=KEY).
const (
	// RoleValid is an active key with every scope, of the default tenant
	// and integration.
	RoleValid = "valid"
	// RoleRevoked, RoleExpired and RoleDeleted are such a key, revoked,
	// past its expiry, or deleted.
	RoleRevoked = "revoked"
	RoleExpired = "expired"
	RoleDeleted = "deleted"
	// RoleReadOnly holds the scopes only read routes need: it lacks every
	// scope that guards a write.
	RoleReadOnly = "read-only"
	// RoleOtherTenant belongs to another tenant than the one the requests name.
	RoleOtherTenant = "other-tenant"
	// RoleInactiveIntegration belongs to an integration that is deactivated.
	RoleInactiveIntegration = "inactive-integration"
	// RoleRateLimit is a key whose rate-limit window the run may spend; a
	// run against another server uses the valid key unless given one (the
	// case comes last).
	RoleRateLimit = "rate-limit"
	// RoleWithout + a scope is a key holding every scope but those that
	// grant it ("without:integration:batches:read").
	RoleWithout = "without:"
)

// Case is one request and what the profile says must come back.
type Case struct {
	// ID is stable across runs and versions ("revoked-key",
	// "missing-scope:integration:batches:read").
	ID string `json:"id"`
	// Name says what the case sends, for people ("a revoked key").
	Name    string  `json:"name"`
	Request Request `json:"request"`
	Expect  Expect  `json:"expect"`
}

// Request is what a case sends. Paths are the profile's, tenant and record
// ids filled in; a run prefixes them with its target's base.
type Request struct {
	Method string `json:"method"`
	// Path holds the query too ("/v1/users?pageSize=51").
	Path string `json:"path"`
	// Role is the key presented in the profile's header; Key a literal one
	// instead (an unknown or malformed key); neither: no credential.
	Role string `json:"role,omitempty"`
	Key  string `json:"key,omitempty"`
	// Scheme replaces the profile's scheme before the key ("Basic").
	Scheme      string `json:"scheme,omitempty"`
	ContentType string `json:"contentType,omitempty"`
	Body        string `json:"body,omitempty"`
	// BodySize, when set, sends a JSON object padded to this many bytes
	// instead of Body (a body over the limit).
	BodySize int `json:"bodySize,omitempty"`
	// Repeat sends the request this many times first, each to be let
	// through: the rate limit's whole window, before the request it refuses.
	Repeat int `json:"repeat,omitempty"`
}

// Expect is the answer a case wants: the profile's answer to an error kind,
// in its error envelope, with the headers the profile promises.
type Expect struct {
	// Kind is the profile's error kind (profile.Kinds).
	Kind   string `json:"kind"`
	Status int    `json:"status"`
	Code   string `json:"code,omitempty"`
	// Message may hold "{detail}", which stands for any text.
	Message string `json:"message"`
	// Mentions is text the message must hold (the parameter a 400 names).
	Mentions string       `json:"mentions,omitempty"`
	Headers  []HeaderRule `json:"headers,omitempty"`
}

// HeaderRule is one header an answer must carry.
type HeaderRule struct {
	Name string `json:"name"`
	// Equals is the exact value; Contains a part of it.
	Equals   string `json:"equals,omitempty"`
	Contains string `json:"contains,omitempty"`
	// Min and Max make the value an integer within them.
	Min *int64 `json:"min,omitempty"`
	Max *int64 `json:"max,omitempty"`
	// Lists are the items a comma-separated value holds (Allow's methods);
	// Omits one it must not hold.
	Lists []string `json:"lists,omitempty"`
	Omits string   `json:"omits,omitempty"`
}

// Roles lists the key roles cases present, in order of first use.
func Roles(cases []Case) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range cases {
		if r := c.Request.Role; r != "" && !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// credential is the header value presenting raw as r asks, under the
// profile's scheme (empty: the whole value is the key).
func (r Request) credential(scheme, raw string) string {
	if r.Scheme != "" {
		scheme = r.Scheme
	}
	if scheme == "" {
		return raw
	}
	return scheme + " " + raw
}

// presented are the headers presenting raw as r asks: in the profile's
// one place, or, with auth.schemes, in every scheme's header (the first
// scheme of each header) and cookie, so that the first alternative of any
// endpoint finds all its credentials. A scheme in the query is not sent:
// a key there is read only where the document says so.
func (r Request) presented(p *profile.Profile, raw string) [][2]string {
	if len(p.Auth.Schemes) == 0 {
		return [][2]string{{p.Auth.Header, r.credential(p.Auth.Scheme, raw)}}
	}
	var out [][2]string
	var cookies []string
	seen := map[string]bool{}
	for _, s := range p.Auth.Schemes {
		switch h := http.CanonicalHeaderKey(s.Header); {
		case s.Cookie != "":
			cookies = append(cookies, s.Cookie+"="+raw)
		case s.Header == "" || seen[h]:
		case strings.EqualFold(s.Scheme, profile.SchemeBasic) && r.Scheme == "":
			seen[h] = true
			out = append(out, [2]string{s.Header, "Basic " + base64.StdEncoding.EncodeToString([]byte(raw+":"))})
		default:
			seen[h] = true
			out = append(out, [2]string{s.Header, r.credential(s.Scheme, raw)})
		}
	}
	if len(cookies) > 0 {
		out = append(out, [2]string{"Cookie", strings.Join(cookies, "; ")})
	}
	return out
}

// Need is what a key presented as Request.presented presents it needs on
// e: its scope, and the scopes of its first alternative.
func Need(p *profile.Profile, e *profile.Endpoint) string {
	if len(e.Security) == 0 {
		return e.Scope
	}
	return p.Need(e, e.Security[0])
}

// body is what the request sends, or "" for none.
func (r Request) body() string {
	if r.BodySize <= 0 {
		return r.Body
	}
	const head, tail = `{"pad":"`, `"}`
	return head + strings.Repeat("x", max(0, r.BodySize-len(head)-len(tail))) + tail
}
