package smt

import (
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
)

// perm is shared by every tree: the permutation only reads its round
// constants, so concurrent use (parallel Load) is safe.
var perm = poseidon2.NewDefaultPermutation()

// HashNode is the node hash: Poseidon2 2→1 compression with gnark-crypto's
// default BN254 parameters (width 2, 6 full and 50 partial rounds). It equals
// poseidon2.NewDefaultPermutation().Compress on the canonical encodings, i.e.
// perm(left, right)[1] + right, but works on field elements directly to skip
// the byte round-trip on the hot path.
func HashNode(left, right fr.Element) fr.Element {
	x := [2]fr.Element{left, right}
	// The only possible error is a wrong buffer width, which cannot happen
	// with the fixed-size array above.
	if err := perm.Permutation(x[:]); err != nil {
		panic(err)
	}
	x[1].Add(&x[1], &right)
	return x[1]
}

// cachedZeroHashes holds the zero hashes up to MaxDepth so New and
// ZeroHashes never recompute them.
var cachedZeroHashes = sync.OnceValue(func() []fr.Element {
	return computeZeroHashes(MaxDepth)
})

func computeZeroHashes(depth int) []fr.Element {
	z := make([]fr.Element, depth+1)
	for i := 1; i <= depth; i++ {
		z[i] = HashNode(z[i-1], z[i-1])
	}
	return z
}

// ZeroHashes returns the hash of an empty subtree for every level: [0] is the
// empty leaf (0) and [depth] is the root of an empty tree of that depth. The
// slice is a fresh copy the caller may modify. It panics if depth < 0.
func ZeroHashes(depth int) []fr.Element {
	if depth < 0 {
		panic("smt: negative depth")
	}
	if depth > MaxDepth {
		return computeZeroHashes(depth)
	}
	z := make([]fr.Element, depth+1)
	copy(z, cachedZeroHashes())
	return z
}
