package smt

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// Leaf is a leaf value at an index.
type Leaf struct {
	Index uint64
	Value fr.Element
}

type node struct {
	j uint64
	v fr.Element
}

// Overlay is a tree with some leaves set to other values, built from the
// few nodes of a real tree it needs: the sequencer proves an account
// against an older root by putting back the leaves changed since then.
// Building it (Tree.Overlay) reads the tree, so hold the tree's lock;
// hashing it (Prove) does not, so release the lock first. It costs
// O(len(leaves)·depth) copies and hashes, never the whole tree.
type Overlay struct {
	depth  int
	index  uint64
	leaves []node   // the replaced leaves, sorted by index
	clean  [][]node // clean[l]: unchanged level-l nodes that Prove reads, sorted
	root   fr.Element
}

// Overlay copies what Prove needs to open index in the tree with leaves
// replaced. leaves need not be sorted; an index may appear once.
func (t *Tree) Overlay(index uint64, leaves []Leaf) (*Overlay, error) {
	if err := t.checkIndex(index); err != nil {
		return nil, err
	}
	t.settle()
	o := &Overlay{depth: t.depth, index: index, clean: make([][]node, t.depth)}
	o.leaves = make([]node, len(leaves))
	for i, l := range leaves {
		if err := t.checkIndex(l.Index); err != nil {
			return nil, err
		}
		o.leaves[i] = node{l.Index, l.Value}
	}
	slices.SortFunc(o.leaves, func(a, b node) int { return cmp.Compare(a.j, b.j) })
	for i := 1; i < len(o.leaves); i++ {
		if o.leaves[i].j == o.leaves[i-1].j {
			return nil, fmt.Errorf("smt: overlay: leaf %d given twice", o.leaves[i].j)
		}
	}
	dirty := make([]uint64, len(o.leaves))
	for i, n := range o.leaves {
		dirty[i] = n.j
	}
	for l := 0; l < t.depth; l++ {
		// The siblings of dirty nodes that are not dirty themselves, in
		// order: a sibling shares its pair with its dirty node, so it is
		// dirty exactly when it is that node's neighbour in the list.
		clean := make([]node, 0, len(dirty)+2)
		for k, j := range dirty {
			s := j ^ 1
			if (s > j && k+1 < len(dirty) && dirty[k+1] == s) || (s < j && k > 0 && dirty[k-1] == s) {
				continue
			}
			clean = append(clean, node{s, t.node(l, s)})
		}
		// The proof's own path: its sibling, and at level 0 its leaf.
		extra := []uint64{(index >> l) ^ 1}
		if l == 0 {
			extra = append(extra, index)
		}
		for _, j := range extra {
			if _, found := slices.BinarySearch(dirty, j); found {
				continue
			}
			at, found := slices.BinarySearchFunc(clean, j, func(n node, j uint64) int { return cmp.Compare(n.j, j) })
			if !found {
				clean = slices.Insert(clean, at, node{j, t.node(l, j)})
			}
		}
		o.clean[l] = clean
		dirty = parents(dirty)
	}
	if len(o.leaves) == 0 {
		o.root = t.Root()
	}
	return o, nil
}

// parents maps sorted node indexes to their sorted, distinct parents.
func parents(js []uint64) []uint64 {
	out := make([]uint64, 0, len(js))
	for _, j := range js {
		if p := j >> 1; len(out) == 0 || out[len(out)-1] != p {
			out = append(out, p)
		}
	}
	return out
}

func find(ns []node, j uint64) (fr.Element, bool) {
	i, ok := slices.BinarySearchFunc(ns, j, func(n node, j uint64) int { return cmp.Compare(n.j, j) })
	if !ok {
		return fr.Element{}, false
	}
	return ns[i].v, true
}

// Prove returns the proof of the overlay's index and the overlay's root.
func (o *Overlay) Prove() (Proof, fr.Element) {
	p := Proof{Index: o.index, Siblings: make([]fr.Element, o.depth)}
	dirty := o.leaves // recomputed nodes of the current level
	get := func(l int, j uint64) fr.Element {
		if v, ok := find(dirty, j); ok {
			return v
		}
		v, ok := find(o.clean[l], j)
		if !ok { // Overlay copied every node this reads
			panic(fmt.Sprintf("smt: overlay lacks node %d of level %d", j, l))
		}
		return v
	}
	p.Leaf = get(0, o.index)
	for l := 0; l < o.depth; l++ {
		p.Siblings[l] = get(l, (o.index>>l)^1)
		// The level's parents are independent: hash them side by side.
		next := make([]node, 0, len(dirty))
		var left, right []fr.Element
		for _, n := range dirty {
			pj := n.j >> 1
			if len(next) > 0 && next[len(next)-1].j == pj {
				continue
			}
			next = append(next, node{j: pj})
			left, right = append(left, get(l, 2*pj)), append(right, get(l, 2*pj+1))
		}
		HashNodes(left, left, right)
		for i := range next {
			next[i].v = left[i]
		}
		dirty = next
	}
	if len(o.leaves) == 0 {
		return p, o.root
	}
	return p, dirty[0].v
}
