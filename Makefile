# Skolflow: `make run` starts the platform with demo data, `make test` runs every test.
# Both need only Go 1.26, a Debian machine and the package registries; see README.md.

SHELL := /bin/bash
GO ?= go
BIN := $(CURDIR)/.bin
TEMPORAL_CLI := $(BIN)/temporal
TEMPORAL_SERVER := $(BIN)/temporal-server
TEMPORAL_SQL_TOOL := $(BIN)/temporal-sql-tool
WORKFLOWCHECK := go.temporal.io/sdk/contrib/tools/workflowcheck@v0.6.0

# The Temporal CLI (dev server) for `make run` and the tests, and Temporal Server with its SQL
# tool for TEMPORAL=postgres and its test; built once from tools/go.mod.
export SKOLFLOW_TEMPORAL_BIN ?= $(TEMPORAL_CLI)
export SKOLFLOW_TEMPORAL_SERVER_BIN ?= $(TEMPORAL_SERVER)
export SKOLFLOW_TEMPORAL_SQL_TOOL_BIN ?= $(TEMPORAL_SQL_TOOL)

## TEMPORAL=dev|postgres: which Temporal server `make run` and `make bench` start: the CLI's dev
##   server (the default), or Temporal Server v1.29.1 persisting in PostgreSQL, as in production
TEMPORAL ?= dev
ifeq ($(filter $(TEMPORAL),dev postgres),)
$(error TEMPORAL=$(TEMPORAL) is not one of: dev, postgres)
endif
export SKOLFLOW_TEMPORAL_SERVER := $(TEMPORAL)

.PHONY: screenshots run test lint bench bench-profile bench-smoke build temporal browser clean record-histories

## run: start PostgreSQL if needed, the Temporal dev server, worker and API, with demo data
run: build temporal
	scripts/with-postgres.sh skolflow $(BIN)/skolflow dev

## test: every test, against real PostgreSQL and a real Temporal dev server; then again under the
##   race detector, the packages where it is affordable and the integration tests of concurrency
RACE_PACKAGES = ./workflows/... ./enrollment/... ./leave/... ./attendance/... ./absence/... ./api/... ./policies/... ./notify/... ./register/... ./activities/... ./internal/config/... ./internal/plaintext/... ./ss12000/...
RACE_TESTS = TestTwoCompletionsAtOnceOneWins|TestTwoDispatchersSendEachRowOnce|TestEveryDecisionOfConcurrentRequestsIsLogged|TestTwoInstancesAgreeOnRegisterChanges
test: temporal browser
	scripts/with-postgres.sh postgres $(GO) test -count=1 -timeout 20m ./...
	scripts/with-postgres.sh postgres $(GO) test -count=1 -race -timeout 20m $(RACE_PACKAGES)
	scripts/with-postgres.sh postgres $(GO) test -count=1 -race -timeout 20m ./integration -run '^($(RACE_TESTS))$$'
	$(MAKE) bench-smoke

## lint: gofmt, go vet, Temporal's workflow determinism check over every package (the kernel's
##   workflows and every area's), the compose file, and the OpenAPI document with Spectral's
##   spectral:oas rules (pinned in tools/spectral; npm ci on first use)
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(WORKFLOWCHECK) ./...
	scripts/compose-config.sh
	scripts/spectral.sh

## bench: the benchmark suite on the real stack, each figure beside its limit; writes bench/report.md and .json
##   BENCH=regexp to pick, BENCHTIME=300x (or a duration), USERS=20, SCALE=school|district|city, COUNT=1,
##   BENCHFLAGS="-teachers 50 -share 1 -window 10s" (the benchmarks' own flags)
BENCH ?= .
BENCHTIME ?= 300x
USERS ?= 20
SCALE ?= district
COUNT ?= 1
BENCHFLAGS ?=
BENCH_SETTINGS = BENCH=$(BENCH) BENCHTIME=$(BENCHTIME) USERS=$(USERS) SCALE=$(SCALE) TEMPORAL=$(TEMPORAL) COUNT=$(COUNT) BENCHFLAGS=$(BENCHFLAGS)
ifeq ($(filter $(SCALE),school district city),)
$(error SCALE=$(SCALE) is not one of: school, district, city)
endif
# BENCH must name a benchmark of ./integration (the part before a sub-benchmark's slash).
ifneq ($(filter bench bench-profile,$(MAKECMDGOALS)),)
ifeq ($(shell grep -ho '^func Benchmark[A-Za-z0-9_]*' integration/*_test.go | cut -c6- | grep -Ec -- '$(firstword $(subst /, ,$(BENCH)))'),0)
$(error BENCH=$(BENCH) names no benchmark in ./integration)
endif
endif
bench: temporal
	scripts/with-postgres.sh postgres bash -c 'set -o pipefail; $(GO) test -run "^$$" -bench "$(BENCH)" -benchtime $(BENCHTIME) \
	  -count $(COUNT) -timeout 120m ./integration -users $(USERS) -scale $(SCALE) $(BENCHFLAGS) | $(GO) run ./cmd/benchreport -out bench -settings "$(BENCH_SETTINGS)"'

## bench-profile: the benchmarks matching BENCH once under Linux perf, every process on the machine;
##   writes bench/profile-<BENCH>.txt: CPU by process, and the top symbols of the busiest (needs perf)
bench-profile: temporal
	scripts/with-postgres.sh postgres scripts/bench-profile.sh "$(BENCH)" $(BENCHTIME) -users $(USERS) -scale $(SCALE) $(BENCHFLAGS)

## bench-smoke: every benchmark once at the smallest scale, so that they keep working (part of make test)
bench-smoke: temporal
	scripts/with-postgres.sh postgres $(GO) test -count=1 -run '^$$' -bench . -benchtime 1x -timeout 20m ./integration -users 2 -teachers 2 -window 1s -scale school

## screenshots: the browser tests again, writing the main pages at phone and desk width to docs/screenshots (shown in the README)
screenshots: temporal browser
	mkdir -p docs/screenshots
	SKOLFLOW_SCREENSHOTS=$(CURDIR)/docs/screenshots scripts/with-postgres.sh postgres $(GO) test -count=1 -timeout 20m ./integration -run 'Browser|ByKeyboard'

## record-histories: re-record workflows/testdata and each area's testdata/ from the real dev server, for the replay tests
record-histories: temporal
	scripts/with-postgres.sh postgres $(GO) test -count=1 ./integration -record-histories

build:
	$(GO) build -o $(BIN)/skolflow ./cmd/skolflow

temporal: $(TEMPORAL_CLI) $(TEMPORAL_SERVER) $(TEMPORAL_SQL_TOOL)

## browser: Debian's chromium and pdftotext, and the pinned axe-core (tools/axe), for the browser and export tests; skips what is there
browser:
	scripts/browser.sh

# The first builds take a few minutes each on two cores; later runs reuse them.
$(TEMPORAL_CLI): tools/go.mod tools/go.sum
	@echo "building the Temporal CLI v1.5.1 (the first time takes 2-3 minutes)"
	cd tools && $(GO) build -o $(TEMPORAL_CLI) github.com/temporalio/cli/cmd/temporal
$(TEMPORAL_SERVER): tools/go.mod tools/go.sum
	@echo "building Temporal Server v1.29.1 (the first time takes 2-3 minutes)"
	cd tools && $(GO) build -o $(TEMPORAL_SERVER) go.temporal.io/server/cmd/server
$(TEMPORAL_SQL_TOOL): tools/go.mod tools/go.sum
	cd tools && $(GO) build -o $(TEMPORAL_SQL_TOOL) go.temporal.io/server/cmd/tools/sql

clean:
	rm -rf .bin .data
