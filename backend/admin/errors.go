package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
)

// Handlers return errors; one adapter (handle) writes them, as pkgsite's
// internal/api and tailscale's tsweb.ReturnHandler do. A handler that
// answers writes its response itself and returns nil.

// handlerFunc is an admin API handler.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// Error is an admin API failure: the status and the envelope the client
// gets, and an internal cause that is logged and never sent.
type Error struct {
	Status  int
	Code    string
	Message string
	// Problems lists every problem of a refused document (a profile), each
	// naming its place.
	Problems []string
	// Cause is for the log only.
	Cause error
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Cause)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Cause }

// The admin API's error codes, one constructor each.

func badRequest(format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Code: "bad_request", Message: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) *Error {
	return &Error{Status: http.StatusNotFound, Code: "not_found", Message: fmt.Sprintf(format, args...)}
}

func conflict(format string, args ...any) *Error {
	return &Error{Status: http.StatusConflict, Code: "conflict", Message: fmt.Sprintf(format, args...)}
}

func tooLarge(limit int64) *Error {
	return &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Message: fmt.Sprintf("request body over %d MiB", limit>>20)}
}

// internal hides err from the client and logs it.
func internal(err error) *Error {
	return &Error{Status: http.StatusInternalServerError, Code: "internal", Message: "internal error (see the mockgate log)", Cause: err}
}

// envelope is the admin API's error body.
type envelope struct {
	Error struct {
		Code     string   `json:"code"`
		Message  string   `json:"message"`
		Problems []string `json:"problems,omitempty"`
	} `json:"error"`
}

// writeError is the one writer of admin API errors: an *Error as it says,
// anything else as an internal error. Causes of server errors are logged.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = internal(err)
	}
	if e.Status >= 500 && e.Cause != nil {
		if log == nil {
			log = slog.Default()
		}
		log.Error("admin API failure", "method", r.Method, "path", r.URL.Path, "err", e.Cause)
	}
	var body envelope
	body.Error.Code, body.Error.Message, body.Error.Problems = e.Code, e.Message, e.Problems
	writeJSON(w, e.Status, body)
}

// handle adapts a handler that returns an error.
func (s *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			writeError(w, r, s.d.Logger, err)
		}
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"error":{"code":"internal","message":"could not encode the response"}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(data)
}

// Body limits of decode and readBody.
const (
	maxBody = 1 << 20
	// maxImportBody bounds POST /profiles alone: it takes whole OpenAPI
	// documents, and real vendors' run to several MB (Stripe's is 4.4 MB):
	// room for the largest with some to spare; every other route keeps
	// maxBody.
	maxImportBody = 32 << 20
)

// decode reads a JSON request body of at most limit bytes into v, refusing
// unknown fields.
func decode(r *http.Request, v any, limit int64) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, limit))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var mbe *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &mbe):
		return tooLarge(limit)
	case errors.Is(err, io.EOF):
		return badRequest("request body is empty: expected a JSON object")
	default:
		return badRequest("invalid JSON body: %v", err)
	}
}

// readBody reads a raw body of at most limit bytes.
func readBody(r *http.Request, limit int64) ([]byte, error) {
	src, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, limit))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, tooLarge(limit)
	}
	if err != nil {
		return nil, badRequest("reading the request body: %v", err)
	}
	return src, nil
}
