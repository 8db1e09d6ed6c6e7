package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"mockgate/backend/instance"
	"mockgate/backend/mockapi"
	"mockgate/backend/shellquote"
)

// serveFlags are the flags that start an instance: serve, desktop and the
// bare mockgate take them all.
type serveFlags struct {
	bind, apis string
	readyFile  string
	portBase   int
	profiles   []string
	openapi    []string
	ui         bool
}

func (sf *serveFlags) register(fs *pflag.FlagSet, uiUsage string) {
	fs.StringVar(&sf.bind, "bind", instance.DefaultBind, "the mock APIs listen on `ADDR` (0.0.0.0: every interface; the admin API stays on loopback)")
	fs.IntVar(&sf.portBase, "port-base", instance.DefaultPortBase, "admin API port `N`; the APIs take the next ones (0: free ports, see --ready-file)")
	fs.StringVar(&sf.apis, "apis", "", "start only these built-in APIs, a comma-separated `LIST` (default: all)")
	fs.StringArrayVar(&sf.profiles, "profile", nil, "also serve your own API from a profile `FILE` (YAML or JSON); repeatable")
	fs.StringArrayVar(&sf.openapi, "openapi", nil, "also serve an API from its OpenAPI 3.0 or 3.1 document `FILE` (YAML or JSON), imported in memory; ID=FILE names its id (default: a slug of info.title); repeatable")
	fs.BoolVar(&sf.ui, "ui", false, uiUsage)
	fs.StringVar(&sf.readyFile, "ready-file", "", "once every listener accepts, write `FILE` (JSON, mode 0600): the admin URL and token, the pid and each API's URLs; for test harnesses (with --port-base 0)")
}

// serveConfig is the instance sf asks for; the OpenAPI documents it names
// are imported here, each saying what it made of its document in one line.
func (a *app) serveConfig(sf *serveFlags) (instance.Config, error) {
	docs, err := a.importDocuments(sf.openapi)
	if err != nil {
		return instance.Config{}, err
	}
	return instance.Config{
		DataDir: a.dataDir(), Bind: sf.bind, PortBase: sf.portBase, APIs: listFlag(sf.apis), ReadyFile: sf.readyFile,
		ProfileFiles: sf.profiles, Profiles: docs, UI: sf.ui, Assets: a.env.Assets, Version: a.versionInfo().Version,
		Logger: slog.New(slog.NewTextHandler(a.env.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})),
	}, nil
}

const serveLong = `Runs the mock APIs without a window. The admin API listens on 127.0.0.1:N (always
loopback); the APIs on N+1 (juleb), N+2 (journeybee), N+3 (jelou), N+4 (eudr), then
user profiles. Prints each API's base URL. Ctrl-C or SIGTERM finishes in-flight
requests, flushes the request log and closes the store.`

func (a *app) serveCommand() *cobra.Command {
	var sf serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the mock APIs headless",
		Long:  serveLong,
		Example: `  mockgate serve
  mockgate serve --ui --data /tmp/mockgate --port-base 8800
  mockgate serve --bind 0.0.0.0 --apis juleb,eudr
  mockgate serve --profile examples/petshop.yaml
  mockgate serve --openapi petstore.yaml --openapi shop=api/openapi.json
  mockgate serve --port-base 0 --data "$(mktemp -d)" --ready-file /tmp/mockgate.ready`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			cfg, err := a.serveConfig(&sf)
			if err != nil {
				return err
			}
			return a.serve(cfg, "")
		},
	}
	sf.register(cmd.Flags(), "serve the web UI on the admin port")
	a.completeAPI(cmd, "apis")
	return cmd
}

// serve starts an instance, prints where everything is, and waits for a
// signal.
func (a *app) serve(cfg instance.Config, banner string) error {
	start := time.Now()
	// Listening for the signals before the banner: a script that sends
	// SIGTERM as soon as it reads the banner gets a clean stop.
	wait := a.signals()
	in, err := instance.Start(cfg)
	if err != nil {
		return err
	}
	defer a.register(in, cfg.DataDir)()
	if banner != "" {
		fmt.Fprintln(a.env.Stdout, banner)
	}
	a.printURLs(in, time.Since(start))
	wait()
	fmt.Fprintln(a.env.Stdout, "mockgate: stopping (finishing in-flight requests)")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := in.Shutdown(ctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	fmt.Fprintln(a.env.Stdout, "mockgate: stopped; store closed")
	return nil
}

func (a *app) printURLs(in *instance.Instance, took time.Duration) {
	out := a.env.Stdout
	fmt.Fprintf(out, "mockgate is running (started in %d ms)\n", took.Milliseconds())
	fmt.Fprintf(out, "  data folder  %s\n", in.Store.Path())
	fmt.Fprintf(out, "  admin API    %s\n", in.AdminURL())
	if in.Admin.HasUI() {
		fmt.Fprintf(out, "  web UI       %s\n", in.UIURL())
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	for _, api := range in.APIs {
		fmt.Fprintf(tw, "  %s\t%s\tOpenAPI %s%s\n", api.Engine.Profile().ID, api.BaseURL(), api.Origin(), mockapi.OpenAPIPath)
	}
	tw.Flush()
	fmt.Fprintf(out, "Create a key: mockgate keys create%s --api %s --name demo   (Ctrl-C stops)\n", a.dataFlag(), firstAPI(in))
}

// dataFlag is " --data DIR" when the data folder is not the one a command
// finds by itself (no --data, no $MOCKGATE_DATA), so that a command printed
// for this instance works as printed in any terminal.
func (a *app) dataFlag() string {
	dir := absDir(a.dataDir())
	if sameDir(dir, absDir(a.defaultDataDir())) {
		return ""
	}
	return " --data " + shellquote.Quote(dir)
}

// firstAPI is the API the banner's example uses: journeybee when it runs.
func firstAPI(in *instance.Instance) string {
	for _, api := range in.APIs {
		if api.Engine.Profile().ID == "journeybee" {
			return "journeybee"
		}
	}
	if len(in.APIs) > 0 {
		return in.APIs[0].Engine.Profile().ID
	}
	return "journeybee"
}

// signals starts listening for the signals that stop serve (or the test's
// Env.Signals) and returns the function that waits for one.
func (a *app) signals() (wait func()) {
	if a.env.Signals != nil {
		return func() { <-a.env.Signals }
	}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	return func() {
		defer signal.Stop(ch)
		<-ch
	}
}

// runDefault is mockgate with no command: the window where there is a
// display, otherwise headless with the web UI, saying so.
func (a *app) runDefault(cmd *cobra.Command, sf *serveFlags) error {
	if a.env.Desktop != nil && a.hasDisplay() {
		return a.desktop(sf)
	}
	if !cmd.Flags().Changed("ui") {
		sf.ui = true // headless, the web UI is the only way in
	}
	why := "no display found (DISPLAY and WAYLAND_DISPLAY are unset)"
	if a.env.Desktop == nil {
		why = "this binary was built without the desktop window"
	}
	banner := "mockgate: " + why + ": running headless; open the web UI below in a browser."
	if !sf.ui {
		banner = "mockgate: " + why + ": running headless, without the web UI (--ui=false)."
	}
	cfg, err := a.serveConfig(sf)
	if err != nil {
		return err
	}
	return a.serve(cfg, banner)
}

func (a *app) hasDisplay() bool {
	return a.env.Getenv("DISPLAY") != "" || a.env.Getenv("WAYLAND_DISPLAY") != ""
}

const desktopLong = `Opens the desktop window (needs a display) over the same instance serve starts;
it takes the same flags. With no display, mockgate with no command runs headless
with the web UI instead.`

func (a *app) desktopCommand() *cobra.Command {
	var sf serveFlags
	cmd := &cobra.Command{
		Use:   "desktop",
		Short: "Open the desktop window (needs a display)",
		Long:  desktopLong,
		Example: `  mockgate desktop
  mockgate desktop --data ~/mockgate-demo --port-base 8800`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error { return a.desktop(&sf) },
	}
	sf.register(cmd.Flags(), "also serve the web UI on the admin port")
	a.completeAPI(cmd, "apis")
	return cmd
}

func (a *app) desktop(sf *serveFlags) error {
	if a.env.Desktop == nil {
		return fmt.Errorf("this binary was built without the desktop window (build with make build)")
	}
	start := time.Now()
	cfg, err := a.serveConfig(sf)
	if err != nil {
		return err
	}
	in, err := instance.Start(cfg)
	if err != nil {
		return err
	}
	defer a.register(in, cfg.DataDir)()
	a.printURLs(in, time.Since(start))
	werr := a.env.Desktop(in)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := in.Shutdown(ctx); err != nil && werr == nil {
		werr = err
	}
	return werr
}
