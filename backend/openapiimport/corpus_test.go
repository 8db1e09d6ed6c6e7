package openapiimport_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"mockgate/backend/admin"
	"mockgate/backend/instance/instancetest"
	"mockgate/backend/openapiimport"
	"mockgate/backend/profile"
)

// corpus is every document the importer is held to (testdata/README.md
// says where each comes from and what it exercises). The rule for
// each: every operation answers as the vendor's ORIGINAL document says,
// with a key, without one, and with a key that lacks its scopes.
var corpus = []string{
	"testdata/petstore3.yaml",
	"testdata/resend.yaml",
	"testdata/circular.yaml",
	"testdata/multifile/openapi.yaml",
	"testdata/corpus/stripe.yaml.gz",
	"testdata/corpus/figma.yaml",
	"testdata/corpus/adyen-management-v3.json",
	"testdata/corpus/asana.yaml",
	"testdata/corpus/intellifi.json",
	"testdata/corpus/cross-file/root.yaml",
}

// Failure categories, in the order they are reported.
const (
	failImport      = "import"
	failKey         = "key"
	failStatus      = "undocumented status"
	failContentType = "wrong content type"
	failBody        = "body mismatch"
	failAuth        = "wrong auth status"
)

var failOrder = []string{failImport, failKey, failStatus, failContentType, failBody, failAuth}

// maxLines caps the failure lines printed per document; the totals per
// category are always printed.
const maxLines = 40

// failures collects one document's failures by category, and the answers
// accepted as reported rather than failed (see refusedUndocumented).
type failures struct {
	byCat map[string]int
	lines []string
	// refused counts the 401/403 refusals of statuses the document does
	// not document.
	refused int
	// known are the operations whose answer failed where the importer says
	// it cannot serve them (see knownGap).
	known []string
}

func (f *failures) add(cat, format string, args ...any) {
	if f.byCat == nil {
		f.byCat = map[string]int{}
	}
	f.byCat[cat]++
	f.lines = append(f.lines, cat+": "+fmt.Sprintf(format, args...))
}

func (f *failures) total() int {
	n := 0
	for _, c := range f.byCat {
		n += c
	}
	return n
}

// report prints the capped failure lines and one line of totals.
func (f *failures) report(t *testing.T, doc string, ops, calls int) {
	t.Helper()
	for i, l := range f.lines {
		if i == maxLines {
			t.Errorf("... %d more failure lines", len(f.lines)-maxLines)
			break
		}
		t.Error(l)
	}
	var parts []string
	for _, c := range failOrder {
		if n := f.byCat[c]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", c, n))
		}
	}
	reported := fmt.Sprintf("refused, status not documented %d; known gaps %d %v", f.refused, len(f.known), f.known)
	if n := f.total(); n > 0 {
		t.Errorf("CORPUS %s: %d operations, %d calls, %d failures: %s; %s", doc, ops, calls, n, strings.Join(parts, ", "), reported)
	} else {
		t.Logf("CORPUS %s: %d operations, %d calls, no failure; %s", doc, ops, calls, reported)
	}
}

// TestCorpus imports each document, serves the profile, and calls every
// operation of the original document, validating each answer with
// kin-openapi against that original document.
func TestCorpus(t *testing.T) {
	for _, doc := range corpus {
		t.Run(strings.TrimPrefix(doc, "testdata/"), func(t *testing.T) {
			runCorpusDocument(t, doc, localDocument(t, doc))
		})
	}
}

// localDocument returns a path the importer can read: a gzipped document
// is decompressed into a temporary folder (the importer reads plain files;
// the big vendor documents are kept compressed in the repository).
func localDocument(t testing.TB, doc string) string {
	t.Helper()
	if !strings.HasSuffix(doc, ".gz") {
		return doc
	}
	f, err := os.Open(doc)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), strings.TrimSuffix(filepath.Base(doc), ".gz"))
	if err := os.WriteFile(out, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}

func runCorpusDocument(t *testing.T, name, doc string) {
	var f failures
	abs, err := filepath.Abs(doc)
	if err != nil {
		t.Fatal(err)
	}
	// As serve --openapi and the admin API import: the profile keeps the
	// document, and the engine checks requests against it.
	res, err := openapiimport.ImportFile(doc, openapiimport.Options{Document: filepath.ToSlash(abs)})
	if err != nil {
		f.add(failImport, "%v", firstLines(err.Error(), 5))
		f.report(t, name, 0, 0)
		return
	}
	file := filepath.Join(t.TempDir(), res.Profile.ID+".yaml")
	if err := os.WriteFile(file, res.YAML, 0o600); err != nil {
		t.Fatal(err)
	}
	h := instancetest.Start(t, instancetest.APIs("jelou"), instancetest.ProfileFiles(file))
	api := res.Profile.ID
	orig := loadOriginal(t, doc, "http://127.0.0.1:"+strconv.Itoa(h.Port(api))+res.Profile.BasePath)

	c := &corpusRun{t: t, h: h, api: api, doc: orig, f: &f, ids: map[string]string{}, created: map[string]string{}, gaps: map[string]bool{}, oneOfGaps: map[string]bool{}}
	for _, g := range res.Summary.NotMapped {
		c.gaps[g.Where] = true
		if strings.HasPrefix(g.Reason, "the document's oneOf at ") {
			c.oneOfGaps[g.Where] = true
		}
	}
	c.all = c.key(nil)
	if scopes := documentScopes(orig); len(scopes) > 0 {
		c.narrowScope = scopes[0]
		c.narrow = c.key([]string{scopes[0]})
	}
	ops := operations(orig)
	for _, op := range ops {
		c.exercise(op)
	}
	f.report(t, name, len(ops), c.calls)
}

// loadOriginal loads the vendor's document on its own (not through the
// importer), with its servers replaced by the mock's URL.
func loadOriginal(t *testing.T, doc, server string) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	d, err := loader.LoadFromFile(doc)
	if err != nil {
		t.Fatalf("the original document does not load: %v", err)
	}
	d.Servers = openapi3.Servers{{URL: server}}
	return d
}

// documentScopes lists the scopes the document's oauth2 flows define, in a
// stable order.
func documentScopes(d *openapi3.T) []string {
	var out []string
	if d.Components == nil {
		return nil
	}
	names := make([]string, 0, len(d.Components.SecuritySchemes))
	for n := range d.Components.SecuritySchemes {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		ss := d.Components.SecuritySchemes[n]
		if ss == nil || ss.Value == nil || ss.Value.Flows == nil {
			continue
		}
		fl := ss.Value.Flows
		for _, flow := range []*openapi3.OAuthFlow{fl.Implicit, fl.Password, fl.ClientCredentials, fl.AuthorizationCode} {
			if flow == nil {
				continue
			}
			for s := range flow.Scopes {
				if !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// corpusOp is one operation of the original document.
type corpusOp struct {
	path, method string
	item         *openapi3.PathItem
	op           *openapi3.Operation
}

func (o corpusOp) String() string { return o.method + " " + o.path }

// operations lists the document's operations in its order, deletes last so
// that they do not take away the records the other operations use.
func operations(d *openapi3.T) []corpusOp {
	var ops, deletes []corpusOp
	for _, p := range d.Paths.InMatchingOrder() {
		item := d.Paths.Value(p)
		if item == nil {
			continue
		}
		for _, m := range []string{"GET", "HEAD", "OPTIONS", "TRACE", "POST", "PUT", "PATCH", "DELETE"} {
			op := item.GetOperation(m)
			if op == nil {
				continue
			}
			o := corpusOp{path: p, method: m, item: item, op: op}
			if m == "DELETE" {
				deletes = append(deletes, o)
			} else {
				ops = append(ops, o)
			}
		}
	}
	slices.SortStableFunc(ops, func(a, b corpusOp) int { return strings.Compare(a.path, b.path) })
	slices.SortStableFunc(deletes, func(a, b corpusOp) int { return strings.Compare(a.path, b.path) })
	return append(ops, deletes...)
}

// corpusRun is one document's run against its mock.
type corpusRun struct {
	t           *testing.T
	h           *instancetest.Harness
	api         string
	doc         *openapi3.T
	f           *failures
	all, narrow string
	narrowScope string
	calls       int
	// ids caches a collection path's first record id, for the path
	// parameters that follow it.
	ids map[string]string
	// created keeps the id of the record a collection path's POST made.
	created map[string]string
	// gaps are the operations ("POST /things") the import summary names in
	// NotMapped.
	gaps map[string]bool
	// oneOfGaps are the operations the summary names for a oneOf the
	// document makes impossible to satisfy (oneof.go).
	oneOfGaps map[string]bool
}

// key creates a key through the admin API, without a rate limit (the run
// sends far more than 100 requests a minute); scopes nil = every scope.
func (c *corpusRun) key(scopes []string) string {
	off := 0
	var k admin.CreatedKey
	st := c.h.Admin("POST", "/keys", admin.CreateKeyRequest{API: c.api, Name: "corpus", Scopes: scopes, RateLimit: &off}, &k)
	if st != http.StatusCreated || k.Key == "" {
		c.f.add(failKey, "create a key with scopes %v: status %d", scopes, st)
		return ""
	}
	return k.Key
}

// exercise calls one operation with a key holding every scope, without a
// key, and with a key lacking its scopes, and checks each answer.
func (c *corpusRun) exercise(o corpusOp) {
	sec := requirements(c.doc, o.op)
	secured := len(sec) > 0 && !slices.ContainsFunc(sec, func(r openapi3.SecurityRequirement) bool { return len(r) == 0 })

	if c.all != "" {
		r, req, params := c.send(o, sec, c.all)
		if r.Status == http.StatusUnauthorized || r.Status == http.StatusForbidden {
			c.f.add(failAuth, "%s with a key holding every scope: %d %.200s", o, r.Status, r.Body)
		}
		if o.method == http.MethodPost && r.Status/100 == 2 {
			var rec struct {
				ID any `json:"id"`
			}
			if json.Unmarshal(r.Body, &rec) == nil && rec.ID != nil {
				c.created[o.path] = scalar(rec.ID)
			}
		}
		if c.knownGap(o, req, params, r) {
			c.f.known = append(c.f.known, o.String())
		} else {
			c.validate(o, req, params, r, "with a key")
		}
	}

	r, req, params := c.send(o, nil, "")
	switch {
	case secured && r.Status != http.StatusUnauthorized:
		c.f.add(failAuth, "%s without a key: %d, want 401", o, r.Status)
	case !secured && r.Status == http.StatusUnauthorized:
		c.f.add(failAuth, "%s is public but answered 401 without a key", o)
	}
	if !(secured && c.refusedUndocumented(o, r, http.StatusUnauthorized, "without a key")) {
		c.validate(o, req, params, r, "without a key")
	}

	if c.narrow != "" && secured && needsOtherScope(sec, c.narrowScope) {
		r, req, params := c.send(o, sec, c.narrow)
		if r.Status != http.StatusForbidden {
			c.f.add(failAuth, "%s with a key holding only %q: %d, want 403", o, c.narrowScope, r.Status)
		}
		if !c.refusedUndocumented(o, r, http.StatusForbidden, "with a narrow key") {
			c.validate(o, req, params, r, "with a narrow key")
		}
	}
}

// knownGap says whether an answer with a key is a known gap rather than a
// failure: only the answer the gap itself causes, where the document
// offers the operation in no JSON form and the import summary names the
// operation in NotMapped (so the user is told): a 415 to a body the
// document takes only as multipart, XML or a form the engine cannot read, or a JSON answer where the
// document answers only an image or a file. Such operations are listed
// in the CORPUS line.
func (c *corpusRun) knownGap(o corpusOp, req *http.Request, params map[string]string, r instancetest.Response) bool {
	if !c.gaps[o.String()] {
		return false
	}
	// Where the summary says the document's oneOf cannot be satisfied
	// (oneof.go), no value validates there: an answer that fails only
	// on such oneOfs, or the engine's refusal of a request body on one.
	if c.oneOfGaps[o.String()] {
		if r.Status/100 == 2 {
			if err := c.responseError(o, req, params, r); err != nil && onlyUnsatisfiableOneOfs(err) {
				return true
			}
		}
		if r.Status == http.StatusBadRequest && bytes.Contains(r.Body, []byte(`matches more than one schema from \"oneOf\"`)) {
			return true
		}
	}
	noJSON := func(ct openapi3.Content) bool {
		if len(ct) == 0 {
			return false
		}
		for mt := range ct {
			if mt == "application/json" || strings.HasSuffix(mt, "+json") {
				return false
			}
		}
		return true
	}
	// A form the engine reads is taken (profile.FormBody): its 415 is a failure.
	if rb := o.op.RequestBody; r.Status == http.StatusUnsupportedMediaType && rb != nil && rb.Value != nil && noJSON(rb.Value.Content) && profile.FormBody(o.op) == nil {
		return true
	}
	if resp := o.op.Responses.Status(r.Status); r.Status/100 == 2 && resp != nil && resp.Value != nil && noJSON(resp.Value.Content) {
		return true
	}
	return false
}

// onlyUnsatisfiableOneOfs says every leaf of a validation error is a oneOf
// matched more than once, or an anyOf whose alternatives are all such
// oneOfs (kin-openapi drops the anyOf's causes).
func onlyUnsatisfiableOneOfs(err error) bool {
	var re *openapi3filter.ResponseError
	if errors.As(err, &re) && re.Err != nil {
		err = re.Err
	}
	var me openapi3.MultiError
	if errors.As(err, &me) {
		for _, e := range me {
			if !onlyUnsatisfiableOneOfs(e) {
				return false
			}
		}
		return len(me) > 0
	}
	var se *openapi3.SchemaError
	if !errors.As(err, &se) {
		return false
	}
	if errors.Is(se.Origin, openapi3.ErrOneOfConflict) {
		return true
	}
	if se.Origin != nil {
		return onlyUnsatisfiableOneOfs(se.Origin)
	}
	if se.SchemaField != "anyOf" || se.Schema == nil || len(se.Schema.AnyOf) == 0 {
		return false
	}
	for _, alt := range se.Schema.AnyOf {
		if alt == nil || !openapiimport.IndistinguishableOneOf(alt.Value) {
			return false
		}
	}
	return true
}

// refusedUndocumented is the one exception to "every answer validates
// against the document", decided by the lead: a mock that enforces keys
// must refuse a secured operation called without a key (401) or with a
// key lacking its scopes (403) even where the vendor's document documents
// neither that status nor a default response (many documents leave their
// 401 out). Such a refusal is accepted, and counted in the CORPUS line as
// "refused, status not documented", when it is exactly the refusal
// expected (status want) and its body is the API's own JSON error body:
// a JSON content type and a JSON object. It reports whether it took the
// answer; a refusal the document documents is validated as any other.
func (c *corpusRun) refusedUndocumented(o corpusOp, r instancetest.Response, want int, how string) bool {
	if r.Status != want || o.op.Responses.Status(want) != nil || o.op.Responses.Default() != nil {
		return false
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var body map[string]any
	if (mt != "application/json" && !strings.HasSuffix(mt, "+json")) || json.Unmarshal(r.Body, &body) != nil {
		c.f.add(failBody, "%s %s: the undocumented %d is not a JSON error body (%q: %s)", o, how, want, mt, firstLines(string(r.Body), 1))
		return true
	}
	c.f.refused++
	return true
}

// requirements is the operation's security, else the document's.
func requirements(d *openapi3.T, op *openapi3.Operation) openapi3.SecurityRequirements {
	if op.Security != nil {
		return *op.Security
	}
	return d.Security
}

// needsOtherScope reports whether every alternative needs a scope other
// than have: a key holding only have must then get 403.
func needsOtherScope(sec openapi3.SecurityRequirements, have string) bool {
	for _, alt := range sec {
		ok := true
		for _, scopes := range alt {
			for _, s := range scopes {
				if s != have {
					ok = false
				}
			}
		}
		if ok {
			return false
		}
	}
	return true
}

// validate checks one answer against the original document: a documented
// status, the documented content type, a body matching the schema.
func (c *corpusRun) validate(o corpusOp, req *http.Request, params map[string]string, r instancetest.Response, how string) {
	resp := o.op.Responses.Status(r.Status)
	if resp == nil {
		resp = o.op.Responses.Default()
	}
	if resp == nil || resp.Value == nil {
		c.f.add(failStatus, "%s %s: %d is not documented (%s)", o, how, r.Status, firstLines(string(r.Body), 1))
		return
	}
	// 204 and 304 answers have no body nor content type (RFC 9110),
	// whatever content the document gives them: the documented status is
	// all they can match.
	if r.Status == http.StatusNoContent || r.Status == http.StatusNotModified {
		return
	}
	if len(resp.Value.Content) > 0 && o.method != "HEAD" {
		ct := r.Header.Get("Content-Type")
		mt, _, _ := mime.ParseMediaType(ct)
		if resp.Value.Content.Get(mt) == nil {
			c.f.add(failContentType, "%s %s: %d answered %q, the document says %s", o, how, r.Status, ct, strings.Join(keys(resp.Value.Content), ", "))
			return
		}
	}
	if err := c.responseError(o, req, params, r); err != nil {
		c.f.add(failBody, "%s %s: %d: %s", o, how, r.Status, firstLines(err.Error(), 2))
	}
}

// responseError is kin-openapi's verdict on an answer.
func (c *corpusRun) responseError(o corpusOp, req *http.Request, params map[string]string, r instancetest.Response) error {
	route := &routers.Route{Spec: c.doc, Server: c.doc.Servers[0], Path: o.path, PathItem: o.item, Method: o.method, Operation: o.op}
	return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 r.Status,
		Header:                 r.Header,
		Body:                   io.NopCloser(bytes.NewReader(r.Body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	})
}

func keys(c openapi3.Content) []string {
	out := make([]string, 0, len(c))
	for k := range c {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// firstLines keeps n lines of s, each at most 240 characters.
func firstLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = append(lines[:n], "…")
	}
	for i, l := range lines {
		if len(l) > 240 {
			lines[i] = l[:240] + "…"
		}
	}
	return strings.Join(lines, " | ")
}

// pathEscape escapes a path parameter's value.
func pathEscape(v string) string { return url.PathEscape(v) }
