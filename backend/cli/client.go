package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"mockgate/backend/instance"
	"mockgate/backend/store"
)

// client calls the admin API: over HTTP when an instance runs on the data
// folder, otherwise in-process over the opened store. Either way the CLI
// takes the same path as the GUI.
type client struct {
	base  string
	token string
	hc    *http.Client
	close func() error
	// remote is the running instance's admin URL ("" when in-process).
	remote string
}

// connect finds the instance holding dir or opens the store itself;
// warnings of the in-process store go to logTo.
func connect(dir string, logTo io.Writer) (*client, error) {
	if info, err := instance.ReadInfo(dir); err == nil {
		tok, terr := instance.ReadToken(dir)
		c := &client{base: info.AdminURL, token: strings.TrimSpace(tok), hc: &http.Client{Timeout: 30 * time.Second}, close: func() error { return nil }, remote: info.AdminURL}
		if terr == nil && c.ping() == nil {
			return c, nil
		}
		// A stale instance file (the process died): fall through to the store.
	}
	svc, err := instance.Open(instance.Config{DataDir: dir, Logger: newWarnings(logTo)})
	if err != nil {
		var le *store.LockedError
		if errors.As(err, &le) {
			return nil, fmt.Errorf("%w (its admin API did not answer)", err)
		}
		return nil, err
	}
	h := svc.Admin.TrustedHandler()
	return &client{
		base:  "http://mockgate.localhost",
		hc:    &http.Client{Transport: inProcess{h}},
		close: svc.Close,
	}, nil
}

// inProcess is a RoundTripper that serves requests with a handler directly.
type inProcess struct{ h http.Handler }

func (t inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

func (c *client) ping() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/_admin/api/health", nil)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health: %s", resp.Status)
	}
	return nil
}

// do sends a JSON request to the admin API and decodes the answer into out
// (when non-nil); an admin error envelope becomes the returned error.
func (c *client) do(method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, c.base+"/_admin/api"+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("admin API: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 400 {
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if json.Unmarshal(data, &e) == nil && e.Error.Message != "" {
			return errors.New(e.Error.Message)
		}
		return fmt.Errorf("admin API: %s", resp.Status)
	}
	if out != nil && len(data) > 0 {
		return json.Unmarshal(data, out)
	}
	return nil
}
