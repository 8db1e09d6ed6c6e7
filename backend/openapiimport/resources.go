package openapiimport

import (
	"cmp"
	"encoding/json"
	"maps"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"mockgate/backend/profile"
)

// SeedCount is how many records an imported resource is seeded with.
const SeedCount = 25

// listed is a resource's list operation, for pagination.
type listed struct {
	res *profile.Resource
	op  *operation
}

// collections finds the resources: a path /things (nested ones like
// /a/{aId}/things too) with a list (GET answering a list of objects) or a
// create (POST), and /things/{id} with a get, update or delete; or a list
// alone. The other operations stay for routes.
func (im *importer) collections() {
	byPath := map[string]map[string]*operation{}
	var paths []string
	for _, o := range im.ops {
		if o.segs == nil {
			continue
		}
		if byPath[o.path] == nil {
			byPath[o.path] = map[string]*operation{}
			paths = append(paths, o.path)
		}
		byPath[o.path][o.method] = o
	}
	for _, coll := range paths {
		ops := byPath[coll]
		segs := ops[firstMethod(ops)].segs
		if len(segs) == 0 || segs[len(segs)-1].lit == "" {
			continue
		}
		var item map[string]*operation
		for _, p := range paths { // the first /coll/{x} in document order
			if s := byPath[p][firstMethod(byPath[p])].segs; len(s) == len(segs)+1 && s[len(s)-1].wild != "" && strings.HasPrefix(p, coll+"/") {
				item = byPath[p]
				break
			}
		}
		if item == nil && len(segs) > 1 && byPath["/"+parentPath(segs)] != nil {
			continue // /things/search: an action on a collection, for a route
		}
		im.resource(ops, item)
	}
}

// parentPath is a path without its last segment, as the document writes it.
func parentPath(segs []segment) string {
	parts := make([]string, len(segs)-1)
	for i, s := range segs[:len(segs)-1] {
		parts[i] = s.lit
		if s.wild != "" {
			parts[i] = "{" + s.wild + "}"
		}
	}
	return strings.Join(parts, "/")
}

func firstMethod(ops map[string]*operation) string {
	for _, m := range methods {
		if ops[m] != nil {
			return m
		}
	}
	return ""
}

// resource makes a resource of a collection's and its item's operations
// when they form one.
func (im *importer) resource(coll, item map[string]*operation) {
	list, create := coll["GET"], coll["POST"]
	if list != nil && listItems(list) == nil {
		list = nil // not a list: it stays a route
	}
	get, put, patch, del := item["GET"], item["PUT"], item["PATCH"], item["DELETE"]
	hasItem := get != nil || put != nil || patch != nil || del != nil
	if list == nil && (create == nil || !hasItem) {
		return
	}
	entity, from := im.entity(get, list, create, put, patch)
	if entity == nil {
		return
	}
	requiredElsewhere(entity, get, create, put, patch)
	segs := coll[firstMethod(coll)].segs
	rel, params := im.relPath(segs, nil, true)
	r := profile.Resource{Name: im.resourceName(segs), Path: rel, Seed: profile.Seed{Count: SeedCount}}
	for _, n := range params {
		r.Params = append(r.Params, profile.Param{Name: n, Description: im.paramDescription(coll, segs, n, params)})
	}
	// The item's shape names its wildcards the collection's way, then id.
	itemPath := append(slices.Clone(segs), segment{wild: profile.IDParam})
	im.relPath(itemPath, map[int]string{len(segs): profile.IDParam}, true)
	type opOf struct {
		name string
		o    *operation
	}
	var members []opOf
	for _, m := range []opOf{{profile.OpList, list}, {profile.OpGet, get}, {profile.OpCreate, create}, {profile.OpUpdate, put}, {profile.OpUpdate, patch}, {profile.OpDelete, del}} {
		if m.o == nil {
			continue
		}
		full := im.fullPath(rel)
		if m.o == get || m.o == put || m.o == patch || m.o == del {
			full += "/{" + profile.IDParam + "}"
		}
		if im.served.add(m.o.method, full) != nil {
			continue // routes says why
		}
		members = append(members, m)
		if !slices.Contains(r.Operations, m.name) {
			r.Operations = append(r.Operations, m.name)
		}
		if m.name == profile.OpUpdate {
			r.UpdateMethods = append(r.UpdateMethods, m.o.method)
		}
	}
	if len(members) == 0 {
		return
	}
	if len(r.UpdateMethods) == 2 {
		r.UpdateMethods = nil // both, the default
	}
	if len(r.Operations) == 5 {
		r.Operations = nil // all five, the default
	}
	ops := make([]namedOp, len(members))
	for i, m := range members {
		ops[i] = namedOp{m.name, m.o}
	}
	im.resourceSecurity(&r, ops)
	var createShape *objectShape
	if create != nil {
		createShape = flatten(requestSchema(create))
	}
	r.Fields = im.fields(r.Name, entity, createShape)
	r.Unset = profile.UnsetOmit // a property the document does not say nullable is never null
	if im.p.OpenAPI != nil {
		// The engine checks bodies against the document's request schema,
		// whose properties the fields (from the response schema) may lack.
		r.UnknownFields = profile.UnknownIgnore
	}
	r.IDPrefix = im.idPrefix(r.Name, item, segs, entity)
	im.p.Resources = append(im.p.Resources, r)
	res := &im.p.Resources[len(im.p.Resources)-1]
	sum := ResourceSummary{Name: r.Name, Path: r.Path, Fields: len(r.Fields), Seed: r.Seed.Count, Schema: from}
	for _, m := range members {
		m.o.resource = true
		verb := m.name
		if m.name == profile.OpUpdate {
			verb += " (" + m.o.method + ")"
		}
		m.o.sum.MappedTo = ByResource + " " + r.Name + ": " + verb
		sum.Operations = append(sum.Operations, verb)
		im.documentStatus(res, m.o, m.name)
		im.mediaGap(m.o)
		if m.o == list {
			im.lists = append(im.lists, listed{res: res, op: list})
		}
	}
	im.sum.Resources = append(im.sum.Resources, sum)
}

// fullPath is a relative path under the base path.
func (im *importer) fullPath(rel string) string {
	if rel == "" {
		return im.p.BasePath
	}
	return im.p.BasePath + "/" + rel
}

// entity returns the schema of one record: what get answers, else an item
// of the list, else the body of create or update; from names it.
func (im *importer) entity(get, list, create, put, patch *operation) (*objectShape, string) {
	if get != nil {
		if _, resp := success(get); resp != nil {
			if _, m := jsonMedia(resp.Content); m != nil {
				s := m.Schema
				if list != nil {
					s = commonAlternative(s, listItems(list))
				}
				if sh := flatten(s); sh != nil {
					return sh, schemaName(s, get.where()+" answer")
				}
			}
		}
	}
	if list != nil {
		if it := listItems(list); it != nil {
			return flatten(it), schemaName(it, list.where()+" list items")
		}
	}
	for _, o := range []*operation{create, put, patch} {
		if o == nil {
			continue
		}
		if s := requestSchema(o); s != nil {
			if sh := flatten(s); sh != nil {
				return sh, schemaName(s, o.where()+" body")
			}
		}
	}
	return nil, ""
}

// commonAlternative is the first alternative of get's polymorphic answer
// (anyOf, oneOf) that the list's polymorphic items also offer, else get:
// a record must fit both (Stripe's customer sources: get answers an
// account, a bank account, a card or a source, the list only the last
// three).
func commonAlternative(get, items *openapi3.SchemaRef) *openapi3.SchemaRef {
	alts := func(r *openapi3.SchemaRef) openapi3.SchemaRefs {
		if r == nil || r.Value == nil {
			return nil
		}
		return append(slices.Clone(r.Value.AnyOf), r.Value.OneOf...)
	}
	theirs := alts(items)
	if len(theirs) == 0 {
		return get
	}
	for _, a := range alts(get) {
		for _, b := range theirs {
			if a != nil && b != nil && a.Value != nil && a.Value == b.Value {
				return a
			}
		}
	}
	return get
}

// requiredElsewhere adds to entity the properties the other operations'
// answers require and it lacks (Adyen's create answer adds the new
// credential's username): the record answers every one of them.
func requiredElsewhere(entity *objectShape, ops ...*operation) {
	for _, o := range ops {
		if o == nil {
			continue
		}
		_, resp := success(o)
		if resp == nil {
			continue
		}
		_, m := jsonMedia(resp.Content)
		if m == nil {
			continue
		}
		sh := flatten(m.Schema)
		if sh == nil {
			continue
		}
		for _, name := range sh.names {
			if _, has := entity.props[name]; !has && sh.required[name] {
				entity.names = append(entity.names, name)
				entity.props[name] = sh.props[name]
				entity.required[name] = true
			}
		}
	}
}

func schemaName(r *openapi3.SchemaRef, fallback string) string {
	if i := strings.LastIndex(r.Ref, "/"); r.Ref != "" && i >= 0 {
		return r.Ref[i+1:]
	}
	return fallback
}

// success is an operation's success answer: its lowest 2xx status (a
// 2XX range counts as 200), else 200 with its default answer.
func success(o *operation) (int, *openapi3.Response) {
	if o.op.Responses == nil {
		return http.StatusOK, nil
	}
	best, bestKey := 0, ""
	for _, k := range o.op.Responses.Keys() {
		code, err := strconv.Atoi(k)
		if strings.EqualFold(k, "2XX") {
			code, err = 299, nil // below any exact 2xx
		}
		if err == nil && code >= 200 && code <= 299 && (best == 0 || code < best) {
			best, bestKey = code, k
		}
	}
	if best == 0 {
		if d := o.op.Responses.Default(); d != nil {
			return http.StatusOK, d.Value
		}
		return http.StatusOK, nil
	}
	if best == 299 {
		best = http.StatusOK
	}
	return best, o.op.Responses.Value(bestKey).Value
}

// requestSchema is the schema of an operation's JSON request body.
func requestSchema(o *operation) *openapi3.SchemaRef {
	if o.op.RequestBody == nil || o.op.RequestBody.Value == nil {
		return nil
	}
	if _, m := jsonMedia(o.op.RequestBody.Value.Content); m != nil {
		return m.Schema
	}
	return nil
}

// itemsNames are the properties a list envelope usually holds its items in.
var itemsNames = []string{"data", "items", "results", "records", "list", "values", "content", "entries"}

// listItems returns the schema of the items an operation answers a list
// of: the items of a bare array, or of the array in its envelope (the
// usual names first, then the first array of objects, one level deep).
func listItems(o *operation) *openapi3.SchemaRef {
	_, resp := success(o)
	if resp == nil {
		return nil
	}
	_, m := jsonMedia(resp.Content)
	if m == nil || m.Schema == nil || m.Schema.Value == nil {
		return nil
	}
	if typeOf(m.Schema.Value) == openapi3.TypeArray {
		if flatten(m.Schema.Value.Items) != nil {
			return m.Schema.Value.Items
		}
		return nil
	}
	_, items := envelopeItems(flatten(m.Schema), 0)
	return items
}

// envelopeItems finds the array of objects in a list envelope: its path
// of property names and its items' schema.
func envelopeItems(sh *objectShape, depth int) ([]string, *openapi3.SchemaRef) {
	if sh == nil || depth > 1 {
		return nil, nil
	}
	names := slices.Clone(sh.names)
	slices.SortStableFunc(names, func(a, b string) int {
		return btoi(!slices.Contains(itemsNames, strings.ToLower(a))) - btoi(!slices.Contains(itemsNames, strings.ToLower(b)))
	})
	for _, n := range names {
		p := sh.props[n]
		if p == nil || p.Value == nil {
			continue
		}
		if typeOf(p.Value) == openapi3.TypeArray && flatten(p.Value.Items) != nil {
			return []string{n}, p.Value.Items
		}
	}
	for _, n := range sh.names {
		if p := sh.props[n]; p != nil && p.Value != nil && typeOf(p.Value) == openapi3.TypeObject {
			if path, items := envelopeItems(flatten(p), depth+1); items != nil {
				return append([]string{n}, path...), items
			}
		}
	}
	return nil, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

var resourceNameBad = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// resourceName is the singular of the collection's name, prefixed with its
// parent's when another resource has it.
func (im *importer) resourceName(segs []segment) string {
	var lits []string
	for _, s := range segs {
		if s.lit != "" {
			lits = append(lits, s.lit)
		}
	}
	name := ""
	for i := len(lits) - 1; i >= 0; i-- {
		part := strings.Trim(resourceNameBad.ReplaceAllString(singular(lits[i]), "-"), "-_")
		if name == "" {
			name = part
		} else {
			name = part + "-" + name
		}
		if name != "" && !im.resourceNamed(name) {
			break
		}
	}
	if name == "" || name[0] < 'A' || name[0] > 'z' || name[0] > 'Z' && name[0] < 'a' {
		name = "r-" + name
	}
	if len(name) > 60 {
		name = name[:60]
	}
	base := name
	for i := 2; im.resourceNamed(name); i++ {
		name = base + strconv.Itoa(i)
	}
	return name
}

func (im *importer) resourceNamed(name string) bool {
	return slices.ContainsFunc(im.p.Resources, func(r profile.Resource) bool { return strings.EqualFold(r.Name, name) })
}

// singular is a plural English noun's singular, roughly: enough for names.
func singular(s string) string {
	low := strings.ToLower(s)
	switch {
	case len(s) > 4 && strings.HasSuffix(low, "ies"):
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(low, "sses"), strings.HasSuffix(low, "xes"), strings.HasSuffix(low, "ches"), strings.HasSuffix(low, "shes"):
		return s[:len(s)-2]
	case strings.HasSuffix(low, "ss"), strings.HasSuffix(low, "us"), strings.HasSuffix(low, "is"):
		return s
	case len(s) > 1 && strings.HasSuffix(low, "s"):
		return s[:len(s)-1]
	}
	return s
}

// paramDescription is the document's description of a collection path's
// wildcard (named n in the profile).
func (im *importer) paramDescription(ops map[string]*operation, segs []segment, n string, names []string) string {
	i := slices.Index(names, n)
	w := -1
	for _, s := range segs {
		if s.wild != "" {
			w++
			if w == i {
				return im.docParamDescription(ops[firstMethod(ops)], s.wild)
			}
		}
	}
	return ""
}

// docParamDescription is the description of an operation's path parameter.
func (im *importer) docParamDescription(o *operation, name string) string {
	for _, p := range o.params {
		if p.In == openapi3.ParameterInPath && p.Name == name {
			return oneLine(p.Description)
		}
	}
	return ""
}

// idPrefix makes string ids ("email_1") when the document's ids are
// strings, and says so where they have a format mockgate does not make.
func (im *importer) idPrefix(name string, item map[string]*operation, segs []segment, entity *objectShape) string {
	var schema *openapi3.Schema
	where := name
	if o := item[firstMethod(item)]; o != nil {
		where = o.path
		for _, p := range o.params {
			if p.In == openapi3.ParameterInPath && p.Name == o.segs[len(segs)].wild && p.Schema != nil {
				schema = p.Schema.Value
			}
		}
	}
	// The record's own id property says first (Petstore's User has an
	// integer id but is addressed by its username; a collection without
	// /{id} has only it), else the path's.
	if id := entity.props["id"]; id != nil && id.Value != nil {
		if t := typeOf(id.Value); t == openapi3.TypeString {
			schema = id.Value
		} else if t == openapi3.TypeInteger || t == openapi3.TypeNumber {
			return ""
		}
	}
	if schema == nil {
		return ""
	}
	if schema != nil && (typeOf(schema) == openapi3.TypeInteger || typeOf(schema) == openapi3.TypeNumber) {
		return ""
	}
	prefix := strings.Trim(regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(strings.ToLower(name), "_"), "_")
	if len(prefix) > 12 {
		prefix = prefix[:12]
	}
	prefix += "_"
	if schema.Format != "" {
		im.gap(where, "ids are %s<n> (%s1, %s2, ...), not of the document's format %q", prefix, prefix, prefix, schema.Format)
	}
	return prefix
}

// namedOp is a document operation and the resource operation it serves.
type namedOp struct {
	name string
	o    *operation
}

// resourceSecurity gives each operation of r the security of the
// document's operation: public ones in publicOperations, the others in
// security. The one update operation takes its PUT's (its first method's)
// where PUT and PATCH differ, said in a gap.
func (im *importer) resourceSecurity(r *profile.Resource, members []namedOp) {
	from := map[string]*operation{}
	for _, m := range members {
		name, o := m.name, m.o
		if prev, done := from[name]; done {
			if prev.public != o.public || !reflect.DeepEqual(prev.security, o.security) {
				im.gap(o.where(), "its security differs from %s's, which the resource's one update takes: %s", prev.where(), cmp.Or(prev.sum.Security, "public"))
			}
			continue
		}
		from[name] = o
		switch {
		case o.public:
			r.PublicOperations = append(r.PublicOperations, name)
		case o.security != nil:
			if r.Security == nil {
				r.Security = map[string]profile.Security{}
			}
			r.Security[name] = o.security
		}
	}
}

// documentStatus makes a resource operation answer the success status
// the document gives it where the engine can (create 200 or 201, update
// 200 or 204, delete 204 or 200 with the documented body), and says where
// it cannot.
func (im *importer) documentStatus(r *profile.Resource, o *operation, op string) {
	got, resp := success(o)
	switch {
	case op == profile.OpCreate && got == http.StatusOK:
		ptrOf(r).Create = got
	case op == profile.OpUpdate && got == http.StatusNoContent:
		if len(r.UpdateMethods) != 1 { // one update status per resource
			im.gap(o.where(), "the resource's PUT and PATCH both answer 204 No Content, as the document says for this one")
		}
		ptrOf(r).Update = got
	case op == profile.OpDelete && got == http.StatusOK:
		ptrOf(r).Delete = got
		im.deleteBody(r, o, resp)
	default:
		want := map[string]int{profile.OpList: 200, profile.OpGet: 200, profile.OpCreate: 201, profile.OpUpdate: r.UpdateStatus(), profile.OpDelete: 204}[op]
		if got != want {
			im.gap(o.where(), "answers %d %s as a resource's %s does; the document says %d", want, http.StatusText(want), op, got)
		}
	}
}

// ptrOf returns r's statuses, made when it has none.
func ptrOf(r *profile.Resource) *profile.Statuses {
	if r.Statuses == nil {
		r.Statuses = &profile.Statuses{}
	}
	return r.Statuses
}

// deleteBody is what a documented 200 delete answers: the document's
// example or a body generated from its schema, with its top-level "id"
// the deleted record's.
func (im *importer) deleteBody(r *profile.Resource, o *operation, resp *openapi3.Response) {
	raw, _, ok := body(resp)
	if !ok {
		return // the document's 200 has no JSON body: none is sent
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		im.gap(o.where(), "answers 200 without a body: the document's answer is not a JSON object")
		return
	}
	for k, v := range obj {
		obj[k] = literal(v)
	}
	if _, has := obj[profile.IDParam]; has {
		obj[profile.IDParam] = profile.DeleteIDPlaceholder
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return
	}
	r.DeleteBody = b
}

// mediaGap says which request bodies the mock does not take: it takes
// JSON, and a form where the engine can read the document's form.
func (im *importer) mediaGap(o *operation) {
	if o.op.RequestBody == nil || o.op.RequestBody.Value == nil {
		return
	}
	var other []string
	for _, mt := range slices.Sorted(maps.Keys(o.op.RequestBody.Value.Content)) {
		if !isJSON(mt) && (!profile.IsForm(mt) || profile.FormBody(o.op) == nil) {
			other = append(other, mt)
		}
	}
	if len(other) > 0 {
		im.gap(o.where(), "takes JSON bodies only; the document also accepts %s", strings.Join(other, ", "))
	}
}
