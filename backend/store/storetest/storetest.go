// Package storetest opens stores for tests, as bbolt's btesting does: under
// the test's temporary folder, with a consistency check of the file when
// the test ends. Every test outside the store package that needs a real
// store opens it here.
package storetest

import (
	"errors"
	"testing"
	"time"

	"mockgate/backend/store"
)

// Open opens a fresh store under t.TempDir().
func Open(t testing.TB) *store.Store { return OpenDir(t, t.TempDir()) }

// OpenDir opens (or reopens) the store in dir. When the test ends it checks
// the file's consistency, failing the test on a problem, and closes it; a
// store the test closed itself is left as it is.
func OpenDir(t testing.TB, dir string) *store.Store {
	t.Helper()
	s, err := store.Open(dir, store.Options{Timeout: time.Second})
	if err != nil {
		t.Fatalf("open store in %s: %v", dir, err)
	}
	t.Cleanup(func() {
		if err := s.Check(); err != nil {
			if !errors.Is(err, store.ErrClosed) {
				t.Errorf("consistency check of %s: %v", s.Path(), err)
			}
			return
		}
		if err := s.Close(); err != nil {
			t.Errorf("close %s: %v", s.Path(), err)
		}
	})
	return s
}
