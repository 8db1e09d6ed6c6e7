package admin

import (
	"net/http"

	"mockgate/backend/mockapi"
)

// FaultRequest queues a fault on one API: the next matching requests
// (skipping After of them) answer Status, wait LatencyMs, or lose their
// connection, exactly Count times (default 1). Method, Path (exact, or a
// pattern with * for one path segment) and KeyID narrow what matches.
type FaultRequest struct {
	Status          int    `json:"status,omitempty"`
	Count           int    `json:"count,omitempty"`
	Method          string `json:"method,omitempty"`
	Path            string `json:"path,omitempty"`
	KeyID           string `json:"keyId,omitempty"`
	After           int    `json:"after,omitempty"`
	LatencyMs       int    `json:"latencyMs,omitempty"`
	ResetConnection bool   `json:"resetConnection,omitempty"`
}

func (s *Server) addFault(w http.ResponseWriter, r *http.Request) error {
	a, err := s.pathAPI(r)
	if err != nil {
		return err
	}
	var req FaultRequest
	if err := decode(r, &req, maxBody); err != nil {
		return err
	}
	f, err := a.Engine.AddFault(mockapi.Fault{
		Status: req.Status, Count: req.Count, Method: req.Method, Path: req.Path, KeyID: req.KeyID,
		After: req.After, LatencyMs: req.LatencyMs, ResetConnection: req.ResetConnection,
	})
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
