package ceremony

import (
	"errors"
	"fmt"
	"math/big"

	curve "github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	gcmpc "github.com/consensys/gnark-crypto/ecc/bn254/mpcsetup"
	"github.com/consensys/gnark/backend/groth16/bn254/mpcsetup"
)

// MaxInsecureDomain bounds the test-only phase 1: it exists for tests, the
// devnet and benchmarks, never for keys that guard funds.
const MaxInsecureDomain = 1 << 20

// insecureSeed derives the test-only phase 1's τ, α and β. It is public on
// purpose: anyone can compute the toxic waste and forge proofs for keys
// built on it, so no one can mistake them for safe keys.
const insecureSeed = "sheaf: INSECURE test-only phase 1 (tau, alpha, beta are public)"

// InsecurePhase1 returns phase-1 parameters for domain N from the public
// insecureSeed. Keys built on them are forgeable by anyone.
func InsecurePhase1(N uint64) (*mpcsetup.SrsCommons, error) {
	if N < 2 || N&(N-1) != 0 || N > MaxInsecureDomain {
		return nil, fmt.Errorf("the insecure phase 1 is for test domains (powers of two in [2, %d]), not %d", MaxInsecureDomain, N)
	}
	s, err := fr.Hash([]byte(insecureSeed), []byte("sheaf-insecure-phase1"), 3)
	if err != nil {
		return nil, err
	}
	tau, alpha, beta := s[0], s[1], s[2]
	pows := make([]fr.Element, 2*N-1)
	pows[0].SetOne()
	for i := 1; i < len(pows); i++ {
		pows[i].Mul(&pows[i-1], &tau)
	}
	scaled := func(k *fr.Element) []fr.Element {
		out := make([]fr.Element, N)
		for i := range out {
			out[i].Mul(&pows[i], k)
		}
		return out
	}
	_, _, g1, g2 := curve.Generators()
	c := new(mpcsetup.SrsCommons)
	c.G1.Tau = curve.BatchScalarMultiplicationG1(&g1, pows)
	c.G2.Tau = curve.BatchScalarMultiplicationG2(&g2, pows[:N])
	c.G1.AlphaTau = curve.BatchScalarMultiplicationG1(&g1, scaled(&alpha))
	c.G1.BetaTau = curve.BatchScalarMultiplicationG1(&g1, scaled(&beta))
	c.G2.Beta.ScalarMultiplicationBase(beta.BigInt(new(big.Int)))
	return c, nil
}

// Domain returns N, the number of powers in c (its FFT domain size).
func Domain(c *mpcsetup.SrsCommons) uint64 { return uint64(len(c.G2.Tau)) }

// Truncate returns the first powers of c for domain N ≤ Domain(c): a valid
// phase 1 for every smaller domain (the slices share c's memory).
func Truncate(c *mpcsetup.SrsCommons, N uint64) (*mpcsetup.SrsCommons, error) {
	if N > Domain(c) {
		return nil, fmt.Errorf("phase 1 has %d powers, %d requested", Domain(c), N)
	}
	t := new(mpcsetup.SrsCommons)
	t.G1.Tau = c.G1.Tau[:2*N-1]
	t.G1.AlphaTau = c.G1.AlphaTau[:N]
	t.G1.BetaTau = c.G1.BetaTau[:N]
	t.G2.Tau = c.G2.Tau[:N]
	t.G2.Beta = c.G2.Beta
	return t, nil
}

// CheckPhase1 checks that c has the shape of phase-1 parameters for its
// domain, starts at the generators, and holds consecutive powers of one τ
// scaled by one α and one β in both groups (gnark's same-ratio checks, as
// in its own phase-1 verification). Points are assumed on the curve and in
// the subgroup (the decoders check that).
func CheckPhase1(c *mpcsetup.SrsCommons) error {
	N := Domain(c)
	switch {
	case N < 2 || N&(N-1) != 0:
		return fmt.Errorf("phase 1: domain %d is not a power of two ≥ 2", N)
	case uint64(len(c.G1.Tau)) != 2*N-1 || uint64(len(c.G1.AlphaTau)) != N || uint64(len(c.G1.BetaTau)) != N:
		return fmt.Errorf("phase 1: sizes %d/%d/%d/%d do not fit domain %d",
			len(c.G1.Tau), len(c.G2.Tau), len(c.G1.AlphaTau), len(c.G1.BetaTau), N)
	}
	_, _, g1, g2 := curve.Generators()
	if !c.G1.Tau[0].Equal(&g1) || !c.G2.Tau[0].Equal(&g2) {
		return errors.New("phase 1: the first powers are not the generators")
	}
	if c.G1.AlphaTau[0].IsInfinity() || c.G1.BetaTau[0].IsInfinity() || c.G2.Beta.IsInfinity() {
		return errors.New("phase 1: α or β is zero")
	}
	if err := gcmpc.SameRatioMany(c.G1.Tau, c.G2.Tau, c.G1.AlphaTau, c.G1.BetaTau); err != nil {
		return fmt.Errorf("phase 1: the powers are inconsistent: %w", err)
	}
	// [β]₂ belongs to the same β as [β]₁: e([β]₁, g₂) = e(g₁, [β]₂).
	var negG1 curve.G1Affine
	negG1.Neg(&g1)
	ok, err := curve.PairingCheck([]curve.G1Affine{c.G1.BetaTau[0], negG1}, []curve.G2Affine{g2, c.G2.Beta})
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("phase 1: [β]₂ does not match [β]₁")
	}
	return nil
}
