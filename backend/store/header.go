package store

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
)

// bbolt's on-disk header, read before bbolt maps the file. bbolt trusts its
// meta page: it maps the file and reads the pages the meta names, and on a
// short file those reads fall past the end of the mapping, which kills the
// process (SIGBUS or SIGSEGV) instead of returning an error. A file cut
// short (a full disk, a partial copy) must instead get a DamagedError, so
// the header is checked here with plain reads first.
//
// The layout (go.etcd.io/bbolt internal/common, format version 2, native
// byte order): a page starts with a 16-byte header (id u64, flags u16,
// count u16, overflow u32); a meta page's body is magic u32, version u32,
// pageSize u32, flags u32, root bucket (root pgid u64, sequence u64),
// freelist pgid u64, pgid u64 (the high-water mark), txid u64, then an
// FNV-64a checksum of the 56 bytes before it.
const (
	boltMagic        = 0xED0CDAED
	boltVersion      = 2
	pageHeaderSize   = 16
	metaSumOffset    = 56
	freelistFlag     = 0x10
	noFreelist       = ^uint64(0)
	minBoltPageSize  = 1024
	maxBoltPageSize  = 1024 << 14 // the largest bbolt looks for
	freelistOverflow = 0xFFFF
)

var ne = binary.NativeEndian

// boltMeta is the part of a meta page the check needs.
type boltMeta struct {
	pageSize uint64
	root     uint64
	freelist uint64
	pgid     uint64
	txid     uint64
}

// readMeta reads and validates the meta page at off; ok is false when the
// bytes there are not a valid meta page.
func readMeta(f io.ReaderAt, off int64) (m boltMeta, ok bool) {
	var buf [pageHeaderSize + metaSumOffset + 8]byte
	if n, _ := f.ReadAt(buf[:], off); n < len(buf) {
		return m, false
	}
	b := buf[pageHeaderSize:]
	if ne.Uint32(b[0:]) != boltMagic || ne.Uint32(b[4:]) != boltVersion {
		return m, false
	}
	h := fnv.New64a()
	h.Write(b[:metaSumOffset])
	if h.Sum64() != ne.Uint64(b[metaSumOffset:]) {
		return m, false
	}
	m = boltMeta{
		pageSize: uint64(ne.Uint32(b[8:])),
		root:     ne.Uint64(b[16:]),
		freelist: ne.Uint64(b[32:]),
		pgid:     ne.Uint64(b[40:]),
		txid:     ne.Uint64(b[48:]),
	}
	return m, m.pageSize >= minBoltPageSize && m.pageSize <= maxBoltPageSize
}

// checkHeader returns a DamagedError unless the file at path starts with a
// valid bbolt meta page and holds every page that meta (the one bbolt will
// use: the valid one with the higher txid) names, and its freelist page.
func checkHeader(f io.ReaderAt, path string, size int64) error {
	damaged := func(format string, args ...any) error {
		return &DamagedError{path, fmt.Sprintf(format, args...)}
	}
	m0, ok0 := readMeta(f, 0)
	var m1 boltMeta
	ok1 := false
	if ok0 {
		m1, ok1 = readMeta(f, int64(m0.pageSize))
	} else {
		// As bbolt does when the first meta is bad: look for the second
		// at every page size it supports.
		for ps := int64(minBoltPageSize); ps <= maxBoltPageSize && ps < size; ps <<= 1 {
			if m1, ok1 = readMeta(f, ps); ok1 && m1.pageSize == uint64(ps) {
				break
			}
			ok1 = false
		}
	}
	var m boltMeta
	switch {
	case ok0 && ok1 && m1.txid > m0.txid, !ok0 && ok1:
		m = m1
	case ok0:
		m = m0
	default:
		return damaged("not a bbolt database: no valid header")
	}
	ps := m.pageSize
	need := max(m.pgid, 2) * ps
	if need/ps != max(m.pgid, 2) || need > 1<<50 {
		return damaged("its header names an impossible size (%d pages of %d bytes)", m.pgid, ps)
	}
	if uint64(size) < need {
		return damaged("truncated: %d of %d bytes present", size, need)
	}
	if m.root >= m.pgid {
		return damaged("its root page %d is past its end (%d pages)", m.root, m.pgid)
	}
	if m.freelist == noFreelist {
		return nil
	}
	if m.freelist < 2 || m.freelist >= m.pgid {
		return damaged("its freelist page %d is outside the file (%d pages)", m.freelist, m.pgid)
	}
	// The freelist is read whole at open: its ids must lie in the file.
	var hdr [pageHeaderSize + 8]byte
	off := int64(m.freelist * ps)
	if n, _ := f.ReadAt(hdr[:], off); n < pageHeaderSize {
		return damaged("truncated inside the freelist page %d", m.freelist)
	}
	if ne.Uint16(hdr[8:])&freelistFlag == 0 {
		return damaged("page %d is named as the freelist but is not one", m.freelist)
	}
	count, first := uint64(ne.Uint16(hdr[10:])), uint64(0)
	if count == freelistOverflow {
		count, first = ne.Uint64(hdr[pageHeaderSize:]), 1
	}
	if count > uint64(size)/8 {
		return damaged("its freelist page %d lists %d pages, more than the file can hold", m.freelist, count)
	}
	if end := uint64(off) + pageHeaderSize + (first+count)*8; end > uint64(size) {
		return damaged("truncated inside the freelist (%d of %d bytes present)", size, end)
	}
	return nil
}
