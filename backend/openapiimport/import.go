// Package openapiimport turns a vendor's OpenAPI 3.0 or 3.1 document into
// a mockgate profile that the engine serves with real key enforcement, and
// says in a Summary what it made of each part and what it could not map.
//
// The mapping, in the order Import runs it:
//
//   - identity: the id (given, or a slug of info.title), the name, the
//     version, and the base path from the first server URL;
//   - security (security.go): every scheme becomes a named place keys are
//     read from (auth.schemes); oauth2 and openIdConnect scopes become the
//     profile's scopes; each operation's requirements become its security
//     (alternatives of schemes needed together, with their scopes), or a
//     public route for security: [];
//   - collections (resources.go): /things with /things/{id} (nested ones
//     too) become resources with fields from their schemas and
//     deterministic seed data; pagination (pagination.go) comes from their
//     list parameters and list schema;
//   - every other operation (routes.go) becomes a route answering the
//     document's example, or data generated from its schema (values.go);
//   - the error bodies (errors.go): each error status's documented body,
//     the default response's for the rest, else an RFC 9457 problem body
//     (application/problem+json).
//
// The profile is then validated and marshalled as readable YAML
// (yaml.go), which profile.Parse reads back to the same profile.
package openapiimport

import (
	"cmp"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"mockgate/backend/profile"
)

// Options change an import.
type Options struct {
	// ID is the profile's id; empty means a slug of info.title.
	ID string
	// Document, when set, is written in the profile's openapi.document: the
	// document's file relative to the profile's (the engine then serves the
	// document and checks requests against it).
	Document string
}

// Result is an imported document.
type Result struct {
	// Profile is the validated profile.
	Profile *profile.Profile
	// YAML is the profile as a readable file; profile.Parse reads it back.
	YAML    []byte
	Summary *Summary
}

// ImportFile loads the document at path and imports it.
func ImportFile(path string, opts Options) (*Result, error) {
	data, abs, err := readDocument(path)
	if err != nil {
		return nil, err
	}
	doc, err := loadOverlapped(data, path, abs) // Import waits for its validation
	if err != nil {
		return nil, err
	}
	return Import(doc, opts)
}

// Import maps a loaded document to a profile. An error means the document
// cannot become a profile at all (an id that is not valid, no operation a
// profile can serve); everything else that does not map is in the
// Summary's NotMapped.
func Import(doc *Document, opts Options) (res *Result, err error) {
	defer func() {
		if r := recover(); r != nil { // a bug here must not take the server down
			res, err = nil, fmt.Errorf("openapi %q: the import failed: %v", doc.Source, r)
		}
	}()
	im := &importer{doc: doc, t: doc.T, names: wildcardNames{}, served: newServed(), schemas: map[*openapi3.Schema]held{}}
	if err := im.identity(opts); err != nil {
		return nil, err
	}
	im.collect()
	im.security()
	im.collections()
	im.pagination()
	im.errorEnvelope()
	im.routes()
	im.rateLimit()
	im.finish()
	if err := doc.Wait(); err != nil { // the mapping ran beside the validation (loadOverlapped)
		return nil, err
	}
	data, p, err := im.marshal()
	if err != nil {
		return nil, fmt.Errorf("openapi %q: %w", doc.Source, err)
	}
	return &Result{Profile: p, YAML: data, Summary: im.sum}, nil
}

// importer holds one import's state; each step fills its part of p and
// sum.
type importer struct {
	doc *Document
	t   *openapi3.T
	p   *profile.Profile
	sum *Summary
	ops []*operation
	sec securityMap
	// names keeps the wildcards' names of each path shape, so that paths of
	// one shape name them alike (the engine's 405 patterns need it).
	names  wildcardNames
	served *served
	// lists are the resources' list operations, for pagination.
	lists []listed
	// schemas are the object and array fields' schemas written so far.
	schemas map[*openapi3.Schema]held
}

// gap records something the profile does not express.
func (im *importer) gap(where, format string, args ...any) {
	im.sum.NotMapped = append(im.sum.NotMapped, Gap{Where: where, Reason: fmt.Sprintf(format, args...)})
}

var (
	slugRE   = regexp.MustCompile(`[^a-z0-9]+`)
	idRE     = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`)
	segRE    = regexp.MustCompile(`^[A-Za-z0-9._~:@-]+$`)
	wildRE   = regexp.MustCompile(`^\{([^{}]+)\}$`)
	identRE  = regexp.MustCompile(`[^A-Za-z0-9_]+`)
	scopeBad = regexp.MustCompile(`[^A-Za-z0-9_.:/-]+`)
)

// CheckID says why id cannot be a profile's id, or nil.
func CheckID(id string) error {
	if !idRE.MatchString(id) {
		return fmt.Errorf("id %q: must be 1 to 32 lower-case letters, digits or '-', starting with a letter", id)
	}
	return nil
}

// Slug makes a profile id of a title: lower-case words joined by '-', at
// most 32 characters, starting with a letter.
func Slug(title string) string {
	s := strings.Trim(slugRE.ReplaceAllString(strings.ToLower(title), "-"), "-")
	if s == "" {
		return "api"
	}
	if s[0] < 'a' || s[0] > 'z' {
		s = "api-" + s
	}
	for len(s) > 32 {
		i := strings.LastIndexByte(s[:32], '-')
		if i <= 0 {
			s = s[:32]
			break
		}
		s = s[:i]
	}
	return strings.TrimRight(s, "-")
}

// identity fills the id, name, version, description and base path.
func (im *importer) identity(opts Options) error {
	t := im.t
	title, version, desc := "", "", ""
	if t.Info != nil {
		title, version, desc = strings.TrimSpace(t.Info.Title), strings.TrimSpace(t.Info.Version), strings.TrimSpace(t.Info.Description)
	}
	id := opts.ID
	if id == "" {
		id = Slug(title)
	} else if err := CheckID(id); err != nil {
		return err
	}
	im.p = &profile.Profile{
		ID:          id,
		Name:        cmp.Or(title, id),
		Version:     cmp.Or(version, "1"),
		Description: desc,
		Tenancy:     profile.Tenancy{Kind: profile.TenancyNone},
		KeyFormat:   profile.KeyFormat{Prefix: keyPrefix(id), Alphabet: "base62", Length: 32},
		RateLimit:   profile.RateLimit{PerMinute: 100, Headers: profile.HeadersRateLimit},
	}
	if opts.Document != "" {
		im.p.OpenAPI = &profile.OpenAPI{Document: opts.Document}
	}
	im.sum = &Summary{Source: im.doc.Source, OpenAPI: t.OpenAPI, Title: title, ID: id, NotMapped: []Gap{}}
	im.p.Notes = append(im.p.Notes, fmt.Sprintf("Imported from the OpenAPI %s document %q (version %s) by mockgate import openapi; its summary lists what the profile does not express.", t.OpenAPI, cmp.Or(title, im.doc.Source), cmp.Or(version, "unknown")))
	im.basePath()
	return nil
}

// keyPrefix starts an imported API's keys: its id's first word and '_'.
func keyPrefix(id string) string {
	w, _, _ := strings.Cut(id, "-")
	if len(w) > 12 {
		w = w[:12]
	}
	return w + "_"
}

// basePath is the path of the first server URL, its variables at their
// defaults.
func (im *importer) basePath() {
	if len(im.t.Servers) == 0 || im.t.Servers[0] == nil {
		im.p.Notes = append(im.p.Notes, "The document names no server: the API is served at the root.")
		return
	}
	srv := im.t.Servers[0]
	raw := srv.URL
	for name, v := range srv.Variables {
		if v != nil {
			raw = strings.ReplaceAll(raw, "{"+name+"}", v.Default)
		}
	}
	u, err := url.Parse(raw)
	if err != nil {
		im.gap("servers[0]", "the URL %q does not parse (%v): the API is served at the root", srv.URL, err)
		return
	}
	bp := strings.TrimRight(u.Path, "/")
	if bp == "" {
		return
	}
	for _, s := range strings.Split(strings.TrimPrefix(bp, "/"), "/") {
		if !segRE.MatchString(s) || s == "." || s == ".." {
			im.gap("servers[0]", "the path %q has a segment %q a base path cannot hold: the API is served at the root", bp, s)
			return
		}
	}
	im.p.BasePath = bp
	im.sum.BasePath = bp
}

// operation is one method on one path of the document.
type operation struct {
	method, path string
	op           *openapi3.Operation
	// params are the path item's parameters with the operation's own
	// (which override them by name and place).
	params []*openapi3.Parameter
	// segs is the parsed path; nil when no route can hold it.
	segs []segment
	sum  *OperationSummary
	// public and security are the security mapping (security.go):
	// security is nil for a public operation and where the profile reads
	// keys from one place.
	public   bool
	security profile.Security
	// resource is set when a resource serves the operation.
	resource bool
}

// segment is a literal path segment or a {wildcard} (its document name).
type segment struct{ lit, wild string }

func (o *operation) where() string { return o.method + " " + o.path }

// methods in the order OpenAPI lists them in a path item.
var methods = []string{"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"}

// servedMethods are those a profile route can have.
var servedMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}

// collect lists every operation in the document's order and parses its
// path.
func (im *importer) collect() {
	if im.t.Paths == nil {
		im.gap("paths", "the document has no paths")
		return
	}
	if n := len(im.t.Webhooks); n > 0 {
		im.gap("webhooks", "%s the API sends are not sent: the mock only answers requests", plural(n, "webhook"))
	}
	for _, path := range orderedKeys(im.t.Paths.Map(), func(it *openapi3.PathItem) *openapi3.Origin { return it.Origin }) {
		item := im.t.Paths.Value(path)
		if len(item.Servers) > 0 {
			im.gap(path, "its own servers are not used: it is served under the base path %q", im.p.BasePath)
		}
		for _, m := range methods {
			op := item.GetOperation(m)
			if op == nil {
				continue
			}
			o := &operation{method: m, path: path, op: op, params: profile.OperationParams(item.Parameters, op.Parameters)}
			o.sum = &OperationSummary{Method: m, Path: path, OperationID: op.OperationID, MappedTo: NotServed}
			im.ops = append(im.ops, o)
			if op.Servers != nil && len(*op.Servers) > 0 {
				im.gap(o.where(), "its own servers are not used: it is served under the base path %q", im.p.BasePath)
			}
			if len(op.Callbacks) > 0 {
				im.gap(o.where(), "its callbacks are not called: the mock only answers requests")
			}
			switch {
			case !slices.Contains(servedMethods, m):
				im.gap(o.where(), "method %s: a profile serves GET, POST, PUT, PATCH and DELETE (HEAD is answered for every GET)", m)
			default:
				o.segs = im.parsePath(o)
			}
		}
	}
	im.sum.Counts.Operations = len(im.ops)
}

// parsePath splits a document path into segments a route can hold; nil
// (with a gap) when it cannot.
func (im *importer) parsePath(o *operation) []segment {
	rel := strings.TrimPrefix(o.path, "/")
	switch {
	case !strings.HasPrefix(o.path, "/"):
		im.gap(o.where(), "the path does not start with '/'")
		return nil
	case rel == "" && im.p.BasePath == "":
		im.gap(o.where(), "the root path with no base path: the mock serves its own pages there")
		return nil
	case strings.HasSuffix(rel, "/"):
		im.gap(o.where(), "the path ends with '/': the engine serves clean paths only")
		return nil
	case im.p.BasePath == "" && o.path == profile.OpenAPIPath:
		im.gap(o.where(), "the mock serves its own OpenAPI document at %s", profile.OpenAPIPath)
		return nil
	}
	segs := []segment{}
	if rel == "" {
		return segs
	}
	for _, s := range strings.Split(rel, "/") {
		if m := wildRE.FindStringSubmatch(s); m != nil {
			segs = append(segs, segment{wild: m[1]})
			continue
		}
		if !segRE.MatchString(s) || s == "." || s == ".." {
			im.gap(o.where(), "the path segment %q has characters a route cannot hold (letters, digits and . _ ~ : @ - only; a {parameter} must be a whole segment)", s)
			return nil
		}
		segs = append(segs, segment{lit: s})
	}
	return segs
}

// wildcardNames keeps the wildcards' names of each path shape
// ("pet/{}"): the paths of one shape name them alike, so a profile reads
// the same wildcard under one name and the engine's 405 answer names one
// path. The first path of a shape names them.
type wildcardNames map[string][]string

// relPath renders segs as a profile path and returns its wildcards'
// names: those of its shape when one was rendered before, else the
// document's names made identifiers (unique in the path), with fixed
// naming some positions (a resource's "id"). In a resource's path (inRes)
// no other wildcard may be "id".
func (im *importer) relPath(segs []segment, fixed map[int]string, inRes bool) (string, []string) {
	var shape strings.Builder
	for i, s := range segs {
		if i > 0 {
			shape.WriteByte('/')
		}
		if s.lit != "" {
			shape.WriteString(s.lit)
		} else {
			shape.WriteString("{}")
		}
	}
	names, known := im.names[shape.String()]
	if !known {
		for i, s := range segs {
			if s.lit != "" {
				continue
			}
			n, ok := fixed[i]
			if !ok {
				n = identifier(s.wild, names, inRes)
			}
			names = append(names, n)
		}
		im.names[shape.String()] = names
	}
	parts := make([]string, len(segs))
	w := 0
	for i, s := range segs {
		if s.lit != "" {
			parts[i] = s.lit
			continue
		}
		parts[i] = "{" + names[w] + "}"
		w++
	}
	return strings.Join(parts, "/"), names
}

// identifier makes a wildcard name net/http accepts of a document's
// parameter name, unique among used (and not "id" when noID).
func identifier(want string, used []string, noID bool) string {
	base := strings.Trim(identRE.ReplaceAllString(want, "_"), "_")
	if base == "" || base[0] >= '0' && base[0] <= '9' {
		base = "p" + base
	}
	n := base
	for i := 2; slices.Contains(used, n) || noID && n == profile.IDParam; i++ {
		n = fmt.Sprintf("%s%d", base, i)
	}
	return n
}

// finish counts, and adds the checks every import leaves to later work.
func (im *importer) finish() {
	c := &im.sum.Counts
	for _, o := range im.ops {
		switch {
		case o.sum.MappedTo == NotServed:
			c.NotServed++
		case o.resource:
			c.InResources++
		default:
			c.Routes++
		}
		if o.sum.MappedTo != NotServed && o.public {
			c.Public++
		}
		im.sum.Operations = append(im.sum.Operations, *o.sum)
	}
	im.oneOfGaps()
	c.Resources = len(im.sum.Resources)
	c.Schemes = len(im.sum.Security)
	if c.Operations > c.NotServed {
		im.gap("every operation", "the documented response headers are not sent, and an error status documented with different bodies answers one of them")
	}
	c.NotMapped = len(im.sum.NotMapped)
}
