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
	wantAuth := profile.Auth{Schemes: []profile.AuthScheme{
		{Name: "petstore_auth", Header: "Authorization", Scheme: "Bearer", Scoped: true},
		{Name: "api_key", Header: "api_key"},
	}}
	if !reflect.DeepEqual(p.Auth, wantAuth) || !reflect.DeepEqual(p.ScopeNames(), []string{"write:pets", "read:pets"}) {
		t.Errorf("auth %+v scopes %v", p.Auth, p.ScopeNames())
	}
	if s.Security[0].Name != "petstore_auth" || !strings.HasPrefix(s.Security[0].MappedTo, "keys are read from the Authorization header as Bearer <key>; a key holds every scope") ||
		s.Security[1].Name != "api_key" || s.Security[1].MappedTo != "keys are read from the api_key header" {
		t.Errorf("security %+v", s.Security)
	}
	pet := resource(p, "pet")
	if pet == nil || pet.Path != "pet" || pet.ReadScope != "" || pet.IDPrefix != "" ||
		!reflect.DeepEqual(pet.Operations, []string{"get", "create", "delete"}) {
		t.Fatalf("pet %+v", pet)
	}
	both := profile.Requirement{"petstore_auth": {"write:pets", "read:pets"}}
	if !reflect.DeepEqual(pet.Security, map[string]profile.Security{
		"get":    {{"api_key": {}}, both},
		"create": {both},
		"delete": {both},
	}) {
		t.Errorf("pet security %v", pet.Security)
	}
	if rl := p.RateLimit; rl.HeaderNames == nil || *rl.HeaderNames != (profile.RateLimitHeaderNames{Limit: "X-Rate-Limit", Remaining: "X-Rate-Limit-Remaining", Reset: "X-Rate-Limit-Reset"}) ||
		rl.Headers != profile.HeadersXRateLimit {
		t.Errorf("rate limit %+v %+v (the document names X-Rate-Limit on /user/login)", rl, rl.HeaderNames)
	}
	if user := resource(p, "user"); user == nil || user.IDPrefix != "" /* User.id is an integer */ || len(user.PublicOperations) != 4 ||
		!reflect.DeepEqual(user.UpdateMethods, []string{"PUT"}) {
		t.Errorf("user %+v", user)
	}
	for _, tt := range []struct{ method, path, mapped, security string }{
		{"GET", "/pet/{petId}", "resource pet: get", "api_key | petstore_auth [write:pets read:pets]"},
		{"GET", "/pet/findByStatus", "route (generated)", "petstore_auth [write:pets read:pets]"},
		{"GET", "/store/inventory", "route (generated)", "api_key"},
		{"GET", "/user/login", "route (generated)", ""},
		{"POST", "/pet/{petId}/uploadImage", "route (generated)", "petstore_auth [write:pets read:pets]"},
	} {
		if o := opSummary(s, tt.method, tt.path); o.MappedTo != tt.mapped || o.Security != tt.security {
			t.Errorf("%s %s: %+v, want %q with %q", tt.method, tt.path, o, tt.mapped, tt.security)
		}
	}
	if rt := routeOf(p, "GET", "store/inventory"); rt == nil || rt.Security == nil || !reflect.DeepEqual(*rt.Security, profile.Security{{"api_key": {}}}) {
		t.Errorf("GET /store/inventory accepts only api_key: %+v", rt)
	}
	if o := opSummary(s, "GET", "/user/login"); !o.Public {
		t.Errorf("the user routes are public: %+v", o)
	}
	for _, g := range []struct{ where, reason string }{
		{"pet", "left out"},
		{"POST /pet", "the document says"},
		{"DELETE /pet/{petId}", "the document says"},
	} {
		if hasGap(s, g.where, g.reason) {
			t.Errorf("gap %s: %s, which no longer applies", g.where, g.reason)
		}
	}
	// Pet keeps its object and array properties, with their schemas, and
	// answers the statuses the document gives.
	pet = resource(p, "pet")
	wantFields := []struct {
		name, typ string
		required  bool
		schema    string
	}{
		{"name", profile.TypeString, true, ""},
		{"category", profile.TypeObject, false, `{"type":"object","properties":{"id":{"type":"integer","format":"int64","example":1},"name":{"type":"string","example":"Dogs"}}}`},
		{"photoUrls", profile.TypeArray, true, `{"type":"array","items":{"type":"string"}}`},
		{"tags", profile.TypeArray, false, `{"type":"array","items":{"type":"object","properties":{"id":{"type":"integer","format":"int64"},"name":{"type":"string"}}}}`},
		{"status", profile.TypeString, false, ""},
	}
	if len(pet.Fields) != len(wantFields) {
		t.Fatalf("pet fields %+v", pet.Fields)
	}
	for i, w := range wantFields {
		f := pet.Fields[i]
		if f.Name != w.name || f.Type != w.typ || f.Required != w.required || w.schema != "" && !jsonEq(f.Schema, w.schema) {
			t.Errorf("pet field %d: %+v %s, want %+v", i, f, f.Schema, w)
		}
	}
	if pet.Statuses == nil || *pet.Statuses != (profile.Statuses{Create: 200, Delete: 200}) || len(pet.DeleteBody) != 0 || pet.Unset != profile.UnsetOmit {
		t.Errorf("pet statuses %+v, delete body %s, unset %q", pet.Statuses, pet.DeleteBody, pet.Unset)
	}
	// No error body in the document: RFC 9457 problems, said per status.
	if p := res.Profile; p.Errors.ContentType != profile.ContentTypeProblem || len(p.Errors.ByStatus) != 0 || !errorSaid(s, "404", "problem+json, the document describes no body") {
		t.Errorf("errors %s %+v; summary %+v", p.Errors.ContentType, p.Errors.ByStatus, s.Errors)
	}
	var text bytes.Buffer
	if err := s.WriteText(&text); err != nil || !strings.Contains(text.String(), "Operations: 19 (10 public): 10 served by 3 resources, 9 by routes, 0 not served") ||
		!strings.Contains(text.String(), "api_key (apiKey in header api_key, 2 operations): keys are read from the api_key header\n") ||
		!strings.Contains(text.String(), "Rate limit: 100 requests per minute per key; headers X-Rate-Limit, X-Rate-Limit-Remaining and X-Rate-Limit-Reset") {
		t.Errorf("text summary:\n%s", text.String())
	}
	for _, g := range s.NotMapped {
		if strings.Contains(g.Where, "securitySchemes") || strings.Contains(g.Reason, "not honoured") || strings.Contains(g.Reason, "one place") {
			t.Errorf("a gap that no longer applies: %s: %s", g.Where, g.Reason)
		}
	}
}

func TestResend(t *testing.T) {
	res := imported(t, "testdata/resend.yaml", Options{ID: "resend-mock"})
	p, s := res.Profile, res.Summary
	if p.ID != "resend-mock" || p.BasePath != "" || p.Permissions.Model != profile.PermNone {
		t.Fatalf("id %q base %q model %q", p.ID, p.BasePath, p.Permissions.Model)
	}
	// Every operation is served: those whose paths overlap
	// (/contacts/{contact_id}/segments beside /contacts/imports/{id}),
	// which Go's ServeMux refused, included.
	if s.Counts.Operations != 104 || s.Counts.Resources < 20 || s.Counts.Public != 0 || s.Counts.NotServed != 0 {
		t.Errorf("counts %+v", s.Counts)
	}
	for _, o := range s.Operations {
		if o.MappedTo == NotServed {
			t.Errorf("%s %s is not served", o.Method, o.Path)
		}
	}
	email := resource(p, "email")
	if email == nil || email.Path != "emails" || email.IDPrefix != "email_" || !reflect.DeepEqual(email.UpdateMethods, []string{"PATCH"}) {
		t.Fatalf("email %+v", email)
	}
	// The recipients are arrays of strings; the create answers 200.
	for _, name := range []string{"to", "cc", "bcc", "reply_to"} {
		f := fieldOf(email, name)
		var schema struct{ Items struct{ Type string } }
		if f == nil || f.Type != profile.TypeArray || json.Unmarshal(f.Schema, &schema) != nil || schema.Items.Type != "string" {
			t.Errorf("email.%s: %+v", name, f)
		}
	}
	if email.CreateStatus() != 200 || hasGap(s, "email", "left out") || hasGap(s, "POST /emails", "the document says") {
		t.Errorf("email create status %d; gaps %+v", email.CreateStatus(), s.NotMapped)
	}
	// A documented 200 delete answers the document's body with the id.
	domain := resource(p, "domain")
	if domain.DeleteStatus() != 200 || !jsonEq(domain.DeleteBody, `{"object":"domain","id":"$id","deleted":true}`) {
		t.Errorf("domain delete %d %s", domain.DeleteStatus(), domain.DeleteBody)
	}
	// A property of scalars of different types is still left out, and said.
	if !hasGap(s, "contact-property", "fallback_value (oneOf/anyOf of number, string)") {
		t.Errorf("gaps %+v", s.NotMapped)
	}
	if nested := resource(p, "attachment"); nested == nil || nested.Path != "emails/{email_id}/attachments" || nested.Params[0].Name != "email_id" {
		t.Errorf("nested collection %+v", nested)
	}
	// Resend pages by cursor: limit (at most 100, its documented maximum),
	// after and before naming a record by its id.
	pg := p.Pagination
	want := profile.Pagination{Style: profile.PageCursor, SizeParam: "limit", AfterParam: "after", BeforeParam: "before", DefaultSize: 20, MaxSize: 100}
	got := pg
	got.Body = nil
	if !reflect.DeepEqual(got, want) || !jsonEq(pg.Body, `{"object":"list","has_more":"$hasMore","data":"$items"}`) {
		t.Errorf("pagination %+v %s", pg, pg.Body)
	}
	if s.Pagination != "cursor: after/before (a record id) and limit (default 20, at most 100); lists by style: 23 cursor (each resource's line says its own)" {
		t.Errorf("pagination summary %q", s.Pagination)
	}
	for _, g := range s.NotMapped {
		if strings.Contains(g.Reason, "cursor") || strings.Contains(g.Reason, "list envelope differs") {
			t.Errorf("a gap that no longer applies: %+v", g)
		}
	}
	// Every collection is seeded with several pages.
	for _, r := range p.Resources {
		if r.Seed.Count != SeedCount {
			t.Errorf("%s seeds %d records, not %d", r.Name, r.Seed.Count, SeedCount)
		}
	}
	// GET /audiences documents no page parameters: its own pagination
	// answers every seeded record on the first page, in its own envelope.
	aud := resource(p, "audience")
	if aud.Pagination == nil || aud.Pagination.Style != profile.PageCursor || aud.Pagination.DefaultSize != SeedCount ||
		!jsonEq(aud.Pagination.Body, `{"data":"$items","object":"list"}`) ||
		!hasGap(s, "GET /audiences", "takes no page parameters") {
		t.Errorf("audience pagination %+v", aud.Pagination)
	}
	for _, rs := range s.Resources {
		if !slices.Contains(rs.Operations, profile.OpList) {
			continue
		}
		if !strings.HasPrefix(rs.Pagination, "cursor: after/before (a record id) and limit") {
			t.Errorf("%s: summary pagination %q", rs.Name, rs.Pagination)
		}
		if r := resource(p, rs.Name); r.Name != "audience" && r.Pagination != nil && len(r.Pagination.Body) == 0 {
			t.Errorf("%s has its own pagination %+v though it pages as the profile does", r.Name, r.Pagination)
		}
	}
	// GET /contacts answers {object, data} without has_more: its own body.
	if c := resource(p, "contact"); c.Pagination == nil || !jsonEq(c.Pagination.Body, `{"object":"list","data":"$items"}`) {
		t.Errorf("contact pagination %+v", c.Pagination)
	}
}

func TestMultiFile(t *testing.T) {
	res := imported(t, "testdata/multifile/openapi.yaml", Options{})
	p, s := res.Profile, res.Summary
	if p.ID != "widget-factory" || p.BasePath != "/v2" {
		t.Fatalf("id %q base path %q (the server's variable is v2)", p.ID, p.BasePath)
	}
	w := resource(p, "widget")
	if w == nil || !reflect.DeepEqual(w.Security["list"], profile.Security{{"oauth": {"widgets:read"}}}) ||
		!reflect.DeepEqual(w.Security["create"], profile.Security{{"oauth": {"widgets:write"}}}) || len(w.Fields) != 6 {
		t.Fatalf("widget %+v", w)
	}
	if f := w.Fields[1]; f.Name != "colour" || !f.Required || !reflect.DeepEqual(f.Enum, []any{"red", "green", "blue"}) {
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
	if !reflect.DeepEqual(p.Auth, profile.Auth{Schemes: []profile.AuthScheme{{Name: "key", Query: "api_key"}}}) {
		t.Fatalf("auth %+v", p.Auth)
	}
	if pg := p.Pagination; pg.Style != profile.PageNumber || pg.SizeParam != "per_page" || pg.MaxSize != 25 ||
		!jsonEq(pg.Body, `{"data":"$items","page":"$page","total_pages":"$totalPages","has_more":"$hasMore"}`) {
		t.Errorf("pagination %+v %s", pg, pg.Body)
	}
	if !hasGap(s, "GET /nodes/{nodeId}/subtree", "circular") || !hasGap(s, "node.parent", "its schema is circular") || hasGap(s, "node", "left out") {
		t.Errorf("gaps %+v", s.NotMapped)
	}
	if f := fieldOf(resource(p, "node"), "parent"); f == nil || f.Type != profile.TypeObject ||
		!jsonEq(f.Schema, `{"type":"object","required":["label"],"properties":{"label":{"type":"string"},"depth":{"type":"integer","nullable":true},"children":{"type":"array","items":{"type":"object","x-mockgate-circular":true}}}}`) {
		t.Errorf("node.parent %+v", f)
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

func routeOf(p *profile.Profile, method, path string) *profile.Route {
	for i := range p.Routes {
		if p.Routes[i].Method == method && p.Routes[i].Path == path {
			return &p.Routes[i]
		}
	}
	return nil
}

func fieldOf(r *profile.Resource, name string) *profile.Field {
	if r == nil {
		return nil
	}
	for i := range r.Fields {
		if r.Fields[i].Name == name {
			return &r.Fields[i]
		}
	}
	return nil
}
