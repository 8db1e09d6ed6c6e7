package dataset_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"mockgate/backend/clock"
	"mockgate/backend/dataset"
	"mockgate/backend/profile"
	"mockgate/backend/store/storetest"
)

// ReadRecord takes back what the engine wrote, byte for byte, brings a
// record written another way to the engine's form, and names what is not
// a record of the resource.
func TestReadRecord(t *testing.T) {
	ps, err := profile.Builtins()
	if err != nil {
		t.Fatal(err)
	}
	users, suppliers := &ps[1].Resources[0], &ps[3].Resources[0]
	for _, p := range ps {
		for i := range p.Resources {
			r := &p.Resources[i]
			ids, docs := dataset.SeedRecords(p, dataset.Tenants(p)[0], r)
			for j, doc := range docs {
				id, got, err := dataset.ReadRecord(r, doc)
				if err != nil || id != ids[j] || !bytes.Equal(got, doc) {
					t.Fatalf("%s/%s record %d: %d %v\n got %s\nwant %s", p.ID, r.Path, ids[j], id, err, got, doc)
				}
			}
		}
	}
	id, got, err := dataset.ReadRecord(users, []byte(` { "role": "admin", "name": "Ada", "id": 7, "email": null } `))
	if err != nil || id != 7 || !strings.HasPrefix(string(got), `{"id":7,"name":"Ada","email":null,`) {
		t.Fatalf("a record in another order: %d %v %s", id, err, got)
	}
	if id, _, err := dataset.ReadRecord(suppliers, []byte(`{"id":"sup_12","name":"x"}`)); err != nil || id != 12 {
		t.Fatalf("a prefixed id: %d %v", id, err)
	}
	for _, tc := range []struct {
		r         *profile.Resource
		doc, says string
	}{
		{users, `7`, "must be a JSON object, not number"},
		{users, `null`, "not null"},
		{users, `[]`, "not array"},
		{users, `{"name":"x"}`, `no "id"`},
		{users, `{"id":0}`, "not an id of user"},
		{users, `{"id":-1}`, "not an id of user"},
		{users, `{"id":1.5}`, "not an id of user"},
		{users, `{"id":"7"}`, "not an id of user (a positive integer)"},
		{suppliers, `{"id":12}`, `not an id of supplier (a string such as "sup_1")`},
		{suppliers, `{"id":"prd_12"}`, "not an id of supplier"},
		{users, `{"id":1,"colour":"blue"}`, `"colour" is not a field of user`},
		{users, `{"id":1,"name":7}`, `field "name" must be null or of type string`},
		{users, `{"id":1,"name":{"first":"Ada"}}`, `field "name" must be null or of type string`},
	} {
		if _, _, err := dataset.ReadRecord(tc.r, []byte(tc.doc)); err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: %v, want it to say %q", tc.doc, err, tc.says)
		}
	}
}

// Reload reads the store again: a collection written behind the set's
// back comes in, one dropped gets its seed data. Records is a copy.
func TestReloadFromStore(t *testing.T) {
	ps, err := profile.Builtins()
	if err != nil {
		t.Fatal(err)
	}
	p, st := ps[1], storetest.Open(t)
	s, err := dataset.Open(p, st, clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	users, leads := &p.Resources[0], &p.Resources[2]
	docs, seq := s.Collection(dataset.NoTenant, users).Records()
	if len(docs) != users.Seed.Count || seq != uint64(users.Seed.Count) {
		t.Fatalf("records %d, seq %d", len(docs), seq)
	}
	docs[0] = nil // the caller's copy
	doc := []byte(`{"id":5}`)
	if err := st.ReplaceCollection(dataset.CollectionName(p, dataset.NoTenant, users), 0, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.PutRecord(dataset.CollectionName(p, dataset.NoTenant, users), 5, doc); err != nil {
		t.Fatal(err)
	}
	if err := st.DropCollection(dataset.CollectionName(p, dataset.NoTenant, leads)); err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if c := s.Collection(dataset.NoTenant, users); c.Len() != 1 {
		t.Fatalf("users after reload: %d", c.Len())
	}
	if got, ok := s.Collection(dataset.NoTenant, users).Get(5); !ok || !bytes.Equal(got, doc) {
		t.Fatalf("record 5: %s %v", got, ok)
	}
	if c := s.Collection(dataset.NoTenant, leads); c.Len() != leads.Seed.Count {
		t.Fatalf("a dropped collection after reload: %d records, want its seed", c.Len())
	}
}
