#!/usr/bin/env bash
# Installs what building and testing mockgate needs on Debian, and nothing
# when it is all present (a few dpkg-query calls and a timestamp check).
#
#   build: Wails v2 on WebKitGTK 4.1 (cgo)
#   tests: Xvfb/ImageMagick/xdotool for desktop smoke tests, chromium for
#          browser tests (never a downloaded browser), wrk/jq/curl for benches,
#          file/desktop-file-utils/unzip for the release artifacts' checks
#          (scripts/dist-check.sh: binary formats, the .deb's menu entry, the
#          windows .zip)
#
# As root it installs missing packages with apt-get; otherwise it prints the
# command to run and exits 1. Then it runs `npm ci` in frontend/ and in
# backend/cli/testdata/newman/ when node_modules is missing or older than
# package-lock.json.
set -euo pipefail

cd "$(dirname "$0")/.."

build_pkgs=(libgtk-3-dev libwebkit2gtk-4.1-dev build-essential pkg-config)
test_pkgs=(xvfb xauth imagemagick xdotool fonts-dejavu-core chromium wrk jq curl file desktop-file-utils unzip)

missing=()
for pkg in "${build_pkgs[@]}" "${test_pkgs[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
	if [[ $status != installed ]]; then
		missing+=("$pkg")
	fi
done

if ((${#missing[@]} > 0)); then
	cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing[*]}"
	if ((EUID != 0)); then
		echo "deps: missing Debian packages: ${missing[*]}" >&2
		echo "deps: run as root:" >&2
		echo "  sudo sh -c '$cmd'" >&2
		exit 1
	fi
	echo "deps: installing ${missing[*]}"
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi

for tool in go node npm; do
	if ! command -v "$tool" >/dev/null; then
		echo "deps: $tool not found on PATH (needs Go 1.26 and Node 20.19+ with npm)" >&2
		exit 1
	fi
done

# npm ci writes node_modules/.package-lock.json, so its age says when the
# installed tree was last synced with the lockfile. Two trees: the frontend's,
# and newman for the test of the conformance pack's Postman export
# (backend/cli/testdata/newman, a test-only folder Go does not look into).
npm_sync() {
	local dir=$1
	(
		cd "$dir"
		if [[ -f package-lock.json ]]; then
			if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
				echo "deps: npm ci ($dir)"
				npm ci --no-audit --no-fund
			fi
		elif [[ ! -d node_modules ]]; then
			echo "deps: npm install ($dir, no lockfile)"
			npm install --no-audit --no-fund
		fi
	)
}
npm_sync frontend
npm_sync backend/cli/testdata/newman
