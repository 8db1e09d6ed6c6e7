// Package sample generates JSON values that fit an OpenAPI schema, the
// same on every run: the importer answers documented operations with them
// and the engine seeds object and array fields with them. It also holds
// the reading of a schema both need: an object's merged properties in the
// document's order, and a schema's JSON type.
package sample

import (
	"cmp"
	"encoding/json"
	"maps"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Limits on generated data: circular schemas stop at MaxDepth, and a value
// stops growing at maxNodes values (later properties are left out).
const (
	MaxDepth = 6
	maxNodes = 2000
)

// Shape is an object schema with its allOf merged: its properties in the
// document's order and which are required.
type Shape struct {
	Names    []string
	Props    map[string]*openapi3.SchemaRef
	Required map[string]bool
}

// Flatten returns the object a schema describes, merging allOf and taking
// the first object alternative of oneOf and anyOf; nil when it is not an
// object with properties.
func Flatten(r *openapi3.SchemaRef) *Shape {
	sh := &Shape{Props: map[string]*openapi3.SchemaRef{}, Required: map[string]bool{}}
	sh.merge(r, map[*openapi3.Schema]bool{})
	if len(sh.Names) == 0 {
		return nil
	}
	return sh
}

func (sh *Shape) merge(r *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) {
	if r == nil || r.Value == nil || seen[r.Value] {
		return
	}
	s := r.Value
	seen[s] = true
	if t := TypeOf(s); t != "" && t != "object" {
		return
	}
	for _, sub := range s.AllOf {
		sh.merge(sub, seen)
	}
	for _, name := range OrderedKeys(s.Properties, SchemaOrigin) {
		prev, dup := sh.Props[name]
		if !dup {
			sh.Names = append(sh.Names, name)
		}
		if dup && fixed(prev) && !fixed(s.Properties[name]) {
			// allOf: a value must fit both; the part that fixes it (Figma's
			// CanvasNode type: CANVAS over IsLayerTrait's any string) wins.
			continue
		}
		sh.Props[name] = s.Properties[name]
	}
	for _, name := range s.Required {
		sh.Required[name] = true
	}
	if len(s.Properties) == 0 && len(s.AllOf) == 0 {
		for _, alts := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
			for _, alt := range alts {
				if Flatten(alt) != nil {
					sh.merge(alt, seen)
					return
				}
			}
		}
	}
}

// fixed says a schema fixes its value: an enum or a const.
func fixed(r *openapi3.SchemaRef) bool {
	return r != nil && r.Value != nil && (len(r.Value.Enum) > 0 || r.Value.Const != nil)
}

// TypeOf is a schema's JSON type: its first type but "null", else what its
// keywords imply; "" when nothing says.
func TypeOf(s *openapi3.Schema) string {
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
				if t := TypeOf(sub.Value); t != "" {
					return t
				}
			}
		}
	}
	return ""
}

// Object is a JSON object that keeps its keys' order when marshalled.
type Object struct {
	keys []string
	vals map[string]any
}

// NewObject returns an empty Object.
func NewObject() *Object { return &Object{vals: map[string]any{}} }

// Set adds k (at the end) or replaces its value (in place).
func (o *Object) Set(k string, v any) {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

// Get is the value of k, nil when it has none.
func (o *Object) Get(k string) any { return o.vals[k] }

// Keys are the object's keys in order.
func (o *Object) Keys() []string { return o.keys }

// MarshalJSON writes the keys in order.
func (o *Object) MarshalJSON() ([]byte, error) { return AppendJSON(nil, o) }

// Ordered is a JSON object that keeps its keys' order: Object, or another
// package's own, which AppendJSON writes in the same pass as its parent.
type Ordered interface {
	Keys() []string
	Get(k string) any
}

// AppendJSON appends v to b as json.Marshal writes it, walking Ordered
// objects and []any itself. json.Marshal re-reads (compacts) what each
// nested MarshalJSON returns, so a value nested d deep was read d times:
// a field's schema, 12 levels deep, took most of a large import.
func AppendJSON(b []byte, v any) ([]byte, error) {
	var err error
	switch x := v.(type) {
	case Ordered:
		if rv := reflect.ValueOf(x); rv.Kind() == reflect.Pointer && rv.IsNil() {
			return append(b, "null"...), nil
		}
		b = append(b, '{')
		for i, k := range x.Keys() {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendMarshal(b, k); err != nil {
				return nil, err
			}
			b = append(b, ':')
			if b, err = AppendJSON(b, x.Get(k)); err != nil {
				return nil, err
			}
		}
		return append(b, '}'), nil
	case []any:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = AppendJSON(b, e); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	}
	return appendMarshal(b, v)
}

func appendMarshal(b []byte, v any) ([]byte, error) {
	m, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, m...), nil
}

// CutExtension marks a schema that stands where a circular schema was cut
// (a profile field's schema cannot hold itself): its value is the
// recursion's end, so a generator leaves an optional property holding it
// out and gives an array of it no items, rather than an object missing the
// properties the real schema requires.
const CutExtension = "x-mockgate-circular"

// generator makes a value that fits a schema, the same every time: the
// schema's own const, example or default where it has one, else the first
// enum value, else a value of its type, format and bounds.
type generator struct {
	nodes int
	stack map[*openapi3.Schema]int
	// request makes a body a client sends: readOnly properties left out,
	// writeOnly ones in (an answer is the other way round).
	request bool
	// required is above 0 while a required property is generated past
	// MaxDepth.
	required int
}

// composite says whether a schema's value holds other values (where
// circular schemas and depth stop).
func composite(s *openapi3.Schema) bool {
	t := TypeOf(s)
	return t == openapi3.TypeObject || t == openapi3.TypeArray || len(s.AllOf)+len(s.OneOf)+len(s.AnyOf) > 0 || len(s.Properties) > 0
}

// Value generates a value that fits the schema r, as an answer holds it
// (no writeOnly property); nil where a circular schema stops it.
func Value(r *openapi3.SchemaRef) any {
	g := &generator{stack: map[*openapi3.Schema]int{}}
	return g.value(r, 0)
}

// RequestValue generates a value that fits the schema r as a request body
// holds it: no readOnly property.
func RequestValue(r *openapi3.SchemaRef) any {
	g := &generator{stack: map[*openapi3.Schema]int{}, request: true}
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
	case s.Example != nil && fits(s, s.Example):
		return s.Example
	case len(s.Examples) > 0 && s.Examples[0] != nil:
		return s.Examples[0]
	case s.Default != nil:
		return s.Default
	case len(s.Enum) > 0:
		return s.Enum[0]
	}
	if g.stack[s] > 1 || s.Extensions[CutExtension] != nil {
		return nil // a circular schema: stop here
	}
	if depth > MaxDepth && g.required == 0 && composite(s) {
		return nil // deep enough: an optional property is left out
	}
	g.stack[s]++
	defer func() { g.stack[s]-- }()
	if len(s.AllOf) > 0 || len(s.Properties) > 0 || TypeOf(s) == openapi3.TypeObject {
		return g.object(r, depth)
	}
	for _, alts := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
		if len(alts) > 0 {
			v := g.value(alts[0], depth+1)
			if obj, ok := v.(*Object); ok && s.Discriminator != nil && s.Discriminator.PropertyName != "" {
				obj.Set(s.Discriminator.PropertyName, discriminatorValue(s.Discriminator, alts[0], obj.Get(s.Discriminator.PropertyName)))
			}
			return v
		}
	}
	switch TypeOf(s) {
	case openapi3.TypeArray:
		if s.Items == nil || depth >= MaxDepth || g.nodes > maxNodes {
			return []any{}
		}
		n := max(1, min(int(s.MinItems), 3))
		if s.MaxItems != nil {
			n = min(n, int(*s.MaxItems))
		}
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

// discriminatorValue is the discriminator's value that names alt: its key
// in the mapping, else what was generated (alt's own enum or const), else
// alt's schema name.
func discriminatorValue(d *openapi3.Discriminator, alt *openapi3.SchemaRef, generated any) any {
	for _, k := range slices.Sorted(maps.Keys(d.Mapping)) {
		if alt.Ref != "" && d.Mapping[k].Ref == alt.Ref {
			return k
		}
	}
	if i := strings.LastIndex(alt.Ref, "/"); generated == nil && i >= 0 {
		return alt.Ref[i+1:]
	}
	return generated
}

// fits says whether a scalar example fits its own schema (vendors' do
// not always: Asana's date-time example of a date); an object or array
// example is taken as it is.
func fits(s *openapi3.Schema, ex any) bool {
	switch ex.(type) {
	case string, float64, bool:
		return s.VisitJSON(ex) == nil
	}
	return true
}

// object generates every property (only the required ones below depth 3 or
// past maxNodes), in the document's order.
func (g *generator) object(r *openapi3.SchemaRef, depth int) any {
	sh := Flatten(r)
	out := NewObject()
	if sh == nil {
		if ap := r.Value.AdditionalProperties.Schema; ap != nil && depth < MaxDepth {
			out.Set("key", g.value(ap, depth+1))
		}
		return out
	}
	for _, name := range sh.Names {
		if !sh.Required[name] && (depth >= 3 || g.nodes > maxNodes) {
			continue
		}
		p := sh.Props[name]
		if p != nil && p.Value != nil && (p.Value.WriteOnly && !g.request || p.Value.ReadOnly && g.request) {
			continue
		}
		v := g.value(p, depth+1)
		if v == nil && sh.Required[name] && p != nil && p.Value != nil && !p.Value.Nullable && !p.Value.Type.IncludesNull() {
			// past MaxDepth a required property still gets a value (only
			// required ones are followed there, and the stack stops cycles)
			g.required++
			v = g.value(p, depth+1)
			g.required--
		}
		if v == nil && !sh.Required[name] {
			continue
		}
		out.Set(name, v)
	}
	for _, name := range slices.Sorted(maps.Keys(sh.Required)) {
		if _, described := sh.Props[name]; !described {
			out.Set(name, "string") // required without a schema (a vendor's slip): any value
		}
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
	if s.Pattern != "" {
		if re, err := regexp.Compile(s.Pattern); err == nil && !re.MatchString(v) {
			// a pattern's literal start ("^/v1/accounts", Stripe's list
			// urls) usually matches where "string" does not
			if lit := literalPrefix(s.Pattern); re.MatchString(lit) {
				return lit
			}
		}
	}
	if n := int(s.MinLength); len(v) < n {
		v += strings.Repeat("x", min(n, 1024)-len(v))
	}
	if s.MaxLength != nil && uint64(len(v)) > *s.MaxLength && !slices.Contains([]string{"date-time", "date", "uuid", "email"}, s.Format) {
		v = v[:*s.MaxLength]
	}
	return v
}

// literalPrefix is the literal text a pattern anchored with ^ starts with.
func literalPrefix(pattern string) string {
	rest, anchored := strings.CutPrefix(pattern, "^")
	if !anchored {
		return ""
	}
	var b strings.Builder
	for i := 0; i < len(rest); i++ {
		ch := rest[i]
		if ch == '\\' && i+1 < len(rest) && strings.IndexByte(`/.-_`, rest[i+1]) >= 0 {
			b.WriteByte(rest[i+1])
			i++
			continue
		}
		if strings.HasPrefix(rest[i:], "[^/]+") { // one path segment
			b.WriteString("x")
			i += len("[^/]+") - 1
			continue
		}
		if strings.IndexByte(`\.[]()*+?{}|^$`, ch) >= 0 {
			break
		}
		b.WriteByte(ch)
	}
	return b.String()
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

// The parser keeps paths, properties and schemes in Go maps; the loader's
// origins (file, line, column) give back the document's order, so what is
// made from a document reads in the order its author wrote, and the same
// every time. A schema parsed from plain JSON has no origins: its keys
// come by name.

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

// OrderedKeys returns m's keys in document order: by the position origin
// gives each value, those without one last, ties by name.
func OrderedKeys[V any](m map[string]V, origin func(V) *openapi3.Origin) []string {
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

// SchemaOrigin is where a property is written: its $ref, else its schema.
func SchemaOrigin(r *openapi3.SchemaRef) *openapi3.Origin {
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
