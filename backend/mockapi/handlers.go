package mockapi

import (
	"errors"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"mockgate/backend/dataset"
	"mockgate/backend/profile"
)

// endpointHandler is the handler registered for one endpoint.
func (e *Engine) endpointHandler(ep *profile.Endpoint) http.Handler {
	desc := "route: " + ep.Method + " " + ep.Path + " → " + ep.Kind
	if ep.Resource != nil {
		desc += " " + ep.Resource.Name
	}
	conf := e.contract.forEndpoint(e.p, ep) // nil: nothing to check
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := w.(*call)
		c.r = r // the mux's request carries the path values
		c.step(desc)
		if !e.authorize(c, ep) || !e.conform(c, conf) {
			return
		}
		e.operate(c, ep)
	})
}

// operate runs the endpoint's operation for an authorized request.
func (e *Engine) operate(c *call, ep *profile.Endpoint) {
	switch ep.Kind {
	case profile.EndpointTenant:
		writeJSON(c, http.StatusOK, e.p.TenantObject(c.tenant))
		return
	case profile.EndpointStatic:
		if len(ep.Route.Body) == 0 {
			c.WriteHeader(ep.Route.Status) // 204 or 205, without a body
			return
		}
		writeJSON(c, max(ep.Route.Status, http.StatusOK), ep.Route.Body)
		return
	}
	r := ep.Resource
	coll := e.data.Collection(e.dataTenant(c), r)
	if coll == nil {
		e.fail(c, profile.KindInternal, "no collection")
		return
	}
	switch ep.Kind {
	case profile.OpList:
		e.list(c, coll)
	case profile.OpGet, profile.EndpointView:
		id, ok := e.recordID(c, r)
		if !ok {
			return
		}
		doc, found := coll.Get(id)
		if !found {
			e.fail(c, profile.KindNotFound, r.Name+" "+strconv.Quote(c.r.PathValue(profile.IDParam))+" not found")
			return
		}
		if ep.View != nil {
			v, err := dataset.Project(r, ep.View, id, doc)
			if err != nil {
				e.internal(c, err)
				return
			}
			doc = v
		}
		writeJSON(c, http.StatusOK, doc)
	case profile.OpCreate:
		in, ok := e.readObject(c)
		if !ok {
			return
		}
		doc, err := e.data.Create(coll, r, in)
		if !e.check(c, r, err) {
			return
		}
		c.w.Header().Set("Location", c.r.URL.Path+"/"+idOf(doc))
		writeJSON(c, http.StatusCreated, doc)
	case profile.OpUpdate:
		id, ok := e.recordID(c, r)
		if !ok {
			return
		}
		if _, found := coll.Get(id); !found {
			e.fail(c, profile.KindNotFound, r.Name+" "+strconv.Quote(c.r.PathValue(profile.IDParam))+" not found")
			return
		}
		in, ok := e.readObject(c)
		if !ok {
			return
		}
		doc, err := e.data.Update(coll, r, id, in, c.r.Method == http.MethodPut)
		if !e.check(c, r, err) {
			return
		}
		writeJSON(c, http.StatusOK, doc)
	case profile.OpDelete:
		id, ok := e.recordID(c, r)
		if !ok {
			return
		}
		if !e.check(c, r, e.data.Delete(coll, id)) {
			return
		}
		c.WriteHeader(http.StatusNoContent)
	}
}

func (e *Engine) dataTenant(c *call) string { return dataset.DataTenant(e.p, c.tenant) }

// recordID parses the record id of the path; ok is false when it answered
// (404: no record can have that id).
func (e *Engine) recordID(c *call, r *profile.Resource) (id uint64, ok bool) {
	raw := c.r.PathValue(profile.IDParam)
	id, ok = dataset.ParseID(r, raw)
	if !ok {
		c.tracef("record: %q is not an id of %s", raw, r.Name)
		e.fail(c, profile.KindNotFound, r.Name+" "+strconv.Quote(raw)+" not found")
	}
	return id, ok
}

// check answers a dataset error, if there is one: a validation error is
// the client's 400, a missing record its 404, anything else a 500. ok is
// false when it answered.
func (e *Engine) check(c *call, r *profile.Resource, err error) (ok bool) {
	if err == nil {
		return true
	}
	var ve *dataset.ValidationError
	switch {
	case errors.As(err, &ve):
		c.step("body: " + ve.Msg)
		return e.fail(c, profile.KindBadRequest, ve.Msg)
	case errors.Is(err, dataset.ErrNotFound):
		return e.fail(c, profile.KindNotFound, r.Name+" "+strconv.Quote(c.r.PathValue(profile.IDParam))+" not found")
	default:
		return e.internal(c, err)
	}
}

// readObject checks the Content-Type and the size of the body and decodes
// it as one JSON object; ok is false when it answered.
func (e *Engine) readObject(c *call) (obj map[string]any, ok bool) {
	ct := c.r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		got := "no Content-Type"
		if ct != "" {
			got = "Content-Type " + strconv.Quote(ct)
		}
		c.step("body: " + got + ", not application/json")
		return nil, e.fail(c, profile.KindUnsupportedMedia, "Content-Type must be application/json (got "+got+")")
	}
	if c.r.ContentLength > MaxBody {
		return nil, e.tooLarge(c)
	}
	body, err := io.ReadAll(http.MaxBytesReader(c, c.r.Body, MaxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, e.tooLarge(c)
		}
		return nil, e.fail(c, profile.KindBadRequest, "could not read the request body")
	}
	c.reqBody = body
	obj, err = dataset.ParseObject(body)
	if err != nil {
		c.step("body: " + err.Error())
		return nil, e.fail(c, profile.KindInvalidJSON, err.Error())
	}
	return obj, true
}

// tooLarge answers 413; ok is always false.
func (e *Engine) tooLarge(c *call) (ok bool) {
	c.tracef("body: over %d bytes", MaxBody)
	return e.fail(c, profile.KindPayloadTooLarge, "request body exceeds the limit of 1 MiB ("+strconv.Itoa(MaxBody)+" bytes)")
}

// list answers one page of a collection in the profile's list envelope.
func (e *Engine) list(c *call, coll *dataset.Collection) {
	pg := &e.p.Pagination
	size, ok := e.intParam(c, pg.SizeParam, pg.DefaultSize, 1, pg.MaxSize)
	if !ok {
		c.badPageSize = c.status == http.StatusBadRequest
		return
	}
	f := listFiller{e: e, c: c, size: size}
	if pg.Style == profile.PageOffset {
		if f.offset, ok = e.intParam(c, pg.PositionParam, 0, 0, math.MaxInt32); !ok {
			return
		}
		f.page = f.offset/size + 1
	} else {
		if f.page, ok = e.intParam(c, pg.PositionParam, 1, 1, math.MaxInt32); !ok {
			return
		}
		f.offset = (f.page - 1) * size
	}
	buf := getBuf()
	items := getBuf()
	*items, f.count, f.total = coll.AppendPage((*items)[:0], f.offset, size)
	f.items = *items
	*buf = e.listTmpl.Append((*buf)[:0], &f)
	c.tracef("page: %s=%d %s=%d → %d of %d", pg.PositionParam, f.position(), pg.SizeParam, size, f.count, f.total)
	writeJSON(c, http.StatusOK, *buf)
	putBuf(items)
	putBuf(buf)
}

// intParam reads an integer query parameter within [lo, hi]; absent means
// def. Anything else is answered 400 naming the parameter and the range,
// and ok is false.
func (e *Engine) intParam(c *call, name string, def, lo, hi int) (n int, ok bool) {
	if c.r.URL.RawQuery == "" {
		return def, true
	}
	val, count, malformed := queryParam(c.r.URL.RawQuery, name)
	if count == 0 && malformed == "" {
		return def, true
	}
	if count == 0 {
		val, count = malformed, 1 // answered below: not an integer
	}
	if count > 1 {
		c.tracef("page: %s given %d times", name, count)
		return 0, e.fail(c, profile.KindBadRequest, name+" must be given once (got "+strconv.Itoa(count)+" values)")
	}
	n, err := strconv.Atoi(val)
	if err != nil || n < lo || n > hi {
		c.tracef("page: %s=%q out of range", name, val)
		return 0, e.fail(c, profile.KindBadRequest, name+" must be an integer between "+strconv.Itoa(lo)+" and "+strconv.Itoa(hi)+" (got "+strconv.Quote(val)+")")
	}
	return n, true
}

type listFiller struct {
	e                  *Engine
	c                  *call
	items              []byte
	count, total, size int
	offset, page       int
}

func (f *listFiller) position() int {
	if f.e.p.Pagination.Style == profile.PageOffset {
		return f.offset
	}
	return f.page
}

func (f *listFiller) Fill(dst []byte, slot string) []byte {
	switch slot {
	case "$items":
		return append(dst, f.items...)
	case "$count":
		return strconv.AppendInt(dst, int64(f.count), 10)
	case "$total":
		return strconv.AppendInt(dst, int64(f.total), 10)
	case "$limit", "$pageSize":
		return strconv.AppendInt(dst, int64(f.size), 10)
	case "$offset":
		return strconv.AppendInt(dst, int64(f.offset), 10)
	case "$page":
		return strconv.AppendInt(dst, int64(f.page), 10)
	case "$totalPages":
		return strconv.AppendInt(dst, int64((f.total+f.size-1)/f.size), 10)
	case "$hasMore":
		return strconv.AppendBool(dst, f.offset+f.size < f.total)
	case "$next":
		if f.offset+f.size >= f.total {
			return append(dst, "null"...)
		}
		return f.link(dst, f.offset+f.size)
	case "$previous":
		if f.offset == 0 {
			return append(dst, "null"...)
		}
		return f.link(dst, max(0, f.offset-f.size))
	}
	return append(dst, "null"...)
}

// link renders the absolute URL of the page starting at offset, keeping the
// request's other query parameters.
func (f *listFiller) link(dst []byte, offset int) []byte {
	pg := &f.e.p.Pagination
	q := url.Values{}
	for k, v := range f.c.values() {
		q[k] = v
	}
	q.Set(pg.SizeParam, strconv.Itoa(f.size))
	if pg.Style == profile.PageOffset {
		q.Set(pg.PositionParam, strconv.Itoa(offset))
	} else {
		q.Set(pg.PositionParam, strconv.Itoa(offset/f.size+1))
	}
	u := url.URL{Scheme: "http", Host: f.c.r.Host, Path: f.c.r.URL.Path, RawQuery: q.Encode()}
	return appendStr(dst, u.String())
}

// idOf extracts the id value of a rendered record (it is always first).
func idOf(doc []byte) string {
	s := string(doc)
	s = strings.TrimPrefix(s, `{"id":`)
	end := strings.IndexByte(s, ',')
	if end < 0 {
		end = strings.IndexByte(s, '}')
	}
	if end < 0 {
		return ""
	}
	return strings.Trim(s[:end], `"`)
}
