package smt

import "github.com/consensys/gnark-crypto/ecc/bn254/fr"

// Proof is a Merkle inclusion proof. Siblings[0] is the sibling at the leaf
// level, Siblings[len-1] the other child of the root.
//
// Verify cannot know the tree depth, so a caller verifying an untrusted proof
// must also check len(Siblings) == depth: a shorter proof whose Leaf is an
// inner node would otherwise verify too.
type Proof struct {
	Index    uint64
	Leaf     fr.Element
	Siblings []fr.Element
}

// ComputeRoot hashes leaf up to the root along the path given by index: bit i
// (LSB first) set means the level-i node is a right child. Index bits at or
// above len(siblings) are ignored; Proof.Verify rejects them.
func ComputeRoot(index uint64, leaf fr.Element, siblings []fr.Element) fr.Element {
	cur := leaf
	for i := range siblings {
		if (index>>i)&1 == 1 { // shifts >= 64 give 0: high levels go left
			cur = HashNode(siblings[i], cur)
		} else {
			cur = HashNode(cur, siblings[i])
		}
	}
	return cur
}

// Verify reports whether the proof opens root. An index that does not fit in
// len(Siblings) bits is rejected, otherwise one proof would verify for many
// indexes.
func (p Proof) Verify(root fr.Element) bool {
	if len(p.Siblings) < 64 && p.Index>>len(p.Siblings) != 0 {
		return false
	}
	r := ComputeRoot(p.Index, p.Leaf, p.Siblings)
	return r.Equal(&root)
}
