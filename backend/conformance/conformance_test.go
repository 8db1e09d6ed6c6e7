package conformance_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	junit "github.com/joshdk/go-junit"

	"mockgate/backend/admin"
	"mockgate/backend/conformance"
	"mockgate/backend/conformance/conformancetest"
	"mockgate/backend/instance/instancetest"
	"mockgate/backend/openapiimport"
	"mockgate/backend/profile"
)

// adminOf is the conformance pack's Admin over a harness's admin client.
func adminOf(h *instancetest.Harness) conformance.Admin {
	ac := h.AdminClient()
	return conformance.AdminFunc(func(method, path string, body, out any) error {
		st, err := ac.Do(method, path, body, out)
		if err == nil && st >= 400 {
			err = fmt.Errorf("%s %s: %d", method, path, st)
		}
		return err
	})
}

func origin(h *instancetest.Harness, api string) string {
	return fmt.Sprintf("http://127.0.0.1:%d", h.Port(api))
}

// The pack is green on every built-in API and on two user profiles (one
// that uses every part of the format), leaves
// no key or integration behind and puts the clock back as it was (here:
// moved, then frozen by the test).
func TestGreenAgainstMockgate(t *testing.T) {
	h := instancetest.Start(t, instancetest.ProfileFiles("../../examples/petshop.yaml", "../profile/testdata/valid.yaml"))
	h.Admin("POST", "/clock", admin.ClockRequest{Advance: "90m"}, nil)
	var integBefore []any
	h.Admin("GET", "/integrations", nil, &integBefore)
	var suites []conformance.Suite
	for _, a := range h.Instance().APIs {
		p := a.Engine.Profile()
		t.Run(p.ID, func(t *testing.T) {
			cases := conformance.Matrix(p)
			s, err := conformance.Prepare(adminOf(h), p, cases)
			if err != nil {
				t.Fatal(err)
			}
			suite := conformance.Run(context.Background(), p, cases, conformance.Target{Base: origin(h, p.ID), Keys: s.Keys, Fresh: true})
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			conformance.WriteText(&out, []conformance.Suite{suite})
			t.Logf("%.2f s\n%s", suite.Seconds, out.String())
			if suite.Failed > 0 || suite.Skipped > 0 || suite.Passed < 14 {
				t.Errorf("%d passed, %d failed, %d skipped", suite.Passed, suite.Failed, suite.Skipped)
			}
			suites = append(suites, suite)
		})
	}
	if len(suites) != 6 {
		t.Fatalf("%d suites", len(suites))
	}
	var keys []admin.KeyView
	h.Admin("GET", "/keys", nil, &keys)
	var integAfter []any
	h.Admin("GET", "/integrations", nil, &integAfter)
	if len(keys) != 0 || len(integAfter) != len(integBefore) {
		t.Errorf("left behind: keys %+v, integrations %v (before %v)", keys, integAfter, integBefore)
	}
	var st struct {
		OffsetSeconds float64
		Frozen        bool
	}
	h.Admin("GET", "/clock", nil, &st)
	if st.Frozen || st.OffsetSeconds != 5400 {
		t.Errorf("the clock after the runs: %+v, want running 90 minutes ahead", st)
	}

	// A frozen clock stays frozen at its time.
	h.Admin("POST", "/clock", admin.ClockRequest{Freeze: true}, nil)
	var frozen, after struct{ Now time.Time }
	h.Admin("GET", "/clock", nil, &frozen)
	p := h.Instance().APIs[1].Engine.Profile()
	s, err := conformance.Prepare(adminOf(h), p, conformance.Matrix(p))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	h.Admin("GET", "/clock", nil, &after)
	if !after.Now.Equal(frozen.Now) {
		t.Errorf("frozen at %v, after the run %v", frozen.Now, after.Now)
	}

	// The JUnit report, read back by an independent parser.
	var buf bytes.Buffer
	if err := conformance.WriteJUnit(&buf, suites); err != nil {
		t.Fatal(err)
	}
	parsed, err := junit.Ingest(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(parsed) != len(suites) {
		t.Fatalf("%d suites parsed, %d written", len(parsed), len(suites))
	}
	for i, ps := range parsed {
		if ps.Name != suites[i].API || ps.Totals.Tests != len(suites[i].Results) || ps.Totals.Passed != ps.Totals.Tests {
			t.Errorf("suite %q: %+v", ps.Name, ps.Totals)
		}
		if ps.Properties["target"] != suites[i].Target {
			t.Errorf("suite %q: properties %v", ps.Name, ps.Properties)
		}
		for j, tc := range ps.Tests {
			if tc.Name != suites[i].Results[j].ID || tc.Classname != "conformance."+ps.Name {
				t.Errorf("test %d of %s: %q %q", j, ps.Name, tc.Name, tc.Classname)
			}
		}
	}
}

// Against a server that gets things wrong, the pack is red with the right
// failures, each saying what was expected and what came back; a case whose
// key was not supplied is skipped, never passed.
func TestRedAgainstAWrongServer(t *testing.T) {
	h := instancetest.Start(t, instancetest.APIs("journeybee"))
	p := h.Instance().APIs[0].Engine.Profile()
	valid := h.Key(admin.CreateKeyRequest{API: p.ID, Name: "valid"})
	revoked := h.Key(admin.CreateKeyRequest{API: p.ID, Name: "revoked"})
	expired := h.Key(admin.CreateKeyRequest{API: p.ID, Name: "expired", TTL: "1m"})
	ro := h.Key(admin.CreateKeyRequest{API: p.ID, Name: "ro", Scopes: []string{"read"}})
	h.Admin("POST", "/keys/"+revoked.ID+"/revoke", nil, nil)
	h.Clock.Advance(2 * time.Minute)
	srv := conformancetest.WrongServer(t, origin(h, p.ID), revoked.Key)

	suite := conformance.Run(context.Background(), p, conformance.Matrix(p), conformance.Target{
		Base: srv.URL + p.BasePath, // a base URL with the API's base path is understood too
		Keys: map[string]string{conformance.RoleValid: valid.Key, conformance.RoleRevoked: revoked.Key,
			conformance.RoleExpired: expired.Key, conformance.RoleReadOnly: ro.Key, conformance.RoleRateLimit: valid.Key},
	})
	var out strings.Builder
	conformance.WriteText(&out, []conformance.Suite{suite})
	t.Logf("\n%s", out.String())

	got := map[string]conformance.Result{}
	for _, r := range suite.Results {
		got[r.ID] = r
	}
	for id, r := range got {
		want, fails := conformancetest.WrongFailures[id]
		switch {
		case id == "deleted-key":
			if r.Outcome != conformance.Skipped || !strings.Contains(r.Skip, "--key deleted=") {
				t.Errorf("deleted-key without a key: %s %q", r.Outcome, r.Skip)
			}
		case fails:
			if r.Outcome != conformance.Failed || !strings.Contains(strings.Join(r.Problems, "\n"), want) {
				t.Errorf("%s: %s %q, want a failure saying %q", id, r.Outcome, r.Problems, want)
			}
		case r.Outcome != conformance.Passed:
			t.Errorf("%s: %s %q", id, r.Outcome, r.Problems)
		}
	}
	if suite.Failed != 3 || suite.Skipped != 1 {
		t.Errorf("%d failed, %d skipped", suite.Failed, suite.Skipped)
	}

	var buf bytes.Buffer
	if err := conformance.WriteJUnit(&buf, []conformance.Suite{suite}); err != nil {
		t.Fatal(err)
	}
	parsed, err := junit.Ingest(buf.Bytes())
	if err != nil || len(parsed) != 1 {
		t.Fatalf("%v %d suites", err, len(parsed))
	}
	tot := parsed[0].Totals
	if tot.Failed != 3 || tot.Skipped != 1 || tot.Tests != len(suite.Results) {
		t.Errorf("totals read back: %+v", tot)
	}
	for _, tc := range parsed[0].Tests {
		if tc.Name == "revoked-key" {
			if tc.Status != junit.StatusFailed || !strings.Contains(tc.Message, `expected 401 "Unauthorized: this API key has been revoked"; got 200`) {
				t.Errorf("revoked-key read back: %s %q", tc.Status, tc.Message)
			}
		}
	}
}

// The matrix follows the profile: a user profile's scopes (pets:write
// implies pets:read, so no key lacks pets:read), no wrong scheme where the
// key is the whole header, a tenant case only where there are tenants.
func TestMatrixFollowsTheProfile(t *testing.T) {
	p, err := profile.LoadFile("../../examples/petshop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]conformance.Case{}
	for _, c := range conformance.Matrix(p) {
		ids[c.ID] = c
	}
	if c, ok := ids["missing-scope:pets:write"]; !ok || c.Request.Role != conformance.RoleReadOnly || c.Request.Method == "GET" {
		t.Errorf("missing-scope:pets:write: %+v", c)
	}
	for _, absent := range []string{"missing-scope:pets:read", "other-tenant", "inactive-integration"} {
		if _, ok := ids[absent]; ok {
			t.Errorf("%s is in the matrix", absent)
		}
	}
	if c := ids["malformed-key"]; c.Expect.Status != 401 || c.Expect.Code != "BAD_KEY" || len(c.Request.Key) != len("pet_")+31 {
		t.Errorf("malformed-key: %+v", c)
	}
	if c := ids["rate-limit"]; c.Request.Repeat != 30 || !strings.HasSuffix(c.Request.Path, "?size=1") {
		t.Errorf("rate-limit: %+v", c.Request)
	}
	all, err := profile.Builtins()
	if err != nil {
		t.Fatal(err)
	}
	jelou := all[2]
	for _, c := range conformance.Matrix(jelou) {
		if c.ID == "wrong-scheme" || strings.HasPrefix(c.ID, "missing-scope") {
			t.Errorf("jelou has %s", c.ID)
		}
		if !strings.HasPrefix(c.Request.Path, "/jelouapi/v1/company/1001") {
			t.Errorf("%s: path %s names no company", c.ID, c.Request.Path)
		}
	}
}

// TestGreenOnImportedDocuments: the pack works on an imported document's
// schemes (no key is 401 on a protected route, a key lacking a scope is
// 403 where scopes exist, the key presented where the operation's first
// alternative reads it) and on its errors, a body per status
// (errors.byStatus, problem+json) checked in its own content type.
func TestGreenOnImportedDocuments(t *testing.T) {
	for _, tc := range []struct {
		file, id string
		cases    []string // case ids the matrix must hold
		byStatus bool     // the profile has errors.byStatus
	}{
		{"petstore3.yaml", "petstore", []string{"no-credential", "missing-scope:write:pets read:pets"}, false},
		{"errors.yaml", "errs", []string{"no-credential", "unknown-route"}, true},
	} {
		t.Run(tc.id, func(t *testing.T) {
			greenOnImported(t, "../openapiimport/testdata/"+tc.file, tc.id, tc.cases, tc.byStatus)
		})
	}
}

func greenOnImported(t *testing.T, doc, id string, want []string, byStatus bool) {
	res, err := openapiimport.ImportFile(doc, openapiimport.Options{ID: id})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), id+".yaml")
	if err := os.WriteFile(file, res.YAML, 0o600); err != nil {
		t.Fatal(err)
	}
	h := instancetest.Start(t, instancetest.ProfileFiles(file))
	var p *profile.Profile
	for _, a := range h.Instance().APIs {
		if a.Engine.Profile().ID == id {
			p = a.Engine.Profile()
		}
	}
	if p == nil {
		t.Fatalf("no %s API", id)
	}
	if got := len(p.Errors.ByStatus) > 0; got != byStatus {
		t.Fatalf("errors.byStatus: %v, want %v", p.Errors.ByStatus, byStatus)
	}
	cases := conformance.Matrix(p)
	ids := map[string]bool{}
	for _, c := range cases {
		ids[c.ID] = true
	}
	for _, w := range want {
		if !ids[w] {
			t.Fatalf("no case %q in %v", w, ids)
		}
	}
	s, err := conformance.Prepare(adminOf(h), p, cases)
	if err != nil {
		t.Fatal(err)
	}
	suite := conformance.Run(context.Background(), p, cases, conformance.Target{Base: origin(h, p.ID), Keys: s.Keys, Fresh: true})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	conformance.WriteText(&out, []conformance.Suite{suite})
	if suite.Failed > 0 || suite.Skipped > 0 {
		t.Errorf("%d passed, %d failed, %d skipped\n%s", suite.Passed, suite.Failed, suite.Skipped, out.String())
	}
}
