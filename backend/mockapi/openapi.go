package mockapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"mockgate/backend/openapi"
	"mockgate/backend/profile"
)

// OpenAPIPath is where every mock API publishes its OpenAPI document, on
// its own port, without a key: the document generated from the profile
// (OpenAPI 3.1), or for an API imported from an OpenAPI document the
// vendor's document itself, its servers pointed at the mock.
const OpenAPIPath = profile.OpenAPIPath

// docCache holds the generated document per Host (the servers entry names
// the host the client used).
type docCache struct {
	mu   sync.Mutex
	docs map[string][]byte
}

func (e *Engine) serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	c := w.(*call)
	c.step("route: GET " + OpenAPIPath + " → OpenAPI document")
	e.docs.mu.Lock()
	doc, ok := e.docs.docs[r.Host]
	if !ok {
		var err error
		doc, err = e.OpenAPIDocument("http://" + r.Host)
		if err != nil {
			e.docs.mu.Unlock()
			e.internal(c, err)
			return
		}
		if len(e.docs.docs) > 16 { // bounded: clients may send any Host
			e.docs.docs = map[string][]byte{}
		}
		e.docs.docs[r.Host] = doc
	}
	e.docs.mu.Unlock()
	writeJSON(c, http.StatusOK, doc)
}

// OpenAPIDocument is the API's OpenAPI document with its server at origin
// ("http://127.0.0.1:7705"): the imported API's own document, else the one
// generated from the profile.
func (e *Engine) OpenAPIDocument(origin string) ([]byte, error) {
	if e.contract != nil {
		return withServer(e.contract.doc, origin+e.p.BasePath)
	}
	return openapi.Generate(e.p, origin)
}

// withServer returns the JSON document doc with its servers replaced by
// the one url, every other member as it was and in its place (servers, when
// the document has none, goes after info).
func withServer(doc []byte, url string) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("the OpenAPI document is not a JSON object")
	}
	type server struct {
		URL         string `json:"url"`
		Description string `json:"description"`
	}
	servers, err := json.Marshal([]server{{url, "mockgate"}})
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Grow(len(doc) + len(servers))
	b.WriteByte('{')
	put := func(k string, v []byte) {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(k) // a string always marshals
		b.Write(key)
		b.WriteByte(':')
		b.Write(v)
	}
	done := false
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		k, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		if k == "servers" {
			put(k, servers)
			done = true
			continue
		}
		put(k, v)
		// Without "servers" anywhere in it, the document has none at the
		// top: the mock's goes after info, where documents usually put it.
		if k == "info" && !done && !bytes.Contains(doc, []byte(`"servers"`)) {
			put("servers", servers)
			done = true
		}
	}
	if !done {
		put("servers", servers)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
