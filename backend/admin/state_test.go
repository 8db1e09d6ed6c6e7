package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"mockgate/backend/state"
)

// fakeState is an instance's State: it records what it was given and
// fails with err when set.
type fakeState struct {
	loaded []string
	resets []bool
	err    error
}

func (f *fakeState) SaveState() (*state.Document, error) {
	if f.err != nil {
		return nil, f.err
	}
	return &state.Document{Format: state.Format, Version: state.Version, APIs: []state.API{{ID: "journeybee", Source: SourceBuiltin}}}, nil
}

func (f *fakeState) LoadState(doc []byte) (state.Summary, error) {
	f.loaded = append(f.loaded, string(doc))
	return state.Summary{Keys: 2}, f.err
}

func (f *fakeState) ResetState(keepKeys bool) (state.Summary, error) {
	f.resets = append(f.resets, keepKeys)
	return state.Summary{}, f.err
}

func TestStateRoutes(t *testing.T) {
	ta := newTestAdmin(t)
	if w := ta.do("GET", "/_admin/api/state", ""); w.Code != 501 {
		t.Fatalf("without a State: %d", w.Code)
	}
	fs := &fakeState{}
	ta.srv.d.State = fs

	w := ta.do("GET", "/_admin/api/state", "")
	var doc state.Document
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &doc) != nil || doc.Format != state.Format || doc.APIs[0].ID != "journeybee" {
		t.Fatalf("save: %d %s", w.Code, w.Body)
	}
	if w = ta.do("PUT", "/_admin/api/state", `{"the":"document"}`); w.Code != 200 || !strings.Contains(w.Body.String(), `"keys":2`) {
		t.Fatalf("load: %d %s", w.Code, w.Body)
	}
	if len(fs.loaded) != 1 || fs.loaded[0] != `{"the":"document"}` {
		t.Fatalf("the instance was given %q, want the body as sent", fs.loaded)
	}
	for _, body := range []string{"", `{}`, `{"keepKeys":true}`} {
		if w = ta.do("POST", "/_admin/api/reset", body); w.Code != 200 {
			t.Fatalf("reset %q: %d %s", body, w.Code, w.Body)
		}
	}
	if fmt.Sprint(fs.resets) != "[false false true]" {
		t.Fatalf("resets %v, want [false false true]", fs.resets)
	}
	if w = ta.do("POST", "/_admin/api/reset", `{"keep":true}`); w.Code != 400 || len(fs.resets) != 3 {
		t.Fatalf("reset with an unknown field: %d, resets %v", w.Code, fs.resets)
	}
}

// A refused document is the client's mistake (400, the problem named and
// nothing changed); a state written but not put in force says so (500);
// anything else is internal, its cause logged and not sent.
func TestStateErrors(t *testing.T) {
	ta := newTestAdmin(t)
	fs := &fakeState{}
	ta.srv.d.State = fs
	for _, tc := range []struct {
		err       error
		status    int
		code, say string
	}{
		{state.Invalidf("apis[0] (nope): unknown"), 400, "invalid_state", "apis[0] (nope): unknown; nothing was changed"},
		{&state.NewerError{Version: 99, Mockgate: "v9.0.0"}, 400, "newer_version", "newer mockgate (v9.0.0) in state version 99"},
		{fmt.Errorf("%w: disk /secret/x", state.ErrNotApplied), 500, "state_not_applied", "restart mockgate"},
		{errors.New("disk /secret/y"), 500, "internal", "internal error"},
	} {
		fs.err = tc.err
		for _, req := range [][2]string{{"PUT", "/_admin/api/state"}, {"POST", "/_admin/api/reset"}} {
			w := ta.do(req[0], req[1], `{}`)
			if w.Code != tc.status {
				t.Fatalf("%v on %s: %d, want %d", tc.err, req[1], w.Code, tc.status)
			}
			e := expectEnvelope(t, w, tc.code)
			if !strings.Contains(e.Error.Message, tc.say) || strings.Contains(w.Body.String(), "/secret/") {
				t.Errorf("%v on %s: %q, want it to say %q and no cause", tc.err, req[1], e.Error.Message, tc.say)
			}
		}
	}
	if !strings.Contains(ta.logs.String(), "/secret/x") {
		t.Errorf("the cause of a state not put in force is not logged: %s", ta.logs)
	}
}
