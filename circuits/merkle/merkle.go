// Package merkle is the in-circuit twin of protocol/smt: Poseidon2 node
// hashing and Merkle root recomputation for gnark circuits over BN254.
//
// Only plain arithmetic is used (no lookups, range checks or api.Commit), so
// circuits built on it get no Groth16 commitment. Cost in R1CS: 186
// constraints per node hash plus 1 per level for the left/right selection.
package merkle

import (
	"fmt"

	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/permutation/poseidon2"
)

// Hasher wraps the Poseidon2 permutation gadget so a circuit can build it
// once (it converts all round constants) and hash many nodes with it.
type Hasher struct {
	api  frontend.API
	perm *poseidon2.Permutation
}

// NewHasher returns a Hasher using gnark-crypto's default Poseidon2
// parameters for the circuit's field, the same as smt.HashNode on BN254.
func NewHasher(api frontend.API) (*Hasher, error) {
	perm, err := poseidon2.NewPoseidon2(api)
	if err != nil {
		return nil, fmt.Errorf("merkle: poseidon2: %w", err)
	}
	return &Hasher{api: api, perm: perm}, nil
}

// HashNode is Poseidon2 2→1 compression, matching smt.HashNode.
func (h *Hasher) HashNode(left, right frontend.Variable) frontend.Variable {
	return h.perm.Compress(left, right)
}

// ComputeRoot returns the root reached from leaf along indexBits (LSB first:
// bit i = 1 means the level-i node is a right child) and siblings
// (siblings[0] at the leaf level). The bits must already be constrained
// boolean by the caller: an unconstrained non-boolean bit would let a prover
// mix the node and its sibling. It panics if the lengths differ, which is a
// circuit-definition bug.
func (h *Hasher) ComputeRoot(leaf frontend.Variable, indexBits, siblings []frontend.Variable) frontend.Variable {
	if len(indexBits) != len(siblings) {
		panic(fmt.Sprintf("merkle: %d index bits for %d siblings", len(indexBits), len(siblings)))
	}
	api := h.api
	cur := leaf
	for i, sib := range siblings {
		// One multiplication per level instead of two api.Select calls:
		// with d = bit*(sib-cur), bit=0 gives (cur, sib) and bit=1 gives
		// (sib, cur).
		d := api.Mul(indexBits[i], api.Sub(sib, cur))
		cur = h.HashNode(api.Add(cur, d), api.Sub(sib, d))
	}
	return cur
}

// ComputeRoot is Hasher.ComputeRoot with a one-off Hasher. Prefer a shared
// Hasher when a circuit verifies several paths. It panics if the field has
// no Poseidon2 parameters.
func ComputeRoot(api frontend.API, leaf frontend.Variable, indexBits []frontend.Variable, siblings []frontend.Variable) frontend.Variable {
	return mustHasher(api).ComputeRoot(leaf, indexBits, siblings)
}

// HashNode is Hasher.HashNode with a one-off Hasher. It panics if the field
// has no Poseidon2 parameters.
func HashNode(api frontend.API, left, right frontend.Variable) frontend.Variable {
	return mustHasher(api).HashNode(left, right)
}

func mustHasher(api frontend.API) *Hasher {
	h, err := NewHasher(api)
	if err != nil {
		panic(err)
	}
	return h
}
