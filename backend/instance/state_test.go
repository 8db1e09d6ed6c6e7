package instance_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"reflect"
	"strings"
	"testing"

	"mockgate/backend/admin"
	"mockgate/backend/instance"
	"mockgate/backend/instance/instancetest"
	"mockgate/backend/mockapi"
	"mockgate/backend/state"
)

// saveState is GET /state, as bytes.
func saveState(t *testing.T, h *instancetest.Harness) []byte {
	t.Helper()
	st, doc := h.AdminSend("GET", "/state", "", nil)
	if st != http.StatusOK {
		t.Fatalf("save: %d %s", st, doc)
	}
	return doc
}

// loadState is PUT /state; it returns the status and the answer.
func loadState(t *testing.T, h *instancetest.Harness, doc []byte) (int, map[string]any) {
	t.Helper()
	st, answer := h.AdminSend("PUT", "/state", "application/json", doc)
	var m map[string]any
	if err := json.Unmarshal(answer, &m); err != nil {
		t.Fatalf("load: %d, not JSON: %s", st, answer)
	}
	return st, m
}

// comparable is a state document without its save time (and, when
// withoutClock, its clock), decoded for comparison. A frozen clock's
// offset from real time grows as real time goes on: only its time counts.
func comparable(t *testing.T, doc []byte, withoutClock bool) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatalf("state is not JSON: %v", err)
	}
	delete(m, "savedAt")
	if clk, _ := m["clock"].(map[string]any); withoutClock {
		delete(m, "clock")
	} else if clk["frozen"] == true {
		delete(clk, "offsetSeconds")
	}
	return m
}

func sameState(t *testing.T, what string, got, want []byte) {
	t.Helper()
	if g, w := comparable(t, got, false), comparable(t, want, false); !reflect.DeepEqual(g, w) {
		gj, _ := json.Marshal(g)
		wj, _ := json.Marshal(w)
		t.Fatalf("%s: the state differs:\n got %.600s\nwant %.600s", what, diffFrom(gj, wj), diffFrom(wj, gj))
	}
}

// diffFrom is a from the first byte where it differs from b.
func diffFrom(a, b []byte) []byte {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return a[max(0, i-100):]
}

// jsonAuth are the headers of a JSON write with a Bearer key.
func jsonAuth(key string) []string {
	return append(bearer(key), "Content-Type", "application/json")
}

// stateWorld is what the save-change-load test sets up: keys of several
// APIs and an imported API.
type stateWorld struct {
	jb, expiring, juleb, eudr, jelou, pet string
}

// answers sends the same requests to the admin API and to the mock APIs
// and returns each answer as text: the status, the CORS header and the
// body. The admin answers come first: the mock calls count in the keys'
// usage.
func (w stateWorld) answers(t *testing.T, h *instancetest.Harness) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, path := range []string{"/keys", "/integrations", "/clock", "/apis/journeybee/faults"} {
		st, body := h.AdminSend("GET", path, "", nil)
		out["admin "+path] = fmt.Sprintf("%d %s", st, body)
	}
	var apis []admin.APIInfo
	h.Admin("GET", "/apis", nil, &apis)
	running := map[string]bool{}
	for _, a := range apis {
		out["admin api "+a.ID] = fmt.Sprintf("%s %+v %+v", a.Source, a.Settings, a.Resources)
		h.SetPort(a.ID, a.Port) // an imported API may come back on another port
		running[a.ID] = true
	}
	call := func(name, api, method, path, host string, body []byte, headers ...string) {
		if !running[api] {
			out[name] = "not running"
			return
		}
		r := h.Call(api, method, path, host, body, headers...)
		out[name] = fmt.Sprintf("%d [%s] %s", r.Status, r.Header.Get("Access-Control-Allow-Origin"), r.Body)
	}
	call("journeybee leads", "journeybee", "GET", "/v1/leads?pageSize=50&page=3", "", nil, bearer(w.jb)...)
	call("journeybee user 2", "journeybee", "GET", "/v1/users/2", "", nil, bearer(w.jb)...)
	call("journeybee last users", "journeybee", "GET", "/v1/users?pageSize=10&page=100", "", nil, bearer(w.jb)...)
	call("journeybee CORS", "journeybee", "GET", "/v1/users/1", "", nil, append(bearer(w.jb), "Origin", "http://localhost:3000")...)
	call("journeybee expiring key", "journeybee", "GET", "/v1/partners?pageSize=1", "", nil, bearer(w.expiring)...)
	call("juleb products", "juleb", "GET", "/api/v1/inventory/product?limit=3&offset=148", "demo.localhost:PORT", nil, bearer(w.juleb)...)
	call("eudr suppliers", "eudr", "GET", "/api/v1/integration/suppliers?limit=2", "", nil, bearer(w.eudr)...)
	call("jelou campaigns", "jelou", "GET", "/jelouapi/v1/company/1001/campaigns", "", nil, jelouKey(w.jelou)...)
	call("petshop pets", "petshop", "GET", "/v2/pets?size=200", "", nil, bearer(w.pet)...)
	return out
}

// TestStateSaveChangeLoad: a state saved, then changed in every way a
// state holds (records created, changed and deleted, a key created and one
// revoked, settings, the clock, an integration, an imported profile removed
// and another imported), then loaded, answers every request as right
// after the save; the store holds it too (a restart finds it).
func TestStateSaveChangeLoad(t *testing.T) {
	h := instancetest.Start(t)
	petshop, err := os.ReadFile("../../examples/petshop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if st, body := h.AdminSend("POST", "/profiles", "application/yaml", petshop); st != http.StatusCreated {
		t.Fatalf("import: %d %s", st, body)
	}
	var w stateWorld
	jb := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "jb"})
	w.jb = jb.Key
	w.expiring = h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "short", TTL: "90m"}).Key
	w.juleb = h.Key(admin.CreateKeyRequest{API: "juleb", Name: "quick"}).Key
	w.eudr = h.Key(admin.CreateKeyRequest{API: "eudr", Name: "erp", Integration: "erp-sync"}).Key
	w.jelou = h.Key(admin.CreateKeyRequest{API: "jelou", Name: "bot"}).Key
	w.pet = h.Key(admin.CreateKeyRequest{API: "petshop", Name: "pets", Scopes: []string{"pets:write"}}).Key
	w.answers(t, h) // the ports of every API, and some usage

	// The state saved: records, settings and the clock away from the seed.
	expect(t, h.Call("journeybee", "POST", "/v1/leads", "", []byte(`{"name":"Ada","email":"ada@example.com","status":"new"}`), jsonAuth(w.jb)...), 201)
	expect(t, h.Call("petshop", "POST", "/v2/pets", "", []byte(`{"name":"Rex","species":"dog"}`), jsonAuth(w.pet)...), 201)
	set := mockapi.Settings{CORSOrigins: []string{"http://localhost:3000"}}
	if st := h.Admin("PUT", "/apis/journeybee/settings", set, nil); st != 200 {
		t.Fatalf("settings: %d", st)
	}
	if st := h.Admin("POST", "/clock", admin.ClockRequest{Advance: "1h"}, nil); st != 200 {
		t.Fatalf("clock: %d", st)
	}
	saved := saveState(t, h)
	want := w.answers(t, h)
	if !strings.Contains(want["journeybee leads"], "ada@example.com") || !strings.Contains(want["petshop pets"], "Rex") {
		t.Fatalf("the saved state lacks the new records: %v", want)
	}

	// Change everything a state holds.
	expect(t, h.Call("journeybee", "POST", "/v1/leads", "", []byte(`{"name":"Bob","email":"bob@example.com","status":"new"}`), jsonAuth(w.jb)...), 201)
	expect(t, h.Call("journeybee", "DELETE", "/v1/users/2", "", nil, bearer(w.jb)...), 204)
	expect(t, h.Call("juleb", "PATCH", "/api/v1/inventory/product/150", "demo.localhost:PORT", []byte(`{"name":"Changed"}`), jsonAuth(w.juleb)...), 200)
	added := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "added"})
	if st := h.Admin("POST", "/keys/"+jb.ID+"/revoke", nil, nil); st != 200 {
		t.Fatalf("revoke: %d", st)
	}
	if st := h.Admin("PUT", "/apis/journeybee/settings", mockapi.Settings{IgnorePrefer: true}, nil); st != 200 {
		t.Fatalf("settings: %d", st)
	}
	h.Admin("POST", "/clock", admin.ClockRequest{Advance: "2h"}, nil)
	h.Admin("POST", "/clock", admin.ClockRequest{Freeze: true}, nil)
	if st := h.Admin("POST", "/integrations/eudr/erp-sync/deactivate", nil, nil); st != 200 {
		t.Fatalf("deactivate: %d", st)
	}
	if st := h.Admin("DELETE", "/profiles/petshop", nil, nil); st != 204 {
		t.Fatalf("remove petshop: %d", st)
	}
	other := strings.Replace(string(petshop), "id: petshop", "id: petstore", 1)
	if st, body := h.AdminSend("POST", "/profiles", "application/yaml", []byte(other)); st != http.StatusCreated {
		t.Fatalf("import petstore: %d %s", st, body)
	}
	h.Admin("POST", "/apis/journeybee/faults", admin.FaultRequest{Status: 503, Count: 5, Method: "DELETE"}, nil)
	if got := w.answers(t, h); reflect.DeepEqual(got, want) {
		t.Fatal("the changes changed no answer")
	}

	// Load: the same answers, and the same state.
	st, sum := loadState(t, h, saved)
	if st != 200 || lookup(sum, "imported") != `["petshop"]` || lookup(sum, "keys") != "6" {
		t.Fatalf("load: %d %v", st, sum)
	}
	sameState(t, "right after the load", saveState(t, h), saved)
	// The queued faults are not part of a state: they stay queued.
	var faults []mockapi.Fault
	if h.Admin("GET", "/apis/journeybee/faults", nil, &faults); len(faults) == 0 {
		t.Error("the load cleared the queued faults")
	}
	h.Admin("DELETE", "/apis/journeybee/faults", nil, nil)
	got := w.answers(t, h)
	for name, a := range want {
		if got[name] != a {
			t.Errorf("%s after the load:\n got %.300s\nwant %.300s", name, got[name], a)
		}
	}
	expect(t, h.Call("journeybee", "GET", "/v1/users/1", "", nil, bearer(added.Key)...), 401, "error", "invalid")
	var apis []admin.APIInfo
	h.Admin("GET", "/apis", nil, &apis)
	for _, a := range apis {
		if a.ID == "petstore" {
			t.Fatal("the API imported after the save still runs")
		}
	}

	// The store holds the loaded state: a restart runs from it (at real
	// time: a restart does not keep the clock).
	h.Restart()
	after := comparable(t, saveState(t, h), true)
	wantAfter := comparable(t, saved, true)
	delete(after, "keys") // the answers above used them
	delete(wantAfter, "keys")
	if !reflect.DeepEqual(after, wantAfter) {
		t.Fatal("after a restart the store does not hold the loaded state")
	}
}

// TestStateOfAPIsNotRunning: a state loaded into a mockgate that runs
// fewer built-ins (--apis) keeps the others' records in the store, for
// when they run again; an API from a profile file loads where it runs.
func TestStateOfAPIsNotRunning(t *testing.T) {
	all := instancetest.Start(t, instancetest.ProfileFiles("../../examples/petshop.yaml"))
	k := all.Key(admin.CreateKeyRequest{API: "juleb", Name: "quick"})
	expect(t, all.Call("juleb", "PATCH", "/api/v1/inventory/product/150", "demo.localhost:PORT", []byte(`{"name":"Kept"}`), jsonAuth(k.Key)...), 200)
	saved := saveState(t, all)
	if st, sum := loadState(t, all, saved); st != 200 || lookup(sum, "apis") != `["juleb","journeybee","jelou","eudr","petshop"]` {
		t.Fatalf("loaded where the profile file runs: %d %v", st, sum)
	}

	one := instancetest.Start(t, instancetest.APIs("journeybee"))
	withoutFile := edit(t, saved, func(doc map[string]any) {
		apis := doc["apis"].([]any)
		doc["apis"] = apis[:len(apis)-1] // petshop, from a file this one does not run
	})
	if st, sum := loadState(t, one, withoutFile); st != 200 || lookup(sum, "apis") != `["journeybee"]` {
		t.Fatalf("load into journeybee alone: %d %v", st, sum)
	}
	one.Stop()
	again := instancetest.Start(t, func(c *instance.Config) { c.DataDir = one.Dir })
	expect(t, again.Call("juleb", "GET", "/api/v1/inventory/product/150", "demo.localhost:PORT", nil, bearer(k.Key)...), 200, "name", "Kept")
}

// edit returns the state doc changed by fn, which works on it decoded.
func edit(t *testing.T, doc []byte, fn func(doc map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	fn(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBadStateChangesNothing: a damaged, truncated, foreign or newer state,
// or one naming what this mockgate cannot load, is refused with the
// problem named, and the state is exactly as before.
func TestBadStateChangesNothing(t *testing.T) {
	h := instancetest.Start(t, instancetest.APIs("journeybee", "eudr"))
	k := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "jb"})
	expect(t, h.Call("journeybee", "POST", "/v1/leads", "", []byte(`{"name":"Ada","email":"ada@example.com","status":"new"}`), jsonAuth(k.Key)...), 201)
	good := saveState(t, h)

	edited := func(fn func(doc map[string]any)) []byte { return edit(t, good, fn) }
	api := func(doc map[string]any, i int) map[string]any { return doc["apis"].([]any)[i].(map[string]any) }
	firstRecords := func(doc map[string]any) []any {
		return api(doc, 0)["collections"].([]any)[0].(map[string]any)["records"].([]any)
	}
	for _, tc := range []struct {
		name, code, says string
		doc              []byte
	}{
		{"empty", "invalid_state", "empty", nil},
		{"truncated", "invalid_state", "truncated", good[:len(good)/2]},
		{"not JSON", "invalid_state", "not valid JSON", []byte("mockgate state, honest")},
		{"foreign JSON", "invalid_state", `no "format"`, []byte(`{"name":"something else","version":1}`)},
		{"a JSON array", "invalid_state", "array, not an object", []byte(`[1,2,3]`)},
		{"another format", "invalid_state", `"format" is "other"`, edited(func(d map[string]any) { d["format"] = "other" })},
		{"version 99", "newer_version", "newer mockgate", edited(func(d map[string]any) { d["version"] = 99 })},
		{"version 0", "invalid_state", `"version" 0 is not a state version`, edited(func(d map[string]any) { d["version"] = 0 })},
		{"unknown field", "invalid_state", `"colour"`, edited(func(d map[string]any) { d["colour"] = "blue" })},
		{"wrong type", "invalid_state", "apis.collections.seq", edited(func(d map[string]any) {
			api(d, 0)["collections"].([]any)[0].(map[string]any)["seq"] = "many"
		})},
		{"a record that is not an object", "invalid_state", "records[0]: the record must be a JSON object", edited(func(d map[string]any) {
			firstRecords(d)[0] = 42
		})},
		{"a record without an id", "invalid_state", `no "id"`, edited(func(d map[string]any) {
			delete(firstRecords(d)[0].(map[string]any), "id")
		})},
		{"a record with an unknown field", "invalid_state", `"colour" is not a field of user`, edited(func(d map[string]any) {
			firstRecords(d)[0].(map[string]any)["colour"] = "blue"
		})},
		{"a field of the wrong type", "invalid_state", `field "name" must be null or of type string`, edited(func(d map[string]any) {
			firstRecords(d)[0].(map[string]any)["name"] = 7
		})},
		{"two records with one id", "invalid_state", "two records have the id 1", edited(func(d map[string]any) {
			firstRecords(d)[1].(map[string]any)["id"] = 1
		})},
		{"an unknown tenant", "invalid_state", `"acme" is not a tenant of journeybee`, edited(func(d map[string]any) {
			api(d, 0)["collections"].([]any)[0].(map[string]any)["tenant"] = "acme"
		})},
		{"an unknown API without a profile", "invalid_state", "without its \"profile\"", edited(func(d map[string]any) {
			d["apis"] = append(d["apis"].([]any), map[string]any{"id": "nope", "source": "imported", "collections": []any{}})
		})},
		{"an API from a profile file not running", "invalid_state", "serve --profile", edited(func(d map[string]any) {
			d["apis"] = append(d["apis"].([]any), map[string]any{"id": "nope", "source": "file", "collections": []any{}})
		})},
		{"an unknown built-in", "invalid_state", `no built-in API "nope"`, edited(func(d map[string]any) {
			d["apis"] = append(d["apis"].([]any), map[string]any{"id": "nope", "source": "builtin", "collections": []any{}})
		})},
		{"an invalid imported profile", "invalid_state", "pagination", edited(func(d map[string]any) {
			d["apis"] = append(d["apis"].([]any), map[string]any{"id": "pets", "source": "imported", "profile": "id: pets\npagination: {style: cursor}\n"})
		})},
		{"invalid settings", "invalid_state", "errorRate", edited(func(d map[string]any) {
			api(d, 0)["settings"].(map[string]any)["errorRate"] = 2
		})},
		{"a key without a proper hash", "invalid_state", "malformed hash", edited(func(d map[string]any) {
			d["keys"].([]any)[0].(map[string]any)["hash"] = "not-a-hash"
		})},
		{"an integration with a bad name", "invalid_state", "integrations", edited(func(d map[string]any) {
			d["integrations"] = append(d["integrations"].([]any), map[string]any{"api": "eudr", "name": "", "active": true})
		})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, answer := h.AdminSend("PUT", "/state", "application/json", tc.doc)
			if st != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", st, answer)
			}
			var e struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal(answer, &e); err != nil || e.Error.Code != tc.code || !strings.Contains(e.Error.Message, tc.says) {
				t.Fatalf("answer %s, want code %s and a message saying %q", answer, tc.code, tc.says)
			}
			sameState(t, "after a refused load", saveState(t, h), good)
		})
	}
	expect(t, h.Call("journeybee", "GET", "/v1/users/1", "", nil, bearer(k.Key)...), 200)
}

// TestReset: every API back to its seed data, settings, integrations, the
// clock, the request log and the faults back to their start; the keys
// deleted, or kept with keepKeys; imported APIs stay, with their seed data.
func TestReset(t *testing.T) {
	h := instancetest.Start(t, instancetest.APIs("journeybee", "eudr"))
	petshop, err := os.ReadFile("../../examples/petshop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var pet admin.APIInfo
	st, body := h.AdminSend("POST", "/profiles", "application/yaml", petshop)
	if st != 201 || json.Unmarshal(body, &pet) != nil {
		t.Fatalf("import: %d %s", st, body)
	}
	h.SetPort("petshop", pet.Port)
	jb := h.Key(admin.CreateKeyRequest{API: "journeybee", Name: "jb"})
	eu := h.Key(admin.CreateKeyRequest{API: "eudr", Name: "erp", Integration: "erp-sync"})
	pk := h.Key(admin.CreateKeyRequest{API: "petshop", Name: "pets", Scopes: []string{"pets:write"}})
	expect(t, h.Call("journeybee", "POST", "/v1/leads", "", []byte(`{"name":"Ada","email":"ada@example.com","status":"new"}`), jsonAuth(jb.Key)...), 201)
	expect(t, h.Call("petshop", "DELETE", "/v2/pets/1", "", nil, bearer(pk.Key)...), 204)
	h.Admin("PUT", "/apis/journeybee/settings", mockapi.Settings{CORSOrigins: []string{"http://localhost:3000"}, LatencyMs: 1}, nil)
	h.Admin("POST", "/integrations/eudr/erp-sync/deactivate", nil, nil)
	h.Admin("POST", "/clock", admin.ClockRequest{Advance: "5h"}, nil)
	h.Admin("POST", "/apis/eudr/faults", admin.FaultRequest{Status: 503, Count: 3}, nil)

	check := func(keysLeft int) {
		t.Helper()
		expect(t, h.Call("journeybee", "GET", "/v1/leads?pageSize=1", "", nil, bearer(jb.Key)...), map[bool]int{true: 200, false: 401}[keysLeft > 0])
		var apis []admin.APIInfo
		h.Admin("GET", "/apis", nil, &apis)
		for _, a := range apis {
			if a.ID == "journeybee" && (a.Settings.LatencyMs != 0 || len(a.Settings.CORSOrigins) != 0 || a.Resources[2].Records != 120) {
				t.Errorf("journeybee after reset: %+v %+v", a.Settings, a.Resources)
			}
			if a.ID == "petshop" && a.Resources[0].Records != 75 {
				t.Errorf("petshop after reset: %+v", a.Resources)
			}
		}
		if len(apis) != 3 {
			t.Errorf("%d APIs after reset, want 3 (the imported one stays)", len(apis))
		}
		var ks []admin.KeyView
		h.Admin("GET", "/keys", nil, &ks)
		if len(ks) != keysLeft {
			t.Errorf("%d keys after reset, want %d", len(ks), keysLeft)
		}
		var clk struct{ OffsetSeconds float64 }
		h.Admin("GET", "/clock", nil, &clk)
		var faults []mockapi.Fault
		h.Admin("GET", "/apis/eudr/faults", nil, &faults)
		if clk.OffsetSeconds != 0 || len(faults) != 0 {
			t.Errorf("after reset: clock offset %v, faults %v", clk.OffsetSeconds, faults)
		}
	}
	var sum state.Summary
	if st := h.Admin("POST", "/reset", admin.ResetRequest{KeepKeys: true}, &sum); st != 200 || sum.Keys != 3 {
		t.Fatalf("reset keeping keys: %d %+v", st, sum)
	}
	var log struct{ Total int }
	h.Admin("GET", "/requests", nil, &log)
	if log.Total != 0 {
		t.Errorf("the request log holds %d entries after the reset", log.Total)
	}
	check(3)
	// The kept keys' integration is active again.
	expect(t, h.Call("eudr", "GET", "/api/v1/integration/suppliers?limit=1", "", nil, bearer(eu.Key)...), 200)
	expect(t, h.Call("petshop", "GET", "/v2/pets/1", "", nil, bearer(pk.Key)...), 200)

	if st, _ := h.AdminSend("POST", "/reset", "", nil); st != 200 {
		t.Fatalf("reset: %d", st)
	}
	check(0)
	expect(t, h.Call("eudr", "GET", "/api/v1/integration/suppliers?limit=1", "", nil, bearer(eu.Key)...), 401)
	var ins []struct{ Name string }
	h.Admin("GET", "/integrations", nil, &ins)
	if len(ins) != 1 || ins[0].Name != "default" {
		t.Errorf("integrations after reset: %+v, want only the default", ins)
	}
	if st, body := h.AdminSend("POST", "/reset", "application/json", []byte(`{"keep":true}`)); st != 400 || !strings.Contains(string(body), "keep") {
		t.Errorf("reset with an unknown field: %d %s", st, body)
	}
}

// TestSavedStateHoldsNoSecrets: a saved state holds the keys' hashes, never
// a raw key, and not the request log.
func TestSavedStateHoldsNoSecrets(t *testing.T) {
	h := instancetest.Start(t)
	var raws []string
	for _, api := range []string{"juleb", "journeybee", "jelou", "eudr"} {
		k := h.Key(admin.CreateKeyRequest{API: api, Name: "secret"})
		raws = append(raws, k.Key)
	}
	// Used in requests the log keeps (masked), with a marker only the log
	// can hold.
	h.Call("journeybee", "GET", "/v1/users?pageSize=3&marker=only-in-the-log", "", nil, bearer(raws[1])...)
	h.Call("jelou", "GET", "/jelouapi/v1/company/1001", "", nil, jelouKey(raws[2])...)
	doc := saveState(t, h)
	for _, raw := range raws {
		if bytes.Contains(doc, []byte(raw)) {
			t.Errorf("the state holds the raw key %s…", raw[:8])
		}
	}
	for _, s := range []string{"only-in-the-log", h.Instance().Token} {
		if bytes.Contains(doc, []byte(s)) {
			t.Errorf("the state holds %q: the request log or the admin token", s)
		}
	}
	var d state.Document
	if err := json.Unmarshal(doc, &d); err != nil || len(d.Keys) != 4 || d.Keys[0].Hash == "" {
		t.Fatalf("the state's keys: %v %+v", err, d.Keys)
	}
}

// BenchmarkLoadSeedState loads the state of the four built-ins' seed data
// (what a test suite would load before every test) into an instance.
func BenchmarkLoadSeedState(b *testing.B) {
	s, err := instance.Open(instance.Config{DataDir: b.TempDir(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	doc, err := s.SaveState()
	if err != nil {
		b.Fatal(err)
	}
	data, err := json.Marshal(doc)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.LoadState(data); err != nil {
			b.Fatal(err)
		}
	}
}
