package dataset

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"mockgate/backend/clock"
	"mockgate/backend/dataset/datasettest"
	"mockgate/backend/profile"
)

// fuzzSets opens every built-in API's dataset in memory, once.
var fuzzSets = sync.OnceValues(func() ([]*Set, error) {
	ps, err := profile.Builtins()
	if err != nil {
		return nil, err
	}
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	var out []*Set
	for _, p := range ps {
		s, err := Open(p, datasettest.NewMemory(), clk)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.ID, err)
		}
		out = append(out, s)
	}
	return out, nil
})

// FuzzParseObject feeds a request body through what a create and an
// update do with it, for every resource of the four APIs: ParseObject,
// the field validation, the encoding, the stored document read back and
// the views. Nothing panics; every refusal is a ValidationError (the
// engine answers it 400); every document written is valid JSON that
// decodes to the same fields.
func FuzzParseObject(f *testing.F) {
	for _, s := range []string{
		`{"name":"Grace","email":"g@example.com","role":"admin"}`,
		`{"name":"x","sku":"SKU-1","price":1.5,"quantity":3,"active":true}`,
		`{"name":"x","price":1e400}`,
		`{"quantity":99999999999999999999}`,
		`{"quantity":-9223372036854775808,"price":-0}`,
		`{"botId":"b","userId":"u","type":"text","text":"\ud800"}`,
		`{"url":"http://x","events":"*","active":false}`,
		`{"reference":"LOT-1","productId":"prd_1","supplierId":"sup_1","harvestDate":"2025-02-30"}`,
		`{"scheduledAt":"2025-01-01T00:00:00+25:00"}`,
		`{"id":7,"createdAt":"x","name":null}`,
		"{\"name\":\"\xff\xfe\",\"email\":\"a@b.co\"}",
		`{} {}`, `[]`, `null`, `"x"`, ``, `{"a":` + strings.Repeat("[", 1000),
	} {
		f.Add([]byte(s))
	}
	sets, err := fuzzSets()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		obj, err := ParseObject(body)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Msg == "" {
				t.Fatalf("ParseObject error %v (%T) is not a ValidationError", err, err)
			}
			return
		}
		if obj == nil {
			t.Fatal("ParseObject returned nil without an error")
		}
		if _, err := json.Marshal(obj); err != nil {
			t.Fatalf("the parsed object does not marshal: %v", err)
		}
		for _, s := range sets {
			for i := range s.p.Resources {
				r := &s.p.Resources[i]
				for _, full := range []bool{true, false} {
					rec, err := checkInput(r, obj, full)
					if err != nil {
						var ve *ValidationError
						if !errors.As(err, &ve) {
							t.Fatalf("%s: checkInput error %v is not a ValidationError", r.Name, err)
						}
						continue
					}
					checkDoc(t, r, 42, encode(r, 42, rec))
				}
				// Through the Set, as the engine calls it.
				c := s.Collection(Tenants(s.p)[0], r)
				if !r.Has(profile.OpCreate) || c == nil {
					continue
				}
				if c.Len() > 5000 { // keep a long run's memory bounded
					if err := s.Reset(); err != nil {
						t.Fatal(err)
					}
				}
				doc, err := s.Create(c, r, obj)
				if err != nil {
					var ve *ValidationError
					if !errors.As(err, &ve) {
						t.Fatalf("%s: Create error %v is not a ValidationError", r.Name, err)
					}
					continue
				}
				id, ok := ParseID(r, idOf(t, doc))
				if !ok {
					t.Fatalf("%s: created document has an id that does not parse: %s", r.Name, doc)
				}
				checkDoc(t, r, id, doc)
				if got, ok := c.Get(id); !ok || string(got) != string(doc) {
					t.Fatalf("%s: record %d not readable after Create", r.Name, id)
				}
				if _, err := s.Update(c, r, id, obj, false); err != nil {
					t.Fatalf("%s: PATCH with the body that created it: %v", r.Name, err)
				}
			}
		}
	})
}

// checkDoc asserts doc is a JSON object with the id first, every field of
// r, and that decode and the views read it back.
func checkDoc(t *testing.T, r *profile.Resource, id uint64, doc []byte) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatalf("%s: encoded record is not valid JSON: %v\n%s", r.Name, err, doc)
	}
	if len(m) != len(r.Fields)+1 {
		t.Fatalf("%s: encoded record has %d members, want %d: %s", r.Name, len(m), len(r.Fields)+1, doc)
	}
	if _, err := decode(r, doc); err != nil {
		t.Fatalf("%s: stored record does not decode: %v\n%s", r.Name, err, doc)
	}
	for i := range r.Views {
		v, err := Project(r, &r.Views[i], id, doc)
		if err != nil || !json.Valid(v) {
			t.Fatalf("%s view %s: %v %s", r.Name, r.Views[i].Name, err, v)
		}
	}
}

func idOf(t *testing.T, doc []byte) string {
	var m struct {
		ID json.RawMessage `json:"id"`
	}
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	return strings.Trim(string(m.ID), `"`)
}

// FuzzParseID checks that path ids parse only to what FormatID prints.
func FuzzParseID(f *testing.F) {
	for _, s := range []string{"1", "0", "-1", "+1", "01", "sup_1", "sup_", "18446744073709551615", "18446744073709551616", " 1", "1 "} {
		f.Add(s, "sup_")
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, s, prefix string) {
		r := &profile.Resource{IDPrefix: prefix}
		id, ok := ParseID(r, s)
		if !ok {
			return
		}
		if id == 0 {
			t.Fatalf("ParseID(%q) = 0, ok", s)
		}
		if back, ok := ParseID(r, FormatID(r, id)); !ok || back != id {
			t.Fatalf("FormatID(%d) = %q does not parse back", id, FormatID(r, id))
		}
	})
}

// FuzzReadRecord feeds a record of a saved state to ReadRecord for every
// resource of the four APIs. Nothing panics; a record it takes comes back
// in the engine's own form, which it takes back unchanged with the same
// id, and which the engine can read for a PATCH or a view.
func FuzzReadRecord(f *testing.F) {
	for _, s := range []string{
		`{"id":1,"name":"Ada","email":"ada@example.com","role":"admin","active":true}`,
		`{"id":"sup_12","name":"x","country":"EC"}`,
		`{"id":3,"price":1e21,"quantity":-0,"name":"\ud800"}`,
		`{"id":3,"price":-0.0,"quantity":9223372036854775807}`,
		`{"id":18446744073709551615}`, `{"id":1,"id":2}`, `{"id":1.0}`,
		`7`, `null`, `[]`, `{}`, `{"id":"1"}`, "{\"id\":1,\"name\":\"\xff\"}",
	} {
		f.Add([]byte(s))
	}
	sets, err := fuzzSets()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		for _, s := range sets {
			for i := range s.p.Resources {
				r := &s.p.Resources[i]
				id, canon, err := ReadRecord(r, doc)
				if err != nil {
					continue
				}
				id2, again, err := ReadRecord(r, canon)
				if err != nil || id2 != id || string(again) != string(canon) {
					t.Fatalf("%s/%s: %s read as %d %s, then %d %s (%v)", s.p.ID, r.Path, doc, id, canon, id2, again, err)
				}
				if _, err := decode(r, canon); err != nil {
					t.Fatalf("%s/%s: the engine cannot read %s: %v", s.p.ID, r.Path, canon, err)
				}
			}
		}
	})
}
