// Package dataset holds the records of every mock collection in memory, in
// id order, backed by the store: reads (pages, lookups) never touch the
// disk; writes are durable before they are acknowledged. Seed data is
// generated deterministically from the profile (package fake).
package dataset

import (
	"slices"
	"sync"
)

// Collection is the records of one resource of one tenant.
type Collection struct {
	name string // the store's collection name

	mu   sync.RWMutex
	ids  []uint64 // ascending
	docs [][]byte // docs[i] is the JSON of ids[i]
	seq  uint64
}

// Name is the collection's store name ("api/tenant/resource").
func (c *Collection) Name() string { return c.name }

// Len is the number of records.
func (c *Collection) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.ids)
}

// AppendPage appends the JSON array of up to limit records starting at
// position offset, and returns it with the number of records in it and the
// collection's total. The cost depends on limit, not on offset.
func (c *Collection) AppendPage(dst []byte, offset, limit int) (out []byte, count, total int) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	total = len(c.ids)
	dst = append(dst, '[')
	if offset < total && limit > 0 {
		end := total
		if limit < total-offset {
			end = offset + limit
		}
		for i := offset; i < end; i++ {
			if i > offset {
				dst = append(dst, ',')
			}
			dst = append(dst, c.docs[i]...)
		}
		count = end - offset
	}
	return append(dst, ']'), count, total
}

// CursorPage describes a page read by AppendCursorPage.
type CursorPage struct {
	// Count is the number of records on the page, Total the collection's.
	Count, Total int
	// First and Last are the ids of the page's first and last records (0
	// on an empty page).
	First, Last uint64
	// More is true when records lie beyond the page in the direction read
	// (after it going forward, before it going backward); Behind when
	// records lie on the other side.
	More, Behind bool
}

// AppendCursorPage appends the JSON array of up to limit records in id
// order: going forward (before is 0), the first ones whose ids are above
// after (0: from the start); going backward, the last ones whose ids are
// below before. The page is found by a binary search on the ordered ids,
// the in-memory counterpart of a bbolt Cursor.Seek: its cost depends on
// limit, not on how deep the page is, and records created or deleted
// since the cursor was handed out neither shift nor repeat the pages.
func (c *Collection) AppendCursorPage(dst []byte, after, before uint64, limit int) ([]byte, CursorPage) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	total := len(c.ids)
	var start, end int
	if before != 0 {
		end, _ = slices.BinarySearch(c.ids, before) // the first id >= before
		start = max(0, end-limit)
	} else {
		i, found := slices.BinarySearch(c.ids, after)
		if found {
			i++
		}
		start, end = i, min(total, i+max(limit, 0))
	}
	pg := CursorPage{Count: end - start, Total: total}
	dst = append(dst, '[')
	for i := start; i < end; i++ {
		if i > start {
			dst = append(dst, ',')
		}
		dst = append(dst, c.docs[i]...)
	}
	if pg.Count > 0 {
		pg.First, pg.Last = c.ids[start], c.ids[end-1]
	}
	pg.More, pg.Behind = end < total, start > 0
	if before != 0 {
		pg.More, pg.Behind = pg.Behind, pg.More
	}
	return append(dst, ']'), pg
}

// Issued reports whether id was handed out in this collection (it may
// have been deleted since): a cursor naming it is a place in the order.
func (c *Collection) Issued(id uint64) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return id >= 1 && id <= c.seq
}

// Get returns the JSON of record id.
func (c *Collection) Get(id uint64) ([]byte, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	i, ok := slices.BinarySearch(c.ids, id)
	if !ok {
		return nil, false
	}
	return c.docs[i], true
}

// Records returns the documents in id order and the last id handed out,
// as they are now (a saved state). The documents are shared: never modify
// them.
func (c *Collection) Records() (docs [][]byte, seq uint64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return slices.Clone(c.docs), c.seq
}

// put inserts or replaces id's document (in memory only).
func (c *Collection) put(id uint64, doc []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if id > c.seq {
		c.seq = id
	}
	i, ok := slices.BinarySearch(c.ids, id)
	if ok {
		c.docs[i] = doc
		return
	}
	c.ids = slices.Insert(c.ids, i, id)
	c.docs = slices.Insert(c.docs, i, doc)
}

// remove deletes id (in memory only) and reports whether it was there.
func (c *Collection) remove(id uint64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	i, ok := slices.BinarySearch(c.ids, id)
	if !ok {
		return false
	}
	c.ids = slices.Delete(c.ids, i, i+1)
	c.docs = slices.Delete(c.docs, i, i+1)
	return true
}

// replace swaps the whole content.
func (c *Collection) replace(ids []uint64, docs [][]byte, seq uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ids, c.docs, c.seq = ids, docs, seq
}

// nextSeq is the highest id handed out so far.
func (c *Collection) nextSeq() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.seq
}
