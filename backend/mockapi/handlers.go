package mockapi

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"mockgate/backend/dataset"
	"mockgate/backend/envelope"
	"mockgate/backend/profile"
)

// endpointHandler is the handler registered for one endpoint.
func (e *Engine) endpointHandler(ep *profile.Endpoint) http.Handler {
	desc := "route: " + ep.Method + " " + ep.Path + " → " + ep.Kind
	if ep.Resource != nil {
		desc += " " + ep.Resource.Name
	}
	conf := e.contract.forEndpoint(e.p, ep) // nil: nothing to check
	bodyless := conf.documentsNoBody()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := w.(*call)
		c.r = r // the request the router set the path values on
		c.step(desc)
		if !e.authorize(c, ep) || !e.conform(c, conf) {
			return
		}
		e.operate(c, ep, bodyless)
	})
}

// operate runs the endpoint's operation for an authorized request.
// bodyless says the API's document gives the operation no request body: a
// request without one is then an empty object, not a 415.
func (e *Engine) operate(c *call, ep *profile.Endpoint, bodyless bool) {
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
		e.list(c, r, coll)
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
		in, ok := e.readObject(c, bodyless)
		if !ok {
			return
		}
		doc, err := e.data.Create(coll, r, in)
		if !e.check(c, r, err) {
			return
		}
		c.w.Header().Set("Location", c.r.URL.Path+"/"+idOf(doc))
		writeJSON(c, r.CreateStatus(), doc)
	case profile.OpUpdate:
		id, ok := e.recordID(c, r)
		if !ok {
			return
		}
		if _, found := coll.Get(id); !found {
			e.fail(c, profile.KindNotFound, r.Name+" "+strconv.Quote(c.r.PathValue(profile.IDParam))+" not found")
			return
		}
		in, ok := e.readObject(c, bodyless)
		if !ok {
			return
		}
		doc, err := e.data.Update(coll, r, id, in, c.r.Method == http.MethodPut)
		if !e.check(c, r, err) {
			return
		}
		if r.UpdateStatus() == http.StatusNoContent {
			c.WriteHeader(http.StatusNoContent)
			return
		}
		writeJSON(c, r.UpdateStatus(), doc)
	case profile.OpDelete:
		id, ok := e.recordID(c, r)
		if !ok {
			return
		}
		if !e.check(c, r, e.data.Delete(coll, id)) {
			return
		}
		e.deleted(c, r, id)
	}
}

// deleted answers a delete: 204, or the documented 200 with the
// resource's delete body (none when it has none).
func (e *Engine) deleted(c *call, r *profile.Resource, id uint64) {
	status := r.DeleteStatus()
	if len(r.DeleteBody) == 0 {
		c.WriteHeader(status)
		return
	}
	tmpl, err := envelope.Compile(r.DeleteBody, profile.DeleteIDPlaceholder)
	if err != nil { // validation compiled it already
		e.internal(c, err)
		return
	}
	writeJSON(c, status, tmpl.Append(nil, idFiller{r: r, id: id}))
}

// idFiller renders a delete body's "$id": the record's id as the API
// writes ids, a number or a prefixed string.
type idFiller struct {
	r  *profile.Resource
	id uint64
}

func (f idFiller) Fill(dst []byte, _ string) []byte {
	if f.r.IDPrefix == "" {
		return strconv.AppendUint(dst, f.id, 10)
	}
	return envelope.AppendString(dst, dataset.FormatID(f.r, f.id))
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
// it as one JSON object; ok is false when it answered. With bodyless, a
// request that sends no body at all reads as {}.
func (e *Engine) readObject(c *call, bodyless bool) (obj map[string]any, ok bool) {
	ct := c.r.Header.Get("Content-Type")
	if bodyless && ct == "" && c.r.ContentLength <= 0 {
		b, err := io.ReadAll(io.LimitReader(c.r.Body, 1))
		if err == nil && len(b) == 0 {
			c.step("body: none, as the document says")
			return map[string]any{}, true
		}
		c.r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(b), c.r.Body)) // a body after all: read on
	}
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
