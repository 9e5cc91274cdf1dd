package smt

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
)

func elem(v uint64) fr.Element {
	var e fr.Element
	e.SetUint64(v)
	return e
}

// randElem returns a random field element; about one in five is 0 (an
// explicit "empty" write) and one in five is small, to hit edge cases.
func randElem(rng *rand.Rand) fr.Element {
	switch rng.IntN(5) {
	case 0:
		return fr.Element{}
	case 1:
		return elem(rng.Uint64N(8))
	default:
		var b [32]byte
		for i := 0; i < 32; i += 8 {
			v := rng.Uint64()
			for j := range 8 {
				b[i+j] = byte(v >> (8 * j))
			}
		}
		var e fr.Element
		e.SetBytes(b[:]) // reduces mod r
		return e
	}
}

func mustNew(t testing.TB, depth int) *Tree {
	t.Helper()
	tr, err := New(depth)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestNewDepth(t *testing.T) {
	for _, tc := range []struct {
		depth int
		ok    bool
	}{{-1, false}, {0, false}, {1, true}, {24, true}, {32, true}, {33, false}} {
		tr, err := New(tc.depth)
		if (err == nil) != tc.ok {
			t.Errorf("New(%d): err = %v, want ok=%v", tc.depth, err, tc.ok)
		}
		if err == nil && tr.Depth() != tc.depth {
			t.Errorf("New(%d).Depth() = %d", tc.depth, tr.Depth())
		}
	}
}

func TestHashNodeMatchesCompress(t *testing.T) {
	var pMinus1 fr.Element
	pMinus1.SetOne().Neg(&pMinus1)
	pairs := [][2]fr.Element{
		{elem(0), elem(0)},
		{elem(1), elem(2)},
		{elem(2), elem(1)},
		{pMinus1, pMinus1},
		{pMinus1, elem(0)},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		pairs = append(pairs, [2]fr.Element{randElem(rng), randElem(rng)})
	}
	perm := poseidon2.NewDefaultPermutation()
	for i, p := range pairs {
		l, r := p[0].Bytes(), p[1].Bytes()
		want, err := perm.Compress(l[:], r[:])
		if err != nil {
			t.Fatal(err)
		}
		got := HashNode(p[0], p[1])
		if gb := got.Bytes(); !slices.Equal(gb[:], want) {
			t.Errorf("pair %d: HashNode = %x, Compress = %x", i, gb, want)
		}
	}
}

func TestZeroHashes(t *testing.T) {
	z := ZeroHashes(40) // beyond the cache, computed directly
	if !z[0].IsZero() {
		t.Fatal("ZeroHashes[0] != 0")
	}
	for i := 1; i <= 40; i++ {
		if want := HashNode(z[i-1], z[i-1]); !z[i].Equal(&want) {
			t.Fatalf("ZeroHashes[%d] != H(z[%d], z[%d])", i, i-1, i-1)
		}
	}
	for depth := 1; depth <= MaxDepth; depth++ {
		zd := ZeroHashes(depth)
		if len(zd) != depth+1 || !slices.Equal(zd, z[:depth+1]) {
			t.Fatalf("ZeroHashes(%d) inconsistent", depth)
		}
		tr := mustNew(t, depth)
		if root := tr.Root(); !root.Equal(&zd[depth]) {
			t.Fatalf("empty tree depth %d: root != ZeroHashes[depth]", depth)
		}
	}
	// The result must be a copy: scribbling on it must not corrupt trees.
	zd := ZeroHashes(4)
	zd[4] = elem(1)
	tr := mustNew(t, 4)
	if root, want := tr.Root(), ZeroHashes(4)[4]; !root.Equal(&want) || root.Equal(&zd[4]) {
		t.Fatal("ZeroHashes result aliases the shared table")
	}
}

func TestProof(t *testing.T) {
	const depth = 8
	tr := mustNew(t, depth)
	set := map[uint64]fr.Element{0: elem(11), 1: elem(12), 5: elem(13), 6: elem(0), 37: elem(14)}
	for i, v := range set {
		if err := tr.Set(i, v); err != nil {
			t.Fatal(err)
		}
	}
	root := tr.Root()
	for _, tc := range []struct {
		name  string
		index uint64
		isSet bool
	}{
		{"first", 0, true},
		{"right child", 1, true},
		{"middle", 5, true},
		{"set to zero", 6, false},
		{"unset inside prefix", 20, false},
		{"last set", 37, true},
		{"unset past Len", 38, false},
		{"unset far right", 255, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tr.Proof(tc.index)
			if err != nil {
				t.Fatal(err)
			}
			if want := set[tc.index]; p.Index != tc.index || !p.Leaf.Equal(&want) || len(p.Siblings) != depth {
				t.Fatalf("proof fields: %+v", p)
			}
			if !p.Verify(root) {
				t.Fatal("valid proof rejected")
			}
			if got := ComputeRoot(p.Index, p.Leaf, p.Siblings); !got.Equal(&root) {
				t.Fatal("ComputeRoot != Root")
			}

			bad := p
			bad.Leaf = elem(999)
			if bad.Verify(root) {
				t.Error("wrong leaf accepted")
			}
			wrongRoot := root
			wrongRoot.Add(&wrongRoot, &fr.Element{1})
			if p.Verify(wrongRoot) {
				t.Error("wrong root accepted")
			}
			bad = p
			bad.Siblings = slices.Clone(p.Siblings)
			bad.Siblings[depth-1] = elem(7)
			if bad.Verify(root) {
				t.Error("wrong sibling accepted")
			}
			bad = p
			bad.Index = p.Index | 1<<depth // aliases the same path
			if bad.Verify(root) {
				t.Error("out-of-range index accepted")
			}
			if tc.isSet {
				// An empty leaf's proof is also valid for other empty
				// leaves with the same siblings, so only a set leaf has
				// a meaningful "wrong index".
				for bit := range depth {
					bad = p
					bad.Index = p.Index ^ 1<<bit
					if bad.Verify(root) {
						t.Errorf("wrong index %d accepted", bad.Index)
					}
				}
			}
		})
	}

	if _, err := tr.Proof(1 << depth); !errors.Is(err, ErrIndexOutOfRange) {
		t.Errorf("Proof(2^depth): err = %v", err)
	}
	if err := tr.Set(1<<depth, elem(1)); !errors.Is(err, ErrIndexOutOfRange) {
		t.Errorf("Set(2^depth): err = %v", err)
	}
	if err := tr.Set(^uint64(0), elem(1)); !errors.Is(err, ErrIndexOutOfRange) {
		t.Errorf("Set(max): err = %v", err)
	}
	if r := tr.Root(); !r.Equal(&root) || tr.Len() != 38 {
		t.Error("failed Set modified the tree")
	}
}

// assertSameTree compares everything observable about two trees.
func assertSameTree(t *testing.T, got, want *Tree) {
	t.Helper()
	if got.Len() != want.Len() {
		t.Fatalf("Len = %d, want %d", got.Len(), want.Len())
	}
	if a, b := got.Root(), want.Root(); !a.Equal(&b) {
		t.Fatalf("roots differ")
	}
	for l := range got.levels {
		if !slices.Equal(got.levels[l], want.levels[l]) {
			t.Fatalf("level %d differs", l)
		}
	}
}

func TestSetEqualsLoad(t *testing.T) {
	for _, tc := range []struct {
		depth     int
		n         int
		threshold int // parallelThreshold; 1 forces goroutines on tiny levels
	}{
		{1, 0, 256}, {1, 1, 256}, {1, 2, 1},
		{4, 5, 1}, {4, 16, 1}, {4, 16, 256},
		{8, 100, 1}, {8, 255, 3}, {10, 1023, 256},
		{13, 2000, 256},
	} {
		t.Run(fmt.Sprintf("depth=%d/n=%d/threshold=%d", tc.depth, tc.n, tc.threshold), func(t *testing.T) {
			old := parallelThreshold
			parallelThreshold = tc.threshold
			defer func() { parallelThreshold = old }()

			rng := rand.New(rand.NewPCG(uint64(tc.depth), uint64(tc.n)))
			leaves := make([]fr.Element, tc.n)
			for i := range leaves {
				leaves[i] = randElem(rng)
			}
			if tc.n > 0 {
				leaves[tc.n-1] = elem(1) // Load counts trailing zeros in Len too
			}

			bySet := mustNew(t, tc.depth)
			for _, i := range rng.Perm(tc.n) { // order must not matter
				if err := bySet.Set(uint64(i), leaves[i]); err != nil {
					t.Fatal(err)
				}
			}
			byLoad := mustNew(t, tc.depth)
			// Pre-populate, past n too, to check that Load replaces content
			// (and shrinks Len).
			for _, i := range []uint64{0, uint64(tc.n / 2), min(uint64(tc.n+5), 1<<tc.depth-1)} {
				_ = byLoad.Set(i, elem(i+1))
			}
			if err := byLoad.Load(leaves); err != nil {
				t.Fatal(err)
			}
			leaves = append(leaves[:0:0], leaves...)
			assertSameTree(t, byLoad, bySet)
			for i := range leaves {
				if got := byLoad.Leaf(uint64(i)); !got.Equal(&leaves[i]) {
					t.Fatalf("Leaf(%d) differs", i)
				}
			}
			root := byLoad.Root()
			for _, i := range []uint64{0, uint64(tc.n / 2), uint64(tc.n), 1<<tc.depth - 1} {
				if i >= 1<<tc.depth {
					continue
				}
				p, err := byLoad.Proof(i)
				if err != nil || !p.Verify(root) {
					t.Fatalf("proof %d after Load: err=%v", i, err)
				}
			}
		})
	}

	tr := mustNew(t, 3)
	if err := tr.Load(make([]fr.Element, 9)); !errors.Is(err, ErrIndexOutOfRange) {
		t.Errorf("Load(9 leaves, depth 3): err = %v", err)
	}
}

func TestLoadCopiesLeaves(t *testing.T) {
	leaves := []fr.Element{elem(1), elem(2), elem(3)}
	tr := mustNew(t, 4)
	if err := tr.Load(leaves); err != nil {
		t.Fatal(err)
	}
	root := tr.Root()
	leaves[0] = elem(100)
	if got := tr.Root(); !got.Equal(&root) || tr.Leaf(0) != elem(1) {
		t.Fatal("Load aliases the caller's slice")
	}
}

// refTree is a deliberately naive reference: a map of leaves, the root
// recomputed from scratch, and full snapshots for checkpoints.
type refTree struct {
	depth  int
	leaves map[uint64]fr.Element
	len    uint64
	cps    []refSnapshot
}

type refSnapshot struct {
	id     int
	leaves map[uint64]fr.Element
	len    uint64
}

func (r *refTree) set(i uint64, v fr.Element) {
	r.leaves[i] = v
	r.len = max(r.len, i+1)
}

func (r *refTree) root() fr.Element {
	empty := []fr.Element{{}}
	for l := 1; l <= r.depth; l++ {
		empty = append(empty, HashNode(empty[l-1], empty[l-1]))
	}
	keys := make([]uint64, 0, len(r.leaves))
	for k := range r.leaves {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	// node hashes the subtree at (level, first leaf lo) holding keys.
	var node func(level int, lo uint64, keys []uint64) fr.Element
	node = func(level int, lo uint64, keys []uint64) fr.Element {
		if len(keys) == 0 {
			return empty[level]
		}
		if level == 0 {
			return r.leaves[keys[0]]
		}
		mid := lo + 1<<(level-1)
		split, _ := slices.BinarySearch(keys, mid)
		return HashNode(node(level-1, lo, keys[:split]), node(level-1, mid, keys[split:]))
	}
	return node(r.depth, 0, keys)
}

func (r *refTree) check(t *testing.T, tr *Tree, step int) {
	t.Helper()
	if tr.Len() != r.len {
		t.Fatalf("step %d: Len = %d, want %d", step, tr.Len(), r.len)
	}
	for i := range uint64(1) << r.depth {
		want := r.leaves[i]
		if got := tr.Leaf(i); !got.Equal(&want) {
			t.Fatalf("step %d: Leaf(%d) differs", step, i)
		}
	}
	if got, want := tr.Root(), r.root(); !got.Equal(&want) {
		t.Fatalf("step %d: root differs", step)
	}
}

func TestRevertRandom(t *testing.T) {
	steps := 400
	if testing.Short() {
		steps = 150
	}
	for depth := 1; depth <= 10; depth++ {
		t.Run(fmt.Sprintf("depth=%d", depth), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(42, uint64(depth)))
			tr := mustNew(t, depth)
			ref := &refTree{depth: depth, leaves: map[uint64]fr.Element{}}
			capacity := uint64(1) << depth
			var reverts int
			for step := range steps {
				switch op := rng.IntN(100); {
				case op < 55: // Set, mostly near the prefix as in production
					var i uint64
					if rng.IntN(10) < 7 {
						i = rng.Uint64N(min(capacity, ref.len+3))
					} else {
						i = rng.Uint64N(capacity)
					}
					v := randElem(rng)
					if err := tr.Set(i, v); err != nil {
						t.Fatal(err)
					}
					ref.set(i, v)
				case op < 67:
					ref.cps = append(ref.cps, refSnapshot{tr.Checkpoint(), maps(ref.leaves), ref.len})
				case op < 85:
					if len(ref.cps) == 0 {
						continue
					}
					k := rng.IntN(len(ref.cps))
					s := ref.cps[k]
					tr.RevertTo(s.id)
					ref.leaves, ref.len = maps(s.leaves), s.len
					ref.cps = ref.cps[:k+1] // later checkpoints are gone, s stays valid
					reverts++
					ref.check(t, tr, step)
				case op < 90:
					tr.Commit()
					ref.cps = nil
				case op < 93:
					leaves := make([]fr.Element, rng.Uint64N(capacity+1))
					for i := range leaves {
						leaves[i] = randElem(rng)
					}
					if err := tr.Load(leaves); err != nil {
						t.Fatal(err)
					}
					ref.leaves, ref.len, ref.cps = map[uint64]fr.Element{}, uint64(len(leaves)), nil
					for i, v := range leaves {
						ref.leaves[uint64(i)] = v
					}
				default:
					ref.check(t, tr, step)
					i := rng.Uint64N(capacity)
					p, err := tr.Proof(i)
					if err != nil || !p.Verify(ref.root()) {
						t.Fatalf("step %d: proof %d does not verify against reference root", step, i)
					}
				}
			}
			ref.check(t, tr, steps)
			if reverts == 0 {
				t.Fatal("no RevertTo exercised")
			}
		})
	}
}

func maps(m map[uint64]fr.Element) map[uint64]fr.Element {
	c := make(map[uint64]fr.Element, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func TestRevertShrinksAndRegrows(t *testing.T) {
	tr := mustNew(t, 6)
	_ = tr.Set(0, elem(1))
	_ = tr.Set(1, elem(2))
	root, n := tr.Root(), tr.Len()
	cp := tr.Checkpoint()
	_ = tr.Set(2, elem(3))
	_ = tr.Set(63, elem(4)) // grows every level to its full width
	_ = tr.Set(1, elem(5))
	_ = tr.Set(1, elem(6))
	tr.RevertTo(cp)
	if got := tr.Root(); !got.Equal(&root) || tr.Len() != n || tr.Leaf(1) != elem(2) || tr.Leaf(63) != elem(0) {
		t.Fatal("revert did not restore the tree")
	}
	tr.RevertTo(cp) // reverting again to the same checkpoint is a no-op
	// Regrowing after a truncation must not resurrect stale values.
	_ = tr.Set(40, elem(7))
	want := mustNew(t, 6)
	_ = want.Load([]fr.Element{elem(1), elem(2)})
	_ = want.Set(40, elem(7))
	assertSameTree(t, tr, want)
}

func TestRevertToInvalidPanics(t *testing.T) {
	for _, tc := range []struct {
		name string
		cp   func(tr *Tree) int
	}{
		{"never checkpointed", func(tr *Tree) int { return 0 }},
		{"after Commit", func(tr *Tree) int {
			cp := tr.Checkpoint()
			tr.Commit()
			_ = tr.Set(3, elem(3))
			return cp
		}},
		{"after Commit then new checkpoint", func(tr *Tree) int {
			cp := tr.Checkpoint()
			tr.Commit()
			tr.Checkpoint()
			return cp
		}},
		{"after Load", func(tr *Tree) int {
			cp := tr.Checkpoint()
			_ = tr.Load(nil)
			tr.Checkpoint()
			return cp
		}},
		{"reverted past", func(tr *Tree) int {
			cp1 := tr.Checkpoint()
			_ = tr.Set(1, elem(1))
			cp2 := tr.Checkpoint()
			tr.RevertTo(cp1)
			return cp2
		}},
		{"future", func(tr *Tree) int { return tr.Checkpoint() + 1 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := mustNew(t, 4)
			_ = tr.Set(0, elem(1))
			cp := tc.cp(tr)
			defer func() {
				if recover() == nil {
					t.Fatalf("RevertTo(%d) did not panic", cp)
				}
			}()
			tr.RevertTo(cp)
		})
	}
}

func TestNoJournalWithoutCheckpoint(t *testing.T) {
	tr := mustNew(t, 8)
	for i := range uint64(100) {
		_ = tr.Set(i, elem(i))
	}
	if len(tr.journal) != 0 {
		t.Fatalf("journal has %d entries without a checkpoint", len(tr.journal))
	}
	tr.Checkpoint()
	_ = tr.Set(1, elem(1))
	tr.Commit()
	if len(tr.journal) != 0 || tr.journaling {
		t.Fatal("Commit did not drop the journal")
	}
}

func TestSetAllocations(t *testing.T) {
	tr := mustNew(t, 24)
	_ = tr.Set(1000, elem(1))
	allocs := testing.AllocsPerRun(100, func() { _ = tr.Set(500, elem(2)) })
	if allocs != 0 {
		t.Errorf("Set in the prefix allocates %.1f times", allocs)
	}
}
