package cli_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	junit "github.com/joshdk/go-junit"

	"mockgate/backend/conformance"
	"mockgate/backend/conformance/conformancetest"
)

// afterRun checks a run left the instance as it found it: no key, the
// clock running at real time.
func afterRun(t *testing.T, data string) {
	t.Helper()
	out, _, _ := run(t, "keys", "list", "--data", data, "--json")
	if strings.TrimSpace(out) != "[]" {
		t.Errorf("keys left behind: %s", out)
	}
	out, _, _ = run(t, "clock", "--data", data, "--json")
	var st struct {
		OffsetSeconds float64
		Frozen        bool
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || st.Frozen || st.OffsetSeconds > 1 || st.OffsetSeconds < -1 {
		t.Errorf("the clock after the run: %v %s", err, out)
	}
}

// TestConformanceThroughTheBinary: mockgate conformance is green on the
// four built-ins of a running serve, each in well under 5 s, writes JUnit
// that an independent parser reads back, and leaves no key and the clock
// as it was; without an instance it says so.
func TestConformanceThroughTheBinary(t *testing.T) {
	data := t.TempDir()
	serveReady(t, data)
	junitFile := filepath.Join(t.TempDir(), "conformance.xml")
	out, errOut, code := run(t, "conformance", "--data", data, "--junit", junitFile, "--json")
	if code != 0 {
		t.Fatalf("conformance: exit %d: %s\n%s", code, errOut, out)
	}
	var suites []conformance.Suite
	if err := json.Unmarshal([]byte(out), &suites); err != nil {
		t.Fatalf("--json: %v: %s", err, out)
	}
	if len(suites) != 4 {
		t.Fatalf("%d suites", len(suites))
	}
	for _, s := range suites {
		t.Logf("%s: %d cases in %.3f s", s.API, len(s.Results), s.Seconds)
		if s.Failed+s.Skipped > 0 || s.Passed < 15 || s.Seconds > 5 {
			t.Errorf("%s: %d passed, %d failed, %d skipped in %.2f s", s.API, s.Passed, s.Failed, s.Skipped, s.Seconds)
		}
	}
	parsed, err := junit.IngestFile(junitFile)
	if err != nil {
		t.Fatal(err)
	}
	for i, ps := range parsed {
		if ps.Name != suites[i].API || ps.Totals.Tests != len(suites[i].Results) || ps.Totals.Passed != ps.Totals.Tests {
			t.Errorf("JUnit suite %d read back: %s %+v", i, ps.Name, ps.Totals)
		}
	}
	afterRun(t, data)

	// The text report, one API.
	out, _, code = run(t, "conformance", "--data", data, "--api", "eudr")
	if code != 0 || !strings.Contains(out, "PASS  revoked-key") || !strings.Contains(out, "25 cases: 25 passed, 0 failed, 0 skipped") {
		t.Errorf("text report: exit %d:\n%s", code, out)
	}
	if _, errOut, code := run(t, "conformance", "--data", data, "--api", "nope"); code != 1 || !strings.Contains(errOut, `no API "nope" runs`) {
		t.Errorf("unknown API: exit %d: %s", code, errOut)
	}
	for _, args := range [][]string{
		{"--key", "valid=x"},                      // keys go with --target
		{"--export", "csv", "f"},                  // one format
		{"--export", "postman"},                   // needs the file
		{"--target", "ftp://x", "--api", "jelou"}, // not http
		{"--target", "http://x"},                  // which profile
	} {
		if _, errOut, code := run(t, append([]string{"conformance", "--data", data}, args...)...); code != 2 {
			t.Errorf("%v: exit %d, want 2: %s", args, code, errOut)
		}
	}
	if _, errOut, code := run(t, "conformance", "--data", t.TempDir()); code != 1 || !strings.Contains(errOut, "no mockgate is running") {
		t.Errorf("without an instance: exit %d: %s", code, errOut)
	}
}

// TestConformanceAgainstAWrongServer: with --target the pack runs against
// another server with the keys given, fails with exit 1 naming what was
// expected and what came back, skips the cases whose key was not given,
// and writes the failures into JUnit.
func TestConformanceAgainstAWrongServer(t *testing.T) {
	data := t.TempDir()
	r := serveReady(t, data)
	valid := createKey(t, data, "--api", "journeybee", "--name", "valid")
	revoked := createKey(t, data, "--api", "journeybee", "--name", "revoked")
	expired := createKey(t, data, "--api", "journeybee", "--name", "expired", "--ttl", "1m")
	ro := createKey(t, data, "--api", "journeybee", "--name", "ro", "--scopes", "read")
	run(t, "keys", "revoke", revoked.ID, "--data", data)
	run(t, "clock", "advance", "2m", "--data", data)
	srv := conformancetest.WrongServer(t, r.origin("journeybee"), revoked.Key)

	junitFile := filepath.Join(t.TempDir(), "wrong.xml")
	out, errOut, code := run(t, "conformance", "--target", srv.URL+"/v1", "--api", "journeybee", "--junit", junitFile,
		"--key", "valid="+valid.Key, "--key", "revoked="+revoked.Key, "--key", "expired="+expired.Key, "--key", "read-only="+ro.Key)
	t.Logf("exit %d\n%s%s", code, out, errOut)
	if code != 1 || !strings.Contains(errOut, "conformance: 3 of 16 cases failed (12 passed, 1 skipped)") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for id, want := range conformancetest.WrongFailures {
		if !strings.Contains(out, "FAIL  "+id) || !strings.Contains(out, want) {
			t.Errorf("the report lacks the failure of %s (%q)", id, want)
		}
	}
	if !strings.Contains(out, "SKIP  deleted-key") || !strings.Contains(out, "--key deleted=KEY") {
		t.Errorf("deleted-key without a key is not skipped:\n%s", out)
	}
	parsed, err := junit.IngestFile(junitFile)
	if err != nil || len(parsed) != 1 {
		t.Fatalf("JUnit: %v, %d suites", err, len(parsed))
	}
	if tot := parsed[0].Totals; tot.Failed != 3 || tot.Skipped != 1 || tot.Passed != 12 {
		t.Errorf("JUnit totals read back: %+v", tot)
	}
	for _, tc := range parsed[0].Tests {
		if want, ok := conformancetest.WrongFailures[tc.Name]; ok && (tc.Status != junit.StatusFailed || !strings.Contains(tc.Error.Error(), want)) {
			t.Errorf("JUnit %s: %s %q, want a failure saying %q", tc.Name, tc.Status, tc.Message, want)
		}
	}
	// No output of the pack holds a raw key it was given: the text report,
	// JUnit, JSON and the Postman export (keys there are variables).
	jsonOut, _, _ := run(t, "conformance", "--target", srv.URL+"/v1", "--api", "journeybee", "--json",
		"--key", "valid="+valid.Key, "--key", "revoked="+revoked.Key, "--key", "expired="+expired.Key, "--key", "read-only="+ro.Key)
	postman := filepath.Join(t.TempDir(), "pack.postman.json")
	if _, errOut, code := run(t, "conformance", "--target", srv.URL+"/v1", "--api", "journeybee", "--export", "postman", postman,
		"--key", "valid="+valid.Key, "--key", "revoked="+revoked.Key); code != 0 {
		t.Fatalf("postman export: exit %d: %s", code, errOut)
	}
	junitData, _ := os.ReadFile(junitFile)
	postmanData, _ := os.ReadFile(postman)
	for name, text := range map[string]string{"report": out + errOut, "JUnit": string(junitData), "JSON": jsonOut, "Postman": string(postmanData)} {
		if text == "" {
			t.Errorf("%s: empty", name)
		}
		for _, k := range []string{valid.Key, revoked.Key, expired.Key, ro.Key} {
			if strings.Contains(text, k) {
				t.Errorf("the %s output holds a raw key", name)
			}
		}
	}
	if _, errOut, code := run(t, "conformance", "--target", srv.URL, "--api", "journeybee", "--key", "admin=x"); code != 2 || !strings.Contains(errOut, "roles: ") {
		t.Errorf("an unknown role: exit %d: %s", code, errOut)
	}
}

// newman is the newman that scripts/deps.sh installs (npm ci in
// backend/cli/testdata/newman).
func newman(t *testing.T) string {
	t.Helper()
	bin, err := filepath.Abs(filepath.Join("testdata", "newman", "node_modules", ".bin", "newman"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("MOCKGATE_BIN") != "" { // make test: deps.sh ran, so this is a real failure
			t.Fatalf("newman is not installed (scripts/deps.sh runs npm ci in backend/cli/testdata/newman): %v", err)
		}
		t.Skipf("newman is not installed: run scripts/deps.sh (npm ci in backend/cli/testdata/newman): %v", err)
	}
	return bin
}

// TestPostmanExportRunsGreenInNewman: the matrix exported as a Postman
// collection runs green in newman against the running mockgate, making
// and removing its keys itself, and is red when an answer is wrong.
func TestPostmanExportRunsGreenInNewman(t *testing.T) {
	nm := newman(t)
	data := t.TempDir()
	r := serveReady(t, data)
	col := filepath.Join(t.TempDir(), "conformance.postman.json")
	out, errOut, code := run(t, "conformance", "--data", data, "--export", "postman", col)
	if code != 0 || !strings.Contains(out, "75 cases of juleb, journeybee, jelou, eudr") || !strings.Contains(out, "--env-var adminToken=") {
		t.Fatalf("export: exit %d: %s %s", code, out, errOut)
	}
	if raw, _ := os.ReadFile(col); strings.Contains(string(raw), r.AdminToken) {
		t.Fatal("the collection holds the admin token")
	}
	report := filepath.Join(t.TempDir(), "newman.json")
	newmanRun := func(file string, vars ...string) (int, string) {
		args := []string{"run", file, "--env-var", "adminToken=" + r.AdminToken,
			"--reporters", "cli,json", "--reporter-json-export", report, "--disable-unicode", "--color", "off"}
		for _, v := range vars {
			args = append(args, "--env-var", v)
		}
		cmd := exec.Command(nm, args...)
		outb, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), string(outb)
		} else if err != nil {
			t.Fatal(err)
		}
		return 0, string(outb)
	}
	code, log := newmanRun(col)
	var rep struct {
		Run struct {
			Stats struct {
				Assertions struct{ Total, Failed int }
				Requests   struct{ Total, Failed int }
			}
		}
	}
	raw, err := os.ReadFile(report)
	if err == nil {
		err = json.Unmarshal(raw, &rep)
	}
	if code != 0 || err != nil {
		t.Fatalf("newman: exit %d, report %v:\n%s", code, err, tail(log, 4000))
	}
	st := rep.Run.Stats
	t.Logf("newman: %d requests, %d assertions", st.Requests.Total, st.Assertions.Total)
	if st.Assertions.Failed != 0 || st.Assertions.Total < 75 || st.Requests.Total < 75+4*60 {
		t.Fatalf("newman stats %+v:\n%s", st, tail(log, 4000))
	}
	afterRun(t, data)

	// Exported for another server, it runs with the keys given as
	// variables: red against a wrong one, the case without its key skipped.
	valid := createKey(t, data, "--api", "journeybee", "--name", "valid")
	revoked := createKey(t, data, "--api", "journeybee", "--name", "revoked")
	run(t, "keys", "revoke", revoked.ID, "--data", data)
	srv := conformancetest.WrongServer(t, r.origin("journeybee"), revoked.Key)
	target := filepath.Join(t.TempDir(), "target.postman.json")
	if out, errOut, code := run(t, "conformance", "--target", srv.URL, "--api", "journeybee", "--export", "postman", target); code != 0 ||
		!strings.Contains(out, "--env-var journeybee_key_valid=") {
		t.Fatalf("export for a target: exit %d: %s %s", code, out, errOut)
	}
	code, log = newmanRun(target, "journeybee_key_valid="+valid.Key, "journeybee_key_revoked="+revoked.Key)
	raw, err = os.ReadFile(report)
	if err == nil {
		err = json.Unmarshal(raw, &rep)
	}
	st = rep.Run.Stats
	t.Logf("newman against the wrong server: exit %d, %d requests, %d assertions, %d failed", code, st.Requests.Total, st.Assertions.Total, st.Assertions.Failed)
	if code == 0 || err != nil || st.Assertions.Failed != 3 || st.Assertions.Total != 16-3 { // no key for deleted, expired, read-only
		t.Fatalf("newman against the wrong server: exit %d, %v, %+v:\n%s", code, err, st, tail(log, 6000))
	}
	for id, want := range conformancetest.WrongFailures {
		if !strings.Contains(log, "journeybee "+id+": expected") || !strings.Contains(log, want) {
			t.Errorf("newman's report lacks the failure of %s (%q)", id, want)
		}
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// origin is the origin of API id in the ready file.
func (r ready) origin(id string) string {
	for _, a := range r.APIs {
		if a.ID == id {
			return a.Origin
		}
	}
	return ""
}
