// Package l1 is Sheaf's Ethereum side: the rollup contract's Solidity
// sources (contracts/), their compiled artifacts (artifacts/, committed),
// the abigen v2 bindings (bindings/, committed) and the deployer.
//
// `make contracts` recompiles the sources with solc-js (npm solc, pinned in
// package.json) through scripts/compile.js and regenerates the bindings;
// TestArtifactsUpToDate fails when either drifts from the sources. The
// verifier contract is not committed: it is gnark's export for one circuit
// configuration's verifying key, compiled with the same script
// (CompileVerifier).
package l1
