//go:build unix

package store

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// lockFile takes an exclusive flock on f, as bbolt does on its own file
// descriptor, retrying until timeout; false means another process holds it.
// Closing f releases it.
func lockFile(f *os.File, timeout time.Duration) (bool, error) {
	deadline := time.Now().Add(timeout)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return false, err
		}
		if time.Now().After(deadline) {
			return false, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// heldElsewhere tries f's lock once, without waiting; closing f (the
// caller's defer) lets it go again when it was free.
func heldElsewhere(f *os.File) (bool, error) {
	locked, err := lockFile(f, 0)
	return !locked, err
}
