package cli_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/spf13/cobra"

	"mockgate/backend/cli"
	"mockgate/backend/instance"
	"mockgate/backend/instance/instancetest"
)

func TestVersion(t *testing.T) {
	long, errOut, code := run(t, "--version")
	if code != 0 {
		t.Fatalf("--version: exit %d: %s", code, errOut)
	}
	short, errOut, code := run(t, "version")
	if code != 0 {
		t.Fatalf("version: exit %d: %s", code, errOut)
	}
	if long != short {
		t.Errorf("--version and version differ:\n%s\n---\n%s", long, short)
	}
	for _, want := range []string{"mockgate " + testVersion + "\n", testCommit, runtime.Version(), runtime.GOOS + "/" + runtime.GOARCH, "build     headless"} {
		if !strings.Contains(long, want) {
			t.Errorf("version lacks %q:\n%s", want, long)
		}
	}
	if _, errOut, code := run(t, "version", "extra"); code != 2 {
		t.Errorf("version extra: exit %d: %s", code, errOut)
	}
}

func runInProcess(t *testing.T, env cli.Env, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut instancetest.LogBuffer // servers log from their own goroutines
	env.Stdout, env.Stderr = &out, &errOut
	code := cli.Run(args, env)
	return out.String(), errOut.String(), code
}

func TestVersionFallbackAndDesktop(t *testing.T) {
	window := func(*instance.Instance) error { return nil }
	out, errOut, code := runInProcess(t, cli.Env{Desktop: window}, "version")
	if code != 0 {
		t.Fatalf("version: exit %d: %s", code, errOut)
	}
	// Nothing injected: "dev" (and the revision when the build recorded one).
	if !strings.HasPrefix(out, "mockgate dev") || !strings.Contains(out, "build     desktop") {
		t.Errorf("version of an uninjected desktop build:\n%s", out)
	}
	out, _, _ = runInProcess(t, cli.Env{Version: "v1.2.3", Commit: "abc123"}, "--version")
	if !strings.HasPrefix(out, "mockgate v1.2.3\n") || !strings.Contains(out, "abc123") || !strings.Contains(out, "build     headless") {
		t.Errorf("version of an injected headless build:\n%s", out)
	}
}

func TestCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash not installed")
	}
	out, err := exec.Command(bash, "-c", `source <("$0" completion bash) && complete -p mockgate`, bin).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "__start_mockgate mockgate") {
		t.Fatalf("sourcing completion bash: %v: %s", err, out)
	}
	for _, shell := range []string{"zsh", "fish", "powershell"} {
		out, errOut, code := run(t, "completion", shell)
		if code != 0 || !strings.Contains(out, "mockgate") {
			t.Errorf("completion %s: exit %d: %s", shell, code, errOut)
		}
	}
	if _, errOut, code := run(t, "completion", "tcsh"); code != 2 {
		t.Errorf("completion tcsh: exit %d: %s", code, errOut)
	}
	// What the scripts ask the binary: the built-in APIs for --api.
	out2, _, code := run(t, "__complete", "keys", "create", "--api", "")
	for _, id := range []string{"juleb", "journeybee", "jelou", "eudr"} {
		if code != 0 || !strings.Contains(out2, id+"\n") {
			t.Errorf("completing --api lacks %s: exit %d: %s", id, code, out2)
		}
	}
}

// singleDash finds a long flag printed with one dash (-data), as the flag
// package's help did.
var singleDash = regexp.MustCompile(`(^|\s)-[a-z][a-z-]+\b`)

func TestHelpShowsDoubleDashesAndExamples(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		wants []string
	}{
		{[]string{"--help"}, []string{"--data DIR", "--port-base N", "--version", "mockgate keys create"}},
		{[]string{"serve", "--help"}, []string{"--data DIR", "--bind ADDR", "--port-base N", "--apis LIST", "--profile FILE", "--ui", "mockgate serve --"}},
		{[]string{"desktop", "--help"}, []string{"--data DIR", "--port-base N", "mockgate desktop"}},
		{[]string{"keys", "--help"}, []string{"create", "revoke", "mockgate keys list"}},
		{[]string{"keys", "create", "--help"}, []string{"--api API", "--name NAME", "--scopes LIST", "--tenant ID", "--integration NAME",
			"--expires TIME", "--ttl DURATION", "--rate-limit N/min", "--json", "--data DIR", "mockgate keys create --api"}},
		{[]string{"help", "keys", "list"}, []string{"--api API", "--json", "mockgate keys list"}},
		{[]string{"keys", "revoke", "-h"}, []string{"--json", "mockgate keys revoke"}},
		{[]string{"keys", "delete", "--help"}, []string{"--json", "mockgate keys delete"}},
		{[]string{"integrations", "--help"}, []string{"activate", "mockgate integrations list"}},
		{[]string{"integrations", "deactivate", "--help"}, []string{"--api API", "mockgate integrations deactivate default"}},
		{[]string{"help", "seed"}, []string{"--api API", "--resource NAME", "--count N", "--tenant ID", "mockgate seed --api"}},
		{[]string{"version", "--help"}, []string{"mockgate --version"}},
		{[]string{"completion", "--help"}, []string{"mockgate completion bash"}},
	} {
		out, errOut, code := run(t, tc.args...)
		if code != 0 {
			t.Errorf("%v: exit %d: %s", tc.args, code, errOut)
			continue
		}
		for _, want := range append([]string{"Usage:", "Examples:"}, tc.wants...) {
			if !strings.Contains(out, want) {
				t.Errorf("%v lacks %q:\n%s", tc.args, want, out)
			}
		}
		if m := singleDash.FindString(out); m != "" {
			t.Errorf("%v prints a single-dash flag %q:\n%s", tc.args, m, out)
		}
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	data := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"keys", "list", "--frobnicate"}, "unknown flag: --frobnicate"},
		{[]string{"serve", "--port-base", "many"}, `invalid argument "many" for "--port-base"`},
		{[]string{"keys", "create", "--name", "x"}, "keys create needs --api"},
		{[]string{"keys", "create"}, "keys create needs --api and --name"},
		{[]string{"seed", "--api", "journeybee", "--resource", "users"}, "seed needs --count"},
		{[]string{"seed", "--api", "journeybee", "--resource", "users", "--count", "0"}, "positive --count"},
		{[]string{"keys", "create", "--api", "journeybee", "--name", "x", "--ttl", "1h", "--expires", "2030-01-01T00:00:00Z"}, "not both"},
		{[]string{"keys", "revoke"}, "keys revoke needs one key id"},
		{[]string{"keys", "delete", "a", "b"}, "keys delete needs one key id"},
		{[]string{"integrations", "activate"}, "integration's name"},
		{[]string{"keys", "list", "extra"}, "keys list takes no arguments"},
		{[]string{"serve", "extra"}, "serve takes no arguments"},
		{[]string{"keys", "frobnicate"}, `unknown keys command "frobnicate"`},
		{[]string{"integrations", "frobnicate"}, `unknown integrations command "frobnicate"`},
		{[]string{"help", "frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"sevre"}, `did you mean "serve"`},
	} {
		_, errOut, code := run(t, append(tc.args, "--data", data)...)
		if code != 2 || !strings.HasPrefix(errOut, "mockgate: ") || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, want 2 and %q: %s", tc.args, code, tc.want, errOut)
		}
	}
	// Other failures exit 1.
	_, errOut, code := run(t, "keys", "revoke", "no-such-key", "--data", data)
	if code != 1 || !strings.HasPrefix(errOut, "mockgate: ") {
		t.Errorf("revoking an unknown key: exit %d, want 1: %s", code, errOut)
	}
}

// The flag package took -data as well as --data; scripts written against
// its help keep working.
func TestSingleDashLongFlags(t *testing.T) {
	data := t.TempDir()
	out, errOut, code := run(t, "keys", "create", "-data", data, "-api", "journeybee", "-name=legacy", "-json")
	if code != 0 || !strings.Contains(out, `"name": "legacy"`) {
		t.Fatalf("keys create -data ... -json: exit %d: %s %s", code, out, errOut)
	}
	out, errOut, code = run(t, "keys", "list", "-json", "-data", data)
	if code != 0 || !strings.Contains(out, `"name": "legacy"`) {
		t.Fatalf("keys list -json -data: exit %d: %s %s", code, out, errOut)
	}
	// A value that looks like a flag stays a value.
	out, errOut, code = run(t, "keys", "create", "--data", data, "--api", "journeybee", "--name", "-json", "--json")
	if code != 0 || !strings.Contains(out, `"name": "-json"`) {
		t.Fatalf("--name -json: exit %d: %s %s", code, out, errOut)
	}
	if out, _, code := run(t, "-help"); code != 0 || !strings.Contains(out, "Usage:") {
		t.Errorf("-help: exit %d: %s", code, out)
	}
}

func TestManPages(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, "mockgate-removed.1")
	if err := os.WriteFile(stale, []byte(".TH STALE 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(genman, "-version", testVersion, dir).CombinedOutput(); err != nil {
		t.Fatalf("genman: %v: %s", err, out)
	}
	// One page per command of the tree, and at least these.
	want := []string{"mockgate", "mockgate-serve", "mockgate-desktop", "mockgate-keys", "mockgate-keys-create",
		"mockgate-keys-list", "mockgate-keys-revoke", "mockgate-keys-delete", "mockgate-integrations",
		"mockgate-integrations-list", "mockgate-integrations-activate", "mockgate-integrations-deactivate",
		"mockgate-seed", "mockgate-version", "mockgate-completion", "mockgate-completion-bash"}
	root, err := cli.NewCommand(cli.Env{})
	if err != nil {
		t.Fatal(err)
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if name := strings.ReplaceAll(c.CommandPath(), " ", "-"); !slices.Contains(want, name) {
			want = append(want, name)
		}
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() {
				walk(sub)
			}
		}
	}
	walk(root)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, strings.TrimSuffix(e.Name(), ".1"))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("man pages\n got %v\nwant %v", got, want)
	}
	for _, name := range want {
		page, err := os.ReadFile(filepath.Join(dir, name+".1"))
		if err != nil {
			t.Fatal(err)
		}
		title := strings.ToUpper(name)
		for _, s := range []string{fmt.Sprintf(".TH \"%s\" \"1\"", title), "mockgate " + testVersion, ".SH NAME", ".SH SYNOPSIS"} {
			if !strings.Contains(string(page), s) {
				t.Errorf("%s.1 lacks %q:\n%s", name, s, page)
			}
		}
		if !strings.HasPrefix(name, "mockgate-completion-") && !strings.Contains(string(page), ".SH EXAMPLE") {
			t.Errorf("%s.1 has no examples", name)
		}
	}
	if manCmd, err := exec.LookPath("man"); err == nil {
		cmd := exec.Command(manCmd, "-l", filepath.Join(dir, "mockgate.1"))
		cmd.Env = append(os.Environ(), "MANWIDTH=80", "MANPAGER=cat", "PAGER=cat")
		out, err := cmd.Output()
		if err != nil || !strings.Contains(string(out), "SYNOPSIS") || !strings.Contains(string(out), "mockgate keys create") {
			t.Errorf("man -l mockgate.1: %v:\n%s", err, out)
		}
	}
}

// mockgate with no command: the window where there is a display, else
// headless with the web UI, saying why.
func TestDefaultCommand(t *testing.T) {
	stopped := make(chan struct{})
	close(stopped) // serve returns as soon as it has started
	assets := fstest.MapFS{"index.html": {Data: []byte("<!doctype html>")}}
	envFor := func(t *testing.T, display string, window func(*instance.Instance) error) (cli.Env, string) {
		data := t.TempDir()
		getenv := func(k string) string {
			switch k {
			case "MOCKGATE_DATA":
				return data
			case "DISPLAY":
				return display
			}
			return ""
		}
		return cli.Env{Assets: assets, Getenv: getenv, Signals: stopped, Desktop: window}, data
	}
	port := func(t *testing.T) string {
		base, err := instance.FreePortBase(4)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(base)
	}

	t.Run("headless build", func(t *testing.T) {
		env, data := envFor(t, ":0", nil)
		out, errOut, code := runInProcess(t, env, "--port-base", port(t))
		for _, want := range []string{"built without the desktop window: running headless", "  web UI  ", data, "store closed"} {
			if code != 0 || !strings.Contains(out, want) {
				t.Errorf("exit %d, lacks %q: %s %s", code, want, out, errOut)
			}
		}
	})
	t.Run("no display", func(t *testing.T) {
		env, _ := envFor(t, "", func(*instance.Instance) error {
			t.Error("window opened without a display")
			return nil
		})
		out, errOut, code := runInProcess(t, env, "--port-base", port(t), "--ui=false")
		if code != 0 || !strings.Contains(out, "no display found") || strings.Contains(out, "  web UI  ") {
			t.Errorf("exit %d: %s %s", code, out, errOut)
		}
	})
	t.Run("display", func(t *testing.T) {
		opened := false
		env, _ := envFor(t, ":0", func(in *instance.Instance) error {
			opened = in != nil
			return nil
		})
		out, errOut, code := runInProcess(t, env, "--port-base", port(t))
		if code != 0 || !opened || strings.Contains(out, "headless") || strings.Contains(out, "  web UI  ") {
			t.Errorf("exit %d, window opened %v: %s %s", code, opened, out, errOut)
		}
	})
}
