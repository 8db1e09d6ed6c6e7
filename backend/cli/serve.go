package cli

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"
	"time"

	"mockgate/backend/instance"
	"mockgate/backend/mockapi"
)

const serveHelp = `Usage: mockgate serve [--data DIR] [--bind ADDR] [--port-base N] [--apis LIST] [--profile FILE]... [--ui]

Runs the mock APIs without a window. The admin API listens on 127.0.0.1:N (always
loopback); the APIs on N+1 (juleb), N+2 (journeybee), N+3 (jelou), N+4 (eudr), then
user profiles. Prints each API's base URL. Ctrl-C or SIGTERM finishes in-flight
requests, flushes the request log and closes the store.
`

type serveFlags struct {
	data, bind, apis string
	portBase         int
	profiles         multiFlag
	ui               bool
}

func (sf *serveFlags) register(fs *flag.FlagSet, env *Env, ui bool) {
	fs.StringVar(&sf.data, "data", defaultDataDir(env), "data folder (store, admin token)")
	fs.StringVar(&sf.bind, "bind", instance.DefaultBind, "address the mock APIs listen on (0.0.0.0 for every interface; the admin API stays on loopback)")
	fs.IntVar(&sf.portBase, "port-base", instance.DefaultPortBase, "admin API port; the APIs take the next ones")
	fs.StringVar(&sf.apis, "apis", "", "comma-separated built-in APIs to start (default: all)")
	fs.Var(&sf.profiles, "profile", "a profile file (YAML or JSON) of your own API; repeatable")
	fs.BoolVar(&sf.ui, "ui", ui, "serve the web UI on the admin port")
}

func (sf *serveFlags) config(env *Env) instance.Config {
	return instance.Config{
		DataDir: sf.data, Bind: sf.bind, PortBase: sf.portBase, APIs: listFlag(sf.apis),
		ProfileFiles: sf.profiles, UI: sf.ui, Assets: env.Assets,
		Logger: slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})),
	}
}

func runServe(args []string, env *Env) error {
	var sf serveFlags
	fs := newFlags("serve", serveHelp, env)
	sf.register(fs, env, false)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	return serve(sf.config(env), env, "")
}

// serve starts an instance, prints where everything is, and waits for a
// signal.
func serve(cfg instance.Config, env *Env, banner string) error {
	start := time.Now()
	in, err := instance.Start(cfg)
	if err != nil {
		return err
	}
	if banner != "" {
		fmt.Fprintln(env.Stdout, banner)
	}
	printURLs(in, env, time.Since(start))
	waitForSignal(env)
	fmt.Fprintln(env.Stdout, "mockgate: stopping (finishing in-flight requests)")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := in.Shutdown(ctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	fmt.Fprintln(env.Stdout, "mockgate: stopped; store closed")
	return nil
}

func printURLs(in *instance.Instance, env *Env, took time.Duration) {
	fmt.Fprintf(env.Stdout, "mockgate is running (started in %d ms)\n", took.Milliseconds())
	fmt.Fprintf(env.Stdout, "  data folder  %s\n", in.Store.Path())
	fmt.Fprintf(env.Stdout, "  admin API    %s\n", in.AdminURL())
	if in.Admin.HasUI() {
		fmt.Fprintf(env.Stdout, "  web UI       %s\n", in.UIURL())
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	for _, a := range in.APIs {
		fmt.Fprintf(tw, "  %s\t%s\tOpenAPI %s%s\n", a.Engine.Profile().ID, a.BaseURL(), a.Origin(), mockapi.OpenAPIPath)
	}
	tw.Flush()
	fmt.Fprintln(env.Stdout, "Create a key: mockgate keys create --api journeybee --name demo   (Ctrl-C stops)")
}

func waitForSignal(env *Env) {
	if env.Signals != nil {
		<-env.Signals
		return
	}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(ch)
	<-ch
}

const desktopHelp = `Usage: mockgate desktop [serve flags]

Opens the desktop window (needs a display). With no display, mockgate with no
command runs headless with the web UI instead.
`

// runDefault is mockgate with no command: the window where there is a
// display, otherwise headless with the web UI, saying so.
func runDefault(env *Env) error {
	if env.Desktop != nil && hasDisplay(env) {
		return runDesktop(nil, env)
	}
	var sf serveFlags
	fs := newFlags("mockgate", serveHelp, env)
	sf.register(fs, env, true)
	if _, err := parse(fs, nil); err != nil {
		return err
	}
	why := "no display found (DISPLAY and WAYLAND_DISPLAY are unset)"
	if env.Desktop == nil {
		why = "this binary was built without the desktop window"
	}
	return serve(sf.config(env), env, "mockgate: "+why+": running headless; open the web UI below in a browser.")
}

func hasDisplay(env *Env) bool {
	return env.Getenv("DISPLAY") != "" || env.Getenv("WAYLAND_DISPLAY") != ""
}

func runDesktop(args []string, env *Env) error {
	var sf serveFlags
	fs := newFlags("desktop", desktopHelp, env)
	sf.register(fs, env, false)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if env.Desktop == nil {
		return fmt.Errorf("this binary was built without the desktop window (build with make build)")
	}
	start := time.Now()
	in, err := instance.Start(sf.config(env))
	if err != nil {
		return err
	}
	printURLs(in, env, time.Since(start))
	werr := env.Desktop(in)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := in.Shutdown(ctx); err != nil && werr == nil {
		werr = err
	}
	return werr
}
