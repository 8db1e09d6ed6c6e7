package store

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"mockgate/backend/integrations"
	"mockgate/backend/journal"
	"mockgate/backend/keys"
	"mockgate/backend/mockapi"
)

// snapshot is everything ReplaceState replaces, read back.
func snapshot(t *testing.T, s *Store) string {
	t.Helper()
	ks, err := s.LoadKeys()
	if err != nil {
		t.Fatal(err)
	}
	ins, err := s.LoadIntegrations()
	if err != nil {
		t.Fatal(err)
	}
	set, _, err := s.LoadSettings("journeybee")
	if err != nil {
		t.Fatal(err)
	}
	profiles, err := s.Profiles()
	if err != nil {
		t.Fatal(err)
	}
	docs, err := s.Documents()
	if err != nil {
		t.Fatal(err)
	}
	var recs []string
	for _, name := range []string{"journeybee/-/users", "journeybee/-/leads"} {
		seq, ok, err := s.LoadCollection(name, func(id uint64, doc []byte) { recs = append(recs, fmt.Sprintf("%d=%s", id, doc)) })
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, fmt.Sprintf("%s seq %d ok %v", name, seq, ok))
	}
	return fmt.Sprintf("keys %v\nintegrations %v\nsettings %+v\nprofiles %q\ndocuments %q\nrecords %v", ks, ins, set, profiles, docs, recs)
}

// ReplaceState replaces the keys, integrations, settings, records and
// imported profiles in one transaction, and leaves the request log and
// the schema version; when it fails nothing changed.
func TestReplaceState(t *testing.T) {
	s := openTest(t, t.TempDir())
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.SaveKey(keys.Key{ID: "old", API: "journeybee", Hash: "h"}))
	must(s.SaveIntegration(integrations.Integration{API: "eudr", Name: "old"}))
	must(s.SaveSettings("journeybee", mockapi.Settings{LatencyMs: 5}))
	must(s.PutProfile("old", []byte("id: old"), []byte(`{"openapi":"3.1.0"}`)))
	must(s.ReplaceCollection("journeybee/-/users", 3, func(id uint64) []byte { return []byte(fmt.Sprintf(`{"id":%d}`, id)) }))
	must(s.AppendEntries([]journal.Entry{{Summary: journal.Summary{ID: 1}}}))

	st := State{
		Keys:         []keys.Key{{ID: "b", API: "journeybee", Hash: "hb", CreatedAt: now}, {ID: "a", API: "jelou", Hash: "ha", CreatedAt: now}},
		Integrations: []integrations.Integration{{API: "eudr", Name: "default", Active: true, CreatedAt: now, UpdatedAt: now}},
		Settings:     map[string]mockapi.Settings{"journeybee": {IgnorePrefer: true}},
		Profiles:     map[string][]byte{"petshop": []byte("id: petshop")},
		Documents:    map[string][]byte{"petshop": []byte(`{"openapi":"3.0.3"}`)},
		Collections:  []Collection{{Name: "journeybee/-/leads", Seq: 9, IDs: []uint64{2, 7}, Docs: [][]byte{[]byte(`{"id":2}`), []byte(`{"id":7}`)}}},
	}
	must(s.ReplaceState(st))
	got := snapshot(t, s)
	want := fmt.Sprintf("keys %v\nintegrations %v\nsettings %+v\nprofiles %q\ndocuments %q\nrecords %v",
		[]keys.Key{st.Keys[1], st.Keys[0]}, st.Integrations, st.Settings["journeybee"], st.Profiles, st.Documents,
		[]string{"journeybee/-/users seq 0 ok false", `2={"id":2}`, `7={"id":7}`, "journeybee/-/leads seq 9 ok true"})
	if got != want {
		t.Fatalf("after ReplaceState:\n%s\nwant\n%s", got, want)
	}
	if es, err := s.LoadEntries(10); err != nil || len(es) != 1 {
		t.Fatalf("the request log: %v %v", es, err)
	}
	if v, err := s.SchemaVersion(); err != nil || v != SchemaVersion {
		t.Fatalf("schema version %d %v", v, err)
	}

	// A state the store cannot write (a collection twice) changes nothing.
	bad := st
	bad.Keys = nil
	bad.Collections = append(bad.Collections, bad.Collections[0])
	if err := s.ReplaceState(bad); err == nil {
		t.Fatal("a collection listed twice was written")
	}
	if after := snapshot(t, s); !reflect.DeepEqual(after, got) {
		t.Fatalf("a failed ReplaceState changed the store:\n%s", after)
	}
}
