package conformance

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteText writes the suites for people: a line per case, the
// differences under each failure, a total per API.
func WriteText(w io.Writer, suites []Suite) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for i, s := range suites {
		if i > 0 {
			fmt.Fprintln(tw)
		}
		fmt.Fprintf(tw, "%s (%s) at %s\n", s.API, s.Name, s.Target)
		for _, r := range s.Results {
			switch r.Outcome {
			case Passed:
				fmt.Fprintf(tw, "  PASS\t%s\t%s\n", r.ID, r.Expect.Summary())
			case Skipped:
				fmt.Fprintf(tw, "  SKIP\t%s\t%s\n", r.ID, r.Skip)
			default:
				fmt.Fprintf(tw, "  FAIL\t%s\texpected %s; got %s\n", r.ID, r.Expect.Summary(), gotText(r.Got))
				for _, p := range r.Problems {
					fmt.Fprintf(tw, "  \t\t  %s\n", p)
				}
			}
		}
		fmt.Fprintf(tw, "  %d cases: %d passed, %d failed, %d skipped in %.2f s\n", len(s.Results), s.Passed, s.Failed, s.Skipped, s.Seconds)
	}
	return tw.Flush()
}

func gotText(status int) string {
	if status == 0 {
		return "no answer"
	}
	return strconv.Itoa(status)
}

// Totals adds up the suites' outcomes.
func Totals(suites []Suite) (passed, failed, skipped int) {
	for _, s := range suites {
		passed, failed, skipped = passed+s.Passed, failed+s.Failed, skipped+s.Skipped
	}
	return passed, failed, skipped
}

// NewClient is the HTTP client a run uses: a timeout per request, no
// redirects followed (a redirect is an answer to check), no proxy, and
// names under .localhost dialled on loopback as RFC 6761 says (and curl
// does), so a tenant's subdomain (demo.localhost) reaches a local server.
func NewClient() *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			Proxy: nil,
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				if host, port, err := net.SplitHostPort(addr); err == nil {
					if h := strings.ToLower(strings.TrimSuffix(host, ".")); h == "localhost" || strings.HasSuffix(h, ".localhost") {
						addr = net.JoinHostPort("127.0.0.1", port)
					}
				}
				return dialer.DialContext(ctx, network, addr)
			},
			MaxIdleConnsPerHost: 8,
			IdleConnTimeout:     30 * time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
