package cli

import (
	"fmt"
	"net/url"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"mockgate/backend/integrations"
)

const integrationsLong = `Lists, activates and deactivates integrations. Keys of the EUDR API belong to an
integration; while it is deactivated they answer 403 INTEGRATION_INACTIVE.`

func (a *app) integrationsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "integrations",
		Short: "Manage EUDR integrations",
		Long:  integrationsLong,
		Example: `  mockgate integrations list
  mockgate integrations deactivate default
  mockgate integrations activate default`,
		Args: groupArgs,
		RunE: showHelp,
	}
	cmd.AddCommand(
		a.integrationsListCommand(),
		a.integrationSwitchCommand("activate", "Activate an integration: its keys work again",
			`  mockgate integrations activate default
  mockgate integrations activate erp-sync --json`),
		a.integrationSwitchCommand("deactivate", "Deactivate an integration: its keys answer 403 INTEGRATION_INACTIVE",
			`  mockgate integrations deactivate default
  mockgate integrations deactivate erp-sync --api eudr`),
	)
	return cmd
}

// integrationFlags are the flags every integrations command takes.
func (a *app) integrationFlags(cmd *cobra.Command, api *string, asJSON *bool) {
	cmd.Flags().StringVar(api, "api", "eudr", "the `API` the integrations belong to")
	cmd.Flags().BoolVar(asJSON, "json", false, "print JSON")
	a.completeAPI(cmd, "api")
}

func (a *app) integrationsListCommand() *cobra.Command {
	var api string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list [--api eudr] [flags]",
		Short: "List integrations and whether they are active",
		Long:  integrationsLong,
		Example: `  mockgate integrations list
  mockgate integrations list --json`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			return a.withClient(func(c *client) error {
				var ins []integrations.Integration
				if err := c.do("GET", "/integrations?api="+url.QueryEscape(api), nil, &ins); err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(ins)
				}
				tw := tabwriter.NewWriter(a.env.Stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "API\tNAME\tACTIVE\tUPDATED")
				for _, in := range ins {
					fmt.Fprintf(tw, "%s\t%s\t%t\t%s\n", in.API, in.Name, in.Active, in.UpdatedAt.Format(time.RFC3339))
				}
				return tw.Flush()
			})
		},
	}
	a.integrationFlags(cmd, &api, &asJSON)
	return cmd
}

// integrationSwitchCommand is integrations activate or deactivate (verb).
func (a *app) integrationSwitchCommand(verb, short, example string) *cobra.Command {
	var api string
	var asJSON bool
	cmd := &cobra.Command{
		Use:     verb + " NAME [--api eudr] [flags]",
		Short:   short,
		Long:    integrationsLong,
		Example: example,
		Args:    exactlyOne("the integration's name"),
		RunE: func(_ *cobra.Command, args []string) error {
			return a.withClient(func(c *client) error {
				var in integrations.Integration
				if err := c.do("POST", "/integrations/"+url.PathEscape(api)+"/"+url.PathEscape(args[0])+"/"+verb, nil, &in); err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(in)
				}
				state := "active: its keys work again"
				if !in.Active {
					state = "inactive: its keys now answer 403 INTEGRATION_INACTIVE"
				}
				fmt.Fprintf(a.env.Stdout, "Integration %s of %s is %s.\n", in.Name, in.API, state)
				return nil
			})
		},
	}
	a.integrationFlags(cmd, &api, &asJSON)
	return cmd
}
