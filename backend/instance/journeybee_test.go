package instance_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"mockgate/backend/admin"
	"mockgate/backend/instance/instancetest"
)

func TestJourneybeeAuth(t *testing.T) {
	h := instancetest.Start(t)
	write := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "writer"})
	read := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "reader", Scopes: []string{"read"}})
	revoked := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "old"})
	expiring := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "temp", TTL: "1m"})
	deleted := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "gone"})
	other := h.Key(admin.CreateKeyRequest{API: "juleb", Name: "juleb key"})
	if st := h.Admin("POST", "/keys/"+revoked.ID+"/revoke", nil, nil); st != 200 {
		t.Fatalf("revoke: %d", st)
	}
	if st := h.Admin("DELETE", "/keys/"+deleted.ID, nil, nil); st != 204 {
		t.Fatalf("delete: %d", st)
	}
	h.Clock.Advance(2 * time.Minute)
	user := []byte(`{"name":"Ada Lovelace","email":"ada@example.com","role":"admin"}`)
	tests := []struct {
		name    string
		method  string
		body    []byte
		headers []string
		status  int
		msg     string
	}{
		{"no key", "GET", nil, nil, 401, "missing Authorization header"},
		{"wrong scheme", "GET", nil, []string{"Authorization", "Basic " + write.Key}, 401, "Bearer scheme"},
		{"bearer without key", "GET", nil, []string{"Authorization", "Bearer "}, 401, "Unauthorized"},
		{"unknown key", "GET", nil, bearer("jb_live_" + strings.Repeat("x", 40)), 401, "invalid API key"},
		{"other API's key", "GET", nil, bearer(other.Key), 401, "invalid API key"},
		{"revoked", "GET", nil, bearer(revoked.Key), 401, "revoked"},
		{"deleted", "GET", nil, bearer(deleted.Key), 401, "invalid API key"},
		{"expired", "GET", nil, bearer(expiring.Key), 401, "expired"},
		{"read key reads", "GET", nil, bearer(read.Key), 200, ""},
		{"read key cannot write", "POST", user, append(bearer(read.Key), "Content-Type", "application/json"), 403, "write permission"},
		{"write key writes", "POST", user, append(bearer(write.Key), "Content-Type", "application/json"), 201, ""},
		{"scheme is case-insensitive", "GET", nil, []string{"Authorization", "bearer " + write.Key}, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.Call("journeybee", tt.method, "/v1/users", "", tt.body, tt.headers...)
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tt.status, r.Body)
			}
			if tt.msg != "" {
				m := r.JSON(t)
				if len(m) != 1 || !strings.Contains(lookup(m, "error"), tt.msg) {
					t.Fatalf(`body %s: want exactly {"error": "...%s..."}`, r.Body, tt.msg)
				}
			}
		})
	}
}

func TestJourneybeeRateLimit(t *testing.T) {
	h := instancetest.Start(t)
	k := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "burst"})
	for i := 1; i <= 100; i++ {
		r := h.Call("journeybee", "GET", "/v1/users?pageSize=1", "", nil, bearer(k.Key)...)
		if r.Status != 200 {
			t.Fatalf("request %d: %d %s", i, r.Status, r.Body)
		}
		if got, want := r.Header.Get("X-RateLimit-Remaining"), fmt.Sprint(100-i); got != want {
			t.Fatalf("request %d: X-RateLimit-Remaining %q, want %q", i, got, want)
		}
		if r.Header.Get("X-RateLimit-Limit") != "100" || r.Header.Get("X-RateLimit-Reset") == "" {
			t.Fatalf("request %d: rate-limit headers %v", i, r.Header)
		}
	}
	h.Clock.Advance(20 * time.Second)
	r := h.Call("journeybee", "GET", "/v1/users", "", nil, bearer(k.Key)...)
	expect(t, r, 429, "error", "rate limit is 100 requests per minute")
	if ra := r.Header.Get("Retry-After"); ra != "40" {
		t.Fatalf("Retry-After %q, want 40 (seconds left in the minute)", ra)
	}
	// Another key is not affected.
	k2 := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "calm"})
	expect(t, h.Call("journeybee", "GET", "/v1/users", "", nil, bearer(k2.Key)...), 200)
	// The next minute is allowed again.
	h.Clock.Advance(41 * time.Second)
	expect(t, h.Call("journeybee", "GET", "/v1/users", "", nil, bearer(k.Key)...), 200)
	// A key with its own limit, and one with none.
	one := 1
	k3 := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "tight", RateLimit: &one})
	expect(t, h.Call("journeybee", "GET", "/v1/users", "", nil, bearer(k3.Key)...), 200)
	expect(t, h.Call("journeybee", "GET", "/v1/users", "", nil, bearer(k3.Key)...), 429)
	off := 0
	k4 := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "bench", RateLimit: &off})
	for i := 0; i < 150; i++ {
		r := h.Call("journeybee", "GET", "/v1/users?pageSize=1", "", nil, bearer(k4.Key)...)
		if r.Status != 200 || r.Header.Get("X-RateLimit-Limit") != "" {
			t.Fatalf("unlimited key, request %d: %d %v", i, r.Status, r.Header)
		}
	}
}

func TestJourneybeePagination(t *testing.T) {
	h := instancetest.Start(t)
	k := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "pager", Scopes: []string{"read"}})
	tests := []struct {
		query          string
		status         int
		n              int
		firstID        string
		page, pageSize string
		msg            string
	}{
		{"", 200, 10, "1", "1", "10", ""},
		{"?page=3&pageSize=20", 200, 20, "41", "3", "20", ""},
		{"?pageSize=50", 200, 50, "1", "1", "50", ""},
		{"?page=100&pageSize=10", 200, 10, "991", "100", "10", ""},
		{"?page=101&pageSize=10", 200, 0, "", "101", "10", ""},
		{"?pageSize=51", 400, 0, "", "", "", "pageSize must be an integer between 1 and 50"},
		{"?pageSize=0", 400, 0, "", "", "", "pageSize must be an integer between 1 and 50"},
		{"?pageSize=abc", 400, 0, "", "", "", `pageSize must be an integer between 1 and 50 (got "abc")`},
		{"?page=0", 400, 0, "", "", "", "page must be an integer between 1 and"},
		{"?page=-1", 400, 0, "", "", "", "page must be an integer"},
		{"?page=1.5", 400, 0, "", "", "", "page must be an integer"},
		{"?page=99999999999999999999", 400, 0, "", "", "", "page must be an integer"},
		{"?page=1&page=2", 400, 0, "", "", "", "page must be given once"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := h.Call("journeybee", "GET", "/v1/users"+tt.query, "", nil, bearer(k.Key)...)
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tt.status, r.Body)
			}
			m := r.JSON(t)
			if tt.status != 200 {
				if !strings.Contains(lookup(m, "error"), tt.msg) {
					t.Fatalf("error %q, want %q", lookup(m, "error"), tt.msg)
				}
				return
			}
			data, _ := m["data"].([]any)
			if len(data) != tt.n {
				t.Fatalf("%d items, want %d", len(data), tt.n)
			}
			if tt.n > 0 {
				if id := lookup(data[0].(map[string]any), "id"); id != tt.firstID {
					t.Fatalf("first id %s, want %s", id, tt.firstID)
				}
			}
			if lookup(m, "page") != tt.page || lookup(m, "pageSize") != tt.pageSize || lookup(m, "total") != "1000" {
				t.Fatalf("envelope %v", m)
			}
		})
	}
}

func TestJourneybeeCRUDSurvivesRestart(t *testing.T) {
	h := instancetest.Start(t)
	k := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "crud"})
	auth := append(bearer(k.Key), "Content-Type", "application/json")
	for _, res := range []struct{ path, body, field, want string }{
		{"users", `{"name":"Grace Hopper","email":"grace@example.com","role":"manager"}`, "email", "grace@example.com"},
		{"partners", `{"name":"Hive Partners","tier":"gold"}`, "tier", "gold"},
		{"leads", `{"name":"Alan Turing","status":"new","value":1200.5}`, "value", "1200.5"},
	} {
		r := h.Call("journeybee", "POST", "/v1/"+res.path, "", []byte(res.body), auth...)
		expect(t, r, 201, res.field, res.want)
		id := lookup(r.JSON(t), "id")
		if loc := r.Header.Get("Location"); loc != "/v1/"+res.path+"/"+id {
			t.Errorf("Location %q", loc)
		}
		expect(t, h.Call("journeybee", "GET", "/v1/"+res.path+"/"+id, "", nil, auth...), 200, res.field, res.want)
		h.Restart()
		k2 := h.Call("journeybee", "GET", "/v1/"+res.path+"/"+id, "", nil, auth...)
		expect(t, k2, 200, res.field, res.want)
	}
	// Update (PATCH merges, PUT replaces), then delete; each survives a restart.
	r := h.Call("journeybee", "POST", "/v1/users", "", []byte(`{"name":"Temp","email":"t@example.com","role":"member"}`), auth...)
	id := lookup(r.JSON(t), "id")
	expect(t, h.Call("journeybee", "PATCH", "/v1/users/"+id, "", []byte(`{"role":"admin"}`), auth...), 200, "role", "admin", "email", "t@example.com")
	expect(t, h.Call("journeybee", "PUT", "/v1/users/"+id, "", []byte(`{"name":"Temp2","email":"t2@example.com"}`), auth...), 200, "name", "Temp2", "role", "null")
	h.Restart()
	expect(t, h.Call("journeybee", "GET", "/v1/users/"+id, "", nil, auth...), 200, "name", "Temp2")
	expect(t, h.Call("journeybee", "DELETE", "/v1/users/"+id, "", nil, auth...), 204)
	h.Restart()
	expect(t, h.Call("journeybee", "GET", "/v1/users/"+id, "", nil, auth...), 404, "error", "not found")
	expect(t, h.Call("journeybee", "GET", "/v1/users?pageSize=1", "", nil, auth...), 200, "total", "1001")
	// Reset restores the seed data.
	if st := h.Admin("POST", "/apis/journeybee/reset", nil, nil); st != 200 {
		t.Fatalf("reset: %d", st)
	}
	expect(t, h.Call("journeybee", "GET", "/v1/users?pageSize=1", "", nil, auth...), 200, "total", "1000")
}

func TestJourneybeeBadInput(t *testing.T) {
	h := instancetest.Start(t)
	k := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "bad"})
	auth := bearer(k.Key)
	js := append(bearer(k.Key), "Content-Type", "application/json")
	big := append([]byte(`{"name":"`), bytes.Repeat([]byte("a"), 1<<20)...)
	big = append(big, `"}`...)
	tests := []struct {
		name, method, path string
		body               []byte
		headers            []string
		status             int
		msg                string
	}{
		{"text/plain body", "POST", "/v1/users", []byte(`{"name":"x"}`), append(bearer(k.Key), "Content-Type", "text/plain"), 400, "Content-Type must be application/json"},
		{"no content type", "POST", "/v1/users", []byte(`{"name":"x"}`), auth, 400, "Content-Type must be application/json"},
		{"malformed JSON", "POST", "/v1/users", []byte(`{"name":`), js, 400, "malformed JSON"},
		{"array body", "POST", "/v1/users", []byte(`[1,2]`), js, 400, "must be a JSON object"},
		{"empty body", "POST", "/v1/users", []byte(``), js, 400, "empty"},
		{"missing field", "POST", "/v1/users", []byte(`{"name":"x"}`), js, 400, `field "email" is required`},
		{"wrong type", "POST", "/v1/users", []byte(`{"name":1,"email":"a@b.co"}`), js, 400, `field "name" must be a string`},
		{"bad enum", "POST", "/v1/users", []byte(`{"name":"a","email":"a@b.co","role":"god"}`), js, 400, `field "role" must be one of`},
		{"unknown field", "POST", "/v1/users", []byte(`{"name":"a","email":"a@b.co","x":1}`), js, 400, `unknown field "x"`},
		{"invalid UTF-8", "POST", "/v1/users", []byte("{\"name\":\"\xff\xfe\",\"email\":\"a@b.co\"}"), js, 201, ""},
		{"deep nesting", "POST", "/v1/users", []byte(strings.Repeat("[", 20000) + strings.Repeat("]", 20000)), js, 400, "JSON"},
		{"over 1 MiB", "POST", "/v1/users", big, js, 413, "1 MiB"},
		{"unknown route", "GET", "/v1/nope", nil, auth, 404, "no such endpoint"},
		{"path traversal", "GET", "/v1/users/../../etc/passwd", nil, auth, 404, "no such endpoint"},
		{"wrong method", "DELETE", "/v1/users", nil, auth, 405, "not allowed"},
		{"unknown id", "GET", "/v1/users/999999", nil, auth, 404, "not found"},
		{"non-numeric id", "GET", "/v1/users/abc", nil, auth, 404, "not found"},
		{"negative id", "GET", "/v1/users/-1", nil, auth, 404, "not found"},
		{"overflowing id", "GET", "/v1/users/99999999999999999999999", nil, auth, 404, "not found"},
		{"huge query", "GET", "/v1/users?q=" + strings.Repeat("x", 100_000), nil, auth, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.Call("journeybee", tt.method, tt.path, "", tt.body, tt.headers...)
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d: %.300s", r.Status, tt.status, r.Body)
			}
			if tt.msg != "" {
				m := r.JSON(t)
				if len(m) != 1 || !strings.Contains(lookup(m, "error"), tt.msg) {
					t.Fatalf("body %.300s, want {\"error\": ...%s...}", r.Body, tt.msg)
				}
			}
			if tt.status == 405 && r.Header.Get("Allow") != "GET, HEAD, POST" {
				t.Fatalf("Allow %q", r.Header.Get("Allow"))
			}
		})
	}
	// The server is unharmed.
	expect(t, h.Call("journeybee", "GET", "/v1/users", "", nil, auth...), 200)
	if st := h.Call("journeybee", "GET", "/v1/users", "", nil, append(auth, "X-Big", strings.Repeat("h", 10_000))...); st.Status != http.StatusOK {
		t.Fatalf("10 KB header: %d", st.Status)
	}
}
