package store

import (
	"encoding/json"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"mockgate/backend/integrations"
	"mockgate/backend/keys"
	"mockgate/backend/mockapi"
)

// State is everything ReplaceState writes: a saved state (or the seed
// state of a reset), checked by the caller.
type State struct {
	Keys         []keys.Key
	Integrations []integrations.Integration
	// Settings are the run-time settings by API id; an API without any
	// gets its profile's defaults.
	Settings map[string]mockapi.Settings
	// Profiles are the imported profiles' sources by API id.
	Profiles map[string][]byte
	// Documents are the OpenAPI documents of the imported profiles that
	// have one, by API id.
	Documents map[string][]byte
	// Collections are the records; a collection not listed is seeded when
	// its API next opens it.
	Collections []Collection
}

// Collection is the content of one collection: ids ascending, Docs[i] the
// JSON of IDs[i], Seq the last id handed out (at least the last id).
type Collection struct {
	Name string
	Seq  uint64
	IDs  []uint64
	Docs [][]byte
}

// stateBuckets are the buckets a State replaces; meta and the request log
// stay.
var stateBuckets = [][]byte{bKeys, bIntegrations, bSettings, bRecords, bProfiles, bDocuments}

// ReplaceState replaces the keys, integrations, settings, records and
// imported profiles with st in one transaction: when it returns an error
// nothing changed, and a crash leaves either the old state or the new one.
func (s *Store) ReplaceState(st State) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		for _, name := range stateBuckets {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		ks := slices.SortedFunc(slices.Values(st.Keys), func(a, b keys.Key) int { return strings.Compare(a.ID, b.ID) })
		for _, k := range ks {
			if err := putJSONTx(tx, bKeys, k.ID, k); err != nil {
				return err
			}
		}
		for _, in := range st.Integrations {
			if err := putJSONTx(tx, bIntegrations, in.API+"/"+in.Name, in); err != nil {
				return err
			}
		}
		for api, v := range st.Settings {
			if err := putJSONTx(tx, bSettings, api, v); err != nil {
				return err
			}
		}
		for id, src := range st.Profiles {
			if err := tx.Bucket(bProfiles).Put([]byte(id), src); err != nil {
				return err
			}
		}
		for id, doc := range st.Documents {
			if err := tx.Bucket(bDocuments).Put([]byte(id), doc); err != nil {
				return err
			}
		}
		recs := tx.Bucket(bRecords)
		for _, c := range st.Collections {
			b, err := recs.CreateBucket([]byte(c.Name))
			if err != nil {
				return err
			}
			b.FillPercent = 1.0 // written in id order: pack pages full
			for i, id := range c.IDs {
				if err := b.Put(u64(id), c.Docs[i]); err != nil {
					return err
				}
			}
			if err := b.SetSequence(c.Seq); err != nil {
				return err
			}
		}
		return nil
	})
}

// putJSONTx marshals v under key in bucket b of tx.
func putJSONTx(tx *bolt.Tx, b []byte, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.Bucket(b).Put([]byte(key), data)
}
