package openapi

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"mockgate/backend/profile"
)

// errorKinds lists, in profile.Kinds order, the errors the engine can
// answer on endpoint e, following its order of checks: key in the URL, the
// credential, its integration, tenant, rate limit, scope, then the
// operation itself.
func (g *gen) errorKinds(e profile.Endpoint) []string {
	p := g.p
	set := map[string]bool{
		profile.KindMissingKey: true,
		// also a header sent twice, whatever the scheme
		profile.KindWrongScheme: true,
		profile.KindInvalidKey:  true,
		profile.KindRevokedKey:  true,
		profile.KindExpiredKey:  true,
		profile.KindInternal:    true,
	}
	if len(p.Auth.QueryParams) > 0 {
		set[profile.KindKeyInQuery] = true
	}
	if e.Public { // no key is read: only the URL check and the operation
		set = map[string]bool{profile.KindInternal: true, profile.KindKeyInQuery: len(p.Auth.QueryParams) > 0}
	}
	if !e.Public {
		g.keyKinds(e, set)
	}
	body := []string{profile.KindUnsupportedMedia, profile.KindPayloadTooLarge, profile.KindInvalidJSON, profile.KindBadRequest}
	switch e.Kind {
	case profile.OpList:
		set[profile.KindBadRequest] = true // page parameters
	case profile.OpGet, profile.OpDelete, profile.EndpointView:
		set[profile.KindNotFound] = true
	case profile.OpCreate:
		for _, k := range body {
			set[k] = true
		}
	case profile.OpUpdate:
		set[profile.KindNotFound] = true
		for _, k := range body {
			set[k] = true
		}
	}
	var out []string
	for _, k := range profile.Kinds {
		if set[k] {
			out = append(out, k)
		}
	}
	return out
}

// keyKinds adds the kinds of the checks that follow the key's: its shape,
// integration, tenant, rate limit and scope.
func (g *gen) keyKinds(e profile.Endpoint, set map[string]bool) {
	p := g.p
	if p.KeyFormat.Enforce {
		set[profile.KindMalformedKey] = true
	}
	if p.Integrations != nil {
		set[profile.KindIntegrationInactive] = true
	}
	if p.Tenancy.Kind == profile.TenancySubdomain || p.Tenancy.Kind == profile.TenancyPath {
		set[profile.KindUnknownTenant] = true
		set[profile.KindWrongTenant] = true
	}
	if p.RateLimit.PerMinute > 0 {
		set[profile.KindRateLimited] = true
	}
	if (e.Scope != "" || namesScopes(e.Security)) && p.Permissions.Model != profile.PermNone {
		set[profile.KindInsufficientScope] = true
	}
}

// errorResponses adds to responses one entry per status the endpoint's
// error kinds answer with, merging the kinds that share a status.
func (g *gen) errorResponses(e profile.Endpoint, responses *obj) {
	byStatus := map[int][]string{}
	var statuses []int
	for _, k := range g.errorKinds(e) {
		s := g.p.Answer(k).Status
		if _, ok := byStatus[s]; !ok {
			statuses = append(statuses, s)
		}
		byStatus[s] = append(byStatus[s], k)
	}
	slices.Sort(statuses)
	for _, s := range statuses {
		responses.set(strconv.Itoa(s), ref("responses", g.errorResponse(s, byStatus[s])))
	}
}

// errorResponse returns the name of the component response for status and
// kinds, creating it on first use. Names are the reason phrase ("NotFound"),
// numbered when one status answers different sets of kinds.
func (g *gen) errorResponse(status int, kinds []string) string {
	sig := strconv.Itoa(status) + ":" + strings.Join(kinds, ",")
	if name, ok := g.respNames[sig]; ok {
		return name
	}
	// Named for its kinds while that stays short ("UnknownTenantOrNotFound"),
	// else for the status ("Unauthorized").
	var base string
	if len(kinds) <= 3 {
		names := make([]string, len(kinds))
		for i, k := range kinds {
			names[i] = pascal(k)
		}
		base = strings.Join(names, "Or")
	} else {
		base = cmp.Or(pascal(http.StatusText(status)), "Status"+strconv.Itoa(status))
	}
	name := base
	for i := 2; g.responses.has(name); i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	g.respNames[sig] = name

	var desc strings.Builder
	desc.WriteString(http.StatusText(status) + ". ")
	if len(kinds) == 1 {
		desc.WriteString("Answered when:")
	} else {
		desc.WriteString("Answered, with the code and message of the case, when:")
	}
	examples := newObj()
	for _, k := range kinds {
		a := g.p.Answer(k)
		fmt.Fprintf(&desc, "\n- `%s`: %s", k, kindCases[k])
		if a.Code != "" && g.usesCode {
			fmt.Fprintf(&desc, " (code `%s`)", a.Code)
		}
		examples.set(k, newObj().set("summary", kindCases[k]).set("value", g.errorExample(k, status)))
	}
	resp := newObj().set("description", desc.String())
	headers := newObj()
	if status == http.StatusTooManyRequests {
		headers.set("Retry-After", ref("headers", "Retry-After"))
	}
	if slices.Contains(kinds, profile.KindRateLimited) && g.p.RateLimit.PerMinute > 0 {
		for _, h := range g.rateHeaders() {
			headers.set(h, ref("headers", h))
		}
	}
	if headers.len() > 0 {
		resp.set("headers", headers)
	}
	schema := g.errorSchema
	if k := g.p.Errors.KeyFor(status); k != "" {
		schema = g.errorByKey[k]
	}
	_, ct := g.p.Errors.For(status)
	resp.set("content", newObj().set(ct, newObj().
		set("schema", schemaRef(schema)).
		set("examples", examples)))
	g.responses.set(name, resp)
	return name
}

// kindCases says when each kind is answered, for the documentation.
var kindCases = map[string]string{
	profile.KindMissingKey:          "no key was sent",
	profile.KindWrongScheme:         "the auth header is not in the expected form (or is sent twice)",
	profile.KindMalformedKey:        "the key does not have the documented shape",
	profile.KindInvalidKey:          "the key is unknown or was deleted",
	profile.KindRevokedKey:          "the key was revoked",
	profile.KindExpiredKey:          "the key has expired",
	profile.KindKeyInQuery:          "a key was sent in the query string",
	profile.KindIntegrationInactive: "the key's integration is deactivated",
	profile.KindInsufficientScope:   "the key lacks the permission the endpoint needs",
	profile.KindWrongTenant:         "the key belongs to another tenant",
	profile.KindUnknownTenant:       "the tenant does not exist",
	profile.KindRateLimited:         "the key is over its rate limit",
	profile.KindRouteNotFound:       "no such route",
	profile.KindNotFound:            "no record has this id",
	profile.KindMethodNotAllowed:    "the path does not allow the method",
	profile.KindBadRequest:          "a parameter or a field is invalid",
	profile.KindInvalidJSON:         "the body is not one JSON object",
	profile.KindUnsupportedMedia:    "the body's Content-Type is not application/json",
	profile.KindPayloadTooLarge:     "the body is over 1 MiB",
	profile.KindHeaderTooLarge:      "the request line and headers are over 1 MiB",
	profile.KindInternal:            "the server failed",
}

// exampleDetails stand in for {detail} in example messages.
var exampleDetails = map[string]string{
	profile.KindNotFound:          `record "999" not found`,
	profile.KindBadRequest:        `field "name" is required`,
	profile.KindInvalidJSON:       "malformed JSON: unexpected EOF",
	profile.KindUnsupportedMedia:  `Content-Type must be application/json (got no Content-Type)`,
	profile.KindPayloadTooLarge:   "request body exceeds the limit of 1 MiB (1048576 bytes)",
	profile.KindHeaderTooLarge:    "request line and headers exceed the limit of 1 MiB (1048576 bytes)",
	profile.KindInsufficientScope: "<the endpoint's scope>",
	profile.KindUnknownTenant:     `"nope" does not exist`,
}

// errorExample renders the profile's error envelope of status for kind.
func (g *gen) errorExample(kind string, status int) any {
	a := g.p.Answer(kind)
	msg := strings.ReplaceAll(a.Message, "{detail}", cmp.Or(exampleDetails[kind], "details"))
	body, _ := g.p.Errors.For(status)
	v, err := decodeOrdered(body)
	if err != nil {
		return nil // validated profiles have a JSON object here
	}
	var fill func(v any) any
	fill = func(v any) any {
		switch x := v.(type) {
		case *obj:
			out := newObj()
			for _, k := range x.keys {
				out.set(k, fill(x.vals[k]))
			}
			return out
		case []any:
			out := make([]any, len(x))
			for i, e := range x {
				out[i] = fill(e)
			}
			return out
		case string:
			switch x {
			case "$status":
				return a.Status
			case "$code":
				return a.Code
			case "$message":
				return msg
			case "$reason":
				return http.StatusText(a.Status)
			}
		}
		return v
	}
	return fill(v)
}

// rateHeaders are the rate-limit header names of the profile's convention.
func (g *gen) rateHeaders() []string {
	if g.p.RateLimit.Headers == profile.HeadersXRateLimit {
		return []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}
	}
	return []string{"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"}
}

// headerComponents documents the headers responses refer to.
func (g *gen) headerComponents() *obj {
	h := newObj()
	if g.p.RateLimit.PerMinute <= 0 {
		return h
	}
	names := g.rateHeaders()
	integer := func(desc string) *obj {
		return newObj().set("description", desc).set("schema", newObj().set("type", "integer").set("minimum", 0))
	}
	h.set(names[0], integer("The number of requests a key may make per minute."))
	h.set(names[1], integer("The requests left in the current one-minute window."))
	if g.p.RateLimit.Headers == profile.HeadersXRateLimit {
		h.set(names[2], integer("When the window resets, in Unix seconds."))
	} else {
		h.set(names[2], integer("Seconds until the window resets."))
	}
	h.set("Retry-After", integer("Seconds to wait before retrying.").set("required", true))
	return h
}

// namesScopes reports whether an alternative of sec needs scopes.
func namesScopes(sec profile.Security) bool {
	for _, req := range sec {
		for _, scopes := range req {
			if len(scopes) > 0 {
				return true
			}
		}
	}
	return false
}
