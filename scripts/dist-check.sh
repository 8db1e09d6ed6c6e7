#!/usr/bin/env bash
# Checks the release artifacts of `make dist` as a user meets them:
#
#   1. checksums.txt matches every artifact; every artifact's size is printed.
#   2. Each archive (linux, darwin, windows on amd64 and arm64) holds
#      README.md, LICENSE and a binary of the right format and architecture
#      (file(1)), no larger than 15 MB: 15,000,000 bytes (issue 13's budget,
#      read the strict way: decimal megabytes, not 15 MiB).
#   3. The linux-amd64 archive, unpacked into an empty folder and run with an
#      empty environment: --version, serve, a key, 200 on an API, the web UI.
#   4. The .deb: Depends names the runtime package of every library the
#      binary links (never a -dev package); installed (dpkg -i as root, else
#      unpacked with dpkg -x into a temporary root), its mockgate --version,
#      serve, a key and 200; the menu entry passes desktop-file-validate and
#      names an installed binary and icon; man pages and completions are in
#      place; the installed binary opens its window (scripts/desktop-smoke.sh
#      under Xvfb); then the package is removed.
#   5. No artifact holds a raw key created above. They cannot (keys are made
#      after packaging) but the check is there for when packaging ever bundles
#      state, such as a seeded data folder.
#
#   scripts/dist-check.sh [DIST_DIR [VERSION]]   default dist; VERSION is what
#                                                mockgate --version must print
#
# Needs file, desktop-file-utils, curl, jq, unzip, and what desktop-smoke.sh
# needs (scripts/deps.sh). Every process it starts is stopped, and the
# package removed, on any exit (trap).
set -euo pipefail

cd "$(dirname "$0")/.."
dist=${1:-dist}
want_version=${2:-}
max_binary=15000000 # bytes: the headless binary's budget, 15 MB (decimal: the strict reading of issue 13)

log() { printf 'dist-check: %s\n' "$*" >&2; }
fail() {
	log "FAIL: $*"
	exit 1
}

[[ -f $dist/checksums.txt ]] || fail "$dist/checksums.txt not found: run make dist"
for tool in file desktop-file-validate dpkg-deb curl jq unzip sha256sum; do
	command -v "$tool" >/dev/null || fail "$tool not found (scripts/deps.sh installs it)"
done

work=$(mktemp -d)
serve_pid=''
installed_pkg='' # set once this script has installed the .deb with dpkg -i

# shellcheck source=scripts/proc.sh
. scripts/proc.sh # stop PID (the script runs from the repository root)

# dpkg_locked ARGS...: dpkg, waiting up to 2 minutes for its lock (another
# apt or dpkg on the machine holds it for a while).
dpkg_locked() {
	local end=$((SECONDS + 120)) out
	while :; do
		if out=$(dpkg "$@" 2>&1); then
			return 0
		fi
		if [[ $out == *lock* ]] && ((SECONDS < end)); then
			sleep 2
			continue
		fi
		printf '%s\n' "$out" >&2
		return 1
	done
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	[[ -n $serve_pid ]] && stop "$serve_pid"
	if [[ -n $installed_pkg ]]; then
		dpkg_locked --purge "$installed_pkg" || log "could not remove $installed_pkg: dpkg --purge $installed_pkg"
	fi
	if ((rc != 0)) && [[ -f $work/serve.log ]]; then
		log "serve output:"
		sed 's/^/  | /' "$work/serve.log" >&2
	fi
	rm -rf "$work"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

human() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }

# --- 1. checksums and sizes ---------------------------------------------------

(cd "$dist" && sha256sum --quiet --strict -c checksums.txt) || fail "checksums.txt does not match the artifacts"
mapfile -t artifacts < <(awk '{ print $2 }' "$dist/checksums.txt")
log "checksums.txt (SHA-256) matches ${#artifacts[@]} artifacts"
for a in "${artifacts[@]}" checksums.txt; do
	size=$(stat -c %s "$dist/$a")
	printf '  %-48s %10d bytes (%s)\n' "$a" "$size" "$(human "$size")" >&2
done

# --- 2. every archive: contents and binary format ------------------------------

# platform, archive extension, binary name, what file(1) must say
platforms=(
	"linux amd64 tar.gz mockgate ELF 64-bit LSB executable, x86-64,*statically linked"
	"linux arm64 tar.gz mockgate ELF 64-bit LSB executable, ARM aarch64,*statically linked"
	"darwin amd64 tar.gz mockgate Mach-O 64-bit x86_64 executable"
	"darwin arm64 tar.gz mockgate Mach-O 64-bit arm64 executable"
	"windows amd64 zip mockgate.exe PE32+ executable (console) x86-64"
	"windows arm64 zip mockgate.exe PE32+ executable (console) Aarch64"
)
mkdir -p "$work/unpacked"
for p in "${platforms[@]}"; do
	read -r os arch ext bin format <<<"$p"
	matches=("$dist"/mockgate_*_"${os}_${arch}.$ext")
	[[ ${#matches[@]} == 1 && -f ${matches[0]} ]] || fail "want one $os/$arch .$ext archive in $dist, found: ${matches[*]}"
	archive=${matches[0]}
	dir=$work/unpacked/$(basename "$archive")
	mkdir -p "$dir"
	case $ext in
	tar.gz) tar -xzf "$archive" -C "$dir" ;;
	zip) unzip -q "$archive" -d "$dir" ;;
	esac
	for f in "$bin" README.md LICENSE; do
		[[ -f $dir/$f ]] || fail "$(basename "$archive") has no $f: $(ls "$dir")"
	done
	got=$(file -b "$dir/$bin")
	# shellcheck disable=SC2053 # $format is a pattern
	[[ $got == $format* ]] || fail "$(basename "$archive"): $bin is \"$got\", want \"$format\""
	size=$(stat -c %s "$dir/$bin")
	((size <= max_binary)) || fail "$(basename "$archive"): $bin is $(human "$size"), over the 15 MB budget ($size bytes > $max_binary)"
	log "$(basename "$archive"): $bin $size bytes ($(human "$size"), budget $max_binary), ${got%%, Go BuildID*}"
done

# --- helpers for running a binary ----------------------------------------------

# serve_up RUNNER...: starts `RUNNER serve ...` on free ports with a fresh data
# folder ($work/data.N) and reads its URLs into $admin, $journeybee, $data.
serve_up() {
	data=$work/data.$RANDOM
	"$@" serve --ui --data "$data" --port-base 0 >"$work/serve.log" 2>&1 &
	serve_pid=$!
	local end=$((SECONDS + 20))
	until grep -q 'Create a key:' "$work/serve.log"; do
		((SECONDS < end)) || fail "serve printed no URLs within 20 s"
		kill -0 "$serve_pid" 2>/dev/null || fail "serve exited"
		sleep 0.2
	done
	admin=$(sed -n 's/^  admin API *\(http[^ ]*\).*/\1/p' "$work/serve.log")
	journeybee=$(awk '$1 == "journeybee" { print $2 }' "$work/serve.log")
	[[ -n $admin && -n $journeybee ]] || fail "could not read the URLs from serve's output"
}

# first_call RUNNER...: the README's first key and first call, against the
# instance serve_up started; adds the raw key to $keys.
first_call() {
	local key code
	key=$("$@" keys create --api journeybee --name dist-check --json --data "$data" | jq -r .key)
	[[ $key == jb_live_* ]] || fail "keys create printed no key: $key"
	keys+=("$key")
	code=$(curl -s -o "$work/users.json" -w '%{http_code}' -H "Authorization: Bearer $key" "$journeybee/users?pageSize=2")
	[[ $code == 200 ]] || fail "GET /users with the key answered $code: $(head -c 300 "$work/users.json")"
	jq -e '.data | length == 2' "$work/users.json" >/dev/null || fail "GET /users body: $(head -c 300 "$work/users.json")"
}

# serve_down: SIGTERM, and serve must exit 0 (store flushed and closed).
serve_down() {
	local status=0
	kill -TERM "$serve_pid"
	wait "$serve_pid" || status=$?
	serve_pid=''
	((status == 0)) || fail "serve exited with status $status after SIGTERM"
	rm "$work/serve.log"
}

# check_version OUTPUT BUILD: the first line names the version make dist
# stamped; the build line says desktop or headless.
check_version() {
	local first=${1%%$'\n'*}
	[[ $first == "mockgate "* && $first != "mockgate dev"* ]] || fail "--version printed no stamped version: $first"
	[[ -z $want_version || $first == "mockgate $want_version" ]] || fail "--version says \"$first\", want \"mockgate $want_version\""
	grep -q "build *$2" <<<"$1" || fail "--version does not say it is the $2 build: $1"
}

keys=()

# --- 3. the linux-amd64 archive, alone -----------------------------------------

run=$work/alone
mkdir -p "$run"
tar -xzf "$dist"/mockgate_*_linux_amd64.tar.gz -C "$run"
# Nothing else present: an empty environment (no PATH, no HOME), only the
# archive's files in the folder, the data folder given on the command line.
alone=(env -i "$run/mockgate")
out=$("${alone[@]}" --version) || fail "mockgate --version failed"
check_version "$out" headless
log "archive: ${out%%$'\n'*} (headless)"
serve_up "${alone[@]}"
first_call "${alone[@]}"
code=$(curl -s -o "$work/index.html" -w '%{http_code}' "$admin/")
[[ $code == 200 ]] || fail "web UI: $admin/ answered $code"
grep -q '<div id="app">' "$work/index.html" || fail "web UI: $admin/ is not the app's page: $(head -c 300 "$work/index.html")"
asset=$(grep -o 'src="/assets/[^"]*\.js"' "$work/index.html" | head -n1 | cut -d'"' -f2)
code=$(curl -s -o /dev/null -w '%{http_code}' "$admin$asset")
[[ -n $asset && $code == 200 ]] || fail "web UI: script ${asset:-(none in index.html)} answered $code"
serve_down
log "archive: serve, key, 200 on journeybee, web UI and its script served, clean exit"

# --- 4. the .deb ---------------------------------------------------------------

debs=("$dist"/*.deb)
[[ ${#debs[@]} == 1 && -f ${debs[0]} ]] || fail "want one .deb in $dist, found: ${debs[*]}"
deb=${debs[0]}
pkg=$(dpkg-deb -f "$deb" Package)
depends=$(dpkg-deb -f "$deb" Depends)
log "$(basename "$deb"): $pkg $(dpkg-deb -f "$deb" Version) $(dpkg-deb -f "$deb" Architecture)"
log "  Depends: $depends"
[[ $depends != *-dev* ]] || fail "Depends names a -dev package: $depends"

# Install it: dpkg -i as root when no mockgate package is there already
# (never replace a user's), else unpack into a temporary root.
if ((EUID == 0)) && ! dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null | grep -q installed; then
	installed_pkg=$pkg
	dpkg_locked -i "$deb" || fail "dpkg -i $deb"
	root=''
	log "installed with dpkg -i"
else
	root=$work/root
	dpkg-deb -x "$deb" "$root"
	log "unpacked with dpkg -x into a temporary root (not root, or $pkg already installed)"
fi
bin=$root/usr/bin/mockgate
[[ -x $bin ]] || fail "/usr/bin/mockgate not installed"
log "  /usr/bin/mockgate $(human "$(stat -c %s "$bin")") (the desktop build)"

# Every library the binary links comes from a package Depends names.
if missing=$(ldd "$bin" | grep 'not found'); then
	fail "libraries not found: $missing"
fi
for lib in $(objdump -p "$bin" | awk '$1 == "NEEDED" { print $2 }'); do
	owner=$(dpkg -S "*/$lib" 2>/dev/null | head -n1 | cut -d: -f1) || true
	[[ -n $owner ]] || fail "no package provides $lib"
	grep -Eq "(^|, )$owner( |,|$)" <<<"$depends" || fail "$lib comes from $owner, which Depends does not name"
done
log "  every linked library's package is in Depends"

out=$(env -u DISPLAY -u WAYLAND_DISPLAY "$bin" --version) || fail "installed mockgate --version failed"
check_version "$out" desktop
log "installed: ${out%%$'\n'*} (desktop)"

# The menu entry: valid, and what it names is installed.
entry=$root/usr/share/applications/mockgate.desktop
[[ -f $entry ]] || fail "no /usr/share/applications/mockgate.desktop"
desktop-file-validate "$entry" || fail "desktop-file-validate $entry"
exec_name=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$entry")
icon_name=$(sed -n 's/^Icon=//p' "$entry")
[[ -x $root/usr/bin/$exec_name ]] || fail "the menu entry runs $exec_name, not installed in /usr/bin"
compgen -G "$root/usr/share/icons/hicolor/*/apps/$icon_name.png" >/dev/null || fail "the menu entry's icon $icon_name is not installed"
log "  mockgate.desktop valid (desktop-file-validate); Exec=$exec_name and Icon=$icon_name installed"

# Man pages (gzipped, this version) and completions.
man=$root/usr/share/man/man1
gzip -t "$man"/mockgate*.1.gz || fail "man pages missing or not gzip"
[[ -z $want_version ]] || zgrep -q -- "$want_version" "$man/mockgate.1.gz" || fail "mockgate.1 does not name $want_version"
bash -c "source '$root/usr/share/bash-completion/completions/mockgate' && complete -p mockgate" >/dev/null ||
	fail "the bash completion does not register for mockgate"
grep -q '#compdef mockgate' "$root/usr/share/zsh/vendor-completions/_mockgate" || fail "no zsh completion"
grep -q 'complete -c mockgate' "$root/usr/share/fish/vendor_completions.d/mockgate.fish" || fail "no fish completion"
log "  $(find "$man" -name 'mockgate*.1.gz' | wc -l) man pages, bash/zsh/fish completions"

installed=(env -u DISPLAY -u WAYLAND_DISPLAY "$bin")
serve_up "${installed[@]}"
first_call "${installed[@]}"
serve_down
log "installed: serve, key, 200 on journeybee, clean exit"

# What the menu entry starts: the window, under Xvfb (a few seconds).
SCREENSHOTS=$work/screenshots scripts/desktop-smoke.sh "$bin" 2>"$work/smoke.log" ||
	fail "the installed binary's window: $(cat "$work/smoke.log")"
log "installed: the desktop window opens and renders (scripts/desktop-smoke.sh)"

if [[ -n $installed_pkg ]]; then
	dpkg_locked --purge "$installed_pkg" || fail "dpkg --purge $installed_pkg"
	installed_pkg=''
	[[ ! -e /usr/bin/mockgate && ! -e /usr/share/applications/mockgate.desktop ]] || fail "files left after dpkg --purge"
	log "removed with dpkg --purge"
fi

# --- 5. no raw key in any artifact ---------------------------------------------

# The artifacts as shipped, and unpacked (archives above, the .deb's control
# and data here): compressed bytes would hide a key from grep.
dpkg-deb -R "$deb" "$work/unpacked/$(basename "$deb")"
patterns=()
for k in "${keys[@]}"; do patterns+=(-e "$k"); done
status=0
hits=$(grep -rlF --binary-files=text "${patterns[@]}" "$dist" "$work/unpacked") || status=$?
((status != 0)) || fail "a raw key is in: $hits"
((status == 1)) || fail "could not search the artifacts for keys (grep status $status)"
log "no raw key (${#keys[@]} created) in $dist or in any unpacked artifact"
log "OK"
