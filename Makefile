# Sheaf build entry points. `make test` is the README's test command and
# what .ci/run executes.
GO      ?= go
BIN     ?= bin/sheaf
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
# L1 node of the end-to-end test (npm, pinned in package.json)
ANVIL   := node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil

.PHONY: build test test-full test-race test-stress test-short e2e bench lint generate devnet clean sdk-test

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/sheaf

# Full suite (real Groth16 proofs with small circuits; keys cached on disk by
# circuit hash), then the race detector over everything that does not run a
# Groth16 setup (-short), which would take too long under -race on 2 cores.
test: lint test-full test-race sdk-test

test-full: node_modules/solc $(ANVIL)
	$(GO) test -count=1 ./...

test-race: node_modules/solc
	$(GO) test -count=1 -race -short ./...

# The timing-sensitive packages with -race -count=3 beside busy loops on
# every core (.ci/stress; its variables tune it). Run before submitting.
test-stress: node_modules/solc
	.ci/stress

# solc-js (pinned in package.json) compiles the contracts in the tests.
node_modules/solc:
	npm ci --no-audit --no-fund

# anvil (pinned in package.json's devDependencies) is the L1 node of the
# end-to-end test (e2e/); a checkout whose node_modules predates it gets it here.
$(ANVIL):
	npm ci --no-audit --no-fund

# The end-to-end test alone: anvil, PostgreSQL, watcher, sequencer, prover
# and submitter in process (≈2 min on 2 cores with cached keys, ≈4.5 min on a first run; also part of `go test ./...`).
e2e: node_modules/solc $(ANVIL)
	$(GO) test -count=1 ./e2e/...

# TypeScript SDK (sdk/ts, its own lockfile): npm ci when node_modules is
# missing or older than the lockfile, then its unit tests (golden vectors)
# and its integration test: a `sheaf devnet` child process (built from this
# checkout) and the web example in headless Chromium (skipped without
# /usr/bin/chromium; .ci/run installs it).
sdk/ts/node_modules/.package-lock.json: sdk/ts/package-lock.json
	cd sdk/ts && npm ci --no-audit --no-fund

sdk-test: sdk/ts/node_modules/.package-lock.json
	cd sdk/ts && npm test && npm run test:integration

test-short:
	$(GO) test -short ./...

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags icicle ./prover  # the GPU backend must keep compiling without a GPU

# Benchmarks print JSON; see docs/benchmarks.md for recorded figures.
bench: build
	$(BIN) bench circuit --depth 24 --transfers 1 --prove
	$(BIN) bench circuit --depth 24 --transfers 8 --prove
	$(BIN) bench circuit --depth 24 --transfers 32
	$(GO) test -run '^$$' -bench . ./protocol/... ./circuits/...

generate:
	$(GO) generate ./...

devnet: build node_modules/solc
	$(BIN) devnet

clean:
	rm -rf bin

# Solidity: compile l1/contracts with solc-js (pinned in package.json; `npm ci`
# when node_modules is missing) into the committed artifacts, then regenerate
# the committed Go bindings with abigen v2. TestArtifactsUpToDate fails when
# either drifts from the sources.
CONTRACTS = l1/contracts/Rollup.sol l1/contracts/Poseidon2.sol
.PHONY: contracts
contracts:
	@test -d node_modules/solc || npm ci --no-audit --no-fund
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	node l1/scripts/compile.js --out l1/artifacts --split "$$tmp" $(CONTRACTS) && \
	$(GO) run github.com/ethereum/go-ethereum/cmd/abigen@v1.17.10 --v2 --pkg bindings --type Rollup \
		--abi "$$tmp/Rollup.abi" --bin "$$tmp/Rollup.bin" --out l1/bindings/rollup.go && \
	chmod 644 l1/bindings/rollup.go
