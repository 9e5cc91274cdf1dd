package blobeval

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	blsfr "github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"

	"github.com/sheafrollup/sheaf/protocol/blob"
)

// bindTwin asserts Bind(chunks, elems, x) = V (V's low 127 bits and the rest).
type bindTwin struct {
	Chunks, Elems []frontend.Variable
	X             frontend.Variable
	VHi, VLo      frontend.Variable
	widths        []int // each element's width
}

func (c *bindTwin) Define(api frontend.API) error {
	chunks := make([][]frontend.Variable, len(c.Chunks))
	for i, v := range c.Chunks {
		chunks[i] = api.ToBinary(v, chunkBits)
	}
	elems := make([][]frontend.Variable, len(c.Elems))
	for j, v := range c.Elems {
		elems[j] = api.ToBinary(v, c.widths[j])
	}
	vb, err := Bind(api, chunks, elems, api.ToBinary(c.X, blob.ChallengeBits))
	if err != nil {
		return err
	}
	api.AssertIsEqual(c.VLo, bitsValue(api, vb[:127]))
	api.AssertIsEqual(c.VHi, bitsValue(api, vb[127:]))
	return nil
}

func newBindTwin(n int, widths []int) *bindTwin {
	return &bindTwin{Chunks: make([]frontend.Variable, n), Elems: make([]frontend.Variable, len(widths)), widths: widths}
}

// bindVector is a random instance: n chunks, elements of the given widths
// (two roots of 254 bits first, as blob mode has), a 125-bit x, and V
// computed natively with protocol/blob's sum and Horner.
func bindVector(r *rand.Rand, n int, widths []int) (*bindTwin, *big.Int) {
	rnd := func(bits int) *big.Int {
		v := new(big.Int)
		for v.BitLen() < bits+64 {
			v.Lsh(v, 64).Or(v, new(big.Int).SetUint64(r.Uint64()))
		}
		return v.Mod(v, pow2(bits))
	}
	w := newBindTwin(n, widths)
	f := make([]blsfr.Element, n)
	for i := range w.Chunks {
		c := rnd(chunkBits)
		w.Chunks[i] = c
		f[i].SetBigInt(c)
	}
	x := rnd(blob.ChallengeBits)
	w.X = x
	var xe, v, h blsfr.Element
	xe.SetBigInt(x)
	s, err := blob.SharedDomain().Sum(f, xe)
	if err != nil {
		panic(err)
	}
	for j := len(widths) - 1; j >= 0; j-- {
		e := rnd(widths[j])
		if widths[j] >= modP.BitLen() { // a root: a BN254 element
			e.Mod(e, modP)
		}
		w.Elems[j] = e
		var ee blsfr.Element
		ee.SetBigInt(e)
		h.Mul(&h, &xe).Add(&h, &ee)
	}
	v.Add(&s, &h)
	vi := v.BigInt(new(big.Int))
	w.VLo = new(big.Int).And(vi, new(big.Int).Sub(pow2(127), big.NewInt(1)))
	w.VHi = new(big.Int).Rsh(vi, 127)
	return w, vi
}

func elemWidths(m int) []int {
	w := make([]int, m)
	for j := range w {
		w[j] = chunkBits
		if j < 2 {
			w[j] = 254
		}
	}
	return w
}

// TestBindTwin: the gadget accepts the native V and rejects V + 1, V − 1,
// a changed chunk, element or x — for sizes with and without an
// intermediate Horner reduction (hornerBits) and with no elements.
func TestBindTwin(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for _, tc := range []struct{ n, m int }{{1, 0}, {3, 4}, {2, 12}} {
		valid, v := bindVector(r, tc.n, elemWidths(tc.m))
		set := func(w *bindTwin, v *big.Int) {
			w.VLo = new(big.Int).And(v, new(big.Int).Sub(pow2(127), big.NewInt(1)))
			w.VHi = new(big.Int).Rsh(v, 127)
		}
		plus, minus := *valid, *valid
		set(&plus, new(big.Int).Add(v, big.NewInt(1)))
		set(&minus, new(big.Int).Sub(v, big.NewInt(1)))
		chunk := *valid
		chunk.Chunks = append([]frontend.Variable(nil), valid.Chunks...)
		chunk.Chunks[tc.n-1] = new(big.Int).Xor(valid.Chunks[tc.n-1].(*big.Int), big.NewInt(1<<20))
		x := *valid
		x.X = new(big.Int).Xor(valid.X.(*big.Int), big.NewInt(2))
		opts := []test.TestingOption{test.WithValidAssignment(valid),
			test.WithInvalidAssignment(&plus), test.WithInvalidAssignment(&minus),
			test.WithInvalidAssignment(&chunk), test.WithInvalidAssignment(&x)}
		for j := range tc.m {
			e := *valid
			e.Elems = append([]frontend.Variable(nil), valid.Elems...)
			e.Elems[j] = new(big.Int).Xor(valid.Elems[j].(*big.Int), big.NewInt(1))
			opts = append(opts, test.WithInvalidAssignment(&e))
		}
		opts = append(opts, test.WithCurves(ecc.BN254), test.WithBackends(backend.GROTH16), test.NoSerializationChecks(), test.NoProverChecks(), test.NoFuzzing())
		test.NewAssert(t).CheckCircuit(newBindTwin(tc.n, elemWidths(tc.m)), opts...)
	}
}

// TestBindCheats: lying hints are caught by the constraints: V + r (the
// same residue, not canonical) with any complement bits, a quotient off
// by one, a reduction off by one, and a Horner accumulator reduced to
// another residue.
func TestBindCheats(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	for _, m := range []int{4, 12} {
		valid, v := bindVector(r, 2, elemWidths(m))
		cs := compileR1CS(t, newBindTwin(2, elemWidths(m)))
		if err := solved(t, cs, valid); err != nil {
			t.Fatalf("m=%d: honest witness refused: %v", m, err)
		}
		// V + r where it fits 255 bits: every reduction outputs z + r and
		// k − 1 (an intermediate one may: it need not be canonical), and
		// the complement bits wrap.
		if new(big.Int).Add(v, modR).BitLen() <= frBits {
			plusR := func(f *big.Int, in, out []*big.Int) error {
				if err := ncModHint(f, in, out); err != nil {
					return err
				}
				z := new(big.Int).Add(decodeBits(out[:frBits]), modR)
				if z.BitLen() > frBits {
					return nil
				}
				wrapBits(out[:frBits], z)
				k := new(big.Int).Sub(decodeBits(out[frBits:]), big.NewInt(1))
				wrapBits(out[frBits:], k)
				return nil
			}
			wrap := func(_ *big.Int, in, out []*big.Int) error {
				wrapBits(out, new(big.Int).Sub(new(big.Int).Sub(modR, big.NewInt(1)), fromLimbs(in)))
				return nil
			}
			nc := *valid
			vr := new(big.Int).Add(v, modR)
			nc.VLo = new(big.Int).And(vr, new(big.Int).Sub(pow2(127), big.NewInt(1)))
			nc.VHi = new(big.Int).Rsh(vr, 127)
			if err := solved(t, cs, &nc, solver.OverrideHint(solver.GetHintID(ncModHint), plusR),
				solver.OverrideHint(solver.GetHintID(ncComplementHint), wrap)); err == nil {
				t.Errorf("m=%d: V + r accepted", m)
			}
		}
		off := func(h solver.Hint) solver.Hint {
			return func(f *big.Int, in, out []*big.Int) error {
				if err := h(f, in, out); err != nil {
					return err
				}
				wrapBits(out[:frBits], new(big.Int).Add(decodeBits(out[:frBits]), big.NewInt(1)))
				return nil
			}
		}
		for name, h := range map[string]solver.Hint{"quotient": ncQuotientHint, "reduction": ncModHint} {
			if err := solved(t, cs, valid, solver.OverrideHint(solver.GetHintID(h), off(h))); err == nil {
				t.Errorf("m=%d: a %s off by one accepted", m, name)
			}
		}
	}
}

// TestBindConstraints reports Bind's cost per chunk, per element and fixed
// (docs/benchmarks.md) and that it has no commitment.
func TestBindConstraints(t *testing.T) {
	count := func(n, m int) int {
		cs := compileR1CS(t, &bindPart{Chunks: bitVars(n, chunkBits), Elems: bitVars(m, chunkBits), X: make([]frontend.Variable, blob.ChallengeBits)})
		if k := len(cs.GetCommitments().CommitmentIndexes()); k != 0 {
			t.Fatalf("%d commitments", k)
		}
		return cs.GetNbConstraints()
	}
	c1, c2 := count(8, 4), count(16, 4)
	perChunk := (c2 - c1) / 8
	e4, e12, e36 := count(8, 4), count(8, 12), count(8, 36)
	t.Logf("Bind: %d per chunk; elements: %d at 4, %d at 12, %d at 36 (%.0f per element from 12 to 36); 13 chunks + 4 elements: %d",
		perChunk, e4-8*perChunk, e12-8*perChunk, e36-8*perChunk, float64(e36-e12)/24, count(13, 4))
	if perChunk <= 0 || perChunk > 700 {
		t.Fatalf("%d constraints per chunk", perChunk)
	}
}

// bindPart is Bind alone on bits the caller would have checked.
type bindPart struct {
	Chunks, Elems [][]frontend.Variable
	X             []frontend.Variable
}

func (c *bindPart) Define(api frontend.API) error {
	_, err := Bind(api, c.Chunks, c.Elems, c.X)
	return err
}

func bitVars(n, w int) [][]frontend.Variable {
	out := make([][]frontend.Variable, n)
	for i := range out {
		out[i] = make([]frontend.Variable, w)
	}
	return out
}
