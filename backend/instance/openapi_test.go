package instance_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/oasdiff/yaml"

	"mockgate/backend/admin"
	"mockgate/backend/instance"
	"mockgate/backend/instance/instancetest"
	"mockgate/backend/openapiimport"
)

// contractDoc is a small document whose operations document their
// parameters and bodies (the engine's own test document).
const contractDoc = "../mockapi/testdata/contract.yaml"

// sameDocument fails unless the served document is the vendor's (at path)
// with servers naming the mock at origin+basePath.
func sameDocument(t *testing.T, served []byte, path, server string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	js, err := yaml.YAMLToJSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	var got, want map[string]any
	if err := json.Unmarshal(served, &got); err != nil {
		t.Fatalf("the served document is not JSON: %v: %.200s", err, served)
	}
	if err := json.Unmarshal(js, &want); err != nil {
		t.Fatal(err)
	}
	servers, _ := got["servers"].([]any)
	if len(servers) != 1 || servers[0].(map[string]any)["url"] != server {
		t.Errorf("servers %v, want the one %s", got["servers"], server)
	}
	delete(got, "servers")
	delete(want, "servers")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the served document is not the vendor's (servers aside)")
	}
}

// TestImportOpenAPIDocument: POST /profiles takes an OpenAPI document (YAML
// or JSON) and answers its import summary; the API serves the vendor's
// document and checks requests against it; a broken document is refused
// naming its place; the document survives a restart and a state save and
// load.
func TestImportOpenAPIDocument(t *testing.T) {
	h := instancetest.Start(t, instancetest.APIs("journeybee"))
	src, err := os.ReadFile(contractDoc)
	if err != nil {
		t.Fatal(err)
	}
	st, body := h.AdminSend("POST", "/profiles?id=shop", "application/yaml", src)
	var got admin.ImportedAPI
	if err := json.Unmarshal(body, &got); err != nil || st != 201 {
		t.Fatalf("import: %d %s", st, body)
	}
	if got.ID != "shop" || got.Source != admin.SourceImported || got.Import == nil || got.Import.Counts.Operations != 4 || got.OpenAPIURL == "" {
		t.Fatalf("import answer: %+v", got)
	}
	h.SetPort("shop", got.Port)
	k := h.Key(admin.CreateKeyRequest{API: "shop", Name: "t"})
	key := []string{"X-Api-Key", k.Key}
	check := func() {
		t.Helper()
		expect(t, h.Call("shop", "GET", "/v1/items?limit=1000", "", nil), 401)
		expect(t, h.Call("shop", "GET", "/v1/items?limit=1000", "", nil, key...), 400, "message", `query parameter "limit": number must be at most 100`)
		expect(t, h.Call("shop", "POST", "/v1/items", "", []byte(`{"price":1}`), append(key, "Content-Type", "application/json")...), 422, "message", `body: property "name" is missing`)
		expect(t, h.Call("shop", "GET", "/v1/items?limit=2", "", nil, key...), 200)
		r, err := http.Get(got.OpenAPIURL)
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := io.ReadAll(r.Body)
		r.Body.Close()
		sameDocument(t, doc, contractDoc, got.BaseURL)
		st, adminDoc := h.AdminSend("GET", "/apis/shop/openapi.json", "", nil)
		if st != 200 {
			t.Fatalf("admin openapi.json: %d", st)
		}
		sameDocument(t, adminDoc, contractDoc, got.BaseURL)
	}
	check()

	// JSON too, and the id from info.title.
	petstore, err := os.ReadFile("../openapiimport/testdata/petstore3.yaml")
	if err != nil {
		t.Fatal(err)
	}
	pjs, err := yaml.YAMLToJSON(petstore)
	if err != nil {
		t.Fatal(err)
	}
	st, body = h.AdminSend("POST", "/profiles", "application/json", pjs)
	var pet admin.ImportedAPI
	if err := json.Unmarshal(body, &pet); err != nil || st != 201 || pet.Import == nil || pet.ID == "" {
		t.Fatalf("JSON import: %d %s", st, body)
	}

	// Refused, naming the place.
	for _, tc := range []struct{ name, doc, want string }{
		{"invalid", strings.Replace(string(src), "type: integer, minimum: 1, maximum: 100", "type: integr", 1), "limit"},
		{"external ref", strings.Replace(string(src), `$ref: "#/components/schemas/NewItem"`, `$ref: "https://example.com/item.yaml"`, 1), "https://example.com/item.yaml"},
		{"swagger", "swagger: '2.0'\nopenapi: x\n", "openapi"},
	} {
		st, body := h.AdminSend("POST", "/profiles?id=broken", "application/yaml", []byte(tc.doc))
		if st != 400 || !strings.Contains(string(body), "invalid_openapi") || !strings.Contains(string(body), tc.want) {
			t.Errorf("%s: %d %s", tc.name, st, body)
		}
	}

	// A restart brings the document back from the store.
	h.Restart()
	h.SetPort("shop", portOf(t, h, "shop"))
	got.OpenAPIURL, got.BaseURL = apiURLs(t, h, "shop")
	check()

	// A saved state carries it: the API removed, then the state loaded.
	saved := saveState(t, h)
	if !strings.Contains(string(saved), `"document":{"openapi":"3.0.3"`) {
		t.Fatalf("the state does not carry the document")
	}
	if st := h.Admin("DELETE", "/profiles/shop", nil, nil); st != 204 {
		t.Fatalf("remove: %d", st)
	}
	if st, m := loadState(t, h, saved); st != 200 {
		t.Fatalf("load: %d %v", st, m)
	}
	// The same state again (an API loaded from a state runs after the
	// others: the order of the APIs aside).
	byID := func(doc []byte) map[string]any {
		m := comparable(t, doc, true)
		apis := map[string]any{}
		for _, a := range m["apis"].([]any) {
			apis[a.(map[string]any)["id"].(string)] = a
		}
		m["apis"] = apis
		return m
	}
	if again := saveState(t, h); !reflect.DeepEqual(byID(again), byID(saved)) {
		t.Errorf("the state saved after loading differs from the one loaded")
	}
	h.SetPort("shop", portOf(t, h, "shop"))
	got.OpenAPIURL, got.BaseURL = apiURLs(t, h, "shop")
	check()

	// A state whose imported profile names a document it does not carry is
	// refused.
	var m map[string]any
	json.Unmarshal(saved, &m)
	for _, a := range m["apis"].([]any) {
		delete(a.(map[string]any), "document")
	}
	broken, _ := json.Marshal(m)
	if st, ans := loadState(t, h, broken); st != 400 || !strings.Contains(fmt.Sprint(ans), "openapi.document") {
		t.Errorf("a state without the document: %d %v", st, ans)
	}
}

func portOf(t *testing.T, h *instancetest.Harness, id string) int {
	t.Helper()
	var apis []admin.APIInfo
	h.Admin("GET", "/apis", nil, &apis)
	for _, a := range apis {
		if a.ID == id {
			return a.Port
		}
	}
	t.Fatalf("no API %s: %+v", id, apis)
	return 0
}

func apiURLs(t *testing.T, h *instancetest.Harness, id string) (openapiURL, baseURL string) {
	t.Helper()
	var a admin.APIInfo
	if st := h.Admin("GET", "/apis/"+id, nil, &a); st != 200 {
		t.Fatalf("GET /apis/%s: %d", id, st)
	}
	return a.OpenAPIURL, a.BaseURL
}

// TestServeOpenAPI runs the real binary: serve --openapi serves a document
// (its counts printed, its /openapi.json the vendor's, a multi-file one
// bundled), and an invalid document stops serve with its place named.
func TestServeOpenAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	bin := mockgateBinary(t)
	data, dir := t.TempDir(), t.TempDir()
	ready := filepath.Join(dir, "ready.json")
	cmd := exec.Command(bin, "serve", "--data", data, "--port-base", "0", "--apis", "journeybee", "--ready-file", ready,
		"--openapi", "shop="+contractDoc, "--openapi", "../openapiimport/testdata/multifile/openapi.yaml")
	cmd.Env = append(os.Environ(), "DISPLAY=", "WAYLAND_DISPLAY=")
	out, errOut := &instancetest.LogBuffer{}, &instancetest.LogBuffer{}
	cmd.Stdout, cmd.Stderr = out, errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	var r instance.Ready
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if b, err := os.ReadFile(ready); err == nil && json.Unmarshal(b, &r) == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready in 20 s:\n%s\n%s", out, errOut)
		}
	}
	if !strings.Contains(out.String(), `Imported "Contract Shop" (OpenAPI 3.0.3) from `+contractDoc+` as shop: 4 operations`) {
		t.Errorf("no counts line for the document:\n%s", out)
	}
	urls := map[string]instance.ReadyAPI{}
	for _, a := range r.APIs {
		urls[a.ID] = a
	}
	get := func(u string) []byte {
		t.Helper()
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
		}
		return b
	}
	sameDocument(t, get(urls["shop"].OpenAPIURL), contractDoc, urls["shop"].BaseURL)
	wf, ok := urls["widget-factory"]
	if !ok {
		t.Fatalf("no widget-factory API: %+v", r.APIs)
	}
	if doc := get(wf.OpenAPIURL); strings.Contains(string(doc), ".yaml") {
		t.Errorf("the multi-file document still refers to its files: %.300s", doc)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve after SIGTERM: %v\n%s", err, errOut)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop on SIGTERM")
	}

	// An invalid document: a non-zero exit naming the place.
	bad := filepath.Join(dir, "bad.yaml")
	src, err := os.ReadFile(contractDoc)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(bad, []byte(strings.Replace(string(src), "type: integer, minimum: 1, maximum: 100", "type: integr", 1)), 0o644)
	_, stderr, code := instancetest.Run(t, bin, "serve", "--data", t.TempDir(), "--port-base", "0", "--apis", "journeybee", "--openapi", bad)
	if code == 0 || !strings.Contains(stderr, "limit") || !strings.Contains(stderr, bad) {
		t.Errorf("an invalid document: exit %d: %s", code, stderr)
	}
}

// A profile file names its document from its own folder (as import openapi
// -o writes it); a missing document is an error naming it.
func TestProfileFileWithDocument(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(contractDoc)
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "api"), 0o755)
	os.WriteFile(filepath.Join(dir, "api", "shop.yaml"), src, 0o644)
	res, err := openapiimport.ImportFile(filepath.Join(dir, "api", "shop.yaml"), openapiimport.Options{Document: "api/shop.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	prof := filepath.Join(dir, "shop.profile.yaml")
	os.WriteFile(prof, res.YAML, 0o644)
	ps, err := instance.LoadProfiles([]string{"journeybee"}, []string{prof})
	if err != nil {
		t.Fatal(err)
	}
	if p := ps[len(ps)-1]; p.OpenAPI == nil || p.OpenAPI.Document != "api/shop.yaml" || len(p.OpenAPI.Source) == 0 {
		t.Fatalf("the profile's document: %+v", p.OpenAPI)
	}
	os.Remove(filepath.Join(dir, "api", "shop.yaml"))
	if _, err := instance.LoadProfiles([]string{"journeybee"}, []string{prof}); err == nil || !strings.Contains(err.Error(), "shop.yaml") {
		t.Fatalf("a missing document: %v", err)
	}
}
