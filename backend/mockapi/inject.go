package mockapi

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"mockgate/backend/keys"
	"mockgate/backend/profile"
	"mockgate/backend/ratelimit"
)

// Failures on demand, in the order inject applies them: the random
// settings (latency, error rate, throttle rate), then the queue of faults
// the admin API added, then the request's own Prefer header. An injected
// answer is the one the API itself would give for that status: its
// envelope, its error code, Retry-After and the rate-limit headers on a
// 429. The request log names the rule that made it (call.injected).

// inject applies the fault settings, the fault queue and Prefer; ok is
// false when it answered (or the client left during an added latency).
func (e *Engine) inject(c *call) (ok bool) {
	s := e.settings.Load()
	if s.LatencyMs > 0 {
		if err := sleep(c.r.Context(), s.LatencyMs); err != nil {
			return false // client gone
		}
		c.tracef("fault: added %d ms of latency", s.LatencyMs)
	}
	if s.ErrorRate > 0 || s.ThrottleRate > 0 {
		x := rand.Float64()
		if x < s.ErrorRate+s.ThrottleRate {
			c.key = e.presentedKey(c) // for the request log only
		}
		switch {
		case x < s.ErrorRate:
			c.tracef("fault: injected 500 (error rate %g)", s.ErrorRate)
			c.injected = fmt.Sprintf("error rate %g", s.ErrorRate)
			e.fail(c, profile.KindInternal, "injected fault")
			return false
		case x < s.ErrorRate+s.ThrottleRate:
			c.tracef("fault: injected 429 (throttle rate %g)", s.ThrottleRate)
			c.injected = fmt.Sprintf("throttle rate %g", s.ThrottleRate)
			c.w.Header().Set("Retry-After", "1")
			e.fail(c, profile.KindRateLimited, "injected fault")
			return false
		}
	}
	if e.faults.pending() {
		if f, ok := e.faults.take(c.r.Method, c.r.URL.Path, func() string { return e.presentedKeyID(c) }); ok {
			return e.applyFault(c, f)
		}
	}
	if !s.IgnorePrefer {
		if vals := c.r.Header["Prefer"]; len(vals) > 0 {
			return e.applyPrefer(c, vals)
		}
	}
	return true
}

func sleep(ctx context.Context, ms int) error {
	t := time.NewTimer(time.Duration(ms) * time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// applyPrefer acts on the Prefer header's code=NNN (a status the API
// documents) and latency=MS, as Prism's users know them; other
// preferences are ignored. ok is false when it answered.
func (e *Engine) applyPrefer(c *call, vals []string) (ok bool) {
	code, latency := 0, 0
	var ignored []string
	for _, v := range vals {
		for _, pref := range strings.Split(v, ",") {
			name, val, _ := strings.Cut(strings.TrimSpace(strings.SplitN(pref, ";", 2)[0]), "=")
			name, val = strings.ToLower(strings.TrimSpace(name)), strings.Trim(strings.TrimSpace(val), `"`)
			switch name {
			case "code":
				n, err := strconv.Atoi(val)
				if err != nil || e.kindForStatus(n) == "" {
					ignored = append(ignored, "code="+val+" (not a status "+e.p.ID+" documents: "+e.documentedStatuses()+")")
					continue
				}
				code = n
			case "latency":
				n, err := strconv.Atoi(val)
				if err != nil || n < 0 || n > MaxLatencyMs {
					ignored = append(ignored, fmt.Sprintf("latency=%s (milliseconds, 0 to %d)", val, MaxLatencyMs))
					continue
				}
				latency = n
			case "":
			default:
				ignored = append(ignored, name)
			}
		}
	}
	if len(ignored) > 0 {
		c.step("Prefer: ignored " + strings.Join(ignored, ", "))
	}
	if latency > 0 {
		if err := sleep(c.r.Context(), latency); err != nil {
			return false
		}
		c.tracef("Prefer: latency=%d: added %d ms", latency, latency)
		c.injected = fmt.Sprintf("Prefer: latency=%d", latency)
	}
	if code == 0 {
		return true
	}
	c.tracef("Prefer: code=%d: answered as %s", code, e.kindForStatus(code))
	c.injected = strings.TrimPrefix(c.injected+", code="+strconv.Itoa(code), ", ")
	if !strings.HasPrefix(c.injected, "Prefer") {
		c.injected = "Prefer: " + c.injected
	}
	return e.failStatus(c, code, "injected by Prefer: code="+strconv.Itoa(code))
}

// statusKinds is the order in which the error kinds stand for a status an
// injected answer asks for: 401 is the invalid-key answer, 403 the missing
// scope, 404 the unknown route; then every other kind.
var statusKinds = append([]string{
	profile.KindInvalidKey, profile.KindInsufficientScope, profile.KindRateLimited, profile.KindInternal,
	profile.KindRouteNotFound, profile.KindBadRequest, profile.KindMethodNotAllowed,
}, profile.Kinds...)

// kindForStatus is the error kind the API answers status with ("" when
// it documents no such answer).
func (e *Engine) kindForStatus(status int) string {
	for _, k := range statusKinds {
		if e.answers[k].status == status {
			return k
		}
	}
	return ""
}

// documentedStatuses lists the error statuses the API answers, ascending.
func (e *Engine) documentedStatuses() string {
	var out []int
	for _, a := range e.answers {
		if !slices.Contains(out, a.status) {
			out = append(out, a.status)
		}
	}
	slices.Sort(out)
	s := make([]string, len(out))
	for i, n := range out {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// failStatus answers status as the API would: the answer of its kind for
// that status, with Retry-After and the rate-limit headers on a 429; a
// status the API documents no answer for gets its error envelope with the
// status's own text. ok is always false.
func (e *Engine) failStatus(c *call, status int, detail string) (ok bool) {
	if c.key == nil {
		c.key = e.presentedKey(c) // for the request log only
	}
	kind := e.kindForStatus(status)
	if kind == profile.KindRateLimited {
		limit := e.p.RateLimit.PerMinute
		if limit <= 0 {
			limit = DefaultInjectedLimit
		}
		e.rateHeaders(c, ratelimit.Decision{Limit: limit, Reset: time.Minute})
	}
	if kind == profile.KindMethodNotAllowed {
		c.w.Header().Set("Allow", c.r.Method)
	}
	if kind != "" {
		return e.fail(c, kind, detail)
	}
	code := strings.ReplaceAll(strings.ToLower(http.StatusText(status)), " ", "_")
	if up := e.answers[profile.KindInternal].code; up != "" && up == strings.ToUpper(up) {
		code = strings.ToUpper(code)
	}
	return e.answer(c, "", answer{status: status, code: code, msg: http.StatusText(status)}, detail)
}

// DefaultInjectedLimit is the limit an injected 429 reports for an API
// without a rate limit of its own.
const DefaultInjectedLimit = 100

// applyFault answers the request as the queued fault f says. ok is false
// when it answered.
func (e *Engine) applyFault(c *call, f Fault) (ok bool) {
	what := fmt.Sprintf("fault %d (%d of %d)", f.ID, f.Count-f.Remaining, f.Count)
	c.injected = what
	if f.Status != 0 || f.ResetConnection {
		c.key = e.presentedKey(c) // for the request log only
	}
	if f.LatencyMs > 0 {
		if err := sleep(c.r.Context(), f.LatencyMs); err != nil {
			return false
		}
		c.tracef("%s: added %d ms of latency", what, f.LatencyMs)
	}
	switch {
	case f.ResetConnection:
		c.tracef("%s: connection reset, no answer", what)
		c.reset()
		return false
	case f.Status != 0:
		c.tracef("%s: answered %d", what, f.Status)
		return e.failStatus(c, f.Status, "injected fault")
	}
	return true
}

// presentedKey is the key the request presents, nil when it presents none
// this API knows. It judges nothing (revoked, expired): a fault for a key
// id matches that key's requests before authentication, and an injected
// answer names the key in the request log.
func (e *Engine) presentedKey(c *call) *keys.Entry {
	if e.keys == nil {
		return nil
	}
	places := e.schemes
	if len(places) == 0 {
		places = []keyPlace{e.place}
	}
	n := len(c.steps)
	defer func() { c.steps = c.steps[:n] }() // the real check traces it, if it runs
	for i := range places {
		raw, kind := e.credential(c, &places[i])
		if kind != "" {
			continue
		}
		if ent, ok := e.keys.Lookup(keys.Hash(raw)); ok && ent.Key.API == e.p.ID {
			return ent
		}
	}
	return nil
}

// presentedKeyID is the id of presentedKey, "" for none.
func (e *Engine) presentedKeyID(c *call) string {
	if ent := e.presentedKey(c); ent != nil {
		return ent.Key.ID
	}
	return ""
}

// FaultSpec says what a queued fault does and to which requests: the next
// matching requests (after letting After of them through) answer Status,
// wait LatencyMs, or lose their connection, exactly Count times (default
// 1). Method, Path (exact, or a pattern with * for one path segment) and
// KeyID narrow what matches.
type FaultSpec struct {
	Status          int    `json:"status,omitempty"`
	Count           int    `json:"count,omitempty"`
	Method          string `json:"method,omitempty"`
	Path            string `json:"path,omitempty"`
	KeyID           string `json:"keyId,omitempty"`
	After           int    `json:"after,omitempty"`
	LatencyMs       int    `json:"latencyMs,omitempty"`
	ResetConnection bool   `json:"resetConnection,omitempty"`
}

// Fault is a queued fault: its spec and how far it has got.
type Fault struct {
	ID int `json:"id"`
	FaultSpec
	Remaining int       `json:"remaining"`
	Skipped   int       `json:"skipped"`
	CreatedAt time.Time `json:"createdAt"`
}

// Fault limits.
const (
	MaxFaultCount = 1_000_000
	MaxFaults     = 1_000
)

// Validate checks a fault as the admin API receives it and fills Count.
func (f *FaultSpec) Validate() error {
	switch {
	case f.Status == 0 && f.LatencyMs == 0 && !f.ResetConnection:
		return fmt.Errorf("give status, latencyMs or resetConnection")
	case f.Status != 0 && (f.Status < 400 || f.Status > 599):
		return fmt.Errorf("status: %d is not an error status (400 to 599)", f.Status)
	case f.Status != 0 && f.ResetConnection:
		return fmt.Errorf("status and resetConnection exclude each other: a reset connection gets no answer")
	case f.LatencyMs < 0 || f.LatencyMs > MaxLatencyMs:
		return fmt.Errorf("latencyMs must be between 0 and %d (got %d)", MaxLatencyMs, f.LatencyMs)
	case f.Count < 0 || f.Count > MaxFaultCount:
		return fmt.Errorf("count must be between 1 and %d (got %d)", MaxFaultCount, f.Count)
	case f.After < 0 || f.After > MaxFaultCount:
		return fmt.Errorf("after must be between 0 and %d (got %d)", MaxFaultCount, f.After)
	case f.Path != "" && !strings.HasPrefix(f.Path, "/"):
		return fmt.Errorf("path: %q must start with / (the path on the API's port, such as /v1/users or /v1/users/*)", f.Path)
	}
	if _, err := path.Match(f.Path, "/"); err != nil {
		return fmt.Errorf("path: %q is not a valid pattern: %v", f.Path, err)
	}
	if f.Method != "" {
		f.Method = strings.ToUpper(f.Method)
		if !validMethod(f.Method) {
			return fmt.Errorf("method: %q is not an HTTP method", f.Method)
		}
	}
	if f.Count == 0 {
		f.Count = 1
	}
	return nil
}

// validMethod is net/http's own check of a method (a token).
func validMethod(m string) bool {
	return m != "" && !strings.ContainsFunc(m, func(r rune) bool {
		return r <= ' ' || r >= 0x7f || strings.ContainsRune("()<>@,;:\\\"/[]?={}", r)
	})
}

// faultQueue holds an API's pending faults, in the order they were added.
type faultQueue struct {
	mu     sync.Mutex
	faults []*Fault
	nextID int
	n      atomic.Int32 // len(faults): every request reads it, without the lock
}

func (q *faultQueue) pending() bool { return q.n.Load() > 0 }

// add queues spec (validated) and returns it with its id.
func (q *faultQueue) add(spec FaultSpec, now time.Time) (Fault, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.faults) >= MaxFaults {
		return Fault{}, fmt.Errorf("%d faults are pending already; clear some first", MaxFaults)
	}
	q.nextID++
	f := &Fault{ID: q.nextID, FaultSpec: spec, Remaining: spec.Count, CreatedAt: now}
	q.faults = append(q.faults, f)
	q.n.Store(int32(len(q.faults)))
	return *f, nil
}

// list returns copies of the pending faults, in order.
func (q *faultQueue) list() []Fault {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]Fault, len(q.faults))
	for i, f := range q.faults {
		out[i] = *f
	}
	return out
}

// clear drops every pending fault.
func (q *faultQueue) clear() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.faults = nil
	q.n.Store(0)
}

// take finds the fault that answers this request and counts the request
// against every matching fault still skipping: each fault counts its own
// matching requests. keyID is asked only when a fault names a key.
func (q *faultQueue) take(method, p string, keyID func() string) (Fault, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var fired *Fault
	id, asked := "", false
	for _, f := range q.faults {
		if f.Method != "" && f.Method != method {
			continue
		}
		if f.Path != "" && f.Path != p {
			if ok, _ := path.Match(f.Path, p); !ok {
				continue
			}
		}
		if f.KeyID != "" {
			if !asked {
				id, asked = keyID(), true
			}
			if id != f.KeyID {
				continue
			}
		}
		switch {
		case f.Skipped < f.After:
			f.Skipped++
		case fired == nil:
			f.Remaining--
			fired = f
		}
	}
	if fired == nil {
		return Fault{}, false
	}
	out := *fired
	if fired.Remaining == 0 {
		q.faults = slices.DeleteFunc(q.faults, func(f *Fault) bool { return f == fired })
		q.n.Store(int32(len(q.faults)))
	}
	return out, true
}

// AddFault queues a fault (see FaultSpec); its fields are checked first.
func (e *Engine) AddFault(spec FaultSpec) (Fault, error) {
	if err := spec.Validate(); err != nil {
		return Fault{}, err
	}
	return e.faults.add(spec, e.clk.Now())
}

// Faults lists the pending faults with their remaining counts.
func (e *Engine) Faults() []Fault { return e.faults.list() }

// ClearFaults drops every pending fault.
func (e *Engine) ClearFaults() { e.faults.clear() }
