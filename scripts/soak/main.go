// Command soak is mockgate's load and soak test (docs/RELIABILITY.md). It
// builds and starts `mockgate serve` on loopback, creates valid, revoked,
// rate-limited (1/min), read-only and unknown keys for the four built-in
// APIs, then drives -conns keep-alive connections for -duration with a
// weighted mix of cases, each of which calls for exactly one status. Every
// second it samples the server's RSS and CPU time and the request log's
// length (admin API). It prints a summary and exits non-zero when a target
// is missed: a status the case did not call for, a transport error, RSS
// after warm-up growing more than 10 %, or the request log past its cap.
//
//	go run ./scripts/soak -duration 60s -conns 64
//
// Traffic goes to 127.0.0.1 only, and the run stops by itself.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"mockgate/backend/instance"
	"mockgate/backend/journal"
)

func main() {
	duration := flag.Duration("duration", 60*time.Second, "how long to drive the load")
	conns := flag.Int("conns", 64, "concurrent keep-alive connections (spread over the four APIs)")
	warmup := flag.Duration("warmup", 10*time.Second, "RSS is judged from this point on")
	bin := flag.String("bin", "", "mockgate binary (default: build one from this checkout)")
	logCap := flag.Int("log-cap", journal.DefaultCapacity, "the request log's cap the server runs with")
	out := flag.String("json", "", "also write the summary as JSON to this file")
	flag.Parse()
	if err := run(*duration, *conns, *warmup, *bin, *logCap, *out); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

// kase is one kind of request and the one status it calls for.
type kase struct {
	name   string
	api    int // 0 juleb, 1 journeybee, 2 jelou, 3 eudr
	weight int
	method string
	path   string
	host   string
	body   string
	header [2]string
	want   int
	// then, when set, is sent after a `want` answer, with the id of the
	// record it created, and must answer thenWant (create, then delete:
	// the data set stays the same size).
	then     string
	thenWant int
	// limited marks the 1/min key: one 200 per key per minute is allowed.
	limited *limitedKey
}

type limitedKey struct {
	start time.Time
	ok    atomic.Int64
}

// allow says whether one more 200 fits the key's 1/min budget.
func (l *limitedKey) allow() bool {
	budget := 1 + int64(time.Since(l.start)/time.Minute)
	return l.ok.Add(1) <= budget
}

// tally counts one case's answers.
type tally struct {
	total, expected atomic.Int64
	unexpected      sync.Map // status → *atomic.Int64 (0: transport error)
	sample          atomic.Pointer[string]
}

func (t *tally) miss(status int, detail string) {
	v, _ := t.unexpected.LoadOrStore(status, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
	t.sample.CompareAndSwap(nil, &detail)
}

// Summary is what the run measured.
type Summary struct {
	Duration      string         `json:"duration"`
	Conns         int            `json:"conns"`
	Requests      int64          `json:"requests"`
	RPS           float64        `json:"rps"`
	Unexpected    int64          `json:"unexpected"`
	Cases         []CaseSummary  `json:"cases"`
	ServerCPUUs   float64        `json:"serverCpuMicrosPerRequest"`
	RSSMB         RSSSummary     `json:"rssMB"`
	LogLen        LogSummary     `json:"requestLog"`
	StoreBytes    [2]int64       `json:"storeBytesStartEnd"`
	Targets       map[string]any `json:"targets"`
	LatencyP50Ms  float64        `json:"latencyP50Ms"`
	LatencyP99Ms  float64        `json:"latencyP99Ms"`
	LatencyMaxMs  float64        `json:"latencyMaxMs"`
	ServerVersion string         `json:"server"`
}

// CaseSummary is one case's line.
type CaseSummary struct {
	Name       string         `json:"name"`
	Want       string         `json:"want"`
	Total      int64          `json:"total"`
	Expected   int64          `json:"expected"`
	Unexpected map[string]int `json:"unexpected,omitempty"`
	Sample     string         `json:"sample,omitempty"`
}

// RSSSummary is the server's resident memory.
type RSSSummary struct {
	Start, AfterWarmup, End, Max, GrowthPct float64
	FirstWindow, LastWindow                 float64
}

// LogSummary is the request log's length as the admin API reports it.
type LogSummary struct {
	Cap, Max, End int
}

func run(duration time.Duration, conns int, warmup time.Duration, bin string, logCap int, out string) error {
	if duration <= warmup {
		return fmt.Errorf("-duration %v must be longer than -warmup %v", duration, warmup)
	}
	tmp, err := os.MkdirTemp("", "mockgate-soak")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if bin == "" {
		bin = filepath.Join(tmp, "mockgate")
		fmt.Println("soak: building mockgate (headless)")
		cmd := exec.Command("go", "build", "-o", bin, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if b, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, b)
		}
	}
	data := filepath.Join(tmp, "data")
	base, err := instance.FreePortBase(4)
	if err != nil {
		return err
	}
	srv := exec.Command(bin, "serve", "--data", data, "--port-base", strconv.Itoa(base))
	srv.Env = append(os.Environ(), "DISPLAY=", "WAYLAND_DISPLAY=")
	var srvOut bytes.Buffer
	srv.Stdout, srv.Stderr = &srvOut, io.Discard
	if err := srv.Start(); err != nil {
		return err
	}
	defer func() { srv.Process.Signal(syscall.SIGTERM); srv.Wait() }()
	adminURL := fmt.Sprintf("http://127.0.0.1:%d", base)
	if err := waitUp(adminURL + "/_admin/api/health"); err != nil {
		return fmt.Errorf("%w\n%s", err, srvOut.String())
	}
	tok, err := os.ReadFile(filepath.Join(data, instance.TokenFile))
	if err != nil {
		return err
	}
	adm := &adminClient{base: adminURL, token: strings.TrimSpace(string(tok)), hc: &http.Client{Timeout: 10 * time.Second}}
	cases, err := buildCases(adm, base)
	if err != nil {
		return err
	}
	storeStart := fileSize(filepath.Join(data, "mockgate.db"))
	fmt.Printf("soak: %d connections for %v against pid %d on 127.0.0.1:%d-%d, %d cases\n", conns, duration, srv.Process.Pid, base, base+4, len(cases))

	tallies := make([]*tally, len(cases))
	for i := range tallies {
		tallies[i] = &tally{}
	}
	byAPI := make([][]int, 4) // case indexes per API, repeated by weight
	for i, c := range cases {
		for range c.weight {
			byAPI[c.api] = append(byAPI[c.api], i)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	lat := newHistogram()
	var wg sync.WaitGroup
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// One connection per worker, to one API.
			hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 1, MaxConnsPerHost: 1}}
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			pool := byAPI[w%4]
			for ctx.Err() == nil {
				i := pool[rng.IntN(len(pool))]
				drive(ctx, hc, base, cases[i], tallies[i], lat)
			}
		}()
	}
	samples, logs, cpu0, cpu1 := sample(ctx, srv.Process.Pid, adm)
	wg.Wait()
	return report(duration, conns, warmup, logCap, cases, tallies, lat, samples, logs, cpu1-cpu0, storeStart, fileSize(filepath.Join(data, "mockgate.db")), out)
}

// drive sends one case (and its follow-up) and tallies the answer.
func drive(ctx context.Context, hc *http.Client, base int, c *kase, t *tally, lat *histogram) {
	t0 := time.Now()
	st, body, err := send(ctx, hc, base, c, c.method, c.path, c.body)
	if ctx.Err() != nil {
		return // the run ended mid-request: not counted
	}
	lat.add(time.Since(t0))
	t.total.Add(1)
	switch {
	case err != nil:
		t.miss(0, err.Error())
		return
	case st == http.StatusOK && c.limited != nil && c.limited.allow():
		t.expected.Add(1) // the key's one request per minute
		return
	case st != c.want:
		t.miss(st, fmt.Sprintf("%s %s → %d %.200s", c.method, c.path, st, body))
		return
	}
	if c.then == "" {
		t.expected.Add(1)
		return
	}
	var rec struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(body, &rec) != nil {
		t.miss(st, "created record without an id: "+string(body))
		return
	}
	path := c.path + "/" + strings.Trim(string(rec.ID), `"`)
	st, body, err = send(ctx, hc, base, c, c.then, path, "")
	if ctx.Err() != nil {
		t.expected.Add(1)
		return
	}
	switch {
	case err != nil:
		t.miss(0, err.Error())
	case st != c.thenWant:
		t.miss(st, fmt.Sprintf("%s %s → %d %.200s", c.then, path, st, body))
	default:
		t.expected.Add(1)
	}
}

func send(ctx context.Context, hc *http.Client, base int, c *kase, method, path, body string) (int, []byte, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, fmt.Sprintf("http://127.0.0.1:%d%s", base+1+c.api, path), rd)
	if err != nil {
		return 0, nil, err
	}
	if c.host != "" {
		req.Host = c.host
	}
	if c.header[0] != "" {
		req.Header.Set(c.header[0], c.header[1])
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

type rssSample struct {
	at  time.Duration
	rss float64 // MB
}

// sample reads the server's RSS and the request log's length every second
// until ctx ends, and its CPU time at both ends.
func sample(ctx context.Context, pid int, adm *adminClient) (rss []rssSample, logs []int, cpu0, cpu1 time.Duration) {
	start := time.Now()
	cpu0 = cpuTime(pid)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		if r, err := rssMB(pid); err == nil {
			rss = append(rss, rssSample{time.Since(start), r})
		}
		if n, err := adm.logLen(); err == nil {
			logs = append(logs, n)
		}
		select {
		case <-ctx.Done():
			return rss, logs, cpu0, cpuTime(pid)
		case <-tick.C:
		}
	}
}

func rssMB(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024, err
		}
	}
	return 0, errors.New("no VmRSS")
}

// cpuTime is the process's user+system time (/proc/PID/stat, in clock
// ticks of 1/100 s, the value on Linux).
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	k, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+k) * 10 * time.Millisecond
}

func fileSize(p string) int64 {
	fi, err := os.Stat(p)
	if err != nil {
		return -1
	}
	return fi.Size()
}

func waitUp(url string) error {
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(url); err == nil {
			res.Body.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("the server did not come up in 15 s")
}

// histogram keeps latencies in 10 µs buckets up to 10 s.
type histogram struct {
	b   []atomic.Int64
	max atomic.Int64
}

func newHistogram() *histogram { return &histogram{b: make([]atomic.Int64, 1_000_001)} }

func (h *histogram) add(d time.Duration) {
	i := min(int(d/(10*time.Microsecond)), len(h.b)-1)
	h.b[i].Add(1)
	for {
		m := h.max.Load()
		if int64(d) <= m || h.max.CompareAndSwap(m, int64(d)) {
			return
		}
	}
}

func (h *histogram) quantile(q float64) time.Duration {
	var n int64
	for i := range h.b {
		n += h.b[i].Load()
	}
	target, seen := int64(q*float64(n)), int64(0)
	for i := range h.b {
		if seen += h.b[i].Load(); seen > target {
			return time.Duration(i+1) * 10 * time.Microsecond
		}
	}
	return 0
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func report(duration time.Duration, conns int, warmup time.Duration, logCap int, cases []*kase, tallies []*tally, lat *histogram,
	rss []rssSample, logs []int, cpu time.Duration, storeStart, storeEnd int64, out string) error {
	s := Summary{Duration: duration.String(), Conns: conns, StoreBytes: [2]int64{storeStart, storeEnd}}
	for i, c := range cases {
		t := tallies[i]
		want := strconv.Itoa(c.want)
		if c.then != "" {
			want += " then " + strconv.Itoa(c.thenWant)
		}
		if c.limited != nil {
			want += " (200 once a minute)"
		}
		cs := CaseSummary{Name: c.name, Want: want, Total: t.total.Load(), Expected: t.expected.Load()}
		t.unexpected.Range(func(k, v any) bool {
			if cs.Unexpected == nil {
				cs.Unexpected = map[string]int{}
			}
			name := strconv.Itoa(k.(int))
			if k.(int) == 0 {
				name = "transport error"
			}
			cs.Unexpected[name] = int(v.(*atomic.Int64).Load())
			s.Unexpected += v.(*atomic.Int64).Load()
			return true
		})
		if p := t.sample.Load(); p != nil {
			cs.Sample = *p
		}
		s.Requests += cs.Total
		s.Cases = append(s.Cases, cs)
	}
	s.RPS = float64(s.Requests) / duration.Seconds()
	if s.Requests > 0 {
		s.ServerCPUUs = float64(cpu.Microseconds()) / float64(s.Requests)
	}
	s.LatencyP50Ms = float64(lat.quantile(0.5).Microseconds()) / 1000
	s.LatencyP99Ms = float64(lat.quantile(0.99).Microseconds()) / 1000
	s.LatencyMaxMs = float64(time.Duration(lat.max.Load()).Microseconds()) / 1000
	var after []float64
	for _, r := range rss {
		s.RSSMB.Max = max(s.RSSMB.Max, r.rss)
		if r.at >= warmup {
			after = append(after, r.rss)
		}
	}
	if len(rss) > 0 {
		s.RSSMB.Start, s.RSSMB.End = rss[0].rss, rss[len(rss)-1].rss
	}
	// Flat: the mean of the last 10 samples against the mean of the first
	// 10 after warm-up.
	if len(after) >= 4 {
		w := min(10, len(after)/2)
		s.RSSMB.AfterWarmup = after[0]
		s.RSSMB.FirstWindow, s.RSSMB.LastWindow = mean(after[:w]), mean(after[len(after)-w:])
		s.RSSMB.GrowthPct = 100 * (s.RSSMB.LastWindow - s.RSSMB.FirstWindow) / s.RSSMB.FirstWindow
	}
	s.LogLen.Cap = logCap
	if len(logs) > 0 {
		s.LogLen.Max, s.LogLen.End = slices.Max(logs), logs[len(logs)-1]
	}
	s.Targets = map[string]any{
		"no unexpected status":         s.Unexpected == 0,
		"RSS flat after warm-up (10%)": len(after) >= 4 && s.RSSMB.GrowthPct <= 10,
		"request log at its cap":       s.LogLen.Max <= logCap && s.LogLen.End == logCap,
	}

	fmt.Printf("\n%-44s %-22s %10s %10s  %s\n", "case", "wants", "requests", "as wanted", "other")
	for _, c := range s.Cases {
		other := ""
		for k, v := range c.Unexpected {
			other += fmt.Sprintf("%s×%d ", k, v)
		}
		fmt.Printf("%-44s %-22s %10d %10d  %s\n", c.Name, c.Want, c.Total, c.Expected, other)
		if c.Sample != "" {
			fmt.Printf("    e.g. %s\n", c.Sample)
		}
	}
	fmt.Printf("\nrequests %d in %v: %.0f req/s over %d connections; latency p50 %.2f ms, p99 %.2f ms, max %.1f ms\n",
		s.Requests, duration, s.RPS, conns, s.LatencyP50Ms, s.LatencyP99Ms, s.LatencyMaxMs)
	fmt.Printf("server CPU %.1f µs/request\n", s.ServerCPUUs)
	fmt.Printf("server RSS MB: start %.1f, at warm-up end %.1f, max %.1f, end %.1f; first 10 s after warm-up %.1f, last 10 s %.1f: %+.1f%%\n",
		s.RSSMB.Start, s.RSSMB.AfterWarmup, s.RSSMB.Max, s.RSSMB.End, s.RSSMB.FirstWindow, s.RSSMB.LastWindow, s.RSSMB.GrowthPct)
	fmt.Printf("request log: cap %d, max seen %d, at end %d\n", s.LogLen.Cap, s.LogLen.Max, s.LogLen.End)
	fmt.Printf("store file: %d bytes at start, %d at end\n", storeStart, storeEnd)
	failed := 0
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range s.Targets {
			if !yield(k) {
				return
			}
		}
	}) {
		ok := s.Targets[name].(bool)
		mark := "met"
		if !ok {
			mark, failed = "MISSED", failed+1
		}
		fmt.Printf("target %-30s %s\n", name, mark)
	}
	if out != "" {
		b, _ := json.MarshalIndent(s, "", "  ")
		if err := os.WriteFile(out, b, 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("soak: %d passed, %d failed\n", len(s.Targets)-failed, failed)
	if failed > 0 {
		return fmt.Errorf("%d target(s) missed", failed)
	}
	return nil
}
