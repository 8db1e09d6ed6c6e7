package openapiimport

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"mockgate/backend/profile"
	"mockgate/backend/sample"
)

// routes serves every operation no resource took with a static route: its
// success status, and the document's example or data generated from the
// response schema.
func (im *importer) routes() {
	for _, o := range im.ops {
		if o.segs == nil || o.resource {
			continue
		}
		rel, names := im.relPath(o.segs, nil, false)
		if err := im.served.add(o.method, im.fullPath(rel)); err != nil {
			im.gap(o.where(), "not served: %v", err)
			continue
		}
		rt := profile.Route{Method: o.method, Path: rel, Kind: profile.RouteStatic, Public: o.public, Scope: o.scope,
			Summary: oneLine(firstOf(o.op.Summary, o.op.OperationID, o.op.Description))}
		w := 0
		for _, s := range o.segs {
			if s.wild != "" {
				rt.Params = append(rt.Params, profile.Param{Name: names[w], Description: im.docParamDescription(o, s.wild)})
				w++
			}
		}
		status, resp := success(o)
		if status != http.StatusOK {
			rt.Status = status
		}
		how := ByNoBody
		switch b, by, ok := body(resp); {
		case status == http.StatusNoContent || status == http.StatusResetContent:
		case ok:
			rt.Body, how = b, by
		default:
			rt.Body, how = json.RawMessage(`{}`), BySchema
			if resp != nil && len(resp.Content) > 0 {
				im.gap(o.where(), "answers {} as JSON; the document's %d answer is %s", status, strings.Join(slices.Sorted(maps.Keys(resp.Content)), ", "))
			} else {
				im.gap(o.where(), "the document's %d answer has no body; the route answers {} (only a 204 or 205 route has none)", status)
			}
		}
		if how == BySchema && len(rt.Body) > 2 && resp != nil {
			if _, m := jsonMedia(resp.Content); m != nil && m.Schema != nil && hasCycle(m.Schema) {
				im.gap(o.where(), "its answer's schema is circular: the generated body stops at depth %d", sample.MaxDepth)
			}
		}
		im.p.Routes = append(im.p.Routes, rt)
		o.sum.MappedTo = "route (" + how + ")"
	}
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// hasCycle reports whether a schema refers back to itself.
func hasCycle(r *openapi3.SchemaRef) bool {
	onPath := map[*openapi3.Schema]bool{}
	done := map[*openapi3.Schema]bool{}
	var walk func(r *openapi3.SchemaRef) bool
	walk = func(r *openapi3.SchemaRef) bool {
		if r == nil || r.Value == nil || done[r.Value] {
			return false
		}
		s := r.Value
		if onPath[s] {
			return true
		}
		onPath[s] = true
		defer func() { onPath[s], done[s] = false, true }()
		kids := append(append(append([]*openapi3.SchemaRef{s.Items, s.AdditionalProperties.Schema}, s.AllOf...), s.OneOf...), s.AnyOf...)
		for _, p := range s.Properties {
			kids = append(kids, p)
		}
		for _, k := range kids {
			if walk(k) {
				return true
			}
		}
		return false
	}
	return walk(r)
}

// served checks, as routes are added, that the engine can serve them all:
// it registers what the engine registers (each method and path, the
// OpenAPI document; and each path alone for its 405 answer, in a mux of
// its own) on ServeMuxes, which refuse conflicting patterns.
type served struct {
	mux, allowed *http.ServeMux
	patterns     map[string]bool
	accepted     [][2]string
}

func newServed() *served {
	s := &served{}
	s.rebuild()
	return s
}

func (s *served) rebuild() {
	s.mux, s.allowed = http.NewServeMux(), http.NewServeMux()
	s.patterns = map[string]bool{}
	_ = s.register(s.mux, "GET "+profile.OpenAPIPath)
	for _, a := range s.accepted {
		_ = s.register(s.mux, a[0]+" "+a[1])
		_ = s.register(s.allowed, a[1])
	}
}

// add registers method and path, or says why the engine could not.
func (s *served) add(method, path string) error {
	if s.patterns[method+" "+path] {
		return fmt.Errorf("%s %s is served twice", method, path)
	}
	if err := s.register(s.mux, method+" "+path); err != nil {
		return err
	}
	if err := s.register(s.allowed, path); err != nil {
		s.rebuild() // drop the method's pattern again
		return err
	}
	s.accepted = append(s.accepted, [2]string{method, path})
	return nil
}

var (
	registeredAt = regexp.MustCompile(` \(registered at [^)]*\)`)
	conflictRE   = regexp.MustCompile(`conflicts with pattern "([^"]+)"`)
	likeRE       = regexp.MustCompile(`like ("[^"]*")`)
)

func (s *served) register(mux *http.ServeMux, pattern string) (err error) {
	if s.patterns[pattern] {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprint(r)
			if m := conflictRE.FindStringSubmatch(msg); m != nil {
				like := ""
				if l := likeRE.FindStringSubmatch(msg); l != nil {
					like = ", like " + l[1] + ","
				}
				err = fmt.Errorf("the engine's router (Go's ServeMux) cannot serve it beside %s: both match some paths%s and neither is more specific", m[1], like)
				return
			}
			first, _, _ := strings.Cut(registeredAt.ReplaceAllString(msg, ""), "\n")
			err = errors.New(first)
		}
	}()
	mux.HandleFunc(pattern, func(http.ResponseWriter, *http.Request) {})
	s.patterns[pattern] = true
	return nil
}
