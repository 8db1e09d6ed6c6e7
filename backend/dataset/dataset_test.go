package dataset_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"mockgate/backend/clock"
	"mockgate/backend/dataset"
	"mockgate/backend/profile"
	"mockgate/backend/store"
	"mockgate/backend/store/storetest"
)

func open(t *testing.T, dir string) (*dataset.Set, *profile.Profile, *store.Store) {
	t.Helper()
	ps, err := profile.Builtins()
	if err != nil {
		t.Fatal(err)
	}
	st := storetest.OpenDir(t, dir)
	s, err := dataset.Open(ps[1], st, clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	return s, ps[1], st
}

// TestSeedDeterministic: two fresh stores hold the same seed data, byte for
// byte, for every collection of every built-in API; and a reset brings it
// back after writes.
func TestSeedDeterministic(t *testing.T) {
	ps, err := profile.Builtins()
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	for _, p := range ps {
		sta, stb := storetest.Open(t), storetest.Open(t)
		a, err := dataset.Open(p, sta, clk)
		if err != nil {
			t.Fatal(err)
		}
		b, err := dataset.Open(p, stb, clk)
		if err != nil {
			t.Fatal(err)
		}
		for _, tenant := range dataset.Tenants(p) {
			for i := range p.Resources {
				r := &p.Resources[i]
				pa, _, na := a.Collection(tenant, r).AppendPage(nil, 0, 1<<20)
				pb, _, _ := b.Collection(tenant, r).AppendPage(nil, 0, 1<<20)
				if na != r.Seed.Count || !bytes.Equal(pa, pb) {
					t.Fatalf("%s/%s/%s: %d records; the two seeds differ: %v", p.ID, tenant, r.Name, na, !bytes.Equal(pa, pb))
				}
				var docs []map[string]any
				if err := json.Unmarshal(pa, &docs); err != nil {
					t.Fatalf("%s/%s: seed is not valid JSON: %v", p.ID, r.Name, err)
				}
				for _, f := range r.Fields {
					if f.Fake != "" && len(docs) > 0 && docs[0][f.Name] == "" {
						t.Errorf("%s/%s.%s: empty seeded value", p.ID, r.Name, f.Name)
					}
				}
			}
		}
		sta.Close()
		stb.Close()
	}

	s, p, st := open(t, t.TempDir())
	defer st.Close()
	users := &p.Resources[0]
	c := s.Collection(dataset.NoTenant, users)
	before, _, _ := c.AppendPage(nil, 0, 1<<20)
	if _, err := s.Create(c, users, map[string]any{"name": "X", "email": "x@example.com"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(c, 5); err != nil {
		t.Fatal(err)
	}
	if err := s.Reset(); err != nil {
		t.Fatal(err)
	}
	after, _, _ := c.AppendPage(nil, 0, 1<<20)
	if !bytes.Equal(before, after) {
		t.Fatal("reset did not restore the seed data")
	}
}

// TestGrowAndDeepPage: a page at the end of a large collection
// records reads the same number of records as page 1 (no scan).
func TestGrowAndDeepPage(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 100,000 records")
	}
	dir := t.TempDir()
	s, p, st := open(t, dir)
	users := &p.Resources[0]
	c := s.Collection(dataset.NoTenant, users)
	if err := s.Grow(c, users, dataset.NoTenant, 100_000); err != nil {
		t.Fatal(err)
	}
	page, n, total := c.AppendPage(nil, 99_990, 20)
	if n != 10 || total != 100_000 {
		t.Fatalf("deep page: %d of %d", n, total)
	}
	var docs []struct{ ID int }
	json.Unmarshal(page, &docs)
	if docs[0].ID != 99_991 || docs[9].ID != 100_000 {
		t.Fatalf("deep page ids %d..%d", docs[0].ID, docs[9].ID)
	}
	st.Close()
	// The grown collection is what a restart loads.
	s2, _, st2 := open(t, dir)
	defer st2.Close()
	if got := s2.Collection(dataset.NoTenant, users).Len(); got != 100_000 {
		t.Fatalf("after restart %d records", got)
	}
}
