#!/usr/bin/env bash
# A client's rate-limit and failure handling tested against mockgate, in
# plain shell with curl and jq: start serve on free ports, wait for its
# ready file, create a key, hit the limit, move the virtual clock instead of
# waiting a minute, force a 503, and load a saved state.
#
#   MOCKGATE_BIN=build/bin/mockgate-headless examples/shell/mockgate-test.sh
set -euo pipefail

bin=${MOCKGATE_BIN:-mockgate}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" serve --data "$work/data" --port-base 0 --ready-file "$work/ready.json" >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do [[ -s $work/ready.json ]] && break; sleep 0.1; done
[[ -s $work/ready.json ]] || { echo "mockgate did not start:"; cat "$work/serve.log"; exit 1; }

admin=$(jq -r .adminUrl "$work/ready.json")
token=$(jq -r .adminToken "$work/ready.json")
api=$(jq -r '.apis[] | select(.id == "journeybee") | .baseUrl' "$work/ready.json")
adm() { curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
fail() { echo "FAIL: $*"; exit 1; }

# A key, shown once.
key=$(adm -X POST "$admin/_admin/api/keys" -d '{"api":"journeybee","name":"shell test"}' | jq -r .key)

# Save the state now (records, keys as hashes, settings, the clock) to load
# it back at the end: every test can start from the same data.
adm "$admin/_admin/api/state" >"$work/state.json"

# Freeze the clock so the window does not move under the test.
adm -X POST "$admin/_admin/api/clock" -d '{"freeze":true}' >/dev/null

# 100 requests a minute are allowed; the 101st is 429 with Retry-After.
for i in $(seq 100); do
	code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" "$api/users")
	[[ $code == 200 ]] || fail "request $i: $code"
done
headers=$(curl -s -o /dev/null -D - -H "Authorization: Bearer $key" "$api/users")
grep -q '^HTTP/1.1 429' <<<"$headers" || fail "request 101 was not 429: $headers"
retry=$(grep -i '^Retry-After:' <<<"$headers" | tr -d '\r' | awk '{print $2}')
[[ $retry == 60 ]] || fail "Retry-After $retry, want 60"

# A minute later (on the virtual clock, at once) the key works again.
adm -X POST "$admin/_admin/api/clock" -d '{"advance":"61s"}' >/dev/null
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" "$api/users")
[[ $code == 200 ]] || fail "after advancing the clock: $code"

# The next call fails with a 503, once.
adm -X POST "$admin/_admin/api/apis/journeybee/faults" -d '{"status":503,"count":1}' >/dev/null
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" "$api/users")
[[ $code == 503 ]] || fail "queued fault: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" "$api/users")
[[ $code == 200 ]] || fail "after the fault: $code"

# A lead created, then the saved state loaded: the lead is gone, the key works.
curl -sf -X POST -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
	-d '{"name":"Temp","email":"t@example.com"}' "$api/leads" >/dev/null
total() { curl -s -H "Authorization: Bearer $key" "$api/leads?pageSize=1" | jq -r .total; }
before=$(total)
adm -X PUT "$admin/_admin/api/state" --data-binary @"$work/state.json" >/dev/null
after=$(total)
[[ $after == $((before - 1)) ]] || fail "loading the saved state left $after leads, want $((before - 1))"

echo "PASS: shell example (rate limit, virtual clock, queued fault, saved state)"
