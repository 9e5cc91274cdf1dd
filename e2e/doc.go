// Package e2e holds Sheaf's end-to-end test against a real L1 node: anvil
// (npm @foundry-rs/anvil-linux-amd64, pinned in package.json; `npm ci`),
// started and stopped by the test, a throw-away PostgreSQL, and every
// service in process: watcher, sequencer, prover pool and submitter. Run it
// with `make e2e` (it is also part of `go test ./...`); see docs/l1.md.
package e2e
