package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"mockgate/backend/integrations"
	"mockgate/backend/journal"
	"mockgate/backend/keys"
	"mockgate/backend/mockapi"
)

// SaveKey writes a key record (it holds the key's hash, never the key).
func (s *Store) SaveKey(k keys.Key) error { return s.putJSON(bKeys, k.ID, k) }

// DeleteKey removes a key record.
func (s *Store) DeleteKey(id string) error { return s.deleteKey(bKeys, id) }

// LoadKeys reads every key record.
func (s *Store) LoadKeys() ([]keys.Key, error) { return loadAll[keys.Key](s, bKeys, "key") }

// SaveUsage writes a batch of usage counters in one transaction. Usage of a
// key that no longer exists is dropped: a late flush never brings a deleted
// key back.
func (s *Store) SaveUsage(us []keys.Usage) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bKeys)
		for _, u := range us {
			v := b.Get([]byte(u.ID))
			if v == nil {
				continue
			}
			var k keys.Key
			if err := json.Unmarshal(v, &k); err != nil {
				return fmt.Errorf("key %s: %w", u.ID, err)
			}
			at := u.LastUsedAt
			k.LastUsedAt, k.UseCount = &at, u.UseCount
			data, err := json.Marshal(k)
			if err != nil {
				return err
			}
			if err := b.Put([]byte(u.ID), data); err != nil {
				return err
			}
		}
		return nil
	})
}

// SaveIntegration writes an integration record under "api/name".
func (s *Store) SaveIntegration(in integrations.Integration) error {
	return s.putJSON(bIntegrations, in.API+"/"+in.Name, in)
}

// DeleteIntegration removes an integration record.
func (s *Store) DeleteIntegration(api, name string) error {
	return s.deleteKey(bIntegrations, api+"/"+name)
}

// LoadIntegrations reads every integration record.
func (s *Store) LoadIntegrations() ([]integrations.Integration, error) {
	return loadAll[integrations.Integration](s, bIntegrations, "integration")
}

// SaveSettings writes an API's run-time settings (mockapi.SettingsStore).
func (s *Store) SaveSettings(api string, v mockapi.Settings) error {
	return s.putJSON(bSettings, api, v)
}

// LoadSettings reads an API's run-time settings; ok is false when none were
// saved (mockapi.SettingsStore).
func (s *Store) LoadSettings(api string) (v mockapi.Settings, ok bool, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bSettings).Get([]byte(api))
		if raw == nil {
			return nil
		}
		ok = true
		return json.Unmarshal(raw, &v) // copies out of the transaction
	})
	if err != nil {
		return mockapi.Settings{}, false, fmt.Errorf("settings %s: %w", api, err)
	}
	return v, ok, nil
}

// DeleteSettings forgets an API's run-time settings (its profile was
// removed: one imported again later starts from its defaults).
func (s *Store) DeleteSettings(api string) error { return s.deleteKey(bSettings, api) }

func (s *Store) all(b []byte) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := s.forEach(b, func(k string, v []byte) error { out[k] = v; return nil })
	return out, err
}

// AppendEntries persists a batch of request-log entries in one transaction.
func (s *Store) AppendEntries(es []journal.Entry) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bJournal)
		for i := range es {
			data, err := json.Marshal(&es[i])
			if err != nil {
				return err
			}
			if err := b.Put(u64(es[i].ID), data); err != nil {
				return err
			}
		}
		return nil
	})
}

// LoadEntries returns at most max of the newest persisted entries, oldest first.
func (s *Store) LoadEntries(max int) ([]journal.Entry, error) {
	var out []journal.Entry
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bJournal).Cursor()
		var rev []journal.Entry
		for k, v := c.Last(); k != nil && len(rev) < max; k, v = c.Prev() {
			var e journal.Entry
			if err := json.Unmarshal(v, &e); err != nil {
				continue // a log entry is not worth refusing to start over
			}
			rev = append(rev, e)
		}
		for i := len(rev) - 1; i >= 0; i-- {
			out = append(out, rev[i])
		}
		return nil
	})
	return out, err
}

// TrimEntries deletes all but the newest keep entries.
func (s *Store) TrimEntries(keep int) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bJournal)
		n := b.Stats().KeyN
		if n <= keep {
			return nil
		}
		c := b.Cursor()
		excess := n - keep
		for k, _ := c.First(); k != nil && excess > 0; k, _ = c.First() {
			if err := b.Delete(k); err != nil {
				return err
			}
			excess--
		}
		return nil
	})
}

// PutProfile keeps an imported profile's source (YAML or JSON) under its
// id, with its OpenAPI document (self-contained JSON) when it has one: both
// in one transaction, so neither is ever kept without the other.
func (s *Store) PutProfile(id string, src, doc []byte) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bProfiles).Put([]byte(id), src); err != nil {
			return err
		}
		if doc == nil {
			return tx.Bucket(bDocuments).Delete([]byte(id))
		}
		return tx.Bucket(bDocuments).Put([]byte(id), doc)
	})
}

// DeleteProfile forgets an imported profile and its document.
func (s *Store) DeleteProfile(id string) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bProfiles).Delete([]byte(id)); err != nil {
			return err
		}
		return tx.Bucket(bDocuments).Delete([]byte(id))
	})
}

// Documents returns the OpenAPI document of every imported profile that
// has one, by id.
func (s *Store) Documents() (map[string][]byte, error) { return s.all(bDocuments) }

// Profiles returns every imported profile's source by id.
func (s *Store) Profiles() (map[string][]byte, error) { return s.all(bProfiles) }
