package mockapi

import (
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"mockgate/backend/journal"
	"mockgate/backend/profile"
)

// The verdicts judge the client, not the mock: a request is marked when
// the client ignored what an earlier answer told it (journal.Verdicts). A
// caller is its key's id, or for a key the API does not know, the hash
// of the credential it sent (the raw key is never kept).

// maxCallers bounds what the judge remembers: past it, it forgets
// everything and starts again (a flood of made-up keys must not grow
// memory without end).
const maxCallers = 10_000

// judge remembers, per caller, what the API told it.
type judge struct {
	active atomic.Bool // anything remembered: the common request skips the lock
	mu     sync.Mutex
	// notBefore is when a caller's last 429 said to come back.
	notBefore map[string]time.Time
	// authFails counts a caller's revoked, expired or invalid answers in a
	// row.
	authFails map[string]int
	// toldPageSize: a 400 told the caller the page size maximum.
	toldPageSize map[string]bool
}

// caller names who sent c, "" when nobody can be told apart.
func caller(c *call) string {
	if c.key != nil {
		return c.key.Key.ID
	}
	if c.cred != ([32]byte{}) {
		return "sha256:" + hex.EncodeToString(c.cred[:8])
	}
	return ""
}

// judge returns the verdict c earned (if any), traces it, and remembers
// what its answer told the caller. now is the request's time on the mock's
// clock.
func (j *judge) judge(c *call, now time.Time) string {
	who := caller(c)
	if who == "" {
		return ""
	}
	authFail := c.kind == profile.KindRevokedKey || c.kind == profile.KindExpiredKey || c.kind == profile.KindInvalidKey
	limited := c.status == 429
	if !j.active.Load() && !authFail && !limited && !c.badPageSize {
		return "" // the common case: nothing to judge, nothing to remember
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.notBefore == nil || len(j.notBefore)+len(j.authFails)+len(j.toldPageSize) > maxCallers {
		j.notBefore, j.authFails, j.toldPageSize = map[string]time.Time{}, map[string]int{}, map[string]bool{}
	}
	verdict := ""
	if t, ok := j.notBefore[who]; ok {
		if now.Before(t) {
			verdict = journal.VerdictRetryTooEarly
			c.tracef("verdict: %s: sent %s before the Retry-After of the last 429 had passed", verdict, t.Sub(now).Round(time.Millisecond))
		} else {
			delete(j.notBefore, who)
		}
	}
	// A 429 the request asked for itself (Prefer: code=429) tells the
	// client nothing; one from the limiter or a queued fault does.
	if limited && !strings.HasPrefix(c.injected, "Prefer") {
		if s, err := strconv.Atoi(c.w.Header().Get("Retry-After")); err == nil && s > 0 {
			j.notBefore[who] = now.Add(time.Duration(s) * time.Second)
		}
	}
	if authFail {
		j.authFails[who]++
		if n := j.authFails[who]; n >= 3 && verdict == "" {
			verdict = journal.VerdictIgnoredAuthFailure
			c.tracef("verdict: %s: request %d in a row with a key the API answered %s", verdict, n, c.kind)
		}
	} else if c.status < 400 {
		delete(j.authFails, who)
	}
	if c.badPageSize {
		if j.toldPageSize[who] && verdict == "" {
			verdict = journal.VerdictRepeatedBadRequest
			c.step("verdict: " + verdict + ": the page size again over what a 400 said is allowed")
		}
		j.toldPageSize[who] = true
	}
	j.active.Store(len(j.notBefore)+len(j.authFails)+len(j.toldPageSize) > 0)
	return verdict
}
