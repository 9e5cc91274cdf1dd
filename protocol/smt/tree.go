// Package smt is the account-state sparse Merkle tree of Sheaf.
//
// Leaves and nodes are BN254 scalar-field elements, nodes are hashed with
// Poseidon2 compression (HashNode) and an empty leaf is 0. Because account
// indexes are assigned sequentially from 0, the occupied leaves always form a
// prefix [0, Len()), so the tree is stored densely: one slice per level
// holding the nodes that cover that prefix. Nodes past a level's slice cover
// only empty leaves and are that level's zero hash. This gives O(depth)
// hashes per Set with no map overhead, at the price of memory proportional to
// the highest index set: setting a very large index on an otherwise small
// tree allocates the whole prefix.
//
// Hashing is lazy: Set only marks its path dirty, and a node is rehashed
// when something reads it (a proof's sibling, the root), once however many
// Sets dirtied it since. Every value read is the one eager rehashing would
// give; a sealed batch just hashes each node it changes about once instead
// of once per leaf update below it (most of the sequencer's sealing CPU).
// A read rehashes its dirty subtree a level at a time, every dirty node of
// a level in one HashNodes call, so the many paths a batch dirties are
// hashed side by side.
//
// The package's in-circuit twin is circuits/merkle.
package smt

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// MaxDepth is the largest supported tree depth; it keeps indexes (and the
// dense per-level slices) addressable with uint64/int on 64-bit platforms.
const MaxDepth = 32

// ErrIndexOutOfRange is returned for an index >= 2^depth.
var ErrIndexOutOfRange = errors.New("smt: index out of range")

// Tree is a sparse Merkle tree of fixed depth. It is not safe for concurrent
// use. Concurrent readers (Root, Proof, Leaf, Overlay) are fine on a clean
// tree — after Flush or Root, with no Set or RevertTo since — as long as no
// method that modifies the tree runs at the same time; on a dirty tree the
// readers rehash (write) nodes. A tree with ProofLater's hashes still
// planned is not clean either.
type Tree struct {
	depth int
	// zero is the shared read-only zero-hash table, zero[l] = empty node at
	// level l.
	zero []fr.Element
	// levels[l][j] is node j of level l (0 = leaves, depth = root). Level l
	// always has exactly levelLen(Len(), l) entries.
	levels [][]fr.Element
	// dirty[l] is a bitset over levels[l]: the node's stored value is stale
	// and must be rehashed from its children before it is read. A dirty
	// node's ancestors are always dirty too. dirty[0] is unused (leaves are
	// stored, never hashed).
	dirty [][]uint64

	// journal records every Set made while a checkpoint is live, so that
	// RevertTo can undo it. journalBase makes checkpoint ids unique across
	// Commit/Load so that a stale id is detected instead of silently
	// reverting the wrong changes.
	journal     []journalEntry
	journalBase int
	journaling  bool

	// Scratch for rehash, kept to spare the allocations: pending[l] holds
	// the dirty nodes of level l to hash, left and right their children.
	pending     [][]uint64
	left, right []fr.Element

	// Hashes planned by ProofLater and not yet run (later.go): the jobs,
	// their ids by level, the job computing each planned node's value,
	// and the siblings handed out to fill.
	jobs    []job
	jobsAt  [][]int32
	refs    map[uint64]int32
	patches []patch
}

type journalEntry struct {
	index   uint64
	old     fr.Element // leaf value before the Set
	prevLen uint64     // Len() before the Set
}

// New returns an empty tree of the given depth (1 <= depth <= MaxDepth).
func New(depth int) (*Tree, error) {
	if depth < 1 || depth > MaxDepth {
		return nil, fmt.Errorf("smt: depth %d out of range [1, %d]", depth, MaxDepth)
	}
	return &Tree{
		depth:  depth,
		zero:   cachedZeroHashes()[: depth+1 : depth+1],
		levels: make([][]fr.Element, depth+1),
		dirty:  make([][]uint64, depth+1),
	}, nil
}

// Depth returns the number of levels between the leaves and the root.
func (t *Tree) Depth() int { return t.depth }

// Len returns 1 + the highest index ever set (0 for an empty tree), i.e. the
// length of the dense leaf prefix. RevertTo and Load reset it accordingly.
func (t *Tree) Len() uint64 { return uint64(len(t.levels[0])) }

// Root returns the tree root, rehashing what Sets left dirty.
func (t *Tree) Root() fr.Element {
	t.settle()
	return t.node(t.depth, 0)
}

// Flush rehashes every dirty node, leaving a clean tree that concurrent
// readers may share.
func (t *Tree) Flush() {
	t.settle()
	t.node(t.depth, 0)
}

// Leaf returns the leaf at index, 0 for a leaf never set (or out of range).
func (t *Tree) Leaf(index uint64) fr.Element {
	if index < t.Len() {
		return t.levels[0][index]
	}
	return fr.Element{}
}

// node returns node j of level l, falling back to the zero hash past the
// dense prefix and rehashing it (and its dirty descendants) if dirty.
func (t *Tree) node(l int, j uint64) fr.Element {
	lv := t.levels[l]
	if j >= uint64(len(lv)) {
		return t.zero[l]
	}
	if l > 0 && t.isDirty(l, j) {
		t.rehash(l, j)
	}
	return lv[j]
}

// rehash rehashes the dirty subtree under node j of level l, bottom up: it
// first gathers the subtree's dirty nodes level by level (following dirty
// bits only, so the walk costs what the hashing does), then hashes each
// level's nodes in one HashNodes call. Where many paths are dirty, as under
// the root after a batch, the lanes run side by side.
func (t *Tree) rehash(l int, j uint64) {
	t.gatherDirty(l, j)
	for k := 1; k <= l; k++ {
		nodes := t.pending[k]
		if len(nodes) == 0 {
			continue
		}
		left, right := t.pairs(len(nodes))
		child := t.levels[k-1]
		for n, i := range nodes {
			left[n] = child[2*i] // a parent in the prefix has its left child there
			if 2*i+1 < uint64(len(child)) {
				right[n] = child[2*i+1]
			} else {
				right[n] = t.zero[k-1]
			}
		}
		HashNodes(left, left, right)
		lv, d := t.levels[k], t.dirty[k]
		for n, i := range nodes {
			lv[i] = left[n]
			d[i>>6] &^= 1 << (i & 63)
		}
	}
}

func (t *Tree) isDirty(l int, j uint64) bool {
	d := t.dirty[l]
	return j>>6 < uint64(len(d)) && d[j>>6]&(1<<(j&63)) != 0
}

// pairs returns scratch for n children pairs to hash, grown as needed.
func (t *Tree) pairs(n int) (left, right []fr.Element) {
	if cap(t.left) < n {
		t.left, t.right = make([]fr.Element, 2*n), make([]fr.Element, 2*n)
	}
	return t.left[:n], t.right[:n]
}

// gatherDirty sets pending[k], for k in 1..l, to the dirty nodes of level
// k under node j of level l (dirty itself).
func (t *Tree) gatherDirty(l int, j uint64) {
	if len(t.pending) < l+1 {
		t.pending = make([][]uint64, t.depth+1)
	}
	for k := 1; k <= l; k++ {
		t.pending[k] = t.pending[k][:0]
	}
	t.pending[l] = append(t.pending[l], j)
	for k := l; k > 1; k-- {
		for _, i := range t.pending[k] {
			for c := 2 * i; c <= 2*i+1; c++ {
				if c < uint64(len(t.levels[k-1])) && t.isDirty(k-1, c) {
					t.pending[k-1] = append(t.pending[k-1], c)
				}
			}
		}
	}
}

// markPath marks the ancestors of leaf index dirty. Ancestors past a
// level's prefix (after RevertTo shrank the tree) are skipped; it stops at
// the first one already dirty, since that one's ancestors are dirty too.
func (t *Tree) markPath(index uint64) {
	for l := 1; l <= t.depth; l++ {
		j := index >> l
		if j >= uint64(len(t.levels[l])) {
			continue
		}
		d := t.dirty[l]
		if need := int(j>>6) + 1; len(d) < need {
			d = append(d, make([]uint64, need-len(d))...)
			t.dirty[l] = d
		}
		if d[j>>6]&(1<<(j&63)) != 0 {
			return
		}
		d[j>>6] |= 1 << (j & 63)
	}
}

// clearDirtyFrom clears level l's dirty bits at and past position from.
func (t *Tree) clearDirtyFrom(l int, from uint64) {
	d := t.dirty[l]
	w := from >> 6
	if w >= uint64(len(d)) {
		return
	}
	d[w] &= 1<<(from&63) - 1
	clear(d[w+1:])
}

// levelLen is the number of level-l nodes covering the leaf prefix [0, n).
func levelLen(n uint64, l int) uint64 {
	if n == 0 {
		return 0
	}
	return (n-1)>>l + 1
}

func (t *Tree) checkIndex(index uint64) error {
	if index>>t.depth != 0 {
		return fmt.Errorf("%w: %d >= 2^%d", ErrIndexOutOfRange, index, t.depth)
	}
	return nil
}

// Set sets the leaf at index and rehashes its path to the root.
func (t *Tree) Set(index uint64, leaf fr.Element) error {
	if err := t.checkIndex(index); err != nil {
		return err
	}
	n := t.Len()
	if t.journaling {
		t.journal = append(t.journal, journalEntry{index: index, old: t.Leaf(index), prevLen: n})
	}
	if index >= n {
		t.grow(index + 1)
	}
	t.levels[0][index] = leaf
	t.markPath(index)
	return nil
}

// grow extends every level to cover the leaf prefix [0, n). The new nodes
// cover only empty leaves, so they start as zero hashes; the caller then
// rehashes the one path that changes.
func (t *Tree) grow(n uint64) {
	for l := range t.levels {
		lv := t.levels[l]
		old, want := len(lv), int(levelLen(n, l))
		lv = slices.Grow(lv, want-old)[:want]
		for i := old; i < want; i++ {
			lv[i] = t.zero[l]
		}
		t.levels[l] = lv
		// Bits left past the prefix by an earlier RevertTo are stale.
		t.clearDirtyFrom(l, uint64(old))
	}
}

// Proof returns the Merkle proof of the leaf at index (set or not).
func (t *Tree) Proof(index uint64) (Proof, error) {
	if err := t.checkIndex(index); err != nil {
		return Proof{}, err
	}
	t.settle()
	p := Proof{Index: index, Leaf: t.Leaf(index), Siblings: make([]fr.Element, t.depth)}
	for l := range t.depth {
		p.Siblings[l] = t.node(l, (index>>l)^1)
	}
	return p, nil
}

// parallelThreshold is the number of parent nodes below which Load hashes a
// level on the calling goroutine: spawning workers for a handful of hashes
// costs more than it saves. A variable so tests can force the parallel path.
var parallelThreshold = 256

// Load replaces the whole content of the tree with leaves at indexes
// 0..len(leaves)-1 (the restart path), hashing each level in parallel over
// GOMAXPROCS goroutines. leaves is copied. Load drops the journal: every
// earlier checkpoint becomes invalid.
func (t *Tree) Load(leaves []fr.Element) error {
	n := uint64(len(leaves))
	if n > uint64(1)<<t.depth {
		return fmt.Errorf("%w: %d leaves for depth %d", ErrIndexOutOfRange, n, t.depth)
	}
	t.settle() // fills the proofs handed out; the values are replaced below
	t.dropJournal()
	for l := range t.dirty {
		clear(t.dirty[l])
	}
	t.levels[0] = resize(t.levels[0], len(leaves))
	copy(t.levels[0], leaves)
	for l := 0; l < t.depth; l++ {
		parent := resize(t.levels[l+1], int(levelLen(n, l+1)))
		hashLevel(parent, t.levels[l], t.zero[l])
		t.levels[l+1] = parent
	}
	return nil
}

// resize returns a slice of length n, reusing s's memory unless it is too
// small or far too large (so that loading a small tree releases a big one).
func resize(s []fr.Element, n int) []fr.Element {
	if cap(s) >= n && n >= cap(s)/4 {
		return s[:n]
	}
	return make([]fr.Element, n)
}

// hashLevel computes parent[j] = H(child[2j], child[2j+1]) where a missing
// right child (odd-length child level) is zeroChild.
func hashLevel(parent, child []fr.Element, zeroChild fr.Element) {
	work := func(lo, hi int) {
		var l, r [lanes]fr.Element
		for base := lo; base < hi; base += lanes {
			n := min(lanes, hi-base)
			for k := range n {
				j := base + k
				l[k], r[k] = child[2*j], zeroChild
				if 2*j+1 < len(child) {
					r[k] = child[2*j+1]
				}
			}
			HashNodes(parent[base:base+n], l[:n], r[:n])
		}
	}
	m := len(parent)
	workers := runtime.GOMAXPROCS(0)
	if workers <= 1 || m < parallelThreshold || m < 2 {
		work(0, m)
		return
	}
	chunk := (m + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < m; lo += chunk {
		hi := min(lo+chunk, m)
		wg.Go(func() { work(lo, hi) })
	}
	wg.Wait()
}

// Checkpoint marks the current state and returns its id for RevertTo. Sets
// are only journaled while a checkpoint is live (until Commit or Load), so a
// tree that never checkpoints pays nothing for the journal.
func (t *Tree) Checkpoint() int {
	t.journaling = true
	return t.journalBase + len(t.journal)
}

// RevertTo undoes every Set made after Checkpoint returned cp, restoring
// leaves, root and Len exactly. Checkpoints taken after cp become invalid;
// cp itself and earlier ones stay valid. It panics if cp was invalidated by
// Commit, Load or an earlier RevertTo, since silently reverting the wrong
// changes would corrupt state.
func (t *Tree) RevertTo(cp int) {
	k := cp - t.journalBase
	if !t.journaling || k < 0 || k > len(t.journal) {
		panic(fmt.Sprintf("smt: RevertTo(%d): invalid checkpoint", cp))
	}
	entries := t.journal[k:]
	if len(entries) == 0 {
		return
	}
	t.settle()
	newLen := entries[0].prevLen
	// Restore the leaves newest first (so the oldest value wins), then mark
	// every touched path dirty: the next read rehashes each node once.
	for i := len(entries) - 1; i >= 0; i-- {
		e := &entries[i]
		t.levels[0][e.index] = e.old
	}
	for l := range t.levels {
		t.levels[l] = t.levels[l][:levelLen(newLen, l)]
		t.clearDirtyFrom(l, uint64(len(t.levels[l])))
	}
	// Paths past the truncated prefix are still marked: their ancestors may
	// be the boundary node of a higher level, which must be rehashed.
	for _, e := range entries {
		t.markPath(e.index)
	}
	t.journal = t.journal[:k]
}

// Commit drops the journal, making every Set so far permanent and every
// checkpoint invalid. Call it once a batch is final to keep memory bounded.
func (t *Tree) Commit() { t.dropJournal() }

func (t *Tree) dropJournal() {
	// +1 so that a checkpoint taken right before this call (with no later
	// Set) cannot collide with the next checkpoint id.
	t.journalBase += len(t.journal) + 1
	if cap(t.journal) > 1<<16 {
		t.journal = nil // release an unusually large journal
	} else {
		t.journal = t.journal[:0]
	}
	t.journaling = false
}
