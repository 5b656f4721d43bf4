# clustersim — build, run, test, bench.
# `make run` runs the embedded default scenario; `make test` runs every test.

GO       ?= go
BIN      := bin/clustersim
OUT      ?= out/default
SCENARIO ?=
PKGS     := ./...

.PHONY: all build run test test-short bench bench-peers lint clean fuzz

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
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -parallel 2 $$pkg; \
	done

STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

# lint fails when go.mod or go.sum is not what `go mod tidy` would write.
lint:
	@$(GO) mod tidy -diff >/dev/null 2>&1 || { echo "go.mod/go.sum not tidy: run go mod tidy"; $(GO) mod tidy -diff; exit 1; }
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) run $(STATICCHECK) $(PKGS)

clean:
	rm -rf bin out
