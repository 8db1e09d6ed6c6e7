package openapiimport_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"

	"mockgate/backend/admin"
	"mockgate/backend/instance/instancetest"
	"mockgate/backend/openapiimport"
)

// serve imports a document, writes the profile to a file and starts a
// mockgate with it, as `mockgate import openapi` then `serve --profile`
// do.
func serve(t *testing.T, doc string) (*instancetest.Harness, string) {
	t.Helper()
	res, err := openapiimport.ImportFile(doc, openapiimport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), res.Profile.ID+".yaml")
	if err := os.WriteFile(file, res.YAML, 0o600); err != nil {
		t.Fatal(err)
	}
	return instancetest.Start(t, instancetest.APIs("jelou"), instancetest.ProfileFiles(file)), res.Profile.ID
}

type call struct {
	method, path, body string
	headers            []string
	status             int
	contains           string // in the body
}

// check sends each call and checks its answer, and that the answer
// conforms to the API's own /openapi.json (generated from the imported
// profile), as the built-ins' answers are checked.
func check(t *testing.T, h *instancetest.Harness, api string, calls []call) {
	t.Helper()
	docResp := h.Call(api, "GET", "/openapi.json", "", nil)
	doc, err := openapi3.NewLoader().LoadFromData(docResp.Body)
	if err != nil {
		t.Fatal(err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	base := "http://127.0.0.1:" + strconv.Itoa(h.Port(api))
	for _, c := range calls {
		var body []byte
		hs := c.headers
		if c.body != "" {
			body = []byte(c.body)
			hs = append(hs, "Content-Type", "application/json")
		}
		r := h.Call(api, c.method, c.path, "", body, hs...)
		if r.Status != c.status || !strings.Contains(string(r.Body), c.contains) {
			t.Errorf("%s %s: %d %s; want %d with %q", c.method, c.path, r.Status, r.Body, c.status, c.contains)
		}
		req, _ := http.NewRequest(c.method, base+c.path, bytes.NewReader(body))
		route, params, err := router.FindRoute(req)
		if err != nil {
			continue // no such route: the 404 is the engine's, tested elsewhere
		}
		err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
			Status:                 r.Status, Header: r.Header, Body: io.NopCloser(bytes.NewReader(r.Body)),
			Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
		})
		if err != nil {
			t.Errorf("%s %s -> %d %s: not as its /openapi.json says:\n%v", c.method, c.path, r.Status, r.Body, err)
		}
	}
}

func bearer(k string) []string { return []string{"Authorization", "Bearer " + k} }

func TestServePetstore(t *testing.T) {
	h, api := serve(t, "testdata/petstore3.yaml")
	made := h.Key(admin.CreateKeyRequest{API: api, Name: "all"})
	all := made.Key
	readMade := h.Key(admin.CreateKeyRequest{API: api, Name: "read", Scopes: []string{"read:pets"}})
	read := readMade.Key
	if !strings.HasPrefix(all, "swagger_") {
		t.Fatalf("key %q", all)
	}
	// Without --scopes a key holds every scope the document defines;
	// --scopes narrows it.
	if !slices.Equal(made.Scopes, []string{"write:pets", "read:pets"}) || !slices.Equal(readMade.Scopes, []string{"read:pets"}) {
		t.Fatalf("scopes %v and %v", made.Scopes, readMade.Scopes)
	}
	apiKey := func(k string) []string { return []string{"api_key", k} }
	check(t, h, api, []call{
		// a list route: every scope it needs, none, or only one of them
		{"GET", "/api/v3/pet/findByStatus?status=sold", "", bearer(all), 200, `"name":"doggie"`},
		{"GET", "/api/v3/pet/findByStatus", "", nil, 401, `"status":401`},
		{"GET", "/api/v3/pet/findByStatus", "", bearer(read), 403, "write:pets"},
		// the pet resource: its records, and what it needs
		// GET /pet/{petId}: the api_key header, or a bearer token with
		// the scopes the document names (write:pets and read:pets)
		{"GET", "/api/v3/pet/3", "", bearer(all), 200, `"id":3`},
		{"GET", "/api/v3/pet/3", "", apiKey(read), 200, `"id":3`},
		{"GET", "/api/v3/pet/3", "", bearer(read), 403, "write:pets"},
		{"GET", "/api/v3/pet/3?api_key=" + all, "", nil, 401, `"status":401`}, // the document puts api_key in a header
		{"POST", "/api/v3/pet", `{"name":"Rex","status":"sold","photoUrls":[]}`, bearer(all), 200, `"name":"Rex"`},
		{"POST", "/api/v3/pet", `{"name":"Rex","status":"sold","photoUrls":[]}`, bearer(read), 403, "write:pets"},
		{"POST", "/api/v3/pet", `{"name":"Rex","status":"sold","photoUrls":[]}`, apiKey(all), 401, `"status":401`},
		{"POST", "/api/v3/pet", `{"status":"sold"}`, bearer(all), 400, `name`},
		{"POST", "/api/v3/pet/3/uploadImage", "", bearer(all), 200, `"message"`},
		// security: [] and no security are public
		{"GET", "/api/v3/store/order/2", "", nil, 200, `"id":2`},
		{"GET", "/api/v3/user/login?username=a", "", nil, 200, `"string"`},
		{"GET", "/api/v3/user/4", "", nil, 200, `"id":4`}, // User.id is an integer
		// api_key only
		{"GET", "/api/v3/store/inventory", "", apiKey(read), 200, `{`},
		{"GET", "/api/v3/store/inventory", "", bearer(all), 401, `"status":401`},
		{"GET", "/api/v3/nowhere", "", bearer(all), 404, `"status":404`},
	})
}

func TestServeResend(t *testing.T) {
	h, api := serve(t, "testdata/resend.yaml")
	k := h.Key(admin.CreateKeyRequest{API: api, Name: "k"}).Key
	check(t, h, api, []call{
		{"GET", "/emails", "", bearer(k), 200, `"has_more":true`},
		{"GET", "/emails", "", nil, 401, `"title":"Unauthorized"`},
		{"GET", "/domains/domain_3", "", bearer(k), 200, `"id":"domain_3"`},
		{"GET", "/emails/email_1/attachments?limit=2", "", bearer(k), 200, `"data":[{`},
		{"POST", "/emails/email_1/cancel", "", bearer(k), 200, `"object"`},
		{"GET", "/emails?limit=101", "", bearer(k), 400, "limit must be an integer between 1 and 100"},
		// Paths Go's ServeMux could not serve side by side (neither more
		// specific): each answers from its own resource.
		{"GET", "/contacts/contact_2/segments", "", bearer(k), 200, `"data":[{"id":"contact_segm_1"`},
		{"GET", "/contacts/imports/import_1", "", bearer(k), 200, `{"id":"import_1","object":"contact_import"`},
		{"GET", "/contacts/imports", "", bearer(k), 200, `"data":[{"id":"import_1"`},
		{"GET", "/contacts/contact_2", "", bearer(k), 200, `{"id":"contact_2","object":"contact"`},
		{"GET", "/emails/receiving/receiving_1", "", bearer(k), 200, `{"id":"receiving_1"`},
		{"GET", "/emails/receiving/receiving_1/attachments", "", bearer(k), 200, `"data":[{"id":"receiving_at_1"`},
		{"GET", "/emails/email_1/attachments/attachment_1", "", bearer(k), 200, `{"id":"attachment_1"`},
		{"GET", "/emails?after=nope", "", bearer(k), 400, `after must be the id of an email record`},
		{"GET", "/emails?after=email_2&before=email_9", "", bearer(k), 400, "after and before cannot be given together"},
		// GET /audiences takes no page parameters: every record on one page
		{"GET", "/audiences", "", bearer(k), 200, `"id":"audience_25"`},
	})
	walkOriginal(t, h, api, "testdata/resend.yaml", bearer(k))
}

// walkOriginal pages GET /emails?limit=10 forward by after= to the end and
// backward by before= to the start, and validates every page against the
// vendor's original document, not the profile's /openapi.json.
func walkOriginal(t *testing.T, h *instancetest.Harness, api, docPath string, auth []string) {
	t.Helper()
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	doc, err := loader.LoadFromFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	doc.Servers = openapi3.Servers{{URL: "http://127.0.0.1:" + strconv.Itoa(h.Port(api))}}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	type page struct {
		Data    []struct{ ID string } `json:"data"`
		HasMore bool                  `json:"has_more"`
	}
	get := func(path string) page {
		r := h.Call(api, "GET", path, "", nil, auth...)
		req, _ := http.NewRequest("GET", doc.Servers[0].URL+path, nil)
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
			Status:                 r.Status, Header: r.Header, Body: io.NopCloser(bytes.NewReader(r.Body)),
			Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
		})
		if r.Status != 200 || err != nil {
			t.Fatalf("GET %s: %d %s: not as the original document says: %v", path, r.Status, r.Body, err)
		}
		var pg page
		if err := json.Unmarshal(r.Body, &pg); err != nil {
			t.Fatal(err)
		}
		return pg
	}
	var forward []string
	for path, n := "/emails?limit=10", 0; path != ""; n++ {
		if n > 10 {
			t.Fatal("the walk does not end")
		}
		pg := get(path)
		for _, d := range pg.Data {
			forward = append(forward, d.ID)
		}
		path = ""
		if pg.HasMore {
			path = "/emails?limit=10&after=" + pg.Data[len(pg.Data)-1].ID
		}
	}
	var backward []string
	for path, n := "/emails?limit=10&before="+forward[len(forward)-1], 0; path != ""; n++ {
		if n > 10 {
			t.Fatal("the walk back does not end")
		}
		pg := get(path)
		ids := []string{}
		for _, d := range pg.Data {
			ids = append(ids, d.ID)
		}
		backward = append(ids, backward...)
		path = ""
		if pg.HasMore {
			path = "/emails?limit=10&before=" + pg.Data[0].ID
		}
	}
	want := make([]string, 25)
	for i := range want {
		want[i] = "email_" + strconv.Itoa(i+1)
	}
	if !slices.Equal(forward, want) || !slices.Equal(backward, want[:24]) {
		t.Errorf("forward %v\nbackward %v\nwant each email once, in order", forward, backward)
	}
}

func TestServeMultiFileAndCircular(t *testing.T) {
	h, api := serve(t, "testdata/multifile/openapi.yaml")
	k := h.Key(admin.CreateKeyRequest{API: api, Name: "k"}).Key
	ro := h.Key(admin.CreateKeyRequest{API: api, Name: "ro", Scopes: []string{"widgets:read"}}).Key
	check(t, h, api, []call{
		{"GET", "/v2/widgets?limit=2&offset=2", "", bearer(ro), 200, `"total":25`},
		{"GET", "/v2/widgets", "", nil, 401, `"error":{"code":"unauthorized"`},
		{"POST", "/v2/widgets", `{"name":"Cog","colour":"red"}`, bearer(ro), 403, `"error":{"code":"forbidden","message":"API key lacks the scopes this operation needs: widgets:write"}`},
		{"POST", "/v2/widgets", `{"name":"Cog","colour":"red"}`, bearer(k), 201, `"colour":"red"`},
		{"POST", "/v2/widgets", `{"name":"Cog","colour":"pink"}`, bearer(k), 400, `colour`},
		{"GET", "/v2/health", "", nil, 200, `"status":"ok"`},
	})

	h, api = serve(t, "testdata/circular.yaml")
	k = h.Key(admin.CreateKeyRequest{API: api, Name: "k"}).Key
	check(t, h, api, []call{
		{"GET", "/tree/api/nodes?api_key=" + k + "&per_page=5&page=5", "", nil, 200, `"has_more":false`},
		{"GET", "/tree/api/nodes", "", bearer(k), 401, `"status":401`},
		{"GET", "/tree/api/nodes/node_7/subtree?api_key=" + k, "", nil, 200, `"root"`},
		{"GET", "/tree/api/ping", "", nil, 204, ""},
	})
}

// The imported petstore's resource answers validate against the vendor's
// ORIGINAL document, not only the one generated from the profile: the
// statuses it documents, Pet with its category, photoUrls and tags.
func TestServePetstoreAgainstOriginal(t *testing.T) {
	h, api := serve(t, "testdata/petstore3.yaml")
	all := h.Key(admin.CreateKeyRequest{API: api, Name: "all"}).Key
	orig, err := openapi3.NewLoader().LoadFromFile("testdata/petstore3.yaml")
	if err != nil {
		t.Fatal(err)
	}
	router, err := legacy.NewRouter(orig)
	if err != nil {
		t.Fatal(err)
	}
	calls := []struct {
		method, path, body string
		status             int
		contains           []string
	}{
		{"GET", "/api/v3/pet/3", "", 200, []string{`"category":{`, `"photoUrls":[`, `"tags":[{`}},
		{"POST", "/api/v3/pet", `{"name":"Rex","photoUrls":["https://example.com/rex.png"],"category":{"id":4,"name":"Dogs"},"tags":[{"id":1,"name":"good"}],"status":"available"}`, 200, []string{`"category":{"id":4,"name":"Dogs"}`}},
		{"POST", "/api/v3/pet", `{"name":"Rex","photoUrls":[]}`, 200, []string{`"name":"Rex"`}},
		{"DELETE", "/api/v3/pet/5", "", 200, nil},
		{"GET", "/api/v3/store/order/2", "", 200, []string{`"id":2`}},
		{"DELETE", "/api/v3/store/order/2", "", 200, nil},
	}
	for _, c := range calls {
		var body []byte
		hs := bearer(all)
		if c.body != "" {
			body = []byte(c.body)
			hs = append(hs, "Content-Type", "application/json")
		}
		r := h.Call(api, c.method, c.path, "", body, hs...)
		if r.Status != c.status {
			t.Errorf("%s %s: %d %s; want %d", c.method, c.path, r.Status, r.Body, c.status)
			continue
		}
		for _, s := range c.contains {
			if !strings.Contains(string(r.Body), s) {
				t.Errorf("%s %s: %s; want %s in it", c.method, c.path, r.Body, s)
			}
		}
		// The original's server is absolute (/api/v3 on its host): route
		// by its URL.
		req, _ := http.NewRequest(c.method, "https://petstore3.swagger.io"+c.path, bytes.NewReader(body))
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatalf("%s %s: not in the original document: %v", c.method, c.path, err)
		}
		err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
			Status:                 r.Status, Header: r.Header, Body: io.NopCloser(bytes.NewReader(r.Body)),
			Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
		})
		if err != nil {
			t.Errorf("%s %s -> %d %s: not as the original document says:\n%v", c.method, c.path, r.Status, r.Body, err)
		}
	}
}
