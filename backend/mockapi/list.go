package mockapi

import (
	"encoding/base64"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"mockgate/backend/dataset"
	"mockgate/backend/envelope"
	"mockgate/backend/profile"
)

// lister pages one resource's list: its pagination (its own, else the
// profile's) and that pagination's compiled body.
type lister struct {
	r    *profile.Resource
	pg   profile.Pagination
	tmpl *envelope.Template
}

// listers compiles the list body of every resource with a list.
func listers(p *profile.Profile) (map[*profile.Resource]*lister, error) {
	out := make(map[*profile.Resource]*lister, len(p.Resources))
	for i := range p.Resources {
		r := &p.Resources[i]
		pg := p.ListPagination(r)
		tmpl, err := envelope.Compile(pg.Body, profile.ListPlaceholdersFor(pg.Style)...)
		if err != nil {
			at := "pagination.body"
			if r.Pagination != nil && len(r.Pagination.Body) > 0 {
				at = fmt.Sprintf("resources[%d].pagination.body", i)
			}
			return nil, fmt.Errorf("profile %s: %s: %w", p.ID, at, err)
		}
		out[r] = &lister{r: r, pg: pg, tmpl: tmpl}
	}
	return out, nil
}

// list answers one page of a collection in the list envelope.
func (e *Engine) list(c *call, r *profile.Resource, coll *dataset.Collection) {
	l := e.lists[r]
	pg := &l.pg
	size, ok := e.intParam(c, pg.SizeParam, pg.DefaultSize, 1, pg.MaxSize)
	if !ok {
		c.badPageSize = c.status == http.StatusBadRequest
		return
	}
	f := listFiller{l: l, c: c, size: size}
	var after, before uint64
	switch pg.Style {
	case profile.PageOffset:
		if f.offset, ok = e.intParam(c, pg.PositionParam, 0, 0, math.MaxInt32); !ok {
			return
		}
		f.page = f.offset/size + 1
	case profile.PageNumber:
		if f.page, ok = e.intParam(c, pg.PositionParam, 1, 1, math.MaxInt32); !ok {
			return
		}
		f.offset = (f.page - 1) * size
	case profile.PageCursor:
		if after, before, ok = e.cursors(c, l, coll); !ok {
			return
		}
	}
	buf := getBuf()
	items := getBuf()
	if pg.Style == profile.PageCursor {
		*items, f.cur = coll.AppendCursorPage((*items)[:0], after, before, size)
		f.count, f.total, f.backward = f.cur.Count, f.cur.Total, before != 0
		c.tracef("page: %s=%d %s=%d %s=%d → %d of %d", pg.AfterParam, after, pg.BeforeParam, before, pg.SizeParam, size, f.count, f.total)
	} else {
		*items, f.count, f.total = coll.AppendPage((*items)[:0], f.offset, size)
		c.tracef("page: %s=%d %s=%d → %d of %d", pg.PositionParam, f.position(), pg.SizeParam, size, f.count, f.total)
	}
	f.items = *items
	*buf = l.tmpl.Append((*buf)[:0], &f)
	writeJSON(c, http.StatusOK, *buf)
	putBuf(items)
	putBuf(buf)
}

// cursors reads the cursor parameters of a cursor list: the id the page
// starts after, or (before, paging backwards) the id it ends before; 0
// when not given (an empty value is not given). A cursor that is not one
// this list could have handed out, a parameter given twice, or both
// parameters at once are answered 400 naming the parameter; ok is then
// false.
func (e *Engine) cursors(c *call, l *lister, coll *dataset.Collection) (after, before uint64, ok bool) {
	pg := &l.pg
	a, ok := e.cursor(c, l, coll, pg.AfterParam)
	if !ok {
		return 0, 0, false
	}
	if pg.BeforeParam != "" {
		if before, ok = e.cursor(c, l, coll, pg.BeforeParam); !ok {
			return 0, 0, false
		}
	}
	if a != 0 && before != 0 {
		c.tracef("page: both %s and %s", pg.AfterParam, pg.BeforeParam)
		return 0, 0, e.fail(c, profile.KindBadRequest, pg.AfterParam+" and "+pg.BeforeParam+" cannot be given together: give one of them")
	}
	return a, before, true
}

// cursor reads one cursor parameter (see cursors).
func (e *Engine) cursor(c *call, l *lister, coll *dataset.Collection, name string) (id uint64, ok bool) {
	if c.r.URL.RawQuery == "" {
		return 0, true
	}
	val, count, malformed := queryParam(c.r.URL.RawQuery, name)
	if count == 0 && malformed != "" {
		val, count = malformed, 1 // not decodable: answered below
	}
	if count > 1 {
		c.tracef("page: %s given %d times", name, count)
		return 0, e.fail(c, profile.KindBadRequest, name+" must be given once (got "+strconv.Itoa(count)+" values)")
	}
	if val == "" {
		return 0, true
	}
	raw := val
	if l.pg.Cursor == profile.CursorOpaque {
		dec, err := base64.RawURLEncoding.DecodeString(val)
		if err != nil {
			raw = ""
		} else {
			raw = string(dec)
		}
	}
	id, ok = dataset.ParseID(l.r, raw)
	if !ok || !coll.Issued(id) {
		c.tracef("page: %s=%q is not a cursor of this list", name, val)
		want := "the id of " + article(l.r.Name) + " " + l.r.Name + " record, as in the list's records"
		if l.pg.Cursor == profile.CursorOpaque {
			want = "a cursor from a page of this list"
		}
		return 0, e.fail(c, profile.KindBadRequest, name+" must be "+want+" (got "+strconv.Quote(val)+")")
	}
	return id, true
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
	l                  *lister
	c                  *call
	items              []byte
	count, total, size int
	offset, page       int
	// cur is a cursor page; backward when it was read with the before
	// parameter.
	cur      dataset.CursorPage
	backward bool
}

func (f *listFiller) position() int {
	if f.l.pg.Style == profile.PageOffset {
		return f.offset
	}
	return f.page
}

// nextID and prevID are the ids a cursor page's next and previous pages
// continue from (after the last record, before the first), 0 when there
// is no such page.
func (f *listFiller) nextID() uint64 {
	if f.cur.Count == 0 || !(f.cur.More && !f.backward || f.cur.Behind && f.backward) {
		return 0
	}
	return f.cur.Last
}

func (f *listFiller) prevID() uint64 {
	if f.cur.Count == 0 || f.l.pg.BeforeParam == "" || !(f.cur.Behind && !f.backward || f.cur.More && f.backward) {
		return 0
	}
	return f.cur.First
}

func (f *listFiller) Fill(dst []byte, slot string) []byte {
	cursor := f.l.pg.Style == profile.PageCursor
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
		if cursor {
			return strconv.AppendBool(dst, f.cur.More)
		}
		return strconv.AppendBool(dst, f.offset+f.size < f.total)
	case "$nextCursor":
		return f.cursorValue(dst, f.nextID())
	case "$previousCursor":
		return f.cursorValue(dst, f.prevID())
	case "$firstId", "$lastId":
		id := f.cur.First
		if slot == "$lastId" {
			id = f.cur.Last
		}
		if id == 0 {
			return append(dst, "null"...)
		}
		return f.idValue(dst, id)
	case "$next":
		if cursor {
			if id := f.nextID(); id != 0 {
				return f.cursorLink(dst, f.l.pg.AfterParam, id)
			}
			return f.noLink(dst)
		}
		if f.offset+f.size >= f.total {
			return f.noLink(dst)
		}
		return f.link(dst, f.offset+f.size)
	case "$previous":
		if cursor {
			if id := f.prevID(); id != 0 {
				return f.cursorLink(dst, f.l.pg.BeforeParam, id)
			}
			return f.noLink(dst)
		}
		if f.offset == 0 {
			return f.noLink(dst)
		}
		return f.link(dst, max(0, f.offset-f.size))
	}
	return append(dst, "null"...)
}

// idValue renders id as the records write it.
func (f *listFiller) idValue(dst []byte, id uint64) []byte {
	if f.l.r.IDPrefix == "" {
		return strconv.AppendUint(dst, id, 10)
	}
	return appendStr(dst, dataset.FormatID(f.l.r, id))
}

// cursorText is the cursor naming id: the id as a string, or its opaque
// token.
func (f *listFiller) cursorText(id uint64) string {
	s := dataset.FormatID(f.l.r, id)
	if f.l.pg.Cursor == profile.CursorOpaque {
		return base64.RawURLEncoding.EncodeToString([]byte(s))
	}
	return s
}

// noLink renders a link or cursor to a page that does not exist: null, or
// "" where the pagination says so (Pagination.EmptyLinks).
func (f *listFiller) noLink(dst []byte) []byte {
	if f.l.pg.EmptyLinks {
		return append(dst, `""`...)
	}
	return append(dst, "null"...)
}

// cursorValue renders the cursor naming id as a JSON string, or no link
// for 0.
func (f *listFiller) cursorValue(dst []byte, id uint64) []byte {
	if id == 0 {
		return f.noLink(dst)
	}
	return appendStr(dst, f.cursorText(id))
}

// cursorLink renders the absolute URL of the page after (param is the
// after parameter) or before id, keeping the request's other parameters.
func (f *listFiller) cursorLink(dst []byte, param string, id uint64) []byte {
	pg := &f.l.pg
	q := f.query()
	q.Del(pg.AfterParam)
	if pg.BeforeParam != "" {
		q.Del(pg.BeforeParam)
	}
	q.Set(param, f.cursorText(id))
	return f.url(dst, q)
}

// link renders the absolute URL of the page starting at offset, keeping the
// request's other query parameters.
func (f *listFiller) link(dst []byte, offset int) []byte {
	pg := &f.l.pg
	q := f.query()
	if pg.Style == profile.PageOffset {
		q.Set(pg.PositionParam, strconv.Itoa(offset))
	} else {
		q.Set(pg.PositionParam, strconv.Itoa(offset/f.size+1))
	}
	return f.url(dst, q)
}

// query is a copy of the request's query with the page size set.
func (f *listFiller) query() url.Values {
	q := url.Values{}
	for k, v := range f.c.values() {
		q[k] = v
	}
	q.Set(f.l.pg.SizeParam, strconv.Itoa(f.size))
	return q
}

func (f *listFiller) url(dst []byte, q url.Values) []byte {
	u := url.URL{Scheme: "http", Host: f.c.r.Host, Path: f.c.r.URL.Path, RawQuery: q.Encode()}
	return appendStr(dst, u.String())
}

// article is "a" or "an" before name, by its first letter ("an email").
func article(name string) string {
	if name != "" && strings.ContainsRune("aeiouAEIOU", rune(name[0])) {
		return "an"
	}
	return "a"
}
