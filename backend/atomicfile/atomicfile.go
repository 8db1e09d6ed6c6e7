// Package atomicfile replaces a file whole: it writes a temporary file in
// the same folder with the final mode, syncs it and renames it over the
// path, so a reader (or a crash) sees the old file or the new one, never
// half of one, and a file's old mode never carries over (an admin.token
// left 0644 must not hand a new token to every user).
package atomicfile

import (
	"os"
	"path/filepath"
	"runtime"
)

// Write replaces path with data, with mode perm.
func Write(path string, data []byte, perm os.FileMode) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	// Windows has no such modes; elsewhere CreateTemp's 0600 becomes perm.
	if err := f.Chmod(perm); err != nil && runtime.GOOS != "windows" {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
