#!/usr/bin/env bash
# Puts mockgate in the shared side-by-side benchmark (../shared/bench/run.sh)
# through its PROJECT_CMD hook: mockgate serves the journeybee users list
# (the bench's common endpoint) with a real key, all four APIs enabled and
# the request log on. Extra arguments are passed as environment, e.g.
#   scripts/bench.sh PEERS="go-sha256 mockgate" DURATION=10s RUNS=2
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bench=${BENCH_DIR:-$root/../shared/bench}
[[ -x $bench/run.sh ]] || { echo "bench: $bench/run.sh not found (the shared folder sits beside the repo)" >&2; exit 1; }

# The headless build by default (what runs on a server or in CI);
# MOCKGATE_BIN=build/bin/mockgate measures the desktop binary in serve mode.
bin=${MOCKGATE_BIN:-$root/build/bin/mockgate-headless}
[[ -x $bin ]] || { echo "bench: $bin missing: run make build" >&2; exit 1; }

data=$(mktemp -d /tmp/mockgate-bench.XXXXXX)
trap 'rm -rf "$data"' EXIT
base=${PORT_BASE:-18089}   # admin 18089, juleb 18090, journeybee 18091, ...
# The bench hammers one key far past journeybee's 100 requests a minute;
# a per-key override is what the vendor's "ask support for higher limits" means.
token=$("$bin" keys create --data "$data" --api journeybee --name bench --scopes read --rate-limit off --json | jq -r .key)

export PROJECT_NAME=mockgate
export PROJECT_CMD="$bin serve --data $data --port-base $base"
export PROJECT_URL="http://127.0.0.1:$((base + 2))/v1/users?page=3&pageSize=20"
export PROJECT_TOKEN=$token
: "${PEERS:=go go-sha256 mockoon prism json-server json-server-auth mockgate}"
export PEERS
for kv in "$@"; do export "${kv?}"; done
exec "$bench/run.sh"
