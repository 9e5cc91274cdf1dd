package smt

import "github.com/consensys/gnark-crypto/ecc/bn254/fr"

// Deferred proofs (ProofLater). A batch's witness needs every update's
// siblings as they were at that update, so a lazy tree still hashes a
// little after each update: one path, too narrow for HashNodes's lanes.
// ProofLater instead plans those hashes: it walks the same dirty nodes a
// Proof would rehash, but records each as a job whose inputs are values or
// earlier jobs, and hands out siblings to be filled in later. The next read
// that needs real values (settle: Root, Flush, Proof, RevertTo, Load,
// Overlay) runs the jobs a level at a time, every job of a level in one
// HashNodes call: a job only reads jobs of the level below, made earlier.
// The hashes computed are exactly the ones the lazy reads would compute.

// job is one planned node hash.
type job struct {
	level       int
	node        uint64
	left, right fr.Element // the children's values where lref/rref < 0
	lref, rref  int32      // the job computing each child, -1: none
	out         fr.Element
}

// patch is a sibling handed out by ProofLater, filled in by settle.
type patch struct {
	dst *fr.Element
	job int32
}

func nodeKey(l int, j uint64) uint64 { return uint64(l)<<56 | j }

// ProofLater returns the Merkle proof of the leaf at index like Proof, but
// its siblings hold their values only after the tree's next Root or Flush
// (or any other call that reads node values): until then they must not be
// read. Over a batch of updates (ProofLater then Set, repeatedly), the
// hashing then runs in wide lanes at the end instead of one path at a time.
func (t *Tree) ProofLater(index uint64) (Proof, error) {
	if err := t.checkIndex(index); err != nil {
		return Proof{}, err
	}
	p := Proof{Index: index, Leaf: t.Leaf(index), Siblings: make([]fr.Element, t.depth)}
	for l := range t.depth {
		v, ref := t.planNode(l, (index>>l)^1)
		if ref < 0 {
			p.Siblings[l] = v
		} else {
			t.patches = append(t.patches, patch{&p.Siblings[l], ref})
		}
	}
	return p, nil
}

// planNode is node for ProofLater: the node's value, or the job that will
// compute it (-1 when the value is known), planning its dirty subtree.
func (t *Tree) planNode(l int, j uint64) (fr.Element, int32) {
	lv := t.levels[l]
	if j >= uint64(len(lv)) {
		return t.zero[l], -1
	}
	if l > 0 && t.isDirty(l, j) {
		t.plan(l, j)
	}
	if l > 0 {
		if r, ok := t.refs[nodeKey(l, j)]; ok {
			return fr.Element{}, r
		}
	}
	return lv[j], -1
}

// plan records jobs for the dirty subtree under node j of level l, bottom
// up, and marks it clean: its nodes' values are now their jobs' results.
func (t *Tree) plan(l int, j uint64) {
	if t.refs == nil {
		t.refs = make(map[uint64]int32)
		t.jobsAt = make([][]int32, t.depth+1)
	}
	t.gatherDirty(l, j)
	for k := 1; k <= l; k++ {
		child := t.levels[k-1]
		d := t.dirty[k]
		for _, i := range t.pending[k] {
			jb := job{level: k, node: i, lref: -1, rref: -1}
			jb.left, jb.lref = t.childValue(k-1, child, 2*i)
			jb.right, jb.rref = t.childValue(k-1, child, 2*i+1)
			id := int32(len(t.jobs))
			t.jobs = append(t.jobs, jb)
			t.jobsAt[k] = append(t.jobsAt[k], id)
			t.refs[nodeKey(k, i)] = id
			d[i>>6] &^= 1 << (i & 63)
		}
	}
}

// childValue is a clean child's value or job (level c, in the child slice).
func (t *Tree) childValue(c int, child []fr.Element, i uint64) (fr.Element, int32) {
	if i >= uint64(len(child)) {
		return t.zero[c], -1
	}
	if c > 0 {
		if r, ok := t.refs[nodeKey(c, i)]; ok {
			return fr.Element{}, r
		}
	}
	return child[i], -1
}

// settle runs the planned jobs, stores each node's latest value and fills
// the siblings ProofLater handed out. A no-op (no writes) when nothing is
// planned, so concurrent readers of a clean tree stay safe.
func (t *Tree) settle() {
	if len(t.jobs) == 0 {
		return
	}
	for k := 1; k < len(t.jobsAt); k++ {
		ids := t.jobsAt[k]
		if len(ids) == 0 {
			continue
		}
		left, right := t.pairs(len(ids))
		for n, id := range ids {
			jb := &t.jobs[id]
			left[n], right[n] = jb.left, jb.right
			if jb.lref >= 0 {
				left[n] = t.jobs[jb.lref].out
			}
			if jb.rref >= 0 {
				right[n] = t.jobs[jb.rref].out
			}
		}
		HashNodes(left, left, right)
		// In planning order, so a node planned twice keeps its latest value.
		for n, id := range ids {
			jb := &t.jobs[id]
			jb.out = left[n]
			t.levels[k][jb.node] = jb.out
		}
		t.jobsAt[k] = ids[:0]
	}
	for _, p := range t.patches {
		*p.dst = t.jobs[p.job].out
	}
	clear(t.patches) // drop the pointers into the callers' proofs
	t.patches = t.patches[:0]
	t.jobs = t.jobs[:0]
	clear(t.refs)
}
