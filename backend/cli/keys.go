package cli

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"mockgate/backend/admin"
	"mockgate/backend/integrations"
)

const keysHelp = `Usage:
  mockgate keys create --api API --name NAME [--scopes LIST] [--tenant ID] [--integration NAME]
                       [--expires RFC3339 | --ttl DURATION] [--rate-limit N/min | off] [--json]
  mockgate keys list [--api API] [--json]
  mockgate keys revoke ID [--json]     the key stays listed; the API answers "revoked"
  mockgate keys delete ID              the key is removed; the API answers "invalid"

Scopes are in the API's own vocabulary: journeybee read or write; juleb inventory, pos,
resources; eudr the integration:* scopes; jelou has none. Default: the API's default
(journeybee: write) or all of them. --tenant is juleb's account or jelou's company
(default: demo, 1001). --integration is EUDR's integration (default: default; created if
missing). The raw key is printed once and never stored: copy it then.

Works whether or not mockgate runs on the data folder: with an instance running the
command goes through its admin API, so the change is effective on the next request.
`

func runKeys(args []string, env *Env) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(env.Stdout, keysHelp)
		return nil
	}
	sub, args := args[0], args[1:]
	fs := newFlags("keys "+sub, keysHelp, env)
	data := fs.String("data", defaultDataDir(env), "data folder")
	asJSON := fs.Bool("json", false, "print JSON")
	var req admin.CreateKeyRequest
	var scopes, expires, rate string
	apiFilter := ""
	switch sub {
	case "create":
		fs.StringVar(&req.API, "api", "", "API id: juleb, journeybee, jelou, eudr or a user profile's id (required)")
		fs.StringVar(&req.Name, "name", "", "key name (required)")
		fs.StringVar(&scopes, "scopes", "", "comma-separated scopes (default: the API's default, or all)")
		fs.StringVar(&req.Tenant, "tenant", "", "account or company the key belongs to")
		fs.StringVar(&req.Integration, "integration", "", "integration the key belongs to (eudr)")
		fs.StringVar(&expires, "expires", "", "expiry time, RFC 3339 (2026-12-31T23:59:00Z)")
		fs.StringVar(&req.TTL, "ttl", "", "expiry as a duration from now (90m, 24h)")
		fs.StringVar(&rate, "rate-limit", "", "requests per minute for this key (N/min or N), or off; default: the API's")
	case "list":
		fs.StringVar(&apiFilter, "api", "", "only the keys of this API")
	case "revoke", "delete":
	default:
		return usagef("unknown keys command %q (create, list, revoke, delete)", sub)
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch sub {
	case "create":
		if len(pos) > 0 {
			return usagef("keys create takes no arguments (got %q)", pos[0])
		}
		if req.API == "" || req.Name == "" {
			return usagef("keys create needs --api and --name")
		}
		req.Scopes = listFlag(scopes)
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
	case "revoke", "delete":
		if len(pos) != 1 {
			return usagef("keys %s needs one key id (see mockgate keys list)", sub)
		}
	default:
		if len(pos) > 0 {
			return usagef("keys list takes no arguments")
		}
	}
	c, err := connect(*data)
	if err != nil {
		return err
	}
	defer c.close()
	switch sub {
	case "create":
		var k admin.CreatedKey
		if err := c.do("POST", "/keys", req, &k); err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env, k)
		}
		fmt.Fprintf(env.Stdout, "Created key %q for %s (id %s).\n\n    %s\n\n", k.Name, k.API, k.ID, k.Key)
		fmt.Fprintf(env.Stdout, "%s\nThis is the only time the key is shown: copy it now. mockgate keeps only its SHA-256 hash.\n", describeKey(k.KeyView))
		return nil
	case "list":
		var ks []admin.KeyView
		path := "/keys"
		if apiFilter != "" {
			path += "?api=" + url.QueryEscape(apiFilter)
		}
		if err := c.do("GET", path, nil, &ks); err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env, ks)
		}
		if len(ks) == 0 {
			fmt.Fprintln(env.Stdout, "No keys. Create one: mockgate keys create --api journeybee --name demo")
			return nil
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tAPI\tNAME\tKEY\tSCOPES\tBOUND TO\tSTATUS\tCREATED\tEXPIRES\tLAST USED\tUSES")
		for _, k := range ks {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", k.ID, k.API, k.Name, k.Masked,
				orDash(strings.Join(k.Scopes, ",")), orDash(k.Tenant+k.Integration), k.Status, k.CreatedAt.Format(time.RFC3339),
				timeOrDash(k.ExpiresAt), timeOrDash(k.LastUsedAt), k.UseCount)
		}
		return tw.Flush()
	case "revoke":
		var k admin.KeyView
		if err := c.do("POST", "/keys/"+url.PathEscape(pos[0])+"/revoke", nil, &k); err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env, k)
		}
		fmt.Fprintf(env.Stdout, "Revoked key %q (%s): the API now answers it as revoked.\n", k.Name, k.Masked)
		return nil
	default: // delete
		if err := c.do("DELETE", "/keys/"+url.PathEscape(pos[0]), nil, nil); err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env, map[string]string{"deleted": pos[0]})
		}
		fmt.Fprintf(env.Stdout, "Deleted key %s: the API now answers it as invalid. This cannot be undone.\n", pos[0])
		return nil
	}
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

func printJSON(env *Env, v any) error {
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

const integrationsHelp = `Usage:
  mockgate integrations list [--api eudr] [--json]
  mockgate integrations activate NAME [--api eudr]
  mockgate integrations deactivate NAME [--api eudr]

Keys of the EUDR API belong to an integration; while it is deactivated they answer
403 INTEGRATION_INACTIVE.
`

func runIntegrations(args []string, env *Env) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(env.Stdout, integrationsHelp)
		return nil
	}
	sub, args := args[0], args[1:]
	fs := newFlags("integrations "+sub, integrationsHelp, env)
	data := fs.String("data", defaultDataDir(env), "data folder")
	api := fs.String("api", "eudr", "the API")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch sub {
	case "list":
		if len(pos) > 0 {
			return usagef("integrations list takes no arguments")
		}
	case "activate", "deactivate":
		if len(pos) != 1 {
			return usagef("integrations %s needs the integration's name", sub)
		}
	default:
		return usagef("unknown integrations command %q (list, activate, deactivate)", sub)
	}
	c, err := connect(*data)
	if err != nil {
		return err
	}
	defer c.close()
	if sub == "list" {
		var ins []integrations.Integration
		if err := c.do("GET", "/integrations?api="+url.QueryEscape(*api), nil, &ins); err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env, ins)
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "API\tNAME\tACTIVE\tUPDATED")
		for _, in := range ins {
			fmt.Fprintf(tw, "%s\t%s\t%t\t%s\n", in.API, in.Name, in.Active, in.UpdatedAt.Format(time.RFC3339))
		}
		return tw.Flush()
	}
	var in integrations.Integration
	if err := c.do("POST", "/integrations/"+url.PathEscape(*api)+"/"+url.PathEscape(pos[0])+"/"+sub, nil, &in); err != nil {
		return err
	}
	if *asJSON {
		return printJSON(env, in)
	}
	state := "active: its keys work again"
	if !in.Active {
		state = "inactive: its keys now answer 403 INTEGRATION_INACTIVE"
	}
	fmt.Fprintf(env.Stdout, "Integration %s of %s is %s.\n", in.Name, in.API, state)
	return nil
}

const seedHelp = `Usage: mockgate seed --api API --resource NAME --count N [--tenant ID] [--json]

Grows a collection with generated records until it holds N (at most 2,000,000), for
scale tests: mockgate seed --api journeybee --resource users --count 1000000
`

func runSeed(args []string, env *Env) error {
	fs := newFlags("seed", seedHelp, env)
	data := fs.String("data", defaultDataDir(env), "data folder")
	var req struct {
		Resource string `json:"resource"`
		Tenant   string `json:"tenant,omitempty"`
		Count    int    `json:"count"`
	}
	api := fs.String("api", "", "API id (required)")
	fs.StringVar(&req.Resource, "resource", "", "resource name or path (required)")
	fs.StringVar(&req.Tenant, "tenant", "", "account or company (default: the API's default)")
	fs.IntVar(&req.Count, "count", 0, "records the collection should hold")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *api == "" || req.Resource == "" || req.Count <= 0 {
		return usagef("seed needs --api, --resource and a positive --count")
	}
	c, err := connect(*data)
	if err != nil {
		return err
	}
	defer c.close()
	var out struct {
		API      string `json:"api"`
		Resource string `json:"resource"`
		Tenant   string `json:"tenant"`
		Records  int    `json:"records"`
	}
	if err := c.do("POST", "/apis/"+url.PathEscape(*api)+"/seed", req, &out); err != nil {
		return err
	}
	if *asJSON {
		return printJSON(env, out)
	}
	fmt.Fprintf(env.Stdout, "%s %s now holds %d records.\n", out.API, out.Resource, out.Records)
	return nil
}
