package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// versionInfo describes a mockgate binary: what mockgate version and
// mockgate --version print.
type versionInfo struct {
	// Version is git describe's answer injected at build time, else "dev"
	// followed by the recorded revision, if any.
	Version string
	// Commit is the full revision, "unknown" when the build recorded none.
	Commit string
	// GoVersion is the toolchain that built the binary.
	GoVersion string
	// Platform is GOOS/GOARCH.
	Platform string
	// Desktop says whether the binary has the Wails window.
	Desktop bool
}

// versionInfo reads what main injected and, for what it did not, the build
// information the Go toolchain records (vcs.revision is missing with
// -buildvcs=false or outside a checkout).
func (a *app) versionInfo() versionInfo {
	info := versionInfo{
		Version:   a.env.Version,
		Commit:    a.env.Commit,
		GoVersion: runtime.Version(),
		Platform:  runtime.GOOS + "/" + runtime.GOARCH,
		// The window is there exactly when main handed the CLI a way to open
		// it: the same fact that decides what the bare mockgate does, so the
		// version cannot disagree with the behaviour.
		Desktop: a.env.Desktop != nil,
	}
	var rev string
	modified := false
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if info.Commit == "" {
		info.Commit = rev
		if modified && rev != "" {
			info.Commit += " (with uncommitted changes)"
		}
	}
	if info.Commit == "" {
		info.Commit = "unknown"
	}
	if info.Version == "" {
		info.Version = "dev"
		if len(rev) >= 7 {
			info.Version += "-" + rev[:7]
			if modified {
				info.Version += "-dirty"
			}
		}
	}
	return info
}

func (a *app) printVersion() error {
	info := a.versionInfo()
	build := "headless: no desktop window (built without cgo, GTK or WebKit)"
	if info.Desktop {
		build = "desktop: the Wails window, and every headless command"
	}
	_, err := fmt.Fprintf(a.env.Stdout, "mockgate %s\n  commit    %s\n  go        %s\n  platform  %s\n  build     %s\n",
		info.Version, info.Commit, info.GoVersion, info.Platform, build)
	return err
}

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit, Go version and build",
		Long: `Prints mockgate's version (git describe at build time, "dev" for a plain go build),
the commit, the Go version, the platform, and whether this is the desktop build (the
Wails window and every headless command) or the headless one. mockgate --version
prints the same.`,
		Example: `  mockgate version
  mockgate --version`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error { return a.printVersion() },
	}
}
