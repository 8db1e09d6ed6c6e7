package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"time"
)

// adminClient calls the admin API with the data folder's token.
type adminClient struct {
	base, token string
	hc          *http.Client
}

func (a *adminClient) do(method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.base+"/_admin/api"+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Content-Type", "application/json")
	res, err := a.hc.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode >= 300 {
		return fmt.Errorf("admin %s %s: %d %s", method, path, res.StatusCode, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// logLen is the request log's length.
func (a *adminClient) logLen() (int, error) {
	var page struct{ Total int }
	err := a.do("GET", "/requests?limit=1", nil, &page)
	return page.Total, err
}

type keyReq struct {
	API         string   `json:"api"`
	Name        string   `json:"name"`
	Scopes      []string `json:"scopes,omitempty"`
	Tenant      string   `json:"tenant,omitempty"`
	Integration string   `json:"integration,omitempty"`
	RateLimit   *int     `json:"rateLimit,omitempty"`
}

func (a *adminClient) key(r keyReq) (id, raw string, err error) {
	var k struct{ ID, Key string }
	if err := a.do("POST", "/keys", r, &k); err != nil {
		return "", "", err
	}
	return k.ID, k.Key, nil
}

// apiKeys are the keys of one API the cases use.
type apiKeys struct {
	valid, revoked, limited, narrow, unknown string
}

func intp(n int) *int { return &n }

// randomKey is a well-formed key that no one issued.
func randomKey(prefix, alphabet string, n int) string {
	var b strings.Builder
	b.WriteString(prefix)
	for range n {
		i, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b.WriteByte(alphabet[i.Int64()])
	}
	return b.String()
}

const (
	hex62 = "0123456789abcdef"
	b62   = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
)

// buildCases creates the keys and returns the weighted cases. The 1/min
// keys are each used once here, so that in the run they answer 429.
func buildCases(a *adminClient, base int) ([]*kase, error) {
	type spec struct {
		api, tenant, prefix, alphabet string
		length                        int
		narrow                        []string
	}
	specs := []spec{
		{"juleb", "demo", "jlb_", b62, 40, []string{"inventory"}},
		{"journeybee", "", "jb_live_", b62, 40, []string{"read"}},
		{"jelou", "1001", "jl_", b62, 40, nil},
		{"eudr", "", "eudr_live_", hex62, 48, []string{"integration:suppliers:read"}},
	}
	all := map[string][]string{
		"juleb":      {"inventory", "pos", "resources"},
		"journeybee": {"write"},
		"eudr": {"integration:suppliers:read", "integration:suppliers:write", "integration:products:read",
			"integration:products:write", "integration:batches:read", "integration:batches:write",
			"integration:dds:read", "integration:webhooks:manage"},
	}
	ks := make([]apiKeys, len(specs))
	for i, s := range specs {
		k := &ks[i]
		var err error
		if _, k.valid, err = a.key(keyReq{API: s.api, Name: "soak valid", Scopes: all[s.api], Tenant: s.tenant, RateLimit: intp(0)}); err != nil {
			return nil, err
		}
		var id string
		if id, k.revoked, err = a.key(keyReq{API: s.api, Name: "soak revoked", Tenant: s.tenant}); err != nil {
			return nil, err
		}
		if err := a.do("POST", "/keys/"+id+"/revoke", nil, nil); err != nil {
			return nil, err
		}
		if _, k.limited, err = a.key(keyReq{API: s.api, Name: "soak 1/min", Scopes: all[s.api], Tenant: s.tenant, RateLimit: intp(1)}); err != nil {
			return nil, err
		}
		if s.narrow != nil {
			if _, k.narrow, err = a.key(keyReq{API: s.api, Name: "soak narrow", Scopes: s.narrow, Tenant: s.tenant, RateLimit: intp(0)}); err != nil {
				return nil, err
			}
		}
		k.unknown = randomKey(s.prefix, s.alphabet, s.length)
	}
	if err := a.do("POST", "/integrations", map[string]string{"api": "eudr", "name": "soak-off"}, nil); err != nil {
		return nil, err
	}
	if err := a.do("POST", "/integrations/eudr/soak-off/deactivate", nil, nil); err != nil {
		return nil, err
	}
	_, inactive, err := a.key(keyReq{API: "eudr", Name: "soak inactive", Integration: "soak-off", RateLimit: intp(0)})
	if err != nil {
		return nil, err
	}
	_, jelouOther, err := a.key(keyReq{API: "jelou", Name: "soak other company", Tenant: "2002", RateLimit: intp(0)})
	if err != nil {
		return nil, err
	}

	bearer := func(k string) [2]string { return [2]string{"Authorization", "Bearer " + k} }
	xkey := func(k string) [2]string { return [2]string{"x-api-key", k} }
	jul, jb, jel, eu := ks[0], ks[1], ks[2], ks[3]
	const demo = "demo.localhost"
	cases := []*kase{
		// juleb
		{name: "juleb list products", api: 0, weight: 40, method: "GET", path: "/api/v1/inventory/product?limit=20&offset=40", host: demo, header: bearer(jul.valid), want: 200},
		{name: "juleb get product", api: 0, weight: 10, method: "GET", path: "/api/v1/inventory/product/7", host: demo, header: bearer(jul.valid), want: 200},
		{name: "juleb create+delete partner", api: 0, weight: 3, method: "POST", path: "/api/v1/resources/partner", host: demo, body: `{"name":"soak"}`, header: bearer(jul.valid), want: 201, then: "DELETE", thenWant: 204},
		{name: "juleb revoked key", api: 0, weight: 8, method: "GET", path: "/api/v1/inventory/product", host: demo, header: bearer(jul.revoked), want: 401},
		{name: "juleb unknown key", api: 0, weight: 8, method: "GET", path: "/api/v1/inventory/product", host: demo, header: bearer(jul.unknown), want: 401},
		{name: "juleb no key", api: 0, weight: 4, method: "GET", path: "/api/v1/inventory/product", host: demo, want: 401},
		{name: "juleb key in the URL", api: 0, weight: 2, method: "GET", path: "/api/v1/inventory/product?api_key=" + jul.valid, host: demo, want: 401},
		{name: "juleb rate-limited key (1/min)", api: 0, weight: 8, method: "GET", path: "/api/v1/inventory/product", host: demo, header: bearer(jul.limited), want: 429},
		{name: "juleb other endpoint group", api: 0, weight: 5, method: "GET", path: "/api/v1/pos/order", host: demo, header: bearer(jul.narrow), want: 403},
		{name: "juleb unknown account", api: 0, weight: 3, method: "GET", path: "/api/v1/inventory/product", host: "nope.localhost", header: bearer(jul.valid), want: 404},
		{name: "juleb limit over 100", api: 0, weight: 4, method: "GET", path: "/api/v1/inventory/product?limit=101", host: demo, header: bearer(jul.valid), want: 400},
		// journeybee
		{name: "journeybee list users", api: 1, weight: 40, method: "GET", path: "/v1/users?page=3&pageSize=20", header: bearer(jb.valid), want: 200},
		{name: "journeybee get user", api: 1, weight: 10, method: "GET", path: "/v1/users/5", header: bearer(jb.valid), want: 200},
		{name: "journeybee create+delete lead", api: 1, weight: 3, method: "POST", path: "/v1/leads", body: `{"name":"soak"}`, header: bearer(jb.valid), want: 201, then: "DELETE", thenWant: 204},
		{name: "journeybee patch user", api: 1, weight: 2, method: "PATCH", path: "/v1/users/9", body: `{"role":"member"}`, header: bearer(jb.valid), want: 200},
		{name: "journeybee revoked key", api: 1, weight: 8, method: "GET", path: "/v1/users", header: bearer(jb.revoked), want: 401},
		{name: "journeybee unknown key", api: 1, weight: 8, method: "GET", path: "/v1/users", header: bearer(jb.unknown), want: 401},
		{name: "journeybee no key", api: 1, weight: 4, method: "GET", path: "/v1/users", want: 401},
		{name: "journeybee rate-limited key (1/min)", api: 1, weight: 8, method: "GET", path: "/v1/users", header: bearer(jb.limited), want: 429},
		{name: "journeybee read key writes", api: 1, weight: 5, method: "POST", path: "/v1/users", body: `{"name":"x","email":"x@y.co"}`, header: bearer(jb.narrow), want: 403},
		{name: "journeybee pageSize 51", api: 1, weight: 4, method: "GET", path: "/v1/users?pageSize=51", header: bearer(jb.valid), want: 400},
		{name: "journeybee unknown route", api: 1, weight: 2, method: "GET", path: "/v1/nope", header: bearer(jb.valid), want: 404},
		{name: "journeybee wrong method", api: 1, weight: 2, method: "DELETE", path: "/v1/users", header: bearer(jb.valid), want: 405},
		// jelou
		{name: "jelou list conversations", api: 2, weight: 40, method: "GET", path: "/jelouapi/v1/company/1001/conversations?limit=20", header: xkey(jel.valid), want: 200},
		{name: "jelou get company", api: 2, weight: 10, method: "GET", path: "/jelouapi/v1/company/1001", header: xkey(jel.valid), want: 200},
		{name: "jelou revoked key", api: 2, weight: 8, method: "GET", path: "/jelouapi/v1/company/1001/campaigns", header: xkey(jel.revoked), want: 401},
		{name: "jelou unknown key", api: 2, weight: 8, method: "GET", path: "/jelouapi/v1/company/1001/campaigns", header: xkey(jel.unknown), want: 401},
		{name: "jelou no key", api: 2, weight: 4, method: "GET", path: "/jelouapi/v1/company/1001/campaigns", want: 401},
		{name: "jelou rate-limited key (1/min)", api: 2, weight: 8, method: "GET", path: "/jelouapi/v1/company/1001/campaigns", header: xkey(jel.limited), want: 429},
		{name: "jelou other company", api: 2, weight: 5, method: "GET", path: "/jelouapi/v1/company/1001/campaigns", header: xkey(jelouOther), want: 403},
		{name: "jelou unknown company", api: 2, weight: 3, method: "GET", path: "/jelouapi/v1/company/9999", header: xkey(jel.valid), want: 404},
		{name: "jelou limit over 100", api: 2, weight: 4, method: "GET", path: "/jelouapi/v1/company/1001/messages?limit=101", header: xkey(jel.valid), want: 400},
		// eudr
		{name: "eudr list suppliers", api: 3, weight: 40, method: "GET", path: "/api/v1/integration/suppliers?page=2&limit=20", header: bearer(eu.valid), want: 200},
		{name: "eudr batch DDS status", api: 3, weight: 10, method: "GET", path: "/api/v1/integration/batches/bat_1/dds", header: bearer(eu.valid), want: 200},
		{name: "eudr create+delete webhook", api: 3, weight: 3, method: "POST", path: "/api/v1/integration/webhooks", body: `{"url":"http://hooks.example/x","events":"*"}`, header: bearer(eu.valid), want: 201, then: "DELETE", thenWant: 204},
		{name: "eudr revoked token", api: 3, weight: 8, method: "GET", path: "/api/v1/integration/suppliers", header: bearer(eu.revoked), want: 401},
		{name: "eudr unknown token", api: 3, weight: 8, method: "GET", path: "/api/v1/integration/suppliers", header: bearer(eu.unknown), want: 401},
		{name: "eudr malformed token", api: 3, weight: 4, method: "GET", path: "/api/v1/integration/suppliers", header: bearer("eudr_test_123"), want: 401},
		{name: "eudr no token", api: 3, weight: 2, method: "GET", path: "/api/v1/integration/suppliers", want: 401},
		{name: "eudr rate-limited token (1/min)", api: 3, weight: 8, method: "GET", path: "/api/v1/integration/suppliers", header: bearer(eu.limited), want: 429},
		{name: "eudr insufficient scope", api: 3, weight: 5, method: "GET", path: "/api/v1/integration/products", header: bearer(eu.narrow), want: 403},
		{name: "eudr inactive integration", api: 3, weight: 3, method: "GET", path: "/api/v1/integration/suppliers", header: bearer(inactive), want: 403},
	}
	// Spend each 1/min key's one request now: in the run they answer 429,
	// and one more 200 each whole minute after this.
	hc := &http.Client{Timeout: 10 * time.Second}
	for _, c := range cases {
		if c.want != 429 {
			continue
		}
		c.limited = &limitedKey{start: time.Now()}
		c.limited.ok.Store(1)
		st, body, err := send(context.Background(), hc, base, c, c.method, c.path, "")
		if err != nil || st != 200 {
			return nil, fmt.Errorf("priming %s: %d %v %s", c.name, st, err, body)
		}
	}
	return cases, nil
}
