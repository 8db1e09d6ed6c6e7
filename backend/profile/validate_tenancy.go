package profile

import (
	"fmt"
	"strings"
)

func (c *checker) tenancy() {
	t := c.p.Tenancy
	if !c.oneOf("tenancy.kind", t.Kind, TenancyNone, TenancySubdomain, TenancyPath) {
		return
	}
	if t.Kind == TenancyNone {
		if len(t.Tenants) > 0 || t.Default != "" || t.PathPrefix != "" || t.Param != "" {
			c.add("tenancy", "tenants, default, pathPrefix and param must be empty when kind is none")
		}
		return
	}
	if len(t.Tenants) == 0 {
		c.add("tenancy.tenants", "must list at least one tenant when kind is %s", t.Kind)
	}
	seen := map[string]bool{}
	for i, tn := range t.Tenants {
		path := fmt.Sprintf("tenancy.tenants[%d]", i)
		switch {
		case t.Kind == TenancySubdomain && !dnsLabelRE.MatchString(tn.ID):
			c.add(path+".id", "must be a DNS label: lower-case letters, digits and '-', at most 63 (got %q)", tn.ID)
		case t.Kind == TenancyPath && (!segmentRE.MatchString(tn.ID) || tn.ID == "." || tn.ID == ".."):
			c.add(path+".id", "must be a path segment: letters, digits or . _ ~ : @ - (got %q)", tn.ID)
		case seen[tn.ID]:
			c.add(path+".id", "%q is listed twice", tn.ID)
		}
		seen[tn.ID] = true
		if len(tn.Object) > 0 && !isJSONObject(tn.Object) {
			c.add(path+".object", "must be a JSON object")
		}
	}
	if !seen[t.Default] {
		c.add("tenancy.default", "must be one of the tenants' ids (got %q)", t.Default)
	}
	if t.Kind == TenancySubdomain {
		if t.PathPrefix != "" || t.Param != "" {
			c.add("tenancy", "pathPrefix and param are only for kind path")
		}
		return
	}
	if !paramRE.MatchString(t.Param) {
		c.add("tenancy.param", "must be a name of letters, digits and '_' not starting with a digit (got %q)", t.Param)
		return
	}
	if t.Param == IDParam {
		c.add("tenancy.param", "must not be %q: records use it", IDParam)
	}
	wild := "{" + t.Param + "}"
	if strings.Count(t.PathPrefix, wild) != 1 {
		c.add("tenancy.pathPrefix", "must contain %s exactly once (got %q)", wild, t.PathPrefix)
		return
	}
	for _, s := range strings.Split(t.PathPrefix, "/") {
		if s != wild && !segmentRE.MatchString(s) {
			c.add("tenancy.pathPrefix", "segment %q must be %s or letters, digits or . _ ~ : @ - (got %q)", s, wild, t.PathPrefix)
			return
		}
	}
}
