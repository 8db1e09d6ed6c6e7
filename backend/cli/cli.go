// Package cli implements mockgate's command line: serve, keys,
// integrations, and the desktop default.
package cli

import (
	"io"
	"io/fs"

	"mockgate/backend/instance"
)

// Env is what the command line needs from main.
type Env struct {
	Stdout, Stderr io.Writer
	// Assets is the built frontend (frontend/dist).
	Assets fs.FS
	// Desktop runs the Wails window for a started instance and returns when
	// the window closes. Nil when built without the desktop.
	Desktop func(inst *instance.Instance) error
}

// Run executes the command line args (without the program name) and returns
// the process exit code.
func Run(args []string, env Env) int {
	return 0
}
