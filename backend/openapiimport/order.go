package openapiimport

import (
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"mockgate/backend/sample"
)

// orderedKeys is sample.OrderedKeys: m's keys in document order.
func orderedKeys[V any](m map[string]V, origin func(V) *openapi3.Origin) []string {
	return sample.OrderedKeys(m, origin)
}

// schemaOrigin is sample.SchemaOrigin.
func schemaOrigin(r *openapi3.SchemaRef) *openapi3.Origin { return sample.SchemaOrigin(r) }

// oneLine keeps the first paragraph of a description, on one line, at
// most 200 characters: enough for a profile a person reads.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "\n\n"); i >= 0 {
		s = s[:i]
	}
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:199]) + "…"
	}
	return s
}
