package openapiimport

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"mockgate/backend/profile"
)

var (
	fieldNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]{0,63}$`)
	formatRE    = regexp.MustCompile(`^[A-Za-z0-9-]{1,32}$`)
	autoRE      = regexp.MustCompile(`(?i)^(created|updated|modified)(_?at|_?on|_?date|_?time)?$`)
)

// fields maps an entity's properties to a resource's fields: the scalar
// ones (strings, integers, numbers, booleans), with their format, enum and
// whether create needs them, each with a seed template that fits it.
// Objects and arrays are left out, in a gap.
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
		s := ref.Value
		typ := scalarType(s)
		switch {
		case typ == "":
			skipped = append(skipped, fmt.Sprintf("%s (%s)", name, kindOf(s)))
			continue
		case !fieldNameRE.MatchString(name):
			skipped = append(skipped, fmt.Sprintf("%q (a field name is letters, digits, '_' and '-')", name))
			continue
		}
		f := profile.Field{Name: name, Type: typ, Description: oneLine(s.Description)}
		if formatRE.MatchString(s.Format) {
			f.Format = s.Format
		}
		if typ == profile.TypeString {
			for _, v := range s.Enum {
				if str, ok := v.(string); ok && !slices.Contains(f.Enum, str) {
					f.Enum = append(f.Enum, str)
				}
			}
		} else if len(s.Enum) > 0 {
			im.gap(resource+"."+name, "the enum of a %s field is not enforced (enums are for strings)", typ)
		}
		if s.ReadOnly && typ == profile.TypeString && f.Format == "date-time" && autoRE.MatchString(name) {
			f.Auto = profile.AutoCreated
			if !strings.HasPrefix(strings.ToLower(name), "created") {
				f.Auto = profile.AutoUpdated
			}
		} else {
			f.Required = required[name] && !s.ReadOnly
			f.Fake = fake(name, typ, s)
		}
		out = append(out, f)
	}
	if len(skipped) > 0 {
		im.gap(resource, "fields %s are left out: a record's fields are strings, numbers and booleans", strings.Join(skipped, ", "))
	}
	return out
}

// scalarType is the profile type of a schema, "" when it is not a scalar.
func scalarType(s *openapi3.Schema) string {
	switch typeOf(s) {
	case openapi3.TypeString:
		return profile.TypeString
	case openapi3.TypeInteger:
		return profile.TypeInteger
	case openapi3.TypeNumber:
		return profile.TypeNumber
	case openapi3.TypeBoolean:
		return profile.TypeBoolean
	}
	return ""
}

func kindOf(s *openapi3.Schema) string {
	if t := typeOf(s); t != "" {
		return t
	}
	if len(s.OneOf)+len(s.AnyOf) > 0 {
		return "oneOf/anyOf"
	}
	return "no type"
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
	switch typ {
	case profile.TypeString:
		if t, ok := fakeByFormat[s.Format]; ok {
			return t
		}
		if len(s.Enum) > 0 {
			return ""
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
