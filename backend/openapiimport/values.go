package openapiimport

import (
	"bytes"
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"mockgate/backend/profile"
)

// Limits on generated data: circular schemas stop at maxDepth, and a body
// stops growing at maxNodes values (later properties are left out).
const (
	maxDepth    = 6
	maxNodes    = 2000
	maxBodySize = 256 << 10
)

// objectShape is an object schema with its allOf merged: its properties
// in the document's order and which are required.
type objectShape struct {
	names    []string
	props    map[string]*openapi3.SchemaRef
	required map[string]bool
}

// flatten returns the object a schema describes, merging allOf and taking
// the first object alternative of oneOf and anyOf; nil when it is not an
// object with properties.
func flatten(r *openapi3.SchemaRef) *objectShape {
	sh := &objectShape{props: map[string]*openapi3.SchemaRef{}, required: map[string]bool{}}
	sh.merge(r, map[*openapi3.Schema]bool{})
	if len(sh.names) == 0 {
		return nil
	}
	return sh
}

func (sh *objectShape) merge(r *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) {
	if r == nil || r.Value == nil || seen[r.Value] {
		return
	}
	s := r.Value
	seen[s] = true
	if t := typeOf(s); t != "" && t != "object" {
		return
	}
	for _, sub := range s.AllOf {
		sh.merge(sub, seen)
	}
	for _, name := range orderedKeys(s.Properties, schemaOrigin) {
		if _, dup := sh.props[name]; !dup {
			sh.names = append(sh.names, name)
		}
		sh.props[name] = s.Properties[name]
	}
	for _, name := range s.Required {
		sh.required[name] = true
	}
	if len(s.Properties) == 0 && len(s.AllOf) == 0 {
		for _, alts := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
			for _, alt := range alts {
				if flatten(alt) != nil {
					sh.merge(alt, seen)
					return
				}
			}
		}
	}
}

// typeOf is a schema's JSON type: its first type but "null", else what its
// keywords imply; "" when nothing says.
func typeOf(s *openapi3.Schema) string {
	for _, t := range s.Type.Slice() {
		if t != openapi3.TypeNull {
			return t
		}
	}
	switch {
	case len(s.Properties) > 0:
		return openapi3.TypeObject
	case s.Items != nil:
		return openapi3.TypeArray
	case len(s.Enum) > 0:
		switch s.Enum[0].(type) {
		case string:
			return openapi3.TypeString
		case bool:
			return openapi3.TypeBoolean
		case float64:
			return openapi3.TypeNumber
		}
	case len(s.AllOf) > 0:
		for _, sub := range s.AllOf {
			if sub != nil && sub.Value != nil {
				if t := typeOf(sub.Value); t != "" {
					return t
				}
			}
		}
	}
	return ""
}

// ordered is a JSON object that keeps its keys' order when marshalled.
type ordered struct {
	keys []string
	vals map[string]any
}

func newOrdered() *ordered { return &ordered{vals: map[string]any{}} }

func (o *ordered) set(k string, v any) {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

// MarshalJSON writes the keys in order.
func (o *ordered) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		vb, err := json.Marshal(o.vals[k])
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// generator makes a value that fits a schema, the same every time: the
// schema's own const, example or default where it has one, else the first
// enum value, else a value of its type, format and bounds.
type generator struct {
	nodes int
	stack map[*openapi3.Schema]int
}

func generate(r *openapi3.SchemaRef) any {
	g := &generator{stack: map[*openapi3.Schema]int{}}
	return g.value(r, 0)
}

func (g *generator) value(r *openapi3.SchemaRef, depth int) any {
	g.nodes++
	if r == nil || r.Value == nil {
		return nil
	}
	s := r.Value
	switch {
	case s.Const != nil:
		return s.Const
	case s.Example != nil:
		return s.Example
	case len(s.Examples) > 0 && s.Examples[0] != nil:
		return s.Examples[0]
	case s.Default != nil:
		return s.Default
	case len(s.Enum) > 0:
		return s.Enum[0]
	}
	if g.stack[s] > 1 || depth > maxDepth {
		return nil // a circular schema: stop here
	}
	g.stack[s]++
	defer func() { g.stack[s]-- }()
	if len(s.AllOf) > 0 || len(s.Properties) > 0 || typeOf(s) == openapi3.TypeObject {
		return g.object(r, depth)
	}
	for _, alts := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
		if len(alts) > 0 {
			return g.value(alts[0], depth+1)
		}
	}
	switch typeOf(s) {
	case openapi3.TypeArray:
		if s.Items == nil || depth >= maxDepth || g.nodes > maxNodes {
			return []any{}
		}
		n := max(1, min(int(s.MinItems), 3))
		out := make([]any, 0, n)
		for range n {
			v := g.value(s.Items, depth+1)
			if v == nil { // a circular item stops the list
				return []any{}
			}
			out = append(out, v)
		}
		return out
	case openapi3.TypeString:
		return stringValue(s)
	case openapi3.TypeInteger:
		return math.Trunc(numberValue(s, 1))
	case openapi3.TypeNumber:
		return numberValue(s, 1.5)
	case openapi3.TypeBoolean:
		return true
	case "":
		if s.Type.IncludesNull() || s.Nullable {
			return nil
		}
		return "value"
	}
	return nil
}

// object generates every property (only the required ones below depth 3 or
// past maxNodes), in the document's order.
func (g *generator) object(r *openapi3.SchemaRef, depth int) any {
	sh := flatten(r)
	out := newOrdered()
	if sh == nil {
		if ap := r.Value.AdditionalProperties.Schema; ap != nil && depth < maxDepth {
			out.set("key", g.value(ap, depth+1))
		}
		return out
	}
	for _, name := range sh.names {
		if !sh.required[name] && (depth >= 3 || g.nodes > maxNodes) {
			continue
		}
		p := sh.props[name]
		if p != nil && p.Value != nil && p.Value.WriteOnly {
			continue
		}
		v := g.value(p, depth+1)
		if v == nil && !sh.required[name] {
			continue
		}
		out.set(name, v)
	}
	return out
}

// stringValue fits a string's format, then its length bounds.
func stringValue(s *openapi3.Schema) string {
	v := map[string]string{
		"date-time": "2025-01-01T08:00:00Z", "date": "2025-01-01", "time": "08:00:00",
		"email": "user@example.com", "uri": "https://example.com/", "url": "https://example.com/",
		"uuid": "3f6c2b1e-8d4a-4c7e-9b2f-1a5d6e7f8091", "hostname": "example.com", "ipv4": "192.0.2.1",
		"ipv6": "2001:db8::1", "byte": "bW9ja2dhdGU=", "binary": "", "password": "secret-password",
	}[s.Format]
	if v == "" && s.Format != "binary" {
		v = "string"
	}
	if n := int(s.MinLength); len(v) < n {
		v += strings.Repeat("x", min(n, 1024)-len(v))
	}
	if s.MaxLength != nil && uint64(len(v)) > *s.MaxLength && !slices.Contains([]string{"date-time", "date", "uuid", "email"}, s.Format) {
		v = v[:*s.MaxLength]
	}
	return v
}

// numberValue is want moved inside the schema's bounds.
func numberValue(s *openapi3.Schema, want float64) float64 {
	v := want
	if s.Min != nil {
		lo := *s.Min
		if s.ExclusiveMin.IsTrue() {
			lo++
		}
		v = math.Max(v, lo)
	}
	if s.ExclusiveMin.Value != nil {
		v = math.Max(v, *s.ExclusiveMin.Value+1)
	}
	if s.Max != nil {
		hi := *s.Max
		if s.ExclusiveMax.IsTrue() {
			hi--
		}
		v = math.Min(v, hi)
	}
	if s.ExclusiveMax.Value != nil {
		v = math.Min(v, *s.ExclusiveMax.Value-1)
	}
	if m := s.MultipleOf; m != nil && *m > 0 {
		v = math.Ceil(v / *m) * *m
	}
	return v
}

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
