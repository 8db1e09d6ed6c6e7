package mockapi

import (
	"net/http"
	"strconv"

	"mockgate/backend/profile"
)

// MaxHead is the largest request head (request line and headers) an API
// accepts; a larger one is answered 431 in the profile's envelope.
const MaxHead = 1 << 20

// MaxHeaderBytes is what the http.Server in front of an engine must allow
// (http.Server.MaxHeaderBytes): a little over MaxHead, so that a head just
// over the limit reaches the engine, which answers it in the profile's
// envelope, instead of net/http, which answers 431 in plain text before
// any handler runs. Heads over this still get net/http's answer: the
// server has to stop reading somewhere.
const MaxHeaderBytes = MaxHead + 64<<10

// headFits refuses a request whose head is over MaxHead; ok is false when
// it answered.
func (e *Engine) headFits(c *call) (ok bool) {
	n := headSize(c.r)
	if n <= MaxHead {
		return true
	}
	c.tracef("capture: request line and headers of %d bytes, over the limit of %d", n, MaxHead)
	return e.fail(c, profile.KindHeaderTooLarge, "request line and headers exceed the limit of 1 MiB ("+strconv.Itoa(MaxHead)+" bytes)")
}

// headSize is the size of r's request line and header block as sent,
// within a few bytes (net/http keeps no count: it trims the blanks around
// values and unfolds continued lines).
func headSize(r *http.Request) int {
	n := len(r.Method) + 1 + len(r.RequestURI) + 1 + len(r.Proto) + 2 // request line
	n += len("Host: ") + len(r.Host) + 2                              // net/http moves it out of Header
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + 2 + len(v) + 2
		}
	}
	return n + 2 // the empty line
}
