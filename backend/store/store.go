// Package store keeps mockgate's state in one bbolt file in the data folder:
// keys (hashes only), integrations, per-API settings, the records of every
// mock collection and the persisted tail of the request log.
//
// The file is locked while open: a second process gets a LockedError naming
// the instance that holds it, after Timeout, instead of hanging. A file that
// is empty, truncated or not a bbolt database gets a DamagedError and is
// never written to.
package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the layout this code reads and writes. Open refuses a
// newer file and migrates an older one.
const SchemaVersion = 1

// FileName is the store file inside the data folder.
const FileName = "mockgate.db"

// Bucket names.
var (
	bMeta         = []byte("meta")
	bKeys         = []byte("keys")
	bIntegrations = []byte("integrations")
	bSettings     = []byte("settings")
	bJournal      = []byte("journal")
	bRecords      = []byte("records")
	bProfiles     = []byte("profiles")
	// bDocuments holds the OpenAPI document of an imported profile that
	// has one, under the profile's id.
	bDocuments = []byte("documents")
	allBuckets = [][]byte{bMeta, bKeys, bIntegrations, bSettings, bJournal, bRecords, bProfiles, bDocuments}
	kSchema    = []byte("schema_version")
)

// Store is an open bbolt store.
type Store struct {
	db   *bolt.DB
	path string
}

// Options tune Open.
type Options struct {
	// Timeout waits this long for another process's lock (default 1s).
	Timeout time.Duration
	// Holder describes who holds the lock when Open times out; it reads the
	// instance file of the data folder. May be nil.
	Holder func() string
}

// LockedError says the data folder is in use by another process.
type LockedError struct {
	Path   string
	Holder string
}

func (e *LockedError) Error() string {
	who := e.Holder
	if who == "" {
		who = "another mockgate process"
	}
	return fmt.Sprintf("data file %s is in use by %s; stop it, or pass --data with another folder", e.Path, who)
}

// DamagedError says the data file cannot be used; it was left untouched.
type DamagedError struct {
	Path   string
	Reason string
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("data file %s is damaged (%s); mockgate has not changed it. Move it aside to keep it (mockgate then starts with a fresh store), or pass --data with another folder", e.Path, e.Reason)
}

// NewerSchemaError says the data file was written by a newer mockgate; it
// was left untouched.
type NewerSchemaError struct {
	Path      string
	Version   int // the file's
	Supported int // this mockgate's
}

func (e *NewerSchemaError) Error() string {
	return fmt.Sprintf("data file %s has schema version %d, newer than this mockgate (%d): upgrade mockgate, or pass --data with another folder", e.Path, e.Version, e.Supported)
}

// Open opens (creating if needed) the store in dir.
func Open(dir string, opt Options) (*Store, error) {
	if opt.Timeout <= 0 {
		opt.Timeout = time.Second
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	path := filepath.Join(dir, FileName)
	existed := false
	if fi, err := os.Stat(path); err == nil {
		existed = true
		if fi.IsDir() {
			return nil, &DamagedError{path, "it is a folder, not a file"}
		}
		if err := precheck(path, opt); err != nil {
			return nil, err
		}
	}
	return open(path, existed, opt)
}

// precheck takes the file's lock (as bbolt would: a second process gets a
// LockedError, not a false alarm about a file another process is writing)
// and, holding it, checks the file is a whole bbolt file before bbolt maps
// it. The lock is released before bbolt takes its own.
func precheck(path string, opt Options) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	locked, err := lockFile(f, opt.Timeout)
	if err != nil {
		return fmt.Errorf("lock %s: %w", path, err)
	}
	if !locked {
		return lockedError(path, opt)
	}
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Size() == 0 {
		return &DamagedError{path, "the file is empty (0 bytes), not a mockgate store"}
	}
	return checkHeader(f, path, fi.Size())
}

func lockedError(path string, opt Options) error {
	holder := ""
	if opt.Holder != nil {
		holder = opt.Holder()
	}
	return &LockedError{path, holder}
}

// open runs bbolt's Open and the store's own checks. bbolt panics on some
// corrupt pages and faults (SIGSEGV/SIGBUS) on others; with SetPanicOnFault
// both are recovered here into a DamagedError, and the file and its lock are
// let go (a fault inside bbolt's Open leaves its mapping, not its lock).
func open(path string, existed bool, opt Options) (s *Store, err error) {
	var f *os.File
	var db *bolt.DB
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			if db != nil {
				db.Close()
			} else if f != nil {
				f.Close()
			}
			s, err = nil, &DamagedError{path, fmt.Sprintf("bbolt cannot read it: %v", r)}
		}
	}()
	db, err = bolt.Open(path, 0o600, &bolt.Options{
		Timeout: opt.Timeout,
		OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
			var err error
			f, err = os.OpenFile(name, flag, perm)
			return f, err
		},
	})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, lockedError(path, opt)
		}
		if existed {
			return nil, &DamagedError{path, err.Error()}
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s = &Store{db: db, path: path}
	if existed {
		if err := s.check(); err != nil {
			db.Close()
			return nil, err
		}
	}
	if err := s.init(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// check refuses a file that bbolt opened but that is not a whole mockgate
// store: truncated (its pages reach past the end of the file) or foreign.
func (s *Store) check() error {
	fi, err := os.Stat(s.path)
	if err != nil {
		return err
	}
	return s.db.View(func(tx *bolt.Tx) error {
		if tx.Size() > fi.Size() {
			return &DamagedError{s.path, fmt.Sprintf("truncated: %d of %d bytes present", fi.Size(), tx.Size())}
		}
		meta := tx.Bucket(bMeta)
		if meta == nil || meta.Get(kSchema) == nil {
			return &DamagedError{s.path, "a bbolt file but not a mockgate store (no schema version)"}
		}
		v, err := strconv.Atoi(string(meta.Get(kSchema)))
		if err != nil {
			return &DamagedError{s.path, "unreadable schema version"}
		}
		if v > SchemaVersion {
			return &NewerSchemaError{s.path, v, SchemaVersion}
		}
		return nil
	})
}

// init creates every bucket and records the schema version. Migrations from
// older versions go here when there are any.
func (s *Store) init() error {
	return s.db.Update(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bMeta)
		if meta.Get(kSchema) == nil {
			return meta.Put(kSchema, []byte(strconv.Itoa(SchemaVersion)))
		}
		return nil
	})
}

// ErrClosed is returned by Check for a store already closed.
var ErrClosed = errors.New("store is closed")

// Check runs bbolt's consistency check over the whole file (every page
// reachable once, no page both free and in use) and returns the first
// problem. Test helpers run it when a test ends (storetest).
func (s *Store) Check() error {
	err := s.db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	})
	if errors.Is(err, bolt.ErrDatabaseNotOpen) {
		return ErrClosed
	}
	return err
}

// Path is the store file.
func (s *Store) Path() string { return s.path }

// Close closes the file and releases the lock.
func (s *Store) Close() error { return s.db.Close() }

// SchemaVersion returns the version recorded in the file.
func (s *Store) SchemaVersion() (int, error) {
	var v int
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		v, err = strconv.Atoi(string(tx.Bucket(bMeta).Get(kSchema)))
		return err
	})
	return v, err
}

// GetMeta reads a value of the meta bucket (nil when absent).
func (s *Store) GetMeta(key string) ([]byte, error) {
	var out []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bMeta).Get([]byte(key)); v != nil {
			out = append([]byte(nil), v...)
		}
		return nil
	})
	return out, err
}

// PutMeta writes a value of the meta bucket.
func (s *Store) PutMeta(key string, val []byte) error {
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bMeta).Put([]byte(key), val) })
}

// putJSON marshals v under key in bucket b.
func (s *Store) putJSON(b []byte, key string, v any) error {
	return s.db.Update(func(tx *bolt.Tx) error { return putJSONTx(tx, b, key, v) })
}

// deleteKey removes key from bucket b.
func (s *Store) deleteKey(b []byte, key string) error {
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(b).Delete([]byte(key)) })
}

// loadAll decodes every JSON record of bucket b, in key order; what names
// a record in an error.
func loadAll[T any](s *Store, b []byte, what string) ([]T, error) {
	var out []T
	err := s.forEach(b, func(k string, v []byte) error {
		var x T
		if err := json.Unmarshal(v, &x); err != nil {
			return fmt.Errorf("%s %s: %w", what, k, err)
		}
		out = append(out, x)
		return nil
	})
	return out, err
}

// forEach calls fn with a copy of every value of bucket b, in key order.
func (s *Store) forEach(b []byte, fn func(k string, v []byte) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(b).ForEach(func(k, v []byte) error {
			return fn(string(k), append([]byte(nil), v...))
		})
	})
}

// u64 encodes n big-endian so cursors iterate in numeric order.
func u64(n uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	return b[:]
}
