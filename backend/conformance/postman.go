package conformance

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"mockgate/backend/profile"
)

// The same matrix as a Postman collection (v2.1), for newman or the
// Postman app: a folder per API with a request per case, and one
// collection-level test script (postman_check.js) that checks every answer
// as Check does. Against the running mockgate the collection readies the
// instance itself, as Prepare does: a setup folder per API freezes the
// clock and makes the keys through the admin API, a teardown folder
// removes them and puts the clock back. The admin token is never written
// into the file: it is the adminToken variable (newman --env-var
// adminToken=…).

//go:embed postman_check.js
var checkScript string

// PostmanAPI is one API of an exported collection.
type PostmanAPI struct {
	Profile *profile.Profile
	Cases   []Case
	// Base is where the API is reached, as Target.Base.
	Base string
}

// PostmanOptions shape an export.
type PostmanOptions struct {
	// AdminURL, when set, is the running mockgate's admin API: the
	// collection gets its setup and teardown folders. Without it the keys
	// are variables to set (<api>_key_<role>) and a case whose key is not
	// set is skipped.
	AdminURL string
}

const postmanSchema = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"

type pmCollection struct {
	Info     pmInfo       `json:"info"`
	Item     []pmItem     `json:"item"`
	Event    []pmEvent    `json:"event"`
	Variable []pmVariable `json:"variable"`
}

type pmInfo struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Schema      string `json:"schema"`
}

type pmItem struct {
	ID      string     `json:"id,omitempty"`
	Name    string     `json:"name"`
	Item    []pmItem   `json:"item,omitempty"`
	Request *pmRequest `json:"request,omitempty"`
	Event   []pmEvent  `json:"event,omitempty"`
}

type pmRequest struct {
	Method string     `json:"method"`
	Header []pmHeader `json:"header"`
	URL    string     `json:"url"`
	Body   *pmBody    `json:"body,omitempty"`
}

type pmHeader struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type pmBody struct {
	Mode string `json:"mode"`
	Raw  string `json:"raw"`
}

type pmEvent struct {
	Listen string   `json:"listen"`
	Script pmScript `json:"script"`
}

type pmScript struct {
	Type string   `json:"type"`
	Exec []string `json:"exec"`
}

type pmVariable struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

func event(listen string, lines ...string) pmEvent {
	return pmEvent{Listen: listen, Script: pmScript{Type: "text/javascript", Exec: lines}}
}

// jsCase is a case as the check script reads it.
type jsCase struct {
	API    string `json:"api"`
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Status int    `json:"status"`
	// Envelope names the error template the status answers with (see
	// envelopeID), ContentType the media type it is sent as.
	Envelope    string `json:"envelope"`
	ContentType string `json:"contentType"`
	Code        string `json:"code,omitempty"`
	Message     string `json:"message"`
	// Reason is the status's text, for a $reason in the envelope.
	Reason   string   `json:"reason"`
	Mentions string   `json:"mentions,omitempty"`
	Summary  string   `json:"summary"`
	Headers  []jsRule `json:"headers,omitempty"`
	// Window names the variable the rate-limit window's verdict is in.
	Window string `json:"window,omitempty"`
}

// envelopeID names the error template status answers with in p, as the
// collection's script finds it: the API's id and its errors.byStatus key
// ("" for errors.body), so each template is written once.
func envelopeID(p *profile.Profile, status int) string {
	return p.ID + " " + p.Errors.KeyFor(status)
}

type jsRule struct {
	HeaderRule
	// Want says what the rule wants, for failure messages.
	Want string `json:"want"`
}

// WritePostman writes apis' cases as one Postman collection.
func WritePostman(w io.Writer, apis []PostmanAPI, opt PostmanOptions) error {
	col := pmCollection{Info: pmInfo{Name: "mockgate conformance", Schema: postmanSchema,
		Description: "The negative-test matrix of each API's profile, from mockgate conformance --export postman."}}
	checks := map[string]jsCase{}
	envelopes := map[string]json.RawMessage{}
	skips := map[string]string{} // request id → the key variable it needs
	var roots []string
	for _, a := range apis {
		p, v := a.Profile, varName(a.Profile.ID)
		base := strings.TrimSuffix(strings.TrimSuffix(a.Base, "/"), p.BasePath)
		col.Variable = append(col.Variable, pmVariable{Key: v + "_baseUrl", Value: base})
		folder := pmItem{Name: p.ID}
		var setup *postmanSetup
		if opt.AdminURL != "" {
			setup = newPostmanSetup(p, a.Cases)
			folder.Item = append(folder.Item, pmItem{Name: p.ID + " setup", Item: setup.setup()})
		} else {
			for _, role := range Roles(a.Cases) {
				value := ""
				if role == RoleRateLimit { // the valid key unless set, as the CLI does
					value = "{{" + keyVar(p, RoleValid) + "}}"
				}
				col.Variable = append(col.Variable, pmVariable{Key: keyVar(p, role), Value: value})
			}
		}
		for _, c := range a.Cases {
			id := p.ID + "/" + c.ID
			item, js := caseItem(p, c, id, opt.AdminURL != "")
			folder.Item = append(folder.Item, item)
			checks[id] = js
			envelopes[js.Envelope], _ = p.Errors.For(c.Expect.Status)
			if c.Request.Role != "" {
				skips[id] = keyVar(p, c.Request.Role)
			}
		}
		if setup != nil {
			folder.Item = append(folder.Item, pmItem{Name: p.ID + " teardown", Item: setup.teardown()})
		}
		col.Item = append(col.Item, folder)
		roots = append(roots, p.ID)
	}
	if opt.AdminURL != "" {
		col.Variable = append(col.Variable, pmVariable{Key: "adminUrl", Value: strings.TrimSuffix(opt.AdminURL, "/")},
			pmVariable{Key: "adminToken", Value: ""})
	} else {
		col.Event = append(col.Event, event("prerequest",
			"// A case whose key variable is not set is skipped, never passed.",
			"const needs = "+mustJSON(skips)+";",
			"const v = needs[pm.info.requestId];",
			"const key = v ? pm.variables.replaceIn(\"{{\" + v + \"}}\") : \"\";",
			"if (v && (key === \"\" || key.indexOf(\"{{\") >= 0)) {",
			"  console.log(pm.info.requestName + \": skipped, no key (set the variable \" + v + \")\");",
			"  pm.execution.skipRequest();",
			"}"))
	}
	script := strings.Replace(strings.Replace(checkScript, "/*CASES*/", mustJSON(checks), 1), "/*ENVELOPES*/", mustJSON(envelopes), 1)
	col.Event = append(col.Event, event("test", strings.Split(strings.TrimRight(script, "\n"), "\n")...))
	col.Info.Description += " APIs: " + strings.Join(roots, ", ") + "."
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(col)
}

// caseItem is the request of one case, and what the check script wants of
// its answer.
func caseItem(p *profile.Profile, c Case, id string, fresh bool) (pmItem, jsCase) {
	r := c.Request
	v := varName(p.ID)
	req := &pmRequest{Method: r.Method, Header: []pmHeader{}, URL: "{{" + v + "_baseUrl}}" + r.Path}
	raw := r.Key
	if r.Role != "" {
		raw = "{{" + keyVar(p, r.Role) + "}}"
	}
	if raw != "" {
		for _, h := range r.presented(p, raw) {
			req.Header = append(req.Header, pmHeader{h[0], h[1]})
		}
	}
	if r.ContentType != "" {
		req.Header = append(req.Header, pmHeader{"Content-Type", r.ContentType})
	}
	if r.Body != "" || r.BodySize > 0 {
		req.Body = &pmBody{Mode: "raw", Raw: r.Body}
	}
	item := pmItem{ID: id, Name: c.ID + ": " + c.Name, Request: req}
	js := jsCase{API: p.ID, ID: c.ID, Kind: c.Expect.Kind, Status: c.Expect.Status, Code: c.Expect.Code,
		Message: c.Expect.Message, Reason: http.StatusText(c.Expect.Status), Mentions: c.Expect.Mentions, Summary: c.Expect.Summary()}
	_, js.ContentType = p.Errors.For(c.Expect.Status)
	js.Envelope = envelopeID(p, c.Expect.Status)
	for _, h := range c.Expect.Headers {
		js.Headers = append(js.Headers, jsRule{HeaderRule: h, Want: h.describe()})
	}
	if r.BodySize > 0 {
		pad := len(r.body()) - len(`{"pad":""}`)
		item.Event = append(item.Event, event("prerequest",
			fmt.Sprintf(`pm.request.body.update('{"pad":"' + "x".repeat(%d) + '"}'); // %d bytes`, pad, r.BodySize)))
	}
	if r.Repeat > 0 {
		js.Window = v + "_window"
		item.Event = append(item.Event, event("prerequest", windowScript(js.Window, r.Repeat, fresh)...))
	}
	return item, js
}

// windowScript sends the n requests of the rate-limit window before the
// request itself, all at once (the window counts them in any order), and
// leaves what was wrong with their answers in the variable name.
func windowScript(name string, n int, fresh bool) []string {
	want := "2xx"
	if !fresh {
		want = "2xx or 429"
	}
	return []string{
		"// The rate limit's window: " + strconv.Itoa(n) + " requests, each let through (" + want + "), before this one.",
		"const n = " + strconv.Itoa(n) + ", fresh = " + strconv.FormatBool(fresh) + ", name = " + mustJSON(name) + ";",
		"const url = pm.variables.replaceIn(pm.request.url.toString());",
		"const header = pm.request.headers.map(function (h) { return {key: h.key, value: pm.variables.replaceIn(h.value)}; });",
		"pm.collectionVariables.set(name, \"\");",
		"let left = n;",
		"const bad = {};",
		"for (let i = 0; i < n; i++) {",
		"  pm.sendRequest({url: url, method: pm.request.method, header: header}, function (err, res) {",
		"    const ok = !err && (res.code >= 200 && res.code < 300 || (!fresh && res.code === 429));",
		"    if (!ok) { const k = err ? \"no answer\" : res.code; bad[k] = (bad[k] || 0) + 1; }",
		"    if (--left === 0 && Object.keys(bad).length > 0) {",
		"      pm.collectionVariables.set(name, \"window: expected its \" + n + \" requests answered " + want + ", got \" +",
		"        Object.keys(bad).map(function (k) { return bad[k] + \" × \" + k; }).join(\", \"));",
		"    }",
		"  });",
		"}",
	}
}

// postmanSetup is Prepare and Session.Close as Postman requests.
type postmanSetup struct {
	p           *profile.Profile
	v           string
	roles       []string
	integration string
}

func newPostmanSetup(p *profile.Profile, cases []Case) *postmanSetup {
	s := &postmanSetup{p: p, v: varName(p.ID), roles: Roles(cases)}
	for _, r := range s.roles {
		if r == RoleInactiveIntegration {
			s.integration = integrationName()
		}
	}
	return s
}

// admin is a request to the admin API; test is its test script, after a
// check of the status.
func (s *postmanSetup) admin(name, method, path string, body any, status int, test ...string) pmItem {
	req := &pmRequest{Method: method, URL: "{{adminUrl}}/_admin/api" + path,
		Header: []pmHeader{{"Authorization", "Bearer {{adminToken}}"}}}
	if body != nil {
		req.Header = append(req.Header, pmHeader{"Content-Type", "application/json"})
		req.Body = &pmBody{Mode: "raw", Raw: mustJSON(body)}
	}
	lines := append([]string{fmt.Sprintf("pm.test(%s, function () { pm.response.to.have.status(%d); });", mustJSON(s.p.ID+": "+name), status)}, test...)
	return pmItem{Name: name, Request: req, Event: []pmEvent{event("test", lines...)}}
}

func (s *postmanSetup) idVar(role string) string { return s.v + "_id_" + varName(role) }

func (s *postmanSetup) setup() []pmItem {
	clockVar := s.v + "_clock"
	items := []pmItem{
		s.admin("read the clock", "GET", "/clock", nil, 200, "pm.collectionVariables.set("+mustJSON(clockVar)+", pm.response.text());"),
		s.admin("freeze the clock", "POST", "/clock", map[string]any{"freeze": true}, 200),
	}
	for _, role := range s.roles {
		if role == RoleInactiveIntegration {
			items = append(items, s.admin("make an integration", "POST", "/integrations", map[string]any{"api": s.p.ID, "name": s.integration}, 201))
		}
		items = append(items, s.admin("make the "+role+" key", "POST", "/keys", keyRequest(s.p, role, s.integration), 201,
			"const k = pm.response.json();",
			"pm.collectionVariables.set("+mustJSON(keyVar(s.p, role))+", k.key);",
			"pm.collectionVariables.set("+mustJSON(s.idVar(role))+", k.id);"))
		switch role {
		case RoleRevoked:
			items = append(items, s.admin("revoke the revoked key", "POST", "/keys/{{"+s.idVar(role)+"}}/revoke", nil, 200))
		case RoleDeleted:
			items = append(items, s.admin("delete the deleted key", "DELETE", "/keys/{{"+s.idVar(role)+"}}", nil, 204))
		case RoleInactiveIntegration:
			items = append(items, s.admin("deactivate the integration", "POST", s.integrationPath()+"/deactivate", nil, 200))
		}
	}
	for _, role := range s.roles {
		if role == RoleExpired {
			items = append(items, s.admin("move the clock past the expiry", "POST", "/clock", map[string]any{"advance": expiredAfter.String()}, 200))
		}
	}
	return items
}

func (s *postmanSetup) integrationPath() string {
	return "/integrations/" + url.PathEscape(s.p.ID) + "/" + url.PathEscape(s.integration)
}

func (s *postmanSetup) teardown() []pmItem {
	var items []pmItem
	for _, role := range s.roles {
		if role != RoleDeleted {
			items = append(items, s.admin("delete the "+role+" key", "DELETE", "/keys/{{"+s.idVar(role)+"}}", nil, 204))
		}
	}
	if s.integration != "" {
		items = append(items, s.admin("remove the integration", "DELETE", s.integrationPath(), nil, 204))
	}
	// The clock as Session.restoreClock puts it back: frozen at its time,
	// reset to real time, or running again with its offset (the admin API
	// is on this machine: Date.now() is its real time).
	was := "const was = JSON.parse(pm.collectionVariables.get(" + mustJSON(s.v+"_clock") + "));"
	atReal := "!was.frozen && Math.abs(was.offsetSeconds) < 0.5"
	restore := s.admin("restore the clock", "POST", "/clock", map[string]any{}, 200)
	restore.Event = append(restore.Event, event("prerequest", was,
		"let body = {resume: true};",
		"if (was.frozen) { body = {set: was.now}; } else if ("+atReal+") { body = {reset: true}; }",
		"pm.request.body.update(JSON.stringify(body));"))
	offset := s.admin("restore the clock's offset", "POST", "/clock", map[string]any{}, 200)
	offset.Event = append(offset.Event, event("prerequest", was,
		"if (was.frozen || "+atReal+") {",
		"  pm.execution.skipRequest();",
		"} else {",
		"  pm.request.body.update(JSON.stringify({set: new Date(Date.now() + was.offsetSeconds * 1000).toISOString()}));",
		"}"))
	return append(items, restore, offset)
}

var notVarChar = regexp.MustCompile(`[^A-Za-z0-9_]`)

// varName is s as a Postman variable name.
func varName(s string) string { return notVarChar.ReplaceAllString(s, "_") }

// keyVar is the variable holding the key of role for p.
func keyVar(p *profile.Profile, role string) string { return varName(p.ID) + "_key_" + varName(role) }

func mustJSON(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // only maps and strings of this file: they always encode
	}
	return strings.TrimSuffix(b.String(), "\n")
}
