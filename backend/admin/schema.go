package admin

import (
	"encoding/json"
	"reflect"
	"strings"
	"time"
)

// schemas turns the Go types the admin handlers read and write into JSON
// Schemas (OpenAPI 3.1), by encoding/json's own rules: a field's JSON
// name, omitempty (not required), "-" (absent), embedded structs (their
// fields promoted), nil slices, maps and pointers (null). The document is
// derived from the very types the handlers encode, so it cannot describe
// a field they do not send; the test that validates real answers against
// it checks the handlers send the type the route says.
type schemas struct {
	// defs are the named answer types, by component name.
	defs map[string]any
	// names maps a named struct type to its component name.
	names map[reflect.Type]string
}

func newSchemas() *schemas {
	return &schemas{defs: map[string]any{}, names: map[reflect.Type]string{}}
}

var (
	timeType = reflect.TypeFor[time.Time]()
	rawType  = reflect.TypeFor[json.RawMessage]()
)

// answer is the schema of an answer of v's type: named structs become
// components (#/components/schemas/Name) and every property the encoder
// always writes is required.
func (g *schemas) answer(v any) any { return g.of(reflect.TypeOf(v), true) }

// input is the schema of a request body of v's type: inline, with no
// property required (the handlers name a missing field themselves, in the
// error envelope) and none unknown (they refuse unknown fields).
func (g *schemas) input(v any) any { return g.of(reflect.TypeOf(v), false) }

func (g *schemas) of(t reflect.Type, answer bool) any {
	switch {
	case t == timeType:
		return obj{"type": "string", "format": "date-time"}
	case t == rawType:
		return obj{} // any JSON value
	}
	switch t.Kind() {
	case reflect.Pointer:
		return nullable(g.of(t.Elem(), answer))
	case reflect.Bool:
		return obj{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return obj{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return obj{"type": "number"}
	case reflect.String:
		return obj{"type": "string"}
	case reflect.Slice, reflect.Array:
		s := obj{"type": "array", "items": g.of(t.Elem(), answer)}
		if t.Kind() == reflect.Slice {
			s["type"] = []string{"array", "null"}
		}
		return s
	case reflect.Map:
		return obj{"type": []string{"object", "null"}, "additionalProperties": g.of(t.Elem(), answer)}
	case reflect.Struct:
		if !answer || t.Name() == "" {
			return g.object(t, answer)
		}
		name, ok := g.names[t]
		if !ok {
			name = g.componentName(t)
			g.names[t] = name
			g.defs[name] = obj{} // a placeholder while the fields are described
			g.defs[name] = g.object(t, answer)
		}
		return obj{"$ref": "#/components/schemas/" + name}
	}
	return obj{} // interfaces: any JSON value
}

// componentName is the type's name, after its package's for a type of
// another package (ClockStatus, JournalEntry), unless the name already
// says it (Profile, Integration).
func (g *schemas) componentName(t reflect.Type) string {
	pkg := t.PkgPath()
	pkg = pkg[strings.LastIndexByte(pkg, '/')+1:]
	name := t.Name()
	if pkg == "admin" || strings.HasPrefix(strings.ToLower(pkg), strings.ToLower(name)) {
		return name
	}
	return strings.ToUpper(pkg[:1]) + pkg[1:] + name
}

// object describes a struct's JSON object.
func (g *schemas) object(t reflect.Type, answer bool) obj {
	props := obj{}
	var required []string
	g.fields(t, answer, props, &required)
	s := obj{"type": "object", "properties": props, "additionalProperties": false}
	if answer && len(required) > 0 {
		s["required"] = required
	}
	return s
}

// fields adds t's JSON fields to props, promoting embedded structs' fields
// as encoding/json does.
func (g *schemas) fields(t reflect.Type, answer bool, props obj, required *[]string) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				g.fields(ft, answer, props, required)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = g.of(f.Type, answer)
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			*required = append(*required, name)
		}
	}
}

// nullable lets s be null too.
func nullable(s any) any {
	if m, ok := s.(obj); ok {
		if typ, ok := m["type"].(string); ok {
			c := obj{}
			for k, v := range m {
				c[k] = v
			}
			c["type"] = []string{typ, "null"}
			return c
		}
		if _, ok := m["type"]; ok {
			return m // already a list of types, with null
		}
		if len(m) == 0 {
			return m // any JSON value, null included
		}
	}
	return obj{"anyOf": []any{s, obj{"type": "null"}}}
}

// obj is a JSON object of the document (encoding/json sorts its keys, so
// the same routes give the same bytes).
type obj = map[string]any
