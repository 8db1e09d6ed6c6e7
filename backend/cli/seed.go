package cli

import (
	"fmt"
	"net/url"

	"github.com/spf13/cobra"

	"mockgate/backend/admin"
)

// seedRequest is the admin API's body for POST /apis/{api}/seed.
type seedRequest struct {
	Resource string `json:"resource"`
	Tenant   string `json:"tenant,omitempty"`
	Count    int    `json:"count"`
}

func (a *app) seedCommand() *cobra.Command {
	var api string
	var req seedRequest
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "seed --api API --resource NAME --count N [flags]",
		Short: "Grow a collection with generated records (scale tests)",
		Long: `Grows a collection with generated records until it holds N (at most 2,000,000), for
scale tests. The records are generated as the built-in seed data is: deterministic,
the same on every machine.`,
		Example: `  mockgate seed --api journeybee --resource users --count 1000000
  mockgate seed --api juleb --resource inventory/product --count 5000 --tenant acme`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			if req.Count <= 0 {
				return usagef("seed needs a positive --count (got %d)", req.Count)
			}
			return a.withClient(func(c *client) error {
				var out admin.SeedAnswer
				if err := c.do("POST", "/apis/"+url.PathEscape(api)+"/seed", req, &out); err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(out)
				}
				fmt.Fprintf(a.env.Stdout, "%s %s now holds %d records.\n", out.API, out.Resource, out.Records)
				return nil
			})
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&api, "api", "", "`API` id (required)")
	fs.StringVar(&req.Resource, "resource", "", "resource `NAME` or path (required)")
	fs.StringVar(&req.Tenant, "tenant", "", "account or company `ID` (default: the API's default)")
	fs.IntVar(&req.Count, "count", 0, "records `N` the collection should hold (required)")
	fs.BoolVar(&asJSON, "json", false, "print JSON")
	a.require(cmd, "api", "resource", "count")
	a.completeAPI(cmd, "api")
	return cmd
}
