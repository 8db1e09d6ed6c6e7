#!/usr/bin/env bash
# Desktop smoke test: the real Wails binary (make build) in a window under
# Xvfb. It waits for the window and for the page to render, checks with curl
# that the mock APIs answer while the window is up (and that the window shows
# that traffic), saves a screenshot, another of the Explorer (its header
# link clicked with xdotool), then closes the app with SIGTERM (Wails
# quits the window; mockgate flushes and closes its store) and expects exit
# status 0. Every process it starts is stopped on any exit (trap).
#
#   scripts/desktop-smoke.sh [BINARY]        default build/bin/mockgate
#   SCREENSHOTS=dir                          where desktop.png and
#                                            desktop-explorer.png go
#                                            (default build/artifacts/screenshots)
#
# Needs xvfb, xauth, imagemagick, xdotool, curl, jq (scripts/deps.sh).
set -euo pipefail

cd "$(dirname "$0")/.."
bin=${1:-build/bin/mockgate}
shots=${SCREENSHOTS:-build/artifacts/screenshots}

log() { printf 'desktop-smoke: %s\n' "$*" >&2; }
fail() {
	log "FAIL: $*"
	exit 1
}

[[ -x $bin ]] || fail "$bin not found: run make build"
for tool in Xvfb xdotool import convert compare curl jq; do
	command -v "$tool" >/dev/null || fail "$tool not found (scripts/deps.sh installs it)"
done

work=$(mktemp -d)
xvfb_pid=''
app_pid=''

# shellcheck source=scripts/proc.sh
. scripts/proc.sh # stop PID (the script runs from the repository root)

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	[[ -n $app_pid ]] && stop "$app_pid"
	[[ -n $xvfb_pid ]] && stop "$xvfb_pid"
	if ((rc != 0)) && [[ -f $work/app.log ]]; then
		log "app output:"
		sed 's/^/  | /' "$work/app.log" >&2
	fi
	rm -rf "$work"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for SECONDS DESCRIPTION COMMAND...: polls the command every 0.2 s.
wait_for() {
	local secs=$1 what=$2
	shift 2
	local end=$((SECONDS + secs))
	until "$@" >/dev/null 2>&1; do
		((SECONDS < end)) || fail "timed out after ${secs}s waiting for $what"
		[[ -z $app_pid ]] || kill -0 "$app_pid" 2>/dev/null || fail "mockgate exited while waiting for $what"
		sleep 0.2
	done
}

# A free display: Xvfb picks it and writes its number to fd 3.
Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
xvfb_pid=$!
wait_for 10 "Xvfb" test -s "$work/display"
export DISPLAY=":$(head -n1 "$work/display")"
log "Xvfb on $DISPLAY"

# --port-base 0: the system picks free ports; the app prints them. No LANG:
# WebKitGTK then reports the locale "C", which the page must survive.
start=$SECONDS
env -u LANG -u LC_ALL -u LANGUAGE "$bin" desktop --data "$work/data" --port-base 0 >"$work/app.log" 2>&1 &
app_pid=$!

wait_for 20 "the URLs on stdout" grep -q 'Create a key:' "$work/app.log"
admin=$(sed -n 's/^  admin API *\(http[^ ]*\).*/\1/p' "$work/app.log")
journeybee=$(awk '$1 == "journeybee" { print $2 }' "$work/app.log")
[[ -n $admin && -n $journeybee ]] || fail "could not read the URLs from the output"
token=$(cat "$work/data/admin.token")
log "admin $admin, journeybee $journeybee"

wait_for 30 "the window" xdotool search --onlyvisible --name '^mockgate$'
wid=$(xdotool search --onlyvisible --name '^mockgate$' | head -n1)
log "window $wid up after $((SECONDS - start))s"

# The page has rendered when the window shows more than a handful of colours
# (a blank webview is one).
rendered() {
	import -window "$wid" "$work/probe.png" 2>/dev/null &&
		(($(convert "$work/probe.png" -format '%k' info:) > 40))
}
wait_for 30 "the page to render" rendered
log "page rendered after $((SECONDS - start))s"

# The mock APIs answer while the window is up.
auth=(-H "Authorization: Bearer $token")
curl -fsS "${auth[@]}" "$admin/_admin/api/health" | jq -e '.status == "ok"' >/dev/null || fail "admin health"
key=$(curl -fsS "${auth[@]}" -H 'Content-Type: application/json' \
	-d '{"api":"journeybee","name":"desktop smoke","scopes":["read"]}' "$admin/_admin/api/keys" | jq -r .key)
[[ $key == jb_live_* ]] || fail "no key created: $key"
for _ in 1 2 3; do
	code=$(curl -s -o "$work/users.json" -w '%{http_code}' -H "Authorization: Bearer $key" "$journeybee/users?pageSize=2")
	[[ $code == 200 ]] || fail "GET /users with a key answered $code"
done
jq -e '.data | length == 2' "$work/users.json" >/dev/null || fail "GET /users body: $(head -c 300 "$work/users.json")"
code=$(curl -s -o /dev/null -w '%{http_code}' "$journeybee/users")
[[ $code == 401 ]] || fail "GET /users without a key answered $code, want 401"
log "journeybee answered 200 with the key and 401 without, while the window is up"

# The APIs screen polls every 2 s: give it time to show that traffic.
sleep 3
mkdir -p "$shots"
import -window "$wid" "$shots/desktop.png"
log "screenshot $shots/desktop.png"

# The Explorer in the 1200x800 window: request and answer side by side.
# Its link sits at a fixed place in the header; a click there, then the
# window changes (a second screenshot differs from the first).
xdotool mousemove --window "$wid" 287 20 click 1
sleep 1.5
import -window "$wid" "$shots/desktop-explorer.png"
[[ $(compare -metric AE "$shots/desktop.png" "$shots/desktop-explorer.png" null: 2>&1 || true) != 0 ]] ||
	fail "the window did not change after a click on Explorer"
log "screenshot $shots/desktop-explorer.png"

# Close cleanly: SIGTERM makes Wails quit the window, then mockgate shuts
# the instance down. Exit status 0 within 15 s.
kill -TERM "$app_pid"
term=$SECONDS
end=$((SECONDS + 15))
while kill -0 "$app_pid" 2>/dev/null; do
	((SECONDS < end)) || fail "still running 15 s after SIGTERM"
	sleep 0.2
done
status=0
wait "$app_pid" || status=$?
app_pid=''
((status == 0)) || fail "exit status $status after SIGTERM"
if curl -s -o /dev/null --max-time 2 "$journeybee/users"; then
	fail "journeybee still answers after the app exited"
fi
log "closed cleanly (exit 0) $((SECONDS - term))s after SIGTERM, $((SECONDS - start))s overall"
