package instance

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"mockgate/backend/admin"
	"mockgate/backend/dataset"
	"mockgate/backend/integrations"
	"mockgate/backend/keys"
	"mockgate/backend/mockapi"
	"mockgate/backend/profile"
	"mockgate/backend/state"
	"mockgate/backend/store"
)

// Saving, loading and resetting the whole state (implements admin.State).
//
// Loading is all or nothing: the document is parsed and every part of it
// checked (state.Parse, then plan: every API known or its profile
// included, every record one of its resource) before anything changes;
// then the store is replaced in one transaction (store.ReplaceState, run
// inside keys.Service.Replace so no usage flush lands in between); then the
// services reload from the store: the keys, the integrations, each API's
// records and settings, the imported APIs started or stopped to match, the
// virtual clock set. Only that last step runs after the write, and it fails
// only if the store cannot be read back or an imported API cannot listen
// on any port: that is logged and answered as state.ErrNotApplied (a
// restart runs from what was written).
//
// Requests that write records while a state loads may land on either side
// of it: load a state between tests, not during one.

// SaveState returns the state of every running API, the keys, the
// integrations and the virtual clock.
func (s *Services) SaveState() (*state.Document, error) {
	s.apisMu.Lock()
	defer s.apisMu.Unlock()
	srcs, err := s.Store.Profiles()
	if err != nil {
		return nil, err
	}
	docs, err := s.Store.Documents()
	if err != nil {
		return nil, err
	}
	st := s.Clock.Status()
	doc := &state.Document{
		Format: state.Format, Version: state.Version, Mockgate: s.cfg.Version, SavedAt: time.Now().UTC(),
		Clock: state.Clock{OffsetSeconds: st.OffsetSeconds, Frozen: st.Frozen, Now: st.Now.UTC()},
		APIs:  []state.API{}, Keys: s.Keys.List(), Integrations: s.Integ.List(""),
	}
	if doc.Integrations == nil {
		doc.Integrations = []integrations.Integration{}
	}
	for _, a := range s.APIs {
		p := a.Engine.Profile()
		set := a.Engine.Settings()
		sa := state.API{ID: p.ID, Source: a.Source, Settings: &set, Collections: []state.Collection{}}
		if a.Source == admin.SourceImported {
			sa.Profile, sa.Document = string(srcs[p.ID]), docs[p.ID]
		}
		eachCollection(p, func(tenant string, r *profile.Resource) {
			docs, seq := a.Data.Collection(tenant, r).Records()
			recs := make([]json.RawMessage, len(docs))
			for i, d := range docs {
				recs[i] = d
			}
			sa.Collections = append(sa.Collections, state.Collection{Tenant: tenant, Resource: r.Path, Seq: seq, Records: recs})
		})
		doc.APIs = append(doc.APIs, sa)
	}
	return doc, nil
}

// LoadState checks a saved state whole, then puts it in force: see above.
// A refused document changes nothing and its error matches
// state.ErrInvalid.
func (s *Services) LoadState(data []byte) (state.Summary, error) {
	doc, err := state.Parse(data)
	if err != nil {
		return state.Summary{}, err
	}
	s.apisMu.Lock()
	defer s.apisMu.Unlock()
	ch, err := s.plan(doc)
	if err != nil {
		return state.Summary{}, err
	}
	if err := s.apply(ch); err != nil {
		return state.Summary{}, err
	}
	s.Clock.Reset()
	if doc.Clock.Frozen {
		s.Clock.Freeze()
		s.Clock.Set(doc.Clock.Now)
	} else {
		s.Clock.Advance(doc.Clock.Offset())
	}
	return s.summary(), nil
}

// ResetState brings every API back to its seed data and its profile's
// settings, the integrations to each profile's default (and, with
// keepKeys, those the kept keys belong to, active), deletes every key
// unless keepKeys, and clears what a state does not hold: the request log,
// the traffic counters, the queued faults and the rate-limit windows. The
// clock goes back to real time. Imported APIs stay.
func (s *Services) ResetState(keepKeys bool) (state.Summary, error) {
	s.apisMu.Lock()
	defer s.apisMu.Unlock()
	s.Clock.Reset()
	srcs, err := s.Store.Profiles()
	if err != nil {
		return state.Summary{}, err
	}
	docs, err := s.Store.Documents()
	if err != nil {
		return state.Summary{}, err
	}
	// The seed state: every running API with no records (plan seeds them)
	// and no settings (the profile's apply).
	doc := &state.Document{}
	for _, a := range s.APIs {
		id := a.Engine.Profile().ID
		doc.APIs = append(doc.APIs, state.API{ID: id, Source: a.Source, Profile: string(srcs[id]), Document: docs[id]})
	}
	if keepKeys {
		doc.Keys = s.Keys.List()
		now := s.Clock.Now().UTC()
		for _, in := range s.Integ.List("") {
			if slices.ContainsFunc(doc.Keys, func(k keys.Key) bool { return k.API == in.API && k.Integration == in.Name }) {
				in.Active, in.UpdatedAt = true, now
				doc.Integrations = append(doc.Integrations, in)
			}
		}
	}
	ch, err := s.plan(doc)
	if err != nil {
		return state.Summary{}, fmt.Errorf("the seed state: %w", err)
	}
	if err := s.apply(ch); err != nil {
		return state.Summary{}, err
	}
	for _, a := range s.APIs {
		a.Engine.ClearFaults()
		a.Engine.ResetStats()
	}
	if err := s.Journal.Clear(); err != nil {
		return state.Summary{}, fmt.Errorf("clearing the request log: %w", err)
	}
	return s.summary(), nil
}

// change is a checked state, ready to be written and put in force.
type change struct {
	write store.State
	keep  []*admin.API       // running APIs that stay: their records and settings reload
	drop  []*admin.API       // imported APIs that stop (not in the state, or replaced)
	add   []*profile.Profile // imported APIs that start
}

// plan checks doc against this instance without changing anything and
// returns what to write and which APIs to keep, stop and start. Every
// running API not in the state keeps running with its seed data and its
// profile's settings; every collection of a running API that the state
// does not list gets its seed data (so the store holds every record before
// anything reloads). Refusals match state.ErrInvalid.
func (s *Services) plan(doc *state.Document) (*change, error) {
	srcs, err := s.Store.Profiles()
	if err != nil {
		return nil, err
	}
	docs, err := s.Store.Documents()
	if err != nil {
		return nil, err
	}
	ch := &change{write: store.State{
		Keys: doc.Keys, Integrations: slices.Clone(doc.Integrations),
		Settings: map[string]mockapi.Settings{}, Profiles: map[string][]byte{}, Documents: map[string][]byte{},
	}}
	listed := map[string]bool{}
	var builtins []*profile.Profile
	for i := range doc.APIs {
		sa := &doc.APIs[i]
		at := fmt.Sprintf("apis[%d] (%s)", i, sa.ID)
		listed[sa.ID] = true
		running := s.find(sa.ID)
		var p *profile.Profile
		switch sa.Source {
		case admin.SourceBuiltin, admin.SourceFile:
			if sa.Profile != "" || len(sa.Document) > 0 {
				return nil, state.Invalidf(`%s: only an imported API carries its "profile" and "document"`, at)
			}
			if running != nil && running.Source == sa.Source {
				ch.keep, p = append(ch.keep, running), running.Engine.Profile()
				break
			}
			if running != nil {
				return nil, state.Invalidf("%s: a %s API in the state, but the id is taken here by an %s API", at, sa.Source, running.Source)
			}
			if sa.Source == admin.SourceFile {
				return nil, state.Invalidf("%s: an API from a profile file (serve --profile) that this mockgate does not run; start mockgate with --profile FILE for it to load this state", at)
			}
			if builtins == nil {
				if builtins, err = profile.Builtins(); err != nil {
					return nil, err
				}
			}
			j := slices.IndexFunc(builtins, func(b *profile.Profile) bool { return b.ID == sa.ID })
			if j < 0 {
				return nil, state.Invalidf("%s: this mockgate has no built-in API %q (built-in APIs: %v)", at, sa.ID, profile.BuiltinIDs())
			}
			p = builtins[j] // not running here (--apis): its data waits in the store
		case admin.SourceImported:
			if sa.Profile == "" {
				return nil, state.Invalidf(`%s: an imported API without its "profile" (the profile's source)`, at)
			}
			if p, err = profile.Parse([]byte(sa.Profile), "imported profile "+sa.ID); err != nil {
				return nil, state.Invalidf("%s: %v", at, err)
			}
			if p.ID != sa.ID {
				return nil, state.Invalidf("%s: its profile's id is %q", at, p.ID)
			}
			if len(sa.Document) > 0 { // as the store keeps it, whatever the state's indentation
				var buf bytes.Buffer
				if err := json.Compact(&buf, sa.Document); err != nil {
					return nil, state.Invalidf("%s: document: %v", at, err)
				}
				sa.Document = buf.Bytes()
			}
			if err := attachDocument(p, sa.Document); err != nil {
				return nil, state.Invalidf("%s: %v", at, err)
			}
			ch.write.Profiles[sa.ID] = []byte(sa.Profile)
			if len(sa.Document) > 0 {
				ch.write.Documents[sa.ID] = sa.Document
			}
			switch {
			case running == nil:
				ch.add = append(ch.add, p)
			case running.Source != admin.SourceImported:
				return nil, state.Invalidf("%s: an imported API in the state, but the id is taken here by a %s API", at, running.Source)
			case string(srcs[sa.ID]) == sa.Profile && bytes.Equal(docs[sa.ID], sa.Document):
				ch.keep, p = append(ch.keep, running), running.Engine.Profile()
			default: // another version of the profile: the API restarts with it
				ch.drop, ch.add = append(ch.drop, running), append(ch.add, p)
			}
		default:
			return nil, state.Invalidf(`%s: unknown "source" %q (builtin, file or imported)`, at, sa.Source)
		}
		if sa.Settings != nil {
			ch.write.Settings[sa.ID] = *sa.Settings
		}
		colls, err := collections(p, sa.Collections, at)
		if err != nil {
			return nil, err
		}
		ch.write.Collections = append(ch.write.Collections, colls...)
	}
	for _, a := range s.APIs {
		switch id := a.Engine.Profile().ID; {
		case listed[id]:
		case a.Source == admin.SourceImported:
			ch.drop = append(ch.drop, a)
		default:
			ch.keep = append(ch.keep, a)
			colls, _ := collections(a.Engine.Profile(), nil, id) // seeds only: cannot fail
			ch.write.Collections = append(ch.write.Collections, colls...)
		}
	}
	// Every running API's default integration exists, as at start.
	now := s.Clock.Now().UTC()
	for _, p := range ch.running() {
		if p.Integrations == nil {
			continue
		}
		if !slices.ContainsFunc(ch.write.Integrations, func(in integrations.Integration) bool {
			return in.API == p.ID && in.Name == p.Integrations.Default
		}) {
			ch.write.Integrations = append(ch.write.Integrations, integrations.Integration{
				API: p.ID, Name: p.Integrations.Default, Active: true, CreatedAt: now, UpdatedAt: now})
		}
	}
	return ch, nil
}

// running are the profiles of the APIs that run once ch is applied.
func (ch *change) running() []*profile.Profile {
	out := slices.Clone(ch.add)
	for _, a := range ch.keep {
		out = append(out, a.Engine.Profile())
	}
	return out
}

// collections checks a state's collections of profile p and returns them
// as the store writes them, with the seed data of every collection of p the
// state does not list; at names the API in errors.
func collections(p *profile.Profile, listed []state.Collection, at string) ([]store.Collection, error) {
	byName := map[string]*state.Collection{}
	for i := range listed {
		c := &listed[i]
		if !slices.Contains(dataset.Tenants(p), c.Tenant) {
			return nil, state.Invalidf("%s: collections[%d]: %q is not a tenant of %s (%v)", at, i, c.Tenant, p.ID, dataset.Tenants(p))
		}
		if !slices.ContainsFunc(p.Resources, func(r profile.Resource) bool { return r.Path == c.Resource }) {
			return nil, state.Invalidf("%s: collections[%d]: %s has no resource %q", at, i, p.ID, c.Resource)
		}
		byName[c.Tenant+"\x00"+c.Resource] = c
	}
	var out []store.Collection
	var err error
	eachCollection(p, func(tenant string, r *profile.Resource) {
		sc := store.Collection{Name: dataset.CollectionName(p, tenant, r)}
		c := byName[tenant+"\x00"+r.Path]
		if c == nil {
			sc.IDs, sc.Docs = dataset.SeedRecords(p, tenant, r)
			sc.Seq = uint64(len(sc.IDs))
			out = append(out, sc)
			return
		}
		if err == nil {
			where := fmt.Sprintf("%s: collection %s", at, c.Resource)
			if c.Tenant != dataset.NoTenant {
				where += " of " + c.Tenant
			}
			sc, err = records(sc, r, c, where)
			out = append(out, sc)
		}
	})
	return out, err
}

// records checks and orders the records of one collection.
func records(sc store.Collection, r *profile.Resource, c *state.Collection, at string) (store.Collection, error) {
	type rec struct {
		id  uint64
		doc []byte
	}
	recs := make([]rec, len(c.Records))
	for i, raw := range c.Records {
		id, doc, err := dataset.ReadRecord(r, raw)
		if err != nil {
			return sc, state.Invalidf("%s: records[%d]: %v", at, i, err)
		}
		recs[i] = rec{id, doc}
	}
	slices.SortFunc(recs, func(a, b rec) int { return cmp.Compare(a.id, b.id) })
	sc.Seq = c.Seq
	sc.IDs, sc.Docs = make([]uint64, len(recs)), make([][]byte, len(recs))
	for i, x := range recs {
		if i > 0 && x.id == recs[i-1].id {
			return sc, state.Invalidf("%s: two records have the id %s", at, dataset.FormatID(r, x.id))
		}
		sc.IDs[i], sc.Docs[i] = x.id, x.doc
		// An id past the sequence would be handed out again: the sequence
		// moves past every record.
		sc.Seq = max(sc.Seq, x.id)
	}
	return sc, nil
}

// apply writes ch and puts it in force. When the write fails nothing
// changed; a failure after it is logged loudly and matches
// state.ErrNotApplied.
func (s *Services) apply(ch *change) error {
	before := s.Keys.List()
	written, err := s.Keys.Replace(func() error { return s.Store.ReplaceState(ch.write) })
	if !written {
		return fmt.Errorf("writing the state to the store: %w", err)
	}
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	// Rate-limit windows are not part of a state: every key starts afresh.
	for _, k := range slices.Concat(before, ch.write.Keys) {
		s.Limiter.Forget(k.ID)
	}
	if err := s.Integ.Reload(); err != nil {
		errs = append(errs, fmt.Errorf("reloading the integrations: %w", err))
	}
	for _, a := range ch.drop {
		if s.onRemove != nil {
			s.onRemove(a.Engine.Profile().ID)
		}
		s.APIs = slices.DeleteFunc(s.APIs, func(x *admin.API) bool { return x == a })
	}
	for _, a := range ch.keep {
		id := a.Engine.Profile().ID
		if err := a.Data.Reload(); err != nil {
			errs = append(errs, fmt.Errorf("reloading the records of %s: %w", id, err))
		}
		if err := a.Engine.ReloadSettings(); err != nil {
			errs = append(errs, fmt.Errorf("reloading the settings of %s: %w", id, err))
		}
	}
	for _, p := range ch.add {
		a, err := s.newAPI(p, s.port(p.ID))
		if err == nil && s.onAdd != nil {
			err = s.onAdd(a)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("starting the imported API %s: %w", p.ID, err))
			continue
		}
		a.Source = admin.SourceImported
		s.APIs = append(s.APIs, a)
	}
	s.Admin.SetAPIs(s.APIs)
	if len(errs) > 0 {
		err := errors.Join(errs...)
		s.cfg.Logger.Error("the state was written to the store but not put in force everywhere; restart mockgate to run from it", "err", err)
		return fmt.Errorf("%w: %w", state.ErrNotApplied, err)
	}
	return nil
}

// summary says what runs now.
func (s *Services) summary() state.Summary {
	sum := state.Summary{APIs: []string{}, Imported: []string{}, Keys: len(s.Keys.List()),
		Integrations: len(s.Integ.List("")), Clock: s.Clock.Status()}
	for _, a := range s.APIs {
		p := a.Engine.Profile()
		sum.APIs = append(sum.APIs, p.ID)
		if a.Source == admin.SourceImported {
			sum.Imported = append(sum.Imported, p.ID)
		}
		eachCollection(p, func(tenant string, r *profile.Resource) { sum.Records += a.Data.Collection(tenant, r).Len() })
	}
	return sum
}

// eachCollection calls fn for every collection of p, by tenant then
// resource.
func eachCollection(p *profile.Profile, fn func(tenant string, r *profile.Resource)) {
	for _, tenant := range dataset.Tenants(p) {
		for i := range p.Resources {
			fn(tenant, &p.Resources[i])
		}
	}
}
