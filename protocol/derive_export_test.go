package protocol

import (
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"golang.org/x/crypto/blake2b"
)

// RecipeKey redoes KeyFromSeed from the documented byte recipe, without
// gnark-crypto's eddsa package: h = BLAKE2b-512(seed), the RFC 8032-pruned
// h[0:32] read little-endian is the scalar (returned big-endian, as gnark
// serializes it), h[32:64] is the nonce source.
func RecipeKey(seed [32]byte) (pub PublicKey, scalarBE [32]byte, nonceSrc [32]byte) {
	h := blake2b.Sum512(seed[:])
	h[0] &= 0xf8
	h[31] &= 0x7f
	h[31] |= 0x40
	for i := range 32 {
		scalarBE[i] = h[31-i]
	}
	copy(nonceSrc[:], h[32:])
	var p twistededwards.PointAffine
	p.ScalarMultiplicationBase(new(big.Int).SetBytes(scalarBE[:]))
	return PublicKey{X: p.X, Y: p.Y}, scalarBE, nonceSrc
}
