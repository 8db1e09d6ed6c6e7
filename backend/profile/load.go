package profile

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/oasdiff/yaml"
)

//go:embed builtin/*.yaml
var builtinFS embed.FS

// builtinIDs is the fixed order in which the built-in APIs are listed and
// started: the order of the vendor seeds.
var builtinIDs = []string{"juleb", "journeybee", "jelou", "eudr"}

// BuiltinIDs returns the ids of the built-in profiles in their fixed order.
func BuiltinIDs() []string { return slices.Clone(builtinIDs) }

// Builtins parses and validates the embedded profiles, in BuiltinIDs order.
// Every call returns fresh values, so a caller may modify them. An error
// names the embedded file.
func Builtins() ([]*Profile, error) {
	out := make([]*Profile, 0, len(builtinIDs))
	for _, id := range builtinIDs {
		name := "builtin/" + id + ".yaml"
		data, err := builtinFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("profile %q: %w", name, err)
		}
		p, err := Parse(data, name)
		if err != nil {
			return nil, err
		}
		if p.ID != id {
			return nil, fmt.Errorf("profile %q: id: must be %q (got %q)", name, id, p.ID)
		}
		out = append(out, p)
	}
	return out, nil
}

// LoadFile reads and parses a user's profile file (YAML or JSON). Errors name
// the file.
func LoadFile(path string) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("profile %q: %w", path, err)
	}
	return Parse(data, path)
}

// Parse decodes a profile from YAML or JSON and validates it. name (usually
// a file name) labels the errors. A field the format does not know, or a
// value of the wrong JSON type, is refused with its path, so a misspelt field
// is never silently ignored.
//
// Parse fills two defaults before validating: an empty permissions.model is
// "none" and an empty tenancy.kind is "none".
func Parse(data []byte, name string) (*Profile, error) {
	js, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, fmt.Errorf("profile %q: not valid YAML or JSON: %w", name, err)
	}
	js = bytes.TrimSpace(js)
	if len(js) == 0 || string(js) == "null" {
		return nil, fmt.Errorf("profile %q: the file is empty", name)
	}

	// A generic pass first: it names every unknown field and wrong type with
	// its full path, which encoding/json's errors do not.
	var generic any
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	if err := dec.Decode(&generic); err != nil {
		return nil, fmt.Errorf("profile %q: not valid YAML or JSON: %w", name, err)
	}
	var shape []FieldError
	checkShape(reflect.TypeFor[Profile](), generic, "", &shape)
	if len(shape) > 0 {
		return nil, &ValidationError{Source: name, ID: idOf(generic), Problems: append(shape, laterProblems(js, shape)...)}
	}

	var p Profile
	dec = json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("profile %q: %w", name, decodeError(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("profile %q: unexpected data after the profile", name)
	}
	p.applyDefaults()
	if err := p.Validate(); err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			ve.Source = name
		}
		return nil, err
	}
	return &p, nil
}

// laterProblems are the validation problems of a profile refused for its
// shape, so that one answer names them all rather than the unknown fields
// first and the rest on the next try. The profile is read without the
// fields the format does not know; a value of the wrong type stops it
// (its problem is in shape already), and a problem shape already names for
// a field is not repeated.
func laterProblems(js []byte, shape []FieldError) []FieldError {
	var p Profile
	if err := json.Unmarshal(js, &p); err != nil {
		return nil
	}
	p.applyDefaults()
	var ve *ValidationError
	if !errors.As(p.Validate(), &ve) {
		return nil
	}
	var out []FieldError
	for _, pr := range ve.Problems {
		if !slices.ContainsFunc(shape, func(s FieldError) bool { return s.Path == pr.Path }) {
			out = append(out, pr)
		}
	}
	return out
}

// applyDefaults fills the optional enumerations whose absence has an
// obvious meaning.
func (p *Profile) applyDefaults() {
	if p.Permissions.Model == "" {
		p.Permissions.Model = PermNone
	}
	if p.Tenancy.Kind == "" {
		p.Tenancy.Kind = TenancyNone
	}
}

func idOf(v any) string {
	if m, ok := v.(map[string]any); ok {
		if s, ok := m["id"].(string); ok {
			return s
		}
	}
	return ""
}

// decodeError rewrites encoding/json's errors, which checkShape should have
// pre-empted, into the field-path form.
func decodeError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("%s: cannot hold %s", te.Field, te.Value)
	}
	return err
}

var rawMessageType = reflect.TypeFor[json.RawMessage]()

// checkShape walks a generic JSON value against the Go type it will decode
// into and records unknown fields and JSON type mismatches with their path.
// Field names match exactly (encoding/json would also accept "BasePath").
func checkShape(t reflect.Type, v any, path string, out *[]FieldError) {
	if t == rawMessageType || v == nil {
		return // any JSON value; null leaves the zero value
	}
	bad := func(want string) {
		*out = append(*out, FieldError{Path: path, Msg: "must be " + want + " (got " + describe(v) + yamlHint(want, v) + ")"})
	}
	switch t.Kind() {
	case reflect.Pointer:
		checkShape(t.Elem(), v, path, out)
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			bad("an object")
			return
		}
		fields := jsonFields(t)
		for _, k := range sortedKeys(m) {
			f, ok := fields[k]
			if !ok {
				*out = append(*out, FieldError{Path: join(path, k), Msg: "unknown field" + suggest(k, fields)})
				continue
			}
			checkShape(f, m[k], join(path, k), out)
		}
	case reflect.Slice:
		a, ok := v.([]any)
		if !ok {
			bad("a list")
			return
		}
		for i, e := range a {
			checkShape(t.Elem(), e, path+"["+strconv.Itoa(i)+"]", out)
		}
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			bad("an object")
			return
		}
		for _, k := range sortedKeys(m) {
			checkShape(t.Elem(), m[k], join(path, k), out)
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			bad("a string")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			bad("true or false")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := v.(json.Number)
		if !ok {
			bad("an integer")
			return
		}
		if _, err := strconv.ParseInt(n.String(), 10, t.Bits()); err != nil {
			bad("an integer")
		}
	case reflect.Float32, reflect.Float64:
		if _, ok := v.(json.Number); !ok {
			bad("a number")
		}
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// jsonFields maps the JSON names of t's exported fields to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := make(map[string]reflect.Type, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// suggest proposes the known field a misspelt one most likely meant.
func suggest(k string, fields map[string]reflect.Type) string {
	best, bestDist := "", 3
	for name := range fields {
		if strings.EqualFold(name, k) {
			return fmt.Sprintf(" (did you mean %q?)", name)
		}
		if d := editDistance(strings.ToLower(k), strings.ToLower(name)); d < bestDist || d == bestDist && best != "" && name < best {
			best, bestDist = name, d
		}
	}
	if best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	return " (known fields: " + strings.Join(names, ", ") + ")"
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func describe(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case json.Number:
		return "number " + x.String()
	case bool:
		return "boolean " + strconv.FormatBool(x)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// yamlHint explains YAML's implicit typing, the usual cause of a number or
// a boolean where a string belongs (hsCode: 0901, enum: [yes, no]).
func yamlHint(want string, v any) string {
	if want != "a string" {
		return ""
	}
	switch v.(type) {
	case bool, json.Number:
		return "; quote it in YAML"
	}
	return ""
}
