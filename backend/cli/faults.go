package cli

import (
	"fmt"
	"net/url"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"mockgate/backend/admin"
	"mockgate/backend/mockapi"
)

const faultsLong = `Queues failures on an API of the running mockgate: the next matching requests
(after skipping --after of them) answer --status exactly as the API would (its
envelope, its error code, Retry-After on a 429), wait --latency, or lose their
connection (--reset-connection), exactly --count times. --method, --path (exact, or
with * for one path segment: /v1/users/*) and --key (a key id) narrow the match.
Every injected answer is marked in the request log with the fault that made it.

A request may also ask for a failure itself: Prefer: code=429 or Prefer: latency=500.`

func (a *app) faultsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "faults",
		Short: "Queue failures on an API: a 503 on the next call, a reset connection, a slow answer",
		Long:  faultsLong,
		Example: `  mockgate faults add --api journeybee --status 503 --count 2
  mockgate faults add --api eudr --status 429 --path /api/v1/integration/batches --after 2
  mockgate faults list
  mockgate faults clear --api journeybee`,
		Args: groupArgs,
		RunE: showHelp,
	}
	cmd.AddCommand(a.faultsAddCommand(), a.faultsListCommand(), a.faultsClearCommand())
	return cmd
}

func (a *app) faultsAddCommand() *cobra.Command {
	var api string
	var req admin.FaultRequest
	var latency time.Duration
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "add --api API [--status N | --latency D | --reset-connection] [flags]",
		Short: "Queue a fault on an API",
		Long:  faultsLong,
		Example: `  mockgate faults add --api journeybee --status 503 --count 2
  mockgate faults add --api journeybee --latency 2s --method GET --path '/v1/users/*'
  mockgate faults add --api jelou --reset-connection --key 5f0c…`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			if req.Status == 0 && latency == 0 && !req.ResetConnection {
				return usagef("faults add needs --status, --latency or --reset-connection")
			}
			if latency < 0 || latency%time.Millisecond != 0 {
				return usagef("--latency %s must be a positive whole number of milliseconds (500ms, 2s)", latency)
			}
			req.LatencyMs = int(latency / time.Millisecond)
			return a.withRunning("the fault queue", func(c *client) error {
				var f mockapi.Fault
				if err := c.do("POST", "/apis/"+url.PathEscape(api)+"/faults", req, &f); err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(f)
				}
				fmt.Fprintf(a.env.Stdout, "Fault %d queued on %s: %s.\n", f.ID, api, describeFault(f))
				return nil
			})
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&api, "api", "", "`API` id (required)")
	fs.IntVar(&req.Status, "status", 0, "answer this `STATUS` (400 to 599) as the API would")
	fs.IntVar(&req.Count, "count", 1, "how many requests the fault answers (`N`)")
	fs.StringVar(&req.Method, "method", "", "only requests with this `METHOD`")
	fs.StringVar(&req.Path, "path", "", "only requests to this `PATH` (/v1/users, or /v1/users/*)")
	fs.StringVar(&req.KeyID, "key", "", "only requests with the key of this `ID`")
	fs.IntVar(&req.After, "after", 0, "let `N` matching requests through first")
	fs.DurationVar(&latency, "latency", 0, "wait this `DURATION` before answering (500ms, 2s)")
	fs.BoolVar(&req.ResetConnection, "reset-connection", false, "close the connection without an answer")
	fs.BoolVar(&asJSON, "json", false, "print JSON")
	a.require(cmd, "api")
	a.completeAPI(cmd, "api")
	return cmd
}

// withFaultTargets runs fn on the running instance with the API named by
// --api, or every API when it is empty.
func (a *app) withFaultTargets(api string, fn func(c *client, ids []string) error) error {
	return a.withRunning("the fault queue", func(c *client) error {
		ids := []string{api}
		if api == "" {
			var apis []admin.APIInfo
			if err := c.do("GET", "/apis", nil, &apis); err != nil {
				return err
			}
			ids = ids[:0]
			for _, x := range apis {
				ids = append(ids, x.ID)
			}
		}
		return fn(c, ids)
	})
}

func (a *app) faultsListCommand() *cobra.Command {
	var api string
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "list [--api API] [flags]",
		Short:   "List the pending faults and how many answers each has left",
		Long:    faultsLong,
		Example: "  mockgate faults list\n  mockgate faults list --api journeybee --json",
		Args:    noArgs,
		RunE: func(*cobra.Command, []string) error {
			return a.withFaultTargets(api, func(c *client, ids []string) error {
				all := map[string][]mockapi.Fault{}
				for _, id := range ids {
					var fs []mockapi.Fault
					if err := c.do("GET", "/apis/"+url.PathEscape(id)+"/faults", nil, &fs); err != nil {
						return err
					}
					all[id] = fs
				}
				if asJSON {
					return a.printJSON(all)
				}
				tw := tabwriter.NewWriter(a.env.Stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "API\tID\tFAULT\tLEFT")
				n := 0
				for _, id := range ids {
					for _, f := range all[id] {
						n++
						fmt.Fprintf(tw, "%s\t%d\t%s\t%d of %d\n", id, f.ID, describeFault(f), f.Remaining, f.Count)
					}
				}
				if n == 0 {
					fmt.Fprintln(a.env.Stdout, "No faults pending.")
					return nil
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().StringVar(&api, "api", "", "only this `API` (default: every API)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	a.completeAPI(cmd, "api")
	return cmd
}

func (a *app) faultsClearCommand() *cobra.Command {
	var api string
	cmd := &cobra.Command{
		Use:     "clear [--api API]",
		Short:   "Drop the pending faults",
		Long:    faultsLong,
		Example: "  mockgate faults clear\n  mockgate faults clear --api journeybee",
		Args:    noArgs,
		RunE: func(*cobra.Command, []string) error {
			return a.withFaultTargets(api, func(c *client, ids []string) error {
				for _, id := range ids {
					if err := c.do("DELETE", "/apis/"+url.PathEscape(id)+"/faults", nil, nil); err != nil {
						return err
					}
				}
				fmt.Fprintln(a.env.Stdout, "Faults cleared.")
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&api, "api", "", "only this `API` (default: every API)")
	a.completeAPI(cmd, "api")
	return cmd
}

// describeFault says what a fault does and to which requests.
func describeFault(f mockapi.Fault) string {
	what := ""
	switch {
	case f.ResetConnection:
		what = "reset the connection"
	case f.Status != 0:
		what = "answer " + strconv.Itoa(f.Status)
	}
	if f.LatencyMs > 0 {
		if what != "" {
			what += " after "
		} else {
			what = "wait "
		}
		what += (time.Duration(f.LatencyMs) * time.Millisecond).String()
	}
	to := "every request"
	if f.Method != "" || f.Path != "" {
		to = f.Method
		if f.Path != "" {
			to = (to + " " + f.Path)
		}
		if f.Method == "" {
			to = "any method" + to
		}
	}
	if f.KeyID != "" {
		to += " with key " + f.KeyID
	}
	if f.After > 0 {
		to += fmt.Sprintf(", after %d of them (%d let through)", f.After, f.Skipped)
	}
	return fmt.Sprintf("%s to %s, %d times", what, to, f.Count)
}
