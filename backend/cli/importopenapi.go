package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"mockgate/backend/atomicfile"
	"mockgate/backend/openapiimport"
)

const importOpenAPILong = `Reads an OpenAPI 3.0 or 3.1 document (YAML or JSON; $refs to other files
are read from the document's folder, never from the network) and writes a mockgate
profile that serve runs with real key checks:

- the security scheme most operations use is where keys are read: Bearer (http bearer,
  oauth2, openIdConnect), an API key's header, query parameter or cookie, or Basic
  credentials whose user name is the key; oauth2 scopes become the profile's scopes and
  each operation needs the scopes its security names (security: [] is public);
- collections (/things with /things/{id}, nested ones too) become resources with fields
  from their schemas and deterministic seed data, paged as the list parameters say;
- every other operation answers the document's example, or data made from its schema.

The profile names the document (openapi.document, from the profile's folder): serve
answers the API's /openapi.json with it and checks each request's parameters and JSON
body against it. The profile is printed (or written with -o), with a summary on stderr (on stdout with
-o): the operations, the resources, each security scheme and how it was mapped, and
everything the profile cannot express yet, with the reason. Edit the profile freely,
then serve it with mockgate serve --profile FILE.`

func (a *app) importCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "import",
		Short:   "Make a profile from an API's description (OpenAPI)",
		Long:    "Makes a mockgate profile from another description of an API: an OpenAPI 3.0 or 3.1 document.",
		Example: "  mockgate import openapi petstore.yaml -o petstore.profile.yaml",
		Args:    groupArgs,
		RunE:    showHelp,
	}
	cmd.AddCommand(a.importOpenAPICommand())
	return cmd
}

func (a *app) importOpenAPICommand() *cobra.Command {
	var id, out string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "openapi FILE [--id ID] [-o PROFILE.yaml] [--json]",
		Short: "Make a mockgate profile from an OpenAPI 3.0 or 3.1 document",
		Long:  importOpenAPILong,
		Example: `  mockgate import openapi petstore.yaml -o petstore.profile.yaml
  mockgate serve --profile petstore.profile.yaml
  mockgate import openapi api/openapi.json --id shop > shop.yaml
  mockgate import openapi api/openapi.json -o shop.yaml --json     # the summary as JSON`,
		Args: exactlyOne("the OpenAPI FILE"),
		RunE: func(_ *cobra.Command, args []string) error {
			file := args[0]
			if id != "" {
				if err := openapiimport.CheckID(id); err != nil {
					return usagef("--id: %v", err)
				}
			}
			if out != "" && samePath(out, file) {
				return usagef("-o %s would overwrite the OpenAPI document", out)
			}
			res, err := openapiimport.ImportFile(file, openapiimport.Options{ID: id, Document: documentRef(file, out)})
			if err != nil {
				return err
			}
			if out == "" {
				if asJSON { // one JSON document: the summary and the profile's text
					return a.printJSON(struct {
						Summary *openapiimport.Summary `json:"summary"`
						Profile string                 `json:"profile"`
					}{res.Summary, string(res.YAML)})
				}
				if _, err := a.env.Stdout.Write(res.YAML); err != nil {
					return err
				}
				return res.Summary.WriteText(a.env.Stderr)
			}
			if err := atomicfile.Write(out, res.YAML, 0o644); err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(res.Summary)
			}
			fmt.Fprintf(a.env.Stdout, "Wrote the profile %s to %s; serve it with: mockgate serve --profile %s\n", res.Profile.ID, out, out)
			return res.Summary.WriteText(a.env.Stdout)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&id, "id", "", "the profile's `ID` (default: a slug of info.title)")
	fs.StringVarP(&out, "output", "o", "", "write the profile to `PROFILE.yaml` instead of printing it")
	fs.BoolVar(&asJSON, "json", false, "print the summary as JSON (without -o: {summary, profile})")
	return cmd
}

// documentRef is how the profile names its document: the path from the
// profile file's folder (from the working folder when the profile is
// printed), so that serve --profile finds it beside the profile.
func documentRef(file, out string) string {
	from := "."
	if out != "" {
		from = filepath.Dir(out)
	}
	absFrom, err1 := filepath.Abs(from)
	absFile, err2 := filepath.Abs(file)
	if err1 != nil || err2 != nil {
		return filepath.ToSlash(file)
	}
	rel, err := filepath.Rel(absFrom, absFile)
	if err != nil {
		return filepath.ToSlash(absFile)
	}
	return filepath.ToSlash(rel)
}

// samePath says whether two names are one file (or would be).
func samePath(a, b string) bool {
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(ia, ib)
	}
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}
