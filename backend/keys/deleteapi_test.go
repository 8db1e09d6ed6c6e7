package keys

import (
	"slices"
	"testing"
)

// TestDeleteAPI: removing an API removes its keys for good (a re-imported
// API with the same id must not answer an old key), in one notification,
// and leaves the other APIs' keys alone.
func TestDeleteAPI(t *testing.T) {
	s, st, _ := newTestService(t)
	var gone []string
	var raws []string
	for range 3 {
		k, raw := mustCreate(t, s, CreateRequest{API: "petshop", Name: "pets", Format: jbFmt})
		gone = append(gone, k.ID)
		raws = append(raws, raw)
	}
	kept, keptRaw := mustCreate(t, s, CreateRequest{API: "journeybee", Name: "jb", Format: jbFmt})
	notes := 0
	s.Subscribe(func() { notes++ })

	ids, err := s.DeleteAPI("petshop")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(gone)
	if !slices.Equal(ids, gone) {
		t.Fatalf("DeleteAPI = %v, want %v", ids, gone)
	}
	if notes != 1 {
		t.Errorf("%d notifications, want 1", notes)
	}
	for i, raw := range raws {
		if _, ok := s.Lookup(Hash(raw)); ok {
			t.Errorf("key %d of the removed API is still found", i)
		}
		if _, ok := st.keys[gone[i]]; ok {
			t.Errorf("key %s is still stored", gone[i])
		}
	}
	if _, ok := s.Lookup(Hash(keptRaw)); !ok {
		t.Error("another API's key was deleted")
	}
	if _, ok := s.Get(kept.ID); !ok {
		t.Error("another API's key is not listed")
	}
	if ids, err := s.DeleteAPI("petshop"); err != nil || len(ids) != 0 || notes != 1 {
		t.Errorf("second DeleteAPI = %v, %v (%d notifications)", ids, err, notes)
	}
}

// TestPurposeKept: the Explorer's mark on a key survives a restart.
func TestPurposeKept(t *testing.T) {
	s, st, clk := newTestService(t)
	k, _ := mustCreate(t, s, CreateRequest{API: "eudr", Name: "Explorer demo: revoked", Format: eudrFmt, Purpose: PurposeExplorer})
	if k.Purpose != PurposeExplorer {
		t.Fatalf("Purpose = %q", k.Purpose)
	}
	again, err := NewService(st, clk)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := again.Get(k.ID); got.Purpose != PurposeExplorer {
		t.Errorf("after a reload Purpose = %q, want %q", got.Purpose, PurposeExplorer)
	}
}
