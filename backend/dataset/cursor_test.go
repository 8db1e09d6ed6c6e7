package dataset

import (
	"fmt"
	"testing"
)

// TestAppendCursorPage reads pages of ids 1..10 without 4 and 7 (deleted):
// a cursor is a place in the order, so a deleted id still works as one.
func TestAppendCursorPage(t *testing.T) {
	c := &Collection{name: "t"}
	var ids []uint64
	var docs [][]byte
	for id := uint64(1); id <= 10; id++ {
		if id == 4 || id == 7 {
			continue
		}
		ids, docs = append(ids, id), append(docs, fmt.Appendf(nil, "%d", id))
	}
	c.replace(ids, docs, 12) // 11 and 12 were created and deleted
	tests := []struct {
		after, before uint64
		limit         int
		want          string
		page          CursorPage
	}{
		{0, 0, 3, "[1,2,3]", CursorPage{Count: 3, Total: 8, First: 1, Last: 3, More: true}},
		{3, 0, 3, "[5,6,8]", CursorPage{Count: 3, Total: 8, First: 5, Last: 8, More: true, Behind: true}},
		{4, 0, 3, "[5,6,8]", CursorPage{Count: 3, Total: 8, First: 5, Last: 8, More: true, Behind: true}},
		{8, 0, 3, "[9,10]", CursorPage{Count: 2, Total: 8, First: 9, Last: 10, Behind: true}},
		{10, 0, 3, "[]", CursorPage{Total: 8, Behind: true}},
		{0, 9, 3, "[5,6,8]", CursorPage{Count: 3, Total: 8, First: 5, Last: 8, More: true, Behind: true}},
		{0, 5, 3, "[1,2,3]", CursorPage{Count: 3, Total: 8, First: 1, Last: 3, Behind: true}},
		{0, 1, 3, "[]", CursorPage{Total: 8, Behind: true}},
		{0, 12, 20, "[1,2,3,5,6,8,9,10]", CursorPage{Count: 8, Total: 8, First: 1, Last: 10}},
	}
	for _, tt := range tests {
		got, page := c.AppendCursorPage(nil, tt.after, tt.before, tt.limit)
		if string(got) != tt.want || page != tt.page {
			t.Errorf("after %d before %d limit %d: %s %+v; want %s %+v", tt.after, tt.before, tt.limit, got, page, tt.want, tt.page)
		}
	}
	for id, want := range map[uint64]bool{0: false, 1: true, 7: true, 12: true, 13: false} {
		if c.Issued(id) != want {
			t.Errorf("Issued(%d) = %v", id, !want)
		}
	}
}
