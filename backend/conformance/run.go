package conformance

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"mockgate/backend/profile"
)

// Doer sends HTTP requests (*http.Client).
type Doer interface {
	Do(req *http.Request) (*http.Response, error)
}

// Target is the server a run sends its cases to.
type Target struct {
	// Base is prefixed to every case's path: the server's origin, and the
	// path it is mounted at if any ("http://127.0.0.1:7702"). A base URL
	// ending in the profile's base path is understood too
	// ("http://127.0.0.1:7702/v1"): the base path is taken off.
	Base string
	// Keys are the raw keys by role (Roles); a case whose role has none
	// is skipped.
	Keys map[string]string
	// Fresh says the keys were made for this run: the rate-limit case
	// then also wants every request of the window let through. Against a
	// server whose keys may have been used this minute, a refusal within
	// the window is allowed; the request after it must be refused.
	Fresh bool
	// HTTP sends the requests; nil uses NewClient.
	HTTP Doer
}

// Outcomes of a case.
const (
	Passed  = "passed"
	Failed  = "failed"
	Skipped = "skipped"
)

// Result is one case's outcome.
type Result struct {
	Case
	Outcome string `json:"outcome"`
	// Problems say, for a failed case, what was expected and what came
	// back; Skip says why a case did not run.
	Problems []string `json:"problems,omitempty"`
	Skip     string   `json:"skip,omitempty"`
	// Got is the answer's status (0 when none came).
	Got     int     `json:"got,omitempty"`
	Seconds float64 `json:"seconds"`
}

// Suite is a run of one API's cases.
type Suite struct {
	API     string   `json:"api"`
	Name    string   `json:"name"`
	Target  string   `json:"target"`
	Passed  int      `json:"passed"`
	Failed  int      `json:"failed"`
	Skipped int      `json:"skipped"`
	Seconds float64  `json:"seconds"`
	Results []Result `json:"results"`
}

// Run sends p's cases to t, one after the other, and checks each answer.
func Run(ctx context.Context, p *profile.Profile, cases []Case, t Target) Suite {
	start := time.Now()
	if t.HTTP == nil {
		t.HTTP = NewClient()
	}
	t.Base = strings.TrimSuffix(strings.TrimSuffix(t.Base, "/"), p.BasePath)
	s := Suite{API: p.ID, Name: p.Name, Target: t.Base}
	for _, c := range cases {
		r := t.run(ctx, p, c)
		switch r.Outcome {
		case Passed:
			s.Passed++
		case Failed:
			s.Failed++
		default:
			s.Skipped++
		}
		s.Results = append(s.Results, r)
	}
	s.Seconds = time.Since(start).Seconds()
	return s
}

func (t Target) run(ctx context.Context, p *profile.Profile, c Case) Result {
	start := time.Now()
	res := Result{Case: c}
	defer func() { res.Seconds = time.Since(start).Seconds() }()
	raw := c.Request.Key
	if role := c.Request.Role; role != "" {
		raw = t.Keys[role]
		if raw == "" {
			res.Outcome, res.Skip = Skipped, "no key for the role "+role+" (--key "+role+"=KEY)"
			return res
		}
	}
	if n := c.Request.Repeat; n > 0 {
		res.Problems = append(res.Problems, t.window(ctx, p, c.Request, raw, n)...)
	}
	got, err := t.send(ctx, p, c.Request, raw)
	if err != nil {
		res.Outcome, res.Problems = Failed, append(res.Problems, fmt.Sprintf("expected %s, got no answer: %v", c.Expect.Summary(), err))
		return res
	}
	res.Got = got.Status
	res.Problems = append(res.Problems, Check(&p.Errors, c.Expect, got)...)
	res.Outcome = Passed
	if len(res.Problems) > 0 {
		res.Outcome = Failed
	}
	return res
}

// window sends the n requests a rate-limit window allows, four at a time
// (order does not matter: the window counts them), and says what is wrong
// with their answers.
func (t Target) window(ctx context.Context, p *profile.Profile, r Request, raw string, n int) []string {
	var mu sync.Mutex
	statuses := map[int]int{}
	var failures []string
	next := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range next {
				got, err := t.send(ctx, p, r, raw)
				mu.Lock()
				if err != nil {
					failures = append(failures, err.Error())
				} else {
					statuses[got.Status]++
				}
				mu.Unlock()
			}
		}()
	}
	for range n {
		next <- struct{}{}
	}
	close(next)
	wg.Wait()
	var problems []string
	if len(failures) > 0 {
		problems = append(problems, fmt.Sprintf("window: %d of %d requests got no answer: %s", len(failures), n, failures[0]))
	}
	var others []string
	for st, k := range statuses {
		ok := st >= 200 && st < 300 || !t.Fresh && st == http.StatusTooManyRequests
		if !ok {
			others = append(others, fmt.Sprintf("%d × %d", k, st))
		}
	}
	if len(others) > 0 {
		sort.Strings(others)
		want := "2xx"
		if !t.Fresh {
			want = "2xx or 429"
		}
		problems = append(problems, fmt.Sprintf("window: expected its %d requests answered %s, got %s", n, want, strings.Join(others, ", ")))
	}
	return problems
}

// send sends r, presenting raw ("" for none), and reads the answer.
func (t Target) send(ctx context.Context, p *profile.Profile, r Request, raw string) (Response, error) {
	var body io.Reader
	if b := r.body(); b != "" {
		body = strings.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, t.Base+r.Path, body)
	if err != nil {
		return Response{}, err
	}
	if raw != "" {
		for _, h := range r.presented(p, raw) {
			req.Header.Set(h[0], h[1])
		}
	}
	if r.ContentType != "" {
		req.Header.Set("Content-Type", r.ContentType)
	}
	req.Header.Set("User-Agent", "mockgate-conformance")
	res, err := t.HTTP.Do(req)
	if err != nil {
		return Response{}, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return Response{}, fmt.Errorf("reading the answer: %w", err)
	}
	return Response{Status: res.StatusCode, Header: res.Header, Body: data}, nil
}
