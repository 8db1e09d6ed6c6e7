package openapiimport

import (
	"fmt"
	"io"
	"strings"
)

// Summary says what an import made of a document: every operation and what
// serves it, the resources found, each security scheme and how it was
// mapped, and everything the profile format cannot express yet, with the
// reason. Nothing is dropped without a line here.
type Summary struct {
	Source   string `json:"source"`
	OpenAPI  string `json:"openapi"`
	Title    string `json:"title"`
	ID       string `json:"id"`
	BasePath string `json:"basePath"`
	Counts   Counts `json:"counts"`
	// Operations lists every operation of the document, in its order.
	Operations []OperationSummary `json:"operations"`
	Resources  []ResourceSummary  `json:"resources"`
	Security   []SchemeSummary    `json:"security"`
	// RateLimit says the per-key limit and the headers that tell it.
	RateLimit string `json:"rateLimit"`
	// Pagination says which list parameters the profile took, or why none.
	Pagination string `json:"pagination"`
	// Errors says, per error status, which body answers it ("default"
	// first: every status without its own).
	Errors []ErrorSummary `json:"errors"`
	// NotMapped lists what the profile does not express, each with why.
	NotMapped []Gap `json:"notMapped"`
}

// Counts are the headline numbers of a Summary.
type Counts struct {
	// Operations in the document.
	Operations int `json:"operations"`
	// InResources are the operations served by a resource's CRUD.
	InResources int `json:"inResources"`
	// Routes are the operations served by a route (example or generated body).
	Routes int `json:"routes"`
	// Public are the operations (of both kinds) answered without a key.
	Public int `json:"public"`
	// NotServed are the operations nothing answers.
	NotServed int `json:"notServed"`
	Resources int `json:"resources"`
	Schemes   int `json:"securitySchemes"`
	NotMapped int `json:"notMapped"`
}

// What serves an operation (OperationSummary.MappedTo).
const (
	ByResource = "resource"  // CRUD of a resource: "resource pet: get"
	ByExample  = "example"   // a route answering the document's example
	BySchema   = "generated" // a route answering data made from the schema
	ByNoBody   = "no body"   // a route answering its status alone
	NotServed  = "not served"
)

// OperationSummary is one operation and what serves it.
type OperationSummary struct {
	Method      string `json:"method"`
	Path        string `json:"path"`
	OperationID string `json:"operationId,omitempty"`
	// MappedTo is "resource NAME: OP", "route (example)", "route
	// (generated)", "route (no body)" or "not served".
	MappedTo string `json:"mappedTo"`
	Public   bool   `json:"public,omitempty"`
	// Security is what the operation accepts: alternatives separated by
	// " | ", each its schemes joined by " + " with their scopes in
	// brackets ("api_key | petstore_auth [read:pets]").
	Security string `json:"security,omitempty"`
	// Scopes are those its alternatives name, space-separated.
	Scopes string `json:"scopes,omitempty"`
}

// ResourceSummary is one collection found in the paths.
type ResourceSummary struct {
	Name       string   `json:"name"`
	Path       string   `json:"path"`
	Operations []string `json:"operations"`
	Fields     int      `json:"fields"`
	Seed       int      `json:"seed"`
	// Schema names where the fields came from.
	Schema string `json:"schema,omitempty"`
	// Pagination is the list's style and parameters (when it has a list).
	Pagination string `json:"pagination,omitempty"`
}

// SchemeSummary is one security scheme and how it was mapped.
type SchemeSummary struct {
	Name string `json:"name"`
	// Type is the scheme as the document says it ("apiKey in header api_key").
	Type string `json:"type"`
	// MappedTo is where keys are read from and how ("keys are read from
	// the api_key header"), or "not mapped: " and why.
	MappedTo   string   `json:"mappedTo"`
	Scopes     []string `json:"scopes,omitempty"`
	Operations int      `json:"operations"`
}

// Gap is one thing the profile does not express.
type Gap struct {
	// Where names the place in the document: "GET /pet/{petId}",
	// "securitySchemes.api_key", "pagination".
	Where  string `json:"where"`
	Reason string `json:"reason"`
}

// WriteText writes the summary for a person: the counts, the resources,
// the security schemes, pagination and every gap.
func (s *Summary) WriteText(w io.Writer) error {
	var b strings.Builder
	c := s.Counts
	fmt.Fprintf(&b, "Imported %q (OpenAPI %s) from %s as profile %s, base path %s\n", s.Title, s.OpenAPI, s.Source, s.ID, orRoot(s.BasePath))
	fmt.Fprintf(&b, "Operations: %d (%d public): %d served by %s, %d by routes, %d not served\n",
		c.Operations, c.Public, c.InResources, plural(c.Resources, "resource"), c.Routes, c.NotServed)
	if len(s.Resources) > 0 {
		b.WriteString("Resources:\n")
		for _, r := range s.Resources {
			fmt.Fprintf(&b, "  %-16s /%s: %s (%d fields, %d seeded records)\n", r.Name, r.Path, strings.Join(r.Operations, ", "), r.Fields, r.Seed)
			if r.Pagination != "" {
				fmt.Fprintf(&b, "  %-16s pages by %s\n", "", r.Pagination)
			}
		}
	}
	b.WriteString("Security schemes:\n")
	if len(s.Security) == 0 {
		b.WriteString("  none: every operation is public\n")
	}
	for _, sc := range s.Security {
		fmt.Fprintf(&b, "  %s (%s, %d operations): %s\n", sc.Name, sc.Type, sc.Operations, sc.MappedTo)
	}
	fmt.Fprintf(&b, "Rate limit: %s\n", s.RateLimit)
	fmt.Fprintf(&b, "Pagination: %s\n", s.Pagination)
	if len(s.Errors) > 0 {
		b.WriteString("Errors:\n")
		for _, e := range s.Errors {
			fmt.Fprintf(&b, "  %-7s %s\n", e.Status+":", e.Answer)
		}
	}
	if len(s.NotMapped) == 0 {
		b.WriteString("Not mapped: nothing\n")
	} else {
		fmt.Fprintf(&b, "Not mapped (%d):\n", len(s.NotMapped))
		for _, g := range s.NotMapped {
			fmt.Fprintf(&b, "  - %s: %s\n", g.Where, g.Reason)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func orRoot(p string) string {
	if p == "" {
		return "/ (none)"
	}
	return p
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
