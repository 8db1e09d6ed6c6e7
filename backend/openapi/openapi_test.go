package openapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"

	"mockgate/backend/profile"
)

const testServer = "http://localhost:7701"

func builtins(t *testing.T) []*profile.Profile {
	t.Helper()
	ps, err := profile.Builtins()
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func builtin(t *testing.T, id string) *profile.Profile {
	t.Helper()
	for _, p := range builtins(t) {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("no builtin %q", id)
	return nil
}

// load generates p's document and loads and validates it with kin-openapi.
func load(t *testing.T, p *profile.Profile, serverURL string) (*openapi3.T, []byte) {
	t.Helper()
	raw, err := Generate(p, serverURL)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatalf("%s: load: %v", p.ID, err)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
		t.Fatalf("%s: validate: %v", p.ID, err)
	}
	return doc, raw
}

func TestBuiltinDocumentsValidate(t *testing.T) {
	for _, p := range builtins(t) {
		for _, server := range []string{testServer, "http://127.0.0.1:7701", "http://acme.localhost:7701/", ""} {
			t.Run(p.ID+" "+server, func(t *testing.T) {
				doc, _ := load(t, p, server)
				if doc.OpenAPI != "3.1.0" || !doc.IsOpenAPI31OrLater() {
					t.Errorf("openapi = %q", doc.OpenAPI)
				}
				if doc.Info.Title != p.Name || doc.Info.Version != p.Version {
					t.Errorf("info = %q %q", doc.Info.Title, doc.Info.Version)
				}
				for _, n := range p.Notes {
					if !strings.Contains(doc.Info.Description, "- "+n) {
						t.Errorf("info.description lacks the note %q", n)
					}
				}
			})
		}
	}
}

func TestDeterministic(t *testing.T) {
	for _, id := range profile.BuiltinIDs() {
		a, err := Generate(builtin(t, id), testServer)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Generate(builtin(t, id), testServer)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two calls give different bytes", id)
		}
	}
}

func TestEveryEndpointDocumented(t *testing.T) {
	for _, p := range builtins(t) {
		t.Run(p.ID, func(t *testing.T) {
			doc, _ := load(t, p, testServer)
			eps := p.Endpoints()
			ops, ids := 0, map[string]string{}
			for path, item := range doc.Paths.Map() {
				for method, op := range item.Operations() {
					ops++
					if prev, dup := ids[op.OperationID]; dup {
						t.Errorf("operationId %q on %s %s and %s", op.OperationID, method, path, prev)
					}
					ids[op.OperationID] = method + " " + path
				}
			}
			for _, e := range eps {
				item := doc.Paths.Value(e.Path)
				if item == nil || item.GetOperation(e.Method) == nil {
					t.Errorf("%s %s is not documented", e.Method, e.Path)
				}
			}
			if ops != len(eps) {
				t.Errorf("%d operations for %d endpoints", ops, len(eps))
			}
		})
	}
}

func operation(t *testing.T, doc *openapi3.T, method, path string) *openapi3.Operation {
	t.Helper()
	item := doc.Paths.Value(path)
	if item == nil || item.GetOperation(method) == nil {
		t.Fatalf("no operation %s %s", method, path)
	}
	return item.GetOperation(method)
}

func TestOperations(t *testing.T) {
	tests := []struct {
		id, method, path string
		opID             string
		statuses         []int  // exactly these responses
		scope            string // x-required-scope, "" for none
		params           []string
	}{
		{"juleb", "GET", "/api/v1/inventory/product", "listProduct", []int{200, 400, 401, 403, 404, 429, 500}, "inventory", []string{"offset", "limit"}},
		{"juleb", "GET", "/api/v1/inventory/product/{id}", "getProduct", []int{200, 401, 403, 404, 429, 500}, "inventory", []string{"id"}},
		{"juleb", "POST", "/api/v1/inventory/product", "createProduct", []int{201, 400, 401, 403, 404, 413, 415, 429, 500}, "inventory", nil},
		{"juleb", "PUT", "/api/v1/pos/order/{id}", "updateOrder", []int{200, 400, 401, 403, 404, 413, 415, 429, 500}, "pos", []string{"id"}},
		{"juleb", "PATCH", "/api/v1/pos/order/{id}", "patchOrder", []int{200, 400, 401, 403, 404, 413, 415, 429, 500}, "pos", []string{"id"}},
		{"juleb", "DELETE", "/api/v1/resources/partner/{id}", "deletePartner", []int{204, 401, 403, 404, 429, 500}, "resources", []string{"id"}},
		// journeybee answers unsupported_media with 400: no 415, and no tenant 404 on lists.
		{"journeybee", "GET", "/v1/users", "listUser", []int{200, 400, 401, 403, 429, 500}, "read", []string{"page", "pageSize"}},
		{"journeybee", "POST", "/v1/leads", "createLead", []int{201, 400, 401, 403, 413, 429, 500}, "write", nil},
		{"jelou", "GET", "/jelouapi/v1/company/{companyId}", "getCompany", []int{200, 401, 403, 404, 429, 500}, "", []string{"companyId"}},
		{"jelou", "POST", "/jelouapi/v1/company/{companyId}/messages", "createMessage", []int{201, 400, 401, 403, 404, 413, 415, 429, 500}, "", []string{"companyId"}},
		{"jelou", "GET", "/jelouapi/v1/company/{companyId}/campaigns/{id}", "getCampaign", []int{200, 401, 403, 404, 429, 500}, "", []string{"companyId", "id"}},
		{"eudr", "GET", "/api/v1/integration/batches/{id}/dds", "getBatchDds", []int{200, 401, 403, 404, 429, 500}, "integration:dds:read", []string{"id"}},
		{"eudr", "GET", "/api/v1/integration/sync/status", "getSyncStatus", []int{200, 401, 403, 429, 500}, "integration:sync:read", nil},
		{"eudr", "GET", "/api/v1/integration/sync/logs", "listSyncLog", []int{200, 400, 401, 403, 429, 500}, "integration:sync:read", []string{"page", "limit"}},
	}
	docs := map[string]*openapi3.T{}
	for _, tt := range tests {
		t.Run(tt.opID, func(t *testing.T) {
			doc := docs[tt.id]
			if doc == nil {
				doc, _ = load(t, builtin(t, tt.id), testServer)
				docs[tt.id] = doc
			}
			op := operation(t, doc, tt.method, tt.path)
			if op.OperationID != tt.opID {
				t.Errorf("operationId %q, want %q", op.OperationID, tt.opID)
			}
			var got []int
			for code := range op.Responses.Map() {
				n, err := strconv.Atoi(code)
				if err != nil {
					t.Fatalf("response %q", code)
				}
				got = append(got, n)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.statuses) {
				t.Errorf("responses %v, want %v", got, tt.statuses)
			}
			scope, _ := op.Extensions["x-required-scope"].(string)
			if scope != tt.scope {
				t.Errorf("x-required-scope %q, want %q", scope, tt.scope)
			}
			if tt.scope != "" && !strings.Contains(op.Description, "`"+tt.scope+"`") {
				t.Errorf("description does not name the scope: %q", op.Description)
			}
			var params []string
			for _, p := range op.Parameters {
				params = append(params, p.Value.Name)
			}
			if !slices.Equal(params, tt.params) {
				t.Errorf("parameters %v, want %v", params, tt.params)
			}
		})
	}
}

func TestDetails(t *testing.T) {
	juleb, _ := load(t, builtin(t, "juleb"), testServer)
	if s := juleb.Components.SecuritySchemes["bearerAuth"]; s == nil || s.Value.Type != "http" || s.Value.Scheme != "bearer" {
		t.Errorf("juleb security scheme: %+v", juleb.Components.SecuritySchemes)
	}
	if len(juleb.Servers) != 2 || juleb.Servers[0].URL != "http://{account}.localhost:7701" ||
		juleb.Servers[0].Variables["account"].Default != "demo" || juleb.Servers[1].URL != testServer {
		t.Errorf("juleb servers: %+v", juleb.Servers)
	}
	acme, _ := load(t, builtin(t, "juleb"), "http://acme.localhost:7701")
	if acme.Servers[0].URL != "http://{account}.localhost:7701" {
		t.Errorf("a tenant in the Host is replaced by the variable: %s", acme.Servers[0].URL)
	}

	jelou, _ := load(t, builtin(t, "jelou"), testServer)
	if s := jelou.Components.SecuritySchemes["apiKeyAuth"]; s == nil || s.Value.Type != "apiKey" || s.Value.In != "header" || s.Value.Name != "x-api-key" {
		t.Errorf("jelou security scheme: %+v", jelou.Components.SecuritySchemes)
	}
	if len(jelou.Security) != 1 {
		t.Errorf("jelou security: %+v", jelou.Security)
	}

	jb, _ := load(t, builtin(t, "journeybee"), testServer)
	list := operation(t, jb, "GET", "/v1/users")
	for _, p := range list.Parameters {
		s := p.Value.Schema.Value
		want := map[string][2]float64{"page": {1, 2147483647}, "pageSize": {1, 50}}[p.Value.Name]
		if *s.Min != want[0] || *s.Max != want[1] {
			t.Errorf("%s range %v..%v, want %v", p.Value.Name, *s.Min, *s.Max, want)
		}
	}
	if d := list.Parameters[1].Value.Schema.Value.Default; d != 10.0 {
		t.Errorf("pageSize default %v", d)
	}
	tooMany := list.Responses.Status(429).Value
	if h := tooMany.Headers["Retry-After"]; h == nil || !h.Value.Required {
		t.Errorf("429 lacks a required Retry-After")
	}
	if tooMany.Headers["X-RateLimit-Limit"] == nil {
		t.Errorf("429 lacks X-RateLimit-Limit")
	}
	if list.Responses.Status(200).Value.Headers["X-RateLimit-Remaining"] == nil {
		t.Errorf("200 lacks X-RateLimit-Remaining")
	}
	// unsupported_media is merged into journeybee's 400 with the body errors.
	bad := operation(t, jb, "POST", "/v1/users").Responses.Status(400).Value
	if !strings.Contains(*bad.Description, "`unsupported_media`") || !strings.Contains(*bad.Description, "`invalid_json`") {
		t.Errorf("400 description: %s", *bad.Description)
	}
	create := jb.Components.Schemas["UserCreate"].Value
	if !slices.Equal(create.Required, []string{"name", "email"}) || create.AdditionalProperties.Has == nil || *create.AdditionalProperties.Has {
		t.Errorf("UserCreate: required %v, additionalProperties %+v", create.Required, create.AdditionalProperties)
	}
	if _, auto := create.Properties["createdAt"]; auto {
		t.Error("UserCreate lists the automatic createdAt")
	}
	if u := jb.Components.Schemas["UserUpdate"].Value; len(u.Required) != 0 {
		t.Errorf("UserUpdate requires %v", u.Required)
	}
	if !jb.Components.Schemas["User"].Value.Properties["createdAt"].Value.ReadOnly {
		t.Error("User.createdAt is not readOnly")
	}

	eudr, _ := load(t, builtin(t, "eudr"), testServer)
	id := operation(t, eudr, "GET", "/api/v1/integration/suppliers/{id}").Parameters[0].Value.Schema.Value
	if id.Pattern != "^sup_[0-9]+$" {
		t.Errorf("supplier id pattern %q", id.Pattern)
	}
}

// validate checks a hand-built response against doc, as the engine's real
// responses will be checked.
func validate(t *testing.T, doc *openapi3.T, method, target string, status int, header http.Header, body string) error {
	t.Helper()
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	var reqBody *strings.Reader
	if method == http.MethodPost {
		reqBody = strings.NewReader(`{}`)
	} else {
		reqBody = strings.NewReader("")
	}
	req, err := http.NewRequest(method, target, reqBody)
	if err != nil {
		t.Fatal(err)
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	h := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	for k, v := range header {
		h[k] = v
	}
	return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status:  status,
		Header:  h,
		Body:    ioNopCloser(body),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	})
}

// TestConformance validates hand-built responses, shaped as the engine
// writes them, against the generated documents: the schemas accept what the
// engine emits and refuse what it must not.
func TestConformance(t *testing.T) {
	user := `{"id":1,"name":"Ada Lovelace","email":"ada@example.com","role":"admin","active":true,"createdAt":"2025-01-01T08:37:00Z","updatedAt":"2025-01-01T08:37:00Z"}`
	nullUser := `{"id":2,"name":"Alan Turing","email":"alan@example.com","role":null,"active":null,"createdAt":"2025-01-01T08:37:00Z","updatedAt":"2025-01-01T08:37:00Z"}`
	rate := http.Header{"X-Ratelimit-Limit": {"100"}, "X-Ratelimit-Remaining": {"99"}, "X-Ratelimit-Reset": {"1735718400"}}
	tests := []struct {
		name, id, method, target string
		status                   int
		header                   http.Header
		body                     string
		wantErr                  string // "" when the response conforms
	}{
		{"journeybee list", "journeybee", "GET", "/v1/users?page=1&pageSize=10", 200, rate,
			`{"data":[` + user + `,` + nullUser + `],"page":1,"pageSize":10,"total":2,"totalPages":1}`, ""},
		{"journeybee empty list", "journeybee", "GET", "/v1/users", 200, nil,
			`{"data":[],"page":3,"pageSize":10,"total":0,"totalPages":0}`, ""},
		{"journeybee 401", "journeybee", "GET", "/v1/users", 401, nil,
			`{"error":"Unauthorized: missing Authorization header (expected 'Authorization: Bearer <api key>')"}`, ""},
		{"journeybee 403", "journeybee", "DELETE", "/v1/leads/7", 403, nil, `{"error":"Forbidden"}`, ""},
		{"journeybee 429", "journeybee", "GET", "/v1/users/3", 429, http.Header{"Retry-After": {"12"}}, `{"error":"Too Many Requests"}`, ""},
		{"journeybee created", "journeybee", "POST", "/v1/users", 201, http.Header{"Location": {"/v1/users/1001"}}, user, ""},
		{"journeybee list without totalPages", "journeybee", "GET", "/v1/users", 200, nil,
			`{"data":[],"page":1,"pageSize":10,"total":0}`, "totalPages"},
		{"journeybee user with a bad role", "journeybee", "GET", "/v1/users/1", 200, nil,
			strings.Replace(user, `"admin"`, `"owner"`, 1), "role"},
		{"journeybee required field null", "journeybee", "GET", "/v1/users/1", 200, nil,
			strings.Replace(user, `"Ada Lovelace"`, `null`, 1), "name"},
		{"journeybee 401 in another envelope", "journeybee", "GET", "/v1/users", 401, nil, `{"message":"no"}`, "error"},
		{"journeybee 429 without Retry-After", "journeybee", "GET", "/v1/users", 429, nil, `{"error":"slow down"}`, "Retry-After"},
		{"journeybee 201 without Location", "journeybee", "POST", "/v1/users", 201, nil, user, "Location"},
		{"journeybee undocumented 415", "journeybee", "POST", "/v1/users", 415, nil, `{"error":"x"}`, "status is not supported"},
		{"juleb list", "juleb", "GET", "http://demo.localhost:7701/api/v1/inventory/product?limit=1", 200, nil,
			`{"data":[{"id":1,"name":"Soap","sku":"SKU-12345","category":null,"price":3.5,"quantity":10,"active":true,"created_at":"2025-01-01T08:37:00Z","updated_at":"2025-01-01T08:37:00Z"}],` +
				`"meta":{"count":1,"total":150},"pagination":{"limit":1,"offset":0,"next":"http://demo.localhost:7701/api/v1/inventory/product?limit=1&offset=1","previous":null}}`, ""},
		{"juleb 404", "juleb", "GET", "/api/v1/pos/order/99", 404, nil,
			`{"error":{"status":404,"code":"not_found","message":"order \"99\" not found"}}`, ""},
		{"juleb 404 with a string status", "juleb", "GET", "/api/v1/pos/order/99", 404, nil,
			`{"error":{"status":"404","code":"not_found","message":"x"}}`, "status"},
		{"jelou company", "jelou", "GET", "/jelouapi/v1/company/1001", 200, nil,
			`{"id":1001,"name":"Acme Retail","country":"EC","timezone":"America/Guayaquil","plan":"business","channels":["whatsapp","web"]}`, ""},
		{"jelou 403", "jelou", "GET", "/jelouapi/v1/company/2002/messages", 403, nil,
			`{"statusCode":403,"error":"Forbidden","message":"This API key does not belong to this company"}`, ""},
		{"eudr dds", "eudr", "GET", "/api/v1/integration/batches/bat_7/dds", 200, nil,
			`{"batchId":"bat_7","ddsStatus":"submitted","ddsReference":null,"updatedAt":"2025-01-01T12:19:00Z"}`, ""},
		{"eudr 401", "eudr", "GET", "/api/v1/integration/suppliers", 401, nil,
			`{"error":{"code":"INVALID_TOKEN_FORMAT","message":"Token doesn't match expected format"}}`, ""},
		{"eudr sync status", "eudr", "GET", "/api/v1/integration/sync/status", 200, nil,
			`{"status":"idle","lastSyncAt":"2025-06-01T08:00:00Z","nextSyncAt":"2025-06-01T09:00:00Z","counts":{"suppliers":40,"products":60,"batches":80}}`, ""},
	}
	docs := map[string]*openapi3.T{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := docs[tt.id]
			if doc == nil {
				doc, _ = load(t, builtin(t, tt.id), testServer)
				docs[tt.id] = doc
			}
			target := tt.target
			if strings.HasPrefix(target, "/") {
				target = testServer + target
			}
			err := validate(t, doc, tt.method, target, tt.status, tt.header, tt.body)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("response refused: %v", err)
			case tt.wantErr != "" && err == nil:
				t.Errorf("response accepted, want an error about %q", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Errorf("error %v, want it to mention %q", err, tt.wantErr)
			}
		})
	}
}

// TestErrorExamples checks that each error example is the profile's
// envelope with the kind's answer.
func TestErrorExamples(t *testing.T) {
	doc, _ := load(t, builtin(t, "eudr"), testServer)
	resp := operation(t, doc, "GET", "/api/v1/integration/suppliers").Responses.Status(401).Value
	ex := resp.Content.Get("application/json").Examples["malformed_key"]
	if ex == nil {
		t.Fatal("no malformed_key example on 401")
	}
	got, err := json.Marshal(ex.Value.Value)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"error":{"code":"INVALID_TOKEN_FORMAT","message":"Token doesn't match expected format eudr_live_\u003c48 hex characters\u003e"}}`
	if string(got) != want {
		t.Errorf("example %s\nwant %s", got, want)
	}
}

func ioNopCloser(s string) io.ReadCloser { return io.NopCloser(strings.NewReader(s)) }

// TestOtherProfiles covers shapes the built-ins do not: the test profile of
// package profile (path tenancy with a tenant without object, PATCH only,
// views, static and tenant routes), no rate limit, a custom auth scheme.
func TestOtherProfiles(t *testing.T) {
	shop := func(t *testing.T) *profile.Profile {
		p, err := profile.LoadFile("../profile/testdata/valid.yaml")
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Run("shop", func(t *testing.T) {
		doc, _ := load(t, shop(t), testServer)
		if op := operation(t, doc, "PATCH", "/api/v2/stores/{storeId}/catalog/items/{id}"); op.OperationID != "patchItem" {
			t.Errorf("operationId %q", op.OperationID)
		}
		if doc.Paths.Value("/api/v2/stores/{storeId}/catalog/items/{id}").Put != nil {
			t.Error("PUT documented though updateMethods is [PATCH]")
		}
		if _, ok := doc.Components.Schemas["ItemCreate"]; !ok {
			t.Error("no ItemCreate")
		}
		store := doc.Components.Schemas["Store"]
		if store == nil || !slices.Equal(store.Value.Required, []string{"id"}) {
			t.Errorf("Store schema %+v", store)
		}
		if op := operation(t, doc, "GET", "/api/v2/stores/{storeId}"); op.OperationID != "getStores" {
			t.Errorf("tenant route operationId %q", op.OperationID)
		}
		if err := validate(t, doc, "GET", testServer+"/api/v2/stores/outlet", 200, nil, `{"id":"outlet"}`); err != nil {
			t.Errorf("tenant without object: %v", err)
		}
		if err := validate(t, doc, "GET", testServer+"/api/v2/stores/main/catalog/items/itm_3/stock", 200, nil,
			`{"itemId":"itm_3","stock":null,"updatedAt":"2025-01-01T08:00:00Z"}`); err != nil {
			t.Errorf("view: %v", err)
		}
	})
	t.Run("no rate limit", func(t *testing.T) {
		p := shop(t)
		p.RateLimit = profile.RateLimit{}
		doc, raw := load(t, p, testServer)
		if bytes.Contains(raw, []byte("RateLimit")) || bytes.Contains(raw, []byte(`"429"`)) {
			t.Error("rate limiting documented without a limit")
		}
		if doc.Components.Headers != nil && len(doc.Components.Headers) > 0 {
			t.Errorf("headers %v", doc.Components.Headers)
		}
	})
	t.Run("custom scheme", func(t *testing.T) {
		p := shop(t)
		p.Auth.Scheme = "Token"
		doc, _ := load(t, p, testServer)
		s := doc.Components.SecuritySchemes["apiKeyAuth"]
		if s == nil || s.Value.Type != "apiKey" || s.Value.Name != "Authorization" || !strings.Contains(s.Value.Description, "Authorization: Token <key>") {
			t.Errorf("scheme %+v", s)
		}
	})
	t.Run("no permissions, no tenancy", func(t *testing.T) {
		p := shop(t)
		p.Permissions = profile.Permissions{Model: profile.PermNone}
		p.Tenancy = profile.Tenancy{Kind: profile.TenancyNone}
		p.Integrations = nil
		p.Routes = p.Routes[1:]
		for i := range p.Resources {
			p.Resources[i].ReadScope, p.Resources[i].WriteScope = "", ""
			for j := range p.Resources[i].Views {
				p.Resources[i].Views[j].Scope = ""
			}
		}
		p.Routes[0].Scope = ""
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
		doc, _ := load(t, p, testServer)
		op := operation(t, doc, "GET", "/api/v2/catalog/items")
		if op.Responses.Status(403) != nil || op.Responses.Status(404) != nil || op.Extensions["x-required-scope"] != nil {
			t.Errorf("403, 404 or a scope documented without permissions or tenancy")
		}
	})
}
