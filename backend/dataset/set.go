package dataset

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"mockgate/backend/fake"

	"mockgate/backend/clock"
	"mockgate/backend/profile"
	"mockgate/backend/sample"
)

// Backend is the persistence a Set needs (implemented by *store.Store).
type Backend interface {
	// LoadCollection calls add for each stored record in id order and
	// returns the last id handed out; ok is false for a collection never
	// written.
	LoadCollection(name string, add func(id uint64, doc []byte)) (seq uint64, ok bool, err error)
	CreateRecord(name string, build func(id uint64) ([]byte, error)) (uint64, []byte, error)
	PutRecord(name string, id uint64, doc []byte) error
	DeleteRecord(name string, id uint64) error
	ReplaceCollection(name string, n int, doc func(id uint64) []byte) error
	AppendRecords(name string, first uint64, n int, doc func(id uint64) []byte) error
	DropCollection(name string) error
}

// ErrNotFound is returned for a record that does not exist.
var ErrNotFound = errors.New("record not found")

// Set is every collection of one API: one per resource and tenant.
type Set struct {
	p     *profile.Profile
	st    Backend
	clk   clock.Clock
	colls map[string]*Collection // tenant + "\x00" + resource path
}

// NoTenant is the tenant name of APIs without tenancy.
const NoTenant = "-"

// Tenants returns the tenants whose data the API keeps.
func Tenants(p *profile.Profile) []string {
	if p.Tenancy.Kind == profile.TenancyNone || len(p.Tenancy.Tenants) == 0 {
		return []string{NoTenant}
	}
	out := make([]string, len(p.Tenancy.Tenants))
	for i, t := range p.Tenancy.Tenants {
		out[i] = t.ID
	}
	return out
}

// DataTenant is the one rule for whose records a call uses: NoTenant for an
// API without tenants; otherwise tenant, or the profile's default tenant
// (else its first) when tenant is empty. The engine, the APIs list and the
// seed command all ask it.
func DataTenant(p *profile.Profile, tenant string) string {
	if p.Tenancy.Kind == profile.TenancyNone || len(p.Tenancy.Tenants) == 0 {
		return NoTenant
	}
	if tenant != "" {
		return tenant
	}
	if p.Tenancy.Default != "" {
		return p.Tenancy.Default
	}
	return p.Tenancy.Tenants[0].ID
}

// Open loads every collection of p from the store, seeding those never
// written.
func Open(p *profile.Profile, st Backend, clk clock.Clock) (*Set, error) {
	s := &Set{p: p, st: st, clk: clk, colls: map[string]*Collection{}}
	for _, tenant := range Tenants(p) {
		for i := range p.Resources {
			r := &p.Resources[i]
			s.colls[tenant+"\x00"+r.Path] = &Collection{name: CollectionName(p, tenant, r)}
		}
	}
	if err := s.Reload(); err != nil {
		return nil, err
	}
	return s, nil
}

// CollectionName is the store's name of the collection of resource r for
// tenant ("api/tenant/resource").
func CollectionName(p *profile.Profile, tenant string, r *profile.Resource) string {
	return p.ID + "/" + tenant + "/" + r.Path
}

// Reload reads every collection from the store (again, after a saved
// state was written there), seeding those never written.
func (s *Set) Reload() error {
	for _, tenant := range Tenants(s.p) {
		for i := range s.p.Resources {
			r := &s.p.Resources[i]
			c := s.Collection(tenant, r)
			var ids []uint64
			var docs [][]byte
			seq, ok, err := s.st.LoadCollection(c.name, func(id uint64, doc []byte) {
				ids, docs = append(ids, id), append(docs, doc)
			})
			if err != nil {
				return err
			}
			if !ok {
				if err := s.seed(c, tenant, r); err != nil {
					return err
				}
				continue
			}
			c.replace(ids, docs, seq)
		}
	}
	return nil
}

// Collection returns the collection of resource r for tenant (NoTenant
// when the API has none), or nil.
func (s *Set) Collection(tenant string, r *profile.Resource) *Collection {
	return s.colls[tenant+"\x00"+r.Path]
}

// Create validates input and stores a new record; it returns its JSON.
func (s *Set) Create(c *Collection, r *profile.Resource, input map[string]any) ([]byte, error) {
	rec, err := checkInput(r, input, true)
	if err != nil {
		return nil, err
	}
	now := s.stamp()
	setAuto(r, rec, now, true)
	id, doc, err := s.st.CreateRecord(c.name, func(id uint64) ([]byte, error) {
		s.fillAlways(c, r, id, rec)
		return encode(r, id, rec), nil
	})
	if err != nil {
		return nil, err
	}
	c.put(id, doc)
	return doc, nil
}

// Update validates input and writes record id: replace (PUT) swaps every
// writable field, otherwise (PATCH) the input is merged.
func (s *Set) Update(c *Collection, r *profile.Resource, id uint64, input map[string]any, replace bool) ([]byte, error) {
	old, ok := c.Get(id)
	if !ok {
		return nil, ErrNotFound
	}
	in, err := checkInput(r, input, replace)
	if err != nil {
		return nil, err
	}
	rec, err := decode(r, old)
	if err != nil {
		return nil, err
	}
	for _, f := range r.Fields {
		if f.Auto != "" {
			continue
		}
		if v, given := in[f.Name]; given {
			rec[f.Name] = v
		} else if replace {
			delete(rec, f.Name)
		}
	}
	setAuto(r, rec, s.stamp(), false)
	doc := encode(r, id, rec)
	if err := s.st.PutRecord(c.name, id, doc); err != nil {
		return nil, err
	}
	c.put(id, doc)
	return doc, nil
}

// Delete removes record id.
func (s *Set) Delete(c *Collection, id uint64) error {
	if _, ok := c.Get(id); !ok {
		return ErrNotFound
	}
	if err := s.st.DeleteRecord(c.name, id); err != nil {
		return err
	}
	c.remove(id)
	return nil
}

// Reset drops every collection and writes the seed data again.
func (s *Set) Reset() error {
	for _, tenant := range Tenants(s.p) {
		for i := range s.p.Resources {
			r := &s.p.Resources[i]
			if err := s.seed(s.Collection(tenant, r), tenant, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// Drop deletes every collection of the API from the store (the API is
// being removed); the in-memory records go with the Set.
func (s *Set) Drop() error {
	for _, c := range s.colls {
		if err := s.st.DropCollection(c.name); err != nil {
			return err
		}
	}
	return nil
}

// Grow appends generated records to a collection until it holds n (for
// scale tests: a million records).
func (s *Set) Grow(c *Collection, r *profile.Resource, tenant string, n int) error {
	have := c.Len()
	if n <= have {
		return nil
	}
	first := c.nextSeq() + 1
	g := newGenerator(s.p, tenant, r, first)
	add := n - have
	docs := make([][]byte, 0, add)
	ids := make([]uint64, 0, add)
	err := s.st.AppendRecords(c.name, first, add, func(id uint64) []byte {
		doc := g.doc(id)
		ids, docs = append(ids, id), append(docs, doc)
		return doc
	})
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.ids = append(c.ids, ids...)
	c.docs = append(c.docs, docs...)
	c.seq = ids[len(ids)-1]
	c.mu.Unlock()
	return nil
}

func (s *Set) seed(c *Collection, tenant string, r *profile.Resource) error {
	ids, docs := SeedRecords(s.p, tenant, r)
	err := s.st.ReplaceCollection(c.name, len(docs), func(id uint64) []byte { return docs[id-1] })
	if err != nil {
		return fmt.Errorf("seed %s: %w", c.name, err)
	}
	c.replace(ids, docs, uint64(len(docs)))
	return nil
}

// SeedRecords generates the seed data of resource r for tenant, ids 1 to
// the seed count: the records Open and Reset write, for a caller that
// writes them itself (a reset of the whole instance, in one transaction).
func SeedRecords(p *profile.Profile, tenant string, r *profile.Resource) (ids []uint64, docs [][]byte) {
	g := newGenerator(p, tenant, r, 1)
	n := r.Seed.Count
	ids, docs = make([]uint64, n), make([][]byte, n)
	for i := range n {
		ids[i] = uint64(i + 1)
		docs[i] = g.doc(ids[i])
	}
	return ids, docs
}

func (s *Set) stamp() string { return s.clk.Now().UTC().Format(time.RFC3339) }

func setAuto(r *profile.Resource, rec record, now string, created bool) {
	for _, f := range r.Fields {
		switch {
		case f.Auto == profile.AutoCreated && created, f.Auto == profile.AutoUpdated:
			rec[f.Name] = now
		}
	}
}

// fillAlways gives the Always fields a create left out a generated value,
// the same for the same record id.
func (s *Set) fillAlways(c *Collection, r *profile.Resource, id uint64, rec record) {
	var g *generator
	for i := range r.Fields {
		f := &r.Fields[i]
		if _, given := rec[f.Name]; !f.Always || given || f.Auto != "" {
			continue
		}
		if g == nil {
			h := fnv.New64a()
			fmt.Fprintf(h, "%s/%s/%d", s.p.ID, c.name, id)
			g = &generator{r: r, faker: fake.New(h.Sum64()), samples: map[string]json.RawMessage{}}
		}
		if f.Holds() {
			rec[f.Name] = sampleOf(f)
		} else {
			rec[f.Name] = g.value(f)
		}
	}
}

// seedEpoch is the creation time of the first seeded record: seed data must
// not depend on when mockgate started.
var seedEpoch = time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)

// generator makes the deterministic seed records of one collection.
type generator struct {
	r     *profile.Resource
	faker *fake.Faker
	// samples are the values of the object and array fields, generated
	// from their schemas once: every record has the same.
	samples map[string]json.RawMessage
}

func newGenerator(p *profile.Profile, tenant string, r *profile.Resource, first uint64) *generator {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%s/%s/%d", p.ID, tenant, r.Path, first)
	g := &generator{r: r, faker: fake.New(h.Sum64()), samples: map[string]json.RawMessage{}}
	for i := range r.Fields {
		if f := &r.Fields[i]; f.Holds() {
			g.samples[f.Name] = sampleOf(f)
		}
	}
	return g
}

// sampleOf generates an object or array field's value from its schema; a
// schema that does not parse (validated profiles have none) gives an empty
// value of the type.
func sampleOf(f *profile.Field) json.RawMessage {
	if s, err := f.ValueSchema(); err == nil {
		if b, err := json.Marshal(sample.Value(&openapi3.SchemaRef{Value: s})); err == nil && string(b) != "null" {
			return b
		}
	}
	return zero(f.Type).(json.RawMessage)
}

func (g *generator) doc(id uint64) []byte {
	rec := record{}
	stamp := seedEpoch.Add(time.Duration(id) * 37 * time.Minute).Format(time.RFC3339)
	for i := range g.r.Fields {
		f := &g.r.Fields[i]
		if f.Auto != "" {
			rec[f.Name] = stamp
			continue
		}
		rec[f.Name] = g.value(f)
	}
	return encode(g.r, id, rec)
}

// value generates one field. A template that fails to render (validated
// profiles never do) falls back to the zero value of the type.
func (g *generator) value(f *profile.Field) any {
	if f.Holds() {
		return g.samples[f.Name]
	}
	if f.Fake == "" {
		if len(f.Enum) > 0 {
			return enumValue(f, f.Enum[g.faker.IntN(len(f.Enum))])
		}
		return zero(f.Type)
	}
	s, err := g.faker.Generate(f.Fake)
	if err != nil {
		return zero(f.Type)
	}
	switch f.Type {
	case profile.TypeInteger:
		i, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return int64(0)
		}
		return i
	case profile.TypeNumber:
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0.0
		}
		return math.Round(x*100) / 100
	case profile.TypeBoolean:
		return s == "true"
	}
	return s
}

// enumValue is an enum value as a record holds it (an integer field's
// values are int64, not the float64 JSON decoding gives).
func enumValue(f *profile.Field, e any) any {
	b, err := json.Marshal(e)
	if err != nil {
		return zero(f.Type)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return zero(f.Type)
	}
	if val, ok := storedValue(f.Type, v); ok {
		return val
	}
	return zero(f.Type)
}

func zero(typ string) any {
	switch typ {
	case profile.TypeObject:
		return json.RawMessage(`{}`)
	case profile.TypeArray:
		return json.RawMessage(`[]`)
	case profile.TypeInteger:
		return int64(0)
	case profile.TypeNumber:
		return 0.0
	case profile.TypeBoolean:
		return false
	}
	return ""
}
