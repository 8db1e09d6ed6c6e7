package instance_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"

	"mockgate/backend/admin"
	"mockgate/backend/instance/instancetest"
	"mockgate/backend/profile"
)

func sampleBody(r *profile.Resource) []byte {
	m := map[string]any{}
	for _, f := range r.Fields {
		if f.Auto != "" {
			continue
		}
		var v any
		switch f.Type {
		case "integer":
			v = 1
		case "number":
			v = 1.5
		case "boolean":
			v = true
		default:
			switch {
			case len(f.Enum) > 0:
				v = f.Enum[0]
			case f.Format == "date-time":
				v = "2025-01-01T00:00:00Z"
			case f.Format == "date":
				v = "2025-01-01"
			case f.Format == "email":
				v = "a@example.com"
			case f.Format == "uri":
				v = "https://example.com/x"
			default:
				v = "x"
			}
		}
		m[f.Name] = v
	}
	b, _ := json.Marshal(m)
	return b
}

// TestResponsesConformToOpenAPI sends every endpoint of every API real
// requests (success and the errors each can answer) and validates each
// response against the API's own /openapi.json with kin-openapi: the
// document and the engine cannot drift apart.
func TestResponsesConformToOpenAPI(t *testing.T) {
	h := instancetest.Start(t)
	checked := 0
	for _, a := range h.Instance().APIs {
		p := a.Engine.Profile()
		t.Run(p.ID, func(t *testing.T) {
			k := h.Key(admin.CreateKeyRequest{API: p.ID, Name: "conf"})
			docResp := h.Call(p.ID, "GET", "/openapi.json", "", nil)
			if docResp.Status != 200 {
				t.Fatalf("openapi.json: %d", docResp.Status)
			}
			doc, err := openapi3.NewLoader().LoadFromData(docResp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if err := doc.Validate(context.Background()); err != nil {
				t.Fatal(err)
			}
			router, err := legacy.NewRouter(doc)
			if err != nil {
				t.Fatal(err)
			}
			base := "http://127.0.0.1:" + strconv.Itoa(h.Port(p.ID))
			check := func(method, path string, body []byte, hdrs ...string) {
				t.Helper()
				r := h.Call(p.ID, method, path, "", body, hdrs...)
				req, _ := http.NewRequest(method, base+path, bytes.NewReader(body))
				route, params, err := router.FindRoute(req)
				if err != nil {
					t.Errorf("%s %s: route: %v", method, path, err)
					return
				}
				err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
					RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
					Status:                 r.Status, Header: r.Header, Body: io.NopCloser(bytes.NewReader(r.Body)),
					Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
				})
				if err != nil {
					t.Errorf("%s %s -> %d %s\n%v", method, path, r.Status, r.Body, err)
				}
				checked++
			}
			auth := []string{p.Auth.Header, strings.TrimSpace(p.Auth.Scheme + " " + k.Key)}
			js := append(append([]string{}, auth...), "Content-Type", "application/json")
			fill := func(path string) string {
				path = strings.ReplaceAll(path, "{"+p.Tenancy.Param+"}", p.Tenancy.Default)
				return path
			}
			one := 1
			lim := h.Key(admin.CreateKeyRequest{API: p.ID, Name: "lim", RateLimit: &one})
			limAuth := []string{p.Auth.Header, strings.TrimSpace(p.Auth.Scheme + " " + lim.Key)}
			e0 := p.Endpoints()[len(p.Endpoints())-1]
			for _, e := range p.Endpoints() {
				if e.Method == "GET" {
					e0 = e
					break
				}
			}
			if p.RateLimit.PerMinute > 0 {
				check("GET", fill(strings.ReplaceAll(e0.Path, "{id}", "1")), nil, limAuth...)
				check("GET", fill(strings.ReplaceAll(e0.Path, "{id}", "1")), nil, limAuth...)
			}
			if len(p.Permissions.Scopes) > 0 {
				ro := h.Key(admin.CreateKeyRequest{API: p.ID, Name: "ro", Scopes: []string{p.Permissions.Scopes[0].Name}})
				for _, e := range p.Endpoints() {
					if e.Scope != "" && !p.Grants([]string{p.Permissions.Scopes[0].Name}, e.Scope) && e.Method == "GET" {
						check("GET", fill(strings.ReplaceAll(e.Path, "{id}", "x1")), nil, p.Auth.Header, strings.TrimSpace(p.Auth.Scheme+" "+ro.Key))
						break
					}
				}
			}
			if p.Tenancy.Kind == "path" {
				check("GET", strings.ReplaceAll(p.Endpoints()[0].Path, "{"+p.Tenancy.Param+"}", "9999"), nil, auth...)
				check("GET", strings.ReplaceAll(p.Endpoints()[0].Path, "{"+p.Tenancy.Param+"}", p.Tenancy.Tenants[1].ID), nil, auth...)
			}
			for _, e := range p.Endpoints() {
				path := fill(e.Path)
				if e.Resource != nil {
					path = strings.ReplaceAll(path, "{id}", e.Resource.IDPrefix+"1")
				}
				switch e.Method {
				case "GET":
					check("GET", path, nil, auth...)
					if e.Kind == profile.OpList {
						check("GET", path+"?"+p.Pagination.SizeParam+"=100000", nil, auth...)
						check("GET", path+"?"+p.Pagination.SizeParam+"=1", nil, auth...)
					}
				case "POST":
					check("POST", path, sampleBody(e.Resource), js...)
					check("POST", path, []byte("{"), js...)
					check("POST", path, sampleBody(e.Resource), append(append([]string{}, auth...), "Content-Type", "text/plain")...)
				case "PUT", "PATCH":
					check(e.Method, path, sampleBody(e.Resource), js...)
				case "DELETE":
					check("DELETE", path, nil, auth...)
					check("DELETE", path, nil, auth...)
				}
				check(e.Method, path, nil)
			}
		})
	}
	if checked < 150 {
		t.Fatalf("only %d responses validated", checked)
	}
}
