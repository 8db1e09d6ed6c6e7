package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// A collection is one nested bucket of "records", named by the caller
// ("api/tenant/resource"), holding JSON documents under big-endian ids.

// LoadCollection reads a collection: it calls add with a copy of each
// record in id order and returns the last id handed out (ids are never
// reused). ok is false when the collection has never been written (the
// caller seeds it).
func (s *Store) LoadCollection(name string, add func(id uint64, doc []byte)) (seq uint64, ok bool, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bRecords).Bucket([]byte(name))
		if b == nil {
			return nil
		}
		ok = true
		seq = b.Sequence()
		return b.ForEach(func(k, v []byte) error {
			if len(k) != 8 {
				return fmt.Errorf("collection %s: bad record key %x", name, k)
			}
			add(binary.BigEndian.Uint64(k), append([]byte(nil), v...))
			return nil
		})
	})
	return seq, ok, err
}

// CreateRecord allocates the next id of the collection, builds the document
// with it and stores it, in one durable transaction.
func (s *Store) CreateRecord(name string, build func(id uint64) ([]byte, error)) (uint64, []byte, error) {
	var id uint64
	var doc []byte
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.Bucket(bRecords).CreateBucketIfNotExists([]byte(name))
		if err != nil {
			return err
		}
		if id, err = b.NextSequence(); err != nil {
			return err
		}
		if doc, err = build(id); err != nil {
			return err
		}
		return b.Put(u64(id), doc)
	})
	return id, doc, err
}

// PutRecord writes (replaces) one record.
func (s *Store) PutRecord(name string, id uint64, doc []byte) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.Bucket(bRecords).CreateBucketIfNotExists([]byte(name))
		if err != nil {
			return err
		}
		return b.Put(u64(id), doc)
	})
}

// DeleteRecord removes one record.
func (s *Store) DeleteRecord(name string, id uint64) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bRecords).Bucket([]byte(name))
		if b == nil {
			return nil
		}
		return b.Delete(u64(id))
	})
}

// batchSize bounds one transaction of ReplaceCollection/AppendRecords.
const batchSize = 50_000

// ReplaceCollection drops the collection and writes docs with ids 1..n
// (the seed data), committing in batches so a million records do not need
// one giant transaction.
func (s *Store) ReplaceCollection(name string, n int, doc func(id uint64) []byte) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		recs := tx.Bucket(bRecords)
		if recs.Bucket([]byte(name)) != nil {
			if err := recs.DeleteBucket([]byte(name)); err != nil {
				return err
			}
		}
		_, err := recs.CreateBucket([]byte(name))
		return err
	})
	if err != nil {
		return err
	}
	return s.AppendRecords(name, 1, n, doc)
}

// AppendRecords writes n records with ids first..first+n-1 after the
// collection's current ones (ids must be above its sequence) and moves the
// sequence past them.
func (s *Store) AppendRecords(name string, first uint64, n int, doc func(id uint64) []byte) error {
	for done := 0; done < n || (n == 0 && done == 0); {
		end := min(done+batchSize, n)
		err := s.db.Update(func(tx *bolt.Tx) error {
			b, err := tx.Bucket(bRecords).CreateBucketIfNotExists([]byte(name))
			if err != nil {
				return err
			}
			b.FillPercent = 1.0 // appending in order: pack pages full
			for i := done; i < end; i++ {
				id := first + uint64(i)
				if err := b.Put(u64(id), doc(id)); err != nil {
					return err
				}
			}
			if last := first + uint64(end) - 1; end > 0 && last > b.Sequence() {
				return b.SetSequence(last)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
		done = end
	}
	return nil
}

// DropCollection deletes a collection (a reset re-seeds it).
func (s *Store) DropCollection(name string) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		recs := tx.Bucket(bRecords)
		if recs.Bucket([]byte(name)) == nil {
			return nil
		}
		return recs.DeleteBucket([]byte(name))
	})
}
