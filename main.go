// Command mockgate runs local mock APIs, either in a Wails desktop window or
// headless (`mockgate serve`). main configures and hands over to the command
// line in backend/cli, which decides which of the two to start; app.go holds
// the Wails side.
package main

import (
	"embed"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"mockgate/backend/cli"
)

// assets is the built frontend. The Makefile builds frontend/dist before any
// go command; a clean clone holds only a placeholder there, so the package
// still compiles (and tests run) before the first frontend build.
//
//go:embed all:frontend/dist
var assets embed.FS

// version and commit are set at build time by the Makefile:
//
//	-ldflags "-X main.version=$(git describe --tags --always --dirty) -X main.commit=$(git rev-parse HEAD)"
//
// A plain go build leaves them empty; mockgate version then says "dev" and
// takes the commit from the Go build info when it was recorded.
var version, commit string

func main() {
	// Started from Windows Explorer, cobra would print "This is a command
	// line tool" and exit; mockgate with no command opens its window there.
	cobra.MousetrapHelpText = ""
	dist, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		fmt.Fprintf(os.Stderr, "mockgate: embedded frontend: %v\n", err)
		os.Exit(1)
	}
	os.Exit(cli.Run(os.Args[1:], cli.Env{
		Stdout:  os.Stdout,
		Stderr:  os.Stderr,
		Assets:  dist,
		Desktop: desktop(dist),
		Version: version,
		Commit:  commit,
	}))
}
