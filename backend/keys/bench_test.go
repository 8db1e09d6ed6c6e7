package keys

import (
	"testing"
	"time"
)

// The request path costs Matches (where a profile enforces the format),
// Hash, Lookup, Status and RecordUse once per request.

func BenchmarkMatches(b *testing.B) {
	raw, _ := Generate(eudrFmt)
	b.ReportAllocs()
	for b.Loop() {
		if !eudrFmt.Matches(raw) {
			b.Fatal("no match")
		}
	}
}

func BenchmarkHash(b *testing.B) {
	raw, _ := Generate(eudrFmt)
	b.ReportAllocs()
	for b.Loop() {
		_ = Hash(raw)
	}
}

func benchService(b *testing.B, n int) (*Service, []string) {
	s, _, _ := newTestService(b)
	raws := make([]string, n)
	for i := range raws {
		_, raws[i] = mustCreate(b, s, CreateRequest{API: "a", Name: "k", Format: jbFmt, Scopes: []string{"read"}})
	}
	return s, raws
}

func BenchmarkLookup(b *testing.B) {
	s, raws := benchService(b, 1000)
	h := Hash(raws[500])
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, ok := s.Lookup(h); !ok {
				b.Fatal("not found")
			}
		}
	})
}

func BenchmarkRecordUse(b *testing.B) {
	s, raws := benchService(b, 1)
	e, _ := s.Lookup(Hash(raws[0]))
	now := time.Now()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			e.RecordUse(now)
		}
	})
}

// BenchmarkAuthPath is the whole per-request key work: shape, hash, lookup,
// status, use.
func BenchmarkAuthPath(b *testing.B) {
	s, raws := benchService(b, 1000)
	raw := raws[7]
	now := time.Now()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if !jbFmt.Matches(raw) {
				b.Fatal("no match")
			}
			e, ok := s.Lookup(Hash(raw))
			if !ok || e.Key.Status(now) != StatusActive {
				b.Fatal("lookup failed")
			}
			e.RecordUse(now)
		}
	})
}

// nopStore keeps the store's own cost out of BenchmarkFlush1000.
type nopStore struct{ *memStore }

func (nopStore) SaveUsage([]Usage) error { return nil }

func BenchmarkFlush1000(b *testing.B) {
	s, raws := benchService(b, 1000)
	s.st = nopStore{newMemStore()}
	var es []*Entry
	for _, r := range raws {
		e, _ := s.Lookup(Hash(r))
		es = append(es, e)
	}
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		for _, e := range es {
			e.RecordUse(now)
		}
		if err := s.Flush(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCreate is key creation: crypto/rand, hashing, the store write (an
// in-memory store here; bbolt's fsync dominates in the product) and the
// copy-on-write index with 1,000 keys present.
func BenchmarkCreate(b *testing.B) {
	s, _, _ := newTestService(b)
	f := Format{Prefix: "jb_live_", Alphabet: AlphabetBase62, Length: 40}
	for i := 0; i < 1000; i++ {
		if _, _, err := s.Create(CreateRequest{API: "journeybee", Name: "seed", Format: f, Scopes: []string{"read"}}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := s.Create(CreateRequest{API: "journeybee", Name: "bench", Format: f, Scopes: []string{"read"}}); err != nil {
			b.Fatal(err)
		}
	}
}
