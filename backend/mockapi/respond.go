package mockapi

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"mockgate/backend/envelope"
	"mockgate/backend/profile"
)

// Every answer is written here: fail turns an error kind into the
// profile's status and error envelope, internal does so for a failure
// whose cause only the server log may see, and writeJSON sends a body.
//
// One meaning for the bool of every helper that may answer the request
// (inject, authorize, checkTenant, rateLimit, recordID, readObject,
// intParam, check, fail, internal...): ok is true to go on; false means
// the request was answered (or the client is gone) and the caller returns
// at once. fail and internal always answer, so they always return false,
// and a helper may end with `return e.fail(...)`.

// fail answers the request with the profile's envelope for kind; detail
// replaces {detail} in the message. ok is always false (it answered).
func (e *Engine) fail(c *call, kind, detail string) (ok bool) {
	return e.answer(c, kind, e.answers[kind], detail)
}

// answer writes a in the profile's error envelope; kind ("" for an
// injected status the profile has no kind for) goes to the request log.
// ok is always false.
func (e *Engine) answer(c *call, kind string, a answer, detail string) (ok bool) {
	msg := a.msg
	if strings.Contains(msg, "{detail}") {
		msg = strings.ReplaceAll(msg, "{detail}", detail)
	}
	c.kind = kind
	f := errFiller{status: a.status, code: a.code, msg: msg}
	form := e.errForms.of(a.status)
	buf := getBuf()
	*buf = form.tmpl.Append((*buf)[:0], &f)
	writeBody(c, a.status, form.ct, *buf)
	putBuf(buf)
	return false
}

// errForm is a compiled error template and the Content-Type it is sent as.
type errForm struct {
	tmpl *envelope.Template
	ct   []string
}

// errForms holds the form of every error status, 400 to 599, chosen at
// engine build by profile.Errors.For (the status's own template, else
// "default", else errors.body): answering an error is an index, not a
// lookup through the profile.
type errForms [200]*errForm

// of is the form of status; a status outside 400..599 (none is answered)
// gets the form of 500.
func (fs *errForms) of(status int) *errForm {
	if status < 400 || status > 599 {
		status = http.StatusInternalServerError
	}
	return fs[status-400]
}

// compileErrForms compiles each distinct template of the profile once.
func compileErrForms(pe *profile.Errors) (errForms, error) {
	var fs errForms
	seen := map[string]*errForm{}
	for i := range fs {
		body, ct := pe.For(400 + i)
		k := ct + "\x00" + string(body)
		if f, ok := seen[k]; ok {
			fs[i] = f
			continue
		}
		t, err := envelope.Compile(body, profile.ErrorPlaceholders...)
		if err != nil {
			return fs, fmt.Errorf("the error template of status %d: %w", 400+i, err)
		}
		f := &errForm{tmpl: t, ct: jsonCT}
		if ct != profile.ContentTypeJSON {
			f.ct = []string{ct}
		}
		seen[k], fs[i] = f, f
	}
	return fs, nil
}

type errFiller struct {
	status    int
	code, msg string
}

func (f *errFiller) Fill(dst []byte, slot string) []byte {
	switch slot {
	case "$status":
		return strconv.AppendInt(dst, int64(f.status), 10)
	case "$code":
		return appendStr(dst, f.code)
	case "$message":
		return appendStr(dst, f.msg)
	case "$reason":
		return appendStr(dst, http.StatusText(f.status))
	}
	return append(dst, "null"...)
}

// internal logs the cause and answers the profile's 500; the cause never
// reaches the client. ok is always false (it answered).
func (e *Engine) internal(c *call, err error) (ok bool) {
	e.log.Error("mock API failure", "api", e.p.ID, "method", c.r.Method, "path", c.r.URL.Path, "err", err)
	c.step("internal error (see the server log)")
	return e.fail(c, profile.KindInternal, "")
}

func appendStr(dst []byte, s string) []byte { return envelope.AppendString(dst, s) }

var jsonCT = []string{"application/json; charset=utf-8"}

// writeJSON sends a JSON body with its length.
func writeJSON(c *call, status int, body []byte) { writeBody(c, status, jsonCT, body) }

// writeBody sends a body of content type ct with its length.
func writeBody(c *call, status int, ct []string, body []byte) {
	h := c.w.Header()
	h["Content-Type"] = ct
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	c.WriteHeader(status)
	if c.r.Method != http.MethodHead {
		c.Write(body)
	}
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 8192); return &b }}

func getBuf() *[]byte { return bufPool.Get().(*[]byte) }

func putBuf(b *[]byte) {
	if cap(*b) <= 256<<10 {
		bufPool.Put(b)
	}
}
