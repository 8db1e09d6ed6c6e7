package openapiimport

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"mockgate/backend/profile"
	"mockgate/backend/route"
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
		rt := profile.Route{Method: o.method, Path: rel, Kind: profile.RouteStatic, Public: o.public,
			Summary: oneLine(firstOf(o.op.Summary, o.op.OperationID, o.op.Description))}
		if o.security != nil {
			rt.Security = &o.security
		}
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
// it registers each method and path, and the OpenAPI document, on the
// engine's router (package route), which serves overlapping paths and
// refuses only a pattern that matches exactly the requests of another.
type served struct {
	rt *route.Router
}

func newServed() *served {
	s := &served{rt: route.New()}
	_ = s.rt.HandleUnlisted(http.MethodGet, profile.OpenAPIPath, http.NotFoundHandler()) // an empty router takes it
	return s
}

// add registers method and path, or says why the engine could not.
func (s *served) add(method, path string) error {
	return s.rt.Handle(method, path, http.NotFoundHandler())
}
