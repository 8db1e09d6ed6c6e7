// Package profile defines the declarative description of a mock API (a
// profile), loads it from YAML or JSON, validates it with errors that name
// the offending field, and embeds the four built-in profiles.
//
// A profile is data, not code: the mock engine (package mockapi) builds one
// http.Handler from it, and package openapi derives its OpenAPI document.
package profile

import (
	"encoding/json"

	"github.com/getkin/kin-openapi/openapi3"
)

// Profile describes one mock API.
type Profile struct {
	// ID is the API's identifier: lower-case letters, digits and '-'.
	ID string `json:"id"`
	// Name is the human name shown in the GUI and the OpenAPI title.
	Name string `json:"name"`
	// Description is free text for the OpenAPI document.
	Description string `json:"description,omitempty"`
	// Version is the API's version string for the OpenAPI document.
	Version string `json:"version"`
	// BasePath prefixes every route, e.g. "/api/v1". It starts with '/'
	// and has no trailing '/'.
	BasePath string `json:"basePath"`
	// Notes record the choices made where the vendor's document is silent.
	Notes []string `json:"notes,omitempty"`

	Auth         Auth          `json:"auth"`
	KeyFormat    KeyFormat     `json:"keyFormat"`
	Permissions  Permissions   `json:"permissions"`
	Tenancy      Tenancy       `json:"tenancy"`
	Integrations *Integrations `json:"integrations,omitempty"`
	Pagination   Pagination    `json:"pagination"`
	RateLimit    RateLimit     `json:"rateLimit"`
	Errors       Errors        `json:"errors"`
	CORS         CORS          `json:"cors"`
	Resources    []Resource    `json:"resources"`
	Routes       []Route       `json:"routes,omitempty"`
	// OpenAPI links an API imported from an OpenAPI document to that
	// document: the engine serves it and validates requests against it.
	OpenAPI *OpenAPI `json:"openapi,omitempty"`
}

// OpenAPI is the vendor's original document of an imported API.
type OpenAPI struct {
	// Document is the document's file (YAML or JSON), relative to the
	// profile file. A profile kept by mockgate (imported through the admin
	// API, or in a saved state) keeps the document beside it instead, and
	// this is only its name.
	Document string `json:"document"`
	// Source is the document as one self-contained JSON document (a
	// multi-file one bundled), filled by whoever loads the profile: it is
	// not part of the profile's text.
	Source json.RawMessage `json:"-"`
	// Parsed is Source already parsed, when whoever filled Source had it
	// (the importer has): the engine then uses it rather than parse the
	// document again, which costs a large document most of a second and
	// doubles the memory it takes. Read only.
	Parsed *openapi3.T `json:"-"`
}

// Auth says where a request carries its key: in a header (the usual
// place), a query parameter or a cookie. Exactly one of Header, Query and
// Cookie is set, or, for an API that takes keys in several places (an
// imported OpenAPI document's security schemes), none of them and Schemes
// names each place.
type Auth struct {
	// Header is the request header holding the key ("Authorization", "x-api-key").
	Header string `json:"header,omitempty"`
	// Scheme is the auth scheme before the key in Header ("Bearer"); empty
	// means the header's whole value is the key. "Basic" reads RFC 7617
	// credentials, base64 of "user:password": the key is the user name and
	// the password is not checked (as Stripe takes its keys).
	Scheme string `json:"scheme,omitempty"`
	// Query is the query parameter holding the key, for an API whose
	// document puts it there (OpenAPI apiKey in: query).
	Query string `json:"query,omitempty"`
	// Cookie is the cookie holding the key (OpenAPI apiKey in: cookie).
	Cookie string `json:"cookie,omitempty"`
	// QueryParams are query parameter names that, when present, are refused
	// with the key_in_query error: the vendor says never to put keys in URLs.
	QueryParams []string `json:"queryParams,omitempty"`
	// Schemes are the named places a key may be sent in (OpenAPI's
	// securitySchemes). With schemes, each endpoint's Security says which
	// of them it accepts; an endpoint without Security accepts any one.
	Schemes []AuthScheme `json:"schemes,omitempty"`
}

// AuthScheme is one named place a key may be sent in: exactly one of
// Header, Query and Cookie is set, with Header's Scheme as in Auth.
type AuthScheme struct {
	// Name is how endpoints' Security refer to the scheme ("api_key").
	Name   string `json:"name"`
	Header string `json:"header,omitempty"`
	Scheme string `json:"scheme,omitempty"`
	Query  string `json:"query,omitempty"`
	Cookie string `json:"cookie,omitempty"`
	// Scoped keys carry scopes (OpenAPI oauth2 and openIdConnect): a
	// requirement may name scopes for this scheme, which the key sent in
	// it must hold. An unscoped scheme's key is only checked to be valid.
	Scoped      bool   `json:"scoped,omitempty"`
	Description string `json:"description,omitempty"`
}

// Security is what an endpoint accepts: alternatives, any one of which
// suffices (OR). An empty, non-nil Security (security: [] in a profile)
// makes the endpoint public.
type Security []Requirement

// Requirement is one alternative: the schemes all of which must carry a
// valid key (AND), each with the scopes its key must hold (only a Scoped
// scheme names scopes).
type Requirement map[string][]string

// MarshalJSON writes a scheme without scopes as [], the way OpenAPI and
// the profile files write it, not null.
func (r Requirement) MarshalJSON() ([]byte, error) {
	m := make(map[string][]string, len(r))
	for k, v := range r {
		if v == nil {
			v = []string{}
		}
		m[k] = v
	}
	return json.Marshal(m)
}

// Auth schemes the engine reads specially.
const (
	SchemeBasic = "Basic" // RFC 7617: the key is the user name
)

// Place says where a request carries its key, for messages and traces:
// "the Authorization header", "the query parameter api_key", "the cookie sid".
func (a Auth) Place() string {
	return AuthScheme{Header: a.Header, Query: a.Query, Cookie: a.Cookie}.Place()
}

// Place says where the scheme's key is sent, as Auth.Place does.
func (s AuthScheme) Place() string {
	switch {
	case s.Query != "":
		return "the query parameter " + s.Query
	case s.Cookie != "":
		return "the cookie " + s.Cookie
	}
	return "the " + s.Header + " header"
}

// SchemeNamed returns the scheme named name, or nil.
func (a *Auth) SchemeNamed(name string) *AuthScheme {
	for i := range a.Schemes {
		if a.Schemes[i].Name == name {
			return &a.Schemes[i]
		}
	}
	return nil
}

// KeyFormat is the shape of the raw keys this API issues.
type KeyFormat struct {
	// Prefix starts every key ("eudr_live_").
	Prefix string `json:"prefix"`
	// Alphabet of the random part: "hex" (lower-case) or "base62".
	Alphabet string `json:"alphabet"`
	// Length of the random part in characters.
	Length int `json:"length"`
	// Enforce answers a presented key that does not have this shape with the
	// malformed_key error instead of invalid_key.
	Enforce bool `json:"enforce,omitempty"`
}

// Permission models.
const (
	PermNone      = "none"      // any valid key may call every route
	PermReadWrite = "readwrite" // "read" allows GET; "write" allows everything
	PermScopes    = "scopes"    // each route names the scope it needs
)

// Permissions is the vocabulary keys are granted from.
type Permissions struct {
	// Model is one of PermNone, PermReadWrite, PermScopes.
	Model string `json:"model"`
	// Scopes is the vocabulary, in display order.
	Scopes []Scope `json:"scopes,omitempty"`
	// Implies lists, for a scope, the scopes it also grants ("write" → "read").
	Implies map[string][]string `json:"implies,omitempty"`
	// Default is what a key gets when created without scopes; empty means all.
	Default []string `json:"default,omitempty"`
}

// Scope is one grantable permission.
type Scope struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// Tenancy kinds.
const (
	TenancyNone      = "none"      // keys are not bound to a tenant
	TenancySubdomain = "subdomain" // {tenant}.localhost:PORT
	TenancyPath      = "path"      // a path parameter under BasePath
)

// Tenancy says how a request names its account or company and which exist.
type Tenancy struct {
	// Kind is one of TenancyNone, TenancySubdomain, TenancyPath.
	Kind string `json:"kind"`
	// Label names a tenant in messages and the GUI ("account", "company").
	Label string `json:"label,omitempty"`
	// PathPrefix (kind path) is the route prefix naming the tenant, relative
	// to BasePath, e.g. "company/{companyId}".
	PathPrefix string `json:"pathPrefix,omitempty"`
	// Param (kind path) is the path parameter in PathPrefix holding the tenant id.
	Param string `json:"param,omitempty"`
	// Default is the tenant of a request without one (subdomain kind) and
	// of a key created without one.
	Default string `json:"default,omitempty"`
	// Tenants that exist; requests naming another get the unknown_tenant error.
	Tenants []Tenant `json:"tenants,omitempty"`
}

// Tenant is one account or company.
type Tenant struct {
	ID string `json:"id"`
	// Object is the tenant's JSON representation (returned by "tenant" routes).
	Object json.RawMessage `json:"object,omitempty"`
}

// Integrations makes keys belong to integrations that can be deactivated.
type Integrations struct {
	// Default is the integration a key joins when created without one.
	Default string `json:"default"`
}

// Pagination styles.
const (
	PageOffset = "offset" // limit + offset
	PageNumber = "page"   // page (from 1) + page size
	PageCursor = "cursor" // page size + a cursor naming the record to continue after (or before)
)

// Cursor values (Pagination.Cursor).
const (
	// CursorID: the cursor is a record's id as the API writes it
	// ("email_25"), as Stripe's starting_after and Resend's after are.
	CursorID = "id"
	// CursorOpaque: the cursor is a token the client must not interpret
	// (cursor, next_token, page_token APIs): the base64url encoding,
	// without padding, of the record's id as the API writes it.
	CursorOpaque = "opaque"
)

// Pagination describes list parameters and the list body.
//
// Style cursor pages in id order, oldest first: AfterParam names the
// record the page starts after, BeforeParam (optional) the record the page
// ends before; the page is found by a seek on the ordered ids, so a record
// created or deleted between two requests neither shifts nor repeats the
// pages of a walk. A cursor of a record deleted since still works (it names
// a place in the order); one that no record of the collection ever had is
// refused with 400.
type Pagination struct {
	// Style is PageOffset, PageNumber or PageCursor.
	Style string `json:"style"`
	// SizeParam is the page-size parameter ("limit", "pageSize").
	SizeParam string `json:"sizeParam"`
	// PositionParam is "offset" (style offset) or "page" (style page);
	// style cursor has none.
	PositionParam string `json:"positionParam,omitempty"`
	// AfterParam (style cursor) is the parameter holding the cursor the
	// page starts after: "after", "starting_after", "cursor", "next_token",
	// "page_token".
	AfterParam string `json:"afterParam,omitempty"`
	// BeforeParam (style cursor, optional) is the parameter holding the
	// cursor the page ends before, to page backwards: "before",
	// "ending_before". A request may not give both.
	BeforeParam string `json:"beforeParam,omitempty"`
	// Cursor (style cursor) is CursorID (the default) or CursorOpaque.
	Cursor string `json:"cursor,omitempty"`
	// EmptyLinks writes "$next", "$previous", "$nextCursor" and
	// "$previousCursor" as "" rather than null where there is no such page:
	// for a document whose link or cursor is a string it does not say
	// nullable (the importer sets it from the list schema).
	EmptyLinks bool `json:"emptyLinks,omitempty"`
	// DefaultSize and MaxSize bound the page size.
	DefaultSize int `json:"defaultSize"`
	MaxSize     int `json:"maxSize"`
	// Body is the list response template. String values that are exactly
	// one of ListPlaceholders are replaced: "$items" (the records),
	// "$count", "$total", "$limit", "$offset", "$page", "$pageSize",
	// "$totalPages" (numbers), "$next", "$previous" (URL or null),
	// "$hasMore" (true when a next page exists; style cursor: more records
	// in the direction the request pages), "$nextCursor", "$previousCursor"
	// (style cursor: the value for AfterParam / BeforeParam that reads the
	// next / previous page, or null), "$firstId", "$lastId" (the ids of
	// the page's first and last records, or null on an empty page).
	// "$offset", "$page" and "$totalPages" are not available to style
	// cursor; "$nextCursor", "$previousCursor", "$firstId" and "$lastId"
	// only to it.
	//
	// A resource's own pagination may leave Body out: it then uses the
	// profile's.
	Body json.RawMessage `json:"body,omitempty"`
}

// ListPagination is the pagination of resource r's list: its own, else the
// profile's; its own without a body takes the profile's body.
func (p *Profile) ListPagination(r *Resource) Pagination {
	if r == nil || r.Pagination == nil {
		return p.Pagination
	}
	pg := *r.Pagination
	if len(pg.Body) == 0 {
		pg.Body = p.Pagination.Body
	}
	return pg
}

// Rate-limit header conventions.
const (
	HeadersRateLimit  = "ratelimit"   // RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset
	HeadersXRateLimit = "x-ratelimit" // X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset
)

// RateLimit is the per-key limit.
type RateLimit struct {
	// PerMinute is the number of requests a key may make in a one-minute
	// window; 0 means no limit.
	PerMinute int `json:"perMinute"`
	// Headers is HeadersRateLimit or HeadersXRateLimit. It also says what
	// the reset header holds: the seconds left in the window (ratelimit)
	// or the Unix time it ends (x-ratelimit).
	Headers string `json:"headers"`
	// HeaderNames, when set, are the header names the vendor's document
	// uses, in place of the convention's.
	HeaderNames *RateLimitHeaderNames `json:"headerNames,omitempty"`
}

// RateLimitHeaderNames name the three rate-limit headers.
type RateLimitHeaderNames struct {
	Limit     string `json:"limit"`
	Remaining string `json:"remaining"`
	Reset     string `json:"reset"`
}

// Errors describes the error envelope and the answer to each error kind.
type Errors struct {
	// Body is the error template. String values that are exactly a
	// placeholder are replaced: "$status" (number), "$code", "$message",
	// "$reason" (the HTTP reason phrase). It answers every status
	// ByStatus leaves out.
	Body json.RawMessage `json:"body"`
	// ContentType of Body's answers; empty means application/json.
	ContentType string `json:"contentType,omitempty"`
	// ByStatus gives a status ("404") or "default" its own template and
	// content type, as a vendor's document describes a body per status
	// (see Errors.For for which one answers).
	ByStatus map[string]ErrorBody `json:"byStatus,omitempty"`
	// Kinds maps an error kind (see Kinds) to its answer; kinds left out
	// get the engine's default.
	Kinds map[string]ErrorKind `json:"kinds,omitempty"`
}

// ErrorKind is the answer to one kind of error.
type ErrorKind struct {
	Status int    `json:"status"`
	Code   string `json:"code,omitempty"`
	// Message may contain "{detail}", replaced by the engine's specific
	// explanation (e.g. which parameter was out of range).
	Message string `json:"message"`
}

// CORS is the default cross-origin policy of the API (changeable at run time).
type CORS struct {
	// AllowedOrigins; "*" allows any. Empty disables CORS headers.
	AllowedOrigins []string `json:"allowedOrigins,omitempty"`
}

// Resource operations.
const (
	OpList   = "list"
	OpGet    = "get"
	OpCreate = "create"
	OpUpdate = "update"
	OpDelete = "delete"
)

// Resource is a collection with CRUD routes and seeded records.
type Resource struct {
	// Name is the resource's name in messages and the OpenAPI tags ("product").
	Name string `json:"name"`
	// Path is relative to BasePath (and the tenant prefix), e.g.
	// "inventory/product". A segment before the last may be a {name}
	// wildcard declared in Params, for a nested collection
	// ("audiences/{audienceId}/contacts"): it matches any value, and the
	// records are the same whatever it is.
	Path string `json:"path"`
	// Params declare and document the path's wildcards.
	Params []Param `json:"params,omitempty"`
	// Operations this resource offers (OpList...). Default: all five.
	Operations []string `json:"operations,omitempty"`
	// UpdateMethods for OpUpdate; default ["PUT", "PATCH"].
	UpdateMethods []string `json:"updateMethods,omitempty"`
	// ReadScope and WriteScope are the permissions GET and writes need
	// (model scopes: a scope name, or several separated by spaces, as OAuth
	// writes them, when all are needed; model readwrite: "read"/"write";
	// else empty).
	ReadScope  string `json:"readScope,omitempty"`
	WriteScope string `json:"writeScope,omitempty"`
	// PublicOperations are the operations answered without a key (an
	// OpenAPI operation with security: []). Needs tenancy kind none.
	PublicOperations []string `json:"publicOperations,omitempty"`
	// Security maps an operation (OpList...) to what it accepts, with
	// auth.schemes (an OpenAPI document gives each operation its own);
	// [] makes it public. An operation left out accepts any scheme.
	// The operation's scope (ReadScope, WriteScope) is needed as well.
	Security map[string]Security `json:"security,omitempty"`
	// IDPrefix makes ids strings ("sup_12"); empty means integer ids.
	IDPrefix string `json:"idPrefix,omitempty"`
	// Fields of a record, besides "id".
	Fields []Field `json:"fields"`
	// Seed is the deterministic seed data.
	Seed Seed `json:"seed"`
	// Views are read-only projections at {path}/{id}/{view}.
	Views []View `json:"views,omitempty"`
	// Statuses are the success statuses of the operations, where the API
	// documents others than the engine's defaults (see Statuses).
	Statuses *Statuses `json:"statuses,omitempty"`
	// DeleteBody (with statuses.delete 200) is the body a delete answers, a
	// template: a string value that is exactly "$id" is the deleted
	// record's id, as the API writes ids (resend's {"object": "email",
	// "id": "$id", "deleted": true}). Without one a 200 delete has no body.
	DeleteBody json.RawMessage `json:"deleteBody,omitempty"`
	// Unset is how a record writes a field without a value: UnsetNull (the
	// default) writes null and lets clients send null for any field that
	// is not required; UnsetOmit leaves it out and takes null only for a
	// Nullable field, as a JSON Schema that does not say nullable means.
	Unset string `json:"unset,omitempty"`
	// UnknownFields is what a create or update does with a body property
	// that is not one of Fields: UnknownRefuse (the default) answers 400
	// naming it; UnknownIgnore drops it, for an API imported from an
	// OpenAPI document (it needs openapi.document): the engine has already
	// checked the body against the document's request schema, which may
	// name properties the record (made from the response schema) does not
	// keep, such as a write-only password or a "send now" flag, or allow
	// values a field does not (a string where the answer has a list, a
	// request enum wider than the answer's): such a value is dropped too,
	// so that every answer still fits the response schema.
	UnknownFields string `json:"unknownFields,omitempty"`
	// Pagination of this resource's list, when it differs from the
	// profile's (a document whose lists page in different styles).
	Pagination *Pagination `json:"pagination,omitempty"`
}

// Unset styles.
const (
	UnsetNull = "null"
	UnsetOmit = "omit"
)

// What a resource does with unknown body properties (Resource.UnknownFields).
const (
	UnknownRefuse = "refuse"
	UnknownIgnore = "ignore"
)

// Statuses are a resource's documented success statuses; zero means the
// engine's default.
type Statuses struct {
	// Create is 201 (the default) or 200.
	Create int `json:"create,omitempty"`
	// Update is 200 (the default, with the record) or 204 (no body).
	Update int `json:"update,omitempty"`
	// Delete is 204 (the default, no body) or 200 (with DeleteBody).
	Delete int `json:"delete,omitempty"`
}

// DeleteIDPlaceholder is the placeholder of Resource.DeleteBody.
const DeleteIDPlaceholder = "$id"

// Field types.
const (
	TypeString  = "string"
	TypeInteger = "integer"
	TypeNumber  = "number"
	TypeBoolean = "boolean"
	// TypeObject and TypeArray hold a JSON object or array whose shape
	// Field.Schema describes.
	TypeObject = "object"
	TypeArray  = "array"
)

// Automatic field values.
const (
	AutoCreated = "created" // set to the time of creation
	AutoUpdated = "updated" // set to the time of the last write
)

// Field is one property of a record.
type Field struct {
	Name string `json:"name"`
	// Type is TypeString, TypeInteger, TypeNumber, TypeBoolean, TypeObject
	// or TypeArray.
	Type string `json:"type"`
	// Format is an OpenAPI format hint ("email", "date-time").
	Format string `json:"format,omitempty"`
	// Required on create.
	Required bool `json:"required,omitempty"`
	// Nullable fields take null as a value (see Resource.Unset).
	Nullable bool `json:"nullable,omitempty"`
	// Enum restricts a scalar field to these values, JSON values of the
	// field's type: strings, integers, numbers or booleans.
	Enum []any `json:"enum,omitempty"`
	// Minimum and Maximum bound a number or an integer; with
	// ExclusiveMinimum (ExclusiveMaximum) the bound itself is out.
	Minimum          *float64 `json:"minimum,omitempty"`
	Maximum          *float64 `json:"maximum,omitempty"`
	ExclusiveMinimum bool     `json:"exclusiveMinimum,omitempty"`
	ExclusiveMaximum bool     `json:"exclusiveMaximum,omitempty"`
	// MinLength and MaxLength bound a string, in characters.
	MinLength *int `json:"minLength,omitempty"`
	MaxLength *int `json:"maxLength,omitempty"`
	// MinItems and MaxItems bound an array.
	MinItems *int `json:"minItems,omitempty"`
	MaxItems *int `json:"maxItems,omitempty"`
	// Schema (types object and array, required there) is the value's
	// OpenAPI 3.0 schema as plain JSON, without $ref: type, properties,
	// required, items, additionalProperties, allOf/oneOf/anyOf, enum,
	// nullable, format, pattern, bounds, readOnly/writeOnly, description
	// and example. Clients' values are checked against it; seed values are
	// generated from it.
	Schema json.RawMessage `json:"schema,omitempty"`
	// Auto marks a field the server sets (AutoCreated, AutoUpdated); clients
	// cannot write it.
	Auto string `json:"auto,omitempty"`
	// Fake is the template (package fake) that seeds the field, e.g. "{productname}"
	// or "{number:1,500}". An enum field without one picks from Enum.
	Fake string `json:"fake,omitempty"`
	// Always says every record holds the field, though a client need not
	// send it: a create without it takes a generated value (Fake, Enum or
	// Schema), as the API fills it (an OpenAPI property the answer
	// requires and the request does not).
	Always bool `json:"always,omitempty"`
	// Description for the OpenAPI document.
	Description string `json:"description,omitempty"`
}

// Seed describes a resource's generated records (per tenant).
type Seed struct {
	// Count of records per tenant.
	Count int `json:"count"`
}

// View is a read-only projection of a record: GET {path}/{id}/{name}.
type View struct {
	Name  string `json:"name"`
	Scope string `json:"scope,omitempty"`
	// Fields copied from the record (the id is always included).
	Fields []string `json:"fields"`
	// IDField names the id in the view's body; default "id".
	IDField string `json:"idField,omitempty"`
	Summary string `json:"summary,omitempty"`
}

// Route kinds.
const (
	RouteTenant = "tenant" // answers the tenant's Object
	RouteStatic = "static" // answers Body
)

// Route is a non-CRUD route.
type Route struct {
	Method string `json:"method"`
	// Path relative to BasePath and the tenant prefix; may be empty (the
	// prefix itself). A segment may be a {name} wildcard declared in
	// Params, which matches any value.
	Path string `json:"path"`
	// Params declare and document the path's wildcards.
	Params []Param `json:"params,omitempty"`
	Kind   string  `json:"kind"`
	// Scope is what the route needs, as for Resource.ReadScope.
	Scope string `json:"scope,omitempty"`
	// Public routes answer without a key (OpenAPI security: []). Needs
	// tenancy kind none.
	Public bool `json:"public,omitempty"`
	// Security is what the route accepts, with auth.schemes; [] makes it
	// public. Left out, the route accepts any scheme. Scope is needed as
	// well.
	Security *Security `json:"security,omitempty"`
	Summary  string    `json:"summary,omitempty"`
	// Status of the answer, a 2xx; default 200.
	Status int `json:"status,omitempty"`
	// Body (kind static) is answered verbatim. A route of status 204 or
	// 205 has none and answers its status alone.
	Body json.RawMessage `json:"body,omitempty"`
}

// Param declares a {name} wildcard of a route's or resource's path.
type Param struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}
