package cli

import (
	"encoding/json"
	"io"
	"time"
)

// withClient connects to the admin API of the data folder (the running
// instance's, or in-process over the store) for the length of fn.
// With no instance on the folder, it warns when one runs elsewhere: the
// change would not reach it (registry.go).
func (a *app) withClient(fn func(c *client) error) error {
	dir := a.dataDir()
	c, err := connect(dir, a.env.Stderr)
	if err != nil {
		return err
	}
	defer c.close()
	if c.remote == "" {
		a.warnElsewhere(dir)
	}
	return fn(c)
}

func (a *app) printJSON(v any) error { return newIndentEncoder(a.env.Stdout).Encode(v) }

// newIndentEncoder is the JSON the CLI prints and writes: indented by two.
func newIndentEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func timeOrDash(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format(time.RFC3339)
}
