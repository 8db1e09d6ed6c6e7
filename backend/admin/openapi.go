package admin

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// The admin API documents itself, as WireMock's /__admin/docs does: GET
// /_admin/api/openapi.json is an OpenAPI 3.1 document of every route of
// routeTable, with the admin token as its security scheme, so a client in
// any language can be generated or checked against it.

// adminOpenAPI answers the admin API's own OpenAPI document.
func (s *Server) adminOpenAPI(w http.ResponseWriter, r *http.Request) error {
	doc, err := s.Document()
	if err != nil {
		return internal(err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(doc)
	return nil
}

// Security scheme names of the document.
const (
	schemeToken   = "adminToken"
	schemeSession = "sessionCookie"
)

// Document returns the admin API's OpenAPI 3.1 document as indented JSON,
// with this instance's admin URL as its server when it is known.
func (s *Server) Document() ([]byte, error) {
	server := "/"
	if u := s.adminURL.Load(); u != nil && *u != "" {
		server = *u
	}
	return json.MarshalIndent(document(server), "", "  ")
}

// document builds the document for an admin API at serverURL.
func document(serverURL string) obj {
	g := newSchemas()
	paths := obj{}
	tags := []any{}
	seenTag := map[string]bool{}
	for _, rt := range routeTable(nil) {
		if !seenTag[rt.tag] {
			seenTag[rt.tag] = true
			tags = append(tags, obj{"name": rt.tag})
		}
		item, _ := paths[Prefix+rt.path].(obj)
		if item == nil {
			item = obj{}
			paths[Prefix+rt.path] = item
		}
		item[strings.ToLower(rt.method)] = operation(g, rt)
	}
	return obj{
		"openapi": "3.1.0",
		"info": obj{
			"title":   "mockgate admin API",
			"version": "1",
			"description": "The admin API the GUI, the web UI and the CLI use: mock APIs and their settings, " +
				"keys, integrations, the virtual clock, queued faults, the request log. It listens on loopback " +
				"only, answers only a loopback Host, and asks for the token in admin.token in the data folder " +
				"(Authorization: Bearer), or the web UI's session cookie. Errors are {\"error\":{\"code\",\"message\"}}.",
		},
		"servers":  []any{obj{"url": serverURL}},
		"security": []any{obj{schemeToken: []string{}}, obj{schemeSession: []string{}}},
		"tags":     tags,
		"paths":    paths,
		"components": obj{
			"securitySchemes": obj{
				schemeToken: obj{"type": "http", "scheme": "bearer",
					"description": "The token in admin.token in the data folder"},
				schemeSession: obj{"type": "apiKey", "in": "cookie", "name": CookieName,
					"description": "The web UI's session, from POST /_admin/api/session"},
			},
			"schemas": g.defs,
			"responses": obj{
				"Error": obj{
					"description": "The admin API's error envelope",
					"content":     obj{"application/json": obj{"schema": errorSchema()}},
				},
			},
		},
	}
}

// operation describes one route.
func operation(g *schemas, rt route) obj {
	op := obj{
		"operationId": operationID(rt),
		"summary":     rt.summary,
		"tags":        []string{rt.tag},
	}
	if rt.auth == authOpen {
		op["security"] = []any{}
	}
	var params []any
	for _, seg := range strings.Split(rt.path, "/") {
		if strings.HasPrefix(seg, "{") {
			params = append(params, obj{"name": strings.Trim(seg, "{}"), "in": "path", "required": true, "schema": obj{"type": "string"}})
		}
	}
	for _, q := range rt.query {
		typ := "string"
		if q.integer {
			typ = "integer"
		}
		params = append(params, obj{"name": q.name, "in": "query", "required": q.required, "description": q.desc, "schema": obj{"type": typ}})
	}
	if len(params) > 0 {
		op["parameters"] = params
	}
	if rt.body != nil {
		types := rt.bodyTypes
		if len(types) == 0 {
			types = []string{"application/json"}
		}
		content := obj{}
		for _, mt := range types {
			content[mt] = obj{"schema": g.input(rt.body)}
		}
		op["requestBody"] = obj{"required": true, "content": content}
	}
	ok := obj{"description": http.StatusText(rt.status)}
	switch {
	case rt.answer != nil:
		ok["content"] = obj{"application/json": obj{"schema": g.answer(rt.answer)}}
	case rt.answerType != "":
		ok["content"] = obj{rt.answerType: obj{"schema": obj{"type": "string"}}}
	}
	op["responses"] = obj{
		strconv.Itoa(rt.status): ok,
		"default":               obj{"$ref": "#/components/responses/Error"},
	}
	return op
}

// operationID is the route's method and path in camel case:
// POST /keys/{id}/revoke is postKeysIdRevoke.
func operationID(rt route) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(rt.method))
	for _, seg := range strings.FieldsFunc(rt.path, func(r rune) bool { return r == '/' || r == '{' || r == '}' || r == '.' }) {
		b.WriteString(strings.ToUpper(seg[:1]) + seg[1:])
	}
	return b.String()
}

// errorSchema is the schema of envelope.
func errorSchema() obj {
	return obj{
		"type":     "object",
		"required": []string{"error"},
		"properties": obj{"error": obj{
			"type":     "object",
			"required": []string{"code", "message"},
			"properties": obj{
				"code":     obj{"type": "string"},
				"message":  obj{"type": "string"},
				"problems": obj{"type": "array", "items": obj{"type": "string"}},
			},
			"additionalProperties": false,
		}},
		"additionalProperties": false,
	}
}
