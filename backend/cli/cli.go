// Package cli implements mockgate's command line on spf13/cobra: serve,
// desktop, keys, integrations, seed, version, completion, and the default
// (the desktop window, or headless with the web UI when there is no
// display). Every command that changes state goes through the admin API.
//
// NewCommand builds the whole command tree from an Env each time it is
// called: nothing is kept between runs, so tests and the man page generator
// (scripts/genman) get a fresh tree of their own.
package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

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
	// Version is the release version injected at build time (git describe,
	// see the Makefile); empty in a plain go build, which reports "dev".
	Version string
	// Commit is the revision injected at build time; when empty, mockgate
	// version reads it from the Go build info if the build recorded one.
	Commit string
}

// withDefaults fills the fields a caller may leave unset.
func (env Env) withDefaults() Env {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if env.Stdout == nil {
		env.Stdout = os.Stdout
	}
	if env.Stderr == nil {
		env.Stderr = os.Stderr
	}
	return env
}

// Run executes the command line args (without the program name) and returns
// the process exit code: 0 on success, 2 for a mistake in the command line
// (unknown command or flag, missing flag, wrong number of arguments), 1 for
// any other error. Errors are printed as "mockgate: <message>" on stderr.
func Run(args []string, env Env) int {
	env = env.withDefaults()
	root, err := NewCommand(env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "mockgate: %v\n", err)
		return 1
	}
	if args == nil {
		args = []string{} // cobra reads os.Args when given nil
	}
	root.SetArgs(legacyFlags(root, args))
	cmd, err := root.ExecuteC()
	if err == nil {
		return 0
	}
	fmt.Fprintf(env.Stderr, "mockgate: %v\n", err)
	var ue usageError
	if errors.As(err, &ue) {
		if cmd != nil && cmd.Name() == "help" {
			cmd = root // help's mistake is an unknown command
		}
		if cmd != nil {
			fmt.Fprintf(env.Stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
		}
		return 2
	}
	return 1
}

// usageError is a mistake in the command line (exit code 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// app is one command line run: the Env and the flags every command shares.
type app struct {
	env Env
	// data is --data; "" means the default (see dataDir).
	data string
	// err collects mistakes made while building the tree (a flag marked
	// required that does not exist), so NewCommand can return them instead
	// of panicking.
	err error
}

const rootLong = `mockgate: local mock APIs that authenticate, paginate, rate-limit and fail
exactly as the vendors document (Juleb, Journeybee, Jelou, EUDR).

With no command mockgate opens the desktop window; where there is no display (or
in a build without the window) it runs headless with the web UI and says so.

Every command takes --data DIR (default: $MOCKGATE_DATA, else ~/.local/share/mockgate).
Ports: admin API on --port-base (7700), then juleb 7701, journeybee 7702, jelou 7703,
eudr 7704, user profiles after them. Each API publishes OpenAPI at /openapi.json.`

// NewCommand builds mockgate's command tree for env. Run executes it; the
// man page generator walks it.
func NewCommand(env Env) (*cobra.Command, error) {
	a := &app{env: env.withDefaults()}
	var sf serveFlags
	var showVersion bool
	root := &cobra.Command{
		Use:   "mockgate",
		Short: "Local mock APIs that fail exactly as the vendors document",
		Long:  rootLong,
		Example: `  mockgate                        # the desktop window, or headless with the web UI
  mockgate serve                  # the mock APIs headless, Ctrl-C stops
  mockgate serve --ui --port-base 8800
  mockgate keys create --api journeybee --name demo
  mockgate keys list
  mockgate help keys create`,
		Args: rootArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if showVersion {
				return a.printVersion()
			}
			return a.runDefault(cmd, &sf)
		},
		PersistentPreRunE: checkRequired,
		SilenceErrors:     true, // Run prints them, as mockgate: <message>
		SilenceUsage:      true, // a mistake gets a one-line hint, not the whole help
	}
	root.SuggestionsMinimumDistance = 2
	root.SetOut(a.env.Stdout)
	root.SetErr(a.env.Stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err.Error()} })
	root.PersistentFlags().StringVar(&a.data, "data", "",
		"the data folder `DIR`: store, admin token (default: $MOCKGATE_DATA, else ~/.local/share/mockgate)")
	sf.register(root.Flags(), "serve the web UI on the admin port (on when running headless; --ui=false turns it off)")
	root.Flags().BoolVar(&showVersion, "version", false, "print the version, commit, Go version and build (as mockgate version)")
	a.completeAPI(root, "apis")

	root.AddCommand(
		a.serveCommand(),
		a.desktopCommand(),
		a.keysCommand(),
		a.integrationsCommand(),
		a.seedCommand(),
		a.clockCommand(),
		a.faultsCommand(),
		a.requestsCommand(),
		a.stateCommand(),
		a.resetCommand(),
		a.conformanceCommand(),
		a.importCommand(),
		a.versionCommand(),
	)
	root.SetHelpCommand(helpCommand(root))
	root.InitDefaultHelpCmd()
	// The completion command is added here rather than lazily on Execute, so
	// that the man pages and help COMMAND see it too.
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			// cobra's completion command shows its help for an unknown shell
			// and succeeds; as for keys, that is a usage error.
			c.Args, c.RunE = groupArgs, showHelp
			c.Example = `  source <(mockgate completion bash)
  mockgate completion zsh > "${fpath[1]}/_mockgate"
  mockgate completion fish > ~/.config/fish/completions/mockgate.fish`
		}
	}
	wrapArgs(root)
	if a.err != nil {
		return nil, a.err
	}
	return root, nil
}

// rootArgs refuses arguments to the bare mockgate: one is a mistyped
// command.
func rootArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		return usagef("unknown command %q; did you mean %q?", args[0], s[0])
	}
	return usagef("unknown command %q", args[0])
}

// groupArgs refuses an unknown subcommand of a command that only groups
// others (keys, integrations); with none it shows the group's help.
func groupArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	return usagef("unknown %s command %q (%s)", cmd.Name(), args[0], strings.Join(names, ", "))
}

// showHelp is the RunE of a group command run without a subcommand.
func showHelp(cmd *cobra.Command, _ []string) error { return cmd.Help() }

// noArgs refuses positional arguments.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments (got %q)", commandName(cmd), args[0])
	}
	return nil
}

// exactlyOne wants one positional argument, described by what.
func exactlyOne(what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != 1 {
			return usagef("%s needs %s; got %d arguments", commandName(cmd), what, len(args))
		}
		return nil
	}
}

// wrapArgs makes every argument check in the tree a usage error (exit 2),
// including those of the commands cobra adds itself (completion).
func wrapArgs(c *cobra.Command) {
	if check := c.Args; check != nil {
		c.Args = func(cmd *cobra.Command, args []string) error {
			err := check(cmd, args)
			var ue usageError
			if err != nil && !errors.As(err, &ue) {
				return usageError{err.Error()}
			}
			return err
		}
	}
	for _, sub := range c.Commands() {
		wrapArgs(sub)
	}
}

// require marks flags that a command cannot run without; checkRequired
// enforces it, and shell completion offers them first.
func (a *app) require(cmd *cobra.Command, names ...string) {
	for _, n := range names {
		a.err = errors.Join(a.err, cmd.MarkFlagRequired(n))
	}
}

// checkRequired names every missing required flag at once, as a usage
// error (cobra's own check would exit 1 and print the names without
// dashes). It runs before cobra's.
func checkRequired(cmd *cobra.Command, _ []string) error {
	var missing []string
	for _, n := range requiredFlags(cmd) {
		if !cmd.Flags().Changed(n) {
			missing = append(missing, "--"+n)
		}
	}
	switch len(missing) {
	case 0:
		return nil
	case 1:
		return usagef("%s needs %s", commandName(cmd), missing[0])
	}
	return usagef("%s needs %s and %s", commandName(cmd), strings.Join(missing[:len(missing)-1], ", "), missing[len(missing)-1])
}

// requiredFlags lists the flags of cmd marked with require, by name.
func requiredFlags(cmd *cobra.Command) []string {
	var names []string
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if ann := f.Annotations[cobra.BashCompOneRequiredFlag]; len(ann) > 0 && ann[0] == "true" {
			names = append(names, f.Name)
		}
	})
	return names
}

// commandName is the command's path without the program name ("keys create").
func commandName(cmd *cobra.Command) string {
	if !cmd.HasParent() {
		return cmd.Name()
	}
	return strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
}

// helpCommand replaces cobra's help command, which prints the root's help
// and succeeds for an unknown topic: mockgate help frobnicate is a usage
// error, as mockgate frobnicate is.
func helpCommand(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		Long:  "Help prints the help of any command: what it does, its flags and examples.",
		Example: `  mockgate help serve
  mockgate help keys create`,
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			cmd, _, err := root.Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, c := range cmd.Commands() {
				if c.IsAvailableCommand() {
					names = append(names, cobra.CompletionWithDesc(c.Name(), c.Short))
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(_ *cobra.Command, args []string) error {
			target, rest, err := root.Find(args)
			if err != nil || target == nil || len(rest) > 0 {
				return usagef("unknown command %q", strings.Join(args, " "))
			}
			return target.Help()
		},
	}
}
