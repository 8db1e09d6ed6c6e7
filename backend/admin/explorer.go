package admin

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"mockgate/backend/profile"
)

// The Explorer screen sends its requests through the admin API instead of
// calling the mock APIs from the page: the web UI is served from the admin
// origin and the mocks are other origins with CORS off by default, and the
// desktop webview would need CORS too. Proxying keeps one path for both
// shells and leaves the mocks' CORS settings to the user.
//
// The proxy only ever calls this instance's own mock APIs: the target is the
// origin of the API named by id, and the request can choose only the
// method, the path under that origin, the query, headers and a body. The
// call is a real HTTP request to the API's port, so the request log records
// it like any other.

// ExplorerRequest is one request the Explorer sends to a mock API.
type ExplorerRequest struct {
	// API is the id of the mock API to call.
	API string `json:"api"`
	// Method is an HTTP method (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS).
	Method string `json:"method"`
	// Path is the path on the API's origin, starting with "/"
	// ("/v1/users/1"), without query or fragment.
	Path string `json:"path"`
	// Query is the raw query string, without "?".
	Query string `json:"query,omitempty"`
	// Headers are sent as given (one value each); Host and the hop-by-hop
	// headers are refused.
	Headers map[string]string `json:"headers,omitempty"`
	// Body is sent as is when not empty.
	Body string `json:"body,omitempty"`
	// Tenant, for an API whose tenant is the subdomain (juleb), is sent as
	// the Host's first label (demo.localhost:PORT); empty means none.
	Tenant string `json:"tenant,omitempty"`
	// DemoKey, when set, sends the request with one of the Explorer's
	// throwaway keys (see DemoKey) in the API's key header, whatever
	// Headers say about it.
	DemoKey *DemoKey `json:"demoKey,omitempty"`
}

// ExplorerResponse is the mock API's answer.
type ExplorerResponse struct {
	Status     int                 `json:"status"`
	StatusText string              `json:"statusText"`
	Headers    map[string][]string `json:"headers"`
	Body       string              `json:"body"`
	// BodyTruncated reports that the body was cut to MaxExplorerResponse bytes.
	BodyTruncated bool `json:"bodyTruncated,omitempty"`
	// TimeMs is from sending the request to the end of the body.
	TimeMs float64 `json:"timeMs"`
	// URL is the address called, as a client would write it (the tenant's
	// subdomain in the host for subdomain tenancy).
	URL string `json:"url"`
	// DemoKey is the throwaway key the request was sent with, when it asked
	// for one.
	DemoKey *KeyView `json:"demoKey,omitempty"`
}

// Explorer limits.
const (
	// MaxExplorerRequest bounds the admin request (a mock API refuses bodies
	// over 1 MiB itself; JSON escaping can double a body).
	MaxExplorerRequest = 4 << 20
	// MaxExplorerResponse bounds the body kept from the mock API's answer.
	MaxExplorerResponse = 1 << 20
	// ExplorerTimeout covers the largest injected latency (60 s) and more.
	ExplorerTimeout    = 75 * time.Second
	maxExplorerHeaders = 64
)

var explorerMethods = map[string]bool{
	http.MethodGet: true, http.MethodPost: true, http.MethodPut: true, http.MethodPatch: true,
	http.MethodDelete: true, http.MethodHead: true, http.MethodOptions: true,
}

// Headers the client sets itself or that would change the connection.
var explorerRefusedHeaders = map[string]bool{
	"Host": true, "Content-Length": true, "Transfer-Encoding": true, "Connection": true,
	"Keep-Alive": true, "Upgrade": true, "Proxy-Connection": true, "Te": true, "Trailer": true,
	"Proxy-Authorization": true, "Expect": true,
}

// explorerClient goes straight to loopback: no proxy from the environment,
// no redirects followed (the Explorer shows a 3xx as it is), no cookies.
var explorerClient = &http.Client{
	Transport: &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 4,
		IdleConnTimeout:     30 * time.Second,
		DisableCompression:  true,
	},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout:       ExplorerTimeout,
}

func (s *Server) explorerSend(w http.ResponseWriter, r *http.Request) error {
	var req ExplorerRequest
	if err := decode(r, &req, MaxExplorerRequest); err != nil {
		return err
	}
	a, err := s.apiByID(req.API)
	if err != nil {
		return badRequest("api: no API %s", quote(req.API))
	}
	if a.Port == 0 {
		return &Error{Status: http.StatusConflict, Code: "not_running", Message: "API " + quote(req.API) + " is not listening"}
	}
	out, shown, err := buildExplorerRequest(r.Context(), a, req)
	if err != nil {
		return badRequest("%v", err)
	}
	var demo *KeyView
	if req.DemoKey != nil {
		k, raw, err := s.demo.key(s, a, *req.DemoKey)
		if err != nil {
			return err
		}
		p := a.Engine.Profile()
		header, scheme := p.Auth.Header, p.Auth.Scheme
		for _, s := range p.Auth.Schemes { // the first scheme read from a header
			if s.Header != "" && !strings.EqualFold(s.Scheme, profile.SchemeBasic) {
				header, scheme = s.Header, s.Scheme
				break
			}
		}
		if header != "" {
			out.Header.Set(header, strings.TrimSpace(scheme+" "+raw))
		}
		v := s.view(k)
		demo = &v
	}
	res, err := callExplorer(out)
	if err != nil {
		// The mock answers every request it gets; a failure here is a
		// connection problem worth the log, shown to the user as a 502.
		s.d.Logger.Warn("explorer: call failed", "api", req.API, "err", err)
		return &Error{Status: http.StatusBadGateway, Code: "upstream_failed", Message: "the " + req.API + " API did not answer: " + err.Error()}
	}
	res.URL, res.DemoKey = shown, demo
	writeJSON(w, http.StatusOK, res)
	return nil
}

// buildExplorerRequest checks req and builds the call to a's origin. shown
// is the URL as a client would write it (with the tenant's host).
func buildExplorerRequest(ctx context.Context, a *API, req ExplorerRequest) (out *http.Request, shown string, err error) {
	method := strings.ToUpper(strings.TrimSpace(req.Method))
	if method == "" {
		method = http.MethodGet
	}
	if !explorerMethods[method] {
		return nil, "", fmt.Errorf("method: %q is not one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS", req.Method)
	}
	if !strings.HasPrefix(req.Path, "/") || strings.HasPrefix(req.Path, "//") || strings.ContainsAny(req.Path, "?#\\") || hasControl(req.Path) {
		return nil, "", fmt.Errorf("path: %q must start with a single \"/\" and hold no query, fragment, backslash or control character", req.Path)
	}
	if hasControl(req.Query) || strings.Contains(req.Query, "#") {
		return nil, "", fmt.Errorf("query: must hold no fragment or control character")
	}
	target, err := url.Parse(a.Origin())
	if err != nil {
		return nil, "", fmt.Errorf("api: bad origin %q: %w", a.Origin(), err)
	}
	// Percent-encoding in the path is kept as the user typed it: the mock
	// must see exactly what a client would send.
	unescaped, err := url.PathUnescape(req.Path)
	if err != nil {
		return nil, "", fmt.Errorf("path: %v", err)
	}
	target.Path, target.RawPath = unescaped, req.Path
	target.RawQuery = strings.TrimPrefix(req.Query, "?")

	host := target.Host
	display := *target
	if req.Tenant != "" {
		if a.Engine.Profile().Tenancy.Kind != profile.TenancySubdomain {
			return nil, "", fmt.Errorf("tenant: API %s does not take its tenant from the Host (send it in the path or not at all)", a.Engine.Profile().ID)
		}
		if !dnsLabel(req.Tenant) {
			return nil, "", fmt.Errorf("tenant: %q is not a host name label (letters, digits and '-')", req.Tenant)
		}
		host = strings.ToLower(req.Tenant) + ".localhost:" + strconv.Itoa(a.Port)
		display.Host = host
	}

	var body io.Reader = http.NoBody
	if req.Body != "" {
		body = strings.NewReader(req.Body)
	}
	out, err = http.NewRequestWithContext(ctx, method, target.String(), body)
	if err != nil {
		return nil, "", fmt.Errorf("request: %v", err)
	}
	out.Host = host
	if len(req.Headers) > maxExplorerHeaders {
		return nil, "", fmt.Errorf("headers: at most %d", maxExplorerHeaders)
	}
	// Go's client would add its own User-Agent; say who is calling.
	out.Header.Set("User-Agent", "mockgate-explorer")
	for name, value := range req.Headers {
		canon := http.CanonicalHeaderKey(strings.TrimSpace(name))
		if canon == "" || !validHeaderName(canon) {
			return nil, "", fmt.Errorf("headers: %q is not a valid header name", name)
		}
		if explorerRefusedHeaders[canon] {
			return nil, "", fmt.Errorf("headers: %s is set by mockgate, not by the request", canon)
		}
		if hasControl(value) {
			return nil, "", fmt.Errorf("headers: the value of %s holds a control character", canon)
		}
		out.Header.Set(canon, value)
	}
	return out, display.String(), nil
}

// callExplorer sends the request and reads at most MaxExplorerResponse bytes
// of the answer.
func callExplorer(req *http.Request) (*ExplorerResponse, error) {
	start := time.Now()
	res, err := explorerClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(res.Body, MaxExplorerResponse+1))
	if err != nil {
		return nil, fmt.Errorf("reading the answer: %w", err)
	}
	elapsed := time.Since(start)
	out := &ExplorerResponse{
		Status:     res.StatusCode,
		StatusText: http.StatusText(res.StatusCode),
		Headers:    map[string][]string(res.Header.Clone()),
		TimeMs:     float64(elapsed.Microseconds()) / 1000,
	}
	if out.Headers == nil {
		out.Headers = map[string][]string{}
	}
	if n > MaxExplorerResponse {
		buf.Truncate(MaxExplorerResponse)
		out.BodyTruncated = true
	}
	out.Body = buf.String()
	return out, nil
}

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			return true
		}
	}
	return false
}

func dnsLabel(s string) bool {
	if s == "" || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// validHeaderName reports whether name is an RFC 9110 token.
func validHeaderName(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return name != ""
}
