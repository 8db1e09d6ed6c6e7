package admin

import (
	"errors"
	"net/http"

	"mockgate/backend/state"
)

// State saves, loads and resets the whole state of the instance: records,
// keys, integrations, settings, imported profiles and the virtual clock
// (implemented by the instance, which owns them all).
type State interface {
	// SaveState returns the state as it is now.
	SaveState() (*state.Document, error)
	// LoadState checks a state document whole and puts it in force, or
	// changes nothing: a refused document's error matches state.ErrInvalid
	// (a *state.NewerError for a newer version); a failure after the
	// store was written matches state.ErrNotApplied.
	LoadState(doc []byte) (state.Summary, error)
	// ResetState brings every API back to its seed data, deleting every
	// key unless keepKeys.
	ResetState(keepKeys bool) (state.Summary, error)
}

// ResetRequest is the optional body of POST /reset.
type ResetRequest struct {
	// KeepKeys keeps every key (and the integrations they belong to).
	KeepKeys bool `json:"keepKeys,omitempty"`
}

// stateOps is the instance's State, or a 501 when it offers none.
func (s *Server) stateOps() (State, error) {
	if s.d.State == nil {
		return nil, &Error{Status: http.StatusNotImplemented, Code: "not_supported", Message: "this instance cannot save or load states"}
	}
	return s.d.State, nil
}

// getState answers the state document (mockgate state save).
func (s *Server) getState(w http.ResponseWriter, r *http.Request) error {
	st, err := s.stateOps()
	if err != nil {
		return err
	}
	doc, err := st.SaveState()
	if err != nil {
		return internal(err)
	}
	writeJSON(w, http.StatusOK, doc)
	return nil
}

// putState loads a state document (mockgate state load), all or nothing,
// and answers what is in force. The body may be as large as a state may
// be (state.MaxSize): it holds every record.
func (s *Server) putState(w http.ResponseWriter, r *http.Request) error {
	st, err := s.stateOps()
	if err != nil {
		return err
	}
	doc, err := readBody(r, state.MaxSize)
	if err != nil {
		return err
	}
	sum, err := st.LoadState(doc)
	if err != nil {
		return stateError(err)
	}
	s.clockMoved.notify()
	writeJSON(w, http.StatusOK, sum)
	return nil
}

// reset brings every API back to its seed data (mockgate reset); the body
// is optional.
func (s *Server) reset(w http.ResponseWriter, r *http.Request) error {
	st, err := s.stateOps()
	if err != nil {
		return err
	}
	var req ResetRequest
	if r.ContentLength != 0 {
		if err := decode(r, &req, maxBody); err != nil {
			return err
		}
	}
	sum, err := st.ResetState(req.KeepKeys)
	if err != nil {
		return stateError(err)
	}
	s.clockMoved.notify()
	writeJSON(w, http.StatusOK, sum)
	return nil
}

// stateError answers a refused document 400 with the problem it names; a
// state written but not put in force is a server failure that says so.
func stateError(err error) error {
	var ne *state.NewerError
	switch {
	case errors.As(err, &ne):
		return &Error{Status: http.StatusBadRequest, Code: "newer_version", Message: ne.Error() + "; nothing was changed"}
	case errors.Is(err, state.ErrInvalid):
		return &Error{Status: http.StatusBadRequest, Code: "invalid_state", Message: err.Error() + "; nothing was changed"}
	case errors.Is(err, state.ErrNotApplied):
		return &Error{Status: http.StatusInternalServerError, Code: "state_not_applied", Message: state.ErrNotApplied.Error(), Cause: err}
	}
	return internal(err)
}
