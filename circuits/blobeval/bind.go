package blobeval

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"

	"github.com/sheafrollup/sheaf/protocol/blob"
)

// Blob mode v2 (docs/protocol.md "Blob mode"): the circuit proves
// V = S(x) + H(x) mod r, S(x) = Σ_{i<k} c_i·ω_i/(x − ω_i) over the
// transfer chunks and H(x) = Σ_j e_j·x^j over the binding elements; the
// contract multiplies by (x^4096 − 1)/4096 and checks the result against
// the blob with the point-evaluation precompile, so the circuit has no
// squarings and no final factor, and x is 125 bits (no canonical check).

// hornerBits bounds the unreduced Horner accumulator: past it, the
// accumulator is reduced mod r (255 hinted bits and the quotient's) before
// the next step. Each step adds ≈125 bits to the value (and so to the
// next reduction's quotient), eight limbs to the next product and a
// factor ≈2^19 to its coefficients, which lengthens the carries; 700 (a
// reduction every three steps, none at all for four elements) measured
// cheapest among 600–3,200: ≈283 constraints per element, 1,098 for four
// elements with V's reduction and canonical check (TestBindConstraints).
const hornerBits = 700

func init() { solver.RegisterHint(ncModHint) }

// Bind returns the bits of V = S(x) + H(x) mod r (frBits, least
// significant first, canonical). chunks are the transfer chunks' bits
// (chunkBits each), elems the binding elements' bits (each below
// 2^254 < r as integers: at most 254 bits) and xBits x's bits
// (blob.ChallengeBits), all least significant first and every one boolean
// by the caller's own constraints: Bind adds no range check on them. x
// must not be a point ω_i, i < len(chunks), of the domain (the honest hint
// refuses; x comes from keccak).
func Bind(api frontend.API, chunks, elems [][]frontend.Variable, xBits []frontend.Variable) ([]frontend.Variable, error) {
	if len(chunks) > blob.ElementsPerBlob {
		return nil, fmt.Errorf("blobeval: %d chunks, a blob has %d elements", len(chunks), blob.ElementsPerBlob)
	}
	if len(xBits) != blob.ChallengeBits {
		return nil, fmt.Errorf("blobeval: x has %d bits, want %d", len(xBits), blob.ChallengeBits)
	}
	for i, c := range chunks {
		if len(c) != chunkBits {
			return nil, fmt.Errorf("blobeval: chunk %d has %d bits, want %d", i, len(c), chunkBits)
		}
	}
	for j, e := range elems {
		if len(e) == 0 || len(e) > frBits-1 {
			return nil, fmt.Errorf("blobeval: element %d has %d bits, want 1..%d", j, len(e), frBits-1)
		}
	}
	X := bitsPoly(api, xBits)
	T, err := quotientSum(api, len(chunks), func(i int) []frontend.Variable { return chunks[i] }, X)
	if err != nil {
		return nil, err
	}
	// H(x) by Horner from the top, unreduced until the accumulator would
	// pass hornerBits.
	if m := len(elems); m > 0 {
		A := bitsPoly(api, elems[m-1])
		for j := m - 2; j >= 0; j-- {
			if polyBound(A).BitLen()+len(xBits)+1 > hornerBits {
				if A, err = reduce(api, A); err != nil {
					return nil, err
				}
			}
			A = add(api, mul(api, A, X), bitsPoly(api, elems[j]), 1)
		}
		if len(T.c) == 0 {
			T = A
		} else {
			T = add(api, T, A, 1)
		}
	}
	if len(T.c) == 0 {
		T = constPoly(big.NewInt(0))
	}
	vb, err := reduceBits(api, T)
	if err != nil {
		return nil, err
	}
	V := bitsPoly(api, vb)
	if err := canonical(api, V, V.c); err != nil {
		return nil, err
	}
	return vb, nil
}

// reduce returns Z ≡ A (mod r), Z < 2^255 (not canonical), checked by
// A − Z − k·r = 0 over the integers.
func reduce(api frontend.API, A poly) (poly, error) {
	zb, err := reduceBits(api, A)
	if err != nil {
		return poly{}, err
	}
	return bitsPoly(api, zb), nil
}

// reduceBits is reduce's Z as bits (frBits, boolean), A's coefficients
// non-negative.
func reduceBits(api frontend.API, A poly) ([]frontend.Variable, error) {
	kb := new(big.Int).Div(polyBound(A), modR)
	kw := signedWidth(kb.Add(kb, big.NewInt(1)))
	in := append([]frontend.Variable{len(A.c)}, A.c...)
	zk, err := hintBits(api, ncModHint, []int{frBits, kw}, in...)
	if err != nil {
		return nil, err
	}
	e := add(api, A, bitsPoly(api, zk[0]), -1)
	assertZero(api, add(api, e, kTerm(api, zk[1]), 1))
	return zk[0], nil
}

// ncModHint: inputs n, a's n limbs (non-negative coefficients); outputs
// the bits of z = a mod r then of k + 2^(w−1), k = (a − z)/r.
func ncModHint(_ *big.Int, in, out []*big.Int) error {
	n := int(in[0].Int64())
	if n != len(in)-1 {
		return fmt.Errorf("blobeval: %d limbs for %d inputs", n, len(in))
	}
	a := fromLimbs(in[1:])
	z := new(big.Int).Mod(a, modR)
	k := new(big.Int).Quo(new(big.Int).Sub(a, z), modR)
	if err := putBits(out[:frBits], z); err != nil {
		return err
	}
	return putSigned(out[frBits:], k)
}
