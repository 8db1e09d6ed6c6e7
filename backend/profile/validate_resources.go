package profile

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"mockgate/backend/envelope"
)

// MaxSeedCount bounds Seed.Count, and the seed data of a whole profile
// (every resource times every tenant): enough for the deep-page benchmark,
// and a bound on what a profile can make the server hold in memory.
const MaxSeedCount = 2_000_000

var allOps = []string{OpList, OpGet, OpCreate, OpUpdate, OpDelete}

func (c *checker) resources() {
	p := c.p
	if len(p.Resources) == 0 && len(p.Routes) == 0 {
		c.add("resources", "must list at least one resource (or routes at least one route)")
	}
	names, paths := map[string]int{}, map[string]int{}
	for i := range p.Resources {
		r := &p.Resources[i]
		at := fmt.Sprintf("resources[%d]", i)
		if !resourceNameRE.MatchString(r.Name) {
			c.add(at+".name", "must be a letter then letters, digits, '_' or '-', at most 64 (got %q)", r.Name)
		} else if j, dup := names[strings.ToLower(r.Name)]; dup {
			c.add(at+".name", "%q is also the name of resources[%d]", r.Name, j)
		} else {
			names[strings.ToLower(r.Name)] = i
		}
		switch {
		case r.Path == "" || strings.HasPrefix(r.Path, "/") || strings.HasSuffix(r.Path, "/"):
			c.add(at+".path", "must be non-empty with no leading or trailing '/' (got %q)", r.Path)
		default:
			c.wildPath(at, r.Path, r.Params, true, true)
			if j, dup := paths[r.Path]; dup {
				c.add(at+".path", "%q is also the path of resources[%d]", r.Path, j)
			}
			paths[r.Path] = i
		}
		seenOp := map[string]bool{}
		for j, op := range r.Operations {
			path := fmt.Sprintf("%s.operations[%d]", at, j)
			if c.oneOf(path, op, allOps...) && seenOp[op] {
				c.add(path, "%q is listed twice", op)
			}
			seenOp[op] = true
		}
		seenM := map[string]bool{}
		for j, m := range r.UpdateMethods {
			path := fmt.Sprintf("%s.updateMethods[%d]", at, j)
			m = strings.ToUpper(m)
			if c.oneOf(path, m, http.MethodPut, http.MethodPatch) && seenM[m] {
				c.add(path, "%q is listed twice", m)
			}
			seenM[m] = true
		}
		if len(r.UpdateMethods) > 0 && !r.Has(OpUpdate) {
			c.add(at+".updateMethods", "is set but operations has no update")
		}
		seenPub := map[string]bool{}
		for j, op := range r.PublicOperations {
			path := fmt.Sprintf("%s.publicOperations[%d]", at, j)
			switch {
			case !r.Has(op):
				c.add(path, "%q is not one of the resource's operations (%s)", op, strings.Join(r.Ops(), ", "))
			case seenPub[op]:
				c.add(path, "%q is listed twice", op)
			}
			seenPub[op] = true
		}
		if len(r.PublicOperations) > 0 {
			c.public(at+".publicOperations", "")
		}
		writes := r.Has(OpCreate) || r.Has(OpUpdate) || r.Has(OpDelete)
		for _, op := range sortedKeys(r.Security) {
			path := at + ".security." + op
			if !r.Has(op) {
				c.add(path, "%q is not an operation of the resource (%s)", op, strings.Join(r.Ops(), ", "))
				continue
			}
			// As for publicOperations, a public operation skips the
			// resource's scope rather than conflicting with it.
			c.security(path, r.Security[op], true, slices.Contains(r.PublicOperations, op), "")
		}
		c.scope(at+".readScope", r.ReadScope, false)
		if writes || r.WriteScope != "" {
			c.scope(at+".writeScope", r.WriteScope, true)
		}
		if !idPrefixRE.MatchString(r.IDPrefix) {
			c.add(at+".idPrefix", "must be at most 16 lower-case letters, digits or '_' (got %q)", r.IDPrefix)
		}
		if r.Seed.Count < 0 || r.Seed.Count > MaxSeedCount {
			c.add(at+".seed.count", "must be 0..%d (got %d)", MaxSeedCount, r.Seed.Count)
		}
		fields := c.fields(at, r.Fields)
		c.statuses(at, r)
		c.views(at, r, fields)
	}
	tenants := 1
	if p.Tenancy.Kind != TenancyNone && len(p.Tenancy.Tenants) > 0 {
		tenants = len(p.Tenancy.Tenants)
	}
	total := 0
	for _, r := range p.Resources {
		if r.Seed.Count > 0 {
			total += r.Seed.Count
		}
	}
	if total*tenants > MaxSeedCount {
		c.add("resources", "the seed data totals %d records (%d per tenant x %d tenants); a profile may seed at most %d", total*tenants, total, tenants, MaxSeedCount)
	}
}

func (c *checker) views(at string, r *Resource, fields map[string]*Field) {
	seen := map[string]bool{}
	for j := range r.Views {
		v := &r.Views[j]
		path := fmt.Sprintf("%s.views[%d]", at, j)
		if !viewNameRE.MatchString(v.Name) {
			c.add(path+".name", "must be lower-case letters, digits or '-' (got %q)", v.Name)
		} else if seen[v.Name] {
			c.add(path+".name", "%q is declared twice", v.Name)
		}
		seen[v.Name] = true
		c.scope(path+".scope", v.Scope, false)
		if v.IDField != "" && !fieldNameRE.MatchString(v.IDField) {
			c.add(path+".idField", "must be a letter or '_' then letters, digits, '_' or '-' (got %q)", v.IDField)
		}
		idField := cmp.Or(v.IDField, IDParam)
		inView := map[string]bool{}
		for k, name := range v.Fields {
			fp := fmt.Sprintf("%s.fields[%d]", path, k)
			switch {
			case fields[name] == nil:
				c.add(fp, "%q is not a field of resource %q", name, r.Name)
			case name == idField:
				c.add(fp, "%q is also the view's id field", name)
			case inView[name]:
				c.add(fp, "%q is listed twice", name)
			}
			inView[name] = true
		}
	}
}

// statuses checks a resource's documented success statuses, its delete
// body, how it writes unset fields and what it does with unknown ones.
func (c *checker) statuses(at string, r *Resource) {
	if r.Unset != "" {
		c.oneOf(at+".unset", r.Unset, UnsetNull, UnsetOmit)
	}
	if r.UnknownFields != "" {
		c.oneOf(at+".unknownFields", r.UnknownFields, UnknownRefuse, UnknownIgnore)
		if r.IgnoresUnknown() && c.p.OpenAPI == nil {
			c.add(at+".unknownFields", "%q needs openapi.document: only the document's request schema checks the properties the resource drops", UnknownIgnore)
		}
	}
	if s := r.Statuses; s != nil {
		for _, st := range []struct {
			op   string
			code int
			ok   []int
		}{
			{OpCreate, s.Create, []int{http.StatusOK, http.StatusCreated}},
			{OpUpdate, s.Update, []int{http.StatusOK, http.StatusNoContent}},
			{OpDelete, s.Delete, []int{http.StatusOK, http.StatusNoContent}},
		} {
			path := at + ".statuses." + st.op
			switch {
			case st.code == 0:
			case !slices.Contains(st.ok, st.code):
				c.add(path, "must be %d or %d (got %d)", st.ok[0], st.ok[1], st.code)
			case !r.Has(st.op):
				c.add(path, "is set but operations has no %s", st.op)
			}
		}
	}
	if len(r.DeleteBody) == 0 {
		return
	}
	if r.DeleteStatus() != http.StatusOK {
		c.add(at+".deleteBody", "needs statuses.delete 200 (a 204 has no body)")
		return
	}
	if _, err := envelope.Compile(r.DeleteBody, DeleteIDPlaceholder); err != nil {
		c.add(at+".deleteBody", "%v", err)
	}
}
