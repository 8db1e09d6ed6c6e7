#!/usr/bin/env bash
# Measures issue 8's speed budgets for an OpenAPI document on the built
# binary (docs/PERFORMANCE.md, "OpenAPI import"):
#   1. import: wall time of `mockgate import openapi DOC -o PROFILE`;
#   2. launch to first answered request of `serve --openapi DOC` (or, on a
#      binary without --openapi, `serve --profile PROFILE`, the import
#      having been done in step 1), with --port-base 0 --ready-file;
#   3. memory with it loaded: VmHWM and VmRSS of the server after 50
#      requests.
# Usage: scripts/openapi-speed.sh [DOC]   (default: the corpus's Stripe document)
#        MOCKGATE_BIN=build/bin/mockgate scripts/openapi-speed.sh DOC
# 127.0.0.1 only; the server is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=${MOCKGATE_BIN:-$root/build/bin/mockgate-headless}
[[ -x $bin ]] || { echo "openapi-speed: $bin missing: run make build" >&2; exit 1; }
command -v jq >/dev/null || { echo "openapi-speed: jq is needed" >&2; exit 1; }

work=$(mktemp -d /tmp/mockgate-oaspeed.XXXXXX)
pid=""
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

doc=${1:-$root/backend/openapiimport/testdata/corpus/stripe.yaml.gz}
if [[ $doc == *.gz ]]; then
	plain=$work/$(basename "${doc%.gz}")
	gzip -dc "$doc" >"$plain"
	doc=$plain
fi
now_ms() { echo $(($(date +%s%N) / 1000000)); }
echo "document: $doc ($(du -k "$doc" | cut -f1) KB)"

# 1. the import
t0=$(now_ms)
"$bin" import openapi "$doc" -o "$work/profile.yaml" >"$work/summary.txt"
t1=$(now_ms)
echo "import: $((t1 - t0)) ms (mockgate import openapi -o; process start included)"
head -3 "$work/summary.txt" | sed 's/^/  /'

# 2. launch to the first answered request
if "$bin" serve --help 2>&1 | grep -q -- '--openapi'; then
	how="serve --openapi"
	args=(--openapi "$doc")
else
	how="serve --profile (no --openapi in this binary: the import above is not included)"
	args=(--profile "$work/profile.yaml")
fi
mkdir -p "$work/data"
t0=$(now_ms)
"$bin" serve --data "$work/data" --port-base 0 --apis jelou --ready-file "$work/ready.json" "${args[@]}" >"$work/serve.log" 2>&1 &
pid=$!
base=""
while :; do
	if [[ -s $work/ready.json ]]; then
		# the imported API is the one that is not the built-in jelou
		base=$(jq -r '[.apis[] | select(.id != "jelou")][0].baseUrl' "$work/ready.json" 2>/dev/null || true)
		if [[ -n $base && $base != null ]]; then
			code=$(curl -s -o /dev/null --max-time 1 -w '%{http_code}' "$base/" || true)
			[[ $code != 000 ]] && break
		fi
	fi
	kill -0 "$pid" 2>/dev/null || { echo "openapi-speed: serve exited:" >&2; cat "$work/serve.log" >&2; exit 1; }
	(($(now_ms) - t0 > 60000)) && { echo "openapi-speed: no answer within 60 s" >&2; exit 1; }
	sleep 0.01
done
t1=$(now_ms)
echo "first answered request: $((t1 - t0)) ms after launch ($how; GET $base/ answered $code)"

# 3. memory with it loaded
for _ in $(seq 50); do curl -s -o /dev/null --max-time 2 "$base/"; done
echo "memory: $(awk '/^VmHWM:|^VmRSS:/{printf "%s %d MB  ", $1, $2/1024}' "/proc/$pid/status")"
