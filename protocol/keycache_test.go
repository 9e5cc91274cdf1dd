package protocol

import (
	"testing"

	"github.com/holiman/uint256"
)

// TestKeyHashCacheMatchesLeafHash: cached leaf hashes equal LeafHash when
// an index is rewritten, when another index maps to the same entry, and
// when an index comes back with another key (after a revert).
func TestKeyHashCacheMatchesLeafHash(t *testing.T) {
	var c keyHashCache
	keyA, keyB := PublicKey{}, PublicKey{}
	keyA.X.SetUint64(1)
	keyA.Y.SetUint64(2)
	keyB.X.SetUint64(3)
	keyB.Y.SetUint64(4)
	n := uint32(len(c))
	for step, tc := range []struct {
		index uint32
		acc   Account
	}{
		{5, Account{PubKey: keyA, Balance: *uint256.NewInt(10)}},
		{5, Account{PubKey: keyA, Balance: *uint256.NewInt(7), Nonce: 1}},
		{5 + n, Account{PubKey: keyB, Balance: *uint256.NewInt(1)}}, // same entry, other index
		{5, Account{PubKey: keyA, Balance: *uint256.NewInt(7), Nonce: 2}},
		{5, Account{PubKey: keyB, Balance: *uint256.NewInt(3)}}, // same index, another key
		{6, Account{}},
	} {
		got, want := c.leafHash(tc.index, &tc.acc), LeafHash(tc.acc)
		if !got.Equal(&want) {
			t.Fatalf("step %d: cached leaf hash differs from LeafHash", step)
		}
	}
}
