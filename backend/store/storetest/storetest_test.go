package storetest_test

import (
	"testing"

	"mockgate/backend/store"
	"mockgate/backend/store/storetest"
)

// A store opened here is checked and closed when the test ends: the folder
// can then be opened again (the lock is released), and a store the test
// closed itself is not an error.
func TestOpenClosesAtCleanup(t *testing.T) {
	dir := t.TempDir()
	t.Run("open", func(t *testing.T) {
		s := storetest.OpenDir(t, dir)
		if err := s.PutMeta("k", []byte("v")); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("closed by the test", func(t *testing.T) {
		s := storetest.OpenDir(t, dir)
		if v, err := s.GetMeta("k"); err != nil || string(v) != "v" {
			t.Fatalf("reopened: %q %v", v, err)
		}
		s.Close()
	})
	s, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatalf("the folder is still locked after the subtests: %v", err)
	}
	if err := s.Check(); err != nil {
		t.Fatalf("consistency: %v", err)
	}
	s.Close()
	if err := s.Check(); err != store.ErrClosed {
		t.Fatalf("Check of a closed store: %v, want ErrClosed", err)
	}
}
