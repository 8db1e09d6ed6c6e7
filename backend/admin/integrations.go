package admin

import (
	"errors"
	"net/http"

	"mockgate/backend/integrations"
)

// IntegrationRequest creates an integration.
type IntegrationRequest struct {
	API  string `json:"api"`
	Name string `json:"name"`
}

func (s *Server) listIntegrations(w http.ResponseWriter, r *http.Request) error {
	out := s.d.Integrations.List(r.URL.Query().Get("api"))
	if out == nil {
		out = []integrations.Integration{}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) createIntegration(w http.ResponseWriter, r *http.Request) error {
	var req IntegrationRequest
	if err := decode(r, &req, maxBody); err != nil {
		return err
	}
	a, err := s.apiByID(req.API)
	if err != nil || a.Engine.Profile().Integrations == nil {
		return badRequest("api: %s is not an API with integrations", quote(req.API))
	}
	in, err := s.d.Integrations.Ensure(req.API, req.Name)
	if err != nil {
		return badRequest("%v", err)
	}
	writeJSON(w, http.StatusCreated, in)
	return nil
}

func (s *Server) setIntegration(active bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		api, name := r.PathValue("api"), r.PathValue("name")
		in, err := s.d.Integrations.SetActive(api, name, active)
		if errors.Is(err, integrations.ErrNotFound) {
			return notFound("no integration %s in API %s", quote(name), quote(api))
		}
		if err != nil {
			return internal(err)
		}
		writeJSON(w, http.StatusOK, in)
		return nil
	}
}

// deleteIntegration removes an integration, refused while keys belong to
// it: they would answer as keys of an inactive integration, under a name
// no list shows. A key made later with that name makes it again.
func (s *Server) deleteIntegration(w http.ResponseWriter, r *http.Request) error {
	api, name := r.PathValue("api"), r.PathValue("name")
	n := 0
	for _, k := range s.d.Keys.List() {
		if k.API == api && k.Integration == name {
			n++
		}
	}
	if n > 0 {
		return conflict("%d key(s) belong to integration %s of %s: delete them first", n, quote(name), quote(api))
	}
	err := s.d.Integrations.Remove(api, name)
	if errors.Is(err, integrations.ErrNotFound) {
		return notFound("no integration %s in API %s", quote(name), quote(api))
	}
	if err != nil {
		return internal(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
