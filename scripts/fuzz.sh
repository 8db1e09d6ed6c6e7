#!/usr/bin/env bash
# Runs every go fuzz target for FUZZTIME each, one after the other (go test
# -fuzz takes one target per run). A crasher makes go test fail and leaves
# the input in the package's testdata/fuzz/<Target>/, where it stays as a
# regression case once fixed (plain `go test` replays it).
#
# The default is a count of executions, not a duration: with a duration,
# Go 1.26's fuzz coordinator can report a spurious "context deadline
# exceeded" failure when the time runs out while a worker is mid-call
# (golang/go#75804, fixed in Go 1.27), which happened here in CI on a
# loaded machine. A count has no deadline to race; a slow machine only
# takes longer. 30,000 executions take 1-8 s per target on this machine.
#
#   scripts/fuzz.sh                   every target, 30,000 executions each
#   FUZZTIME=2m scripts/fuzz.sh       longer, by time (may hit the Go bug)
#   scripts/fuzz.sh FuzzParse         only the targets named
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZTIME="${FUZZTIME:-30000x}"

# package  target
TARGETS=(
  "./backend/keys      FuzzFormatMatches"
  "./backend/keys      FuzzHash"
  "./backend/mockapi   FuzzPagination"
  "./backend/mockapi   FuzzAuthHeader"
  "./backend/mockapi   FuzzRequest"
  "./backend/mockapi   FuzzQueryParam"
  "./backend/profile   FuzzParse"
  "./backend/dataset   FuzzParseObject"
  "./backend/dataset   FuzzParseID"
  "./backend/dataset   FuzzReadRecord"
  "./backend/openapiimport FuzzImport"
)

# Every Fuzz function in the tree must be listed above, so none is
# silently left out of CI.
listed=$(printf '%s\n' "${TARGETS[@]}" | awk '{print $2}' | sort)
found=$(grep -rhoE '^func (Fuzz[A-Za-z0-9_]+)\(' --include='*_test.go' backend | sed -E 's/^func (Fuzz[A-Za-z0-9_]+)\(/\1/' | sort)
if [[ "$listed" != "$found" ]]; then
  echo "fuzz.sh: the target list differs from the Fuzz functions in backend/:" >&2
  diff <(echo "$listed") <(echo "$found") >&2 || true
  exit 1
fi

failed=0
ran=0
for t in "${TARGETS[@]}"; do
  read -r pkg name <<<"$t"
  if [[ $# -gt 0 ]] && [[ ! " $* " == *" $name "* ]]; then
    continue
  fi
  echo "== $name ($pkg, $FUZZTIME)"
  if ! go test -run='^$' -fuzz="^${name}\$" -fuzztime="$FUZZTIME" "$pkg" 2>&1 | { grep -v '^fuzz: elapsed' || true; }; then
    failed=$((failed + 1))
  fi
  ran=$((ran + 1))
done
echo "fuzz: $((ran - failed)) passed, $failed failed"
[[ $failed -eq 0 ]]
