package protocol

import (
	"math/big"
	"math/rand"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
)

// TestMulWindowedMatchesGnark: the windowed multiplication in Verify is
// gnark-crypto's ScalarMultiplication on the same canonical scalar, for the
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
		var got twistededwards.PointExtended
		mulWindowed(&got, &a, &k)
		var gotA twistededwards.PointAffine
		gotA.FromExtended(&got)
		if !gotA.Equal(&want) {
			t.Fatalf("scalar %d (%s): windowed %v, gnark %v", i, k.String(), gotA, want)
		}
	}
}
