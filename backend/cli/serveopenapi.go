package cli

import (
	"fmt"
	"os"
	"strings"

	"mockgate/backend/openapiimport"
	"mockgate/backend/profile"
)

// importDocuments imports the OpenAPI documents of serve --openapi in
// memory ("FILE" or "ID=FILE") and prints one line of counts for each; the
// whole summary is mockgate import openapi's.
func (a *app) importDocuments(specs []string) ([]*profile.Profile, error) {
	var out []*profile.Profile
	for _, spec := range specs {
		id, file := splitOpenAPIFlag(spec)
		if id != "" {
			if err := openapiimport.CheckID(id); err != nil {
				return nil, usagef("--openapi %s: %v", spec, err)
			}
		}
		doc, js, err := openapiimport.LoadFileBundled(file)
		if err != nil {
			return nil, err
		}
		res, err := openapiimport.Import(doc, openapiimport.Options{ID: id, Document: file})
		if err != nil {
			return nil, err
		}
		res.Profile.OpenAPI.Source, res.Profile.OpenAPI.Parsed = js, doc.T
		fmt.Fprintln(a.env.Stdout, countsLine(res.Summary))
		out = append(out, res.Profile)
	}
	return out, nil
}

// splitOpenAPIFlag reads "ID=FILE", or "FILE" (a file whose name holds '='
// is read as a file when it exists).
func splitOpenAPIFlag(spec string) (id, file string) {
	before, after, found := strings.Cut(spec, "=")
	if !found || openapiimport.CheckID(before) != nil {
		return "", spec
	}
	if _, err := os.Stat(spec); err == nil {
		return "", spec
	}
	return before, after
}

// countsLine is an import's summary in one line.
func countsLine(s *openapiimport.Summary) string {
	c := s.Counts
	line := fmt.Sprintf("Imported %q (OpenAPI %s) from %s as %s: %d operations (%d public): %d in %d resources, %d routes, %d not served",
		s.Title, s.OpenAPI, s.Source, s.ID, c.Operations, c.Public, c.InResources, c.Resources, c.Routes, c.NotServed)
	if c.NotMapped > 0 {
		line += fmt.Sprintf("; %d not mapped (mockgate import openapi %s lists them)", c.NotMapped, s.Source)
	}
	return line
}
