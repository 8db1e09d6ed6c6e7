package instance

import (
	"encoding/json"
	"fmt"
	"os"

	"mockgate/backend/mockapi"
)

// Ready is the content of the ready file (serve --ready-file): everything a
// test harness needs, written once every listener accepts connections.
type Ready struct {
	AdminURL   string     `json:"adminUrl"`
	AdminToken string     `json:"adminToken"`
	PID        int        `json:"pid"`
	APIs       []ReadyAPI `json:"apis"`
}

// ReadyAPI is one mock API in the ready file.
type ReadyAPI struct {
	ID         string `json:"id"`
	BaseURL    string `json:"baseUrl"`
	Origin     string `json:"origin"`
	OpenAPIURL string `json:"openapiUrl"`
}

// ready describes the running instance.
func (in *Instance) ready() Ready {
	r := Ready{AdminURL: in.adminURL, AdminToken: in.Token, PID: os.Getpid(), APIs: []ReadyAPI{}}
	in.apisMu.Lock()
	defer in.apisMu.Unlock()
	for _, a := range in.APIs {
		r.APIs = append(r.APIs, ReadyAPI{ID: a.Engine.Profile().ID, BaseURL: a.BaseURL(), Origin: a.Origin(),
			OpenAPIURL: a.Origin() + mockapi.OpenAPIPath})
	}
	return r
}

// writeReady writes the ready file atomically (a temporary file in the same
// folder, renamed into place) with mode 0600: it holds the admin token, and
// a harness polling for it never reads half a file.
func (in *Instance) writeReady(path string) error {
	data, err := json.MarshalIndent(in.ready(), "", "  ")
	if err != nil {
		return err
	}
	if err := writePrivate(path, append(data, '\n')); err != nil {
		return fmt.Errorf("ready file: %w", err)
	}
	return nil
}
