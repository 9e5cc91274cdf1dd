// Package sigcheck is an EdDSA verification that returns a boolean instead
// of asserting, for checks whose failure is an outcome rather than an
// invalid witness (a forced exit signed badly is a no-op, not an
// unprovable batch). Its native twin is protocol.VerifyCofactored.
package sigcheck

import (
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	"github.com/consensys/gnark/std/hash"
	"github.com/consensys/gnark/std/math/cmp"
)

// IsValid returns 1 when (R, S) signs msg under A and 0 otherwise:
// S < ℓ and [8]([S]B − R − [h]A) is the identity, with
// h = MD(R.x, R.y, A.x, A.y, msg) (hasher is reset first: Poseidon2
// Merkle–Damgård with a zero initial state, as transfers use).
//
// It asserts that A and R are curve points — gnark's own verifier does not,
// and the addition formulas are only complete on the curve — so callers must
// only pass points that are: keys come from leaves (checked on deposit), R
// from the L1 queue (checked by the contract) or from a prover that wants
// the proof. S is decomposed canonically (< r) by the scalar multiplication;
// S ≥ ℓ yields 0 (RFC 8032: a malleated S is not a signature).
func IsValid(curve twistededwards.Curve, hasher hash.FieldHasher, a, r twistededwards.Point, s, msg frontend.Variable) frontend.Variable {
	api := curve.API()
	curve.AssertIsOnCurve(a)
	curve.AssertIsOnCurve(r)
	hasher.Reset()
	hasher.Write(r.X, r.Y, a.X, a.Y, msg)
	h := hasher.Sum()
	params := curve.Params()
	base := twistededwards.Point{X: params.Base[0], Y: params.Base[1]}
	sOK := cmp.IsLess(api, s, params.Order)
	// q = [S]B − [h]A − R, complete for any scalars and on-curve points.
	q := curve.DoubleBaseScalarMul(base, curve.Neg(a), s, h)
	q = curve.Add(q, curve.Neg(r))
	q = curve.Double(curve.Double(curve.Double(q))) // cofactor 8
	isIdentity := api.And(api.IsZero(q.X), api.IsZero(api.Sub(q.Y, 1)))
	return api.And(isIdentity, sOK)
}
