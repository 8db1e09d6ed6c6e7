package store

import (
	"runtime"
	"testing"
	"time"
)

func TestHeld(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no flock: Held cannot tell")
	}
	dir := t.TempDir()
	if held, err := Held(dir); err != nil || held {
		t.Fatalf("empty folder: held %v, %v", held, err)
	}
	s := openTest(t, dir)
	for range 2 { // asking twice must not take the lock from its holder
		if held, err := Held(dir); err != nil || !held {
			t.Fatalf("open store: held %v, %v", held, err)
		}
	}
	s.Close()
	if held, err := Held(dir); err != nil || held {
		t.Fatalf("after close: held %v, %v", held, err)
	}
	// Held let the free lock go again: the store opens at once.
	t0 := time.Now()
	s2, err := Open(dir, Options{Timeout: 200 * time.Millisecond})
	if err != nil || time.Since(t0) > 150*time.Millisecond {
		t.Fatalf("open after Held: %v after %v", err, time.Since(t0))
	}
	s2.Close()
}
