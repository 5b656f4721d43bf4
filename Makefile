# clustersim — build, run, test, bench.
# `make run` runs the embedded default scenario; `make test` runs every test.

GO       ?= go
BIN      := bin/clustersim
OUT      ?= out/default
SCENARIO ?=
PKGS     := ./...

.PHONY: all build run test test-short bench bench-peers lint clean fuzz mutate mutate-smoke notebooks

all: build

build:
	$(GO) build -o $(BIN) ./cmd/clustersim

run: build
	$(BIN) run $(SCENARIO) --out $(OUT)
	@echo "report: $(OUT)/report.html"

test:
	$(GO) vet $(PKGS)
	$(GO) test -count=1 $(PKGS)

test-short:
	$(GO) test -short $(PKGS)

# Go benchmarks (engine hold, balancers, end-to-end M/M/8), then the
# side-by-side runs against the hand-written loop and SimPy.
bench: build
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 2s ./sim/engine ./sim/policies ./sim/models
	$(MAKE) bench-peers
	bash bench/all.sh

bench-peers: build
	bash bench/peers/run.sh

# Fuzz targets, each run for FUZZTIME (CI's short pass: FUZZTIME=15s).
# A crasher is written under the package's testdata/fuzz and from then on
# runs as a regression case in `make test`.
FUZZTIME ?= 60s
# Minimising each new corpus entry for up to 60 s (Go's default) stalls a
# -parallel 1-2 run for minutes on this scale of target; 100 attempts keep
# the executions flowing (BENCHMARKS.md, "Fuzzing").
FUZZMINIMIZE ?= 100x
FUZZ_TARGETS := \
	./sim/scenario:FuzzParseScenario \
	./sim/scenario:FuzzSet \
	./sim/scenario:FuzzTrace \
	./sim/tomlpos:FuzzParseDuration \
	./sim/policies/external:FuzzDecision \
	./sim/engine:FuzzQueue

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "== $$name ($$pkg, $(FUZZTIME))"; \
		GO="$(GO)" ./scripts/fuzz-one $$pkg $$name $(FUZZTIME) $(FUZZMINIMIZE); \
	done

STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

# lint fails when go.mod or go.sum is not what `go mod tidy` would write.
lint:
	@$(GO) mod tidy -diff >/dev/null 2>&1 || { echo "go.mod/go.sum not tidy: run go mod tidy"; $(GO) mod tidy -diff; exit 1; }
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) run $(STATICCHECK) $(PKGS)

# Mutation testing with go-gremlins at a pinned version, installed from the
# Go module proxy into bin/ on first use (a fresh machine needs only Go).
# Each entry of MUTATE_PKGS is one package directory: files in its
# subdirectories (other packages) are excluded, as `go test ./sim/policies`
# would. One worker, so a run leaves the other core free; a run is
# CPU-heavy (a build and a test run per mutant), so pick one package with
# `make mutate MUTATE_PKGS=./sim/engine`. JSON results go to out/mutate/.
# Survivors judged equivalent are listed in testdata/equivalent-mutants.txt.
# -count=1: gremlins times each mutant's tests against its coverage run,
# which must not come from the test cache. A mutant's tests time out
# after MUTATE_TIMEOUT times that run's duration: generous, because on a
# busy machine a slow test run counts as "timed out", neither killed nor
# lived, which would flatter the efficacy.
GREMLINS_VERSION ?= v0.6.0
GREMLINS         := bin/gremlins-$(GREMLINS_VERSION)/gremlins
MUTATE_PKGS      ?= ./sim/policies ./sim/policies/external ./sim/engine ./sim/policies/autoscale
MUTATE_FLAGS     ?=
MUTATE_TIMEOUT   ?= 10
MUTATE_SMOKE_PKG ?= ./sim/assertion
MUTATE_SMOKE_MIN ?= 90

$(GREMLINS):
	GOBIN=$(CURDIR)/$(dir $(GREMLINS)) $(GO) install github.com/go-gremlins/gremlins/cmd/gremlins@$(GREMLINS_VERSION)

mutate: $(GREMLINS)
	@mkdir -p out/mutate
	@set -e; for p in $(MUTATE_PKGS); do \
		d=$${p#./}; d=$${d%/}; \
		echo "== gremlins unleash $$d"; \
		GOFLAGS="$$GOFLAGS -count=1" $(GREMLINS) unleash --workers 1 --timeout-coefficient $(MUTATE_TIMEOUT) \
			--exclude-files '^[^/]+/' $(MUTATE_FLAGS) \
			--output $(CURDIR)/out/mutate/$$(echo $$d | tr / -).json $(CURDIR)/$$d; \
	done

# A short run for CI (about 15 s here once gremlins is installed): one
# small package, the SLO assertions CI gates on, failing below
# MUTATE_SMOKE_MIN percent efficacy (checked from the JSON results:
# gremlins v0.6.0 ignores its own --threshold-efficacy).
mutate-smoke:
	@f=out/mutate/$$(echo $(MUTATE_SMOKE_PKG) | sed 's|^\./||; s|/$$||' | tr / -).json; \
	rm -f $$f; \
	$(MAKE) --no-print-directory mutate MUTATE_PKGS=$(MUTATE_SMOKE_PKG) || exit 1; \
	e=$$(grep -o '"test_efficacy":[0-9.]*' $$f | cut -d: -f2); \
	awk -v e="$$e" -v min=$(MUTATE_SMOKE_MIN) 'BEGIN { if (e == "" || e + 0 < min) { \
		printf "mutate-smoke: efficacy %s%% is below %s%%\n", e, min; exit 1 } \
		printf "mutate-smoke: efficacy %.2f%% (minimum %s%%)\n", e, min }'

# Execute notebooks/*.ipynb headless (Debian's jupyter-nbconvert,
# installed when missing) and write HTML copies to out/notebooks/; fails
# on any cell error.
notebooks: build
	bash notebooks/run.sh

clean:
	rm -rf bin out
