// Package e2e holds Sheaf's end-to-end tests against a real L1 node: anvil
// (npm @foundry-rs/anvil-linux-amd64, pinned in package.json; `npm ci`),
// started and stopped by the test, a throw-away PostgreSQL, and every
// service in process: watcher, sequencer, prover pool and submitter.
// TestEndToEnd is the smallest circuit's round trip; TestEndToEndLoad adds
// deposits from four L1 accounts, 96 transfers from concurrent clients
// through the JSON-RPC API, two withdrawals claimed on L1 and the auditor
// run against the chain alone. TestExodus and TestCensoredForcedExit
// take the way out without the operator: a forced exit the sequencer
// includes or censors, exodus mode and `sheaf exit` (docs/exits.md).
// TestEndToEndBlob runs the round trip in blob mode (blob transactions on
// anvil) and audits it from L1 and `sheaf blobs export`'s directory, also
// with a blob missing or altered (docs/l1.md "Blob mode on anvil"). Run them with `make e2e` (they are also part
// of `go test ./...`); see docs/l1.md.
package e2e
