package dataset

import (
	"fmt"
	"testing"
)

// BenchmarkPageDepth compares a page of 20 at the start and at the end of a
// million records: pages are slices of an ordered in-memory index, so the
// deep page costs the same as the first.
func BenchmarkPageDepth(b *testing.B) {
	const n = benchRecords
	c := benchCollection()
	for _, offset := range []int{0, 500_000, n - 10} {
		b.Run(fmt.Sprintf("offset=%d", offset), func(b *testing.B) {
			buf := make([]byte, 0, 8192)
			b.ReportAllocs()
			for b.Loop() {
				buf, _, _ = c.AppendPage(buf[:0], offset, 20)
			}
		})
	}
}

// BenchmarkCursorDepth compares a cursor page of 20 at the start and near
// the end of a million records: the page is found by a binary search on
// the ordered ids, so the deep page costs about what the first does.
func BenchmarkCursorDepth(b *testing.B) {
	const n = benchRecords
	c := benchCollection()
	for _, after := range []uint64{0, 500_000, n - 30} {
		b.Run(fmt.Sprintf("after=%d", after), func(b *testing.B) {
			buf := make([]byte, 0, 8192)
			b.ReportAllocs()
			for b.Loop() {
				buf, _ = c.AppendCursorPage(buf[:0], after, 0, 20)
			}
		})
	}
}

// BenchmarkGet is a record by id in a million (binary search).
func BenchmarkGet(b *testing.B) {
	const n = 1_000_000
	ids := make([]uint64, n)
	docs := make([][]byte, n)
	for i := range ids {
		ids[i], docs[i] = uint64(i+1), []byte(`{}`)
	}
	c := &Collection{name: "bench"}
	c.replace(ids, docs, n)
	b.ReportAllocs()
	i := uint64(0)
	for b.Loop() {
		i = (i*7919 + 1) % n
		if _, ok := c.Get(i + 1); !ok {
			b.Fatal("missing")
		}
	}
}

// benchRecords is the size of the benchmarks' collection.
const benchRecords = 1_000_000

// benchCollection is a collection of benchRecords small user records,
// ids 1 to benchRecords.
func benchCollection() *Collection {
	ids := make([]uint64, benchRecords)
	docs := make([][]byte, benchRecords)
	for i := range ids {
		ids[i] = uint64(i + 1)
		docs[i] = fmt.Appendf(nil, `{"id":%d,"name":"User %d","email":"user%d@example.com","role":"member","active":true}`, i+1, i+1, i+1)
	}
	c := &Collection{name: "bench"}
	c.replace(ids, docs, benchRecords)
	return c
}
