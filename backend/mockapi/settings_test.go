package mockapi

import (
	"bytes"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"mockgate/backend/ratelimit"
)

// fakeSettings is an in-memory SettingsStore whose loads and saves can fail.
type fakeSettings struct {
	mu      sync.Mutex
	saved   map[string]Settings
	loadErr error
	saveErr error
	saves   int
}

func (f *fakeSettings) LoadSettings(api string) (Settings, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.loadErr != nil {
		return Settings{}, false, f.loadErr
	}
	s, ok := f.saved[api]
	return s, ok, nil
}

func (f *fakeSettings) SaveSettings(api string, s Settings) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.saveErr != nil {
		return f.saveErr
	}
	if f.saved == nil {
		f.saved = map[string]Settings{}
	}
	f.saved[api] = s
	f.saves++
	return nil
}

// withSettings builds a second engine over the fixture's profile, keys and
// data, with st as its SettingsStore and a log kept in the returned buffer.
// defaultOrigins, when given, become the profile's CORS defaults.
func (f *fixture) withSettings(t *testing.T, st SettingsStore, defaultOrigins ...string) (*Engine, *bytes.Buffer) {
	t.Helper()
	p := *f.eng.Profile()
	if defaultOrigins != nil {
		p.CORS.AllowedOrigins = defaultOrigins
	}
	var logged bytes.Buffer
	eng, err := New(Deps{Profile: &p, Keys: f.keys, Limiter: ratelimit.New(f.clk, time.Minute), Journal: f.log,
		Data: f.eng.data, Clock: f.clk, Logger: slog.New(slog.NewTextHandler(&logged, nil)), SettingsStore: st})
	if err != nil {
		t.Fatal(err)
	}
	return eng, &logged
}

func TestSettingsLoadedOnNew(t *testing.T) {
	f := newFixture(t, "journeybee", nil)
	saved := Settings{CORSOrigins: []string{"http://localhost:5173"}, LatencyMs: 5, ErrorRate: 0.25}
	st := &fakeSettings{saved: map[string]Settings{"journeybee": saved}}
	eng, _ := f.withSettings(t, st, "http://localhost:3000")
	if got := eng.Settings(); !reflect.DeepEqual(got, saved) {
		t.Fatalf("settings %+v, want the saved %+v", got, saved)
	}
	// Nothing saved: the profile's defaults.
	eng, _ = f.withSettings(t, &fakeSettings{}, "http://localhost:3000")
	if got, want := eng.Settings(), (Settings{CORSOrigins: []string{"http://localhost:3000"}}); !reflect.DeepEqual(got, want) {
		t.Fatalf("settings %+v, want the defaults %+v", got, want)
	}
	if st.saves != 0 {
		t.Fatalf("New saved %d times; loading must not write", st.saves)
	}
}

// Saved settings that a stricter rule now refuses must not stop the start.
func TestInvalidSavedSettingsFallBackToDefaults(t *testing.T) {
	f := newFixture(t, "journeybee", nil)
	st := &fakeSettings{saved: map[string]Settings{"journeybee": {CORSOrigins: []string{"http://x/"}, LatencyMs: 5}}}
	eng, logged := f.withSettings(t, st, "http://localhost:3000")
	if got, want := eng.Settings(), (Settings{CORSOrigins: []string{"http://localhost:3000"}}); !reflect.DeepEqual(got, want) {
		t.Fatalf("settings %+v, want the defaults %+v", got, want)
	}
	if l := logged.String(); !strings.Contains(l, "level=WARN") || !strings.Contains(l, "api=journeybee") || !strings.Contains(l, "http://x/") {
		t.Fatalf("no warning naming the API and the refused origin:\n%s", l)
	}
}

func TestSettingsLoadErrorFailsNew(t *testing.T) {
	f := newFixture(t, "journeybee", nil)
	p := *f.eng.Profile()
	_, err := New(Deps{Profile: &p, Keys: f.keys, Data: f.eng.data, Clock: f.clk,
		SettingsStore: &fakeSettings{loadErr: errors.New("disk gone")}})
	if err == nil || !strings.Contains(err.Error(), "disk gone") {
		t.Fatalf("New with an unreadable store: %v", err)
	}
}

func TestSetSettingsSaves(t *testing.T) {
	f := newFixture(t, "journeybee", nil)
	st := &fakeSettings{}
	eng, _ := f.withSettings(t, st)
	set := Settings{CORSOrigins: []string{"http://localhost:3000"}, ThrottleRate: 0.5}
	if err := eng.SetSettings(set); err != nil {
		t.Fatal(err)
	}
	if got := st.saved["journeybee"]; !reflect.DeepEqual(got, set) {
		t.Fatalf("saved %+v, want %+v", got, set)
	}
	if got := eng.Settings(); !reflect.DeepEqual(got, set) {
		t.Fatalf("in force %+v, want %+v", got, set)
	}
	// Invalid settings are refused before the store sees them.
	if err := eng.SetSettings(Settings{ErrorRate: 2}); err == nil || err.Error() != "errorRate must be between 0 and 1 (got 2)" {
		t.Fatalf("invalid settings: %v", err)
	}
	if st.saves != 1 {
		t.Fatalf("%d saves, want 1", st.saves)
	}
}

// When the store cannot save, nothing changes: what runs is what a restart
// brings back.
func TestSetSettingsSaveFailureKeepsOld(t *testing.T) {
	f := newFixture(t, "journeybee", nil)
	st := &fakeSettings{}
	eng, _ := f.withSettings(t, st)
	old := Settings{CORSOrigins: []string{"http://localhost:3000"}}
	if err := eng.SetSettings(old); err != nil {
		t.Fatal(err)
	}
	st.saveErr = errors.New("disk full")
	err := eng.SetSettings(Settings{ErrorRate: 1})
	if !errors.Is(err, st.saveErr) {
		t.Fatalf("save failure: %v", err)
	}
	if got := eng.Settings(); !reflect.DeepEqual(got, old) {
		t.Fatalf("in force %+v after a failed save, want the old %+v", got, old)
	}
	if got := st.saved["journeybee"]; !reflect.DeepEqual(got, old) {
		t.Fatalf("saved %+v, want the old %+v", got, old)
	}
	// The old CORS layer stays, and the error rate never came into force.
	k := f.key(t, "read")
	g := *f
	g.eng = eng
	rec := g.do("GET", "/v1/users", "", "Origin", "http://localhost:3000", "Authorization", "Bearer "+k)
	if rec.Code != 200 || rec.Header().Get("Access-Control-Allow-Origin") != "http://localhost:3000" {
		t.Fatalf("after a failed save: %d %v", rec.Code, rec.Header())
	}
}

// ReloadSettings puts in force what the store holds now (a saved state
// written there), or the profile's defaults when it holds none.
func TestReloadSettings(t *testing.T) {
	f := newFixture(t, "journeybee", nil)
	st := &fakeSettings{}
	eng, _ := f.withSettings(t, st, "http://localhost:3000")
	loaded := Settings{CORSOrigins: []string{"http://localhost:5173"}, IgnorePrefer: true}
	st.saved = map[string]Settings{"journeybee": loaded}
	if err := eng.ReloadSettings(); err != nil || !reflect.DeepEqual(eng.Settings(), loaded) {
		t.Fatalf("after a reload: %+v %v, want %+v", eng.Settings(), err, loaded)
	}
	k := f.key(t, "read")
	g := *f
	g.eng = eng
	if rec := g.do("GET", "/v1/users", "", "Origin", "http://localhost:5173", "Authorization", "Bearer "+k); rec.Header().Get("Access-Control-Allow-Origin") != "http://localhost:5173" {
		t.Fatalf("the reloaded CORS origins are not in force: %v", rec.Header())
	}
	st.saved = nil
	if err := eng.ReloadSettings(); err != nil || !reflect.DeepEqual(eng.Settings(), Settings{CORSOrigins: []string{"http://localhost:3000"}}) {
		t.Fatalf("nothing saved: %+v %v, want the defaults", eng.Settings(), err)
	}
	st.loadErr = errors.New("disk gone")
	if err := eng.ReloadSettings(); err == nil || eng.Settings().CORSOrigins[0] != "http://localhost:3000" {
		t.Fatalf("an unreadable store: %v, in force %+v", err, eng.Settings())
	}
	if st.saves != 0 {
		t.Fatalf("ReloadSettings saved %d times", st.saves)
	}
}
