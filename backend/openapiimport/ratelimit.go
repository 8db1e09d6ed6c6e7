package openapiimport

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"mockgate/backend/profile"
)

// rateLimit takes the names of the rate-limit headers where the
// document's responses name them (X-RateLimit-Limit, RateLimit-Remaining,
// x-rate-limit-reset...: a name about a rate limit, ending in limit,
// remaining or reset); the engine then sends those names. A name starting
// with X- keeps the x-ratelimit convention's reset (the Unix time the
// window ends), any other the seconds left, as RateLimit-Reset does.
func (im *importer) rateLimit() {
	found := map[string]string{}
	for _, o := range im.ops {
		if o.op.Responses == nil {
			continue
		}
		for _, code := range slices.Sorted(maps.Keys(o.op.Responses.Map())) {
			ref := o.op.Responses.Value(code)
			if ref == nil || ref.Value == nil {
				continue
			}
			for _, name := range slices.Sorted(maps.Keys(ref.Value.Headers)) {
				if role := rateRole(name); role != "" && found[role] == "" {
					found[role] = name
				}
			}
		}
	}
	rl := &im.p.RateLimit
	if len(found) == 0 {
		im.sum.RateLimit = fmt.Sprintf("%d requests per minute per key; the document names no rate-limit headers: %s", rl.PerMinute, conventionNames(rl.Headers))
		return
	}
	stem := ""
	for _, role := range []string{"remaining", "reset", "limit"} {
		if n := found[role]; n != "" {
			stem = n[:len(n)-len(role)]
			if role == "limit" && !strings.HasSuffix(squash(stem), "ratelimit") {
				stem = n + "-" // X-Rate-Limit names the limit itself
			}
			break
		}
	}
	names := &profile.RateLimitHeaderNames{Limit: found["limit"], Remaining: found["remaining"], Reset: found["reset"]}
	for _, f := range []struct {
		v    *string
		word string
	}{{&names.Limit, "Limit"}, {&names.Remaining, "Remaining"}, {&names.Reset, "Reset"}} {
		if *f.v == "" {
			*f.v = stem + f.word
			im.gap("rate-limit headers", "the document names no %s header: the mock sends %s", strings.ToLower(f.word), *f.v)
		}
	}
	rl.HeaderNames = names
	if strings.HasPrefix(strings.ToLower(names.Reset), "x-") {
		rl.Headers = profile.HeadersXRateLimit
	}
	reset := "the seconds left in the window"
	if rl.Headers == profile.HeadersXRateLimit {
		reset = "the Unix time the window ends"
	}
	im.sum.RateLimit = fmt.Sprintf("%d requests per minute per key; headers %s, %s and %s (the document's names; %s holds %s)",
		rl.PerMinute, names.Limit, names.Remaining, names.Reset, names.Reset, reset)
}

// rateRole says which rate-limit header a name is ("limit", "remaining",
// "reset"), or "".
func rateRole(name string) string {
	n := squash(name)
	if !strings.Contains(n, "ratelimit") {
		return ""
	}
	for _, role := range []string{"remaining", "reset", "limit"} {
		if strings.HasSuffix(n, role) {
			return role
		}
	}
	return ""
}

// squash lower-cases a header name and drops its '-' and '_'.
func squash(name string) string {
	return strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(name))
}

func conventionNames(headers string) string {
	prefix := "RateLimit-"
	if headers == profile.HeadersXRateLimit {
		prefix = "X-RateLimit-"
	}
	return "mockgate's convention, " + prefix + "Limit, " + prefix + "Remaining and " + prefix + "Reset"
}
