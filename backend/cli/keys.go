package cli

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"mockgate/backend/admin"
)

// keysNotes is what every keys command's help says about keys.
const keysNotes = `Scopes are in the API's own vocabulary: journeybee read or write; juleb inventory, pos,
resources; eudr the integration:* scopes; jelou has none. Default: the API's default
(journeybee: write) or all of them. --tenant is juleb's account or jelou's company
(default: demo, 1001). --integration is EUDR's integration (default: default; created if
missing). The raw key is printed once and never stored: copy it then.

Works whether or not mockgate runs on the data folder: with an instance running the
command goes through its admin API, so the change is effective on the next request.`

func (a *app) keysCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Manage API keys (works with or without a running instance)",
		Long:  "Creates, lists, revokes and deletes API keys.\n\n" + keysNotes,
		Example: `  mockgate keys create --api journeybee --name demo
  mockgate keys list --api journeybee
  mockgate keys revoke "$ID"
  mockgate keys delete "$ID"`,
		Args: groupArgs,
		RunE: showHelp,
	}
	cmd.AddCommand(a.keysCreateCommand(), a.keysListCommand(), a.keysRevokeCommand(), a.keysDeleteCommand())
	return cmd
}

func (a *app) keysCreateCommand() *cobra.Command {
	var req admin.CreateKeyRequest
	var scopes, expires, rate string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "create --api API --name NAME [flags]",
		Short: "Create a key; the raw key is printed once",
		Long: `Creates a key for an API and prints it once, with its id (for revoke and delete);
--json prints it as JSON for scripts.

` + keysNotes,
		Example: `  mockgate keys create --api journeybee --name demo
  mockgate keys create --api journeybee --name ro --scopes read
  mockgate keys create --api juleb --name pos --scopes pos --tenant acme --ttl 24h
  mockgate keys create --api eudr --name erp --integration erp-sync --expires 2026-12-31T23:59:00Z
  mockgate keys create --api journeybee --name slow --rate-limit 5/min
  KEY=$(mockgate keys create --api juleb --name quick --json | jq -r .key)`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			req.Scopes = listFlag(scopes)
			if expires != "" && req.TTL != "" {
				return usagef("keys create takes --expires or --ttl, not both")
			}
			if expires != "" {
				t, err := time.Parse(time.RFC3339, expires)
				if err != nil {
					return usagef("--expires %q is not an RFC 3339 time such as 2026-12-31T23:59:00Z", expires)
				}
				req.ExpiresAt = &t
			}
			if rate != "" {
				n, err := parseRate(rate)
				if err != nil {
					return err
				}
				req.RateLimit = &n
			}
			return a.withClient(func(c *client) error {
				var k admin.CreatedKey
				if err := c.do("POST", "/keys", req, &k); err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(k)
				}
				fmt.Fprintf(a.env.Stdout, "Created key %q for %s (id %s).\n\n    %s\n\n", k.Name, k.API, k.ID, k.Key)
				fmt.Fprintf(a.env.Stdout, "%s\nThis is the only time the key is shown: copy it now. mockgate keeps only its SHA-256 hash.\n", describeKey(k.KeyView))
				return nil
			})
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&req.API, "api", "", "`API` id: juleb, journeybee, jelou, eudr or a user profile's id (required)")
	fs.StringVar(&req.Name, "name", "", "key `NAME` (required)")
	fs.StringVar(&scopes, "scopes", "", "comma-separated `LIST` of scopes (default: the API's default, or all)")
	fs.StringVar(&req.Tenant, "tenant", "", "account or company `ID` the key belongs to")
	fs.StringVar(&req.Integration, "integration", "", "integration `NAME` the key belongs to (eudr)")
	fs.StringVar(&expires, "expires", "", "expiry `TIME`, RFC 3339 (2026-12-31T23:59:00Z)")
	fs.StringVar(&req.TTL, "ttl", "", "expiry as a `DURATION` from now (90m, 24h)")
	fs.StringVar(&rate, "rate-limit", "", "requests per minute for this key (`N/min` or N), or off; default: the API's")
	fs.BoolVar(&asJSON, "json", false, "print the key as JSON")
	a.require(cmd, "api", "name")
	a.completeAPI(cmd, "api")
	return cmd
}

func (a *app) keysListCommand() *cobra.Command {
	var apiFilter string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list [--api API] [flags]",
		Short: "List keys, partially hidden, with their status",
		Long:  "Lists the keys, partially hidden, with name, scopes, tenant or integration, status, created, expires, last used and use count.",
		Example: `  mockgate keys list
  mockgate keys list --api journeybee
  mockgate keys list --json | jq -r '.[] | select(.name=="demo") | .id'`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			return a.withClient(func(c *client) error {
				var ks []admin.KeyView
				path := "/keys"
				if apiFilter != "" {
					path += "?api=" + url.QueryEscape(apiFilter)
				}
				if err := c.do("GET", path, nil, &ks); err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(ks)
				}
				return a.printKeys(ks)
			})
		},
	}
	cmd.Flags().StringVar(&apiFilter, "api", "", "only the keys of this `API`")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the keys as JSON")
	a.completeAPI(cmd, "api")
	return cmd
}

func (a *app) printKeys(ks []admin.KeyView) error {
	if len(ks) == 0 {
		fmt.Fprintln(a.env.Stdout, "No keys. Create one: mockgate keys create --api journeybee --name demo")
		return nil
	}
	tw := tabwriter.NewWriter(a.env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tAPI\tNAME\tKEY\tSCOPES\tBOUND TO\tSTATUS\tCREATED\tEXPIRES\tLAST USED\tUSES")
	for _, k := range ks {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", k.ID, k.API, k.Name, k.Masked,
			orDash(strings.Join(k.Scopes, ",")), orDash(k.Tenant+k.Integration), k.Status, k.CreatedAt.Format(time.RFC3339),
			timeOrDash(k.ExpiresAt), timeOrDash(k.LastUsedAt), k.UseCount)
	}
	return tw.Flush()
}

func (a *app) keysRevokeCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "revoke ID",
		Short: `Revoke a key: it stays listed; the API answers "revoked"`,
		Long:  `Revokes a key from the next request on. The key stays listed (status revoked) and the API answers it as revoked; to remove it, use keys delete.`,
		Example: `  mockgate keys revoke 3f2a9c1e
  mockgate keys revoke "$(mockgate keys list --json | jq -r '.[] | select(.name=="demo") | .id')"`,
		Args: exactlyOne("one key id (see mockgate keys list)"),
		RunE: func(_ *cobra.Command, args []string) error {
			return a.withClient(func(c *client) error {
				var k admin.KeyView
				if err := c.do("POST", "/keys/"+url.PathEscape(args[0])+"/revoke", nil, &k); err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(k)
				}
				fmt.Fprintf(a.env.Stdout, "Revoked key %q (%s): the API now answers it as revoked.\n", k.Name, k.Masked)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the revoked key as JSON")
	return cmd
}

func (a *app) keysDeleteCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "delete ID",
		Short: `Delete a key: it is removed; the API answers "invalid"`,
		Long:  `Deletes a key from the next request on: the API answers it as invalid. This cannot be undone; keys revoke keeps the record instead.`,
		Example: `  mockgate keys delete 3f2a9c1e
  mockgate keys delete 3f2a9c1e --json`,
		Args: exactlyOne("one key id (see mockgate keys list)"),
		RunE: func(_ *cobra.Command, args []string) error {
			return a.withClient(func(c *client) error {
				if err := c.do("DELETE", "/keys/"+url.PathEscape(args[0]), nil, nil); err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(map[string]string{"deleted": args[0]})
				}
				fmt.Fprintf(a.env.Stdout, "Deleted key %s: the API now answers it as invalid. This cannot be undone.\n", args[0])
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, `print {"deleted": ID} as JSON`)
	return cmd
}

func describeKey(k admin.KeyView) string {
	var parts []string
	if len(k.Scopes) > 0 {
		parts = append(parts, "Scopes: "+strings.Join(k.Scopes, ", "))
	}
	if k.Tenant != "" {
		parts = append(parts, "Tenant: "+k.Tenant)
	}
	if k.Integration != "" {
		parts = append(parts, "Integration: "+k.Integration)
	}
	if k.ExpiresAt != nil {
		parts = append(parts, "Expires: "+k.ExpiresAt.Format(time.RFC3339))
	}
	if k.RateLimit != nil {
		if *k.RateLimit == 0 {
			parts = append(parts, "Rate limit: off")
		} else {
			parts = append(parts, fmt.Sprintf("Rate limit: %d/min", *k.RateLimit))
		}
	}
	return strings.Join(parts, ". ")
}

// parseRate reads N/min, N or off.
func parseRate(s string) (int, error) {
	if strings.EqualFold(s, "off") {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(s), "/min"))
	if err != nil || n < 1 {
		return 0, usagef("--rate-limit %q: give N/min (a positive number of requests per minute) or off", s)
	}
	return n, nil
}
