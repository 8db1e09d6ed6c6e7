package openapi

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"mockgate/backend/profile"
)

// maxPosition is the largest page or offset the engine accepts.
const maxPosition = math.MaxInt32

func ref(kind, name string) *obj {
	return newObj().set("$ref", "#/components/"+kind+"/"+name)
}

func schemaRef(name string) *obj { return ref("schemas", name) }

// resourceNames are the component names of one resource's schemas; an empty
// name means the document does not need that schema.
type resourceNames struct {
	Entity, Create, Update, List string
	Views                        map[*profile.View]string
	// Put says the Create schema is also PUT's body.
	Put bool
}

// registerSchemas fixes every component schema name up front, in profile
// order, so names never depend on the order paths are walked.
func (g *gen) registerSchemas() {
	for i := range g.p.Resources {
		r := &g.p.Resources[i]
		base := pascal(r.Name)
		n := resourceNames{Entity: g.uniqueSchema(base), Views: map[*profile.View]string{}}
		hasPatch, hasPut := false, false
		if r.Has(profile.OpUpdate) {
			for _, m := range r.UpdateVerbs() {
				if strings.EqualFold(m, http.MethodPatch) {
					hasPatch = true
				} else {
					hasPut = true
				}
			}
		}
		n.Put = hasPut
		if r.Has(profile.OpCreate) || hasPut {
			n.Create = g.uniqueSchema(base + "Create")
		}
		if hasPatch {
			n.Update = g.uniqueSchema(base + "Update")
		}
		if r.Has(profile.OpList) {
			n.List = g.uniqueSchema(base + "List")
		}
		for j := range r.Views {
			v := &r.Views[j]
			n.Views[v] = g.uniqueSchema(base + pascal(v.Name))
		}
		g.res[r] = n
	}
	g.errorSchema = g.uniqueSchema("Error")
	for _, k := range slices.Sorted(maps.Keys(g.p.Errors.ByStatus)) {
		g.errorByKey[k] = g.uniqueSchema("Error" + pascal(k))
	}
	for _, rt := range g.p.Routes {
		if rt.Kind == profile.RouteTenant {
			g.tenantSchema = g.uniqueSchema(pascal(cmp.Or(g.p.Tenancy.Label, "tenant")))
			break
		}
	}
}

func (g *gen) uniqueSchema(base string) string {
	name := base
	for i := 2; g.schemaNames[name]; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	g.schemaNames[name] = true
	return name
}

// buildSchemas fills components.schemas in the registered order.
func (g *gen) buildSchemas() error {
	for i := range g.p.Resources {
		r := &g.p.Resources[i]
		n := g.res[r]
		g.schemas.set(n.Entity, g.entitySchema(r))
		if n.Create != "" {
			g.schemas.set(n.Create, inputSchema(r, true, n.Put))
		}
		if n.Update != "" {
			g.schemas.set(n.Update, inputSchema(r, false, false))
		}
		if n.List != "" {
			pg := g.p.ListPagination(r)
			s, err := templateSchema(pg.Body, func(slot string) *obj { return listSlot(slot, n.Entity, r, pg.Cursor) })
			if err != nil {
				return fmt.Errorf("%s pagination.body: %w", r.Name, err)
			}
			s.set("description", "One page of "+r.Name+" records.")
			g.schemas.set(n.List, s)
		}
		for j := range r.Views {
			v := &r.Views[j]
			g.schemas.set(n.Views[v], viewSchema(r, v))
		}
	}
	s, err := templateSchema(g.p.Errors.Body, errorSlot)
	if err != nil {
		return fmt.Errorf("errors.body: %w", err)
	}
	if len(g.p.Errors.ByStatus) == 0 {
		s.set("description", "The error envelope of every error response.")
	} else {
		s.set("description", "The error envelope of the statuses errors.byStatus leaves out.")
	}
	g.schemas.set(g.errorSchema, s)
	for _, k := range slices.Sorted(maps.Keys(g.p.Errors.ByStatus)) {
		s, err := templateSchema(g.p.Errors.ByStatus[k].Body, errorSlot)
		if err != nil {
			return fmt.Errorf("errors.byStatus.%s.body: %w", k, err)
		}
		if k == profile.StatusDefault {
			s.set("description", "The error envelope of the statuses without their own.")
		} else {
			s.set("description", "The error envelope of status "+k+".")
		}
		g.schemas.set(g.errorByKey[k], s)
	}
	if g.tenantSchema != "" {
		s, err := g.tenantObjectSchema()
		if err != nil {
			return err
		}
		g.schemas.set(g.tenantSchema, s)
	}
	return nil
}

// idSchema describes a record id as the engine writes and parses it.
func idSchema(r *profile.Resource) *obj {
	if r.IDPrefix == "" {
		return newObj().set("type", "integer").set("minimum", 1)
	}
	return newObj().set("type", "string").set("pattern", "^"+regexp.QuoteMeta(r.IDPrefix)+"[0-9]+$")
}

// fieldSchema describes one field. nullable is for fields a record may
// hold without a value: the engine writes every field, null when unset.
func fieldSchema(f *profile.Field, nullable bool) *obj {
	s := newObj()
	nullable = nullable || f.Nullable
	if f.Holds() {
		s = schema31(f.Schema)
	}
	if nullable {
		s.set("type", []string{f.Type, "null"})
	} else {
		s.set("type", f.Type)
	}
	if f.Format != "" {
		s.set("format", f.Format)
	}
	if len(f.Enum) > 0 {
		enum := make([]any, 0, len(f.Enum)+1)
		for _, e := range f.Enum {
			enum = append(enum, e)
		}
		if nullable {
			enum = append(enum, nil)
		}
		s.set("enum", enum)
	}
	for _, b := range []struct {
		key string
		v   any
		set bool
	}{
		{"minLength", deref(f.MinLength), f.MinLength != nil},
		{"maxLength", deref(f.MaxLength), f.MaxLength != nil},
		{"minItems", deref(f.MinItems), f.MinItems != nil},
		{"maxItems", deref(f.MaxItems), f.MaxItems != nil},
	} {
		if b.set {
			s.set(b.key, b.v)
		}
	}
	if f.Minimum != nil {
		s.set(map[bool]string{false: "minimum", true: "exclusiveMinimum"}[f.ExclusiveMinimum], *f.Minimum)
	}
	if f.Maximum != nil {
		s.set(map[bool]string{false: "maximum", true: "exclusiveMaximum"}[f.ExclusiveMaximum], *f.Maximum)
	}
	desc := f.Description
	switch f.Auto {
	case profile.AutoCreated:
		desc = joinSentences(desc, "Set by the server when the record is created.")
	case profile.AutoUpdated:
		desc = joinSentences(desc, "Set by the server whenever the record is written.")
	}
	if desc != "" {
		s.set("description", desc)
	}
	if f.Auto != "" {
		s.set("readOnly", true)
	}
	return s
}

// entitySchema is a record as the engine writes it: the id, then every
// field; a field that is neither required nor automatic may be null.
func (g *gen) entitySchema(r *profile.Resource) *obj {
	props := newObj().set(profile.IDParam, idSchema(r).set("readOnly", true))
	required := []string{profile.IDParam}
	for i := range r.Fields {
		f := &r.Fields[i]
		if r.OmitsUnset() { // a field without a value is left out, never null
			props.set(f.Name, fieldSchema(f, false))
			if f.Required || f.Auto != "" {
				required = append(required, f.Name)
			}
			continue
		}
		props.set(f.Name, fieldSchema(f, !f.Required && f.Auto == ""))
		required = append(required, f.Name)
	}
	return newObj().set("type", "object").
		set("description", "The "+r.Name+" record.").
		set("properties", props).
		set("required", required)
}

// inputSchema is a request body: full (create, PUT: the engine replaces
// every writable field) needs the required fields; otherwise (PATCH) any
// subset. Automatic fields and the id are the server's.
func inputSchema(r *profile.Resource, full, put bool) *obj {
	props := newObj()
	var required []string
	for i := range r.Fields {
		f := &r.Fields[i]
		if f.Auto != "" {
			continue
		}
		props.set(f.Name, fieldSchema(f, !f.Required && !r.OmitsUnset()))
		if full && f.Required {
			required = append(required, f.Name)
		}
	}
	s := newObj().set("type", "object")
	switch {
	case full && put:
		s.set("description", "A new "+r.Name+", or every writable field of one (PUT): fields left out become null.")
	case full:
		s.set("description", "A new "+r.Name+".")
	default:
		s.set("description", "The fields of "+article(r.Name)+" to change; the others keep their value.")
	}
	s.set("properties", props)
	if len(required) > 0 {
		s.set("required", required)
	}
	return s.set("additionalProperties", false)
}

// viewSchema is a view: the id under its idField, then the view's fields.
func viewSchema(r *profile.Resource, v *profile.View) *obj {
	idField := cmp.Or(v.IDField, profile.IDParam)
	props := newObj().set(idField, idSchema(r))
	required := []string{idField}
	for _, name := range v.Fields {
		for i := range r.Fields {
			if f := &r.Fields[i]; f.Name == name {
				props.set(name, fieldSchema(f, !f.Required && f.Auto == "" && !r.OmitsUnset()))
				if !r.OmitsUnset() || f.Required || f.Auto != "" {
					required = append(required, name)
				}
			}
		}
	}
	desc := cmp.Or(v.Summary, "The "+v.Name+" view of "+article(r.Name))
	return newObj().set("type", "object").set("description", strings.TrimSuffix(desc, ".")+".").
		set("properties", props).set("required", required)
}

// listSlot is the schema of a pagination placeholder in resource r's list
// (cursor is its pagination's cursor kind).
func listSlot(slot, entity string, r *profile.Resource, cursor string) *obj {
	switch slot {
	case "$nextCursor", "$previousCursor":
		s := newObj().set("type", []string{"string", "null"}).
			set("description", "The cursor of the "+strings.TrimSuffix(strings.TrimPrefix(slot, "$"), "Cursor")+" page; null when there is none.")
		if cursor != profile.CursorOpaque {
			s.set("description", "The id of the record the "+strings.TrimSuffix(strings.TrimPrefix(slot, "$"), "Cursor")+" page continues from; null when there is none.")
		}
		return s
	case "$firstId", "$lastId":
		s := idSchema(r)
		s.set("type", []string{s.get("type").(string), "null"}).
			set("description", "The id of the page's "+strings.TrimSuffix(strings.TrimPrefix(slot, "$"), "Id")+" record; null on an empty page.")
		return s
	case "$items":
		return newObj().set("type", "array").set("items", schemaRef(entity))
	case "$next", "$previous":
		return newObj().set("type", []string{"string", "null"}).set("format", "uri").
			set("description", "The URL of the "+strings.TrimPrefix(slot, "$")+" page; null at the end.")
	case "$page", "$limit", "$pageSize":
		return newObj().set("type", "integer").set("minimum", 1)
	case "$hasMore":
		return newObj().set("type", "boolean").set("description", "Whether a next page exists.")
	}
	return newObj().set("type", "integer").set("minimum", 0) // $count $total $offset $totalPages
}

// errorSlot is the schema of an error placeholder.
func errorSlot(slot string) *obj {
	if slot == "$status" {
		return newObj().set("type", "integer").set("description", "The HTTP status.")
	}
	s := newObj().set("type", "string")
	switch slot {
	case "$code":
		s.set("description", "The error code.")
	case "$message":
		s.set("description", "A human-readable message.")
	case "$reason":
		s.set("description", "The HTTP reason phrase.")
	}
	return s
}

// templateSchema derives a schema from a body template: placeholders get
// slot's schema, literal values their JSON type, objects all their keys.
func templateSchema(raw json.RawMessage, slot func(string) *obj) (*obj, error) {
	v, err := decodeOrdered(raw)
	if err != nil {
		return nil, err
	}
	return valueSchema(v, slot), nil
}

func valueSchema(v any, slot func(string) *obj) *obj {
	switch x := v.(type) {
	case *obj:
		props := newObj()
		for _, k := range x.keys {
			props.set(k, valueSchema(x.vals[k], slot))
		}
		s := newObj().set("type", "object").set("properties", props)
		if len(x.keys) > 0 {
			s.set("required", slices.Clone(x.keys))
		}
		return s
	case []any:
		s := newObj().set("type", "array")
		if len(x) > 0 {
			first, _ := marshal(valueSchema(x[0], slot))
			for _, e := range x[1:] {
				if b, _ := marshal(valueSchema(e, slot)); string(b) != string(first) {
					return s // mixed items: no constraint
				}
			}
			s.set("items", valueSchema(x[0], slot))
		}
		return s
	case string:
		if strings.HasPrefix(x, "$") && slot != nil {
			if s := slot(x); s != nil {
				return s
			}
		}
		return newObj().set("type", "string")
	case json.Number:
		if strings.ContainsAny(x.String(), ".eE") {
			return newObj().set("type", "number")
		}
		return newObj().set("type", "integer")
	case bool:
		return newObj().set("type", "boolean")
	}
	return newObj().set("type", "null")
}

// tenantObjectSchema describes what a tenant route answers: the keys of
// every tenant's object, required when all of them have it.
func (g *gen) tenantObjectSchema() (*obj, error) {
	props := newObj()
	count := map[string]int{}
	tenants := g.p.Tenancy.Tenants
	for _, t := range tenants {
		v, err := decodeOrdered(g.p.TenantObject(t.ID))
		if err != nil {
			return nil, fmt.Errorf("tenant %q: %w", t.ID, err)
		}
		o, ok := v.(*obj)
		if !ok {
			return nil, fmt.Errorf("tenant %q: object is not a JSON object", t.ID)
		}
		for _, k := range o.keys {
			if !props.has(k) {
				props.set(k, valueSchema(o.vals[k], nil))
			}
			count[k]++
		}
	}
	var required []string
	for _, k := range props.keys {
		if count[k] == len(tenants) {
			required = append(required, k)
		}
	}
	label := cmp.Or(g.p.Tenancy.Label, "tenant")
	s := newObj().set("type", "object").set("description", "The "+label+".").set("properties", props)
	if len(required) > 0 {
		s.set("required", required)
	}
	return s, nil
}

// pascal turns a name such as "syncLog", "sync/logs" or "dds-status" into
// an identifier part: "SyncLog", "SyncLogs", "DdsStatus".
func pascal(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func joinSentences(a, b string) string {
	if a == "" {
		return b
	}
	return strings.TrimSuffix(a, ".") + ". " + b
}

// article prefixes a noun with "a" or "an".
func article(noun string) string {
	if noun != "" && strings.ContainsRune("aeioAEIO", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// schema31 is an object or array field's schema (OpenAPI 3.0 words, see
// profile.Field.Schema) in this document's 3.1: nullable becomes a type
// list with "null", a boolean exclusive bound the bound's number.
func schema31(raw []byte) *obj {
	v, err := decodeOrdered(raw)
	if err != nil {
		return newObj() // validated profiles always decode
	}
	o, ok := convert31(v).(*obj)
	if !ok {
		return newObj()
	}
	return o
}

func convert31(v any) any {
	switch x := v.(type) {
	case []any:
		for i := range x {
			x[i] = convert31(x[i])
		}
		return x
	case *obj:
		out := newObj()
		nullable := x.get("nullable") == true
		for _, k := range x.keys {
			val := x.vals[k]
			switch k {
			case "nullable":
				continue
			case "exclusiveMinimum", "exclusiveMaximum":
				if val == true {
					bound := "minimum"
					if k == "exclusiveMaximum" {
						bound = "maximum"
					}
					out.set(k, x.get(bound))
				}
				continue
			case "minimum", "maximum":
				if x.get("exclusive"+strings.ToUpper(k[:1])+k[1:]) == true {
					continue
				}
			case "type":
				if t, ok := val.(string); ok && nullable {
					val = []string{t, "null"}
				}
			case "properties":
				if p, ok := val.(*obj); ok {
					props := newObj()
					for _, name := range p.keys {
						props.set(name, convert31(p.vals[name]))
					}
					val = props
				}
			case "enum":
				if e, ok := val.([]any); ok && nullable {
					val = append(e, nil)
				}
			default:
				val = convert31(val)
			}
			out.set(k, val)
		}
		return out
	}
	return v
}
