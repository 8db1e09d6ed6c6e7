package admin

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"mockgate/backend/journal"
)

// The request log as HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/),
// the format browsers' network panels, proxies and API tools read. Every
// credential is masked as in the log; times are real (the wall clock), as
// a HAR reader expects, with the mock's time in each entry's comment when
// the virtual clock differed.

// HAR is a HAR 1.2 document.
type HAR struct {
	Log HARLog `json:"log"`
}

// HARLog is a HAR's log object.
type HARLog struct {
	Version string      `json:"version"`
	Creator HARCreator  `json:"creator"`
	Entries []HAREntry  `json:"entries"`
	Comment string      `json:"comment,omitempty"`
	Pages   []struct{}  `json:"pages,omitempty"`
	Browser *HARCreator `json:"browser,omitempty"`
}

// HARCreator names the tool that wrote the HAR.
type HARCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// HAREntry is one request and its answer.
type HAREntry struct {
	StartedDateTime string      `json:"startedDateTime"`
	Time            float64     `json:"time"`
	Request         HARRequest  `json:"request"`
	Response        HARResponse `json:"response"`
	Cache           struct{}    `json:"cache"`
	Timings         HARTimings  `json:"timings"`
	Comment         string      `json:"comment,omitempty"`
}

// HARRequest is a HAR request.
type HARRequest struct {
	Method      string         `json:"method"`
	URL         string         `json:"url"`
	HTTPVersion string         `json:"httpVersion"`
	Cookies     []HARNameValue `json:"cookies"`
	Headers     []HARNameValue `json:"headers"`
	QueryString []HARNameValue `json:"queryString"`
	PostData    *HARPostData   `json:"postData,omitempty"`
	HeadersSize int            `json:"headersSize"`
	BodySize    int            `json:"bodySize"`
}

// HARResponse is a HAR response.
type HARResponse struct {
	Status      int            `json:"status"`
	StatusText  string         `json:"statusText"`
	HTTPVersion string         `json:"httpVersion"`
	Cookies     []HARNameValue `json:"cookies"`
	Headers     []HARNameValue `json:"headers"`
	Content     HARContent     `json:"content"`
	RedirectURL string         `json:"redirectURL"`
	HeadersSize int            `json:"headersSize"`
	BodySize    int            `json:"bodySize"`
}

// HARNameValue is a header, cookie or query parameter.
type HARNameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// HARPostData is a request body.
type HARPostData struct {
	MimeType string `json:"mimeType"`
	Text     string `json:"text"`
}

// HARContent is a response body.
type HARContent struct {
	Size     int    `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text,omitempty"`
	Comment  string `json:"comment,omitempty"`
}

// HARTimings splits an entry's time; mockgate measures only the whole.
type HARTimings struct {
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

// exportHAR answers the log, filtered as GET /requests is (all of it, up
// to the log's size, when no limit is given), oldest first, as HAR 1.2.
func (s *Server) exportHAR(w http.ResponseWriter, r *http.Request) error {
	f, err := requestFilter(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("limit") == "" {
		f.Limit = journal.MaxLimit
	}
	entries := s.d.Journal.Query(f)
	slices.Reverse(entries)
	version := s.d.Version
	if version == "" {
		version = "dev"
	}
	doc := HAR{Log: HARLog{Version: "1.2", Creator: HARCreator{Name: "mockgate", Version: version}, Entries: []HAREntry{}}}
	for i := range entries {
		doc.Log.Entries = append(doc.Log.Entries, s.harEntry(&entries[i]))
	}
	w.Header().Set("Content-Disposition", `attachment; filename="mockgate.har"`)
	writeJSON(w, http.StatusOK, doc)
	return nil
}

// origin is the scheme, host and port of an API's requests in exports,
// "" for an API no longer served.
func (s *Server) origin(api string) string {
	if a, err := s.apiByID(api); err == nil {
		return a.Origin()
	}
	return ""
}

func (s *Server) harEntry(e *journal.Entry) HAREntry {
	started := e.Time
	comment := "mockgate request " + strconv.FormatUint(e.ID, 10)
	if !e.RealTime.IsZero() {
		started = e.RealTime
		comment += "; mock time " + e.Time.UTC().Format(time.RFC3339Nano)
	}
	if e.Injected != "" {
		comment += "; injected: " + e.Injected
	}
	if e.Verdict != "" {
		comment += "; verdict: " + e.Verdict
	}
	ms := float64(e.LatencyMicros) / 1000
	u := s.origin(e.API) + e.Path // the log keeps the path as it was sent
	if e.Query != "" {
		u += "?" + e.Query
	}
	req := HARRequest{
		Method: e.Method, URL: u, HTTPVersion: "HTTP/1.1", Cookies: []HARNameValue{},
		Headers: harHeaders(e.RequestHeaders), QueryString: harQuery(e.Query),
		HeadersSize: -1, BodySize: len(e.RequestBody),
	}
	if e.RequestBody != "" {
		req.PostData = &HARPostData{MimeType: first(e.RequestHeaders, "Content-Type"), Text: e.RequestBody}
	}
	res := HARResponse{
		Status: e.Status, StatusText: http.StatusText(e.Status), HTTPVersion: "HTTP/1.1", Cookies: []HARNameValue{},
		Headers: harHeaders(e.ResponseHeaders), RedirectURL: first(e.ResponseHeaders, "Location"),
		HeadersSize: -1, BodySize: len(e.ResponseBody),
		Content: HARContent{Size: len(e.ResponseBody), MimeType: first(e.ResponseHeaders, "Content-Type"), Text: e.ResponseBody},
	}
	if res.Content.MimeType == "" {
		res.Content.MimeType = "application/octet-stream"
	}
	if e.BodyTruncated {
		res.Content.Comment = "cut to the request log's 8 KB"
	}
	if e.Status == 0 {
		res.StatusText = "connection reset (injected): no answer"
	}
	return HAREntry{
		StartedDateTime: started.UTC().Format("2006-01-02T15:04:05.000Z07:00"), Time: ms,
		Request: req, Response: res, Timings: HARTimings{Send: 0, Wait: ms, Receive: 0}, Comment: comment,
	}
}

// harHeaders lists headers in name order, one pair per value.
func harHeaders(h map[string][]string) []HARNameValue {
	names := make([]string, 0, len(h))
	for n := range h {
		names = append(names, n)
	}
	slices.Sort(names)
	out := []HARNameValue{}
	for _, n := range names {
		for _, v := range h[n] {
			out = append(out, HARNameValue{Name: n, Value: v})
		}
	}
	return out
}

// harQuery lists the (masked) query's parameters in their order.
func harQuery(raw string) []HARNameValue {
	out := []HARNameValue{}
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if uv, err := url.QueryUnescape(v); err == nil {
			v = uv
		}
		out = append(out, HARNameValue{Name: k, Value: v})
	}
	return out
}

func first(h map[string][]string, name string) string {
	if v := h[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}
