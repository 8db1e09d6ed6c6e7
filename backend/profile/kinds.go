package profile

import "net/http"

// Error kinds: every failure the engine can answer. A profile maps each to
// its status, code and message (Errors.Kinds); Defaults fills the rest.
const (
	KindMissingKey          = "missing_key"          // no credential at all
	KindWrongScheme         = "wrong_scheme"         // header present, not "<Scheme> <key>"
	KindMalformedKey        = "malformed_key"        // not the profile's key shape (KeyFormat.Enforce)
	KindInvalidKey          = "invalid_key"          // unknown or deleted key
	KindRevokedKey          = "revoked_key"          // key revoked
	KindExpiredKey          = "expired_key"          // key past its expiry
	KindKeyInQuery          = "key_in_query"         // key sent in the query string
	KindIntegrationInactive = "integration_inactive" // key's integration deactivated
	KindInsufficientScope   = "insufficient_scope"   // key lacks the route's permission
	KindWrongTenant         = "wrong_tenant"         // key bound to another account or company
	KindUnknownTenant       = "unknown_tenant"       // no such account or company
	KindRateLimited         = "rate_limited"         // over the per-key limit (or an injected 429)
	KindRouteNotFound       = "route_not_found"      // no such route
	KindNotFound            = "not_found"            // no such record
	KindMethodNotAllowed    = "method_not_allowed"   // route exists, method does not
	KindBadRequest          = "bad_request"          // invalid parameter or field
	KindInvalidJSON         = "invalid_json"         // body is not valid JSON
	KindUnsupportedMedia    = "unsupported_media"    // body without Content-Type: application/json
	KindPayloadTooLarge     = "payload_too_large"    // body over the limit
	KindHeaderTooLarge      = "header_too_large"     // request line and headers over the limit
	KindInternal            = "internal"             // a panic, a store failure, an injected 500
)

// Kinds lists every error kind, in the order documentation shows them.
var Kinds = []string{
	KindMissingKey, KindWrongScheme, KindMalformedKey, KindInvalidKey, KindRevokedKey,
	KindExpiredKey, KindKeyInQuery, KindIntegrationInactive, KindInsufficientScope,
	KindWrongTenant, KindUnknownTenant, KindRateLimited, KindRouteNotFound, KindNotFound,
	KindMethodNotAllowed, KindBadRequest, KindInvalidJSON, KindUnsupportedMedia,
	KindPayloadTooLarge, KindHeaderTooLarge, KindInternal,
}

// Defaults is the answer to each kind when a profile does not say.
var Defaults = map[string]ErrorKind{
	KindMissingKey:          {http.StatusUnauthorized, "unauthorized", "Missing API key"},
	KindWrongScheme:         {http.StatusUnauthorized, "unauthorized", "Invalid authorization scheme"},
	KindMalformedKey:        {http.StatusUnauthorized, "unauthorized", "Malformed API key"},
	KindInvalidKey:          {http.StatusUnauthorized, "unauthorized", "Invalid API key"},
	KindRevokedKey:          {http.StatusUnauthorized, "unauthorized", "API key has been revoked"},
	KindExpiredKey:          {http.StatusUnauthorized, "unauthorized", "API key has expired"},
	KindKeyInQuery:          {http.StatusUnauthorized, "unauthorized", "API keys must be sent in a header, never in the URL"},
	KindIntegrationInactive: {http.StatusForbidden, "forbidden", "Integration is not active"},
	KindInsufficientScope:   {http.StatusForbidden, "forbidden", "API key lacks the permission for this endpoint"},
	KindWrongTenant:         {http.StatusForbidden, "forbidden", "API key does not belong to this tenant"},
	KindUnknownTenant:       {http.StatusNotFound, "not_found", "Unknown tenant"},
	KindRateLimited:         {http.StatusTooManyRequests, "rate_limited", "Too many requests"},
	KindRouteNotFound:       {http.StatusNotFound, "not_found", "Route not found"},
	KindNotFound:            {http.StatusNotFound, "not_found", "{detail}"},
	KindMethodNotAllowed:    {http.StatusMethodNotAllowed, "method_not_allowed", "{detail}"},
	KindBadRequest:          {http.StatusBadRequest, "bad_request", "{detail}"},
	KindInvalidJSON:         {http.StatusBadRequest, "bad_request", "{detail}"},
	KindUnsupportedMedia:    {http.StatusUnsupportedMediaType, "unsupported_media_type", "{detail}"},
	KindPayloadTooLarge:     {http.StatusRequestEntityTooLarge, "payload_too_large", "{detail}"},
	KindHeaderTooLarge:      {http.StatusRequestHeaderFieldsTooLarge, "request_header_fields_too_large", "{detail}"},
	KindInternal:            {http.StatusInternalServerError, "internal_error", "An unexpected error occurred"},
}

// Answer returns the profile's answer to kind, falling back to Defaults.
func (p *Profile) Answer(kind string) ErrorKind {
	if a, ok := p.Errors.Kinds[kind]; ok {
		return a
	}
	return Defaults[kind]
}
