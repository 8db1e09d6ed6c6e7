package openapiimport

import (
	"cmp"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// The parser keeps paths, properties and schemes in Go maps; the loader's
// origins (file, line, column) give back the document's order, so the
// profile reads in the order its author wrote, and the same every time.

type position struct {
	file      string
	line, col int
}

func positionOf(o *openapi3.Origin) (position, bool) {
	if o == nil || o.Key == nil {
		return position{}, false
	}
	return position{o.Key.File, o.Key.Line, o.Key.Column}, true
}

// orderedKeys returns m's keys in document order: by the position origin
// gives each value, those without one last, ties by name.
func orderedKeys[V any](m map[string]V, origin func(V) *openapi3.Origin) []string {
	type keyed struct {
		name string
		pos  position
		ok   bool
	}
	ks := make([]keyed, 0, len(m))
	for k, v := range m {
		p, ok := position{}, false
		if o := origin(v); o != nil {
			p, ok = positionOf(o)
		}
		ks = append(ks, keyed{k, p, ok})
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if a.ok != b.ok {
			if a.ok {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.pos.file, b.pos.file), cmp.Compare(a.pos.line, b.pos.line),
			cmp.Compare(a.pos.col, b.pos.col), cmp.Compare(a.name, b.name))
	})
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.name
	}
	return out
}

// schemaOrigin is where a property is written: its $ref, else its schema.
func schemaOrigin(r *openapi3.SchemaRef) *openapi3.Origin {
	if r == nil {
		return nil
	}
	if r.Ref != "" && r.Origin != nil {
		return r.Origin
	}
	if r.Value != nil {
		return r.Value.Origin
	}
	return nil
}

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
