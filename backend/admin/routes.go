package admin

import (
	"net/http"

	"mockgate/backend/clock"
	"mockgate/backend/integrations"
	"mockgate/backend/journal"
	"mockgate/backend/mockapi"
	"mockgate/backend/profile"
	"mockgate/backend/state"
)

// route is one admin API route: its pattern and handler, and what the admin
// API's own OpenAPI document (openapi.go) says about it. routes registers
// exactly the routes of routeTable and the document describes exactly
// those, and the token middleware's open paths come from the same rows, so
// a new route cannot be served without being documented.
type route struct {
	method string
	// path is under Prefix, with {name} wildcards ("/keys/{id}").
	path    string
	handler handlerFunc
	// summary is the operation's one-line description; tag groups it.
	summary, tag string
	auth         routeAuth
	// query lists the query parameters the handler reads.
	query []queryParam
	// body is the request body's type, as a zero value (nil: none), sent
	// as JSON unless bodyTypes names its media types.
	body      any
	bodyTypes []string
	// status is the success status; answer the JSON answer's type (a zero
	// value; nil: no body), or answerType a media type that is not JSON.
	status     int
	answer     any
	answerType string
}

// routeAuth says how a route is authorized.
type routeAuth int

const (
	// authToken: the admin token, asked for by the middleware.
	authToken routeAuth = iota
	// authOpen: nothing (health, the proof, the documents describing routes).
	authOpen
	// authSelf: the handler checks the token itself (the session exchange).
	authSelf
)

// queryParam is one query parameter of a route.
type queryParam struct {
	name, desc string
	// integer marks a number parameter; otherwise it is a string.
	integer  bool
	required bool
}

// Answers the handlers write as named types, so the document can describe
// them.

// Health is the answer of GET /health.
type Health struct {
	Status string `json:"status"`
	APIs   int    `json:"apis"`
}

// ProofAnswer is the answer of GET /proof.
type ProofAnswer struct {
	Proof string `json:"proof"`
}

// SeedAnswer is the answer of POST /apis/{api}/seed.
type SeedAnswer struct {
	API      string `json:"api"`
	Resource string `json:"resource"`
	Tenant   string `json:"tenant"`
	Records  int    `json:"records"`
}

// RequestPage is the answer of GET /requests: a page, newest first, and the
// number of entries the log holds.
type RequestPage struct {
	Requests []RequestSummary `json:"requests"`
	Total    int              `json:"total"`
}

// anyJSON stands for an answer of any JSON shape (an OpenAPI document).
type anyJSON = map[string]any

// RequestCount is the answer of GET /requests/count.
type RequestCount struct {
	Count int `json:"count"`
}

// logFilters are the request-log filters (requestFilter), before and limit
// last.
var logFilters = []queryParam{
	{name: "api", desc: "only this API's"},
	{name: "method", desc: "only this method"},
	{name: "path", desc: "this path, or a glob with * for one segment (/v1/users/*)"},
	{name: "status", desc: "a status (401) or a class (4xx)"},
	{name: "key", desc: "only requests with this key id"},
	{name: "code", desc: "only answers with this error code"},
	{name: "verdict", desc: "retry_too_early, ignored_auth_failure or repeated_bad_request"},
	{name: "since", desc: "at or after this RFC 3339 time (the mock's clock)"},
	{name: "until", desc: "before this RFC 3339 time (the mock's clock)"},
	{name: "before", desc: "only entries older than this id", integer: true},
	{name: "limit", desc: "1 to 1000 (default 100)", integer: true},
}

// routeTable is every admin API route. s may be nil for a caller that only
// reads the table (openPaths, the document): its handlers are method values
// never called then.
func routeTable(s *Server) []route {
	apiParam := "{api}"
	seconds := queryParam{name: "seconds", desc: "the window in seconds, 1 to 600 (default 300)", integer: true}
	byAPI := queryParam{name: "api", desc: "only this API's"}
	return []route{
		{method: "GET", path: "/health", handler: s.health, tag: "instance", auth: authOpen,
			summary: "Whether the admin API answers, and how many mock APIs run", status: 200, answer: Health{}},
		{method: "GET", path: "/proof", handler: s.proof, tag: "instance", auth: authOpen,
			summary: "Prove holding the admin token without sending it: HMAC-SHA256 of the challenge and this start's nonce",
			query:   []queryParam{{name: "challenge", desc: "32 to 128 lower-case hex digits", required: true}},
			status:  200, answer: ProofAnswer{}},
		{method: "POST", path: "/session", handler: s.session, tag: "instance", auth: authSelf,
			summary: "Exchange the token for the web UI's HttpOnly session cookie", status: 204},
		{method: "GET", path: "/openapi.json", handler: s.adminOpenAPI, tag: "instance", auth: authOpen,
			summary: "This document: every admin API route", status: 200, answer: anyJSON{}},
		{method: "GET", path: "/apis", handler: s.listAPIs, tag: "apis",
			summary: "Every mock API: address, auth, key format, scopes, tenancy, limits, settings", status: 200, answer: []APIInfo{}},
		{method: "GET", path: "/apis/" + apiParam, handler: s.getAPI, tag: "apis",
			summary: "One mock API", status: 200, answer: APIInfo{}},
		{method: "GET", path: "/apis/" + apiParam + "/profile", handler: s.getProfile, tag: "apis",
			summary: "The API's whole profile, as loaded (what the conformance pack derives its cases from)", status: 200, answer: profile.Profile{}},
		{method: "GET", path: "/apis/" + apiParam + "/stats", handler: s.apiStats, tag: "apis",
			summary: "The API's traffic per real second", query: []queryParam{seconds}, status: 200, answer: mockapi.Snapshot{}},
		{method: "GET", path: "/stats", handler: s.allStats, tag: "apis",
			summary: "Every API's traffic, by API id", query: []queryParam{seconds}, status: 200, answer: map[string]mockapi.Snapshot{}},
		{method: "PUT", path: "/apis/" + apiParam + "/settings", handler: s.putSettings, tag: "apis",
			summary: "Change the API's run-time settings (CORS, latency, error and throttle rates, Prefer)",
			body:    mockapi.Settings{}, status: 200, answer: mockapi.Settings{}},
		{method: "POST", path: "/apis/" + apiParam + "/reset", handler: s.resetAPI, tag: "apis",
			summary: "Restore the API's seed data", status: 200, answer: APIInfo{}},
		{method: "POST", path: "/apis/" + apiParam + "/seed", handler: s.seedAPI, tag: "apis",
			summary: "Grow a collection to a number of records", body: seedRequest{}, status: 200, answer: SeedAnswer{}},
		{method: "GET", path: "/apis/" + apiParam + "/openapi.json", handler: s.openAPI, tag: "apis",
			summary: "The API's OpenAPI document: an imported API's own (servers pointed at the mock), else the 3.1 document generated from its profile", status: 200, answer: anyJSON{}},
		{method: "GET", path: "/apis/" + apiParam + "/faults", handler: s.listFaults, tag: "faults",
			summary: "The API's pending faults", status: 200, answer: []mockapi.Fault{}},
		{method: "POST", path: "/apis/" + apiParam + "/faults", handler: s.addFault, tag: "faults",
			summary: "Queue a fault on the API", body: FaultRequest{}, status: 201, answer: mockapi.Fault{}},
		{method: "DELETE", path: "/apis/" + apiParam + "/faults", handler: s.clearFaults, tag: "faults",
			summary: "Clear the API's pending faults", status: 204},
		{method: "POST", path: "/profiles", handler: s.importProfile, tag: "apis",
			summary: "Import a profile or an OpenAPI 3.0/3.1 document (YAML or JSON; a document has a top-level \"openapi\" version) and start its API; for a document the answer's import says what it made of it",
			query:   []queryParam{{name: "id", desc: "the API's id for an OpenAPI document (default: a slug of info.title); a profile names its own"}},
			body:    profile.Profile{}, bodyTypes: []string{"application/yaml", "application/json"},
			status: 201, answer: ImportedAPI{}},
		{method: "DELETE", path: "/profiles/" + apiParam, handler: s.removeProfile, tag: "apis",
			summary: "Stop an imported API and forget it and its data", status: 204},
		{method: "GET", path: "/clock", handler: s.getClock, tag: "clock",
			summary: "The virtual clock: its time, the real time, the offset, frozen or not", status: 200, answer: clock.Status{}},
		{method: "POST", path: "/clock", handler: s.postClock, tag: "clock",
			summary: "Move the virtual clock: exactly one of advance, set, freeze, resume, reset", body: ClockRequest{}, status: 200, answer: clock.Status{}},
		{method: "GET", path: "/keys", handler: s.listKeys, tag: "keys",
			summary: "Every key, partially hidden", query: []queryParam{byAPI}, status: 200, answer: []KeyView{}},
		{method: "POST", path: "/keys", handler: s.createKey, tag: "keys",
			summary: "Create a key: the raw key is in this answer only", body: CreateKeyRequest{}, status: 201, answer: CreatedKey{}},
		{method: "GET", path: "/keys/{id}", handler: s.getKey, tag: "keys",
			summary: "One key, partially hidden", status: 200, answer: KeyView{}},
		{method: "POST", path: "/keys/{id}/revoke", handler: s.revokeKey, tag: "keys",
			summary: "Revoke a key: the API answers \"revoked\" from the next request", status: 200, answer: KeyView{}},
		{method: "DELETE", path: "/keys/{id}", handler: s.deleteKey, tag: "keys",
			summary: "Delete a key: the API answers \"invalid\" from the next request", status: 204},
		{method: "GET", path: "/integrations", handler: s.listIntegrations, tag: "integrations",
			summary: "Every integration keys belong to", query: []queryParam{byAPI}, status: 200, answer: []integrations.Integration{}},
		{method: "POST", path: "/integrations", handler: s.createIntegration, tag: "integrations",
			summary: "Create an integration (active)", body: IntegrationRequest{}, status: 201, answer: integrations.Integration{}},
		{method: "POST", path: "/integrations/" + apiParam + "/{name}/activate", handler: s.setIntegration(true), tag: "integrations",
			summary: "Activate an integration", status: 200, answer: integrations.Integration{}},
		{method: "POST", path: "/integrations/" + apiParam + "/{name}/deactivate", handler: s.setIntegration(false), tag: "integrations",
			summary: "Deactivate an integration: its keys answer the API's integration-inactive error", status: 200, answer: integrations.Integration{}},
		{method: "DELETE", path: "/integrations/" + apiParam + "/{name}", handler: s.deleteIntegration, tag: "integrations",
			summary: "Remove an integration no key belongs to", status: 204},
		{method: "GET", path: "/requests", handler: s.listRequests, tag: "requests",
			summary: "A page of the request log, newest first", query: logFilters, status: 200, answer: RequestPage{}},
		{method: "GET", path: "/requests/count", handler: s.countRequests, tag: "requests",
			summary: "How many logged requests match the filters", query: logFilters[:len(logFilters)-2], status: 200, answer: RequestCount{}},
		{method: "GET", path: "/requests.har", handler: s.exportHAR, tag: "requests",
			summary: "The request log (all, or filtered) as HAR 1.2, credentials masked, real times", query: logFilters, status: 200, answer: HAR{}},
		{method: "GET", path: "/requests/{id}/curl", handler: s.requestCurl, tag: "requests",
			summary: "A logged request as a curl command, the key as $MOCKGATE_KEY", status: 200, answer: CurlCommand{}},
		{method: "DELETE", path: "/requests", handler: s.clearRequests, tag: "requests",
			summary: "Clear the request log", status: 204},
		{method: "GET", path: "/requests/stream", handler: s.stream, tag: "requests",
			summary: "Server-Sent Events: request (a RequestSummary), keys (keys changed), clock (its status)",
			status:  200, answerType: "text/event-stream"},
		{method: "GET", path: "/requests/{id}", handler: s.getRequest, tag: "requests",
			summary: "One request with its headers, bodies and decision trace (secrets masked)", status: 200, answer: journal.Entry{}},
		{method: "GET", path: "/state", handler: s.getState, tag: "state",
			summary: "The whole state: records, keys (hashes only), integrations, settings, imported profiles, the clock", status: 200, answer: state.Document{}},
		{method: "PUT", path: "/state", handler: s.putState, tag: "state",
			summary: "Load a state, all or nothing", body: state.Document{}, status: 200, answer: state.Summary{}},
		{method: "POST", path: "/reset", handler: s.reset, tag: "state",
			summary: "Every API back to its seed data, no keys unless keepKeys", body: ResetRequest{}, status: 200, answer: state.Summary{}},
		{method: "POST", path: "/explorer/send", handler: s.explorerSend, tag: "explorer",
			summary: "Send a request to a mock API through the admin origin (the Explorer screen)",
			body:    ExplorerRequest{}, status: 200, answer: ExplorerResponse{}},
	}
}

// routes registers every route of routeTable, the admin API's 404 for any
// other path under Prefix, and the web UI's files when there are any.
func (s *Server) routes() {
	for _, rt := range routeTable(s) {
		s.mux.Handle(rt.method+" "+Prefix+rt.path, s.handle(rt.handler))
	}
	s.mux.Handle(Prefix+"/", s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return notFound("no admin route %s %s", r.Method, r.URL.Path)
	}))
	if s.d.Assets != nil {
		files := http.FileServerFS(s.d.Assets)
		s.mux.Handle("/", s.handle(func(w http.ResponseWriter, r *http.Request) error {
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				w.Header().Set("Allow", "GET, HEAD")
				return &Error{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed", Message: "the web UI answers GET only"}
			}
			files.ServeHTTP(w, r)
			return nil
		}))
	}
}

// openPaths are the paths the token middleware lets through: the routes
// that need no token or check it themselves.
func openPaths() map[string]bool {
	open := map[string]bool{}
	for _, rt := range routeTable(nil) {
		if rt.auth != authToken {
			open[Prefix+rt.path] = true
		}
	}
	return open
}
