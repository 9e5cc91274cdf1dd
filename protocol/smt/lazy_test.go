package smt

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// eagerTree is the tree as it was before hashing became lazy: every Set
// rehashes its whole path at once. It is the simple implementation the
// lazy one must agree with exactly.
type eagerTree struct {
	depth  int
	zero   []fr.Element
	levels [][]fr.Element
}

func newEager(depth int) *eagerTree {
	return &eagerTree{depth: depth, zero: ZeroHashes(depth), levels: make([][]fr.Element, depth+1)}
}

func (e *eagerTree) node(l int, j uint64) fr.Element {
	if j < uint64(len(e.levels[l])) {
		return e.levels[l][j]
	}
	return e.zero[l]
}

func (e *eagerTree) set(index uint64, leaf fr.Element) {
	for l := range e.levels {
		for uint64(len(e.levels[l])) < levelLen(index+1, l) {
			e.levels[l] = append(e.levels[l], e.zero[l])
		}
	}
	e.levels[0][index] = leaf
	cur := leaf
	for l := 0; l < e.depth; l++ {
		if index&1 == 0 {
			cur = HashNode(cur, e.node(l, index^1))
		} else {
			cur = HashNode(e.node(l, index^1), cur)
		}
		index >>= 1
		e.levels[l+1][index] = cur
	}
}

func (e *eagerTree) proof(index uint64) []fr.Element {
	s := make([]fr.Element, e.depth)
	for l := range e.depth {
		s[l] = e.node(l, (index>>l)^1)
	}
	return s
}

func (e *eagerTree) root() fr.Element { return e.node(e.depth, 0) }

// TestLazyMatchesEager drives the lazy tree and the eager reference with
// the sequencer's pattern — a proof of each account before its update, two
// updates per transfer sharing most of their path, the root once per batch
// — plus random extra reads, and requires every sibling and root to be
// identical.
func TestLazyMatchesEager(t *testing.T) {
	for _, tc := range []struct{ depth, accounts, batches int }{
		{4, 16, 20}, {10, 40, 30}, {24, 33, 20}, {24, 3000, 10},
	} {
		t.Run(fmt.Sprintf("depth=%d/accounts=%d", tc.depth, tc.accounts), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(tc.depth), uint64(tc.accounts)))
			lazy, eager := mustNew(t, tc.depth), newEager(tc.depth)
			same := func(what string, i uint64) {
				t.Helper()
				p, err := lazy.Proof(i)
				if err != nil {
					t.Fatal(err)
				}
				want := eager.proof(i)
				for l := range want {
					if !p.Siblings[l].Equal(&want[l]) {
						t.Fatalf("%s: proof of %d differs at level %d", what, i, l)
					}
				}
			}
			next := uint64(0) // accounts are appended, as deposits do
			for b := range tc.batches {
				for range 32 {
					if next < uint64(tc.accounts) && rng.IntN(4) == 0 {
						v := randElem(rng)
						same("before append", next)
						lazy.Set(next, v)
						eager.set(next, v)
						next++
						continue
					}
					if next == 0 {
						continue
					}
					from, to := rng.Uint64N(next), rng.Uint64N(next)
					for _, i := range []uint64{from, to} {
						same(fmt.Sprintf("batch %d", b), i)
						v := randElem(rng)
						if err := lazy.Set(i, v); err != nil {
							t.Fatal(err)
						}
						eager.set(i, v)
					}
					if rng.IntN(8) == 0 { // an odd read mid-batch
						if got, want := lazy.Root(), eager.root(); !got.Equal(&want) {
							t.Fatalf("batch %d: mid-batch root differs", b)
						}
					}
				}
				if got, want := lazy.Root(), eager.root(); !got.Equal(&want) {
					t.Fatalf("batch %d: root differs", b)
				}
			}
		})
	}
}

// BenchmarkSealPattern is one 32-transfer batch's tree work as the sealer
// does it (proof then update, for the sender and the recipient, root at
// the end), lazy (with proofs read at once, and deferred with ProofLater
// as the sealer does) against the eager reference, in thread CPU per
// transfer.
func BenchmarkSealPattern(b *testing.B) {
	for _, accounts := range []uint64{33, 1 << 16} {
		leaves := make([]fr.Element, accounts)
		for i := range leaves {
			leaves[i] = elem(uint64(i) + 1)
		}
		run := func(b *testing.B, proof func(uint64), set func(uint64, fr.Element), root func()) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			rng := rand.New(rand.NewPCG(1, 2))
			c0, n := threadCPU(), 0
			for b.Loop() {
				for range 32 {
					for _, i := range []uint64{rng.Uint64N(accounts), rng.Uint64N(accounts)} {
						proof(i)
						set(i, elem(rng.Uint64()))
					}
				}
				root()
				n += 32
			}
			b.ReportMetric(float64(threadCPU()-c0)/1e3/float64(n), "cpu-us/transfer")
		}
		b.Run(fmt.Sprintf("accounts=%d/lazy", accounts), func(b *testing.B) {
			tr := mustNew(b, 24)
			if err := tr.Load(leaves); err != nil {
				b.Fatal(err)
			}
			run(b, func(i uint64) { _, _ = tr.Proof(i) }, func(i uint64, v fr.Element) { _ = tr.Set(i, v) }, func() { tr.Root() })
		})
		b.Run(fmt.Sprintf("accounts=%d/later", accounts), func(b *testing.B) {
			tr := mustNew(b, 24)
			if err := tr.Load(leaves); err != nil {
				b.Fatal(err)
			}
			run(b, func(i uint64) { _, _ = tr.ProofLater(i) }, func(i uint64, v fr.Element) { _ = tr.Set(i, v) }, func() { tr.Root() })
		})
		b.Run(fmt.Sprintf("accounts=%d/eager", accounts), func(b *testing.B) {
			e := newEager(24)
			for i, v := range leaves {
				e.set(uint64(i), v)
			}
			run(b, func(i uint64) { e.proof(i) }, e.set, func() { e.root() })
		})
	}
}
