package keys

import (
	"errors"
	"strings"
	"testing"
)

// Replace swaps every key for what the store holds after write; the usage
// counted in memory before it never lands on the records written, and a
// failed write changes nothing.
func TestReplace(t *testing.T) {
	s, st, _ := newTestService(t)
	old, oldRaw := mustCreate(t, s, CreateRequest{API: "journeybee", Name: "old", Format: jbFmt})
	kept, keptRaw := mustCreate(t, s, CreateRequest{API: "journeybee", Name: "kept", Format: jbFmt})
	e, _ := s.Lookup(Hash(keptRaw))
	e.RecordUse(t0) // dirty: not flushed yet
	saved := s.List()

	if written, err := s.Replace(func() error { return errors.New("disk full") }); written || err == nil {
		t.Fatalf("a failed write: written %v, %v", written, err)
	}
	if _, ok := s.Get(old.ID); !ok {
		t.Fatal("a failed write dropped a key")
	}

	notified := 0
	defer s.Subscribe(func() { notified++ })()
	written, err := s.Replace(func() error {
		st.mu.Lock()
		defer st.mu.Unlock()
		st.keys = map[string]Key{}
		for _, k := range saved {
			if k.ID == kept.ID {
				k.UseCount = 41
				st.keys[k.ID] = k
			}
		}
		return nil
	})
	if !written || err != nil || notified != 1 {
		t.Fatalf("replace: written %v, %v, notified %d", written, err, notified)
	}
	if _, ok := s.Lookup(Hash(oldRaw)); ok {
		t.Error("a key the store no longer holds still answers")
	}
	if got, ok := s.Get(kept.ID); !ok || got.UseCount != 41 {
		t.Fatalf("the kept key: %+v, want the stored use count 41", got)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if k := st.keys[kept.ID]; k.UseCount != 41 {
		t.Errorf("a flush after Replace wrote the old counters: %d", k.UseCount)
	}
}

func TestCheckRecords(t *testing.T) {
	good := Key{ID: "a", API: "journeybee", Name: "n", Hash: strings.Repeat("ab", 32)}
	other := good
	other.ID, other.Hash = "b", strings.Repeat("cd", 32)
	if err := CheckRecords([]Key{good, other}); err != nil {
		t.Fatalf("good records: %v", err)
	}
	neg := -1
	for _, tc := range []struct {
		says string
		edit func(k *Key)
	}{
		{"no id", func(k *Key) { k.ID = "" }},
		{"no API", func(k *Key) { k.API = " " }},
		{"no name", func(k *Key) { k.Name = "" }},
		{"malformed hash", func(k *Key) { k.Hash = "abc" }},
		{"malformed hash", func(k *Key) { k.Hash = strings.Repeat("AB", 32) }},
		{"negative rate limit", func(k *Key) { k.RateLimit = &neg }},
		{"negative use count", func(k *Key) { k.UseCount = -1 }},
		{"the id b", func(k *Key) { k.ID = "b" }},
		{"same hash", func(k *Key) { k.Hash = other.Hash }},
	} {
		k := good
		tc.edit(&k)
		if err := CheckRecords([]Key{other, k}); err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: %v", tc.says, err)
		}
	}
}
