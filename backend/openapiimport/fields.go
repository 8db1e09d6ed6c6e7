package openapiimport

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"

	"mockgate/backend/profile"
	"mockgate/backend/sample"
)

var (
	fieldNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]{0,63}$`)
	formatRE    = regexp.MustCompile(`^[A-Za-z0-9-]{1,32}$`)
	autoRE      = regexp.MustCompile(`(?i)^(created|updated|modified)(_?at|_?on|_?date|_?time)?$`)
)

// fields maps an entity's properties to a resource's fields: scalars
// (strings, integers, numbers, booleans) with their format, enum, bounds
// and nullability, each with a seed template that fits it; objects and
// arrays with their schema (seeded from it). What cannot be a field (a
// property whose alternatives are of different types) is left out, in a
// gap.
func (im *importer) fields(resource string, entity, create *objectShape) []profile.Field {
	var out []profile.Field
	var skipped []string
	required := entity.required
	if create != nil {
		required = create.required
	}
	for _, name := range entity.names {
		if name == profile.IDParam {
			continue
		}
		ref := entity.props[name]
		if ref == nil || ref.Value == nil {
			continue
		}
		if ref.Value.WriteOnly {
			continue // never answered; the document checks it in requests
		}
		if !fieldNameRE.MatchString(name) {
			skipped = append(skipped, fmt.Sprintf("%q (a field name is letters, digits, '_' and '-')", name))
			continue
		}
		f, why := field(name, ref, im.schemas)
		if alt := firstAlternative(ref.Value); why != "" && entity.required[name] && alt != nil {
			// Every answer must hold a required property: one of mixed
			// types (Stripe's expandable "id or object") keeps its first
			// alternative's.
			if af, awhy := field(name, alt, im.schemas); awhy == "" || awhy == "circular" {
				im.gap(resource+"."+name, "is required and %s: the field takes the first alternative's type, %s", why, af.Type)
				f, why = af, awhy
				f.Description = oneLine(ref.Value.Description)
			}
		}
		if t := typeOf(ref.Value); why != "" && why != "circular" && entity.required[name] && (t == openapi3.TypeArray || t == openapi3.TypeObject) {
			// Required but its schema cannot be kept (too large, circular
			// at the top): answered with a value of its type, checked one
			// level down only (shallowSchema).
			im.gap(resource+"."+name, "is required but %s: a field of type %s whose values are not checked", why, t)
			f, why = profile.Field{Name: name, Type: t, Description: oneLine(ref.Value.Description), Nullable: nullable(ref.Value)}, ""
			f.Schema, _ = json.Marshal(shallowSchema(ref.Value, 0))
		}
		if why == "circular" {
			im.gap(resource+"."+name, "its schema is circular: where it holds itself again the value is not checked (a property left out, an item any object)")
			why = ""
		}
		if why != "" {
			skipped = append(skipped, fmt.Sprintf("%s (%s)", name, why))
			continue
		}
		s := ref.Value
		if s.ReadOnly && f.Type == profile.TypeString && f.Format == "date-time" && autoRE.MatchString(name) {
			f.Auto = profile.AutoCreated
			if !strings.HasPrefix(strings.ToLower(name), "created") {
				f.Auto = profile.AutoUpdated
			}
			f.Nullable = false
		} else {
			f.Required = required[name] && !s.ReadOnly
			f.Always = entity.required[name] && !f.Required // answered though not sent
			if !f.Holds() {
				f.Fake = fake(name, f.Type, s)
			}
		}
		out = append(out, f)
	}
	if len(skipped) > 0 {
		im.gap(resource, "fields %s are left out: a field has one JSON type", strings.Join(skipped, ", "))
	}
	for _, name := range slices.Sorted(maps.Keys(entity.required)) {
		if _, described := entity.props[name]; described || name == profile.IDParam || !fieldNameRE.MatchString(name) {
			continue
		}
		// Required without a schema (a vendor's slip): every answer must
		// still hold it, and any value will do.
		im.gap(resource+"."+name, "is required but has no schema: a string field")
		out = append(out, profile.Field{Name: name, Type: profile.TypeString, Always: true, Fake: fake(name, profile.TypeString, &openapi3.Schema{})})
	}
	return out
}

// field maps one property; why says why it cannot be a field, or is
// "circular" for a field whose schema was cut where it holds itself.
// schemas keeps the schemas of object and array fields already written:
// a large document's entities hold the same ones many times over.
func field(name string, ref *openapi3.SchemaRef, schemas map[*openapi3.Schema]held) (f profile.Field, why string) {
	s := ref.Value
	typ, why := fieldType(s)
	if why != "" {
		return f, why
	}
	f = profile.Field{Name: name, Type: typ, Description: oneLine(s.Description), Nullable: nullable(s)}
	if f.Holds() {
		held, ok := schemas[s]
		if !ok {
			held = heldSchema(ref, typ)
			schemas[s] = held
		}
		f.Schema = held.json
		return f, held.why
	}
	if formatRE.MatchString(s.Format) {
		f.Format = s.Format
	}
	for _, v := range enumOf(s) {
		if v == nil {
			f.Nullable = true
		} else if fitsType(typ, v) && !slices.Contains(f.Enum, v) {
			f.Enum = append(f.Enum, v)
		}
	}
	switch typ {
	case profile.TypeString:
		if s.MinLength > 0 {
			f.MinLength = ptr(int(min(s.MinLength, math.MaxInt32)))
		}
		if s.MaxLength != nil {
			f.MaxLength = ptr(int(min(*s.MaxLength, math.MaxInt32)))
		}
	case profile.TypeInteger, profile.TypeNumber:
		f.Minimum, f.ExclusiveMinimum = bound(s.Min, s.ExclusiveMin)
		f.Maximum, f.ExclusiveMaximum = bound(s.Max, s.ExclusiveMax)
	}
	return f, ""
}

// held is an object or array field's schema as JSON, and why (as field
// says it) when it is cut or cannot be written.
type held struct {
	json json.RawMessage
	why  string
}

// heldSchema writes the schema of a field of type typ.
func heldSchema(ref *openapi3.SchemaRef, typ string) held {
	w := &plainWalk{stack: map[*openapi3.Schema]bool{}}
	plain := w.schema(ref, 0)
	if plain == nil {
		return held{why: "its schema is circular at the top"}
	}
	plain.Set("type", typ) // a oneOf of objects says it only below
	over := held{why: fmt.Sprintf("its schema is over %d bytes", profile.MaxSchemaSize)}
	if w.size > profile.MaxSchemaSize {
		return over
	}
	b, err := json.Marshal(plain)
	if err != nil || len(b) > profile.MaxSchemaSize {
		return over
	}
	if w.cut {
		return held{json: b, why: "circular"}
	}
	return held{json: b}
}

// fieldType is the profile type of a property. A oneOf or anyOf whose
// alternatives are all objects (or all arrays) is one: its schema keeps
// the alternatives; alternatives of different types are not.
func fieldType(s *openapi3.Schema) (string, string) {
	if t := profileType(typeOf(s)); t != "" {
		return t, ""
	}
	alts := append(slices.Clone(s.OneOf), s.AnyOf...)
	if len(alts) == 0 {
		return "", "no type"
	}
	kinds := map[string]bool{}
	for _, a := range alts {
		if a == nil || a.Value == nil {
			continue
		}
		t := typeOf(a.Value)
		if t == "" && len(a.Value.OneOf)+len(a.Value.AnyOf) > 0 {
			t, _ = fieldType(a.Value)
		}
		if t != openapi3.TypeNull {
			kinds[t] = true
		}
	}
	if len(kinds) == 1 {
		for t := range kinds {
			if t == openapi3.TypeObject || t == openapi3.TypeArray {
				return t, ""
			}
		}
	}
	return "", "oneOf/anyOf of " + strings.Join(slices.Sorted(maps.Keys(kinds)), ", ")
}

// shallowSchema is a schema's required skeleton, for a field whose whole
// schema cannot be kept: an array of unchecked items answered empty, or
// an object with its required properties only, each of its type (and enum
// and pattern, which answers must keep: Stripe's {"object": "list", "url":
// "^/v1/..."}), objects down to a few levels, anything below unchecked.
func shallowSchema(s *openapi3.Schema, depth int) *sample.Object {
	out := sample.NewObject()
	t := typeOf(s)
	out.Set("type", t)
	switch t {
	case openapi3.TypeArray:
		items := sample.NewObject()
		items.Set("type", openapi3.TypeObject)
		items.Set(sample.CutExtension, true)
		out.Set("items", items)
		return out
	case openapi3.TypeObject:
	default:
		if enum := enumOf(s); len(enum) > 0 {
			out.Set("enum", enum)
		}
		if _, err := regexp.Compile(s.Pattern); err == nil && s.Pattern != "" {
			out.Set("pattern", s.Pattern)
		}
		return out
	}
	sh := flatten(&openapi3.SchemaRef{Value: s})
	if sh == nil {
		return out
	}
	props := sample.NewObject()
	var required []string
	for _, name := range sh.names {
		p := sh.props[name]
		if !sh.required[name] || p == nil || p.Value == nil || profileType(typeOf(p.Value)) == "" {
			continue
		}
		inner := sample.NewObject()
		inner.Set("type", openapi3.TypeObject)
		if typeOf(p.Value) != openapi3.TypeObject || depth < sample.MaxDepth {
			inner = shallowSchema(p.Value, depth+1)
		}
		props.Set(name, inner)
		required = append(required, name)
	}
	if len(required) > 0 {
		out.Set("properties", props)
		out.Set("required", required)
	}
	return out
}

// firstAlternative is the first oneOf or anyOf alternative that is not
// null, nil when there is none.
func firstAlternative(s *openapi3.Schema) *openapi3.SchemaRef {
	for _, a := range append(slices.Clone(s.OneOf), s.AnyOf...) {
		if a != nil && a.Value != nil && !a.Value.Type.Is(openapi3.TypeNull) {
			return a
		}
	}
	return nil
}

// profileType is the profile's name of a JSON type, "" for null and none.
func profileType(t string) string {
	switch t {
	case openapi3.TypeString, openapi3.TypeInteger, openapi3.TypeNumber, openapi3.TypeBoolean, openapi3.TypeObject, openapi3.TypeArray:
		return t // the profile names them as JSON Schema does
	}
	return ""
}

// nullable says whether a schema takes null: OpenAPI 3.0's nullable, 3.1's
// type list with "null", or a null alternative.
func nullable(s *openapi3.Schema) bool {
	if s.Nullable || s.Type.IncludesNull() {
		return true
	}
	for _, a := range append(slices.Clone(s.OneOf), s.AnyOf...) {
		if a != nil && a.Value != nil && a.Value.Type.Is(openapi3.TypeNull) {
			return true
		}
	}
	return false
}

// enumOf is a schema's enum, or its const as a one-value enum.
func enumOf(s *openapi3.Schema) []any {
	if len(s.Enum) == 0 && s.Const != nil {
		return []any{s.Const}
	}
	return s.Enum
}

// fitsType says whether an enum value is of a scalar field type.
func fitsType(typ string, v any) bool {
	switch x := v.(type) {
	case string:
		return typ == profile.TypeString
	case bool:
		return typ == profile.TypeBoolean
	case float64:
		return typ == profile.TypeNumber || typ == profile.TypeInteger && x == math.Trunc(x)
	}
	return false
}

// bound reads a lower or upper bound in either OpenAPI version: 3.0's
// number with a boolean exclusive, 3.1's exclusive number.
func bound(v *float64, excl openapi3.ExclusiveBound) (*float64, bool) {
	if excl.Value != nil {
		return ptr(*excl.Value), true
	}
	if v == nil {
		return nil, false
	}
	return ptr(*v), excl.IsTrue()
}

func ptr[T any](v T) *T { return &v }

// plainWalk is one field's schema being written: the schemas above the
// one being written (a schema met again there is circular), whether one
// was cut so, and a lower bound of the JSON's size.
type plainWalk struct {
	stack map[*openapi3.Schema]bool
	cut   bool
	// size counts each key written ("key": at least), so that a schema
	// sure to be over profile.MaxSchemaSize stops growing: expanded to
	// full depth, one of a large document's schemas can reach megabytes.
	size int
}

// schema writes a schema as the plain JSON a field's schema is (see
// profile.Field.Schema): $refs resolved, in OpenAPI 3.0's words (3.1's
// type lists become nullable), only the keywords a profile holds. nil
// where the schema is circular: the property holding it is left out.
func (w *plainWalk) schema(r *openapi3.SchemaRef, depth int) *sample.Object {
	if r == nil || r.Value == nil {
		return nil
	}
	if w.stack[r.Value] {
		w.cut = true
		return nil
	}
	s := r.Value
	out := sample.NewObject()
	if w.size > profile.MaxSchemaSize {
		return out // too large already: heldSchema refuses it
	}
	w.stack[s] = true
	defer delete(w.stack, s)
	defer func() {
		for _, k := range out.Keys() {
			w.size += len(k) + 3
		}
	}()
	if t := profileType(typeOf(s)); t != "" && (len(s.Type.Slice()) > 0 || len(s.OneOf)+len(s.AnyOf)+len(s.AllOf) == 0) {
		out.Set("type", t)
	}
	if nullable(s) {
		out.Set("nullable", true)
	}
	if formatRE.MatchString(s.Format) {
		out.Set("format", s.Format)
	}
	if s.Pattern != "" {
		if _, err := regexp.Compile(s.Pattern); err == nil {
			out.Set("pattern", s.Pattern)
		}
	}
	if enum := enumOf(s); len(enum) > 0 {
		out.Set("enum", enum)
	}
	if lo, ex := bound(s.Min, s.ExclusiveMin); lo != nil {
		out.Set("minimum", *lo)
		if ex {
			out.Set("exclusiveMinimum", true)
		}
	}
	if hi, ex := bound(s.Max, s.ExclusiveMax); hi != nil {
		out.Set("maximum", *hi)
		if ex {
			out.Set("exclusiveMaximum", true)
		}
	}
	if s.MinLength > 0 {
		out.Set("minLength", s.MinLength)
	}
	if s.MaxLength != nil {
		out.Set("maxLength", *s.MaxLength)
	}
	if s.MinItems > 0 {
		out.Set("minItems", s.MinItems)
	}
	if s.MaxItems != nil {
		out.Set("maxItems", *s.MaxItems)
	}
	if s.ReadOnly {
		out.Set("readOnly", true)
	}
	if s.WriteOnly {
		out.Set("writeOnly", true)
	}
	switch s.Example.(type) {
	case string, float64, bool:
		// Vendors' examples do not always fit their own schema (Asana's
		// dates); the field's schema must be valid, so such an example
		// stays in the document only.
		if s.VisitJSON(s.Example) == nil {
			out.Set("example", s.Example)
		}
	}
	if depth >= 2*sample.MaxDepth {
		if typeOf(s) == openapi3.TypeArray {
			out.Set("items", sample.NewObject()) // a valid array schema needs items
		}
		return out // deep enough: the rest takes any value
	}
	if len(s.Properties) > 0 {
		props := sample.NewObject()
		var required []string
		for _, name := range orderedKeys(s.Properties, schemaOrigin) {
			if p := w.schema(s.Properties[name], depth+1); p != nil {
				props.Set(name, p)
				if slices.Contains(s.Required, name) {
					required = append(required, name)
				}
			}
		}
		out.Set("properties", props)
		if len(required) > 0 {
			out.Set("required", required)
		}
	} else if len(s.Required) > 0 && len(s.AllOf) == 0 {
		out.Set("required", s.Required)
	}
	if ap := s.AdditionalProperties; ap.Schema != nil {
		if p := w.schema(ap.Schema, depth+1); p != nil {
			out.Set("additionalProperties", p)
		}
	} else if ap.Has != nil && !*ap.Has {
		out.Set("additionalProperties", false)
	}
	if s.Items != nil {
		items := w.schema(s.Items, depth+1)
		if items == nil { // circular items: objects of any shape, generated as none
			items = sample.NewObject()
			items.Set("type", openapi3.TypeObject)
			items.Set(sample.CutExtension, true)
		}
		out.Set("items", items)
	} else if typeOf(s) == openapi3.TypeArray {
		out.Set("items", sample.NewObject()) // items of any kind: a valid schema needs the keyword
	}
	for _, alts := range []struct {
		key  string
		refs openapi3.SchemaRefs
	}{{"allOf", s.AllOf}, {"oneOf", s.OneOf}, {"anyOf", s.AnyOf}} {
		var list []any
		for _, a := range alts.refs {
			if a != nil && a.Value != nil && a.Value.Type.Is(openapi3.TypeNull) {
				continue // nullable says it
			}
			if p := w.schema(a, depth+1); p != nil {
				list = append(list, p)
			}
		}
		if len(list) > 0 {
			out.Set(alts.key, list)
		}
	}
	return out
}

// fakeByName are seed templates (package fake) for common field names (lower case,
// without '_' and '-'), all deterministic with a seeded faker.
var fakeByName = map[string]string{
	"email": "{email}", "emailaddress": "{email}",
	"firstname": "{firstname}", "givenname": "{firstname}",
	"lastname": "{lastname}", "surname": "{lastname}", "familyname": "{lastname}",
	"name": "{name}", "fullname": "{name}", "displayname": "{name}", "username": "{username}", "login": "{username}",
	"phone": "{phone}", "phonenumber": "{phone}", "mobile": "{phone}",
	"company": "{company}", "companyname": "{company}", "organization": "{company}",
	"city": "{city}", "country": "{country}", "countrycode": "{countryabr}", "state": "{state}",
	"zip": "{zip}", "zipcode": "{zip}", "postalcode": "{zip}", "street": "{street}", "address": "{street}",
	"title": "{sentence:3}", "subject": "{sentence:4}",
	"description": "{sentence:8}", "summary": "{sentence:6}", "text": "{sentence:8}", "body": "{sentence:8}",
	"message": "{sentence:6}", "note": "{sentence:6}", "notes": "{sentence:6}", "comment": "{sentence:6}",
	"currency": "{currencyshort}", "color": "{color}", "colour": "{color}",
	"domain": "{domainname}", "hostname": "{domainname}", "ip": "{ipv4address}", "ipaddress": "{ipv4address}",
	"url": "https://example.com/{number:1,99999}", "website": "https://example.com/{number:1,99999}",
	"status": "{randomstring:[active,inactive,pending]}",
}

// fakeByFormat are templates for string formats.
var fakeByFormat = map[string]string{
	"date-time": "2025-{number:10,12}-{number:10,28}T{number:10,23}:{number:10,59}:{number:10,59}Z",
	"date":      "2025-{number:10,12}-{number:10,28}",
	"email":     "{email}",
	"uri":       "https://example.com/{number:1,99999}",
	"url":       "https://example.com/{number:1,99999}",
	"uuid":      "{uuid}",
	"hostname":  "{domainname}",
	"ipv4":      "{ipv4address}",
}

// fake is the seed template of a field: by format, then enum (the engine
// picks one), then name, then the document's example, then the type.
func fake(name, typ string, s *openapi3.Schema) string {
	key := strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(name))
	if len(s.Enum) > 0 {
		return "" // the engine picks from the enum
	}
	switch typ {
	case profile.TypeString:
		if t, ok := fakeByFormat[s.Format]; ok {
			return t
		}
		if s.MinLength > 0 || s.MaxLength != nil {
			return boundedFake(s)
		}
		if t, ok := fakeByName[key]; ok && s.Pattern == "" {
			return t
		}
		if ex, ok := s.Example.(string); ok && len(ex) <= 100 && !strings.ContainsAny(ex, "{}") {
			return ex
		}
		if strings.HasSuffix(key, "id") {
			return "{uuid}"
		}
		if strings.HasSuffix(key, "url") || strings.HasSuffix(key, "uri") || strings.HasSuffix(key, "link") {
			return fakeByFormat["uri"]
		}
		return "{word}"
	case profile.TypeInteger:
		lo, hi := bounds(s, 1, 1000)
		return fmt.Sprintf("{number:%d,%d}", int64(lo), int64(hi))
	case profile.TypeNumber:
		lo, hi := bounds(s, 1, 1000)
		return "{float64range:" + strconv.FormatFloat(lo, 'f', -1, 64) + "," + strconv.FormatFloat(hi, 'f', -1, 64) + "}"
	case profile.TypeBoolean:
		return "{bool}"
	}
	return ""
}

// bounds are a number's seed range: its minimum and maximum where set,
// within ±1e9 (the fake numbers are ints).
func bounds(s *openapi3.Schema, lo, width float64) (float64, float64) {
	if s.Min != nil {
		lo = *s.Min
		if s.ExclusiveMin.IsTrue() {
			lo++
		}
	}
	if s.ExclusiveMin.Value != nil {
		lo = *s.ExclusiveMin.Value + 1
	}
	hi := lo + width
	if s.Max != nil {
		hi = *s.Max
		if s.ExclusiveMax.IsTrue() {
			hi--
		}
	}
	if s.ExclusiveMax.Value != nil {
		hi = *s.ExclusiveMax.Value - 1
	}
	lo = math.Ceil(math.Max(-1e9, math.Min(lo, 1e9)))
	hi = math.Floor(math.Max(-1e9, math.Min(hi, 1e9)))
	if hi < lo {
		hi = lo
	}
	return lo, hi
}

// boundedFake is the seed template of a string with length bounds: its
// example where it fits, else random letters of a length within them.
func boundedFake(s *openapi3.Schema) string {
	if ex, ok := s.Example.(string); ok && !strings.ContainsAny(ex, "{}") {
		l := uint64(utf8.RuneCountInString(ex))
		if l >= s.MinLength && (s.MaxLength == nil || l <= *s.MaxLength) {
			return ex
		}
	}
	n := max(int(min(s.MinLength, 64)), 8)
	if s.MaxLength != nil {
		n = min(n, int(*s.MaxLength))
	}
	if n == 0 {
		return ""
	}
	return "{lexify:" + strings.Repeat("?", n) + "}"
}
