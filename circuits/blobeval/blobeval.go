// Package blobeval is the in-circuit twin of protocol/blob's evaluation:
// it proves y = P(x) for the polynomial of a blob's used elements, in
// BLS12-381's scalar field emulated over BN254 (gnark's emulated
// arithmetic). This is the library variant the issue asks to measure
// against a commitment-free one: gnark's emulated range checks add one
// Groth16 commitment to the circuit (docs/benchmarks.md, "Blob
// evaluation").
package blobeval

import (
	"fmt"
	"math/big"

	blsfr "github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/math/emulated"
	"github.com/consensys/gnark/std/math/emulated/emparams"
	"github.com/consensys/gnark/std/rangecheck"

	"github.com/sheafrollup/sheaf/protocol/blob"
)

// Fr is BLS12-381's scalar field, emulated.
type Fr = emparams.BLS12381Fr

// Element is an emulated element of Fr.
type Element = emulated.Element[Fr]

func init() { solver.RegisterHint(quotientHint) }

// domain is protocol/blob's evaluation domain; its inverses are what the
// gadget uses (ω_i/(x − ω_i) = 1/(x·ω_i⁻¹ − 1)).
var domain = blob.NewDomain()

var invRoots = func() []*big.Int {
	out := make([]*big.Int, blob.ElementsPerBlob)
	for i := range out {
		var inv blsfr.Element
		inv.Inverse(&domain.Roots[i])
		out[i] = inv.BigInt(new(big.Int))
	}
	return out
}()

// quotientHint computes q_i = f_i / (x·c_i − 1) for each element: inputs
// are x, then the pairs (f_i, c_i).
func quotientHint(_ *big.Int, inputs, outputs []*big.Int) error {
	return emulated.UnwrapHint(inputs, outputs, func(mod *big.Int, in, out []*big.Int) error {
		x := in[0]
		if len(in) != 1+2*len(out) {
			return fmt.Errorf("blobeval: %d inputs for %d outputs", len(in), len(out))
		}
		for i := range out {
			d := new(big.Int).Mul(x, in[2+2*i])
			d.Sub(d, big.NewInt(1)).Mod(d, mod)
			if d.Sign() == 0 {
				return fmt.Errorf("blobeval: x is root %d of the domain", i)
			}
			d.ModInverse(d, mod)
			out[i].Mul(in[1+2*i], d).Mod(out[i], mod)
		}
		return nil
	})
}

// ElementsFromChunks turns native 31-byte chunks (each below 2^248: the
// caller's own range check guarantees it, as the transfer encoding does)
// into emulated elements without bit decomposition: the chunk is split in
// 64-bit limbs by a hint and the limbs are range-checked and recomposed
// against the chunk.
func ElementsFromChunks(api frontend.API, f *emulated.Field[Fr], chunks []frontend.Variable) ([]*Element, error) {
	rc := rangecheck.New(api)
	out := make([]*Element, len(chunks))
	for i, c := range chunks {
		limbs, err := api.Compiler().NewHint(limbsHint, 4, c)
		if err != nil {
			return nil, err
		}
		// 64+64+64+56 bits: the value is below 2^248 and so below r.
		for j, w := range []int{64, 64, 64, 56} {
			rc.Check(limbs[j], w)
		}
		sum := api.Add(limbs[0], api.Mul(limbs[1], new(big.Int).Lsh(big.NewInt(1), 64)),
			api.Mul(limbs[2], new(big.Int).Lsh(big.NewInt(1), 128)), api.Mul(limbs[3], new(big.Int).Lsh(big.NewInt(1), 192)))
		api.AssertIsEqual(sum, c)
		out[i] = f.NewElement(limbs)
	}
	return out, nil
}

func init() { solver.RegisterHint(limbsHint) }

// limbsHint splits a value below 2^256 into four 64-bit limbs.
func limbsHint(_ *big.Int, in, out []*big.Int) error {
	v := new(big.Int).Set(in[0])
	mask := new(big.Int).SetUint64(^uint64(0))
	for i := range out {
		out[i].And(v, mask)
		v.Rsh(v, 64)
	}
	return nil
}

// Evaluate returns P(x) for the polynomial that takes values elems on the
// first len(elems) points of the blob domain and zero on the rest, by the
// barycentric form (x^4096 − 1)/4096 · Σ f_i/(x·ω_i⁻¹ − 1). Each quotient
// comes from a hint and is checked by one polynomial identity
// q_i·x·ω_i⁻¹ − q_i − f_i = 0 (mod r). x must not be a root of the domain:
// the contract derives it from keccak, so it is one with negligible
// probability, and then the hint fails (no proof) rather than lying.
func Evaluate(f *emulated.Field[Fr], elems []*Element, x *Element) (*Element, error) {
	if len(elems) > blob.ElementsPerBlob {
		return nil, fmt.Errorf("blobeval: %d elements, a blob has %d", len(elems), blob.ElementsPerBlob)
	}
	if len(elems) == 0 {
		return f.Zero(), nil
	}
	in := make([]*Element, 0, 1+2*len(elems))
	in = append(in, x)
	cs := make([]*Element, len(elems))
	for i, e := range elems {
		cs[i] = f.NewElement(invRoots[i])
		in = append(in, e, cs[i])
	}
	qs, err := f.NewHint(quotientHint, len(elems), in...)
	if err != nil {
		return nil, err
	}
	for i := range elems {
		f.AssertEvalIsZero([][]*Element{{qs[i], x, cs[i]}, {qs[i]}, {elems[i]}}, []int{1, -1, -1})
	}
	sum := f.Sum(qs...)
	// x^4096 by twelve squarings.
	xn := x
	for range 12 {
		xn = f.Mul(xn, xn)
	}
	xn = f.Sub(xn, f.One())
	invN := new(big.Int).ModInverse(big.NewInt(blob.ElementsPerBlob), emparams.BLS12381Fr{}.Modulus())
	return f.Mul(f.Mul(xn, f.NewElement(invN)), sum), nil
}
