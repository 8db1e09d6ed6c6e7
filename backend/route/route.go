// Package route is the mock engine's router: it maps a method and a path
// to the handler of one endpoint, with {name} wildcards, and serves paths
// that overlap.
//
// A pattern is a method and a path of '/'-separated segments, each a
// literal or a {name} wildcard that matches one non-empty segment. Matching
// is Go's ServeMux's, segment by segment from the left: a literal beats a
// wildcard at the same position, and when the literal's branch finds no
// pattern further on, the wildcard's is tried (backtracking). So
//
//	GET /contacts/imports/{id}        and   GET /contacts/{contact_id}/segments
//
// both serve, /contacts/imports/segments going to the first (its literal
// comes first), /contacts/c1/segments to the second. Where ServeMux
// accepts a set of patterns, the two choose alike; where it refuses one
// (neither pattern more specific than the other) this router takes the
// pattern whose first literal comes earliest. Only two patterns that match
// exactly the same requests (the same method, and paths that differ at
// most in their wildcards' names) cannot be served together.
//
// HEAD is served by GET's pattern when it has none of its own. A request
// whose method no pattern on its path has is told the methods of the most
// specific path that matches (Allowed), for a 405 answer.
//
// Wildcard values are unescaped segment by segment, as ServeMux does
// (/users/a%2Fb gives {id} = "a/b"), and set on the request with
// SetPathValue, so handlers read them with r.PathValue as before.
package route

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Router holds the patterns. It is built once (Handle), then only read, so
// concurrent requests share it without locks.
type Router struct {
	byMethod map[string]*node // method → path tree
	paths    *node            // every path, whatever its method (Allowed)
}

// node is one segment position of a path tree.
type node struct {
	literals map[string]*node
	wildcard *node
	leaf     *leaf // a pattern ends here
}

// leaf is what a pattern's last node holds.
type leaf struct {
	path    string   // the path as first registered, for messages
	names   []string // the wildcards' names, in order
	handler http.Handler
	methods []string // in the paths tree: the methods served (HEAD after GET)
}

// New returns an empty router.
func New() *Router {
	return &Router{byMethod: map[string]*node{}, paths: &node{}}
}

// Handle registers h for method and path. It refuses a malformed path,
// and a pattern that matches exactly the requests of one registered before
// (an error naming it).
func (rt *Router) Handle(method, path string, h http.Handler) error {
	return rt.handle(method, path, h, true)
}

// HandleUnlisted registers h as Handle does, but Allowed does not know the
// path: another method there is answered as a path nothing serves.
func (rt *Router) HandleUnlisted(method, path string, h http.Handler) error {
	return rt.handle(method, path, h, false)
}

func (rt *Router) handle(method, path string, h http.Handler, listed bool) error {
	segs, names, err := parse(path)
	if err != nil {
		return err
	}
	root := rt.byMethod[method]
	if root == nil {
		root = &node{}
		rt.byMethod[method] = root
	}
	n := root.insert(segs)
	if n.leaf != nil {
		return &SameRequestsError{Pattern: method + " " + path, Other: method + " " + n.leaf.path}
	}
	n.leaf = &leaf{path: path, names: names, handler: h}
	if !listed {
		return nil
	}
	p := rt.paths.insert(segs)
	if p.leaf == nil {
		p.leaf = &leaf{path: path}
	}
	p.leaf.methods = append(p.leaf.methods, method)
	if method == http.MethodGet {
		p.leaf.methods = append(p.leaf.methods, http.MethodHead)
	}
	return nil
}

// SameRequestsError is Handle's refusal of a pattern that matches exactly
// the requests of one registered before: the same method, and a path that
// differs at most in its wildcards' names (or not at all).
type SameRequestsError struct {
	Pattern, Other string // "GET /pets/{petId}", "GET /pets/{id}"
}

func (e *SameRequestsError) Error() string {
	if e.Pattern == e.Other {
		return e.Pattern + " is registered twice"
	}
	return e.Pattern + " matches the same requests as " + e.Other
}

// parse splits a path into its segments, "" standing for a wildcard, and
// the wildcards' names. An empty segment (a trailing '/', the root "/") is
// refused: ServeMux reads a pattern ending in '/' as a whole subtree, which
// no endpoint is.
func parse(path string) (segs, names []string, err error) {
	if !strings.HasPrefix(path, "/") {
		return nil, nil, fmt.Errorf("path %q does not start with /", path)
	}
	for _, s := range strings.Split(path[1:], "/") {
		if s == "" {
			return nil, nil, fmt.Errorf("path %q has an empty segment", path)
		}
		name, wild := strings.CutPrefix(s, "{")
		if !wild {
			if strings.ContainsAny(s, "{}") {
				return nil, nil, fmt.Errorf("path %q: segment %q is neither a literal nor a {name} wildcard", path, s)
			}
			segs = append(segs, s)
			continue
		}
		name, closed := strings.CutSuffix(name, "}")
		if !closed || name == "" || strings.ContainsAny(name, "{}") {
			return nil, nil, fmt.Errorf("path %q: segment %q is neither a literal nor a {name} wildcard", path, s)
		}
		segs = append(segs, "")
		names = append(names, name)
	}
	return segs, names, nil
}

func (n *node) insert(segs []string) *node {
	for _, s := range segs {
		if s == "" {
			if n.wildcard == nil {
				n.wildcard = &node{}
			}
			n = n.wildcard
			continue
		}
		c := n.literals[s]
		if c == nil {
			if n.literals == nil {
				n.literals = map[string]*node{}
			}
			c = &node{}
			n.literals[s] = c
		}
		n = c
	}
	return n
}

// match finds the leaf for the escaped path (which starts with '/'),
// appending the wildcards' values to vals. A literal child is tried before
// the wildcard, and the wildcard after a literal branch that led nowhere.
func (n *node) match(path string, vals []string) (*leaf, []string) {
	if path == "" {
		return n.leaf, vals
	}
	seg, rest := path[1:], ""
	if i := strings.IndexByte(seg, '/'); i >= 0 {
		seg, rest = seg[:i], seg[i:]
	}
	if c := n.literals[unescape(seg)]; c != nil {
		if l, v := c.match(rest, vals); l != nil {
			return l, v
		}
	}
	if n.wildcard != nil && seg != "" {
		if l, v := n.wildcard.match(rest, append(vals, unescape(seg))); l != nil {
			return l, v
		}
	}
	return nil, vals
}

// unescape is a segment's unescaped value; an invalid escape is kept as
// written (ServeMux does the same).
func unescape(seg string) string {
	if !strings.Contains(seg, "%") {
		return seg
	}
	if u, err := url.PathUnescape(seg); err == nil {
		return u
	}
	return seg
}

// Handler returns the handler for r and sets r's path values; nil when no
// pattern of r's method (or GET's, for HEAD) matches its path.
func (rt *Router) Handler(r *http.Request) http.Handler {
	path := r.URL.EscapedPath()
	var buf [8]string // the wildcards' values: on the stack for up to 8
	l, vals := rt.lookup(r.Method, path, buf[:0])
	if l == nil && r.Method == http.MethodHead {
		l, vals = rt.lookup(http.MethodGet, path, buf[:0])
	}
	if l == nil {
		return nil
	}
	for i, name := range l.names {
		r.SetPathValue(name, vals[i])
	}
	return l.handler
}

func (rt *Router) lookup(method, path string, vals []string) (*leaf, []string) {
	root := rt.byMethod[method]
	if root == nil {
		return nil, nil
	}
	return root.match(path, vals)
}

// Allowed returns the methods served on the most specific registered path
// that matches path (GET is followed by HEAD), and that path; no methods
// when none matches.
func (rt *Router) Allowed(path string) (methods []string, pattern string) {
	var buf [8]string
	l, _ := rt.paths.match(path, buf[:0])
	if l == nil {
		return nil, ""
	}
	return l.methods, l.path
}
