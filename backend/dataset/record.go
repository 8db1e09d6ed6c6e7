package dataset

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"mockgate/backend/envelope"
	"mockgate/backend/profile"
)

// ValidationError is a client mistake in a record body; its message names
// the field.
type ValidationError struct{ Msg string }

func (e *ValidationError) Error() string { return e.Msg }

func invalid(format string, args ...any) error {
	return &ValidationError{fmt.Sprintf(format, args...)}
}

// ParseObject decodes a request body that must be one JSON object. Numbers
// stay exact (json.Number).
func ParseObject(body []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		if len(bytes.TrimSpace(body)) == 0 {
			return nil, invalid("request body is empty: expected a JSON object")
		}
		var ute *json.UnmarshalTypeError
		if ok := asType(err, &ute); ok {
			return nil, invalid("request body must be a JSON object, not %s", ute.Value)
		}
		return nil, invalid("malformed JSON: %v", err)
	}
	if obj == nil {
		return nil, invalid("request body must be a JSON object, not null")
	}
	if dec.More() {
		return nil, invalid("malformed JSON: unexpected data after the object")
	}
	return obj, nil
}

func asType(err error, target **json.UnmarshalTypeError) bool {
	e, ok := err.(*json.UnmarshalTypeError)
	if ok {
		*target = e
	}
	return ok
}

// record is a decoded record: field name → value (string, int64, float64,
// bool, json.RawMessage for objects and arrays, or nil for null). A field
// without a value has no key.
type record map[string]any

// checkInput validates a client body against the resource's fields. With
// full (create, PUT) required fields must be present. Read-only fields (id,
// automatic timestamps) are ignored, as APIs do when a client sends back
// what it read; unknown fields are refused, or dropped where the resource
// says so (Resource.UnknownFields), as are then the values a field cannot
// hold.
func checkInput(r *profile.Resource, in map[string]any, full bool) (record, error) {
	out := record{}
	for name, v := range in {
		f := fieldByName(r, name)
		if name == "id" || (f != nil && f.Auto != "") {
			continue
		}
		if f == nil && r.IgnoresUnknown() {
			continue
		}
		if f == nil {
			return nil, invalid("unknown field %q (fields: %s)", name, strings.Join(writableNames(r), ", "))
		}
		val, err := checkValue(r, f, v)
		if _, list := v.([]any); err != nil && r.IgnoresUnknown() && f.Type == profile.TypeArray && !list {
			// "one or a list of them" (Resend's to, cc): the one as a list
			val, err = checkValue(r, f, []any{v})
		}
		if err != nil && r.IgnoresUnknown() {
			continue // the document took it; the record keeps what it can answer
		}
		if err != nil {
			return nil, err
		}
		out[name] = val
	}
	if full {
		for _, f := range r.Fields {
			if _, given := out[f.Name]; f.Required && !given {
				return nil, invalid("field %q is required", f.Name)
			}
		}
	}
	return out, nil
}

// checkValue checks one value of a client's body: null where the field
// takes it, then its type, enum, bounds and format, or, for an object or
// an array, its schema.
func checkValue(r *profile.Resource, f *profile.Field, v any) (any, error) {
	if v == nil {
		switch {
		case f.Nullable:
			return nil, nil
		case f.Required:
			return nil, invalid("field %q is required and cannot be null", f.Name)
		case r.OmitsUnset():
			return nil, invalid("field %q cannot be null (leave it out instead)", f.Name)
		}
		return nil, nil
	}
	var val any
	switch f.Type {
	case profile.TypeString:
		s, ok := v.(string)
		if !ok {
			return nil, invalid("field %q must be a string", f.Name)
		}
		if err := checkFormat(f, s); err != nil {
			return nil, err
		}
		val = s
	case profile.TypeInteger:
		n, ok := v.(json.Number)
		if !ok {
			return nil, invalid("field %q must be an integer", f.Name)
		}
		i, err := strconv.ParseInt(string(n), 10, 64)
		if err != nil {
			return nil, invalid("field %q must be an integer between %d and %d (got %s)", f.Name, int64(math.MinInt64), int64(math.MaxInt64), n)
		}
		val = i
	case profile.TypeNumber:
		n, ok := v.(json.Number)
		if !ok {
			return nil, invalid("field %q must be a number", f.Name)
		}
		x, err := strconv.ParseFloat(string(n), 64)
		if err != nil || math.IsInf(x, 0) {
			return nil, invalid("field %q must be a finite number (got %s)", f.Name, n)
		}
		val = x
	case profile.TypeBoolean:
		b, ok := v.(bool)
		if !ok {
			return nil, invalid("field %q must be true or false", f.Name)
		}
		val = b
	case profile.TypeObject, profile.TypeArray:
		return checkStructured(f, v)
	default:
		return nil, invalid("field %q has an unknown type", f.Name)
	}
	if !f.InEnum(val) {
		return nil, invalid("field %q must be one of %s (got %s)", f.Name, f.EnumText(), jsonValue(v))
	}
	if msg := f.BoundProblem(val); msg != "" {
		return nil, invalid("field %q %s (got %s)", f.Name, msg, jsonValue(v))
	}
	return val, nil
}

// checkStructured checks an object or array value against the field's
// schema and returns it as compact JSON.
func checkStructured(f *profile.Field, v any) (any, error) {
	switch v.(type) {
	case map[string]any:
		if f.Type != profile.TypeObject {
			return nil, invalid("field %q must be an array", f.Name)
		}
	case []any:
		if f.Type != profile.TypeArray {
			return nil, invalid("field %q must be an object", f.Name)
		}
	default:
		return nil, invalid("field %q must be an %s", f.Name, f.Type)
	}
	schema, err := f.ValueSchema()
	if err != nil {
		return nil, fmt.Errorf("field %q: %w", f.Name, err) // validated profiles never fail here
	}
	if err := schema.VisitJSON(v); err != nil {
		return nil, invalid("field %q %s", schemaPlace(f.Name, err), schemaReason(err))
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return json.RawMessage(b), nil
}

// schemaPlace names the value a schema error is about: the field, then the
// path inside it ("tags[0].name").
func schemaPlace(name string, err error) string {
	var se *openapi3.SchemaError
	if !errors.As(err, &se) {
		return name
	}
	for _, k := range se.JSONPointer() {
		if _, isIndex := strconv.Atoi(k); isIndex == nil {
			name += "[" + k + "]"
		} else {
			name += "." + k
		}
	}
	return name
}

// schemaReason is what a schema error says, without the schema and the
// value kin-openapi's Error appends.
func schemaReason(err error) string {
	var se *openapi3.SchemaError
	if errors.As(err, &se) && se.Reason != "" {
		return "is invalid: " + se.Reason
	}
	msg, _, _ := strings.Cut(err.Error(), "\nSchema:")
	return "is invalid: " + msg
}

func checkFormat(f *profile.Field, s string) error {
	switch f.Format {
	case "email":
		if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
			return invalid("field %q must be an email address (got %q)", f.Name, s)
		}
	case "date-time":
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			return invalid("field %q must be an RFC 3339 date-time such as 2025-01-31T12:00:00Z (got %q)", f.Name, s)
		}
	case "date":
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return invalid("field %q must be a date such as 2025-01-31 (got %q)", f.Name, s)
		}
	case "uri":
		if u, err := url.Parse(s); err != nil || u.Scheme == "" || u.Host == "" {
			return invalid("field %q must be an absolute URL (got %q)", f.Name, s)
		}
	}
	return nil
}

func fieldByName(r *profile.Resource, name string) *profile.Field {
	for i := range r.Fields {
		if r.Fields[i].Name == name {
			return &r.Fields[i]
		}
	}
	return nil
}

func writableNames(r *profile.Resource) []string {
	var out []string
	for _, f := range r.Fields {
		if f.Auto == "" {
			out = append(out, f.Name)
		}
	}
	return out
}

// FormatID renders a record id as the API shows it.
func FormatID(r *profile.Resource, id uint64) string {
	if r.IDPrefix == "" {
		return strconv.FormatUint(id, 10)
	}
	return r.IDPrefix + strconv.FormatUint(id, 10)
}

// ParseID reads an id from a path segment; ok is false when it cannot name
// a record of r.
func ParseID(r *profile.Resource, s string) (uint64, bool) {
	if r.IDPrefix != "" {
		rest, found := strings.CutPrefix(s, r.IDPrefix)
		if !found {
			return 0, false
		}
		s = rest
	}
	if s == "" || s[0] == '+' || s[0] == '-' {
		return 0, false
	}
	id, err := strconv.ParseUint(s, 10, 64)
	return id, err == nil && id > 0
}

// encode renders a record as JSON: the id first, then the fields in profile
// order (a field without a value is null).
func encode(r *profile.Resource, id uint64, rec record) []byte {
	dst := make([]byte, 0, 256)
	dst = append(dst, `{"id":`...)
	if r.IDPrefix == "" {
		dst = strconv.AppendUint(dst, id, 10)
	} else {
		dst = envelope.AppendString(dst, FormatID(r, id))
	}
	for _, f := range r.Fields {
		v, has := rec[f.Name]
		if !has && r.OmitsUnset() {
			continue
		}
		dst = append(dst, ',')
		dst = envelope.AppendString(dst, f.Name)
		dst = append(dst, ':')
		dst = appendValue(dst, v)
	}
	return append(dst, '}')
}

func appendValue(dst []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...)
	case string:
		return envelope.AppendString(dst, x)
	case int64:
		return strconv.AppendInt(dst, x, 10)
	case float64:
		return strconv.AppendFloat(dst, x, 'f', -1, 64)
	case bool:
		return strconv.AppendBool(dst, x)
	case json.RawMessage:
		return append(dst, x...)
	}
	return append(dst, "null"...)
}

// decode reads a stored document back into a record (for PATCH merges
// and views).
func decode(r *profile.Resource, doc []byte) (record, error) {
	var raw map[string]any
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, err
	}
	rec := record{}
	for _, f := range r.Fields {
		v, ok := raw[f.Name]
		if !ok {
			continue
		}
		if v == nil {
			rec[f.Name] = nil // null, as written: not the same as absent when r omits unset fields
			continue
		}
		val, ok := storedValue(f.Type, v)
		if !ok {
			return nil, fmt.Errorf("stored field %s: %s is not of type %s", f.Name, jsonValue(v), f.Type)
		}
		rec[f.Name] = val
	}
	return rec, nil
}

// ReadRecord checks that doc is a record of r as a saved state holds it: a
// JSON object with r's id (a positive integer, or a string with r's id
// prefix) and only r's fields, each null or of its type. It returns the id
// and the document as the engine itself writes it (the id first, the
// fields in profile order, compact), so a loaded record answers exactly as
// one created through the API. Enumerations and formats are not checked:
// they bind what clients send, and seed data is not held to them.
func ReadRecord(r *profile.Resource, doc []byte) (uint64, []byte, error) {
	obj, err := ParseObject(doc)
	if err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			return 0, nil, errors.New(strings.Replace(ve.Msg, "request body", "the record", 1))
		}
		return 0, nil, err
	}
	id, err := recordID(r, obj["id"])
	if err != nil {
		return 0, nil, err
	}
	rec := record{}
	for name, v := range obj {
		if name == "id" {
			continue
		}
		f := fieldByName(r, name)
		if f == nil {
			return 0, nil, fmt.Errorf("record %s: %q is not a field of %s", FormatID(r, id), name, r.Name)
		}
		if v == nil {
			rec[name] = nil
			continue
		}
		val, ok := storedValue(f.Type, v)
		if !ok {
			return 0, nil, fmt.Errorf("record %s: field %q must be null or of type %s", FormatID(r, id), name, f.Type)
		}
		rec[name] = val
	}
	return id, encode(r, id, rec), nil
}

// recordID reads the id of a record in a saved state: a JSON number, or a
// string when r's ids have a prefix.
func recordID(r *profile.Resource, v any) (uint64, error) {
	var s string
	switch x := v.(type) {
	case nil:
		return 0, errors.New(`the record has no "id"`)
	case json.Number:
		if r.IDPrefix == "" {
			s = string(x)
		}
	case string:
		if r.IDPrefix != "" {
			s = x
		}
	}
	id, ok := ParseID(r, s)
	if !ok {
		want := "a positive integer"
		if r.IDPrefix != "" {
			want = fmt.Sprintf("a string such as %q", FormatID(r, 1))
		}
		return 0, fmt.Errorf("the record's id %s is not an id of %s (%s)", jsonValue(v), r.Name, want)
	}
	return id, nil
}

func jsonValue(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// storedValue converts a decoded JSON value (numbers as json.Number, not
// null) to the Go value encode writes for a field of type typ; ok is false
// when it is not of that type.
func storedValue(typ string, v any) (any, bool) {
	switch typ {
	case profile.TypeString:
		s, ok := v.(string)
		return s, ok
	case profile.TypeBoolean:
		b, ok := v.(bool)
		return b, ok
	case profile.TypeInteger:
		n, ok := v.(json.Number)
		if !ok {
			return nil, false
		}
		i, err := strconv.ParseInt(string(n), 10, 64)
		return i, err == nil
	case profile.TypeNumber:
		n, ok := v.(json.Number)
		if !ok {
			return nil, false
		}
		x, err := strconv.ParseFloat(string(n), 64)
		return x, err == nil && !math.IsInf(x, 0)
	case profile.TypeObject, profile.TypeArray:
		_, isObj := v.(map[string]any)
		_, isArr := v.([]any)
		if isObj != (typ == profile.TypeObject) || isArr != (typ == profile.TypeArray) {
			return nil, false
		}
		b, err := json.Marshal(v)
		return json.RawMessage(b), err == nil
	}
	return nil, false
}

// Project renders the view of a record: its id under idField, then the
// view's fields.
func Project(r *profile.Resource, v *profile.View, id uint64, doc []byte) ([]byte, error) {
	rec, err := decode(r, doc)
	if err != nil {
		return nil, err
	}
	idField := v.IDField
	if idField == "" {
		idField = "id"
	}
	dst := append([]byte{'{'}, envelope.AppendString(nil, idField)...)
	dst = append(dst, ':')
	if r.IDPrefix == "" {
		dst = strconv.AppendUint(dst, id, 10)
	} else {
		dst = envelope.AppendString(dst, FormatID(r, id))
	}
	for _, name := range v.Fields {
		val, has := rec[name]
		if !has && r.OmitsUnset() {
			continue
		}
		dst = append(dst, ',')
		dst = envelope.AppendString(dst, name)
		dst = append(dst, ':')
		dst = appendValue(dst, val)
	}
	return append(dst, '}'), nil
}
