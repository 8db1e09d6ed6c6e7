#!/usr/bin/env bash
# Puts an IMPORTED API's authenticated list in the shared benchmark
# (../shared/bench/run.sh) as its project row, for issue 8's budget: its
# server CPU per request at most 1.25x the built-in journeybee list's
# (scripts/bench.sh gives that row; compare each with go-sha256 of its own
# invocation). Default: Resend's document (bearer keys) and its /domains
# list, 20 records a page like the bench's common endpoint.
#   scripts/bench-openapi.sh PEERS="go-sha256 mockgate-openapi" DURATION=10s RUNS=2
#   DOC=... LIST='/things?limit=20' scripts/bench-openapi.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bench=${BENCH_DIR:-$root/../shared/bench}
[[ -x $bench/run.sh ]] || { echo "bench-openapi: $bench/run.sh not found" >&2; exit 1; }
bin=${MOCKGATE_BIN:-$root/build/bin/mockgate-headless}
[[ -x $bin ]] || { echo "bench-openapi: $bin missing: run make build" >&2; exit 1; }
doc=${DOC:-$root/backend/openapiimport/testdata/resend.yaml}
list=${LIST:-/domains?limit=20}

data=$(mktemp -d /tmp/mockgate-bench-oas.XXXXXX)
pid=""
trap '[[ -n $pid ]] && kill $pid 2>/dev/null; rm -rf "$data"' EXIT
"$bin" import openapi "$doc" -o "$data/profile.yaml" >/dev/null
base=${PORT_BASE:-18189}

# A key for the imported API, through the admin API of a first launch (the
# key lives in the data folder the bench's launch uses), without a rate
# limit: the bench sends far more than 100 requests a minute.
"$bin" serve --data "$data" --port-base "$base" --profile "$data/profile.yaml" --ready-file "$data/ready.json" >"$data/serve.log" 2>&1 &
pid=$!
for _ in $(seq 500); do [[ -s $data/ready.json ]] && break; sleep 0.02; done
[[ -s $data/ready.json ]] || { cat "$data/serve.log" >&2; exit 1; }
ready=$(cat "$data/ready.json")
api=$(awk '/^id:/{print $2; exit}' "$data/profile.yaml" | tr -d '"')
url=$(jq -r --arg id "$api" '.apis[] | select(.id == $id).baseUrl' <<<"$ready")
token=$(curl -s -H "Authorization: Bearer $(jq -r .adminToken <<<"$ready")" -H 'Content-Type: application/json' \
	-d "{\"api\":\"$api\",\"name\":\"bench\",\"rateLimit\":0}" "$(jq -r .adminUrl <<<"$ready")/_admin/api/keys" | jq -r .key)
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
[[ -n $token && $token != null ]] || { echo "bench-openapi: no key for $api" >&2; exit 1; }

export PROJECT_NAME=mockgate-openapi
export PROJECT_CMD="$bin serve --data $data --port-base $base --profile $data/profile.yaml"
export PROJECT_URL="$url$list"
export PROJECT_TOKEN=$token
: "${PEERS:=go-sha256 mockgate-openapi}"
export PEERS
for kv in "$@"; do export "${kv?}"; done
echo "bench-openapi: $api at $PROJECT_URL" >&2
"$bench/run.sh"
