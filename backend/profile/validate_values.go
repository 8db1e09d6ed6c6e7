package profile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"

	"mockgate/backend/sample"
)

// MaxSchemaSize bounds a field's schema: it is checked on every write.
const MaxSchemaSize = 64 << 10

// enum checks that a field's enum values are distinct JSON values of its
// type (null is Nullable's to say).
func (c *checker) enum(path string, f *Field) {
	if len(f.Enum) == 0 {
		return
	}
	if f.Holds() {
		c.add(path+".enum", "is not for %s fields: put the enum in schema", f.Type)
		return
	}
	var seen []any
	for k, v := range f.Enum {
		at := fmt.Sprintf("%s.enum[%d]", path, k)
		if v == nil {
			c.add(at, "must not be null: say nullable: true instead")
			continue
		}
		if !enumFits(f.Type, v) {
			want := map[string]string{TypeString: "a string", TypeInteger: "an integer", TypeNumber: "a number", TypeBoolean: "true or false"}[f.Type]
			c.add(at, "must be %s (got %s%s)", want, describe(asJSON(v)), yamlHint(want, asJSON(v)))
			continue
		}
		if slices.ContainsFunc(seen, func(s any) bool { return enumEqual(s, v) || s == v }) {
			c.add(at, "%s is listed twice", jsonText(v))
		}
		seen = append(seen, v)
	}
}

// asJSON is an enum value as the generic decoding of a profile holds it
// (numbers as json.Number), for describe and yamlHint.
func asJSON(v any) any {
	if x, ok := enumNumber(v); ok {
		return json.Number(formatNumber(x))
	}
	return v
}

func enumFits(typ string, v any) bool {
	switch typ {
	case TypeString:
		_, ok := v.(string)
		return ok
	case TypeBoolean:
		_, ok := v.(bool)
		return ok
	case TypeInteger:
		x, ok := enumNumber(v)
		return ok && x == math.Trunc(x)
	case TypeNumber:
		_, ok := enumNumber(v)
		return ok
	}
	return false
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// bounds checks that each bound suits the field's type and that no lower
// bound is over its upper one.
func (c *checker) bounds(path string, f *Field) {
	numeric := f.Type == TypeInteger || f.Type == TypeNumber
	only := func(key, kind string, set, fits bool) {
		if set && !fits {
			c.add(path+"."+key, "is only for %s fields (type is %q)", kind, f.Type)
		}
	}
	only("minimum", "integer and number", f.Minimum != nil, numeric)
	only("maximum", "integer and number", f.Maximum != nil, numeric)
	only("exclusiveMinimum", "integer and number", f.ExclusiveMinimum, numeric && f.Minimum != nil)
	only("exclusiveMaximum", "integer and number", f.ExclusiveMaximum, numeric && f.Maximum != nil)
	only("minLength", "string", f.MinLength != nil, f.Type == TypeString)
	only("maxLength", "string", f.MaxLength != nil, f.Type == TypeString)
	only("minItems", "array", f.MinItems != nil, f.Type == TypeArray)
	only("maxItems", "array", f.MaxItems != nil, f.Type == TypeArray)
	if f.Minimum != nil && f.Maximum != nil && *f.Minimum > *f.Maximum {
		c.add(path+".minimum", "%s is over maximum %s", formatNumber(*f.Minimum), formatNumber(*f.Maximum))
	}
	for _, b := range []struct {
		key    string
		lo, hi *int
	}{{"minLength", f.MinLength, f.MaxLength}, {"minItems", f.MinItems, f.MaxItems}} {
		switch {
		case b.lo != nil && *b.lo < 0:
			c.add(path+"."+b.key, "must not be negative (got %d)", *b.lo)
		case b.hi != nil && *b.hi < 0:
			c.add(path+".max"+b.key[3:], "must not be negative (got %d)", *b.hi)
		case b.lo != nil && b.hi != nil && *b.lo > *b.hi:
			c.add(path+"."+b.key, "%d is over max%s %d", *b.lo, b.key[3:], *b.hi)
		}
	}
}

// schemaKeywords are the keywords a field's schema may use: enough to
// describe a vendor's nested data, small enough to check every write.
var schemaKeywords = []string{
	"type", "properties", "required", "items", "additionalProperties",
	"allOf", "oneOf", "anyOf", "enum", "nullable", "format", "pattern",
	"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
	"minLength", "maxLength", "minItems", "maxItems",
	"readOnly", "writeOnly", "description", "example", "title", "default",
	// where an imported circular schema was cut: seed data stops there
	sample.CutExtension,
}

// valueSchema checks the schema of an object or array field: present,
// small, of the field's type, only the keywords above, and valid.
func (c *checker) valueSchema(path string, f *Field) {
	at := path + ".schema"
	switch {
	case !f.Holds() && len(f.Schema) > 0:
		c.add(at, "is only for object and array fields (type is %q)", f.Type)
		return
	case !f.Holds():
		return
	case len(f.Schema) == 0:
		c.add(at, "is required for %s fields: the JSON Schema of the value", f.Type)
		return
	case len(f.Schema) > MaxSchemaSize:
		c.add(at, "is %d bytes; a field's schema may have at most %d", len(f.Schema), MaxSchemaSize)
		return
	}
	var raw any
	dec := json.NewDecoder(bytes.NewReader(f.Schema))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		c.add(at, "is not valid JSON: %v", err)
		return
	}
	top, ok := raw.(map[string]any)
	if !ok {
		c.add(at, "must be an object (a JSON Schema)")
		return
	}
	if msg := keywordProblem(top, ""); msg != "" {
		c.add(at, "%s", msg)
		return
	}
	if t, ok := top["type"].(string); !ok || t != f.Type {
		c.add(at+".type", "must be %q, the field's type (got %s)", f.Type, jsonText(top["type"]))
		return
	}
	if _, err := f.ValueSchema(); err != nil {
		c.add(at, "is not a valid schema: %v", err)
	}
}

// keywordProblem walks a schema and names the first keyword it may not
// use, with its place; "" when there is none.
func keywordProblem(s map[string]any, at string) string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		place := at + "/" + k
		if !slices.Contains(schemaKeywords, k) {
			if k == "$ref" {
				return fmt.Sprintf("%s: $ref is not resolved here: write the schema it names in its place", place)
			}
			return fmt.Sprintf("%s: unknown keyword %q (a field's schema may use %v)", place, k, schemaKeywords)
		}
		type sub struct {
			place string
			v     any
		}
		var subs []sub
		switch v := s[k].(type) {
		case map[string]any:
			switch k {
			case "properties":
				for _, name := range sortedKeys(v) {
					subs = append(subs, sub{place + "/" + name, v[name]})
				}
			case "items", "additionalProperties":
				subs = append(subs, sub{place, v})
			}
		case []any:
			if k == "allOf" || k == "oneOf" || k == "anyOf" {
				for i, e := range v {
					subs = append(subs, sub{fmt.Sprintf("%s/%d", place, i), e})
				}
			}
		}
		for _, sb := range subs {
			m, ok := sb.v.(map[string]any)
			if !ok {
				return fmt.Sprintf("%s: must be a schema (a JSON object)", sb.place)
			}
			if msg := keywordProblem(m, sb.place); msg != "" {
				return msg
			}
		}
	}
	return ""
}
