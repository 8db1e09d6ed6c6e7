package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"mockgate/backend/profile"
)

// dataDir is --data, else $MOCKGATE_DATA, else the user's data folder. The
// default is resolved here rather than in the flag, so help and the man
// pages do not show the home folder of whoever built them.
func (a *app) dataDir() string {
	if a.data != "" {
		return a.data
	}
	if d := a.env.Getenv("MOCKGATE_DATA"); d != "" {
		return d
	}
	return a.defaultDataDir()
}

// defaultDataDir is the data folder of a command run without --data or
// $MOCKGATE_DATA.
func (a *app) defaultDataDir() string {
	if d := a.env.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "mockgate")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "mockgate")
	}
	return "mockgate-data"
}

// completeAPI offers the built-in API ids when completing the flag name
// of cmd (user profiles' ids are not known before a store is open).
func (a *app) completeAPI(cmd *cobra.Command, name string) {
	a.err = errors.Join(a.err, cmd.RegisterFlagCompletionFunc(name,
		func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return profile.BuiltinIDs(), cobra.ShellCompDirectiveNoFileComp
		}))
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

// legacyFlags rewrites long flags written with one dash (-data DIR,
// -json, -port-base=8800) to two. The command line was built on the flag
// package before cobra, which took both spellings and printed -data in its
// help; pflag reads -data as the shorthands -d -a -t -a. Only names that
// are long flags somewhere in the tree are rewritten, and never a flag's
// value (--name -x keeps its -x) or anything after "--".
func legacyFlags(root *cobra.Command, args []string) []string {
	if len(args) > 0 && strings.HasPrefix(args[0], "__complete") {
		return args // shell completion: the shell expects its words back unchanged
	}
	takesValue := longFlags(root)
	out := make([]string, 0, len(args))
	valueNext := false
	for i, arg := range args {
		switch {
		case valueNext:
			valueNext = false
		case arg == "--":
			return append(out, args[i:]...)
		case strings.HasPrefix(arg, "--"):
			name, _, hasValue := strings.Cut(arg[2:], "=")
			valueNext = takesValue[name] && !hasValue
		case strings.HasPrefix(arg, "-") && len(arg) > 2:
			name, _, hasValue := strings.Cut(arg[1:], "=")
			if tv, known := takesValue[name]; known && len(name) > 1 {
				arg = "-" + arg
				valueNext = tv && !hasValue
			}
		}
		out = append(out, arg)
	}
	return out
}

// longFlags maps every long flag name in the tree to whether it takes a
// value (a bool flag does not). A name that takes a value in one command
// and not in another is left out: rewriting it could eat an argument.
func longFlags(root *cobra.Command) map[string]bool {
	seen := map[string]bool{"help": false}
	mixed := map[string]bool{}
	var walk func(c *cobra.Command)
	add := func(f *pflag.Flag) {
		tv := f.NoOptDefVal == ""
		if prev, ok := seen[f.Name]; ok && prev != tv {
			mixed[f.Name] = true
		}
		seen[f.Name] = tv
	}
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(add)
		c.PersistentFlags().VisitAll(add)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	for n := range mixed {
		delete(seen, n)
	}
	return seen
}
