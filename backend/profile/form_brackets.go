package profile

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// decodeBrackets decodes the forms kin-openapi's decoder refuses: those
// whose schema nests objects in arrays (Stripe's tax_id_data[0][type]=vat,
// tiers[1][up_to]=inf). Every key is a path of bracketed segments
// ("a[b][0][c]", "a[]"); the schema at the path types its value (an
// integer, a number, a boolean, or the string as sent), trying each
// alternative of an anyOf or oneOf; a repeated key or "a[]" is an array.
func decodeBrackets(data []byte, schema *openapi3.SchemaRef) (map[string]any, error) {
	values, err := url.ParseQuery(string(data))
	if err != nil {
		return nil, err
	}
	root := map[string]any{}
	for _, key := range slices.Sorted(func(yield func(string) bool) {
		for k := range values {
			if !yield(k) {
				return
			}
		}
	}) {
		path, err := keyPath(key)
		if err != nil {
			return nil, err
		}
		node := root
		s := schema
		for i, seg := range path[:len(path)-1] {
			s = subSchema(s, seg)
			next, ok := node[seg].(map[string]any)
			if !ok {
				if _, taken := node[seg]; taken {
					return nil, fmt.Errorf("form key %q: %q is both a value and an object", key, strings.Join(path[:i+1], "."))
				}
				next = map[string]any{}
				node[seg] = next
			}
			node = next
		}
		last := path[len(path)-1]
		s = subSchema(s, last)
		vs := values[key]
		switch {
		case last == "": // a[]=x: set below, as the parent's array
		case len(vs) > 1 || isArray(s): // a=x&a=y
			items := make([]any, len(vs))
			for i, v := range vs {
				items[i] = formScalar(v, subSchema(s, "0"))
			}
			node[last] = items
		default:
			node[last] = formScalar(vs[0], s)
		}
	}
	// "a[]=x" keys: put their values as the parent's array.
	for key, vs := range values {
		if strings.HasSuffix(key, "[]") {
			path, _ := keyPath(strings.TrimSuffix(key, "[]"))
			setPath(root, path, vs, schema)
		}
	}
	return arrays(root, schema).(map[string]any), nil
}

// keyPath splits "a[b][0]" into ["a", "b", "0"].
func keyPath(key string) ([]string, error) {
	name, rest, _ := strings.Cut(key, "[")
	path := []string{name}
	for rest != "" {
		seg, after, ok := strings.Cut(rest, "]")
		if !ok {
			return nil, fmt.Errorf("form key %q: a [ without its ]", key)
		}
		path = append(path, seg)
		rest = strings.TrimPrefix(after, "[")
	}
	return path, nil
}

// setPath sets the array of vs at path under root.
func setPath(root map[string]any, path []string, vs []string, schema *openapi3.SchemaRef) {
	node, s := root, schema
	for _, seg := range path[:len(path)-1] {
		s = subSchema(s, seg)
		next, ok := node[seg].(map[string]any)
		if !ok {
			next = map[string]any{}
			node[seg] = next
		}
		node = next
	}
	s = subSchema(s, path[len(path)-1])
	items := make([]any, len(vs))
	for i, v := range vs {
		items[i] = formScalar(v, subSchema(s, "0"))
	}
	node[path[len(path)-1]] = items
}

// arrays turns the objects whose keys are all indexes ("0", "1") into
// arrays, in index order, where the schema says array or gives no type.
func arrays(v any, s *openapi3.SchemaRef) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	idx := make([]int, 0, len(m))
	for k, e := range m {
		m[k] = arrays(e, subSchema(s, k))
		if n, err := strconv.Atoi(k); err == nil && n >= 0 {
			idx = append(idx, n)
		}
	}
	if len(m) == 0 || len(idx) != len(m) || (s != nil && !isArray(s) && typed(s)) {
		return m
	}
	slices.Sort(idx)
	out := make([]any, len(idx))
	for i, n := range idx {
		out[i] = m[strconv.Itoa(n)]
	}
	return out
}

// alternatives are s and, when it has them, its anyOf, oneOf and allOf
// schemas.
func alternatives(s *openapi3.SchemaRef) []*openapi3.Schema {
	if s == nil || s.Value == nil {
		return nil
	}
	out := []*openapi3.Schema{s.Value}
	for _, list := range []openapi3.SchemaRefs{s.Value.AnyOf, s.Value.OneOf, s.Value.AllOf} {
		for _, a := range list {
			if a != nil && a.Value != nil {
				out = append(out, a.Value)
			}
		}
	}
	return out
}

// subSchema is the schema of the member key of a value of schema s: a
// property, the additional properties, or the items; nil when unknown.
func subSchema(s *openapi3.SchemaRef, key string) *openapi3.SchemaRef {
	for _, a := range alternatives(s) {
		if p := a.Properties[key]; p != nil {
			return p
		}
		if a.Items != nil && (a.Type.Is("array") || key == "0") {
			if _, err := strconv.Atoi(key); err == nil {
				return a.Items
			}
		}
		if ap := a.AdditionalProperties.Schema; ap != nil {
			return ap
		}
	}
	return nil
}

func isArray(s *openapi3.SchemaRef) bool {
	for _, a := range alternatives(s) {
		if a.Type.Is("array") {
			return true
		}
	}
	return false
}

func typed(s *openapi3.SchemaRef) bool {
	for _, a := range alternatives(s) {
		if a.Type != nil && len(*a.Type) > 0 {
			return true
		}
	}
	return false
}

// formScalar types a form value by its schema: a string where the schema
// says string, else the first alternative it parses as (integer, number,
// boolean), else the string as sent.
func formScalar(v string, s *openapi3.SchemaRef) any {
	if s != nil && s.Value != nil && s.Value.Type.Is("string") {
		return v
	}
	for _, a := range alternatives(s) {
		switch {
		case a.Type.Is("integer"):
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				return n
			}
		case a.Type.Is("number"):
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				return f
			}
		case a.Type.Is("boolean"):
			if b, err := strconv.ParseBool(v); err == nil {
				return b
			}
		}
	}
	return v
}
