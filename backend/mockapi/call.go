package mockapi

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"mockgate/backend/journal"
	"mockgate/backend/keys"
	"mockgate/backend/profile"
)

// call is one request in flight. It is the http.ResponseWriter handed down
// the chain, so handlers reach the request's state without a context value,
// and it captures the status and the start of the body for the request log.
type call struct {
	e *Engine
	w http.ResponseWriter
	r *http.Request

	start  time.Time
	status int
	wrote  bool
	body   []byte // the first journal.MaxBody bytes written
	size   int
	tenant string
	key    *keys.Entry
	kind   string // error kind answered, if any
	// injected names the rule that injected the answer (request log).
	injected string
	// aborted: the connection was reset on purpose, nothing answered.
	aborted bool
	// cred is the hash of the credential presented (zero if none was
	// read): it names an unknown key's caller for the verdicts.
	cred [32]byte
	// badPageSize: a list refused for its page size.
	badPageSize bool
	reqBody     []byte
	sent        *sentBody // the client's form, when the operation read JSON
	query       url.Values
	steps       []string
}

var callPool = sync.Pool{New: func() any { return &call{body: make([]byte, 0, 4096)} }}

func newCall(e *Engine, w http.ResponseWriter, r *http.Request) *call {
	c := callPool.Get().(*call)
	*c = call{e: e, w: w, r: r, start: time.Now(), body: c.body[:0], steps: c.steps[:0]}
	return c
}

// Header implements http.ResponseWriter.
func (c *call) Header() http.Header { return c.w.Header() }

// WriteHeader implements http.ResponseWriter.
func (c *call) WriteHeader(status int) {
	if c.wrote {
		return
	}
	c.wrote, c.status = true, status
	c.w.WriteHeader(status)
}

// Write implements http.ResponseWriter.
func (c *call) Write(b []byte) (int, error) {
	if !c.wrote {
		c.WriteHeader(http.StatusOK)
	}
	if room := journal.MaxBody - len(c.body); room > 0 {
		c.body = append(c.body, b[:min(room, len(b))]...)
	}
	c.size += len(b)
	return c.w.Write(b)
}

// Flush lets streaming work through the capture when the writer can.
func (c *call) Flush() {
	if f, ok := c.w.(http.Flusher); ok {
		f.Flush()
	}
}

// reset closes the client's connection without an answer (a queued
// fault's resetConnection). Where the connection cannot be taken over (the
// desktop's in-process server), the answer is aborted instead.
func (c *call) reset() {
	c.aborted = true
	if conn, _, err := http.NewResponseController(c.w).Hijack(); err == nil {
		conn.Close()
		return
	}
	panic(http.ErrAbortHandler)
}

// step records one step of the decision for the request log.
func (c *call) step(s string) { c.steps = append(c.steps, s) }

// tracef records a formatted step of the decision.
func (c *call) tracef(format string, args ...any) {
	c.steps = append(c.steps, fmt.Sprintf(format, args...))
}

// values returns the parsed query (once).
func (c *call) values() url.Values {
	if c.query == nil {
		c.query = c.r.URL.Query()
	}
	return c.query
}

// finish recovers a panic into the profile's 500, then records the request
// in the stats and the request log, and returns the call to the pool.
func (c *call) finish() {
	if v := recover(); v != nil {
		if v == http.ErrAbortHandler {
			panic(v)
		}
		c.e.log.Error("panic serving request", "api", c.e.p.ID, "method", c.r.Method, "path", c.r.URL.Path, "panic", v)
		c.step("panic recovered: answered 500")
		if !c.wrote {
			c.e.fail(c, profile.KindInternal, "panic")
		}
	}
	if !c.wrote && !c.aborted {
		c.WriteHeader(http.StatusOK)
	}
	now, real := c.e.clk.Now(), time.Now()
	c.e.stats.record(real, c.status)
	verdict := c.e.judge.judge(c, now)
	if c.e.journal != nil {
		en := c.entry(now)
		en.Verdict = verdict
		if d := now.Sub(real); d >= time.Second || d <= -time.Second {
			en.RealTime = real
		}
		c.e.journal.Add(en)
	}
	c.e, c.w, c.r, c.key, c.query, c.reqBody, c.sent = nil, nil, nil, nil, nil, nil, nil
	if cap(c.body) <= 64<<10 {
		callPool.Put(c)
	}
}

// entry builds the request-log entry, with secrets masked.
func (c *call) entry(now time.Time) journal.Entry {
	e := c.e
	en := journal.Entry{
		Summary: journal.Summary{
			Time:          now,
			API:           e.p.ID,
			Method:        c.r.Method,
			Path:          c.r.URL.EscapedPath(), // as sent: ..%2F stays, not a decoded ../
			Query:         journal.MaskQuery(c.r.URL.RawQuery, e.secretQuery),
			Status:        c.status,
			ErrorKind:     c.kind,
			Injected:      c.injected,
			LatencyMicros: time.Since(c.start).Microseconds(),
		},
		RemoteAddr: c.r.RemoteAddr,
		Trace:      append([]string(nil), c.steps...),
	}
	// net/http allocates both header maps per request and leaves them alone
	// once the handler returns: the journal keeps them and masks on read.
	reqHdr, reqBody := c.r.Header, c.reqBody
	if c.sent != nil {
		reqHdr, reqBody = c.sent.header, c.sent.body
	}
	en.SetRawHeaders(reqHdr, c.w.Header(), e.secretHdrs)
	if c.kind != "" {
		en.ErrorCode = e.answers[c.kind].code
	}
	if c.key != nil {
		en.KeyID, en.KeyName, en.KeyMasked = c.key.Key.ID, c.key.Key.Name, c.key.Masked()
	}
	var reqCut bool
	if len(reqBody) > 0 {
		en.RequestBody, reqCut = journal.TruncateBody(reqBody)
	}
	// The answer may echo the query (an imported API's next-page URL): a
	// key sent in it is masked there too, before the cut.
	en.ResponseBody, en.BodyTruncated = journal.TruncateBody(journal.MaskEchoes(c.body, c.r.URL.RawQuery, e.secretQuery))
	en.BodyTruncated = en.BodyTruncated || reqCut || c.size > len(c.body)
	return en
}
