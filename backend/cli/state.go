package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"mockgate/backend/admin"
	"mockgate/backend/atomicfile"
	"mockgate/backend/state"
)

const stateLong = `Saves the whole state of mockgate to a file and loads it back: the records of every
API, the keys (their hashes: a raw key is never in a state), the integrations, each
API's settings, the imported profiles and the virtual clock. The request log, the
traffic counters, queued faults and rate-limit windows are not part of a state.

Loading is all or nothing: a damaged, truncated or foreign file, or one saved by a
newer mockgate, is refused with the problem named and nothing changes. Loading sets
the virtual clock to the state's offset from real time (or, if it was frozen, to the
time it stood at). Imported APIs start or stop to match the state; built-in APIs not
in the state get their seed data.

With a mockgate running on the data folder these go through its admin API; without
one they work on the data folder directly (a state's clock then lasts only as long as
the command: a mockgate started later begins at real time).`

func (a *app) stateCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "state",
		Short: "Save the whole state to a file, or load one (records, keys, settings, the clock)",
		Long:  stateLong,
		Example: `  mockgate state save before.json
  mockgate state load before.json`,
		Args: groupArgs,
		RunE: showHelp,
	}
	cmd.AddCommand(a.stateSaveCommand(), a.stateLoadCommand())
	return cmd
}

func (a *app) stateSaveCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "save FILE",
		Short:   "Write the state to FILE (mode 0600, replaced whole)",
		Long:    stateLong,
		Example: "  mockgate state save before.json\n  mockgate state save --data /tmp/mockgate seed.json",
		Args:    exactlyOne("the FILE to write"),
		RunE: func(_ *cobra.Command, args []string) error {
			return a.withClient(func(c *client) error {
				var doc json.RawMessage
				if err := c.do("GET", "/state", nil, &doc); err != nil {
					return err
				}
				if err := writeStateFile(args[0], append(doc, '\n')); err != nil {
					return err
				}
				fmt.Fprintf(a.env.Stdout, "State saved to %s (%s).\n", args[0], byteSize(len(doc)+1))
				return nil
			})
		},
	}
}

func (a *app) stateLoadCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "load FILE",
		Short:   "Put the state saved in FILE in force, all or nothing",
		Long:    stateLong,
		Example: "  mockgate state load before.json\n  mockgate state load before.json --json",
		Args:    exactlyOne("the FILE to read"),
		RunE: func(_ *cobra.Command, args []string) error {
			file := args[0]
			data, err := readState(file)
			if err != nil {
				return err
			}
			if !json.Valid(data) {
				// Not sent: the admin API would refuse it as Parse does.
				_, err := state.Parse(data)
				return fmt.Errorf("%s: %w; nothing was changed", file, err)
			}
			return a.withClient(func(c *client) error {
				var sum state.Summary
				if err := c.do("PUT", "/state", json.RawMessage(data), &sum); err != nil {
					return fmt.Errorf("%s: %w", file, err)
				}
				if c.remote == "" && (sum.Clock.Frozen || math.Abs(sum.Clock.OffsetSeconds) >= 1) {
					fmt.Fprintf(a.env.Stderr, "mockgate: no mockgate is running on %s: the state's clock lasts only as long as this command (a mockgate started later begins at real time)\n", a.dataDir())
				}
				if asJSON {
					return a.printJSON(sum)
				}
				fmt.Fprintf(a.env.Stdout, "State loaded from %s: %s.\n", file, describeSummary(sum))
				a.printClock(sum.Clock)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) resetCommand() *cobra.Command {
	var req admin.ResetRequest
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "reset [--keep-keys]",
		Short: "Bring every API back to its seed data, delete the keys, clear the request log",
		Long: `Brings every API back to its seed data and its profile's settings, deletes every key
(--keep-keys keeps them, and the integrations they belong to, active), brings the
integrations back to each profile's default, clears the request log, the traffic
counters and the queued faults, and brings the virtual clock back to real time.
Imported APIs stay (with their seed data). A clean start before each test; to start
from data of your own instead, see mockgate state.`,
		Example: `  mockgate reset
  mockgate reset --keep-keys`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			return a.withClient(func(c *client) error {
				var sum state.Summary
				if err := c.do("POST", "/reset", req, &sum); err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(sum)
				}
				kept := "keys deleted"
				if req.KeepKeys {
					kept = "keys kept"
				}
				fmt.Fprintf(a.env.Stdout, "Every API is back to its seed data (%s; request log cleared): %s.\n", kept, describeSummary(sum))
				a.printClock(sum.Clock)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&req.KeepKeys, "keep-keys", false, "keep every key (and the integrations they belong to)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// describeSummary is what a state put in force, in one phrase.
func describeSummary(s state.Summary) string {
	out := fmt.Sprintf("%s (%s), %s, %s, %s", plural(len(s.APIs), "API"), strings.Join(s.APIs, ", "),
		plural(s.Records, "record"), plural(s.Keys, "key"), plural(s.Integrations, "integration"))
	if len(s.Imported) > 0 {
		out += fmt.Sprintf("; imported: %s", strings.Join(s.Imported, ", "))
	}
	return out
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func byteSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// readState reads a state file, refusing one larger than a state may be
// before reading it whole.
func readState(file string) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, state.MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > state.MaxSize {
		return nil, fmt.Errorf("%s: larger than a state may be (%d MiB); nothing was changed", file, state.MaxSize>>20)
	}
	return data, nil
}

// writeStateFile writes a state with mode 0600: it holds the keys' hashes
// and every record.
func writeStateFile(path string, data []byte) error { return atomicfile.Write(path, data, 0o600) }
