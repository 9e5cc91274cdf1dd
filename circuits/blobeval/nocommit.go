package blobeval

// The commitment-free evaluator: the same y = P(x) as Evaluate, with no
// Groth16 commitment. BLS12-381 Fr values are 255-bit integers held as
// limbs of ncLimbBits bits; every hinted value is produced as bits, each
// bit asserted boolean (that is the only range check), and every modular
// identity a·b + … ≡ 0 (mod r) is checked as an exact integer identity:
// the product's coefficients come from evaluating both limb polynomials
// at D+1 constant points (one R1CS constraint each) and interpolating,
// and the sum of coefficients times 2^(ncLimbBits·k) is shown to be zero
// with signed carries between groups of coefficients, each carry range
// checked by its bits and each group small enough that equality mod the
// BN254 modulus is equality of integers.

import (
	"errors"
	"fmt"
	"math/big"
	"sync"

	"github.com/consensys/gnark-crypto/ecc"
	blsfr "github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"

	"github.com/sheafrollup/sheaf/protocol/blob"
)

const (
	// ncLimbBits is the limb width; 16 gives the fewest constraints (the
	// cost is dominated by the bit checks, which do not depend on it, and
	// narrower limbs make longer carry groups; see TestNoCommitConstraints).
	ncLimbBits = 16
	// frBits bounds a reduced value: r < 2^255.
	frBits = 255
	// chunkBits is a blob chunk's width (31 bytes).
	chunkBits = 8 * blob.ChunkBytes
	// groupBits bounds a carry group's absolute value (below 2^(groupBits−1)):
	// with its carry far below the BN254 modulus (> 2^253), so a group
	// that is zero mod p is zero.
	groupBits = 250
)

var (
	modR = blsfr.Modulus()
	modP = ecc.BN254.ScalarField()
)

func init() {
	solver.RegisterHint(ncQuotientHint, ncMulHint, ncFinalHint, ncCarryHint, ncComplementHint)
}

// Halves is a BLS12-381 Fr element as two native halves: Lo the low 128
// bits, Hi the rest (below 2^127).
type Halves struct {
	Hi, Lo frontend.Variable
}

// HalvesOf is the assignment of v (< 2^255).
func HalvesOf(v *big.Int) Halves {
	mask := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	return Halves{Hi: new(big.Int).Rsh(v, 128), Lo: new(big.Int).And(v, mask)}
}

// poly is an integer in limbs, Σ c_k·2^(ncLimbBits·k), whose coefficients
// may exceed a limb (products, sums); b_k bounds |c_k| as an integer.
type poly struct {
	c []frontend.Variable
	b []*big.Int
}

func pow2(n int) *big.Int { return new(big.Int).Lsh(big.NewInt(1), uint(n)) }

// bitsPoly reads little-endian bits as limbs.
func bitsPoly(api frontend.API, bits []frontend.Variable) poly {
	n := (len(bits) + ncLimbBits - 1) / ncLimbBits
	p := poly{c: make([]frontend.Variable, n), b: make([]*big.Int, n)}
	for k := range n {
		var terms []frontend.Variable
		w := 0
		for i := k * ncLimbBits; i < len(bits) && i < (k+1)*ncLimbBits; i++ {
			terms = append(terms, api.Mul(bits[i], pow2(i-k*ncLimbBits)))
			w++
		}
		p.c[k] = sum(api, terms)
		p.b[k] = new(big.Int).Sub(pow2(w), big.NewInt(1))
	}
	return p
}

func sum(api frontend.API, terms []frontend.Variable) frontend.Variable {
	switch len(terms) {
	case 0:
		return 0
	case 1:
		return api.Add(terms[0], 0)
	default:
		return api.Add(terms[0], terms[1], terms[2:]...)
	}
}

// limbsOf splits v ≥ 0 in limbs.
func limbsOf(v *big.Int) []*big.Int {
	var out []*big.Int
	mask := new(big.Int).Sub(pow2(ncLimbBits), big.NewInt(1))
	for t := new(big.Int).Set(v); t.Sign() > 0; t.Rsh(t, ncLimbBits) {
		out = append(out, new(big.Int).And(t, mask))
	}
	return out
}

func constPoly(v *big.Int) poly {
	l := limbsOf(v)
	p := poly{c: make([]frontend.Variable, len(l)), b: l}
	for i := range l {
		p.c[i] = l[i]
	}
	return p
}

// add returns a + sign·b.
func add(api frontend.API, a, b poly, sign int) poly {
	n := max(len(a.c), len(b.c))
	p := poly{c: make([]frontend.Variable, n), b: make([]*big.Int, n)}
	for k := range n {
		p.c[k], p.b[k] = frontend.Variable(0), new(big.Int)
		if k < len(a.c) {
			p.c[k] = a.c[k]
			p.b[k].Add(p.b[k], a.b[k])
		}
		if k < len(b.c) {
			if sign < 0 {
				p.c[k] = api.Sub(p.c[k], b.c[k])
			} else {
				p.c[k] = api.Add(p.c[k], b.c[k])
			}
			p.b[k].Add(p.b[k], b.b[k])
		}
	}
	return p
}

// mulConst is a·v for a constant v ≥ 0: linear, no constraint.
func mulConst(api frontend.API, a poly, v *big.Int) poly {
	w := limbsOf(v)
	if len(w) == 0 || len(a.c) == 0 {
		return poly{}
	}
	n := len(a.c) + len(w) - 1
	p := poly{c: make([]frontend.Variable, n), b: make([]*big.Int, n)}
	for k := range n {
		var terms []frontend.Variable
		p.b[k] = new(big.Int)
		for i := range a.c {
			j := k - i
			if j < 0 || j >= len(w) || w[j].Sign() == 0 {
				continue
			}
			terms = append(terms, api.Mul(a.c[i], w[j]))
			p.b[k].Add(p.b[k], new(big.Int).Mul(a.b[i], w[j]))
		}
		p.c[k] = sum(api, terms)
	}
	return p
}

// interp[d] maps the values of a degree-d polynomial at 0..d to its
// coefficients, mod p; circuits may be compiled concurrently.
var (
	interpMu sync.Mutex
	interp   = map[int][][]*big.Int{}
)

func interpolation(d int) [][]*big.Int {
	interpMu.Lock()
	defer interpMu.Unlock()
	if m, ok := interp[d]; ok {
		return m
	}
	// Lagrange basis: L_j(t) = Π_{m≠j} (t − m)/(j − m); m[k][j] is the
	// coefficient of t^k in L_j.
	m := make([][]*big.Int, d+1)
	for k := range m {
		m[k] = make([]*big.Int, d+1)
	}
	for j := 0; j <= d; j++ {
		coef := []*big.Int{big.NewInt(1)}
		den := big.NewInt(1)
		for o := 0; o <= d; o++ {
			if o == j {
				continue
			}
			next := make([]*big.Int, len(coef)+1)
			for i := range next {
				next[i] = new(big.Int)
			}
			for i, c := range coef {
				next[i+1].Add(next[i+1], c)
				next[i].Sub(next[i], new(big.Int).Mul(c, big.NewInt(int64(o))))
			}
			coef = next
			den.Mul(den, big.NewInt(int64(j-o)))
		}
		den.Mod(den, modP).ModInverse(den, modP)
		for k, c := range coef {
			m[k][j] = new(big.Int).Mul(c, den)
			m[k][j].Mod(m[k][j], modP)
		}
	}
	interp[d] = m
	return m
}

// mul is a·b: d+1 constraints for a product of degree d.
func mul(api frontend.API, a, b poly) poly {
	d := len(a.c) + len(b.c) - 2
	vals := make([]frontend.Variable, d+1)
	for t := 0; t <= d; t++ {
		vals[t] = api.Mul(evalAt(api, a, t), evalAt(api, b, t))
	}
	m := interpolation(d)
	p := poly{c: make([]frontend.Variable, d+1), b: make([]*big.Int, d+1)}
	for k := 0; k <= d; k++ {
		terms := make([]frontend.Variable, 0, d+1)
		for j := 0; j <= d; j++ {
			if m[k][j].Sign() != 0 {
				terms = append(terms, api.Mul(vals[j], m[k][j]))
			}
		}
		p.c[k] = sum(api, terms)
		p.b[k] = new(big.Int)
		for i := range a.c {
			if j := k - i; j >= 0 && j < len(b.c) {
				p.b[k].Add(p.b[k], new(big.Int).Mul(a.b[i], b.b[j]))
			}
		}
	}
	return p
}

func evalAt(api frontend.API, a poly, t int) frontend.Variable {
	terms := make([]frontend.Variable, len(a.c))
	tk := big.NewInt(1)
	for k := range a.c {
		terms[k] = api.Mul(a.c[k], new(big.Int).Set(tk))
		tk.Mul(tk, big.NewInt(int64(t)))
	}
	return sum(api, terms)
}

// assertZero asserts Σ e_k·2^(ncLimbBits·k) = 0 as an integer: the
// coefficients are cut into groups whose value stays below 2^groupBits;
// group j plus the carry into it equals the carry out times 2^(width of
// the group), the last carry out being zero. Carries are signed, hinted as
// bits of carry + 2^m.
func assertZero(api frontend.API, e poly) {
	type group struct {
		g      frontend.Variable
		width  int
		cbits  int // carry out is in [−2^cbits, 2^cbits)
		bound  *big.Int
		k0, k1 int
	}
	var groups []group
	carryBound := new(big.Int)
	for k0 := 0; k0 < len(e.c); {
		gb := new(big.Int).Set(carryBound)
		k1 := k0
		for k1 < len(e.c) {
			nb := new(big.Int).Add(gb, new(big.Int).Lsh(e.b[k1], uint(ncLimbBits*(k1-k0))))
			if nb.BitLen() > groupBits-1 && k1 > k0 {
				break
			}
			gb = nb
			k1++
		}
		if gb.BitLen() > groupBits-1 {
			panic("blobeval: a coefficient exceeds the carry group bound")
		}
		terms := make([]frontend.Variable, 0, k1-k0)
		for k := k0; k < k1; k++ {
			terms = append(terms, api.Mul(e.c[k], pow2(ncLimbBits*(k-k0))))
		}
		w := ncLimbBits * (k1 - k0)
		cb := new(big.Int).Rsh(gb, uint(w))
		cb.Add(cb, big.NewInt(1))
		groups = append(groups, group{g: sum(api, terms), width: w, cbits: cb.BitLen(), bound: gb, k0: k0, k1: k1})
		carryBound = pow2(cb.BitLen())
		k0 = k1
	}
	// Hint inputs: the number of groups, then per group width, cbits, value.
	in := []frontend.Variable{len(groups)}
	nOut := 0
	for i, g := range groups {
		in = append(in, g.width, g.cbits, g.g)
		if i < len(groups)-1 {
			nOut += g.cbits + 1
		}
	}
	var carries []frontend.Variable
	if nOut > 0 {
		bits, err := api.Compiler().NewHint(ncCarryHint, nOut, in...)
		if err != nil {
			panic(err)
		}
		for _, b := range bits {
			api.AssertIsBoolean(b)
		}
		off := 0
		for _, g := range groups[:len(groups)-1] {
			c := bitsValue(api, bits[off:off+g.cbits+1])
			carries = append(carries, api.Sub(c, pow2(g.cbits)))
			off += g.cbits + 1
		}
	}
	for i, g := range groups {
		v := g.g
		if i > 0 {
			v = api.Add(v, carries[i-1])
		}
		if i < len(groups)-1 {
			api.AssertIsEqual(v, api.Mul(carries[i], pow2(g.width)))
		} else {
			api.AssertIsEqual(v, 0)
		}
	}
}

func bitsValue(api frontend.API, bits []frontend.Variable) frontend.Variable {
	terms := make([]frontend.Variable, len(bits))
	for i, b := range bits {
		terms[i] = api.Mul(b, pow2(i))
	}
	return sum(api, terms)
}

// hintBits calls a hint whose outputs are the bits of values of the given
// widths and asserts each bit boolean: the range checks.
func hintBits(api frontend.API, h solver.Hint, widths []int, in ...frontend.Variable) ([][]frontend.Variable, error) {
	n := 0
	for _, w := range widths {
		n += w
	}
	bits, err := api.Compiler().NewHint(h, n, in...)
	if err != nil {
		return nil, err
	}
	out := make([][]frontend.Variable, len(widths))
	for i, w := range widths {
		for _, b := range bits[:w] {
			api.AssertIsBoolean(b)
		}
		out[i], bits = bits[:w], bits[w:]
	}
	return out, nil
}

// signedWidth is the bits that hold k + 2^(n−1) for |k| ≤ bound.
func signedWidth(bound *big.Int) int { return bound.BitLen() + 1 }

// kTerm is −k·r for k given as the bits of k + 2^(w−1).
func kTerm(api frontend.API, kbits []frontend.Variable) poly {
	k := bitsPoly(api, kbits)
	neg := mulConst(api, k, modR)
	off := constPoly(new(big.Int).Mul(pow2(len(kbits)-1), modR))
	return add(api, off, neg, -1)
}

// canonical asserts v < r for v from bits (v + d = r − 1 with d ≥ 0).
func canonical(api frontend.API, v poly, vin []frontend.Variable) error {
	d, err := hintBits(api, ncComplementHint, []int{frBits}, vin...)
	if err != nil {
		return err
	}
	e := add(api, add(api, v, bitsPoly(api, d[0]), 1), constPoly(new(big.Int).Sub(modR, big.NewInt(1))), -1)
	assertZero(api, e)
	return nil
}

// halvesBits range-checks h as a value below 2^255 and returns its bits.
func halvesBits(api frontend.API, h Halves) []frontend.Variable {
	return append(api.ToBinary(h.Lo, 128), api.ToBinary(h.Hi, frBits-128)...)
}

func bitsHalves(api frontend.API, bits []frontend.Variable) Halves {
	return Halves{Lo: bitsValue(api, bits[:128]), Hi: bitsValue(api, bits[128:])}
}

// EvaluateNoCommit returns y = P(x) (canonical, as halves) for the
// polynomial that takes the values chunks (each a 31-byte chunk as a
// native value, range-checked here) on the first len(chunks) points of the
// blob domain and zero elsewhere. x must be canonical (< r, checked).
// Per chunk: its 248 bits, one quotient q_i = f_i·ω_i/(x − ω_i) checked by
// q_i·(x − ω_i) − f_i·ω_i − k_i·r = 0 over the integers; the quotients are
// summed unreduced and the sum reduced once with the factor
// (x^4096 − 1)/4096, x^4096 by twelve checked squarings. As with
// Evaluate, x must not be a point of the domain (then a zero element's
// quotient would be free): the contract derives x from keccak, so it is
// one with negligible probability, and the honest hint refuses it.
func EvaluateNoCommit(api frontend.API, chunks []frontend.Variable, x Halves) (Halves, error) {
	if len(chunks) > blob.ElementsPerBlob {
		return Halves{}, fmt.Errorf("blobeval: %d elements, a blob has %d", len(chunks), blob.ElementsPerBlob)
	}
	xb := halvesBits(api, x)
	fbits := func(i int) []frontend.Variable { return api.ToBinary(chunks[i], chunkBits) }
	yb, err := evaluateNoCommit(api, len(chunks), fbits, xb)
	if err != nil || yb == nil {
		return Halves{Hi: 0, Lo: 0}, err
	}
	return bitsHalves(api, yb), nil
}

// evaluateNoCommit is the evaluation for n chunks whose bits fbits gives
// (called once per chunk, in order) and x's bits; it returns y's bits, nil
// for no chunks (y = 0).
func evaluateNoCommit(api frontend.API, n int, fbits func(int) []frontend.Variable, xb []frontend.Variable) ([]frontend.Variable, error) {
	X := bitsPoly(api, xb)
	if err := canonical(api, X, X.c); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, nil
	}
	S, err := quotientSum(api, n, fbits, X)
	if err != nil {
		return nil, err
	}
	// x^4096 by squarings; the intermediate values need not be canonical.
	sqk := signedWidth(new(big.Int).Add(new(big.Int).Div(pow2(2*frBits), modR), big.NewInt(1)))
	xn := X
	for range 12 {
		zk, err := hintBits(api, ncMulHint, []int{frBits, sqk}, append([]frontend.Variable{len(xn.c)}, append(xn.c, xn.c...)...)...)
		if err != nil {
			return nil, err
		}
		Z := bitsPoly(api, zk[0])
		e := add(api, mul(api, xn, xn), Z, -1)
		assertZero(api, add(api, e, kTerm(api, zk[1]), 1))
		xn = Z
	}
	// 4096·y = (x^4096 + r − 1)·S − k·r.
	A := add(api, xn, constPoly(new(big.Int).Sub(modR, big.NewInt(1))), 1)
	sBound := new(big.Int).Mul(big.NewInt(int64(n)), pow2(frBits))
	prodBound := new(big.Int).Mul(new(big.Int).Add(pow2(frBits), modR), sBound)
	fk := signedWidth(new(big.Int).Add(new(big.Int).Div(prodBound, modR), big.NewInt(blob.ElementsPerBlob+1)))
	in := []frontend.Variable{len(A.c), len(S.c)}
	in = append(append(in, A.c...), S.c...)
	yk, err := hintBits(api, ncFinalHint, []int{frBits, fk}, in...)
	if err != nil {
		return nil, err
	}
	Y := bitsPoly(api, yk[0])
	e := add(api, mul(api, A, S), mulConst(api, Y, big.NewInt(blob.ElementsPerBlob)), -1)
	assertZero(api, add(api, e, kTerm(api, yk[1]), 1))
	if err := canonical(api, Y, Y.c); err != nil {
		return nil, err
	}
	return yk[0], nil
}

// quotientSum returns Σ_{i<n} q_i, unreduced (each q_i < 2^255), where
// q_i = f_i·ω_i/(x − ω_i) mod r for the chunk whose bits fbits(i) gives
// (called once per chunk, in order; chunkBits each, boolean by the
// caller) and x in limbs X (range-checked by the caller). Each quotient
// is hinted as bits and checked by q_i·(x − ω_i) − f_i·ω_i − k_i·r = 0
// over the integers: one limb product and a constant one, which is
// linear. x must not be ω_i (the honest hint refuses).
func quotientSum(api frontend.API, n int, fbits func(int) []frontend.Variable, X poly) (poly, error) {
	var S poly
	if n == 0 {
		return S, nil
	}
	// |q·x − (q + f)·ω| < max(2^255·x, (2^255 + 2^248)·r).
	kb := new(big.Int).Mul(pow2(frBits), polyBound(X))
	kb.Div(kb, modR)
	kb.Add(kb, new(big.Int).Add(pow2(frBits), pow2(chunkBits)))
	kw := signedWidth(kb.Add(kb, big.NewInt(1)))
	// A narrow x (blob mode's 125 bits) is cheaper multiplied alone, the
	// constant products being linear (601 against 604 per chunk); a
	// full-width one as x − ω_i (856 against 863 per element).
	narrow := polyBound(X).BitLen() <= frBits/2
	for i := range n {
		fb := fbits(i)
		F := bitsPoly(api, fb)
		c := bitsValue(api, fb)
		w := domain.Roots[i].BigInt(new(big.Int))
		// ω_i ≥ p for some i: the hint gets its index, not the value.
		in := append([]frontend.Variable{c, i}, X.c...)
		qk, err := hintBits(api, ncQuotientHint, []int{frBits, kw}, in...)
		if err != nil {
			return S, err
		}
		Q := bitsPoly(api, qk[0])
		var e poly
		if narrow {
			e = add(api, mul(api, Q, X), mulConst(api, Q, w), -1)
		} else {
			e = mul(api, Q, add(api, X, constPoly(w), -1))
		}
		e = add(api, e, mulConst(api, F, w), -1)
		e = add(api, e, kTerm(api, qk[1]), 1)
		assertZero(api, e)
		if i == 0 {
			S = Q
		} else {
			S = add(api, S, Q, 1)
		}
	}
	return S, nil
}

// polyBound bounds the integer a poly holds: Σ b_k·2^(ncLimbBits·k).
func polyBound(a poly) *big.Int {
	v := new(big.Int)
	for k := len(a.b) - 1; k >= 0; k-- {
		v.Lsh(v, ncLimbBits).Add(v, a.b[k])
	}
	return v
}

// fromLimbs reads limbs (each below p, non-negative) back as an integer.
func fromLimbs(limbs []*big.Int) *big.Int {
	v := new(big.Int)
	for i := len(limbs) - 1; i >= 0; i-- {
		v.Lsh(v, ncLimbBits).Add(v, limbs[i])
	}
	return v
}

// putBits writes the bits of v ≥ 0 into out; it fails if v does not fit.
func putBits(out []*big.Int, v *big.Int) error {
	if v.Sign() < 0 || v.BitLen() > len(out) {
		return fmt.Errorf("blobeval: %d does not fit %d bits", v, len(out))
	}
	for i := range out {
		out[i].SetUint64(uint64(v.Bit(i)))
	}
	return nil
}

// putSigned writes k + 2^(w−1).
func putSigned(out []*big.Int, k *big.Int) error {
	return putBits(out, new(big.Int).Add(k, pow2(len(out)-1)))
}

// ncQuotientHint: inputs f, i, x limbs (ω = ω_i); outputs the bits of
// q = f·ω/(x − ω) mod r (frBits) then of k + 2^(w−1), where
// k = (q·(x − ω) − f·ω)/r.
func ncQuotientHint(_ *big.Int, in, out []*big.Int) error {
	f, x := in[0], fromLimbs(in[2:])
	i := int(in[1].Int64())
	if i < 0 || i >= blob.ElementsPerBlob {
		return fmt.Errorf("blobeval: element %d", i)
	}
	w := domain.Roots[i].BigInt(new(big.Int))
	d := new(big.Int).Sub(x, w)
	inv := new(big.Int).Mod(d, modR)
	if inv.Sign() == 0 {
		return errors.New("blobeval: x is a point of the domain")
	}
	inv.ModInverse(inv, modR)
	fw := new(big.Int).Mul(f, w)
	q := new(big.Int).Mul(fw, inv)
	q.Mod(q, modR)
	k := new(big.Int).Mul(q, d)
	k.Sub(k, fw)
	k.Quo(k, modR) // exact
	if err := putBits(out[:frBits], q); err != nil {
		return err
	}
	return putSigned(out[frBits:], k)
}

// ncMulHint: inputs n, a's n limbs, b's limbs; outputs the bits of
// z = a·b mod r then of k + 2^(w−1), k = (a·b − z)/r.
func ncMulHint(_ *big.Int, in, out []*big.Int) error {
	n := int(in[0].Int64())
	ab := new(big.Int).Mul(fromLimbs(in[1:1+n]), fromLimbs(in[1+n:]))
	z := new(big.Int).Mod(ab, modR)
	k := new(big.Int).Quo(new(big.Int).Sub(ab, z), modR)
	if err := putBits(out[:frBits], z); err != nil {
		return err
	}
	return putSigned(out[frBits:], k)
}

// ncFinalHint: inputs na, nb, a's limbs, b's limbs; outputs the bits of
// y = a·b/4096 mod r then of k + 2^(w−1), k = (a·b − 4096·y)/r.
func ncFinalHint(_ *big.Int, in, out []*big.Int) error {
	na, nb := int(in[0].Int64()), int(in[1].Int64())
	ab := new(big.Int).Mul(fromLimbs(in[2:2+na]), fromLimbs(in[2+na:2+na+nb]))
	inv := new(big.Int).ModInverse(big.NewInt(blob.ElementsPerBlob), modR)
	y := new(big.Int).Mul(ab, inv)
	y.Mod(y, modR)
	k := new(big.Int).Sub(ab, new(big.Int).Mul(y, big.NewInt(blob.ElementsPerBlob)))
	k.Quo(k, modR)
	if err := putBits(out[:frBits], y); err != nil {
		return err
	}
	return putSigned(out[frBits:], k)
}

// ncComplementHint: input v's limbs; outputs the bits of r − 1 − v.
func ncComplementHint(_ *big.Int, in, out []*big.Int) error {
	d := new(big.Int).Sub(modR, big.NewInt(1))
	return putBits(out, d.Sub(d, fromLimbs(in)))
}

// ncCarryHint: inputs the number of groups, then per group its width, the
// carry's bits and its value (a signed integer mod p); outputs the bits of
// each carry c_j + 2^cbits, c_j = (g_j + c_{j−1})/2^width.
func ncCarryHint(_ *big.Int, in, out []*big.Int) error {
	n := int(in[0].Int64())
	half := new(big.Int).Rsh(modP, 1)
	carry := new(big.Int)
	for j := 0; j < n-1; j++ {
		width, cbits := uint(in[1+3*j].Int64()), int(in[2+3*j].Int64())
		g := new(big.Int).Set(in[3+3*j])
		if g.Cmp(half) > 0 {
			g.Sub(g, modP)
		}
		g.Add(g, carry)
		carry.Rsh(g, width) // floor; exact for a true identity
		if err := putBits(out[:cbits+1], new(big.Int).Add(carry, pow2(cbits))); err != nil {
			return err
		}
		out = out[cbits+1:]
	}
	return nil
}
