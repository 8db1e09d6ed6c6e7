// Package cli implements mockgate's command line: serve, keys,
// integrations, seed, and the default (the desktop window, or headless
// with the web UI when there is no display). Every command that changes
// state goes through the admin API.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

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
	// Getenv defaults to os.Getenv (tests replace it).
	Getenv func(string) string
	// Signals, when set, replaces the interrupt signals serve waits for
	// (tests close it to stop the server).
	Signals <-chan struct{}
}

const usage = `mockgate: local mock APIs that authenticate, paginate, rate-limit and fail
exactly as the vendors document (Juleb, Journeybee, Jelou, EUDR).

Usage:
  mockgate                     the desktop app; with no display, headless with the web UI
  mockgate serve [flags]       run the mock APIs headless
  mockgate keys create|list|revoke|delete [flags]
                               manage API keys (works with or without a running instance)
  mockgate integrations list|activate|deactivate [NAME]
                               manage EUDR integrations
  mockgate seed --api API --resource NAME --count N
                               grow a collection with generated records (scale tests)
  mockgate help COMMAND        help for a command

Every command takes --data DIR (default: $MOCKGATE_DATA, else ~/.local/share/mockgate).
Ports: admin API on --port-base (7700), then juleb 7701, journeybee 7702, jelou 7703,
eudr 7704, user profiles after them. Each API publishes OpenAPI at /openapi.json.
`

// Run executes the command line args (without the program name) and returns
// the process exit code.
func Run(args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if env.Stdout == nil {
		env.Stdout = os.Stdout
	}
	if env.Stderr == nil {
		env.Stderr = os.Stderr
	}
	err := dispatch(args, &env)
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(env.Stderr, "mockgate: %v\n", err)
		return 2
	}
	fmt.Fprintf(env.Stderr, "mockgate: %v\n", err)
	return 1
}

// usageError is a mistake in the command line (exit code 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func dispatch(args []string, env *Env) error {
	if len(args) == 0 {
		return runDefault(env)
	}
	switch args[0] {
	case "-h", "--help", "-help":
		fmt.Fprint(env.Stdout, usage)
		return nil
	case "help":
		if len(args) == 1 {
			fmt.Fprint(env.Stdout, usage)
			return nil
		}
		return dispatch([]string{args[1], "--help"}, env)
	case "serve":
		return runServe(args[1:], env)
	case "desktop":
		return runDesktop(args[1:], env)
	case "keys":
		return runKeys(args[1:], env)
	case "integrations":
		return runIntegrations(args[1:], env)
	case "seed":
		return runSeed(args[1:], env)
	}
	return usagef("unknown command %q (see mockgate --help)", args[0])
}

// defaultDataDir is $MOCKGATE_DATA, else the user's data folder.
func defaultDataDir(env *Env) string {
	if d := env.Getenv("MOCKGATE_DATA"); d != "" {
		return d
	}
	if d := env.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "mockgate")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "mockgate")
	}
	return "mockgate-data"
}

// newFlags makes a flag set that prints its help to stdout on --help and
// errors to stderr.
func newFlags(name, help string, env *Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fs.SetOutput(env.Stdout)
		fmt.Fprint(env.Stdout, help)
		fmt.Fprintln(env.Stdout, "\nFlags:")
		fs.PrintDefaults()
		fs.SetOutput(env.Stderr)
	}
	return fs
}

// parse parses flags that may come before or after positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// listFlag splits a comma-separated list, dropping empty items.
func listFlag(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// multiFlag collects a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}
