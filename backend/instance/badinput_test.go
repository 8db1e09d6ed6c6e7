package instance_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"mockgate/backend/admin"
	"mockgate/backend/instance/instancetest"
	"mockgate/backend/profile"
)

// badAPI says where each API takes a list and a create, and how to build a
// valid create body around one string value and one number.
type badAPI struct {
	id, host, list, create string
	// body returns a valid create body with s in a string field and n (raw
	// JSON) in a numeric field ("" leaves it out).
	body func(s, n string) string
	// numeric is true when body puts n in an integer field.
	numeric bool
}

var badAPIs = []badAPI{
	{"juleb", "demo.localhost", "/api/v1/inventory/product", "/api/v1/inventory/product",
		func(s, n string) string { return `{"name":` + s + `,"sku":"SKU-1","price":` + or(n, "1") + `}` }, true},
	{"journeybee", "", "/v1/users", "/v1/leads",
		func(s, n string) string { return `{"name":` + s + `,"partnerId":` + or(n, "1") + `}` }, true},
	{"jelou", "", "/jelouapi/v1/company/1001/conversations", "/jelouapi/v1/company/1001/messages",
		func(s, n string) string { return `{"botId":"b","userId":"u","type":"text","text":` + s + `}` }, false},
	{"eudr", "", "/api/v1/integration/suppliers", "/api/v1/integration/batches",
		func(s, n string) string {
			return `{"reference":` + s + `,"productId":"prd_1","supplierId":"sup_1","quantityKg":` + or(n, "1") + `}`
		}, true},
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// envelopeKeys are the top-level members of an API's error body.
func envelopeKeys(t *testing.T, h *instancetest.Harness, api string) []string {
	t.Helper()
	for _, a := range h.Instance().APIs {
		if p := a.Engine.Profile(); p.ID == api {
			var m map[string]any
			if err := json.Unmarshal(p.Errors.Body, &m); err != nil {
				t.Fatal(err)
			}
			return slices.Sorted(maps.Keys(m))
		}
	}
	t.Fatalf("no API %s", api)
	return nil
}

func profileOf(h *instancetest.Harness, api string) *profile.Profile {
	for _, a := range h.Instance().APIs {
		if a.Engine.Profile().ID == api {
			return a.Engine.Profile()
		}
	}
	return nil
}

// TestBadInputAllAPIs sends each API what a broken or hostile client
// sends. Every answer must be one of the statuses the case allows, JSON,
// and for an error in that API's own envelope; afterwards the server
// still answers and the store reopens.
func TestBadInputAllAPIs(t *testing.T) {
	h := instancetest.Start(t)
	big := strings.Repeat("a", 1<<20)
	deep := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)
	for _, api := range badAPIs {
		t.Run(api.id, func(t *testing.T) {
			p := profileOf(h, api.id)
			k := h.Key(admin.CreateKeyRequest{API: api.id, Name: "bad input", Scopes: p.ScopeNames()})
			name, value := "Authorization", "Bearer "+k.Key
			if p.Auth.Scheme == "" {
				name, value = p.Auth.Header, k.Key
			}
			auth := []string{name, value}
			js := append(slices.Clone(auth), "Content-Type", "application/json")
			env := envelopeKeys(t, h, api.id)
			size, pos := p.Pagination.SizeParam, p.Pagination.PositionParam
			type tc struct {
				name, method, path string
				body               string
				headers            []string
				statuses           []int
				contains           string
			}
			tests := []tc{
				{"body over 1 MiB", "POST", api.create, api.body(`"`+big+`"`, ""), js, []int{413}, "1 MiB"},
				{"body over 1 MiB, no length", "POST", api.create, "chunked:" + api.body(`"`+big+`"`, ""), js, []int{413}, "1 MiB"},
				{"invalid UTF-8 in a string", "POST", api.create, api.body("\"\xff\xfe\xc0\"", ""), js, []int{201}, ""},
				{"invalid UTF-8 outside strings", "POST", api.create, "{\xff:1}", js, []int{400}, ""},
				{"deeply nested JSON", "POST", api.create, deep, js, []int{400}, ""},
				{"deeply nested object value", "POST", api.create, api.body(`"x"`, "")[:1] + `"x":` + deep + `}`, js, []int{400}, ""},
				{"malformed JSON", "POST", api.create, `{"name":`, js, []int{400}, ""},
				{"two JSON objects", "POST", api.create, `{}{}`, js, []int{400}, ""},
				{"NUL in a string", "POST", api.create, api.body(`"a\u0000b"`, ""), js, []int{201}, ""},
				{"wrong content type", "POST", api.create, api.body(`"x"`, ""), append(slices.Clone(auth), "Content-Type", "text/plain"), []int{400, 415}, ""},
				{"path traversal", "GET", api.list + "/../../../../etc/passwd", "", auth, []int{404}, ""},
				{"encoded path traversal", "GET", api.list + "/%2e%2e/%2e%2e/etc/passwd", "", auth, []int{404}, ""},
				{"encoded slash traversal", "GET", api.list + "/..%2f..%2fetc%2fpasswd", "", auth, []int{404}, ""},
				{"NUL in the path", "GET", api.list + "/1%00", "", auth, []int{404}, ""},
				{"invalid UTF-8 in the path", "GET", api.list + "/%ff%fe", "", auth, []int{404}, ""},
				{"10 KB path", "GET", api.list + "/" + strings.Repeat("x", 10_000), "", auth, []int{404}, ""},
				{"10 KB header", "GET", api.list, "", append(slices.Clone(auth), "X-Big", strings.Repeat("h", 10_000)), []int{200}, ""},
				{"500 headers", "GET", api.list, "", append(slices.Clone(auth), manyHeaders(500)...), []int{200}, ""},
				{"100 KB query", "GET", api.list + "?q=" + strings.Repeat("x", 100_000), "", auth, []int{200}, ""},
				{"10,000 parameters", "GET", api.list + "?" + strings.Repeat("a=1&", 10_000), "", auth, []int{200}, ""},
				{"repeated size", "GET", api.list + "?" + size + "=1&" + size + "=2", "", auth, []int{400}, size},
				{"repeated position", "GET", api.list + "?" + pos + "=1&" + pos + "=2", "", auth, []int{400}, pos},
				{"negative size", "GET", api.list + "?" + size + "=-1", "", auth, []int{400}, size},
				{"negative position", "GET", api.list + "?" + pos + "=-1", "", auth, []int{400}, pos},
				{"overflowing size", "GET", api.list + "?" + size + "=99999999999999999999", "", auth, []int{400}, size},
				{"overflowing position", "GET", api.list + "?" + pos + "=9223372036854775808", "", auth, []int{400}, pos},
				{"float size", "GET", api.list + "?" + size + "=1.5", "", auth, []int{400}, size},
				{"hex size", "GET", api.list + "?" + size + "=0x10", "", auth, []int{400}, size},
				{"malformed escape", "GET", api.list + "?" + size + "=%zz", "", auth, []int{400}, size},
				{"negative id", "GET", api.list + "/-1", "", auth, []int{404}, ""},
				{"overflowing id", "GET", api.list + "/99999999999999999999999", "", auth, []int{404}, ""},
				{"unknown method", "BREW", api.list, "", auth, []int{404, 405}, ""},
				{"key of another API", "GET", api.list, "", []string{name, strings.Replace(value, k.Key, "jb_live_"+strings.Repeat("a", 40), 1)}, []int{401}, ""},
				{"oversized key", "GET", api.list, "", []string{name, strings.Replace(value, k.Key, strings.Repeat("k", 8000), 1)}, []int{401}, ""},
			}
			if api.numeric {
				tests = append(tests,
					tc{"overflowing number", "POST", api.create, api.body(`"x"`, "99999999999999999999999"), js, []int{201, 400}, ""},
					tc{"huge exponent", "POST", api.create, api.body(`"x"`, "1e400"), js, []int{400}, ""},
					tc{"negative number", "POST", api.create, api.body(`"x"`, "-5"), js, []int{201}, ""},
				)
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					r := send(h, api.id, tt.method, tt.path, api.host, tt.body, tt.headers...)
					if !slices.Contains(tt.statuses, r.Status) {
						t.Fatalf("status %d, want one of %v: %.300s", r.Status, tt.statuses, r.Body)
					}
					if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
						t.Fatalf("Content-Type %q: %.200s", ct, r.Body)
					}
					m := r.JSON(t)
					if r.Status >= 400 {
						if got := slices.Sorted(maps.Keys(m)); !slices.Equal(got, env) {
							t.Fatalf("error body members %v, the envelope has %v: %.300s", got, env, r.Body)
						}
					}
					if tt.contains != "" && !strings.Contains(string(r.Body), tt.contains) {
						t.Fatalf("body does not name %q: %.300s", tt.contains, r.Body)
					}
					if r.Status == 201 && !json.Valid(r.Body) {
						t.Fatalf("created record is not valid JSON: %q", r.Body)
					}
				})
			}
			// Unharmed: a plain page still works.
			if r := send(h, api.id, "GET", api.list, api.host, "", auth...); r.Status != 200 {
				t.Fatalf("after the bad input: %d %s", r.Status, r.Body)
			}
		})
	}
	h.Restart()
	for _, api := range badAPIs {
		if r := send(h, api.id, "GET", api.list, api.host, ""); r.Status != 401 {
			t.Errorf("%s after restart: %d %s", api.id, r.Status, r.Body)
		}
	}
}

// TestOversizedHeaderBlock documents a bad input answered before any
// handler: a header block far over the 1 MiB limit, over what the server
// reads at all (mockapi.MaxHeaderBytes), gets net/http's own 431 in plain
// text (a head just over 1 MiB is answered in the API's envelope:
// TestHeadOverLimitInEnvelope). The connection is closed and the server
// goes on serving.
func TestOversizedHeaderBlock(t *testing.T) {
	h := instancetest.Start(t)
	res, _ := raw(t, h, "journeybee", fmt.Sprintf("GET /v1/users?q=%s HTTP/1.1\r\nHost: localhost\r\n\r\n", strings.Repeat("x", 2<<20)))
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("status %d, want 431", res.StatusCode)
	}
	if r := send(h, "journeybee", "GET", "/v1/users", "", ""); r.Status != 401 {
		t.Fatalf("after: %d", r.Status)
	}
}

func manyHeaders(n int) []string {
	out := make([]string, 0, 2*n)
	for i := range n {
		out = append(out, "X-H"+strconv.Itoa(i), "v")
	}
	return out
}

// send is Harness.Call for bodies given as text, with the path kept
// exactly as written (no cleaning, no re-escaping); a body starting with
// "chunked:" is sent without a Content-Length.
func send(h *instancetest.Harness, api, method, path, host, body string, headers ...string) instancetest.Response {
	var rd io.Reader
	if chunked, ok := strings.CutPrefix(body, "chunked:"); ok {
		rd = io.MultiReader(strings.NewReader(chunked)) // unknown length: chunked
	} else if body != "" {
		rd = bytes.NewReader([]byte(body))
	}
	req := h.Request(api, method, path, host, rd, headers...)
	req.URL.Opaque = strings.SplitN(path, "?", 2)[0]
	return h.Do(req)
}
