package cli

import (
	"fmt"
	"math"
	"time"

	"github.com/spf13/cobra"

	"mockgate/backend/admin"
	"mockgate/backend/clock"
)

const clockLong = `Shows and moves the virtual clock of the running mockgate. Everything that
depends on time follows it, on every API: key expiry, rate-limit windows and their
headers, record and key timestamps, "last used" and the request log. A restart
starts again at real time (a saved state carries the clock; see mockgate state).

Moving the clock back is allowed: a rate-limit window that would begin in the
future starts afresh, and a key expired at the new time is valid again.`

// withRunning is withClient for commands that act on a running instance
// only (the clock and the fault queue live in its memory).
func (a *app) withRunning(what string, fn func(c *client) error) error {
	return a.withClient(func(c *client) error {
		if c.remote == "" {
			return fmt.Errorf("no mockgate is running on %s: %s belongs to a running instance (start one with mockgate serve)", a.dataDir(), what)
		}
		return fn(c)
	})
}

func (a *app) clockCommand() *cobra.Command {
	var asJSON bool
	run := func(req *admin.ClockRequest) error {
		return a.withRunning("the virtual clock", func(c *client) error {
			var st clock.Status
			var err error
			if req == nil {
				err = c.do("GET", "/clock", nil, &st)
			} else {
				err = c.do("POST", "/clock", req, &st)
			}
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(st)
			}
			a.printClock(st)
			return nil
		})
	}
	sub := func(use, short, example string, args cobra.PositionalArgs, req func(args []string) *admin.ClockRequest) *cobra.Command {
		cmd := &cobra.Command{
			Use: use, Short: short, Long: clockLong, Example: example, Args: args,
			RunE: func(_ *cobra.Command, args []string) error { return run(req(args)) },
		}
		cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
		return cmd
	}
	cmd := &cobra.Command{
		Use:   "clock",
		Short: "Show or move the virtual clock (expiry, rate-limit windows, timestamps)",
		Long:  clockLong,
		Example: `  mockgate clock
  mockgate clock advance 61s      # the next minute's rate-limit window
  mockgate clock set 2027-01-01T00:00:00Z
  mockgate clock freeze
  mockgate clock reset`,
		Args: groupArgs,
		RunE: func(*cobra.Command, []string) error { return run(nil) },
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.AddCommand(
		sub("status", "Show the virtual time and its offset from real time", "  mockgate clock status --json",
			noArgs, func([]string) *admin.ClockRequest { return nil }),
		sub("advance DURATION", "Move the clock by a Go duration (61s, 90m, 24h; negative goes back)",
			"  mockgate clock advance 61s\n  mockgate clock advance 24h\n  mockgate clock advance -- -1h",
			exactlyOne("a duration such as 61s"), func(args []string) *admin.ClockRequest { return &admin.ClockRequest{Advance: args[0]} }),
		sub("set TIME", "Move the clock to an RFC 3339 time", "  mockgate clock set 2027-01-01T00:00:00Z",
			exactlyOne("an RFC 3339 time"), func(args []string) *admin.ClockRequest { return &admin.ClockRequest{Set: args[0]} }),
		sub("freeze", "Stop the clock where it is", "  mockgate clock freeze",
			noArgs, func([]string) *admin.ClockRequest { return &admin.ClockRequest{Freeze: true} }),
		sub("resume", "Let a frozen clock run on from where it stopped", "  mockgate clock resume",
			noArgs, func([]string) *admin.ClockRequest { return &admin.ClockRequest{Resume: true} }),
		sub("reset", "Bring the clock back to real time, running", "  mockgate clock reset",
			noArgs, func([]string) *admin.ClockRequest { return &admin.ClockRequest{Reset: true} }),
	)
	return cmd
}

func (a *app) printClock(st clock.Status) {
	state := "running"
	if st.Frozen {
		state = "frozen"
	}
	fmt.Fprintf(a.env.Stdout, "virtual time  %s (%s)\n", st.Now.Format(time.RFC3339), state)
	if math.Abs(st.OffsetSeconds) < 1 && !st.Frozen {
		fmt.Fprintln(a.env.Stdout, "real time     the same")
		return
	}
	off := time.Duration(st.OffsetSeconds * float64(time.Second)).Round(time.Second)
	fmt.Fprintf(a.env.Stdout, "real time     %s (offset %s)\n", st.Real.Format(time.RFC3339), signed(off))
}

// signed writes d with its sign: +1m1s, -1h0m0s.
func signed(d time.Duration) string {
	if d < 0 {
		return d.String()
	}
	return "+" + d.String()
}
