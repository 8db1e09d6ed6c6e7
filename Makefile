# mockgate: build and test entry points. `make test` is what CI runs
# (.ci/run); it works on a fresh Debian machine with Go and Node 20 + npm.
#
# Order matters: frontend/dist is embedded into the binary (main.go), so the
# frontend is always built before any go command.

BIN := build/bin/mockgate

# The desktop build is what `wails build` does on Linux, without the CLI:
# webkit2_41 selects the WebKitGTK 4.1 API (with 4.0 the AssetServer handler
# loses statuses, headers and POST bodies; see BUILD-NOTES).
DESKTOP_TAGS := desktop,production,webkit2_41

# What `mockgate version` prints, injected into main; a build without them
# (plain go build) says "dev". SOURCE_DATE_EPOCH dates the man pages with
# the last commit, so rebuilding a commit gives the same pages.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null)
COMMIT  ?= $(shell git rev-parse HEAD 2>/dev/null)
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
GO_LDFLAGS   := -w -s -X main.version=$(VERSION) -X main.commit=$(COMMIT)

# Go tests, with the race detector: the engine, the key index, the rate
# limiter and the request log are all shared by concurrent requests.
# TestCorpus (every operation of every OpenAPI document in the importer's
# corpus, each answer validated against its original document: thousands
# of calls, Stripe's 4.4 MB document among them) runs on its own, without
# the race detector: under it, it alone took six minutes (25 s without),
# and the code it drives is raced by the other tests.
GO_TEST := go test -race -tags webkit2_41 -count=1 -skip '^TestCorpus$$' ./...
GO_CORPUS := go test -count=1 -run '^TestCorpus$$' ./backend/openapiimport/

ARGS ?=

.PHONY: all deps frontend build run test clean bench wails-build fuzz soak e2e desktop-smoke screenshots examples dist dist-check

all: build

deps:
	scripts/deps.sh

frontend: deps
	cd frontend && npm run build

# Two builds of the same code: the desktop app (which also runs headless),
# and mockgate-headless without cgo, GTK or WebKit, for servers and CI
# machines that have no desktop libraries (the desktop binary cannot even
# start there) and for the memory budget (the GTK/WebKit libraries alone map
# about 50 MB into the desktop binary, window or not). Then the man pages,
# one per command, into build/man/ (man -l build/man/mockgate.1).
build: frontend
	CGO_ENABLED=1 go build -tags $(DESKTOP_TAGS) -trimpath -ldflags "$(GO_LDFLAGS)" -o $(BIN) .
	CGO_ENABLED=0 go build -trimpath -ldflags "$(GO_LDFLAGS)" -o $(BIN)-headless .
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) go run ./scripts/genman -version "$(VERSION)" build/man

# With no ARGS the binary decides between the window and headless itself.
run: build
	./$(BIN) $(ARGS)

test: build
	CGO_ENABLED=1 go vet -tags $(DESKTOP_TAGS) ./...
	MOCKGATE_BIN=$(abspath $(BIN))-headless $(GO_TEST)
	$(GO_CORPUS)
	$(EXAMPLES)
	cd frontend && npm test
	$(E2E)
	$(DESKTOP_SMOKE)
	$(MAKE) fuzz
	$(DIST)
	$(DIST_CHECK)

# GUI tests. Screenshots go to SCREENSHOTS (test artifacts); `make
# screenshots` writes them to docs/screenshots/ for the README instead.
#   e2e: the web UI in Debian's Chromium (playwright-core, frontend/e2e/)
#        against the headless binary (`serve --ui`, free ports, temp data).
#   desktop-smoke: the Wails binary in a window under Xvfb
#        (scripts/desktop-smoke.sh).
SCREENSHOTS ?= build/artifacts/screenshots
E2E = cd frontend && MOCKGATE_BIN=$(abspath $(BIN))-headless MOCKGATE_SCREENSHOTS=$(abspath $(SCREENSHOTS)) npm run e2e
DESKTOP_SMOKE = SCREENSHOTS=$(SCREENSHOTS) scripts/desktop-smoke.sh $(BIN)

e2e: build
	$(E2E)

# The README's "Using mockgate in your tests" examples, run as written: a
# shell script with curl and a node:test file (the Go example runs with the
# Go tests above, on the same binary).
EXAMPLES = MOCKGATE_BIN=$(abspath $(BIN))-headless examples/shell/mockgate-test.sh && \
	MOCKGATE_BIN=$(abspath $(BIN))-headless node --test examples/node/

examples: build
	$(EXAMPLES)

desktop-smoke: build
	$(DESKTOP_SMOKE)

screenshots: SCREENSHOTS = docs/screenshots
screenshots: build
	$(E2E)
	$(DESKTOP_SMOKE)

# Every go fuzz target for FUZZTIME each (default 30,000 executions: a
# count, not a duration, see scripts/fuzz.sh); crashers stay in the
# package's testdata/fuzz/.
FUZZTIME ?= 30000x
fuzz:
	FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

# The load/soak run of docs/RELIABILITY.md: the real binary on loopback, 64
# connections for 60 s over the four APIs (not part of `make test`).
#   make soak SOAK_ARGS='-duration 10m -json build/artifacts/soak.json'
SOAK_ARGS ?= -duration 60s -conns 64
soak: frontend
	go run ./scripts/soak $(SOAK_ARGS)

# The side-by-side benchmark against the peer mock servers (../shared/bench),
# with mockgate added through its PROJECT_CMD hook. BENCH_ARGS passes knobs:
#   make bench BENCH_ARGS='PEERS="go-sha256 mockgate" DURATION=10s'
BENCH_ARGS ?=
bench: build
	scripts/bench.sh $(BENCH_ARGS)

# The same binary through the pinned Wails CLI (no global install: go run).
WAILS := go run github.com/wailsapp/wails/v2/cmd/wails@v2.16.0
wails-build: deps
	$(WAILS) build -tags webkit2_41 -o mockgate

# Release artifacts into dist/ with GoReleaser (.goreleaser.yaml): the
# headless build as archives for linux, darwin and windows on amd64 and
# arm64, the desktop build as a .deb, checksums.txt. A snapshot: no tag
# needed, nothing published. GoReleaser is pinned and run through go run
# like the Wails CLI (the first run compiles it, about 3.5 min here).
# DIST_VERSION is the package version: git describe without the tag's v,
# or 0.0.0-<commit> before the first tag (a .deb version starts with a digit).
GORELEASER := go run github.com/goreleaser/goreleaser/v2@v2.15.1
DIST_VERSION ?= $(shell echo '$(VERSION)' | sed -e 's/^v\([0-9]\)/\1/;t' -e 's/^/0.0.0-/')
DIST = VERSION=$(VERSION) COMMIT=$(COMMIT) DIST_VERSION=$(DIST_VERSION) \
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(GORELEASER) release --snapshot --clean
# The installed .deb and the unpacked archives, run as a user would
# (scripts/dist-check.sh). make test ends with both: about 30 s once the
# caches are warm; on a fresh machine about 6 min (GoReleaser's compile,
# 3 min, and every package for five more platforms, 2.5 min), measured up
# to 14 min with an empty Go cache while other builds shared the 2 cores.
DIST_CHECK = scripts/dist-check.sh dist $(VERSION)

dist: frontend
	$(DIST)

dist-check: dist
	$(DIST_CHECK)

# Keeps the tracked placeholder in frontend/dist (see .gitignore).
clean:
	rm -rf build/bin build/package dist frontend/dist
	mkdir -p frontend/dist
	cp frontend/public/.gitkeep frontend/dist/.gitkeep
