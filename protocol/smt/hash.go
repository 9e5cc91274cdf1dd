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

// params are HashNode's round constants, for the lane-parallel HashNodes.
var params = poseidon2.GetDefaultParameters()

// lanes is how many compressions HashNodes runs side by side. fr.Vector's
// multiplication uses AVX-512 IFMA (8 elements per instruction) where the
// CPU has it, so the hash's long chain of dependent multiplications runs
// eight or more chains at once: about 2.6x the single hash's speed on the
// reference machine (docs/benchmarks.md, "Hashing in lanes"). Elsewhere
// the multiplication is a plain loop and the lanes gain ≈ 1.5x, from the
// vector additions and the independent multiplications.
const lanes = 16

// HashNodes sets out[i] = HashNode(left[i], right[i]) for every i. The
// three slices have the same length; out may alias left or right. Batches
// of fewer than 8 go through HashNode: the vector path only pays from one
// full IFMA block up.
func HashNodes(out, left, right []fr.Element) {
	if len(left) != len(out) || len(right) != len(out) {
		panic("smt: HashNodes: slices of different lengths")
	}
	for lo := 0; lo < len(out); lo += lanes {
		hi := min(lo+lanes, len(out))
		if hi-lo < 8 {
			for i := lo; i < hi; i++ {
				out[i] = HashNode(left[i], right[i])
			}
			continue
		}
		hashLanes(out[lo:hi], left[lo:hi], right[lo:hi])
	}
}

// hashLanes is the permutation of poseidon2.Permutation for width 2 (the
// same rounds, in the same order) on up to `lanes` states at once: state
// element 0 of every lane in s0, element 1 in s1, so each S-box step is one
// vector multiplication across lanes and each linear step a vector
// addition (fr's assembly loop: half the cost of calling Add per element).
func hashLanes(out, left, right []fr.Element) {
	n := len(out)
	var b0, b1, bt, bs [lanes]fr.Element
	s0, s1, t, sum := fr.Vector(b0[:n]), fr.Vector(b1[:n]), fr.Vector(bt[:n]), fr.Vector(bs[:n])
	copy(s0, left)
	copy(s1, right)
	sbox := func(s fr.Vector) { // x^5
		t.Mul(s, s)
		t.Mul(t, t)
		s.Mul(s, t)
	}
	external := func() { // [[2,1],[1,2]]
		sum.Add(s0, s1)
		s0.Add(s0, sum)
		s1.Add(s1, sum)
	}
	keys := roundKeys()
	full := func(round int) {
		s0.Add(s0, keys[round][0][:n])
		s1.Add(s1, keys[round][1][:n])
		sbox(s0)
		sbox(s1)
		external()
	}
	rf, rp := params.NbFullRounds/2, params.NbPartialRounds
	external()
	for r := range rf {
		full(r)
	}
	for r := rf; r < rf+rp; r++ {
		s0.Add(s0, keys[r][0][:n])
		sbox(s0)
		sum.Add(s0, s1) // internal matrix [[2,1],[1,3]]
		s0.Add(s0, sum)
		s1.Add(s1, s1)
		s1.Add(s1, sum)
	}
	for r := rf + rp; r < 2*rf+rp; r++ {
		full(r)
	}
	// Feed-forward of the right input, as HashNode (read before out is
	// written: out may alias right).
	o := fr.Vector(out)
	o.Add(s1, right)
}

// roundKeys holds each round's keys repeated across the lanes, for the
// vector additions (a partial round has only its first).
var roundKeys = sync.OnceValue(func() [][2][lanes]fr.Element {
	k := make([][2][lanes]fr.Element, len(params.RoundKeys))
	for r, rk := range params.RoundKeys {
		for e := range rk {
			for i := range lanes {
				k[r][e][i] = rk[e]
			}
		}
	}
	return k
})

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
