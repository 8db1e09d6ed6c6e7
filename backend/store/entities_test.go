package store

import (
	"reflect"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"mockgate/backend/mockapi"
)

func TestSettingsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	if v, ok, err := s.LoadSettings("journeybee"); err != nil || ok || !reflect.DeepEqual(v, mockapi.Settings{}) {
		t.Fatalf("never saved: %+v, ok %v, %v", v, ok, err)
	}
	want := mockapi.Settings{CORSOrigins: []string{"http://localhost:3000"}, LatencyMs: 200, ErrorRate: 0.1, ThrottleRate: 0.05}
	if err := s.SaveSettings("journeybee", want); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSettings("eudr", mockapi.Settings{LatencyMs: 1}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openTest(t, dir)
	if v, ok, err := s.LoadSettings("journeybee"); err != nil || !ok || !reflect.DeepEqual(v, want) {
		t.Fatalf("reopened: %+v, ok %v, %v; want %+v", v, ok, err, want)
	}
	if err := s.DeleteSettings("journeybee"); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.LoadSettings("journeybee"); err != nil || ok {
		t.Fatalf("deleted: ok %v, %v", ok, err)
	}
	if v, ok, err := s.LoadSettings("eudr"); err != nil || !ok || v.LatencyMs != 1 {
		t.Fatalf("another API's settings: %+v, ok %v, %v", v, ok, err)
	}
}

// A record that no longer decodes is an error naming the API, not silently
// the defaults.
func TestSettingsUndecodable(t *testing.T) {
	s := openTest(t, t.TempDir())
	if err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bSettings).Put([]byte("journeybee"), []byte(`{"latencyMs":"slow"}`))
	}); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.LoadSettings("journeybee"); err == nil || ok || !strings.Contains(err.Error(), "journeybee") {
		t.Fatalf("undecodable: ok %v, %v", ok, err)
	}
}
