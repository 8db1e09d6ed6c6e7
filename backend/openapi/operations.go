package openapi

import (
	"cmp"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"mockgate/backend/profile"
)

// operation describes one endpoint.
func (g *gen) operation(e profile.Endpoint) (*obj, error) {
	op := newObj()
	if e.Resource != nil {
		op.set("tags", []string{e.Resource.Name})
	} else {
		op.set("tags", []string{routeTag})
	}
	op.set("summary", g.summary(e))
	if d := g.description(e); d != "" {
		op.set("description", d)
	}
	op.set("operationId", g.operationID(e))
	if params := g.parameters(e); len(params) > 0 {
		op.set("parameters", params)
	}
	if body := g.requestBody(e); body != nil {
		op.set("requestBody", body)
	}
	responses := newObj()
	if err := g.successResponse(e, responses); err != nil {
		return nil, err
	}
	g.errorResponses(e, responses)
	op.set("responses", responses)
	if e.Public {
		op.set("security", []any{})
	} else {
		if e.Security != nil {
			op.set("security", e.Security)
		}
		if e.Scope != "" && g.p.Permissions.Model != profile.PermNone {
			op.set("x-required-scope", e.Scope)
		}
	}
	return op, nil
}

// operationID is stable and unique: listProduct, getProduct, createProduct,
// updateProduct (PUT), patchProduct (PATCH), deleteProduct, getBatchDds for
// a view, and method + path for a route (getSyncStatus, getCompany).
func (g *gen) operationID(e profile.Endpoint) string {
	var id string
	switch e.Kind {
	case profile.OpList, profile.OpGet, profile.OpCreate, profile.OpDelete:
		id = e.Kind + pascal(e.Resource.Name)
	case profile.OpUpdate:
		verb := "update"
		if e.Method == http.MethodPatch {
			verb = "patch"
		}
		id = verb + pascal(e.Resource.Name)
	case profile.EndpointView:
		id = "get" + pascal(e.Resource.Name) + pascal(e.View.Name)
	default:
		rel := strings.TrimPrefix(e.Path, g.p.BasePath)
		var parts []string
		for _, s := range strings.Split(rel, "/") {
			if s != "" && !strings.HasPrefix(s, "{") {
				parts = append(parts, s)
			}
		}
		id = strings.ToLower(e.Method) + cmp.Or(pascal(strings.Join(parts, "/")), "Root")
	}
	unique := id
	for i := 2; g.opIDs[unique]; i++ {
		unique = id + strconv.Itoa(i)
	}
	g.opIDs[unique] = true
	return unique
}

func (g *gen) summary(e profile.Endpoint) string {
	switch e.Kind {
	case profile.OpList:
		return "List " + e.Resource.Name + " records"
	case profile.OpGet:
		return "Get " + article(e.Resource.Name)
	case profile.OpCreate:
		return "Create " + article(e.Resource.Name)
	case profile.OpUpdate:
		if e.Method == http.MethodPatch {
			return "Update fields of " + article(e.Resource.Name)
		}
		return "Replace " + article(e.Resource.Name)
	case profile.OpDelete:
		return "Delete " + article(e.Resource.Name)
	case profile.EndpointView:
		return cmp.Or(e.View.Summary, "Get the "+e.View.Name+" of "+article(e.Resource.Name))
	}
	return cmp.Or(e.Route.Summary, e.Method+" "+e.Path)
}

// description says what the operation does and what it needs: the scope,
// the tenant, the page parameters, the body.
func (g *gen) description(e profile.Endpoint) string {
	p := g.p
	var parts []string
	switch e.Kind {
	case profile.OpList:
		pg := p.ListPagination(e.Resource)
		switch pg.Style {
		case profile.PageCursor:
			back := ""
			if pg.BeforeParam != "" {
				back = fmt.Sprintf(", or `%s` the page of those before it (not both)", pg.BeforeParam)
			}
			parts = append(parts, fmt.Sprintf("Answers one page of %s records in id order, in the list envelope. `%s` (1..%d, default %d) is the page size; `%s` takes the records after the cursor a page gave%s. A size out of range or a cursor this list did not give answers 400.",
				e.Resource.Name, pg.SizeParam, pg.MaxSize, pg.DefaultSize, pg.AfterParam, back))
		default:
			pos := fmt.Sprintf("`%s` (from 0)", pg.PositionParam)
			if pg.Style == profile.PageNumber {
				pos = fmt.Sprintf("`%s` (from 1)", pg.PositionParam)
			}
			parts = append(parts, fmt.Sprintf("Answers one page of %s records in the list envelope. %s and `%s` (1..%d, default %d) select the page; a value out of range or not an integer answers 400.",
				e.Resource.Name, pos, pg.SizeParam, pg.MaxSize, pg.DefaultSize))
		}
	case profile.OpCreate:
		parts = append(parts, "Creates a record from a JSON object (Content-Type: application/json, at most 1 MiB) and answers "+strconv.Itoa(e.Resource.CreateStatus())+" with the record and its Location."+g.requiredText(e.Resource))
	case profile.OpUpdate:
		if e.Method == http.MethodPatch {
			parts = append(parts, "Changes the fields given; the others keep their value.")
		} else {
			parts = append(parts, "Replaces every writable field: a field left out becomes null."+g.requiredText(e.Resource))
		}
	case profile.OpDelete:
		parts = append(parts, "Deletes the record for good and answers "+strconv.Itoa(e.Resource.DeleteStatus())+".")
	case profile.EndpointTenant:
		parts = append(parts, "Answers the "+cmp.Or(p.Tenancy.Label, "tenant")+" the request names.")
	}
	if e.Public {
		parts = append(parts, "Public: answered without a key.")
	} else if e.Scope != "" {
		switch p.Permissions.Model {
		case profile.PermReadWrite:
			parts = append(parts, fmt.Sprintf("Needs a key with `%s` permission.", e.Scope))
		case profile.PermScopes:
			for i, need := range strings.Fields(e.Scope) {
				s := fmt.Sprintf("Needs the scope `%s`.", need)
				if i > 0 {
					s = fmt.Sprintf("And the scope `%s`.", need)
				}
				var also []string
				for _, name := range p.ScopeNames() {
					if name != need && p.Grants([]string{name}, need) {
						also = append(also, "`"+name+"`")
					}
				}
				if len(also) > 0 {
					s += " Also granted by " + strings.Join(also, ", ") + "."
				}
				parts = append(parts, s)
			}
		}
	}
	label := cmp.Or(p.Tenancy.Label, "tenant")
	switch p.Tenancy.Kind {
	case profile.TenancySubdomain:
		parts = append(parts, fmt.Sprintf("The %s is the Host's first label (%s.localhost); without one it is %q. The key must belong to that %s.", label, p.Tenancy.Default, p.Tenancy.Default, label))
	case profile.TenancyPath:
		parts = append(parts, fmt.Sprintf("The key must belong to the %s in the path.", label))
	}
	return strings.Join(parts, " ")
}

func (g *gen) requiredText(r *profile.Resource) string {
	var req []string
	for _, f := range r.Fields {
		if f.Required {
			req = append(req, "`"+f.Name+"`")
		}
	}
	if len(req) == 0 {
		return ""
	}
	return " Required fields: " + strings.Join(req, ", ") + "."
}

var wildcardRE = regexp.MustCompile(`\{([^{}]+)\}`)

// parameters lists the path parameters in path order, then a list's page
// parameters.
func (g *gen) parameters(e profile.Endpoint) []any {
	var out []any
	t := g.p.Tenancy
	var declared []profile.Param
	switch {
	case e.Route != nil:
		declared = e.Route.Params
	case e.Resource != nil:
		declared = e.Resource.Params
	}
	for _, m := range wildcardRE.FindAllStringSubmatch(e.Path, -1) {
		name := m[1]
		param := newObj().set("name", name).set("in", "path").set("required", true)
		i := slices.IndexFunc(declared, func(p profile.Param) bool { return p.Name == name })
		switch {
		case i >= 0:
			if d := declared[i].Description; d != "" {
				param.set("description", d)
			}
			param.set("schema", newObj().set("type", "string"))
		case name == profile.IDParam && e.Resource != nil:
			param.set("description", "The "+e.Resource.Name+"'s id.").set("schema", idSchema(e.Resource))
			if e.Resource.IDPrefix == "" {
				param.set("example", 1)
			} else {
				param.set("example", e.Resource.IDPrefix+"1")
			}
		case t.Kind == profile.TenancyPath && name == t.Param:
			label := cmp.Or(t.Label, "tenant")
			param.set("description", fmt.Sprintf("The %s: one of %s. Another answers 404.", label, g.tenantList())).
				set("schema", newObj().set("type", "string")).
				set("example", t.Default)
		default:
			param.set("schema", newObj().set("type", "string"))
		}
		out = append(out, param)
	}
	if e.Kind == profile.OpList {
		pg := g.p.ListPagination(e.Resource)
		size := newObj().set("type", "integer").set("minimum", 1).set("maximum", pg.MaxSize).set("default", pg.DefaultSize)
		if pg.Style == profile.PageCursor {
			what := "the id of a record of this list"
			if pg.Cursor == profile.CursorOpaque {
				what = "a cursor a page of this list gave"
			}
			out = append(out, newObj().set("name", pg.AfterParam).set("in", "query").
				set("description", "Answers the records after this cursor: "+what+".").set("schema", newObj().set("type", "string")))
			if pg.BeforeParam != "" {
				out = append(out, newObj().set("name", pg.BeforeParam).set("in", "query").
					set("description", "Answers the records before this cursor: "+what+". Not with "+pg.AfterParam+".").set("schema", newObj().set("type", "string")))
			}
		} else {
			posMin, posDesc := 0, "How many records to skip."
			if pg.Style == profile.PageNumber {
				posMin, posDesc = 1, "The page number, from 1."
			}
			pos := newObj().set("type", "integer").set("minimum", posMin).set("maximum", maxPosition).set("default", posMin)
			out = append(out, newObj().set("name", pg.PositionParam).set("in", "query").set("description", posDesc).set("schema", pos))
		}
		out = append(out,
			newObj().set("name", pg.SizeParam).set("in", "query").
				set("description", fmt.Sprintf("How many records per page: 1..%d, default %d.", pg.MaxSize, pg.DefaultSize)).
				set("schema", size))
	}
	return out
}

func (g *gen) requestBody(e profile.Endpoint) *obj {
	var name string
	switch {
	case e.Kind == profile.OpCreate, e.Kind == profile.OpUpdate && e.Method != http.MethodPatch:
		name = g.res[e.Resource].Create
	case e.Kind == profile.OpUpdate:
		name = g.res[e.Resource].Update
	default:
		return nil
	}
	return newObj().set("required", true).set("content", newObj().
		set("application/json", newObj().set("schema", schemaRef(name))))
}

// successResponse adds the endpoint's 2xx answer.
func (g *gen) successResponse(e profile.Endpoint, responses *obj) error {
	status := http.StatusOK
	resp := newObj()
	var media *obj
	switch e.Kind {
	case profile.OpList:
		resp.set("description", "One page of "+e.Resource.Name+" records.")
		media = newObj().set("schema", schemaRef(g.res[e.Resource].List))
	case profile.OpGet, profile.OpUpdate:
		resp.set("description", "The "+e.Resource.Name+".")
		if status = http.StatusOK; e.Kind == profile.OpUpdate {
			status = e.Resource.UpdateStatus()
		}
		if status != http.StatusNoContent {
			media = newObj().set("schema", schemaRef(g.res[e.Resource].Entity))
		}
	case profile.OpCreate:
		status = e.Resource.CreateStatus()
		resp.set("description", "The new "+e.Resource.Name+".")
		media = newObj().set("schema", schemaRef(g.res[e.Resource].Entity))
	case profile.OpDelete:
		status = e.Resource.DeleteStatus()
		resp.set("description", "Deleted.")
		if len(e.Resource.DeleteBody) > 0 {
			body, err := decodeOrdered(e.Resource.DeleteBody)
			if err != nil {
				return fmt.Errorf("deleteBody: %w", err)
			}
			media = newObj().set("schema", valueSchema(body, func(string) *obj { return idSchema(e.Resource) }))
		}
	case profile.EndpointView:
		resp.set("description", cmp.Or(e.View.Summary, "The "+e.View.Name+" of the "+e.Resource.Name)+".")
		media = newObj().set("schema", schemaRef(g.res[e.Resource].Views[e.View]))
	case profile.EndpointTenant:
		resp.set("description", "The "+cmp.Or(g.p.Tenancy.Label, "tenant")+".")
		media = newObj().set("schema", schemaRef(g.tenantSchema))
		ex, err := decodeOrdered(g.p.TenantObject(g.p.Tenancy.Default))
		if err != nil {
			return fmt.Errorf("tenant object: %w", err)
		}
		media.set("example", ex)
	case profile.EndpointStatic:
		status = max(e.Route.Status, http.StatusOK)
		resp.set("description", cmp.Or(e.Route.Summary, http.StatusText(status))+".")
		if len(e.Route.Body) == 0 {
			break // 204 or 205
		}
		body, err := decodeOrdered(e.Route.Body)
		if err != nil {
			return fmt.Errorf("body: %w", err)
		}
		media = newObj().set("schema", valueSchema(body, nil)).set("example", body)
	default:
		return fmt.Errorf("unknown endpoint kind %q", e.Kind)
	}
	headers := newObj()
	if e.Kind == profile.OpCreate {
		headers.set("Location", newObj().set("description", "The path of the new record.").
			set("required", true).set("schema", newObj().set("type", "string")))
	}
	if g.p.RateLimit.PerMinute > 0 && !e.Public { // the limit is per key
		for _, h := range g.rateHeaders() {
			headers.set(h, ref("headers", h))
		}
	}
	if headers.len() > 0 {
		resp.set("headers", headers)
	}
	if media != nil {
		resp.set("content", newObj().set("application/json", media))
	}
	responses.set(strconv.Itoa(status), resp)
	return nil
}
