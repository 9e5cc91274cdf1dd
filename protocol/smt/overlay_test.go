package smt

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestOverlayRewinds takes snapshots of a tree, changes and grows it, and
// checks that the changed tree overlaid with the snapshot's values of the
// changed leaves proves every index exactly as the snapshot did.
func TestOverlayRewinds(t *testing.T) {
	for _, tc := range []struct {
		name          string
		depth         int
		before, after int // leaves set before the snapshot, then leaves changed
		grow          int // new leaves appended after the snapshot
	}{
		{"no change", 4, 9, 0, 0},
		{"one leaf", 4, 9, 1, 0},
		{"many", 6, 40, 25, 0},
		{"grown", 6, 20, 5, 12},
		{"from empty", 5, 0, 0, 7},
		{"every leaf", 3, 8, 8, 0},
		{"deep sparse", 24, 30, 10, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(tc.depth), uint64(tc.before*1000+tc.after)))
			tr := mustNew(t, tc.depth)
			for i := range tc.before {
				if err := tr.Set(uint64(i), randElem(rng)); err != nil {
					t.Fatal(err)
				}
			}
			n := uint64(1) << tc.depth
			limit := min(n, uint64(tc.before+tc.grow)+2)
			old := map[uint64]Proof{}
			for i := range limit {
				p, err := tr.Proof(i)
				if err != nil {
					t.Fatal(err)
				}
				old[i] = p
			}
			oldRoot := tr.Root()
			// Change leaves, some twice, then grow: remember each changed
			// leaf's value at the snapshot.
			was := map[uint64]Leaf{}
			change := func(i uint64) {
				if _, seen := was[i]; !seen {
					was[i] = Leaf{Index: i, Value: tr.Leaf(i)}
				}
				if err := tr.Set(i, randElem(rng)); err != nil {
					t.Fatal(err)
				}
			}
			for range tc.after {
				change(uint64(rng.IntN(tc.before)))
			}
			for i := range tc.grow {
				change(uint64(tc.before + i))
			}
			var leaves []Leaf
			for _, l := range was {
				leaves = append(leaves, l)
			}
			if len(was) > 0 && tr.Root() == oldRoot {
				t.Fatal("the changes left the root as it was")
			}
			for i := range limit {
				o, err := tr.Overlay(i, leaves)
				if err != nil {
					t.Fatal(err)
				}
				p, root := o.Prove()
				if root != oldRoot {
					t.Fatalf("index %d: overlay root %s, snapshot root %s", i, root.String(), oldRoot.String())
				}
				if want := old[i]; p.Index != i || p.Leaf != want.Leaf || !slices.Equal(p.Siblings, want.Siblings) {
					t.Fatalf("index %d: overlay proof differs from the snapshot's", i)
				}
				if !p.Verify(root) {
					t.Fatalf("index %d: proof does not verify", i)
				}
			}
		})
	}
}

func TestOverlayRejects(t *testing.T) {
	tr := mustNew(t, 4)
	if _, err := tr.Overlay(16, nil); err == nil {
		t.Error("index beyond the tree accepted")
	}
	if _, err := tr.Overlay(1, []Leaf{{Index: 16}}); err == nil {
		t.Error("leaf beyond the tree accepted")
	}
	if _, err := tr.Overlay(1, []Leaf{{Index: 3}, {Index: 3, Value: elem(1)}}); err == nil {
		t.Error("a leaf given twice accepted")
	}
}
