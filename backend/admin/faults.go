package admin

import (
	"net/http"

	"mockgate/backend/mockapi"
)

// FaultRequest queues a fault on one API (see mockapi.FaultSpec).
type FaultRequest = mockapi.FaultSpec

func (s *Server) addFault(w http.ResponseWriter, r *http.Request) error {
	a, err := s.pathAPI(r)
	if err != nil {
		return err
	}
	var req FaultRequest
	if err := decode(r, &req, maxBody); err != nil {
		return err
	}
	f, err := a.Engine.AddFault(req)
	if err != nil {
		return badRequest("%v", err)
	}
	writeJSON(w, http.StatusCreated, f)
	return nil
}

func (s *Server) listFaults(w http.ResponseWriter, r *http.Request) error {
	a, err := s.pathAPI(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.Engine.Faults())
	return nil
}

func (s *Server) clearFaults(w http.ResponseWriter, r *http.Request) error {
	a, err := s.pathAPI(r)
	if err != nil {
		return err
	}
	a.Engine.ClearFaults()
	w.WriteHeader(http.StatusNoContent)
	return nil
}
