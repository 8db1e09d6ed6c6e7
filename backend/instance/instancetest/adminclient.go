package instancetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"mockgate/backend/admin"
	"mockgate/backend/instance"
)

// AdminClient calls a mockgate admin API over HTTP with the admin token,
// as the web UI and the CLI do. It reports errors instead of failing a
// test, so it also serves tests that have no Harness: a CLI test that runs
// the real binary gets one from the data folder with AdminClientFor.
type AdminClient struct {
	// URL is the admin API's base URL (Instance.AdminURL, Info.AdminURL),
	// without admin.Prefix.
	URL string
	// Token is the admin token; empty sends no Authorization header.
	Token string
	// HTTP sends the requests; nil uses a client with a 10 s timeout.
	HTTP *http.Client
}

// AdminClientFor returns a client of the instance running on a data folder,
// from the folder's instance file and admin token.
func AdminClientFor(dataDir string) (AdminClient, error) {
	info, err := instance.ReadInfo(dataDir)
	if err != nil {
		return AdminClient{}, fmt.Errorf("no running instance on %s: %w", dataDir, err)
	}
	tok, err := instance.ReadToken(dataDir)
	if err != nil {
		return AdminClient{}, err
	}
	return AdminClient{URL: info.AdminURL, Token: strings.TrimSpace(tok)}, nil
}

// Do sends body as JSON (nil sends no body) to the admin path (such as
// "/keys"), decodes a JSON answer into out when out is not nil and the
// answer has a body, and returns the status. An answer that out cannot
// hold is an error naming the request and the answer.
func (c AdminClient) Do(method, path string, body, out any) (int, error) {
	var data []byte
	if body != nil {
		var err error
		if data, err = json.Marshal(body); err != nil {
			return 0, fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	status, answer, err := c.Send(method, path, "application/json", data)
	if err != nil {
		return status, err
	}
	if out != nil && len(answer) > 0 {
		if err := json.Unmarshal(answer, out); err != nil {
			return status, fmt.Errorf("%s %s: %d: %w: %s", method, path, status, err, answer)
		}
	}
	return status, nil
}

// Send sends body as it is (nil sends no body) with contentType (empty
// sends none) to the admin path, and returns the status and the whole
// answer: for bodies that are not JSON (an imported profile's YAML) and
// answers kept as bytes.
func (c AdminClient) Send(method, path, contentType string, body []byte) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, c.URL+admin.Prefix+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	res, err := hc.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	answer, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, nil, fmt.Errorf("%s %s: reading the answer: %w", method, path, err)
	}
	return res.StatusCode, answer, nil
}
