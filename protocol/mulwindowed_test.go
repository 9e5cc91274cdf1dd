package protocol

import (
	"math/big"
	"math/rand"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
)

// TestMulWindowedMatchesGnark: the windowed and comb multiplications in
// Verify are gnark-crypto's ScalarMultiplication on the same canonical
// scalar, for the
// edge scalars (0, 1, every single digit, r−1) and random ones, on the base
// point and on random multiples of it.
func TestMulWindowedMatchesGnark(t *testing.T) {
	curve := twistededwards.GetEdwardsCurve()
	r := rand.New(rand.NewSource(7))
	var minus1 fr.Element
	minus1.SetOne().Neg(&minus1)
	scalars := []fr.Element{{}, fr.One(), minus1}
	for d := uint64(2); d < 16; d++ {
		scalars = append(scalars, fr.NewElement(d), fr.NewElement(d<<60))
	}
	// Every comb index: bit 5 of any subset of the four words.
	for b := range 16 {
		var k fr.Element
		k.SetBigInt(new(big.Int).SetBits(wordsOf(b)))
		scalars = append(scalars, k)
	}
	for range 40 {
		var k fr.Element
		k.SetRandom() //nolint:errcheck // crypto/rand does not fail here
		scalars = append(scalars, k)
	}
	for i, k := range scalars {
		var a twistededwards.PointAffine
		a.ScalarMultiplication(&curve.Base, big.NewInt(1+r.Int63()))
		var kb big.Int
		k.BigInt(&kb)
		var want twistededwards.PointAffine
		want.ScalarMultiplication(&a, &kb)
		var comb combTable
		comb.build(&a)
		for name, mul := range map[string]func(*twistededwards.PointExtended){
			"windowed": func(p *twistededwards.PointExtended) { mulWindowed(p, &a, &k) },
			"comb":     func(p *twistededwards.PointExtended) { mulComb(p, &comb, &k) },
		} {
			var got twistededwards.PointExtended
			mul(&got)
			var gotA twistededwards.PointAffine
			gotA.FromExtended(&got)
			if !gotA.Equal(&want) {
				t.Fatalf("scalar %d (%s): %s %v, gnark %v", i, k.String(), name, gotA, want)
			}
		}
	}
}

// wordsOf returns four 64-bit words with bit 5 set in word j for each bit j
// of b.
func wordsOf(b int) []big.Word {
	w := make([]big.Word, 4)
	for j := range 4 {
		if b>>j&1 == 1 {
			w[j] = 1 << 5
		}
	}
	return w
}
