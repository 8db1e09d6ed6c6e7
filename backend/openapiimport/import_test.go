package openapiimport

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"mockgate/backend/openapi"
	"mockgate/backend/profile"
)

// imported imports a test document and checks what every import must
// give: a valid profile whose YAML reads back to it, and a summary that
// accounts for every operation.
func imported(t *testing.T, path string, opts Options) *Result {
	t.Helper()
	res, err := ImportFile(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Profile.Validate(); err != nil {
		t.Fatal(err)
	}
	back, err := profile.Parse(res.YAML, "back.yaml")
	if err != nil {
		t.Fatalf("the YAML does not read back: %v\n%s", err, res.YAML)
	}
	a, _ := json.Marshal(back)
	b, _ := json.Marshal(res.Profile)
	if !bytes.Equal(a, b) {
		t.Fatalf("the YAML reads back to another profile:\n%s\n%s", a, b)
	}
	s := res.Summary
	c := s.Counts
	if len(s.Operations) != c.Operations || c.InResources+c.Routes+c.NotServed != c.Operations || c.NotMapped != len(s.NotMapped) {
		t.Fatalf("counts do not add up: %+v (%d operations listed, %d gaps)", c, len(s.Operations), len(s.NotMapped))
	}
	for _, o := range s.Operations {
		if o.MappedTo == NotServed && !hasGap(s, o.Method+" "+o.Path, "") {
			t.Errorf("%s %s is not served and no gap says why", o.Method, o.Path)
		}
	}
	return res
}

// jsonEq compares JSON values: a profile read from YAML has its bodies'
// keys in alphabetical order.
func jsonEq(raw []byte, want string) bool {
	var a, b any
	return json.Unmarshal(raw, &a) == nil && json.Unmarshal([]byte(want), &b) == nil && reflect.DeepEqual(a, b)
}

func hasGap(s *Summary, where, reason string) bool {
	return slices.ContainsFunc(s.NotMapped, func(g Gap) bool { return g.Where == where && strings.Contains(g.Reason, reason) })
}

func opSummary(s *Summary, method, path string) OperationSummary {
	for _, o := range s.Operations {
		if o.Method == method && o.Path == path {
			return o
		}
	}
	return OperationSummary{}
}

func resource(p *profile.Profile, name string) *profile.Resource {
	for i := range p.Resources {
		if p.Resources[i].Name == name {
			return &p.Resources[i]
		}
	}
	return nil
}

func TestPetstore(t *testing.T) {
	res := imported(t, "testdata/petstore3.yaml", Options{})
	p, s := res.Profile, res.Summary
	if p.ID != "swagger-petstore-openapi-3-0" || p.BasePath != "/api/v3" || p.Version != "1.0.27-SNAPSHOT" {
		t.Fatalf("identity %q %q %q", p.ID, p.BasePath, p.Version)
	}
	want := Counts{Operations: 19, InResources: 10, Routes: 9, Public: 10, Resources: 3, Schemes: 2, NotMapped: len(s.NotMapped)}
	if s.Counts != want {
		t.Errorf("counts %+v, want %+v", s.Counts, want)
	}
	if !reflect.DeepEqual(p.Auth, profile.Auth{Header: "Authorization", Scheme: "Bearer"}) || !reflect.DeepEqual(p.ScopeNames(), []string{"write:pets", "read:pets"}) {
		t.Errorf("auth %+v scopes %v", p.Auth, p.ScopeNames())
	}
	if s.Security[0].Name != "petstore_auth" || !strings.HasPrefix(s.Security[0].MappedTo, "keys are read from the Authorization header") ||
		s.Security[1].Name != "api_key" || !strings.HasPrefix(s.Security[1].MappedTo, "not mapped") {
		t.Errorf("security %+v", s.Security)
	}
	pet := resource(p, "pet")
	if pet == nil || pet.Path != "pet" || pet.ReadScope != "write:pets read:pets" || pet.IDPrefix != "" ||
		!reflect.DeepEqual(pet.Operations, []string{"get", "create", "delete"}) {
		t.Fatalf("pet %+v", pet)
	}
	if user := resource(p, "user"); user == nil || user.IDPrefix != "user_" || len(user.PublicOperations) != 4 ||
		!reflect.DeepEqual(user.UpdateMethods, []string{"PUT"}) {
		t.Errorf("user %+v", user)
	}
	for _, tt := range []struct{ method, path, mapped, scopes string }{
		{"GET", "/pet/{petId}", "resource pet: get", "write:pets read:pets"},
		{"GET", "/pet/findByStatus", "route (generated)", "write:pets read:pets"},
		{"GET", "/store/inventory", "route (generated)", ""},
		{"GET", "/user/login", "route (generated)", ""},
		{"POST", "/pet/{petId}/uploadImage", "route (generated)", "write:pets read:pets"},
	} {
		if o := opSummary(s, tt.method, tt.path); o.MappedTo != tt.mapped || o.Scopes != tt.scopes {
			t.Errorf("%s %s: %+v, want %q with %q", tt.method, tt.path, o, tt.mapped, tt.scopes)
		}
	}
	if o := opSummary(s, "GET", "/user/login"); !o.Public {
		t.Errorf("the user routes are public: %+v", o)
	}
	for _, g := range []struct{ where, reason string }{
		{"securitySchemes.api_key", "reads a key from one place"},
		{"GET /pet/{petId}", "the alternative api_key is not honoured"},
		{"GET /store/inventory", "accepts only api_key"},
		{"pet", "photoUrls (array)"},
		{"POST /pet", "the document says 200"},
	} {
		if !hasGap(s, g.where, g.reason) {
			t.Errorf("no gap %s: %s", g.where, g.reason)
		}
	}
	// No error body in the document: RFC 9457 problems, said per status.
	if p := res.Profile; p.Errors.ContentType != profile.ContentTypeProblem || len(p.Errors.ByStatus) != 0 || !errorSaid(s, "404", "problem+json, the document describes no body") {
		t.Errorf("errors %s %+v; summary %+v", p.Errors.ContentType, p.Errors.ByStatus, s.Errors)
	}
	var text bytes.Buffer
	if err := s.WriteText(&text); err != nil || !strings.Contains(text.String(), "Operations: 19 (10 public): 10 served by 3 resources, 9 by routes, 0 not served") {
		t.Errorf("text summary:\n%s", text.String())
	}
}

func TestResend(t *testing.T) {
	res := imported(t, "testdata/resend.yaml", Options{ID: "resend-mock"})
	p, s := res.Profile, res.Summary
	if p.ID != "resend-mock" || p.BasePath != "" || p.Permissions.Model != profile.PermNone {
		t.Fatalf("id %q base %q model %q", p.ID, p.BasePath, p.Permissions.Model)
	}
	if s.Counts.Operations != 104 || s.Counts.Resources < 20 || s.Counts.Public != 0 || s.Counts.NotServed > 6 {
		t.Errorf("counts %+v", s.Counts)
	}
	for _, o := range s.Operations {
		if o.MappedTo == NotServed && !hasGap(s, o.Method+" "+o.Path, "the engine's router") {
			t.Errorf("%s %s is not served for another reason", o.Method, o.Path)
		}
	}
	email := resource(p, "email")
	if email == nil || email.Path != "emails" || email.IDPrefix != "email_" || !reflect.DeepEqual(email.UpdateMethods, []string{"PATCH"}) {
		t.Fatalf("email %+v", email)
	}
	if nested := resource(p, "attachment"); nested == nil || nested.Path != "emails/{email_id}/attachments" || nested.Params[0].Name != "email_id" {
		t.Errorf("nested collection %+v", nested)
	}
	pg := p.Pagination
	if pg.SizeParam != "limit" || pg.MaxSize != 100 || pg.DefaultSize != 100 || !jsonEq(pg.Body, `{"object":"list","has_more":false,"data":"$items"}`) {
		t.Errorf("pagination %+v %s", pg, pg.Body)
	}
	if !strings.HasPrefix(s.Pagination, "cursors (after, before) are not expressible yet") || !hasGap(s, "pagination", "cursor parameters after, before are not read") {
		t.Errorf("pagination summary %q", s.Pagination)
	}
	for _, r := range p.Resources {
		if r.Seed.Count > pg.MaxSize {
			t.Errorf("%s seeds %d records, more than one page", r.Name, r.Seed.Count)
		}
	}
}

func TestMultiFile(t *testing.T) {
	res := imported(t, "testdata/multifile/openapi.yaml", Options{})
	p, s := res.Profile, res.Summary
	if p.ID != "widget-factory" || p.BasePath != "/v2" {
		t.Fatalf("id %q base path %q (the server's variable is v2)", p.ID, p.BasePath)
	}
	w := resource(p, "widget")
	if w == nil || w.ReadScope != "widgets:read" || w.WriteScope != "widgets:write" || len(w.Fields) != 5 {
		t.Fatalf("widget %+v", w)
	}
	if f := w.Fields[1]; f.Name != "colour" || !f.Required || !reflect.DeepEqual(f.Enum, []string{"red", "green", "blue"}) {
		t.Errorf("colour %+v", f)
	}
	if f := w.Fields[4]; f.Name != "createdAt" || f.Auto != profile.AutoCreated {
		t.Errorf("createdAt %+v", f)
	}
	if f := w.Fields[2]; f.Fake != "{number:1,5000}" {
		t.Errorf("weightGrams %+v", f)
	}
	pg := p.Pagination
	if pg.Style != profile.PageOffset || pg.SizeParam != "limit" || pg.PositionParam != "offset" || pg.DefaultSize != 10 || pg.MaxSize != 50 ||
		!jsonEq(pg.Body, `{"items":"$items","total":"$total","next":"$next"}`) {
		t.Errorf("pagination %+v %s", pg, pg.Body)
	}
	if !jsonEq(p.Errors.Body, `{"error":{"code":"$code","message":"$message"}}`) {
		t.Errorf("error body %s", p.Errors.Body)
	}
	if o := opSummary(s, "GET", "/health"); !o.Public || o.MappedTo != "route (example)" && o.MappedTo != "route (generated)" {
		t.Errorf("health %+v", o)
	}
}

func TestCircular(t *testing.T) {
	res := imported(t, "testdata/circular.yaml", Options{})
	p, s := res.Profile, res.Summary
	if !reflect.DeepEqual(p.Auth, profile.Auth{Query: "api_key"}) {
		t.Fatalf("auth %+v", p.Auth)
	}
	if pg := p.Pagination; pg.Style != profile.PageNumber || pg.SizeParam != "per_page" || pg.MaxSize != 25 ||
		!jsonEq(pg.Body, `{"data":"$items","page":"$page","total_pages":"$totalPages","has_more":"$hasMore"}`) {
		t.Errorf("pagination %+v %s", pg, pg.Body)
	}
	if !hasGap(s, "GET /nodes/{nodeId}/subtree", "circular") || !hasGap(s, "node", "parent (object), children (array)") {
		t.Errorf("gaps %+v", s.NotMapped)
	}
	var subtree *profile.Route
	for i := range p.Routes {
		if p.Routes[i].Path == "nodes/{nodeId}/subtree" {
			subtree = &p.Routes[i]
		}
	}
	if subtree == nil || len(subtree.Body) > 4096 || !json.Valid(subtree.Body) {
		t.Fatalf("the circular answer %+v", subtree)
	}
	if ping := opSummary(s, "GET", "/ping"); !ping.Public || ping.MappedTo != "route (no body)" {
		t.Errorf("ping %+v", ping)
	}
}

// TestDeterministic: the same document gives the same bytes every time.
func TestDeterministic(t *testing.T) {
	a := imported(t, "testdata/resend.yaml", Options{})
	b := imported(t, "testdata/resend.yaml", Options{})
	if !bytes.Equal(a.YAML, b.YAML) {
		t.Fatal("two imports of one document differ")
	}
	ja, _ := json.Marshal(a.Summary)
	jb, _ := json.Marshal(b.Summary)
	if !bytes.Equal(ja, jb) {
		t.Fatal("two summaries of one document differ")
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Swagger Petstore - OpenAPI 3.0": "swagger-petstore-openapi-3-0",
		"Resend":                         "resend",
		"":                               "api",
		"2048 API":                       "api-2048-api",
		"Über  Café!!":                   "ber-caf",
		"A very long title that goes on and on past the end": "a-very-long-title-that-goes-on",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestGeneratedDocumentsValidate: an imported API publishes the OpenAPI
// document generated from its profile at /openapi.json (the Explorer reads
// it); it must be valid for every test document.
func TestGeneratedDocumentsValidate(t *testing.T) {
	for _, doc := range []string{"testdata/petstore3.yaml", "testdata/resend.yaml", "testdata/multifile/openapi.yaml", "testdata/circular.yaml"} {
		res := imported(t, doc, Options{})
		raw, err := openapi.Generate(res.Profile, "http://127.0.0.1:7705")
		if err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		gen, err := openapi3.NewLoader().LoadFromData(raw)
		if err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		if err := gen.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
			t.Errorf("%s: the generated document: %v", doc, err)
		}
	}
}
