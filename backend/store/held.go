package store

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// Held reports whether another process holds the lock of the store in dir:
// a running instance, or a command that opened the store itself. It takes
// the lock for an instant when it is free (and lets it go at once), so it
// never waits. A folder without a store is not held. Where flock does not
// exist it cannot tell and answers true: callers must not rely on it alone
// to trust a process.
func Held(dir string) (bool, error) {
	f, err := os.Open(filepath.Join(dir, FileName))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	return heldElsewhere(f)
}
