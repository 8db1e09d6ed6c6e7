package cli

import (
	"bytes"
	"fmt"
	"net/url"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"mockgate/backend/admin"
	"mockgate/backend/atomicfile"
)

const requestsLong = `Queries the request log of the running mockgate (or of the data folder, which
keeps the newest 500 entries across restarts). Filters combine:

  --api ID  --method GET  --path '/v1/users/*'  --status 429 | 4xx  --key KEY_ID
  --code INSUFFICIENT_SCOPES  --verdict retry_too_early  --since/--until RFC3339

--since and --until are on the mock's (virtual) clock. Verdicts judge the client:
retry_too_early (sent before a 429's Retry-After had passed), ignored_auth_failure
(the third request in a row with a revoked, expired or invalid key),
repeated_bad_request (a page size over the maximum again after a 400 said so).`

// requestFilterFlags are the request-log filters, as query parameters.
type requestFilterFlags struct {
	api, method, path, status, key, code, verdict, since, until string
	limit                                                       int
}

func (f *requestFilterFlags) register(fs *pflag.FlagSet, withLimit bool) {
	fs.StringVar(&f.api, "api", "", "only this `API`")
	fs.StringVar(&f.method, "method", "", "only this `METHOD`")
	fs.StringVar(&f.path, "path", "", "only this `PATH`, or a pattern with * for one segment (/v1/users/*)")
	fs.StringVar(&f.status, "status", "", "only this `STATUS` (429) or class (4xx)")
	fs.StringVar(&f.key, "key", "", "only requests with the key of this `ID`")
	fs.StringVar(&f.code, "code", "", "only answers with this error `CODE` (TOKEN_EXPIRED)")
	fs.StringVar(&f.verdict, "verdict", "", "only requests with this `VERDICT`")
	fs.StringVar(&f.since, "since", "", "only requests at or after `TIME` (RFC 3339, the mock's clock)")
	fs.StringVar(&f.until, "until", "", "only requests before `TIME` (RFC 3339, the mock's clock)")
	if withLimit {
		fs.IntVar(&f.limit, "limit", 0, "at most `N` requests, newest first (default 100, at most 1000)")
	}
}

// query is the filters as the admin API's query string ("" or "?…").
func (f *requestFilterFlags) query() string {
	q := url.Values{}
	for name, v := range map[string]string{"api": f.api, "method": f.method, "path": f.path, "status": f.status,
		"key": f.key, "code": f.code, "verdict": f.verdict, "since": f.since, "until": f.until} {
		if v != "" {
			q.Set(name, v)
		}
	}
	if f.limit != 0 {
		q.Set("limit", strconv.Itoa(f.limit))
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

func (a *app) requestsCommand() *cobra.Command {
	var f requestFilterFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "requests [filters] [flags]",
		Short: "Query, count and export the request log",
		Long:  requestsLong,
		Example: `  mockgate requests --api journeybee --status 4xx
  mockgate requests count --method POST --path /v1/leads       # exactly one? a test can assert it
  mockgate requests export --har run.har --api eudr
  MOCKGATE_KEY=$KEY sh -c "$(mockgate requests curl 42)"`,
		Args: groupArgs,
		RunE: func(*cobra.Command, []string) error {
			return a.withClient(func(c *client) error {
				var out struct {
					Requests []admin.RequestSummary `json:"requests"`
				}
				if err := c.do("GET", "/requests"+f.query(), nil, &out); err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(out.Requests)
				}
				if len(out.Requests) == 0 {
					fmt.Fprintln(a.env.Stdout, "No requests match.")
					return nil
				}
				tw := tabwriter.NewWriter(a.env.Stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tTIME\tAPI\tMETHOD\tPATH\tSTATUS\tCODE\tKEY\tVERDICT\tINJECTED")
				for _, r := range out.Requests {
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\n", r.ID, r.Time.Format(time.RFC3339), r.API, r.Method, r.Path,
						r.Status, orDash(r.ErrorCode), orDash(r.KeyName), orDash(r.Verdict), orDash(r.Injected))
				}
				return tw.Flush()
			})
		},
	}
	f.register(cmd.Flags(), true)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	a.completeAPI(cmd, "api")
	cmd.AddCommand(a.requestsCountCommand(), a.requestsExportCommand(), a.requestsCurlCommand())
	return cmd
}

func (a *app) requestsCountCommand() *cobra.Command {
	var f requestFilterFlags
	cmd := &cobra.Command{
		Use:     "count [filters]",
		Short:   "Print how many logged requests match the filters",
		Long:    requestsLong,
		Example: "  mockgate requests count --api journeybee --method POST --path /v1/leads\n  mockgate requests count --verdict retry_too_early",
		Args:    noArgs,
		RunE: func(*cobra.Command, []string) error {
			return a.withClient(func(c *client) error {
				var out struct{ Count int }
				if err := c.do("GET", "/requests/count"+f.query(), nil, &out); err != nil {
					return err
				}
				fmt.Fprintln(a.env.Stdout, out.Count)
				return nil
			})
		},
	}
	f.register(cmd.Flags(), false)
	a.completeAPI(cmd, "api")
	return cmd
}

func (a *app) requestsExportCommand() *cobra.Command {
	var f requestFilterFlags
	var har string
	cmd := &cobra.Command{
		Use:   "export --har FILE [filters]",
		Short: "Write the request log (all of it, or filtered) as HAR 1.2",
		Long: requestsLong + `

The HAR masks every credential as the log does (Authorization, x-api-key, cookies,
keys in the query string); its times and timings are real.`,
		Example: "  mockgate requests export --har run.har\n  mockgate requests export --har failures.har --status 4xx --api eudr",
		Args:    noArgs,
		RunE: func(*cobra.Command, []string) error {
			return a.withClient(func(c *client) error {
				var doc admin.HAR
				if err := c.do("GET", "/requests.har"+f.query(), nil, &doc); err != nil {
					return err
				}
				if err := writeJSONFile(har, doc); err != nil {
					return err
				}
				fmt.Fprintf(a.env.Stdout, "Wrote %d requests to %s.\n", len(doc.Log.Entries), har)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&har, "har", "", "the HAR `FILE` to write (required)")
	f.register(cmd.Flags(), true)
	a.require(cmd, "har")
	a.completeAPI(cmd, "api")
	return cmd
}

func (a *app) requestsCurlCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "curl ID",
		Short: "Print a logged request as a curl command (the key as $MOCKGATE_KEY)",
		Long: `Prints the curl command that sends a logged request again. The log never holds
the raw key, so the command reads it from the shell variable MOCKGATE_KEY.`,
		Example: `  mockgate requests curl 42
  MOCKGATE_KEY=jb_live_… sh -c "$(mockgate requests curl 42)"`,
		Args: exactlyOne("a request id (see mockgate requests)"),
		RunE: func(_ *cobra.Command, args []string) error {
			return a.withClient(func(c *client) error {
				var out admin.CurlCommand
				if err := c.do("GET", "/requests/"+url.PathEscape(args[0])+"/curl", nil, &out); err != nil {
					return err
				}
				fmt.Fprintln(a.env.Stdout, out.Command)
				return nil
			})
		},
	}
	return cmd
}

// writeJSONFile writes v as indented JSON to path, atomically.
func writeJSONFile(path string, v any) error {
	var b bytes.Buffer
	if err := newIndentEncoder(&b).Encode(v); err != nil {
		return err
	}
	return atomicfile.Write(path, b.Bytes(), 0o644)
}
