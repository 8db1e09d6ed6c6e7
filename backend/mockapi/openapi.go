package mockapi

import (
	"net/http"
	"sync"

	"mockgate/backend/openapi"
	"mockgate/backend/profile"
)

// OpenAPIPath is where every mock API publishes its OpenAPI 3.1 document,
// on its own port, without a key.
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
		doc, err = openapi.Generate(e.p, "http://"+r.Host)
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
