package cli

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"mockgate/backend/admin"
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
	if c := running(dir); c != nil {
		return c, nil
	}
	svc, err := instance.Open(instance.Config{DataDir: dir, Logger: newWarnings(logTo)})
	if err != nil {
		var le *store.LockedError
		if errors.As(err, &le) {
			return nil, fmt.Errorf("%w (its admin API did not prove it holds this folder, so the admin token was not sent to it)", err)
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

// running returns a client for the instance that holds dir, or nil. The
// instance file names its admin URL, but after a crash that file outlives
// the instance and its port may belong to any program since: the admin
// token goes only to a listener that passes both checks, the folder's lock
// is taken (else no instance runs, and nothing is contacted at all) and
// the listener proves, without the token being sent, that it holds the
// token and started with the nonce the file records (admin.Proof).
func running(dir string) *client {
	info, err := instance.ReadInfo(dir)
	if err != nil || info.AdminURL == "" || info.Nonce == "" {
		return nil
	}
	if held, err := store.Held(dir); err != nil || !held {
		return nil
	}
	tok, err := instance.ReadToken(dir)
	if err != nil {
		return nil
	}
	c := &client{base: info.AdminURL, token: strings.TrimSpace(tok), close: func() error { return nil }, remote: info.AdminURL,
		hc: &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // the admin API never redirects; the token stays with the proven listener
		}}}
	if c.token == "" || c.prove(info.Nonce) != nil {
		return nil
	}
	return c
}

// inProcess is a RoundTripper that serves requests with a handler directly.
type inProcess struct{ h http.Handler }

func (t inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// prove asks the listener at c.base for the proof of holding c.token
// with nonce, sending a fresh challenge and nothing secret.
func (c *client) prove(nonce string) error {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	challenge := hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+admin.Prefix+"/proof?challenge="+challenge, nil)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	// Read to the end, so the token's requests reuse the proven connection.
	defer io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	var got struct {
		Proof string `json:"proof"`
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("proof: %s", resp.Status)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(&got); err != nil {
		return fmt.Errorf("proof: %w", err)
	}
	if !hmac.Equal([]byte(got.Proof), []byte(admin.Proof(c.token, nonce, challenge))) {
		return errors.New("proof: the listener does not hold this folder's admin token")
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
