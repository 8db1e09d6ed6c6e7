package profile

import (
	"fmt"
	"math"
	"net/mail"
	"net/url"
	"strconv"
	"time"

	"mockgate/backend/fake"
)

var fieldTypes = []string{TypeString, TypeInteger, TypeNumber, TypeBoolean, TypeObject, TypeArray}

// fields checks a resource's fields and returns them by name.
func (c *checker) fields(at string, fs []Field) map[string]*Field {
	byName := map[string]*Field{}
	for j := range fs {
		f := &fs[j]
		path := fmt.Sprintf("%s.fields[%d]", at, j)
		switch {
		case !fieldNameRE.MatchString(f.Name):
			c.add(path+".name", "must be a letter or '_' then letters, digits, '_' or '-', at most 64 (got %q)", f.Name)
		case f.Name == IDParam:
			c.add(path+".name", "must not be %q: every record has it", IDParam)
		case byName[f.Name] != nil:
			c.add(path+".name", "%q is declared twice", f.Name)
		default:
			byName[f.Name] = f
		}
		c.oneOf(path+".type", f.Type, fieldTypes...)
		c.enum(path, f)
		c.bounds(path, f)
		c.valueSchema(path, f)
		switch {
		case f.Fake != "" && f.Holds():
			c.add(path+".fake", "is not for %s fields: their seed values are generated from schema", f.Type)
		case f.Fake != "":
			c.fake(path+".fake", f)
		}
		if f.Auto != "" {
			if c.oneOf(path+".auto", f.Auto, AutoCreated, AutoUpdated) && (f.Type != TypeString || f.Format != "date-time") {
				c.add(path+".auto", "is only for fields of type string with format date-time")
			}
			if f.Required {
				c.add(path+".required", "must be false for an auto field: clients cannot write it")
			}
		}
	}
	return byName
}

// MaxFakeLen bounds one seeded value (a rendered fake template).
const MaxFakeLen = 1024

// fake renders a field's seed template a few times with a fixed seed: the
// dataset falls back to a zero value when a template fails, which would
// seed every record with "" or 0 without a word. The fake package refuses
// unknown functions, bad arguments and counts over its cap before
// rendering anything, and is deterministic by construction.
func (c *checker) fake(path string, f *Field) {
	faker := fake.New(1)
	for range 5 {
		v, err := faker.Generate(f.Fake)
		if err != nil {
			c.add(path, "%q fails: %v", f.Fake, err)
			return
		}
		if len(v) > MaxFakeLen {
			c.add(path, "%q renders %d characters; a seeded value may have at most %d", f.Fake, len(v), MaxFakeLen)
			return
		}
		if msg := fakeValueProblem(f, v); msg != "" {
			c.add(path, "%q gives %q, which %s", f.Fake, v, msg)
			return
		}
	}
}

// fakeValueProblem says why a generated value does not suit the field, as
// the engine would check a client's value; "" when it does.
func fakeValueProblem(f *Field, v string) string {
	switch f.Type {
	case TypeInteger:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return "is not an integer"
		}
		if !f.InEnum(n) {
			return "is not in enum"
		}
		if msg := f.BoundProblem(n); msg != "" {
			return msg
		}
	case TypeNumber:
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
			return "is not a number"
		}
		if !f.InEnum(x) {
			return "is not in enum"
		}
		if msg := f.BoundProblem(x); msg != "" {
			return msg
		}
	case TypeBoolean:
		if v != "true" && v != "false" {
			return "is not true or false"
		}
	case TypeString:
		if !f.InEnum(v) {
			return "is not in enum"
		}
		if msg := f.BoundProblem(v); msg != "" {
			return msg
		}
		switch f.Format {
		case "date-time":
			if _, err := time.Parse(time.RFC3339, v); err != nil {
				return "is not an RFC 3339 date-time"
			}
		case "date":
			if _, err := time.Parse(time.DateOnly, v); err != nil {
				return "is not a date (yyyy-mm-dd)"
			}
		case "email":
			if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
				return "is not an email address"
			}
		case "uri":
			if u, err := url.Parse(v); err != nil || u.Scheme == "" || u.Host == "" {
				return "is not an absolute URL"
			}
		}
	}
	return ""
}
