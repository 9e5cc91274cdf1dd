package smt

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"

	"github.com/sheafrollup/sheaf/internal/cputime"
)

// gnarkCompress is the reference: gnark-crypto's permutation on the
// two-element state, right fed forward.
func gnarkCompress(t testing.TB, l, r fr.Element) fr.Element {
	x := [2]fr.Element{l, r}
	if err := poseidon2.NewDefaultPermutation().Permutation(x[:]); err != nil {
		t.Fatal(err)
	}
	x[1].Add(&x[1], &r)
	return x[1]
}

// TestPoseidon2AgreementRandom checks the tree's node hash against
// gnark-crypto's permutation and its byte-level Compress on thousands of
// random inputs, edge values included. (A width-2 compression specialised
// by hand — state in locals, flat round keys, unrolled matrices — was tried
// for issue 15 and measured no faster: fr's assembly multiply is the whole
// cost, see docs/benchmarks.md; this test guards any future replacement.)
func TestPoseidon2AgreementRandom(t *testing.T) {
	var pMinus1 fr.Element
	pMinus1.SetOne().Neg(&pMinus1)
	edges := []fr.Element{elem(0), elem(1), elem(2), pMinus1}
	var pairs [][2]fr.Element
	for _, a := range edges {
		for _, b := range edges {
			pairs = append(pairs, [2]fr.Element{a, b})
		}
	}
	rng := rand.New(rand.NewPCG(15, 2))
	for range 4000 {
		pairs = append(pairs, [2]fr.Element{randElem(rng), randElem(rng)})
	}
	// Chained: each output feeds the next input, as tree paths do.
	h := elem(7)
	for range 500 {
		pairs = append(pairs, [2]fr.Element{h, elem(3)})
		h = gnarkCompress(t, h, elem(3))
	}
	perm := poseidon2.NewDefaultPermutation()
	for i, p := range pairs {
		got := HashNode(p[0], p[1])
		if want := gnarkCompress(t, p[0], p[1]); !got.Equal(&want) {
			t.Fatalf("pair %d (%s, %s): HashNode %s, gnark permutation %s", i, p[0].String(), p[1].String(), got.String(), want.String())
		}
		if i%8 == 0 { // the byte-level API too, on a sample (it allocates)
			l, r := p[0].Bytes(), p[1].Bytes()
			want, err := perm.Compress(l[:], r[:])
			if err != nil {
				t.Fatal(err)
			}
			if gb := got.Bytes(); !slices.Equal(gb[:], want) {
				t.Fatalf("pair %d: HashNode %x, gnark Compress %x", i, gb, want)
			}
		}
	}
}

// TestHashNodesMatchesHashNode checks the lane-parallel HashNodes against
// HashNode at every batch size around the vector path's thresholds (one
// IFMA block of 8, the 16 lanes), with out aliasing an input as the tree
// uses it. testHashNodesGeneric (amd64) repeats it without IFMA.
func TestHashNodesMatchesHashNode(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 3))
	var pMinus1 fr.Element
	pMinus1.SetOne().Neg(&pMinus1)
	for n := 0; n <= 41; n++ {
		l, r := make([]fr.Element, n), make([]fr.Element, n)
		for i := range n {
			l[i], r[i] = randElem(rng), randElem(rng)
			if i%7 == 3 { // edge values in some lanes
				l[i], r[i] = pMinus1, elem(0)
			}
		}
		want := make([]fr.Element, n)
		for i := range n {
			want[i] = HashNode(l[i], r[i])
		}
		out := make([]fr.Element, n)
		HashNodes(out, l, r)
		for i := range n {
			if !out[i].Equal(&want[i]) {
				t.Fatalf("n=%d lane %d: HashNodes %s, HashNode %s", n, i, out[i].String(), want[i].String())
			}
		}
		next := make([]fr.Element, n) // for aliasing the right input
		for i := range n {
			next[i] = HashNode(want[i], r[i])
		}
		HashNodes(l, l, r) // out aliasing the left input
		HashNodes(r, want, r)
		for i := range n {
			if !l[i].Equal(&want[i]) {
				t.Fatalf("n=%d lane %d: HashNodes into its left input differs", n, i)
			}
			if !r[i].Equal(&next[i]) {
				t.Fatalf("n=%d lane %d: HashNodes into its right input differs", n, i)
			}
		}
	}
}

// TestPoseidon2AgreementGolden checks both implementations against the
// committed golden vectors (testdata/vectors.json, also used by the
// Solidity and TypeScript twins).
func TestPoseidon2AgreementGolden(t *testing.T) {
	v := readVectors(t)
	if len(v.HashNode) == 0 {
		t.Fatal("no HashNode vectors")
	}
	for i, h := range v.HashNode {
		l, r, want := fr.Element(h.Left), fr.Element(h.Right), fr.Element(h.Out)
		if got := HashNode(l, r); !got.Equal(&want) {
			t.Errorf("vector %d: HashNode %s, want %s", i, got.String(), want.String())
		}
		if got := gnarkCompress(t, l, r); !got.Equal(&want) {
			t.Errorf("vector %d: gnark %s, want %s", i, got.String(), want.String())
		}
	}
	z := ZeroHashes(8)
	for i, w := range v.ZeroHashesDepth8 {
		if want := fr.Element(w); !z[i].Equal(&want) {
			t.Errorf("zero hash %d: %s, want %s", i, z[i].String(), want.String())
		}
	}
}

// BenchmarkPoseidon2Compress also reports the thread's CPU time per hash
// (cpu-ns/op): on a shared machine wall time says more about the neighbours.
func BenchmarkPoseidon2Compress(b *testing.B) {
	r := elem(2)
	run := func(b *testing.B, f func(l, r fr.Element) fr.Element) {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		l := elem(1)
		b.ReportAllocs()
		c0 := threadCPU()
		n := 0
		for b.Loop() {
			l = f(l, r)
			n++
		}
		b.ReportMetric(float64(threadCPU()-c0)/float64(n), "cpu-ns/op")
	}
	b.Run("HashNode", func(b *testing.B) { run(b, HashNode) })
	b.Run("HashNodes-16-lanes", func(b *testing.B) {
		// Each call hashes 16 chains side by side: ns/hash is per hash,
		// cpu-ns/op per call.
		var l, rs, out [16]fr.Element
		for i := range l {
			l[i], rs[i] = elem(uint64(i)+1), r
		}
		run(b, func(fr.Element, fr.Element) fr.Element {
			HashNodes(out[:], l[:], rs[:])
			l = out
			return out[0]
		})
		b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(16*b.N), "ns/hash")
	})
	b.Run("gnark-permutation", func(b *testing.B) {
		perm := poseidon2.NewDefaultPermutation()
		run(b, func(l, r fr.Element) fr.Element {
			x := [2]fr.Element{l, r}
			_ = perm.Permutation(x[:])
			x[1].Add(&x[1], &r)
			return x[1]
		})
	})
}

// threadCPU is the calling thread's CPU time in nanoseconds.
func threadCPU() int64 { return int64(cputime.Thread()) }

func readVectors(t *testing.T) *vectors {
	t.Helper()
	raw, err := os.ReadFile(vectorsPath)
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	return &v
}
