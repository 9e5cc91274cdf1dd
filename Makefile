# Sheaf build entry points. `make test` is the README's test command and
# what .ci/run executes.
GO      ?= go
BIN     ?= bin/sheaf
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)

.PHONY: build test test-race test-short bench lint generate devnet clean

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/sheaf

# Full suite (real Groth16 proofs with small circuits; keys cached on disk by
# circuit hash), then the race detector over everything that does not run a
# Groth16 setup (-short), which would take too long under -race on 2 cores.
test: lint
	$(GO) test -count=1 ./...
	$(GO) test -count=1 -race -short ./...

test-short:
	$(GO) test -short ./...

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

# Benchmarks print JSON; see docs/benchmarks.md for recorded figures.
bench: build
	$(BIN) bench circuit --depth 24 --transfers 1 --prove
	$(BIN) bench circuit --depth 24 --transfers 8 --prove
	$(BIN) bench circuit --depth 24 --transfers 32
	$(GO) test -run '^$$' -bench . ./protocol/... ./circuits/...

generate:
	$(GO) generate ./...

devnet: build
	$(BIN) devnet

clean:
	rm -rf bin
