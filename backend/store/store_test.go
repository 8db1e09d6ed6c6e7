package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// openTest is storetest.OpenDir for the store's own tests (storetest
// imports this package, so they cannot use it).
func openTest(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir, Options{Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("open %s: %v", dir, err)
	}
	t.Cleanup(func() {
		if err := s.Check(); err != nil && !errors.Is(err, ErrClosed) {
			t.Errorf("consistency check of %s: %v", s.path, err)
		}
		s.Close()
	})
	return s
}

// fill writes enough records for the file to span many pages, and
// returns the size bbolt says the data needs (the high-water mark).
func fill(t *testing.T, s *Store, n int) int64 {
	t.Helper()
	err := s.ReplaceCollection("api/-/things", n, func(id uint64) []byte {
		return fmt.Appendf(nil, `{"id":%d,"name":"thing %d","pad":"%s"}`, id, id, strings.Repeat("x", 40))
	})
	if err != nil {
		t.Fatal(err)
	}
	var hw int64
	if err := s.db.View(func(tx *bolt.Tx) error { hw = tx.Size(); return nil }); err != nil {
		t.Fatal(err)
	}
	return hw
}

// fileState is what must not change when Open refuses a file.
type fileState struct {
	data  []byte
	mtime time.Time
	mode  os.FileMode
}

var past = time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)

// freeze sets the file's mtime in the past (so that any write would show)
// and records its content.
func freeze(t *testing.T, path string) fileState {
	t.Helper()
	if err := os.Chtimes(path, past, past); err != nil {
		t.Fatal(err)
	}
	return state(t, path)
}

func state(t *testing.T, path string) fileState {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("the file is gone: %v", err)
	}
	st := fileState{mtime: fi.ModTime(), mode: fi.Mode()}
	if !fi.IsDir() {
		if st.data, err = os.ReadFile(path); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

func unchanged(t *testing.T, path string, before fileState) {
	t.Helper()
	after := state(t, path)
	if !bytes.Equal(before.data, after.data) {
		t.Errorf("the file's content changed (%d bytes before, %d after)", len(before.data), len(after.data))
	}
	if !after.mtime.Equal(before.mtime) {
		t.Errorf("the file's mtime changed: %v, was %v", after.mtime, before.mtime)
	}
	if after.mode != before.mode {
		t.Errorf("the file's mode changed: %v, was %v", after.mode, before.mode)
	}
}

// wantDamaged checks that err is a DamagedError that names the file and
// says what to do.
func wantDamaged(t *testing.T, err error, path, reason string) {
	t.Helper()
	var de *DamagedError
	if !errors.As(err, &de) {
		t.Fatalf("error %v (%T), want a *DamagedError", err, err)
	}
	if de.Path != path {
		t.Errorf("DamagedError.Path %q, want %q", de.Path, path)
	}
	msg := err.Error()
	for _, want := range []string{path, "has not changed it", "Move it aside", "--data", reason} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}

// reopenAfterMovingAside does what the message says: with the damaged file
// moved aside, the folder opens with a fresh store. It also proves the
// refused Open released the file and its lock.
func reopenAfterMovingAside(t *testing.T, dir string) {
	t.Helper()
	path := filepath.Join(dir, FileName)
	if err := os.Rename(path, path+".damaged"); err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir, Options{Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("open after moving the damaged file aside: %v", err)
	}
	if v, err := s.SchemaVersion(); err != nil || v != SchemaVersion {
		t.Errorf("fresh store schema %d, %v", v, err)
	}
	s.Close()
}

func TestOpenCreatesAndReopens(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	fill(t, s, 100)
	if err := s.PutMeta("k", []byte("v")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openTest(t, dir)
	var ids []uint64
	seq, ok, err := s.LoadCollection("api/-/things", func(id uint64, _ []byte) { ids = append(ids, id) })
	if err != nil || !ok || len(ids) != 100 || seq != 100 {
		t.Fatalf("reopened collection: ok %v, %d ids, seq %d, %v", ok, len(ids), seq, err)
	}
	if v, _ := s.GetMeta("k"); string(v) != "v" {
		t.Fatalf("meta %q", v)
	}
}

func TestOpenDamaged(t *testing.T) {
	junk := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i*7 + i>>8)
		}
		return b
	}
	tests := []struct {
		name   string
		data   []byte
		reason string
	}{
		{"zero-length", nil, "empty"},
		{"one byte", []byte{0}, ""},
		{"a text file", []byte("hello, I am not a database\n"), ""},
		{"junk of one page", junk(4096), ""},
		{"junk of one page and a bit", junk(5000), ""},
		{"junk of two pages", junk(8192), ""},
		{"junk of 64 KiB", junk(64 << 10), ""},
		{"a SQLite header", append([]byte("SQLite format 3\x00"), junk(8192)...), ""},
		{"a JSON file", []byte(`{"keys":[]}`), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, FileName)
			if err := os.WriteFile(path, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			before := freeze(t, path)
			_, err := Open(dir, Options{Timeout: 200 * time.Millisecond})
			wantDamaged(t, err, path, tt.reason)
			unchanged(t, path, before)
			reopenAfterMovingAside(t, dir)
		})
	}
}

// TestOpenTruncated cuts a real store at many lengths, from inside the
// header to one byte short of its data. Each must be refused with a
// DamagedError, never crash the process (bbolt reads its mmap past the end
// of a short file, which is a SIGBUS, not a recoverable panic).
func TestOpenTruncated(t *testing.T) {
	src := t.TempDir()
	s := openTest(t, src)
	hw := fill(t, s, 3000)
	s.Close()
	whole, err := os.ReadFile(filepath.Join(src, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if hw < 8*4096 || int64(len(whole)) < hw {
		t.Fatalf("test store too small: %d bytes, high-water mark %d", len(whole), hw)
	}
	const pg = 4096
	cuts := []int64{1, 16, 100, pg - 1, pg, pg + 100, 2*pg - 1, 2 * pg, 2*pg + 1, 3 * pg, 4 * pg, hw / 2, hw - pg, hw - 1}
	for _, n := range cuts {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, FileName)
			if err := os.WriteFile(path, whole[:n], 0o600); err != nil {
				t.Fatal(err)
			}
			before := freeze(t, path)
			_, err := Open(dir, Options{Timeout: 200 * time.Millisecond})
			reason := "truncated"
			if n < 100 {
				reason = "not a bbolt database"
			}
			wantDamaged(t, err, path, reason)
			t.Log(err)
			unchanged(t, path, before)
			reopenAfterMovingAside(t, dir)
		})
	}
}

// TestOpenCorruptPage overwrites pages with junk, keeping the header
// pages valid: bbolt panics or faults on such pages; Open answers a
// DamagedError either way and lets go of the file and its lock.
func TestOpenCorruptPage(t *testing.T) {
	src := t.TempDir()
	s := openTest(t, src)
	fill(t, s, 3000)
	s.Close()
	whole, err := os.ReadFile(filepath.Join(src, FileName))
	if err != nil {
		t.Fatal(err)
	}
	m, ok := readMeta(bytes.NewReader(whole), 4096)
	if m0, ok0 := readMeta(bytes.NewReader(whole), 0); !ok || ok0 && m0.txid > m.txid {
		m = m0
	}
	const pg = 4096
	flOverflow := uint64(ne.Uint32(whole[m.freelist*pg+12:]))
	for _, tt := range []struct {
		name string
		keep func(page uint64) bool
	}{
		{"all but the metas", func(p uint64) bool { return p < 2 }},
		{"all but the metas and the freelist", func(p uint64) bool {
			return p < 2 || p >= m.freelist && p <= m.freelist+flOverflow
		}},
		{"the root page only", func(p uint64) bool { return p != m.root }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			bad := bytes.Clone(whole)
			for p := uint64(0); p*pg < uint64(len(bad)); p++ {
				if !tt.keep(p) {
					for i := p * pg; i < (p+1)*pg; i++ {
						bad[i] = 0xA5
					}
				}
			}
			dir := t.TempDir()
			path := filepath.Join(dir, FileName)
			if err := os.WriteFile(path, bad, 0o600); err != nil {
				t.Fatal(err)
			}
			before := freeze(t, path)
			_, err = Open(dir, Options{Timeout: 200 * time.Millisecond})
			wantDamaged(t, err, path, "")
			t.Log(err)
			unchanged(t, path, before)
			reopenAfterMovingAside(t, dir)
		})
	}
}

func TestOpenFolderInsteadOfFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
	before := freeze(t, path)
	_, err := Open(dir, Options{})
	wantDamaged(t, err, path, "folder")
	unchanged(t, path, before)
}

// TestOpenForeignBolt is a bbolt file that some other program wrote.
func TestOpenForeignBolt(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("other"))
		if err != nil {
			return err
		}
		return b.Put([]byte("a"), []byte("b"))
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := freeze(t, path)
	_, err = Open(dir, Options{})
	wantDamaged(t, err, path, "not a mockgate store")
	unchanged(t, path, before)
	reopenAfterMovingAside(t, dir)
}

func TestOpenNewerSchema(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	if err := s.PutMeta(string(kSchema), []byte(fmt.Sprint(SchemaVersion+1))); err != nil {
		t.Fatal(err)
	}
	s.Close()
	path := filepath.Join(dir, FileName)
	before := freeze(t, path)
	_, err := Open(dir, Options{})
	var ne *NewerSchemaError
	if !errors.As(err, &ne) {
		t.Fatalf("error %v (%T), want a *NewerSchemaError", err, err)
	}
	if ne.Path != path || ne.Version != SchemaVersion+1 || ne.Supported != SchemaVersion {
		t.Errorf("error fields %+v", ne)
	}
	for _, want := range []string{path, "newer than this mockgate", "upgrade mockgate"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	unchanged(t, path, before)
}

// TestOpenLocked: a second Open of a folder in use gives a LockedError
// after the timeout, naming the file and the holder, and changes nothing.
func TestOpenLocked(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	fill(t, s, 10)
	path := filepath.Join(dir, FileName)
	before := freeze(t, path)
	t0 := time.Now()
	_, err := Open(dir, Options{Timeout: 300 * time.Millisecond, Holder: func() string { return "mockgate (pid 4242)" }})
	took := time.Since(t0)
	var le *LockedError
	if !errors.As(err, &le) {
		t.Fatalf("error %v (%T), want a *LockedError", err, err)
	}
	if took < 250*time.Millisecond || took > 2*time.Second {
		t.Errorf("refused after %v, want about the 300 ms timeout", took)
	}
	for _, want := range []string{path, "in use by mockgate (pid 4242)", "stop it", "--data"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	unchanged(t, path, before)
	// Without a holder the message still says what to do.
	_, err = Open(dir, Options{Timeout: 50 * time.Millisecond})
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "another mockgate process") {
		t.Fatalf("no holder: %v", err)
	}
	// Once the first closes, the folder opens.
	s.Close()
	s2, err := Open(dir, Options{Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatalf("after the holder closed: %v", err)
	}
	s2.Close()
}
