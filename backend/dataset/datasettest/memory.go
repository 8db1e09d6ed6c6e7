// Package datasettest provides an in-memory dataset.Backend for tests and
// fuzz targets that exercise validation, encoding and the engine rather
// than bbolt (millions of fuzz executions must stay fast).
package datasettest

import "sync"

// collection is one collection's records in id order.
type collection struct {
	IDs  []uint64
	Docs [][]byte
	Seq  uint64 // the last id handed out
}

// Memory is an in-memory dataset.Backend. Its zero value is not usable;
// call NewMemory.
type Memory struct {
	mu    sync.Mutex
	colls map[string]*collection
}

// NewMemory returns an empty Memory.
func NewMemory() *Memory { return &Memory{colls: map[string]*collection{}} }

func (m *Memory) coll(name string) *collection {
	c := m.colls[name]
	if c == nil {
		c = &collection{}
		m.colls[name] = c
	}
	return c
}

// LoadCollection calls add for each record of a collection.
func (m *Memory) LoadCollection(name string, add func(id uint64, doc []byte)) (uint64, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.colls[name]
	if !ok {
		return 0, false, nil
	}
	for i, id := range c.IDs {
		add(id, c.Docs[i])
	}
	return c.Seq, true, nil
}

// CreateRecord appends a record with the next id.
func (m *Memory) CreateRecord(name string, build func(id uint64) ([]byte, error)) (uint64, []byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.coll(name)
	id := c.Seq + 1
	doc, err := build(id)
	if err != nil {
		return 0, nil, err
	}
	c.Seq, c.IDs, c.Docs = id, append(c.IDs, id), append(c.Docs, doc)
	return id, doc, nil
}

// PutRecord, DeleteRecord and DropCollection keep nothing: the in-memory
// collections of the dataset are what tests read back.
func (m *Memory) PutRecord(string, uint64, []byte) error { return nil }

// DeleteRecord keeps nothing (see PutRecord).
func (m *Memory) DeleteRecord(string, uint64) error { return nil }

// DropCollection forgets a collection.
func (m *Memory) DropCollection(name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.colls, name)
	return nil
}

// ReplaceCollection empties a collection and appends n records from id 1.
func (m *Memory) ReplaceCollection(name string, n int, doc func(id uint64) []byte) error {
	m.mu.Lock()
	m.colls[name] = &collection{}
	m.mu.Unlock()
	return m.AppendRecords(name, 1, n, doc)
}

// AppendRecords appends n records from id first.
func (m *Memory) AppendRecords(name string, first uint64, n int, doc func(id uint64) []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.coll(name)
	for i := range n {
		id := first + uint64(i)
		c.IDs, c.Docs = append(c.IDs, id), append(c.Docs, doc(id))
		c.Seq = max(c.Seq, id)
	}
	return nil
}
