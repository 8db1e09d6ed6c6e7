//go:build !desktop

package main

import (
	"io/fs"

	"mockgate/backend/instance"
)

// desktop returns nil: this binary was built without the desktop tag, so it
// has no Wails window and no cgo, and runs headless only. The command line
// reports that when asked for the window.
func desktop(fs.FS) func(*instance.Instance) error {
	return nil
}
