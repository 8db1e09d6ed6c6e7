package admin

import (
	"encoding/json"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"mockgate/backend/journal"
)

// RequestSummary is a request-log entry without headers and bodies, for
// lists and the live stream.
type RequestSummary = journal.Summary

// requestFilter reads the request-log filters of a query: api, method,
// path (exact, or a glob: /v1/users/*), status (401, or a class: 4xx), key
// (a key id), code (the API's error code), verdict, since and until (RFC
// 3339, the mock's time), before (an entry id: older entries) and limit
// (1-1000, default 100).
func requestFilter(r *http.Request) (journal.Filter, error) {
	q := r.URL.Query()
	for name := range q {
		if !slices.Contains(requestFilters, name) {
			return journal.Filter{}, badRequest("unknown filter %s (filters: %s)", quote(name), strings.Join(requestFilters, ", "))
		}
	}
	f := journal.Filter{API: q.Get("api"), KeyID: q.Get("key"), Code: q.Get("code"), Limit: 100,
		Method: strings.ToUpper(q.Get("method")), Path: q.Get("path")}
	if v := q.Get("status"); v != "" {
		if len(v) == 3 && v[1:] == "xx" && v[0] >= '1' && v[0] <= '5' {
			f.StatusClass = int(v[0] - '0')
		} else if n, err := strconv.Atoi(v); err == nil && n >= 100 && n <= 599 {
			f.Status = n
		} else {
			return f, badRequest("status must be a status code (401) or a class (4xx)")
		}
	}
	if v := q.Get("verdict"); v != "" {
		if !slices.Contains(journal.Verdicts, v) {
			return f, badRequest("verdict must be one of %s", strings.Join(journal.Verdicts, ", "))
		}
		f.Verdict = v
	}
	if f.Path != "" {
		if _, err := path.Match(f.Path, "/"); err != nil || f.Path[0] != '/' {
			return f, badRequest("path must start with / and be a valid pattern such as /v1/users/* (got %s)", quote(f.Path))
		}
	}
	for _, t := range []struct {
		name string
		to   *time.Time
	}{{"since", &f.Since}, {"until", &f.Until}} {
		if v := q.Get(t.name); v != "" {
			at, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return f, badRequest("%s must be an RFC 3339 time such as 2026-12-02T10:00:00Z (got %s)", t.name, quote(v))
			}
			*t.to = at
		}
	}
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return f, badRequest("before must be a request id")
		}
		f.Before = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > journal.MaxLimit {
			return f, badRequest("limit must be an integer between 1 and %d", journal.MaxLimit)
		}
		f.Limit = n
	}
	return f, nil
}

// requestFilters are the query parameters requestFilter reads (the names
// of logFilters, which documents them).
var requestFilters = func() []string {
	names := make([]string, len(logFilters))
	for i, q := range logFilters {
		names[i] = q.name
	}
	return names
}()

// listRequests answers a page of the request log, newest first, filtered
// (see requestFilter).
func (s *Server) listRequests(w http.ResponseWriter, r *http.Request) error {
	f, err := requestFilter(r)
	if err != nil {
		return err
	}
	entries := s.d.Journal.Query(f)
	out := make([]RequestSummary, len(entries))
	for i := range entries {
		out[i] = entries[i].Summary
	}
	writeJSON(w, http.StatusOK, RequestPage{Requests: out, Total: s.d.Journal.Len()})
	return nil
}

// countRequests answers how many entries the log holds that match the
// filters (limit and before do not apply): {"count": n}.
func (s *Server) countRequests(w http.ResponseWriter, r *http.Request) error {
	f, err := requestFilter(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, RequestCount{Count: s.d.Journal.Count(f)})
	return nil
}

// pathEntry is the request-log entry named by the route's {id}.
func (s *Server) pathEntry(r *http.Request) (journal.Entry, error) {
	raw := r.PathValue("id")
	id, err := strconv.ParseUint(raw, 10, 64)
	if err != nil {
		return journal.Entry{}, notFound("no request %s", quote(raw))
	}
	e, ok := s.d.Journal.Get(id)
	if !ok {
		return journal.Entry{}, notFound("no request %s (the log keeps the newest entries only)", quote(raw))
	}
	return e, nil
}

func (s *Server) getRequest(w http.ResponseWriter, r *http.Request) error {
	e, err := s.pathEntry(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

// clearRequests empties the request log and starts every API's traffic
// counters again, so the APIs screen's chart and error share describe the
// same requests as the log.
func (s *Server) clearRequests(w http.ResponseWriter, r *http.Request) error {
	if err := s.d.Journal.Clear(); err != nil {
		return internal(err)
	}
	for _, a := range s.list() {
		a.Engine.ResetStats()
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// stream sends every new request-log entry as a Server-Sent Event
// ("event: request", data: a RequestSummary), a "keys" event when keys
// change and a "clock" event (data: the clock's status) when the virtual
// clock moves, with a comment every 15 s to keep proxies from closing it. It
// stops when a write fails (under the desktop's AssetServer a closed client
// is seen only that way) and when CloseStreams is called.
func (s *Server) stream(w http.ResponseWriter, r *http.Request) error {
	select {
	case <-s.closing:
		return &Error{Status: http.StatusServiceUnavailable, Code: "shutting_down", Message: "mockgate is stopping"}
	default:
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	flush := func() {
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
	}
	entries, cancel := s.d.Journal.Subscribe(256)
	defer cancel()
	keyChanged := make(chan struct{}, 1)
	unsub := s.d.Keys.Subscribe(func() {
		select {
		case keyChanged <- struct{}{}:
		default:
		}
	})
	defer unsub()
	clockMoved, unsubClock := s.clockMoved.subscribe()
	defer unsubClock()
	if _, err := w.Write([]byte(": connected\n\n")); err != nil {
		return nil
	}
	flush()
	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	for {
		var msg []byte
		select {
		case <-r.Context().Done():
			return nil
		case <-s.closing:
			return nil
		case e, ok := <-entries:
			if !ok {
				return nil
			}
			data, err := json.Marshal(e.Summary)
			if err != nil {
				continue
			}
			msg = append(append(append([]byte("event: request\nid: "), strconv.FormatUint(e.ID, 10)...), "\ndata: "...), data...)
			msg = append(msg, "\n\n"...)
		case <-keyChanged:
			msg = []byte("event: keys\ndata: {}\n\n")
		case <-clockMoved:
			data, err := json.Marshal(s.d.Clock.Status())
			if err != nil {
				continue
			}
			msg = append(append([]byte("event: clock\ndata: "), data...), "\n\n"...)
		case <-ping.C:
			msg = []byte(": ping\n\n")
		}
		if _, err := w.Write(msg); err != nil {
			return nil
		}
		flush()
	}
}

// CloseStreams ends every live stream and refuses new ones (503, which an
// EventSource does not retry). A stream never ends by itself while its
// client stays, so a graceful shutdown calls this first: http.Server's
// Shutdown waits for every handler to return.
func (s *Server) CloseStreams() {
	s.closeOnce.Do(func() { close(s.closing) })
}
