package integrations_test

import (
	"errors"
	"testing"
	"time"

	"mockgate/backend/clock"
	"mockgate/backend/integrations"
	"mockgate/backend/store/storetest"
)

func TestRegistry(t *testing.T) {
	dir := t.TempDir()
	st := storetest.OpenDir(t, dir)
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	r, err := integrations.New(st, clk)
	if err != nil {
		t.Fatal(err)
	}
	if r.Active("eudr", "default") {
		t.Fatal("an unknown integration is active")
	}
	if _, err := r.Ensure("eudr", "default"); err != nil {
		t.Fatal(err)
	}
	if !r.Active("eudr", "default") || r.Active("other", "default") {
		t.Fatal("Ensure did not create an active integration of that API only")
	}
	clk.Advance(time.Hour)
	in, err := r.SetActive("eudr", "default", false)
	if err != nil || in.Active || !in.UpdatedAt.After(in.CreatedAt) {
		t.Fatalf("deactivate: %+v %v", in, err)
	}
	if r.Active("eudr", "default") {
		t.Fatal("still active")
	}
	// Ensure does not reactivate an existing integration.
	if in, _ := r.Ensure("eudr", "default"); in.Active {
		t.Fatal("Ensure reactivated it")
	}
	if _, err := r.SetActive("eudr", "nope", true); !errors.Is(err, integrations.ErrNotFound) {
		t.Fatalf("unknown: %v", err)
	}
	for _, bad := range []string{"", "../x", "a/b", string(make([]byte, 70))} {
		if _, err := r.Ensure("eudr", bad); err == nil {
			t.Errorf("name %q accepted", bad)
		}
	}
	// The state survives a restart.
	st.Close()
	st = storetest.OpenDir(t, dir)
	r, err = integrations.New(st, clk)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.List("eudr"); len(got) != 1 || got[0].Active {
		t.Fatalf("after restart: %+v", got)
	}
	// Remove forgets it, for good.
	if err := r.Remove("eudr", "default"); err != nil {
		t.Fatal(err)
	}
	if err := r.Remove("eudr", "default"); !errors.Is(err, integrations.ErrNotFound) {
		t.Fatalf("second remove: %v", err)
	}
	st.Close()
	st = storetest.OpenDir(t, dir)
	if r, err = integrations.New(st, clk); err != nil || len(r.List("")) != 0 {
		t.Fatalf("after remove and restart: %+v %v", r.List(""), err)
	}
}

// Reload reads what the store holds now (a saved state written there);
// Check refuses what the registry could not hold.
func TestReloadAndCheck(t *testing.T) {
	st := storetest.Open(t)
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	r, err := integrations.New(st, clk)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Ensure("eudr", "default"); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveIntegration(integrations.Integration{API: "eudr", Name: "erp", Active: true}); err != nil {
		t.Fatal(err)
	}
	if r.Active("eudr", "erp") {
		t.Fatal("written behind the registry's back, yet known before Reload")
	}
	if err := r.Reload(); err != nil || !r.Active("eudr", "erp") || len(r.List("eudr")) != 2 {
		t.Fatalf("after Reload: %v %+v", err, r.List(""))
	}

	good := []integrations.Integration{{API: "eudr", Name: "default"}, {API: "eudr", Name: "erp sync-2"}}
	if err := integrations.Check(good); err != nil {
		t.Fatalf("good: %v", err)
	}
	for _, bad := range [][]integrations.Integration{
		{{Name: "default"}},
		{{API: "eudr", Name: ""}},
		{{API: "eudr", Name: "no/slash"}},
		append(good, good[0]),
	} {
		if err := integrations.Check(bad); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}
