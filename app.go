//go:build desktop

package main

import (
	"context"
	_ "embed"
	"fmt"
	"io/fs"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"mockgate/backend/instance"
)

// icon is the window icon on Linux (other platforms take it from build/).
//
//go:embed build/appicon.png
var icon []byte

// desktop returns cli.Env.Desktop for a build with the Wails window: a
// function that shows the frontend (assets) in a window, backed by the
// running instance's admin API, and returns when the window closes.
func desktop(assets fs.FS) func(*instance.Instance) error {
	return func(inst *instance.Instance) error {
		return runDesktop(assets, inst)
	}
}

// runDesktop runs the Wails window until it closes. The webview loads the
// frontend from assets; every other path (the admin API under /_admin/) goes
// in-process to the instance's DesktopHandler, never over the network. The
// instance belongs to the caller, which shuts it down after this returns.
func runDesktop(assets fs.FS, inst *instance.Instance) error {
	app := NewApp()
	err := wails.Run(&options.App{
		Title:     "mockgate",
		Width:     1200,
		Height:    800,
		MinWidth:  640,
		MinHeight: 400,
		AssetServer: &assetserver.Options{
			Assets:  assets,
			Handler: inst.DesktopHandler(),
		},
		OnStartup: app.startup,
		Bind:      []interface{}{app},
		Linux: &linux.Options{
			Icon:        icon,
			ProgramName: "mockgate",
			// Wails picks Never itself when Linux options are nil (wails#2977:
			// blank windows on some GPUs); keep that when setting other options.
			WebviewGpuPolicy: linux.WebviewGpuPolicyNever,
		},
	})
	if err != nil {
		return fmt.Errorf("desktop window: %w", err)
	}
	return nil
}

// App is bound to the frontend. It holds window lifecycle only; everything
// the screens do goes through the admin API (frontend/src/lib/api.ts), so the
// desktop, the web UI and the CLI share one path.
type App struct {
	ctx context.Context
}

// NewApp creates the bound App.
func NewApp() *App {
	return &App{}
}

// startup keeps the Wails runtime context for native calls (dialogs, window
// control) that later screens will bind here.
func (a *App) startup(ctx context.Context) {
	a.ctx = ctx
}
