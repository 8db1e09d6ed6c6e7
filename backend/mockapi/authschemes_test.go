package mockapi

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"mockgate/backend/journal"
	"mockgate/backend/keys"
	"mockgate/backend/profile"
)

// zooProfile takes keys in five places, as an imported document's
// schemes do: an API key header, OAuth bearer tokens with scopes, Basic
// credentials, a cookie and a query parameter.
const zooProfile = `
id: zoo
name: Zoo
version: "1"
basePath: /v1
auth:
  schemes:
    - {name: api_key, header: X-Api-Key}
    - {name: oauth, header: Authorization, scheme: Bearer, scoped: true}
    - {name: basic, header: Authorization, scheme: Basic}
    - {name: sid, cookie: sid}
    - {name: qk, query: key}
keyFormat: {prefix: zoo_, alphabet: base62, length: 32}
permissions:
  model: scopes
  scopes: [{name: read}, {name: write}]
tenancy: {kind: none}
pagination:
  style: offset
  sizeParam: limit
  positionParam: offset
  defaultSize: 10
  maxSize: 50
  body: {items: $items}
rateLimit:
  perMinute: 100
  headers: x-ratelimit
  headerNames: {limit: X-Zoo-Limit, remaining: x-zoo-remaining, reset: X-Zoo-Reset}
errors:
  body: {error: {code: $code, message: $message}}
resources:
  - name: animal
    path: animals
    security:
      list: [{api_key: []}, {oauth: [read]}]
      create: [{oauth: [write, read]}]
      get: []
    seed: {count: 3}
    fields:
      - {name: name, type: string}
routes:
  - {method: GET, path: both, kind: static, body: {}, security: [{api_key: [], sid: []}]}
  - {method: GET, path: cookie, kind: static, body: {}, security: [{sid: []}]}
  - {method: GET, path: query, kind: static, body: {}, security: [{qk: []}]}
  - {method: GET, path: basic, kind: static, body: {}, security: [{basic: []}]}
  - {method: GET, path: any, kind: static, body: {}}
`

func zooFixture(t *testing.T) *fixture {
	t.Helper()
	p, err := profile.Parse([]byte(zooProfile), "zoo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return newFixtureFor(t, p, nil)
}

func TestSchemes(t *testing.T) {
	f := zooFixture(t)
	full, reader, other := f.key(t), f.key(t, "read"), f.key(t, "read")
	revoked := f.key(t)
	ent, _ := f.keys.Lookup(keys.Hash(revoked))
	if _, err := f.keys.Revoke(ent.Key.ID); err != nil {
		t.Fatal(err)
	}
	unknown := "zoo_" + strings.Repeat("x", 32)
	basic := func(user string) string {
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":any password"))
	}
	tests := []struct {
		name, target string
		method       string
		headers      []string
		status       int
		kind         string
		trace        string // a step of the trace
	}{
		{"api key header", "/v1/animals", "GET", []string{"X-Api-Key", full}, 200, "", "auth: alternative 1 of 2: api_key (the X-Api-Key header)"},
		{"bearer with read", "/v1/animals", "GET", []string{"Authorization", "Bearer " + reader}, 200, "", "alternative 2 of 2: oauth"},
		{"no key: the places tried", "/v1/animals", "GET", nil, 401, profile.KindMissingKey,
			"auth: no key where this endpoint accepts one; tried api_key (the X-Api-Key header); or oauth (the Authorization header, Bearer <key>)"},
		{"unknown key", "/v1/animals", "GET", []string{"X-Api-Key", unknown}, 401, profile.KindInvalidKey, "auth: api_key: no such key for this API"},
		{"revoked key", "/v1/animals", "GET", []string{"Authorization", "Bearer " + revoked}, 401, profile.KindRevokedKey, "auth: oauth: key revoked"},
		{"scope lacking", "/v1/animals", "POST", []string{"Authorization", "Bearer " + reader, "Content-Type", "application/json"}, 403, profile.KindInsufficientScope, "scope: needs write read: lacks write"},
		{"scope held", "/v1/animals", "POST", []string{"Authorization", "Bearer " + full, "Content-Type", "application/json"}, 201, "", ""},
		{"api key where only a token is taken", "/v1/animals", "POST", []string{"X-Api-Key", full}, 401, profile.KindMissingKey, "tried oauth"},
		{"public", "/v1/animals/1", "GET", nil, 200, "", "auth: public endpoint, no key needed"},
		{"AND: both", "/v1/both", "GET", []string{"X-Api-Key", full, "Cookie", "sid=" + other}, 200, "", "auth: sid: key active"},
		{"AND: one missing", "/v1/both", "GET", []string{"X-Api-Key", full}, 401, profile.KindMissingKey, "tried api_key (the X-Api-Key header) and sid (the cookie sid)"},
		{"AND: one invalid", "/v1/both", "GET", []string{"X-Api-Key", full, "Cookie", "sid=" + unknown}, 401, profile.KindInvalidKey, "auth: sid: no such key"},
		{"cookie", "/v1/cookie", "GET", []string{"Cookie", "theme=dark; sid=" + full}, 200, "", ""},
		{"query where documented", "/v1/query?key=" + full, "GET", nil, 200, "", ""},
		{"query where not documented", "/v1/animals?key=" + full, "GET", nil, 401, profile.KindMissingKey,
			`auth: query parameter "key" is not read as a key here`},
		{"basic: the user name is the key", "/v1/basic", "GET", []string{"Authorization", basic(full)}, 200, "", "the password is not checked"},
		{"basic: a bearer token instead", "/v1/basic", "GET", []string{"Authorization", "Bearer " + full}, 401, profile.KindWrongScheme, ""},
		{"basic where a bearer is read", "/v1/animals", "GET", []string{"Authorization", basic(full)}, 401, profile.KindWrongScheme, `auth: header is not "Bearer <key>"`},
		{"no security: any scheme", "/v1/any", "GET", []string{"Cookie", "sid=" + full}, 200, "", ""},
		{"no security: Basic beside Bearer", "/v1/any", "GET", []string{"Authorization", basic(full)}, 200, "", "auth: alternative 3 of 5: basic"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := ""
			if tt.method == "POST" {
				body = `{"name":"okapi"}`
			}
			rec := f.do(tt.method, tt.target, body, tt.headers...)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			en := f.log.Query(journal.Filter{})[0]
			if en.ErrorKind != tt.kind {
				t.Errorf("kind %q, want %q", en.ErrorKind, tt.kind)
			}
			if tt.trace != "" && !strings.Contains(strings.Join(en.Trace, "\n"), tt.trace) {
				t.Errorf("trace lacks %q:\n%s", tt.trace, strings.Join(en.Trace, "\n"))
			}
		})
	}
}

// The rate limit counts the first key of an alternative, and answers
// with the document's own header names.
func TestSchemesRateLimit(t *testing.T) {
	f := zooFixture(t)
	k, other := f.key(t), f.key(t)
	rec := f.do("GET", "/v1/both", "", "X-Api-Key", k, "Cookie", "sid="+other)
	if rec.Code != 200 || rec.Header().Get("X-Zoo-Limit") != "100" || rec.Header().Get("X-Zoo-Remaining") != "99" || rec.Header().Get("X-Zoo-Reset") == "" {
		t.Fatalf("%d %v", rec.Code, rec.Header())
	}
	if rec.Header().Get("X-RateLimit-Limit") != "" {
		t.Errorf("the convention's headers were sent too: %v", rec.Header())
	}
	rec = f.do("GET", "/v1/animals", "", "X-Api-Key", k)
	if rec.Header().Get("X-Zoo-Remaining") != "98" {
		t.Errorf("remaining %q, want 98: the first key of the AND counts", rec.Header().Get("X-Zoo-Remaining"))
	}
	rec = f.do("GET", "/v1/cookie", "", "Cookie", "sid="+other)
	if rec.Header().Get("X-Zoo-Remaining") != "99" {
		t.Errorf("remaining %q, want 99: the second key of the AND was counted", rec.Header().Get("X-Zoo-Remaining"))
	}
}

// A key sent in a cookie or a query parameter never reaches the request
// log whole.
func TestSchemesLogMasksEveryPlace(t *testing.T) {
	f := zooFixture(t)
	k := f.key(t)
	f.do("GET", "/v1/cookie", "", "Cookie", "sid="+k)
	f.do("GET", "/v1/query?key="+k, "")
	f.do("GET", "/v1/animals?key="+k, "") // not read here, masked all the same
	f.do("GET", "/v1/animals", "", "X-Api-Key", k)
	f.do("GET", "/v1/basic", "", "Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(k+":pw")))
	es := f.log.Query(journal.Filter{})
	if len(es) != 5 {
		t.Fatalf("%d entries", len(es))
	}
	js, err := json.Marshal(es)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(js), k) || strings.Contains(string(js), base64.StdEncoding.EncodeToString([]byte(k+":pw"))) {
		t.Fatalf("a raw key is in the log: %s", js)
	}
}
