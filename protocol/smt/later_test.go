package smt

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// TestProofLaterMatchesEager drives ProofLater the way a sealed batch does
// (a deferred proof before each update, appends, the root at the end) and
// mixes in what may interrupt a batch: checkpoints and reverts, plain
// proofs, roots, overlays and leaf reads mid-batch. Every deferred proof,
// once settled, must equal the eager reference's proof at the time it was
// taken, and every root the reference's root.
func TestProofLaterMatchesEager(t *testing.T) {
	for _, tc := range []struct{ depth, accounts, batches int }{
		{3, 8, 30}, {6, 40, 30}, {24, 65, 20}, {24, 5000, 8},
	} {
		t.Run(fmt.Sprintf("depth=%d/accounts=%d", tc.depth, tc.accounts), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(tc.depth), 99))
			tr := mustNew(t, tc.depth)
			type want struct {
				p    Proof
				sibs []fr.Element
			}
			// The reference cannot revert; it is rebuilt from the leaves
			// the tree must hold (leaves), replayed.
			leaves := map[uint64]fr.Element{}
			next := uint64(0)
			eagerOf := func(ls map[uint64]fr.Element) *eagerTree {
				e := newEager(tc.depth)
				keys := make([]uint64, 0, len(ls))
				for k := range ls {
					keys = append(keys, k)
				}
				slices.Sort(keys)
				for _, k := range keys {
					e.set(k, ls[k])
				}
				return e
			}
			eager := newEager(tc.depth)
			var pending []want
			check := func(what string) {
				t.Helper()
				for n, w := range pending {
					for l := range w.sibs {
						if !w.p.Siblings[l].Equal(&w.sibs[l]) {
							t.Fatalf("%s: deferred proof %d of %d differs at level %d", what, n, w.p.Index, l)
						}
					}
				}
				pending = pending[:0]
			}
			set := func(i uint64) {
				v := randElem(rng)
				p, err := tr.ProofLater(i)
				if err != nil {
					t.Fatal(err)
				}
				pending = append(pending, want{p, eager.proof(i)})
				if err := tr.Set(i, v); err != nil {
					t.Fatal(err)
				}
				eager.set(i, v)
				leaves[i] = v
				if i >= next {
					next = i + 1
				}
			}
			for b := range tc.batches {
				var cp int
				var saved map[uint64]fr.Element
				savedNext := next
				for k := range 32 {
					if k == 5 && rng.IntN(2) == 0 {
						cp, saved, savedNext = tr.Checkpoint(), cloneLeaves(leaves), next
					}
					if next < uint64(tc.accounts) && rng.IntN(4) == 0 {
						set(next)
						continue
					}
					if next == 0 {
						continue
					}
					set(rng.Uint64N(next))
					set(rng.Uint64N(next))
					switch rng.IntN(24) {
					case 0: // a plain proof mid-batch settles what is planned
						i := rng.Uint64N(next)
						p, err := tr.Proof(i)
						if err != nil {
							t.Fatal(err)
						}
						check(fmt.Sprintf("batch %d, proof mid-batch", b))
						if w := eager.proof(i); !slices.Equal(p.Siblings, w) {
							t.Fatalf("batch %d: proof of %d mid-batch differs", b, i)
						}
					case 1:
						if got, w := tr.Root(), eager.root(); !got.Equal(&w) {
							t.Fatalf("batch %d: root mid-batch differs", b)
						}
						check(fmt.Sprintf("batch %d, root mid-batch", b))
					case 2: // leaves are never deferred
						i := rng.Uint64N(next)
						if got, w := tr.Leaf(i), leaves[i]; !got.Equal(&w) {
							t.Fatalf("batch %d: leaf %d differs", b, i)
						}
					case 3:
						o, err := tr.Overlay(rng.Uint64N(next), nil)
						if err != nil {
							t.Fatal(err)
						}
						check(fmt.Sprintf("batch %d, overlay mid-batch", b))
						if _, got := o.Prove(); got != eager.root() {
							t.Fatalf("batch %d: overlay root differs", b)
						}
					}
				}
				if saved != nil && rng.IntN(2) == 0 { // a rejected batch
					tr.RevertTo(cp)
					check(fmt.Sprintf("batch %d, revert", b))
					leaves, next = saved, savedNext
					eager = eagerOf(leaves)
					if tr.Len() != next {
						t.Fatalf("batch %d: Len %d after revert, want %d", b, tr.Len(), next)
					}
				}
				if got, w := tr.Root(), eager.root(); !got.Equal(&w) {
					t.Fatalf("batch %d: root differs", b)
				}
				check(fmt.Sprintf("batch %d", b))
				tr.Commit()
			}
		})
	}
}

func cloneLeaves(m map[uint64]fr.Element) map[uint64]fr.Element {
	c := make(map[uint64]fr.Element, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
