package profile

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
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

// The name syntaxes, in one place because several checks share them; each
// check lives in the validate_*.go file named for the part it validates.
var (
	idRE        = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`)
	keyPrefixRE = regexp.MustCompile(`^[A-Za-z0-9_-]*$`)
	scopeRE     = regexp.MustCompile(`^[A-Za-z0-9_.:/-]+$`)
	dnsLabelRE  = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	segmentRE   = regexp.MustCompile(`^[A-Za-z0-9._~:@-]+$`)
	// wildcard names are identifiers: the engine reads them with r.PathValue.
	paramRE        = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	queryParamRE   = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)
	schemeNameRE   = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)
	resourceNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,63}$`)
	fieldNameRE    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]{0,63}$`)
	viewNameRE     = regexp.MustCompile(`^[a-z0-9-]+$`)
	idPrefixRE     = regexp.MustCompile(`^[a-z0-9_]{0,16}$`)
)

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
	if p.OpenAPI != nil {
		switch d := p.OpenAPI.Document; {
		case strings.TrimSpace(d) == "":
			c.add("openapi.document", "must name the OpenAPI document's file, relative to the profile file")
		case strings.Contains(d, "://"):
			c.add("openapi.document", "must be a file, not a URL (got %q): mockgate reads no document over the network", d)
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

// wildPath checks a relative route or resource path whose segments are
// literals or {name} wildcards, and the params (at path's sibling
// ".params") that declare the wildcards. A wildcard name must be an
// identifier, appear once, and not be the tenancy parameter (the
// prefix has it). lastLiteral (a collection's path) wants a literal last
// segment; noID refuses {id}, which a resource's item path adds itself.
func (c *checker) wildPath(at, rel string, params []Param, lastLiteral, noID bool) {
	declared := map[string]bool{}
	for i, prm := range params {
		path := fmt.Sprintf("%s.params[%d].name", at, i)
		switch {
		case !paramRE.MatchString(prm.Name):
			c.add(path, "must be a name of letters, digits and '_' not starting with a digit (got %q)", prm.Name)
		case declared[prm.Name]:
			c.add(path, "%q is declared twice", prm.Name)
		case !strings.Contains("/"+rel+"/", "/{"+prm.Name+"}/"):
			c.add(path, "{%s} is not a segment of the path (got %q)", prm.Name, rel)
		}
		declared[prm.Name] = true
	}
	if rel == "" {
		return
	}
	segs := strings.Split(rel, "/")
	seen := map[string]bool{}
	for i, s := range segs {
		name, wild := strings.CutPrefix(s, "{")
		name, closed := strings.CutSuffix(name, "}")
		switch {
		case !wild && (!segmentRE.MatchString(s) || s == "." || s == ".."):
			c.add(at+".path", "segment %q must be letters, digits or . _ ~ : @ - (got %q)", s, rel)
		case !wild:
			continue
		case lastLiteral && i == len(segs)-1:
			c.add(at+".path", "must end with the collection's name, a literal segment with no '{' (got %q)", rel)
		case !closed || !declared[name]:
			c.add(at+".path", "segment %q is not a wildcard declared in params: a path has no '{' but for those (got %q)", s, rel)
		case noID && name == IDParam:
			c.add(at+".path", "wildcard {%s} is the record id's, which the item path adds (got %q)", IDParam, rel)
		case c.p.Tenancy.Kind == TenancyPath && name == c.p.Tenancy.Param:
			c.add(at+".path", "wildcard {%s} is the tenancy parameter, already in the prefix (got %q)", name, rel)
		case seen[name]:
			c.add(at+".path", "wildcard {%s} appears twice (got %q)", name, rel)
		default:
			seen[name] = true
			continue
		}
		return
	}
}

// public checks that an endpoint answered without a key needs no scope
// and that the API has no tenancy: the tenant of a request is checked
// against its key.
func (c *checker) public(path, scope string) {
	if c.p.Tenancy.Kind != TenancyNone {
		c.add(path, "public endpoints need tenancy.kind none, since a tenant is checked against the key (got %q)", c.p.Tenancy.Kind)
	}
	if scope != "" {
		c.add(path, "a public endpoint needs no key, so it cannot need a scope (got %q)", scope)
	}
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
