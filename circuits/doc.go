// Package circuits holds Sheaf's batch circuit: one Groth16 circuit per
// protocol.Config that enforces every rule of protocol.State's
// state-transition function and exposes exactly one public input, the
// truncated SHA-256 of the batch header and padded pubdata. It uses no
// Groth16 commitment (bitwise SHA-256, ToBinary range checks), which keeps
// the Solidity verifier at one pairing check and 256-byte proofs.
package circuits
