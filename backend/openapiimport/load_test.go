package openapiimport

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"mockgate/backend/profile"
)

// TestRefused: what cannot be imported is refused with a message that
// names the place, and without touching the network.
func TestRefused(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	const head = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n"
	ok200 := "      responses:\n        '200':\n          description: ok\n"
	for _, tt := range []struct {
		name, doc string
		want      []string
	}{
		{"external http ref", head + "paths:\n  /a:\n    get:\n" + ok200 +
			"          content:\n            application/json:\n              schema: {$ref: 'https://schemas.example.com/a.yaml#/A'}\n",
			[]string{"https://schemas.example.com/a.yaml", "network"}},
		{"missing file", head + "paths:\n  /a:\n    $ref: paths/none.yaml\n", []string{"none.yaml"}},
		{"invalid", head + "paths:\n  /pets/{id}:\n    get:\n      responses: {}\n",
			[]string{"/pets/{id}", "GET"}},
		{"swagger 2", "swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}\n", []string{"Swagger 2.0"}},
		{"version 4", "openapi: 4.0.0\ninfo: {title: T, version: '1'}\npaths: {}\n", []string{`"4.0.0"`, "3.0.x and 3.1.x"}},
		{"not YAML", "openapi: [\n", []string{"bad.yaml"}},
		{"empty", "\n", []string{"empty"}},
		{"nothing to serve", head + "paths:\n  /a:\n    head:\n" + ok200, []string{"no operation can be served", "HEAD"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ImportFile(write("bad.yaml", tt.doc), Options{})
			if err == nil {
				t.Fatal("imported")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
		})
	}
	// A document given as bytes has no folder: a file $ref is refused.
	_, err := Load([]byte(head+"paths:\n  /a:\n    $ref: paths/a.yaml\n"), "upload")
	if err == nil || !strings.Contains(err.Error(), "paths/a.yaml") || !strings.Contains(err.Error(), "from a file") {
		t.Errorf("a file $ref in bytes: %v", err)
	}
	var inv *InvalidError
	_, err = Load([]byte(head+"paths:\n  /a:\n    get:\n      responses: {}\n  /b:\n    get:\n      parameters: [{name: q, in: querry}]\n"+ok200), "two")
	if !errors.As(err, &inv) || len(inv.Problems) < 2 {
		t.Errorf("every problem of an invalid document: %v", err)
	}
	if _, err := ImportFile(write("ok.yaml", head+"paths:\n  /a:\n    get:\n"+ok200), Options{ID: "Not An Id"}); err == nil || !strings.Contains(err.Error(), `"Not An Id"`) {
		t.Errorf("a bad id: %v", err)
	}
}

// importDoc imports a document given as text.
func importDoc(t *testing.T, doc string) *Result {
	t.Helper()
	d, err := Load([]byte(doc), "inline")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Import(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestSchemes maps each kind of security scheme, and the requirements an
// operation can have.
func TestSchemes(t *testing.T) {
	const paths = `paths:
  /things:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: object, properties: {name: {type: string}}}}
    post:
      security: SECURITY
      responses:
        '201': {description: made}
`
	doc := func(schemes, global, opSecurity string) string {
		return "openapi: 3.1.0\ninfo: {title: S, version: '1'}\n" + global + strings.ReplaceAll(paths, "SECURITY", opSecurity) +
			"components:\n  securitySchemes:\n" + schemes
	}
	for _, tt := range []struct {
		name, schemes, global, op string
		auth                      string // the Auth's place and scheme
		checks                    func(t *testing.T, r *Result)
	}{
		{"cookie", "    c: {type: apiKey, in: cookie, name: sid}\n", "security: [{c: []}]\n", "[{c: []}]", "c: the cookie sid", nil},
		{"header", "    h: {type: apiKey, in: header, name: X-Key}\n", "security: [{h: []}]\n", "[{h: []}]", "h: the X-Key header", nil},
		{"basic", "    b: {type: http, scheme: basic}\n", "security: [{b: []}]\n", "[{b: []}]", "b: the Authorization header Basic", nil},
		{"none", "    b: {type: http, scheme: bearer}\n", "", "[]", "b: the Authorization header Bearer", func(t *testing.T, r *Result) {
			if r.Summary.Counts.Public != 2 {
				t.Errorf("without security every operation is public: %+v", r.Summary.Counts)
			}
		}},
		{"optional", "    b: {type: http, scheme: bearer}\n", "security: [{b: []}]\n", "[{}, {b: []}]", "b: the Authorization header Bearer", func(t *testing.T, r *Result) {
			if !hasGap(r.Summary, "POST /things", "a key is optional") || r.Summary.Counts.Public != 1 {
				t.Errorf("security [{}] is public, said so: %+v", r.Summary.NotMapped)
			}
		}},
		{"openIdConnect scopes", "    o: {type: openIdConnect, openIdConnectUrl: 'https://id.example.com/.well-known/openid-configuration'}\n",
			"security: [{o: [read]}]\n", "[{o: [write]}, {o: [admin]}]", "o: the Authorization header Bearer", func(t *testing.T, r *Result) {
				if got := r.Profile.ScopeNames(); strings.Join(got, " ") != "read write admin" {
					t.Errorf("scopes %v", got)
				}
				if got := r.Profile.Resources[0].Security["create"]; !reflect.DeepEqual(got, profile.Security{{"o": {"write"}}, {"o": {"admin"}}}) {
					t.Errorf("OR of scopes: %v", got)
				}
			}},
		{"and of schemes", "    a: {type: apiKey, in: header, name: X-App}\n    b: {type: http, scheme: bearer}\n",
			"security: [{b: []}]\n", "[{a: [], b: []}]", "a: the X-App header; b: the Authorization header Bearer", func(t *testing.T, r *Result) {
				if got := r.Profile.Resources[0].Security["create"]; !reflect.DeepEqual(got, profile.Security{{"a": {}, "b": {}}}) || slices.ContainsFunc(r.Summary.NotMapped, func(g Gap) bool {
					return strings.HasPrefix(g.Where, "securitySchemes") || strings.Contains(g.Reason, "scheme")
				}) {
					t.Errorf("AND: %v, gaps %+v", got, r.Summary.NotMapped)
				}
			}},
		{"mutual TLS only", "    m: {type: mutualTLS}\n", "security: [{m: []}]\n", "[{m: []}]", "the Authorization header Bearer", func(t *testing.T, r *Result) {
			if !hasGap(r.Summary, "securitySchemes.m", "mutual TLS") {
				t.Errorf("gaps %+v", r.Summary.NotMapped)
			}
		}},
		{"scope with a space", "    o:\n      type: oauth2\n      flows: {clientCredentials: {tokenUrl: 'https://t.example.com', scopes: {'read all': R}}}\n",
			"security: [{o: ['read all']}]\n", "[{o: ['read all']}]", "o: the Authorization header Bearer", func(t *testing.T, r *Result) {
				if r.Profile.ScopeNames()[0] != "read_all" || !hasGap(r.Summary, "scope read all", `"read_all"`) {
					t.Errorf("scopes %v gaps %+v", r.Profile.ScopeNames(), r.Summary.NotMapped)
				}
			}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := importDoc(t, doc(tt.schemes, tt.global, tt.op))
			a := r.Profile.Auth
			got := strings.TrimSpace(a.Place() + " " + a.Scheme) // a document without a mapped scheme
			if len(a.Schemes) > 0 {
				var places []string
				for _, s := range a.Schemes {
					places = append(places, strings.TrimSpace(s.Name+": "+s.Place()+" "+s.Scheme))
				}
				got = strings.Join(places, "; ")
			}
			if got != tt.auth {
				t.Errorf("auth %q, want %q", got, tt.auth)
			}
			if tt.checks != nil {
				tt.checks(t, r)
			}
		})
	}
}
