// Package state is mockgate's saved state: the JSON document that
// mockgate state save writes and state load reads (GET and PUT
// /_admin/api/state), its version, and the checks that need no running
// instance. The instance checks the rest (every API known or its profile
// included, every record one of its resource) before it writes anything,
// and then applies the document whole.
//
// A state holds the records of every API, the keys (their hashes, never a
// raw key), the integrations, each API's run-time settings, the imported
// profiles and the virtual clock. It does not hold the request log, the
// traffic counters, the queued faults or the rate-limit windows.
package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"mockgate/backend/clock"
	"mockgate/backend/integrations"
	"mockgate/backend/keys"
	"mockgate/backend/mockapi"
)

// Format names a mockgate state in its "format" field.
const Format = "mockgate-state"

// Version is the document version this mockgate writes and the newest it
// reads; a newer one is refused with a NewerError.
const Version = 1

// MaxSize bounds a state document: every record is in it, and a collection
// grown for scale tests (mockgate seed, a million records of about 200
// bytes) must still fit, while a mistaken upload cannot exhaust memory.
const MaxSize = 256 << 20

// Document is a saved state.
type Document struct {
	// Format is always Format.
	Format string `json:"format"`
	// Version is the document version (Version when saved by this mockgate).
	Version int `json:"version"`
	// Mockgate is the version of the mockgate that saved it, when known.
	Mockgate string `json:"mockgate,omitempty"`
	// SavedAt is the real (wall-clock) time of the save.
	SavedAt time.Time `json:"savedAt"`
	// Clock is the virtual clock.
	Clock Clock `json:"clock"`
	// APIs are the running APIs with their records and settings.
	APIs []API `json:"apis"`
	// Keys are the stored key records: hashes and display parts only.
	Keys []keys.Key `json:"keys"`
	// Integrations are every API's integrations.
	Integrations []integrations.Integration `json:"integrations"`
}

// Clock is the virtual clock of a state: loading it sets the clock to
// OffsetSeconds from real time, or, when Frozen, stopped at Now.
type Clock struct {
	// OffsetSeconds is the virtual time minus the real time.
	OffsetSeconds float64 `json:"offsetSeconds"`
	// Frozen says the virtual time stood still at Now.
	Frozen bool `json:"frozen"`
	// Now is the virtual time when the state was saved.
	Now time.Time `json:"now"`
}

// Offset is OffsetSeconds as a duration.
func (c Clock) Offset() time.Duration {
	return time.Duration(math.Round(c.OffsetSeconds * float64(time.Second)))
}

// API is one API of a state.
type API struct {
	// ID is the API's id.
	ID string `json:"id"`
	// Source is where its profile comes from: builtin, file (serve
	// --profile) or imported.
	Source string `json:"source"`
	// Profile is an imported API's profile source (YAML or JSON); empty
	// for the others.
	Profile string `json:"profile,omitempty"`
	// Document is the OpenAPI document (self-contained JSON) of an
	// imported API whose profile has one (profile.OpenAPI); absent for the
	// others.
	Document json.RawMessage `json:"document,omitempty"`
	// Settings are the run-time settings; none means the profile's defaults.
	Settings *mockapi.Settings `json:"settings,omitempty"`
	// Collections hold the records; a collection of the profile that is
	// not listed gets its seed data.
	Collections []Collection `json:"collections"`
}

// Collection is the records of one resource of one tenant.
type Collection struct {
	// Tenant is the tenant's id, or "-" for an API without tenants.
	Tenant string `json:"tenant"`
	// Resource is the resource's path in the profile ("inventory/product").
	Resource string `json:"resource"`
	// Seq is the last id handed out: ids are never reused.
	Seq uint64 `json:"seq"`
	// Records are the records, each a JSON object with its id.
	Records []json.RawMessage `json:"records"`
}

// Summary says what a loaded (or reset) state put in force.
type Summary struct {
	// APIs are the ids of the running APIs.
	APIs []string `json:"apis"`
	// Records counts the records of the running APIs.
	Records int `json:"records"`
	// Keys and Integrations count the key and integration records.
	Keys         int `json:"keys"`
	Integrations int `json:"integrations"`
	// Imported are the ids of the imported APIs.
	Imported []string `json:"imported"`
	// Clock is the virtual clock now.
	Clock clock.Status `json:"clock"`
}

// ErrInvalid matches (errors.Is) every refusal of a document: damaged,
// truncated, foreign, newer, or naming what this mockgate cannot load.
var ErrInvalid = errors.New("invalid state")

// ErrNotApplied matches a failure after the state was written to the
// store: what runs may differ from it until mockgate restarts.
var ErrNotApplied = errors.New("the state was written to the data folder but could not be put in force everywhere; restart mockgate to run from it")

// invalidError is a refusal of a document; it matches ErrInvalid.
type invalidError string

func (e invalidError) Error() string        { return string(e) }
func (e invalidError) Is(target error) bool { return target == ErrInvalid }

// Invalidf is a refusal of a document, its message naming the problem; it
// matches ErrInvalid.
func Invalidf(format string, args ...any) error {
	return invalidError(fmt.Sprintf(format, args...))
}

// NewerError refuses a state written by a newer mockgate.
type NewerError struct {
	// Version is the document's version; Mockgate the saving mockgate's.
	Version  int
	Mockgate string
}

func (e *NewerError) Error() string {
	by := "a newer mockgate"
	if e.Mockgate != "" {
		by += " (" + e.Mockgate + ")"
	}
	return fmt.Sprintf("this state was saved by %s in state version %d; this mockgate reads versions up to %d: upgrade mockgate to load it", by, e.Version, Version)
}

// Is makes a NewerError match ErrInvalid.
func (e *NewerError) Is(target error) bool { return target == ErrInvalid }

// Parse decodes a state document and checks everything that needs no
// running instance: that it is JSON and whole, a mockgate state, of a
// version this mockgate reads, with no unknown field, and that its keys,
// integrations, settings and clock are well formed. Every refusal matches
// ErrInvalid and names the problem.
func Parse(data []byte) (*Document, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, Invalidf("not a mockgate state: the document is empty")
	}
	var doc Document
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(&doc)
	if err == nil {
		if _, end := dec.Token(); end != io.EOF {
			err = errors.New("data after the document")
		}
	}
	// One pass when all is well; when not, the header says first whether
	// the document is a state this mockgate reads at all (a foreign or
	// newer document fails the strict decoding for that reason).
	if err != nil || doc.Format != Format || doc.Version != Version {
		if err := checkHead(data); err != nil {
			return nil, err
		}
	}
	if err != nil {
		return nil, jsonError(err, data)
	}
	if err := doc.check(); err != nil {
		return nil, err
	}
	return &doc, nil
}

// checkHead refuses a document that is not JSON, not a mockgate state, or
// of a version this mockgate does not read.
func checkHead(data []byte) error {
	var head struct {
		Format   any    `json:"format"`
		Version  any    `json:"version"`
		Mockgate string `json:"mockgate"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) || te.Field == "" {
			return jsonError(err, data)
		}
	}
	if head.Format != Format {
		if head.Format == nil {
			return Invalidf(`not a mockgate state: it has no "format": %q`, Format)
		}
		return Invalidf(`not a mockgate state: its "format" is %s, not %q`, jsonText(head.Format), Format)
	}
	v, ok := head.Version.(float64)
	switch {
	case !ok || v != math.Trunc(v) || v < 1:
		return Invalidf(`the state's "version" %s is not a state version (this mockgate reads versions 1 to %d)`, jsonText(head.Version), Version)
	case v > Version:
		return &NewerError{Version: int(min(v, math.MaxInt32)), Mockgate: head.Mockgate}
	}
	return nil
}

// jsonError names a decoding problem for a person holding the file.
func jsonError(err error, data []byte) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se) && strings.HasPrefix(se.Error(), "unexpected end of JSON input"):
		return Invalidf("not a whole mockgate state: the JSON ends early, at byte %d (is the file truncated?)", len(data))
	case errors.As(err, &se):
		return Invalidf("not a mockgate state: not valid JSON at byte %d: %s", se.Offset, strings.TrimPrefix(se.Error(), "json: "))
	case errors.As(err, &te) && te.Field == "":
		return Invalidf("not a mockgate state: the document is a JSON %s, not an object", te.Value)
	case errors.As(err, &te):
		return Invalidf("%s: a JSON %s where %s is expected", te.Field, te.Value, describeType(te.Type.String()))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return Invalidf("unknown field %s (a mockgate state has none such)", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return Invalidf("the state cannot be read: %s", strings.TrimPrefix(err.Error(), "json: "))
}

func describeType(goType string) string {
	switch {
	case strings.Contains(goType, "int"):
		return "a whole number"
	case strings.Contains(goType, "float"):
		return "a number"
	case goType == "string", goType == "time.Time":
		return "a string"
	case goType == "bool":
		return "true or false"
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	}
	return "an object"
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// check is the well-formedness of a decoded document.
func (d *Document) check() error {
	if off := math.Abs(d.Clock.OffsetSeconds); off > float64(math.MaxInt64)/float64(time.Second) {
		return Invalidf("clock.offsetSeconds %g is beyond what the clock can be moved by (about 292 years)", d.Clock.OffsetSeconds)
	}
	if d.Clock.Frozen && d.Clock.Now.IsZero() {
		return Invalidf(`clock: a frozen clock needs "now", the time it stands at`)
	}
	seen := map[string]bool{}
	for i, a := range d.APIs {
		at := fmt.Sprintf("apis[%d]", i)
		if a.ID == "" {
			return Invalidf(`%s has no "id"`, at)
		}
		at += " (" + a.ID + ")"
		if seen[a.ID] {
			return Invalidf("%s: the API is listed twice", at)
		}
		seen[a.ID] = true
		if a.Settings != nil {
			if err := a.Settings.Validate(); err != nil {
				return Invalidf("%s: settings: %v", at, err)
			}
		}
		colls := map[string]bool{}
		for j, c := range a.Collections {
			if c.Tenant == "" || c.Resource == "" {
				return Invalidf(`%s: collections[%d] needs a "tenant" and a "resource"`, at, j)
			}
			if colls[c.Tenant+"\x00"+c.Resource] {
				return Invalidf("%s: the collection %s of tenant %s is listed twice", at, c.Resource, c.Tenant)
			}
			colls[c.Tenant+"\x00"+c.Resource] = true
		}
	}
	if err := keys.CheckRecords(d.Keys); err != nil {
		return Invalidf("keys: %v", err)
	}
	if err := integrations.Check(d.Integrations); err != nil {
		return Invalidf("integrations: %v", err)
	}
	return nil
}
