package openapiimport

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"

	"mockgate/backend/profile"
	"mockgate/backend/sample"
)

// maxBodySize bounds an answer generated from a schema.
const maxBodySize = 256 << 10

// objectShape is sample.Shape as the importer reads it: an object schema
// with its allOf merged.
type objectShape struct {
	names    []string
	props    map[string]*openapi3.SchemaRef
	required map[string]bool
}

// flatten is sample.Flatten: nil when r is not an object with properties.
func flatten(r *openapi3.SchemaRef) *objectShape {
	sh := sample.Flatten(r)
	if sh == nil {
		return nil
	}
	return &objectShape{names: sh.Names, props: sh.Props, required: sh.Required}
}

// typeOf is sample.TypeOf.
func typeOf(s *openapi3.Schema) string { return sample.TypeOf(s) }

// generate is sample.Value: a value generated from the schema, its
// objects *sample.Object (their keys in the document's order).
func generate(r *openapi3.SchemaRef) any { return sample.Value(r) }

// jsonMedia returns a content's JSON media type, if it has one.
func jsonMedia(c openapi3.Content) (string, *openapi3.MediaType) {
	for _, mt := range slices.Sorted(maps.Keys(c)) {
		if isJSON(mt) {
			return mt, c[mt]
		}
	}
	return "", nil
}

// isJSON says whether a media type is JSON (application/json, *+json).
func isJSON(mt string) bool { return profile.IsJSONMediaType(mt) }

// body answers a response: its JSON example (how is ByExample), else data
// generated from its schema (BySchema). ok is false when the response has
// no JSON content.
func body(resp *openapi3.Response) (raw json.RawMessage, how string, ok bool) {
	if resp == nil {
		return nil, "", false
	}
	_, media := jsonMedia(resp.Content)
	if media == nil {
		return nil, "", false
	}
	if v, found := mediaExample(media); found {
		if b, err := json.Marshal(v); err == nil && len(b) <= maxBodySize {
			return b, ByExample, true
		}
	}
	b, err := json.Marshal(generate(media.Schema))
	if err != nil || len(b) > maxBodySize {
		return json.RawMessage(`{}`), BySchema, true
	}
	return b, BySchema, true
}

// mediaExample is a media type's example, or the first of its examples by
// name.
func mediaExample(m *openapi3.MediaType) (any, bool) {
	if m.Example != nil {
		return m.Example, true
	}
	for _, name := range slices.Sorted(maps.Keys(m.Examples)) {
		if ex := m.Examples[name]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
			return ex.Value.Value, true
		}
	}
	return nil, false
}
