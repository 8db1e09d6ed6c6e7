package profile

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/brianvoe/gofakeit/v7"
)

// FieldError is one problem in a profile, at a field path such as
// "resources[1].fields[2].type".
type FieldError struct {
	Path string
	Msg  string
}

// Error returns "path: message".
func (e FieldError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// ValidationError lists every problem found in a profile. The GUI and the
// admin API can show Problems field by field; Error gives one line each.
type ValidationError struct {
	// ID is the profile's id as written (may be empty or invalid).
	ID string
	// Source is the file the profile came from, when known.
	Source   string
	Problems []FieldError
}

// Error returns one line per problem, each prefixed with the profile.
func (e *ValidationError) Error() string {
	var label string
	switch {
	case e.ID != "" && e.Source != "":
		label = fmt.Sprintf("profile %q (%s)", e.ID, e.Source)
	case e.ID != "":
		label = fmt.Sprintf("profile %q", e.ID)
	case e.Source != "":
		label = fmt.Sprintf("profile %q", e.Source)
	default:
		label = "profile"
	}
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = label + ": " + p.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems, so errors.As finds a FieldError.
func (e *ValidationError) Unwrap() []error {
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p
	}
	return out
}

var (
	idRE        = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`)
	keyPrefixRE = regexp.MustCompile(`^[A-Za-z0-9_-]*$`)
	scopeRE     = regexp.MustCompile(`^[A-Za-z0-9_.:/-]+$`)
	dnsLabelRE  = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	segmentRE   = regexp.MustCompile(`^[A-Za-z0-9._~:@-]+$`)
	// wildcard names must be Go identifiers for net/http.ServeMux.
	paramRE        = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	queryParamRE   = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)
	resourceNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,63}$`)
	fieldNameRE    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]{0,63}$`)
	viewNameRE     = regexp.MustCompile(`^[a-z0-9-]+$`)
	idPrefixRE     = regexp.MustCompile(`^[a-z0-9_]{0,16}$`)
)

// ListPlaceholders are the placeholders a pagination body may use (see
// Pagination.Body); the engine compiles the body with the same list.
var ListPlaceholders = []string{"$items", "$count", "$total", "$limit", "$offset", "$page", "$pageSize", "$totalPages", "$next", "$previous"}

// ErrorPlaceholders are the placeholders an error body may use (see
// Errors.Body); the engine compiles the body with the same list.
var ErrorPlaceholders = []string{"$status", "$code", "$message", "$reason"}

// MaxSeedCount bounds Seed.Count, and the seed data of a whole profile
// (every resource times every tenant): enough for the deep-page benchmark,
// and a bound on what a profile can make the server hold in memory.
const MaxSeedCount = 2_000_000

// MaxFakeLen bounds one seeded value (a rendered fake template).
const MaxFakeLen = 1024

// Validate checks every rule the engine and the OpenAPI generator rely on.
// It returns nil or a *ValidationError naming each problem's field.
func (p *Profile) Validate() error {
	c := &checker{p: p}
	c.top()
	c.auth()
	c.permissions()
	c.tenancy()
	c.pagination()
	c.errors()
	c.rateLimitAndCORS()
	c.resources()
	c.routes()
	c.endpoints()
	if len(c.problems) == 0 {
		return nil
	}
	return &ValidationError{ID: p.ID, Problems: c.problems}
}

type checker struct {
	p        *Profile
	problems []FieldError
}

func (c *checker) add(path, format string, args ...any) {
	c.problems = append(c.problems, FieldError{Path: path, Msg: fmt.Sprintf(format, args...)})
}

// oneOf checks that v is one of allowed.
func (c *checker) oneOf(path, v string, allowed ...string) bool {
	if slices.Contains(allowed, v) {
		return true
	}
	c.add(path, "must be one of %s (got %q)", strings.Join(allowed, ", "), v)
	return false
}

func (c *checker) top() {
	p := c.p
	if !idRE.MatchString(p.ID) {
		c.add("id", "must be 1 to 32 lower-case letters, digits or '-', starting with a letter (got %q)", p.ID)
	}
	if strings.TrimSpace(p.Name) == "" {
		c.add("name", "must not be empty")
	}
	if strings.TrimSpace(p.Version) == "" {
		c.add("version", "must not be empty")
	}
	// An empty basePath serves the API at the root.
	if p.BasePath != "" {
		if !strings.HasPrefix(p.BasePath, "/") || strings.HasSuffix(p.BasePath, "/") || strings.Contains(p.BasePath, "{") {
			c.add("basePath", "must start with '/', not end with '/' and contain no '{' (got %q)", p.BasePath)
		} else {
			c.segments("basePath", strings.TrimPrefix(p.BasePath, "/"))
		}
	}
}

// segments checks a '/'-separated relative path of literal segments.
func (c *checker) segments(path, rel string) {
	for _, s := range strings.Split(rel, "/") {
		if !segmentRE.MatchString(s) || s == "." || s == ".." {
			c.add(path, "segment %q must be letters, digits or . _ ~ : @ - (got %q)", s, rel)
			return
		}
	}
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r > 0x7e || !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", r)) {
			return false
		}
	}
	return true
}

func (c *checker) auth() {
	a := c.p.Auth
	if !isToken(a.Header) {
		c.add("auth.header", "must be an HTTP header name (got %q)", a.Header)
	}
	if a.Scheme != "" && !isToken(a.Scheme) {
		c.add("auth.scheme", "must be empty or an auth scheme token such as Bearer (got %q)", a.Scheme)
	}
	seen := map[string]bool{}
	for i, q := range a.QueryParams {
		path := fmt.Sprintf("auth.queryParams[%d]", i)
		if !queryParamRE.MatchString(q) {
			c.add(path, "must be letters, digits, '_', '.' or '-' (got %q)", q)
		} else if seen[q] {
			c.add(path, "%q is listed twice", q)
		}
		seen[q] = true
	}
	k := c.p.KeyFormat
	if !keyPrefixRE.MatchString(k.Prefix) {
		c.add("keyFormat.prefix", "must be letters, digits, '_' or '-' (got %q)", k.Prefix)
	}
	c.oneOf("keyFormat.alphabet", k.Alphabet, "hex", "base62")
	if k.Length < 16 || k.Length > 128 {
		c.add("keyFormat.length", "must be 16..128 (got %d)", k.Length)
	}
}

func (c *checker) permissions() {
	pm := c.p.Permissions
	if !c.oneOf("permissions.model", pm.Model, PermNone, PermReadWrite, PermScopes) {
		return
	}
	declared := map[string]bool{}
	for i, s := range pm.Scopes {
		path := fmt.Sprintf("permissions.scopes[%d].name", i)
		switch {
		case !scopeRE.MatchString(s.Name):
			c.add(path, "must be letters, digits or _ . : / - (got %q)", s.Name)
		case declared[s.Name]:
			c.add(path, "%q is declared twice", s.Name)
		}
		declared[s.Name] = true
	}
	switch pm.Model {
	case PermNone:
		if len(pm.Scopes) > 0 || len(pm.Implies) > 0 || len(pm.Default) > 0 {
			c.add("permissions", "scopes, implies and default must be empty when model is none")
		}
		return
	case PermReadWrite:
		names := c.p.ScopeNames()
		if len(names) != 2 || !declared["read"] || !declared["write"] {
			c.add("permissions.scopes", "must be exactly read and write when model is readwrite (got %s)", quoteList(names))
		}
		if slices.Contains(pm.Implies["read"], "write") {
			c.add("permissions.implies.read", "read may not imply write")
		}
	case PermScopes:
		if len(pm.Scopes) == 0 {
			c.add("permissions.scopes", "must declare at least one scope when model is scopes")
		}
	}
	for _, k := range sortedKeys(pm.Implies) {
		path := "permissions.implies." + k
		if !declared[k] {
			c.add(path, "%q is not a declared scope", k)
		}
		for i, s := range pm.Implies[k] {
			if !declared[s] {
				c.add(fmt.Sprintf("%s[%d]", path, i), "%q is not a declared scope", s)
			}
		}
	}
	seen := map[string]bool{}
	for i, s := range pm.Default {
		path := fmt.Sprintf("permissions.default[%d]", i)
		if !declared[s] {
			c.add(path, "%q is not a declared scope", s)
		} else if seen[s] {
			c.add(path, "%q is listed twice", s)
		}
		seen[s] = true
	}
}

// scope checks a scope a route needs; write says whether the route writes.
func (c *checker) scope(path, s string, write bool) {
	pm := c.p.Permissions
	switch pm.Model {
	case PermNone:
		if s != "" {
			c.add(path, "must be empty when permissions.model is none (got %q)", s)
		}
	case PermReadWrite:
		if write && s != "write" {
			c.add(path, "must be \"write\" for a route that writes when permissions.model is readwrite (got %q)", s)
		} else if !write && s != "" && s != "read" && s != "write" {
			c.add(path, "must be \"read\", \"write\" or empty when permissions.model is readwrite (got %q)", s)
		}
	case PermScopes:
		if s != "" && !slices.Contains(c.p.ScopeNames(), s) {
			c.add(path, "%q is not a declared scope (permissions.scopes)", s)
		}
	}
}

func (c *checker) tenancy() {
	t := c.p.Tenancy
	if !c.oneOf("tenancy.kind", t.Kind, TenancyNone, TenancySubdomain, TenancyPath) {
		return
	}
	if t.Kind == TenancyNone {
		if len(t.Tenants) > 0 || t.Default != "" || t.PathPrefix != "" || t.Param != "" {
			c.add("tenancy", "tenants, default, pathPrefix and param must be empty when kind is none")
		}
		return
	}
	if len(t.Tenants) == 0 {
		c.add("tenancy.tenants", "must list at least one tenant when kind is %s", t.Kind)
	}
	seen := map[string]bool{}
	for i, tn := range t.Tenants {
		path := fmt.Sprintf("tenancy.tenants[%d]", i)
		switch {
		case t.Kind == TenancySubdomain && !dnsLabelRE.MatchString(tn.ID):
			c.add(path+".id", "must be a DNS label: lower-case letters, digits and '-', at most 63 (got %q)", tn.ID)
		case t.Kind == TenancyPath && (!segmentRE.MatchString(tn.ID) || tn.ID == "." || tn.ID == ".."):
			c.add(path+".id", "must be a path segment: letters, digits or . _ ~ : @ - (got %q)", tn.ID)
		case seen[tn.ID]:
			c.add(path+".id", "%q is listed twice", tn.ID)
		}
		seen[tn.ID] = true
		if len(tn.Object) > 0 && !isJSONObject(tn.Object) {
			c.add(path+".object", "must be a JSON object")
		}
	}
	if !seen[t.Default] {
		c.add("tenancy.default", "must be one of the tenants' ids (got %q)", t.Default)
	}
	if t.Kind == TenancySubdomain {
		if t.PathPrefix != "" || t.Param != "" {
			c.add("tenancy", "pathPrefix and param are only for kind path")
		}
		return
	}
	if !paramRE.MatchString(t.Param) {
		c.add("tenancy.param", "must be a name of letters, digits and '_' not starting with a digit (got %q)", t.Param)
		return
	}
	if t.Param == IDParam {
		c.add("tenancy.param", "must not be %q: records use it", IDParam)
	}
	wild := "{" + t.Param + "}"
	if strings.Count(t.PathPrefix, wild) != 1 {
		c.add("tenancy.pathPrefix", "must contain %s exactly once (got %q)", wild, t.PathPrefix)
		return
	}
	for _, s := range strings.Split(t.PathPrefix, "/") {
		if s != wild && !segmentRE.MatchString(s) {
			c.add("tenancy.pathPrefix", "segment %q must be %s or letters, digits or . _ ~ : @ - (got %q)", s, wild, t.PathPrefix)
			return
		}
	}
}

func (c *checker) pagination() {
	pg := c.p.Pagination
	c.oneOf("pagination.style", pg.Style, PageOffset, PageNumber)
	queryIn := c.p.Auth.QueryParams
	for _, f := range []struct{ path, v string }{{"pagination.sizeParam", pg.SizeParam}, {"pagination.positionParam", pg.PositionParam}} {
		switch {
		case !queryParamRE.MatchString(f.v):
			c.add(f.path, "must be a query parameter name of letters, digits, '_', '.' or '-' (got %q)", f.v)
		case slices.Contains(queryIn, f.v):
			c.add(f.path, "%q is also in auth.queryParams, which refuses it as a key in the URL", f.v)
		}
	}
	if pg.SizeParam != "" && pg.SizeParam == pg.PositionParam {
		c.add("pagination.positionParam", "must differ from sizeParam (both %q)", pg.SizeParam)
	}
	if pg.DefaultSize < 1 || pg.DefaultSize > pg.MaxSize {
		c.add("pagination.defaultSize", "must be 1..maxSize (got %d, maxSize %d)", pg.DefaultSize, pg.MaxSize)
	}
	if pg.MaxSize < 1 || pg.MaxSize > 10000 {
		c.add("pagination.maxSize", "must be 1..10000 (got %d)", pg.MaxSize)
	}
	c.template("pagination.body", pg.Body, ListPlaceholders, "$items")
}

func (c *checker) errors() {
	e := c.p.Errors
	c.template("errors.body", e.Body, ErrorPlaceholders, "$message")
	usesCode := strings.Contains(string(e.Body), `"$code"`)
	for _, k := range sortedKeys(e.Kinds) {
		path := "errors.kinds." + k
		if !slices.Contains(Kinds, k) {
			c.add(path, "unknown error kind (known: %s)", strings.Join(Kinds, ", "))
			continue
		}
		a := e.Kinds[k]
		if a.Status < 400 || a.Status > 599 || http.StatusText(a.Status) == "" {
			c.add(path+".status", "must be an HTTP error status, 4xx or 5xx (got %d)", a.Status)
		}
		if strings.TrimSpace(a.Message) == "" {
			c.add(path+".message", "must not be empty")
		}
		if usesCode && a.Code == "" {
			c.add(path+".code", "must not be empty: errors.body uses $code")
		}
	}
}

// template checks a body template: a JSON object whose placeholder strings
// are all in allowed and which holds each of once exactly once.
func (c *checker) template(path string, body json.RawMessage, allowed []string, once string) {
	if !isJSONObject(body) {
		c.add(path, "must be a JSON object")
		return
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		c.add(path, "must be a JSON object: %v", err)
		return
	}
	count := 0
	var walk func(path string, v any, inArray bool)
	walk = func(path string, v any, inArray bool) {
		switch x := v.(type) {
		case map[string]any:
			for _, k := range sortedKeys(x) {
				walk(join(path, k), x[k], inArray)
			}
		case []any:
			for i, e := range x {
				walk(path+"["+strconv.Itoa(i)+"]", e, true)
			}
		case string:
			if !strings.HasPrefix(x, "$") {
				return
			}
			switch {
			case !slices.Contains(allowed, x):
				c.add(path, "unknown placeholder %q (known: %s)", x, strings.Join(allowed, " "))
			case inArray:
				c.add(path, "placeholder %q may not be inside a list", x)
			}
			if x == once {
				count++
			}
		}
	}
	walk(path, v, false)
	if count != 1 {
		c.add(path, "must contain %q exactly once (found %d)", once, count)
	}
}

func (c *checker) rateLimitAndCORS() {
	rl := c.p.RateLimit
	if rl.PerMinute < 0 {
		c.add("rateLimit.perMinute", "must be 0 (no limit) or more (got %d)", rl.PerMinute)
	}
	if rl.PerMinute > 0 || rl.Headers != "" {
		c.oneOf("rateLimit.headers", rl.Headers, HeadersRateLimit, HeadersXRateLimit)
	}
	seen := map[string]bool{}
	for i, o := range c.p.CORS.AllowedOrigins {
		path := fmt.Sprintf("cors.allowedOrigins[%d]", i)
		if !CORSOrigin(o) {
			c.add(path, "must be \"*\" or an origin such as http://localhost:5173 (got %q)", o)
		} else if seen[o] {
			c.add(path, "%q is listed twice", o)
		}
		seen[o] = true
	}
}

// CORSOrigin reports whether s may stand in a list of allowed CORS origins:
// "*" or an origin as a browser sends it in its Origin header (scheme,
// host and optional port; no path, not even "/", no user, query or
// fragment). Profile validation and the run-time settings both ask it.
func CORSOrigin(s string) bool {
	if s == "*" {
		return true
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" &&
		u.User == nil && u.Path == "" && u.RawQuery == "" && u.Fragment == "" && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "#")
}

var allOps = []string{OpList, OpGet, OpCreate, OpUpdate, OpDelete}

func (c *checker) resources() {
	p := c.p
	if len(p.Resources) == 0 && len(p.Routes) == 0 {
		c.add("resources", "must list at least one resource (or routes at least one route)")
	}
	names, paths := map[string]int{}, map[string]int{}
	for i := range p.Resources {
		r := &p.Resources[i]
		at := fmt.Sprintf("resources[%d]", i)
		if !resourceNameRE.MatchString(r.Name) {
			c.add(at+".name", "must be a letter then letters, digits, '_' or '-', at most 64 (got %q)", r.Name)
		} else if j, dup := names[strings.ToLower(r.Name)]; dup {
			c.add(at+".name", "%q is also the name of resources[%d]", r.Name, j)
		} else {
			names[strings.ToLower(r.Name)] = i
		}
		switch {
		case r.Path == "" || strings.HasPrefix(r.Path, "/") || strings.HasSuffix(r.Path, "/") || strings.Contains(r.Path, "{"):
			c.add(at+".path", "must be non-empty with no leading or trailing '/' and no '{' (got %q)", r.Path)
		default:
			c.segments(at+".path", r.Path)
			if j, dup := paths[r.Path]; dup {
				c.add(at+".path", "%q is also the path of resources[%d]", r.Path, j)
			}
			paths[r.Path] = i
		}
		seenOp := map[string]bool{}
		for j, op := range r.Operations {
			path := fmt.Sprintf("%s.operations[%d]", at, j)
			if c.oneOf(path, op, allOps...) && seenOp[op] {
				c.add(path, "%q is listed twice", op)
			}
			seenOp[op] = true
		}
		seenM := map[string]bool{}
		for j, m := range r.UpdateMethods {
			path := fmt.Sprintf("%s.updateMethods[%d]", at, j)
			m = strings.ToUpper(m)
			if c.oneOf(path, m, http.MethodPut, http.MethodPatch) && seenM[m] {
				c.add(path, "%q is listed twice", m)
			}
			seenM[m] = true
		}
		if len(r.UpdateMethods) > 0 && !r.Has(OpUpdate) {
			c.add(at+".updateMethods", "is set but operations has no update")
		}
		writes := r.Has(OpCreate) || r.Has(OpUpdate) || r.Has(OpDelete)
		c.scope(at+".readScope", r.ReadScope, false)
		if writes || r.WriteScope != "" {
			c.scope(at+".writeScope", r.WriteScope, true)
		}
		if !idPrefixRE.MatchString(r.IDPrefix) {
			c.add(at+".idPrefix", "must be at most 16 lower-case letters, digits or '_' (got %q)", r.IDPrefix)
		}
		if r.Seed.Count < 0 || r.Seed.Count > MaxSeedCount {
			c.add(at+".seed.count", "must be 0..%d (got %d)", MaxSeedCount, r.Seed.Count)
		}
		fields := c.fields(at, r.Fields)
		c.views(at, r, fields)
	}
	tenants := 1
	if p.Tenancy.Kind != TenancyNone && len(p.Tenancy.Tenants) > 0 {
		tenants = len(p.Tenancy.Tenants)
	}
	total := 0
	for _, r := range p.Resources {
		if r.Seed.Count > 0 {
			total += r.Seed.Count
		}
	}
	if total*tenants > MaxSeedCount {
		c.add("resources", "the seed data totals %d records (%d per tenant x %d tenants); a profile may seed at most %d", total*tenants, total, tenants, MaxSeedCount)
	}
}

var fieldTypes = []string{TypeString, TypeInteger, TypeNumber, TypeBoolean}

// fields checks a resource's fields and returns them by name.
func (c *checker) fields(at string, fs []Field) map[string]*Field {
	byName := map[string]*Field{}
	for j := range fs {
		f := &fs[j]
		path := fmt.Sprintf("%s.fields[%d]", at, j)
		switch {
		case !fieldNameRE.MatchString(f.Name):
			c.add(path+".name", "must be a letter or '_' then letters, digits, '_' or '-', at most 64 (got %q)", f.Name)
		case f.Name == IDParam:
			c.add(path+".name", "must not be %q: every record has it", IDParam)
		case byName[f.Name] != nil:
			c.add(path+".name", "%q is declared twice", f.Name)
		default:
			byName[f.Name] = f
		}
		c.oneOf(path+".type", f.Type, fieldTypes...)
		if len(f.Enum) > 0 {
			if f.Type != TypeString {
				c.add(path+".enum", "is only for string fields (type is %q)", f.Type)
			}
			seen := map[string]bool{}
			for k, v := range f.Enum {
				if seen[v] {
					c.add(fmt.Sprintf("%s.enum[%d]", path, k), "%q is listed twice", v)
				}
				seen[v] = true
			}
		}
		if f.Fake != "" {
			c.fake(path+".fake", f)
		}
		if f.Auto != "" {
			if c.oneOf(path+".auto", f.Auto, AutoCreated, AutoUpdated) && (f.Type != TypeString || f.Format != "date-time") {
				c.add(path+".auto", "is only for fields of type string with format date-time")
			}
			if f.Required {
				c.add(path+".required", "must be false for an auto field: clients cannot write it")
			}
		}
	}
	return byName
}

var fakeCallRE = regexp.MustCompile(`\{([^{}:]+)(:[^{}]*)?\}`)

// fake renders a field's seed template a few times with a fixed seed: the
// dataset falls back to a zero value when a template fails, which would
// seed every record with "" or 0 without a word, and gofakeit leaves an
// unknown {function} in the output verbatim.
func (c *checker) fake(path string, f *Field) {
	for _, m := range fakeCallRE.FindAllStringSubmatch(f.Fake, -1) {
		info := gofakeit.GetFuncLookup(m[1])
		if info == nil {
			c.add(path, "{%s} is not a gofakeit function (in %q)", m[1], f.Fake)
			return
		}
		// Refuse a size argument (a length, a count) over the cap before
		// rendering: {password:true,true,true,true,false,50000000} would
		// otherwise take seconds and megabytes just to be refused.
		args := strings.Split(strings.TrimPrefix(m[2], ":"), ",")
		for i, prm := range info.Params {
			if i >= len(args) || m[2] == "" || prm.Field == "min" || prm.Field == "max" {
				continue
			}
			if prm.Type != "int" && prm.Type != "uint" {
				continue
			}
			if n, err := strconv.ParseInt(strings.TrimSpace(args[i]), 10, 64); err == nil && n > MaxFakeLen {
				c.add(path, "{%s}: %s %d is over %d (in %q)", m[1], prm.Field, n, MaxFakeLen, f.Fake)
				return
			}
		}
	}
	// Two fakers with the same seed must render the same values: seed data
	// is deterministic (the same on every machine and after a reset). Some
	// gofakeit functions ignore the faker's seed ({daterange} does), and a
	// sample of values would then pass or fail by chance.
	faker, again := gofakeit.New(1), gofakeit.New(1)
	for range 5 {
		v, err := faker.Generate(f.Fake)
		if err != nil {
			c.add(path, "%q fails: %v", f.Fake, err)
			return
		}
		if len(v) > MaxFakeLen {
			c.add(path, "%q renders %d characters; a seeded value may have at most %d", f.Fake, len(v), MaxFakeLen)
			return
		}
		if w, _ := again.Generate(f.Fake); w != v {
			c.add(path, "%q is not deterministic (one seed gave %q and %q): seed data must be the same every time; use functions such as {number:1,28}", f.Fake, v, w)
			return
		}
		if msg := fakeValueProblem(f, v); msg != "" {
			c.add(path, "%q gives %q, which %s", f.Fake, v, msg)
			return
		}
	}
}

// fakeValueProblem says why a generated value does not suit the field, as
// the engine would check a client's value; "" when it does.
func fakeValueProblem(f *Field, v string) string {
	switch f.Type {
	case TypeInteger:
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return "is not an integer"
		}
	case TypeNumber:
		if x, err := strconv.ParseFloat(v, 64); err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
			return "is not a number"
		}
	case TypeBoolean:
		if v != "true" && v != "false" {
			return "is not true or false"
		}
	case TypeString:
		if len(f.Enum) > 0 && !slices.Contains(f.Enum, v) {
			return "is not in enum"
		}
		switch f.Format {
		case "date-time":
			if _, err := time.Parse(time.RFC3339, v); err != nil {
				return "is not an RFC 3339 date-time"
			}
		case "date":
			if _, err := time.Parse(time.DateOnly, v); err != nil {
				return "is not a date (yyyy-mm-dd)"
			}
		case "email":
			if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
				return "is not an email address"
			}
		case "uri":
			if u, err := url.Parse(v); err != nil || u.Scheme == "" || u.Host == "" {
				return "is not an absolute URL"
			}
		}
	}
	return ""
}

func (c *checker) views(at string, r *Resource, fields map[string]*Field) {
	seen := map[string]bool{}
	for j := range r.Views {
		v := &r.Views[j]
		path := fmt.Sprintf("%s.views[%d]", at, j)
		if !viewNameRE.MatchString(v.Name) {
			c.add(path+".name", "must be lower-case letters, digits or '-' (got %q)", v.Name)
		} else if seen[v.Name] {
			c.add(path+".name", "%q is declared twice", v.Name)
		}
		seen[v.Name] = true
		c.scope(path+".scope", v.Scope, false)
		if v.IDField != "" && !fieldNameRE.MatchString(v.IDField) {
			c.add(path+".idField", "must be a letter or '_' then letters, digits, '_' or '-' (got %q)", v.IDField)
		}
		idField := cmp.Or(v.IDField, IDParam)
		inView := map[string]bool{}
		for k, name := range v.Fields {
			fp := fmt.Sprintf("%s.fields[%d]", path, k)
			switch {
			case fields[name] == nil:
				c.add(fp, "%q is not a field of resource %q", name, r.Name)
			case name == idField:
				c.add(fp, "%q is also the view's id field", name)
			case inView[name]:
				c.add(fp, "%q is listed twice", name)
			}
			inView[name] = true
		}
	}
}

var routeMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

func (c *checker) routes() {
	for i := range c.p.Routes {
		rt := &c.p.Routes[i]
		at := fmt.Sprintf("routes[%d]", i)
		m := strings.ToUpper(rt.Method)
		c.oneOf(at+".method", m, routeMethods...)
		if rel := strings.Trim(rt.Path, "/"); rel != "" {
			if strings.Contains(rel, "{") {
				c.add(at+".path", "must contain no '{' (got %q)", rt.Path)
			} else {
				c.segments(at+".path", rel)
			}
		}
		if rt.Status != 0 && (rt.Status < 200 || rt.Status > 299 || rt.Status == 204 || rt.Status == 205 || http.StatusText(rt.Status) == "") {
			c.add(at+".status", "must be a 2xx status with a body, not 204 or 205 (got %d)", rt.Status)
		}
		c.scope(at+".scope", rt.Scope, m != http.MethodGet)
		if !c.oneOf(at+".kind", rt.Kind, RouteTenant, RouteStatic) {
			continue
		}
		switch rt.Kind {
		case RouteTenant:
			if c.p.Tenancy.Kind != TenancyPath && c.p.Tenancy.Kind != TenancySubdomain {
				c.add(at+".kind", "tenant needs tenancy.kind path or subdomain (got %q)", c.p.Tenancy.Kind)
			}
			if len(rt.Body) > 0 {
				c.add(at+".body", "must be empty for kind tenant: it answers the tenant's object")
			}
		case RouteStatic:
			if len(rt.Body) == 0 || !json.Valid(rt.Body) {
				c.add(at+".body", "must be a JSON value for kind static")
			}
		}
	}
}

// endpoints checks that every method and path is served once and that
// net/http.ServeMux accepts the whole set, which it refuses by panicking.
func (c *checker) endpoints() {
	p := c.p
	where := func(e Endpoint) string {
		for i := range p.Routes {
			if e.Route == &p.Routes[i] {
				return fmt.Sprintf("routes[%d]", i)
			}
		}
		for i := range p.Resources {
			r := &p.Resources[i]
			if e.Resource != r {
				continue
			}
			for j := range r.Views {
				if e.View == &r.Views[j] {
					return fmt.Sprintf("resources[%d].views[%d]", i, j)
				}
			}
			return fmt.Sprintf("resources[%d]", i)
		}
		return "endpoints"
	}
	mux := http.NewServeMux()
	seen := map[string]string{}
	for _, e := range p.Endpoints() {
		at := where(e)
		if !strings.HasPrefix(e.Path, "/") {
			c.add(at, "serves the empty path: give it a path or set basePath")
			continue
		}
		pattern := e.Method + " " + e.Path
		if prev, dup := seen[pattern]; dup {
			c.add(at, "%s is also served by %s", pattern, prev)
			continue
		}
		seen[pattern] = at
		if err := register(mux, pattern); err != nil {
			c.add(at, "%s cannot be served: %s", pattern, muxProblem(err.Error(), seen))
		}
	}
}

var (
	conflictRE   = regexp.MustCompile(`conflicts with pattern "([^"]+)"`)
	likeRE       = regexp.MustCompile(`like ("[^"]*")`)
	registeredRE = regexp.MustCompile(` \(registered at [^)]*\)`)
)

// muxProblem shortens ServeMux's panic message, which names source lines,
// into one line naming the profile part that owns the other pattern.
func muxProblem(msg string, owners map[string]string) string {
	if m := conflictRE.FindStringSubmatch(msg); m != nil {
		out := fmt.Sprintf("it conflicts with %s of %s: both match some paths", m[1], owners[m[1]])
		if l := likeRE.FindStringSubmatch(msg); l != nil {
			out += ", like " + l[1] + ","
		}
		return out + " and neither is more specific"
	}
	first, _, _ := strings.Cut(registeredRE.ReplaceAllString(msg, ""), "\n")
	return first
}

func register(mux *http.ServeMux, pattern string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	mux.HandleFunc(pattern, func(http.ResponseWriter, *http.Request) {})
	return nil
}

func isJSONObject(raw json.RawMessage) bool {
	var m map[string]json.RawMessage
	return len(raw) > 0 && json.Unmarshal(raw, &m) == nil && m != nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = strconv.Quote(v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
