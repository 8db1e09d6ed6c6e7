package profile

import (
	"fmt"
	"slices"
	"strings"
)

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r > 0x7e || !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", r)) {
			return false
		}
	}
	return true
}

func (c *checker) auth() {
	a := c.p.Auth
	if len(a.Schemes) > 0 {
		c.authSchemes()
	} else {
		c.authPlace()
	}
	seen := map[string]bool{}
	for i, q := range a.QueryParams {
		path := fmt.Sprintf("auth.queryParams[%d]", i)
		switch {
		case !queryParamRE.MatchString(q):
			c.add(path, "must be letters, digits, '_', '.' or '-' (got %q)", q)
		case seen[q]:
			c.add(path, "%q is listed twice", q)
		case q == a.Query:
			c.add(path, "%q is auth.query, where the key is read: it cannot also be refused", q)
		case slices.ContainsFunc(a.Schemes, func(s AuthScheme) bool { return s.Query == q }):
			c.add(path, "%q is the query parameter of a scheme in auth.schemes, where a key is read: it cannot also be refused", q)
		}
		seen[q] = true
	}
	k := c.p.KeyFormat
	if !keyPrefixRE.MatchString(k.Prefix) {
		c.add("keyFormat.prefix", "must be letters, digits, '_' or '-' (got %q)", k.Prefix)
	}
	c.oneOf("keyFormat.alphabet", k.Alphabet, "hex", "base62")
	if k.Length < 16 || k.Length > 128 {
		c.add("keyFormat.length", "must be 16..128 (got %d)", k.Length)
	}
}

// authPlace checks the one place of a profile without auth.schemes.
func (c *checker) authPlace() {
	a := c.p.Auth
	switch places := btoi(a.Header != "") + btoi(a.Query != "") + btoi(a.Cookie != ""); {
	case places == 0:
		c.add("auth.header", "must be an HTTP header name (got %q), unless auth.query or auth.cookie names where the key is", a.Header)
	case places > 1:
		c.add("auth", "must name one place for the key: header, query or cookie, not %d", places)
	case a.Header != "" && !isToken(a.Header):
		c.add("auth.header", "must be an HTTP header name (got %q)", a.Header)
	case a.Query != "" && !queryParamRE.MatchString(a.Query):
		c.add("auth.query", "must be a query parameter name of letters, digits, '_', '.' or '-' (got %q)", a.Query)
	case a.Cookie != "" && !isToken(a.Cookie):
		c.add("auth.cookie", "must be a cookie name (got %q)", a.Cookie)
	}
	if a.Scheme != "" && !isToken(a.Scheme) {
		c.add("auth.scheme", "must be empty or an auth scheme token such as Bearer (got %q)", a.Scheme)
	} else if a.Scheme != "" && (a.Query != "" || a.Cookie != "") {
		c.add("auth.scheme", "is only for a key in a header (got %q)", a.Scheme)
	}
}

// authSchemes checks the named places of auth.schemes: the single place
// fields are then empty, and each scheme has one place of its own.
func (c *checker) authSchemes() {
	a := c.p.Auth
	for _, f := range []struct{ name, v string }{{"header", a.Header}, {"scheme", a.Scheme}, {"query", a.Query}, {"cookie", a.Cookie}} {
		if f.v != "" {
			c.add("auth."+f.name, "must be empty when auth.schemes names the places keys are read from (got %q)", f.v)
		}
	}
	seen := map[string]bool{}
	for i, s := range a.Schemes {
		at := fmt.Sprintf("auth.schemes[%d]", i)
		switch {
		case !schemeNameRE.MatchString(s.Name):
			c.add(at+".name", "must be 1 to 64 letters, digits, '_', '.' or '-' (got %q)", s.Name)
		case seen[s.Name]:
			c.add(at+".name", "%q is declared twice", s.Name)
		}
		seen[s.Name] = true
		switch places := btoi(s.Header != "") + btoi(s.Query != "") + btoi(s.Cookie != ""); {
		case places != 1:
			c.add(at, "must name one place for the key: header, query or cookie (got %d)", places)
		case s.Header != "" && !isToken(s.Header):
			c.add(at+".header", "must be an HTTP header name (got %q)", s.Header)
		case s.Query != "" && !queryParamRE.MatchString(s.Query):
			c.add(at+".query", "must be a query parameter name of letters, digits, '_', '.' or '-' (got %q)", s.Query)
		case s.Cookie != "" && !isToken(s.Cookie):
			c.add(at+".cookie", "must be a cookie name (got %q)", s.Cookie)
		}
		if s.Scheme != "" && !isToken(s.Scheme) {
			c.add(at+".scheme", "must be empty or an auth scheme token such as Bearer or Basic (got %q)", s.Scheme)
		} else if s.Scheme != "" && s.Header == "" {
			c.add(at+".scheme", "is only for a key in a header (got %q)", s.Scheme)
		}
		if s.Scoped && c.p.Permissions.Model != PermScopes {
			c.add(at+".scoped", "needs permissions.model scopes, the vocabulary its keys' scopes come from (got %q)", c.p.Permissions.Model)
		}
	}
}

// security checks an endpoint's Security at path (nil: not set). scope is
// the endpoint's own scope, public whether it is marked public otherwise.
func (c *checker) security(path string, sec Security, set, public bool, scope string) {
	if !set {
		return
	}
	a := &c.p.Auth
	switch {
	case len(a.Schemes) == 0:
		c.add(path, "needs auth.schemes: it names the schemes an endpoint accepts")
		return
	case len(sec) == 0:
		c.public(path, scope)
		return
	case public:
		c.add(path, "must be [] or left out on a public endpoint (got %d alternatives)", len(sec))
	}
	for i, req := range sec {
		at := fmt.Sprintf("%s[%d]", path, i)
		if len(req) == 0 {
			c.add(at, "must name at least one scheme of auth.schemes; security: [] makes an endpoint public")
		}
		for _, name := range sortedKeys(req) {
			s := a.SchemeNamed(name)
			if s == nil {
				c.add(at+"."+name, "%q is not a scheme of auth.schemes", name)
				continue
			}
			if len(req[name]) > 0 && !s.Scoped {
				c.add(at+"."+name, "scheme %q is not scoped: its keys carry no scopes, so it names none (got %s)", name, quoteList(req[name]))
				continue
			}
			seen := map[string]bool{}
			for j, sc := range req[name] {
				p := fmt.Sprintf("%s.%s[%d]", at, name, j)
				switch {
				case !slices.Contains(c.p.ScopeNames(), sc):
					c.add(p, "%q is not a declared scope (permissions.scopes)", sc)
				case seen[sc]:
					c.add(p, "%q is listed twice", sc)
				}
				seen[sc] = true
			}
		}
	}
}

func (c *checker) permissions() {
	pm := c.p.Permissions
	if !c.oneOf("permissions.model", pm.Model, PermNone, PermReadWrite, PermScopes) {
		return
	}
	declared := map[string]bool{}
	for i, s := range pm.Scopes {
		path := fmt.Sprintf("permissions.scopes[%d].name", i)
		switch {
		case !scopeRE.MatchString(s.Name):
			c.add(path, "must be letters, digits or _ . : / - (got %q)", s.Name)
		case declared[s.Name]:
			c.add(path, "%q is declared twice", s.Name)
		}
		declared[s.Name] = true
	}
	switch pm.Model {
	case PermNone:
		if len(pm.Scopes) > 0 || len(pm.Implies) > 0 || len(pm.Default) > 0 {
			c.add("permissions", "scopes, implies and default must be empty when model is none")
		}
		return
	case PermReadWrite:
		names := c.p.ScopeNames()
		if len(names) != 2 || !declared["read"] || !declared["write"] {
			c.add("permissions.scopes", "must be exactly read and write when model is readwrite (got %s)", quoteList(names))
		}
		if slices.Contains(pm.Implies["read"], "write") {
			c.add("permissions.implies.read", "read may not imply write")
		}
	case PermScopes:
		if len(pm.Scopes) == 0 {
			c.add("permissions.scopes", "must declare at least one scope when model is scopes")
		}
	}
	for _, k := range sortedKeys(pm.Implies) {
		path := "permissions.implies." + k
		if !declared[k] {
			c.add(path, "%q is not a declared scope", k)
		}
		for i, s := range pm.Implies[k] {
			if !declared[s] {
				c.add(fmt.Sprintf("%s[%d]", path, i), "%q is not a declared scope", s)
			}
		}
	}
	seen := map[string]bool{}
	for i, s := range pm.Default {
		path := fmt.Sprintf("permissions.default[%d]", i)
		if !declared[s] {
			c.add(path, "%q is not a declared scope", s)
		} else if seen[s] {
			c.add(path, "%q is listed twice", s)
		}
		seen[s] = true
	}
}

// scope checks a scope a route needs; write says whether the route writes.
func (c *checker) scope(path, s string, write bool) {
	pm := c.p.Permissions
	switch pm.Model {
	case PermNone:
		if s != "" {
			c.add(path, "must be empty when permissions.model is none (got %q)", s)
		}
	case PermReadWrite:
		if write && s != "write" {
			c.add(path, "must be \"write\" for a route that writes when permissions.model is readwrite (got %q)", s)
		} else if !write && s != "" && s != "read" && s != "write" {
			c.add(path, "must be \"read\", \"write\" or empty when permissions.model is readwrite (got %q)", s)
		}
	case PermScopes:
		if s == "" {
			return
		}
		names := strings.Fields(s)
		if strings.Join(names, " ") != s {
			c.add(path, "must be scope names separated by single spaces (got %q)", s)
			return
		}
		seen := map[string]bool{}
		for _, n := range names {
			switch {
			case !slices.Contains(c.p.ScopeNames(), n):
				c.add(path, "%q is not a declared scope (permissions.scopes)", n)
			case seen[n]:
				c.add(path, "%q is listed twice", n)
			}
			seen[n] = true
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
