package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
)

// warnings is the log of a command that opens the store itself: warnings
// and errors only, one line each, in the form the CLI prints its errors
// ("mockgate: warning: the data folder is open to other users; ... (dir=D,
// mode=0755)"), not a server's timestamped log lines.
type warnings struct {
	w     io.Writer
	mu    *sync.Mutex
	attrs []slog.Attr
}

func newWarnings(w io.Writer) *slog.Logger {
	return slog.New(&warnings{w: w, mu: &sync.Mutex{}})
}

func (h *warnings) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }

func (h *warnings) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString("mockgate: ")
	if r.Level < slog.LevelError {
		b.WriteString("warning: ")
	}
	b.WriteString(r.Message)
	attrs := append([]slog.Attr(nil), h.attrs...)
	r.Attrs(func(a slog.Attr) bool { attrs = append(attrs, a); return true })
	for i, a := range attrs {
		if i == 0 {
			b.WriteString(" (")
		} else {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s=%v", a.Key, a.Value)
	}
	if len(attrs) > 0 {
		b.WriteString(")")
	}
	b.WriteString("\n")
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, b.String())
	return err
}

func (h *warnings) WithAttrs(as []slog.Attr) slog.Handler {
	return &warnings{w: h.w, mu: h.mu, attrs: append(append([]slog.Attr(nil), h.attrs...), as...)}
}

// WithGroup is not used by mockgate's services; attributes stay flat.
func (h *warnings) WithGroup(string) slog.Handler { return h }
