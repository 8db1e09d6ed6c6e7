package instance_test

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"mockgate/backend/admin"
	"mockgate/backend/instance/instancetest"
	"mockgate/backend/mockapi"
	"mockgate/backend/store"
)

// settingsOf reads an API's settings through the admin API.
func settingsOf(t *testing.T, h *instancetest.Harness, api string) mockapi.Settings {
	t.Helper()
	var apis []admin.APIInfo
	h.Admin("GET", "/apis", nil, &apis)
	for _, a := range apis {
		if a.ID == api {
			return a.Settings
		}
	}
	t.Fatalf("no API %s", api)
	return mockapi.Settings{}
}

// TestSettingsSurviveRestart: the engine keeps its settings through the
// store; saved settings that a stricter rule now refuses are a warning and
// the defaults, never a failed start; a removed API's settings go with it.
func TestSettingsSurviveRestart(t *testing.T) {
	h := instancetest.Start(t)
	set := mockapi.Settings{CORSOrigins: []string{"http://localhost:3000"}, LatencyMs: 1, ThrottleRate: 0.25}
	var got mockapi.Settings
	if st := h.Admin("PUT", "/apis/journeybee/settings", set, &got); st != 200 || !reflect.DeepEqual(got, set) {
		t.Fatalf("put settings: %d %+v", st, got)
	}
	if st := h.Admin("PUT", "/apis/journeybee/settings", mockapi.Settings{ErrorRate: 2}, nil); st != 400 {
		t.Fatalf("invalid settings: %d", st)
	}
	h.Restart()
	if got := settingsOf(t, h, "journeybee"); !reflect.DeepEqual(got, set) {
		t.Fatalf("after restart: %+v, want %+v", got, set)
	}

	// A CORS origin saved before the rule refused "http://x/".
	h.Stop()
	st, err := store.Open(h.Dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SaveSettings("eudr", mockapi.Settings{CORSOrigins: []string{"http://x/"}}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	h.Restart()
	if got := settingsOf(t, h, "eudr"); len(got.CORSOrigins) != 0 {
		t.Fatalf("invalid saved settings in force: %+v", got)
	}
	if logs := h.Logs.String(); !strings.Contains(logs, "level=WARN") || !strings.Contains(logs, "http://x/") {
		t.Fatalf("no warning for the refused saved settings:\n%s", logs)
	}
	if got := settingsOf(t, h, "journeybee"); !reflect.DeepEqual(got, set) {
		t.Fatalf("journeybee after the eudr warning: %+v", got)
	}

	// An imported API removed then imported again starts from its defaults.
	src, err := os.ReadFile("../../examples/petshop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for round := range 2 {
		if code, answer := h.AdminSend("POST", "/profiles", "application/yaml", src); code != 201 {
			t.Fatalf("import %d: %d %s", round, code, answer)
		}
		if got := settingsOf(t, h, "petshop"); len(got.CORSOrigins) != 0 || got.LatencyMs != 0 {
			t.Fatalf("import %d: settings %+v, want the defaults", round, got)
		}
		if st := h.Admin("PUT", "/apis/petshop/settings", mockapi.Settings{LatencyMs: 3}, nil); st != 200 {
			t.Fatalf("put petshop settings: %d", st)
		}
		if st := h.Admin("DELETE", "/profiles/petshop", nil, nil); st != 204 {
			t.Fatalf("remove: %d", st)
		}
	}
}
