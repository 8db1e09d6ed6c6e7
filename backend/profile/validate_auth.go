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
