package blobeval

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	blsfr "github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/test"

	"github.com/sheafrollup/sheaf/protocol/blob"
)

// ncTwin asserts EvaluateNoCommit(chunks, X) = Y.
type ncTwin struct {
	Chunks []frontend.Variable
	X, Y   Halves
}

func (c *ncTwin) Define(api frontend.API) error {
	y, err := EvaluateNoCommit(api, c.Chunks, c.X)
	if err != nil {
		return err
	}
	api.AssertIsEqual(y.Lo, c.Y.Lo)
	api.AssertIsEqual(y.Hi, c.Y.Hi)
	return nil
}

func ncOf(w *twin, x, y blsfr.Element) *ncTwin {
	return &ncTwin{Chunks: w.Chunks, X: HalvesOf(blsBig(x)), Y: HalvesOf(blsBig(y))}
}

func copyChunks(c []frontend.Variable) []frontend.Variable {
	return append([]frontend.Variable(nil), c...)
}

// TestEvaluateNoCommitTwin: the commitment-free gadget accepts the native
// (and kzg4844's) value of random blobs and rejects another y, a changed
// element, a changed x, a chunk of 32 bytes, and x + r in place of x.
func TestEvaluateNoCommitTwin(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	// 40 elements: the unreduced sum of quotients widens the final carries.
	for _, n := range []int{1, 3, 8, 40} {
		w, x, y := vectorX(t, r, n)
		valid := ncOf(w, x, y)
		circuit := &ncTwin{Chunks: make([]frontend.Variable, n)}

		var y1 blsfr.Element
		y1.SetOne()
		y1.Add(&y, &y1)
		wrongY := *valid
		wrongY.Y = HalvesOf(blsBig(y1))

		wrongElem := *valid
		wrongElem.Chunks = copyChunks(valid.Chunks)
		wrongElem.Chunks[n-1] = new(big.Int).Add(valid.Chunks[n-1].(*big.Int), big.NewInt(1))

		ow, ox, _ := vectorX(t, r, n)
		_ = ow
		wrongX := *valid
		wrongX.X = HalvesOf(blsBig(ox))

		tooWide := *valid
		tooWide.Chunks = copyChunks(valid.Chunks)
		tooWide.Chunks[0] = new(big.Int).Lsh(big.NewInt(1), chunkBits)

		test.NewAssert(t).CheckCircuit(circuit,
			test.WithValidAssignment(valid),
			test.WithInvalidAssignment(&wrongY),
			test.WithInvalidAssignment(&wrongElem),
			test.WithInvalidAssignment(&wrongX),
			test.WithInvalidAssignment(&tooWide),
			test.WithCurves(ecc.BN254), test.WithBackends(backend.GROTH16), test.NoSerializationChecks(), test.NoProverChecks(), test.NoFuzzing())
	}

	// A small x, so that x + r still fits 255 bits: the same point mod r,
	// refused because it is not canonical.
	chunks := [][blob.ChunkBytes]byte{{1, 2, 3}, {4, 5, 6}}
	data := append(chunks[0][:], chunks[1][:]...)
	blobs, used, err := blob.Pack(data)
	if err != nil {
		t.Fatal(err)
	}
	var x blsfr.Element
	x.SetUint64(5)
	y, err := blob.NewDomain().Evaluate(&blobs[0], used[0], x)
	if err != nil {
		t.Fatal(err)
	}
	valid := &ncTwin{Chunks: []frontend.Variable{new(big.Int).SetBytes(chunks[0][:]), new(big.Int).SetBytes(chunks[1][:])},
		X: HalvesOf(big.NewInt(5)), Y: HalvesOf(blsBig(y))}
	nonCanonical := *valid
	nonCanonical.X = HalvesOf(new(big.Int).Add(modR, big.NewInt(5)))
	test.NewAssert(t).CheckCircuit(&ncTwin{Chunks: make([]frontend.Variable, 2)},
		test.WithValidAssignment(valid),
		test.WithInvalidAssignment(&nonCanonical),
		test.WithCurves(ecc.BN254), test.WithBackends(backend.GROTH16), test.NoSerializationChecks(), test.NoProverChecks(), test.NoFuzzing())
}

// canonTwin range-checks V as a canonical element.
type canonTwin struct{ V Halves }

func (c *canonTwin) Define(api frontend.API) error {
	b := halvesBits(api, c.V)
	v := bitsPoly(api, b)
	return canonical(api, v, v.c)
}

// decodeBits reads little-endian bits back.
func decodeBits(bits []*big.Int) *big.Int {
	v := new(big.Int)
	for i := len(bits) - 1; i >= 0; i-- {
		v.Lsh(v, 1).Or(v, bits[i])
	}
	return v
}

// wrapBits writes v mod 2^len(out): what a cheating prover would put in
// the bits of a value that does not fit them.
func wrapBits(out []*big.Int, v *big.Int) {
	m := new(big.Int).Mod(v, pow2(len(out)))
	for i := range out {
		out[i].SetUint64(uint64(m.Bit(i)))
	}
}

func compileR1CS(t *testing.T, c frontend.Circuit) constraint.ConstraintSystem {
	t.Helper()
	cs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, c)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func solved(t *testing.T, cs constraint.ConstraintSystem, a frontend.Circuit, opts ...solver.Option) error {
	t.Helper()
	w, err := frontend.NewWitness(a, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	return cs.IsSolved(w, opts...)
}

// TestEvaluateNoCommitCheats: hints that lie are caught by the
// constraints, not merely by the honest hint's refusal: each override
// below writes the bits a cheating prover would choose.
func TestEvaluateNoCommitCheats(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	w, x, y := vectorX(t, r, 2)
	valid := ncOf(w, x, y)
	cs := compileR1CS(t, &ncTwin{Chunks: make([]frontend.Variable, 2)})
	if err := solved(t, cs, valid); err != nil {
		t.Fatalf("honest witness refused: %v", err)
	}
	// A quotient changed by one or by r, the k bits left as they were.
	for _, delta := range []*big.Int{big.NewInt(1), modR} {
		cheat := func(f *big.Int, in, out []*big.Int) error {
			if err := ncQuotientHint(f, in, out); err != nil {
				return err
			}
			wrapBits(out[:frBits], new(big.Int).Add(decodeBits(out[:frBits]), delta))
			return nil
		}
		if err := solved(t, cs, valid, solver.OverrideHint(solver.GetHintID(ncQuotientHint), cheat)); err == nil {
			t.Errorf("a quotient off by %v accepted", delta)
		}
	}
	// A product reduced wrongly in a squaring.
	cheatSq := func(f *big.Int, in, out []*big.Int) error {
		if err := ncMulHint(f, in, out); err != nil {
			return err
		}
		wrapBits(out[:frBits], new(big.Int).Add(decodeBits(out[:frBits]), big.NewInt(1)))
		return nil
	}
	if err := solved(t, cs, valid, solver.OverrideHint(solver.GetHintID(ncMulHint), cheatSq)); err == nil {
		t.Error("a wrong square accepted")
	}
	// Carries that do not carry.
	cheatCarry := func(f *big.Int, in, out []*big.Int) error {
		if err := ncCarryHint(f, in, out); err != nil {
			return err
		}
		out[0].SetUint64(1 - out[0].Uint64())
		return nil
	}
	if err := solved(t, cs, valid, solver.OverrideHint(solver.GetHintID(ncCarryHint), cheatCarry)); err == nil {
		t.Error("a wrong carry accepted")
	}

	// x a point of the domain (ω_0 = 1): the honest hint refuses rather
	// than leave a quotient free, so there is no proof (x comes from
	// keccak: this happens with negligible probability).
	atRoot := *valid
	atRoot.X = HalvesOf(big.NewInt(1))
	atRoot.Y = HalvesOf(valid.Chunks[0].(*big.Int))
	if err := solved(t, cs, &atRoot); err == nil {
		t.Error("x on the domain accepted")
	}

	// An unreduced value (v ≥ r) fails the canonical check even when the
	// prover writes whatever complement bits it likes.
	ccs := compileR1CS(t, &canonTwin{})
	rm1 := new(big.Int).Sub(modR, big.NewInt(1))
	if err := solved(t, ccs, &canonTwin{V: HalvesOf(rm1)}); err != nil {
		t.Fatalf("r − 1 refused: %v", err)
	}
	wrap := func(_ *big.Int, in, out []*big.Int) error {
		wrapBits(out, new(big.Int).Sub(rm1, fromLimbs(in)))
		return nil
	}
	for _, v := range []*big.Int{modR, new(big.Int).Add(modR, big.NewInt(12345))} {
		if err := solved(t, ccs, &canonTwin{V: HalvesOf(v)}, solver.OverrideHint(solver.GetHintID(ncComplementHint), wrap)); err == nil {
			t.Errorf("unreduced %v accepted", v)
		}
	}
}

// TestNoCommitConstraints reports the commitment-free gadget's cost per
// element and fixed (docs/benchmarks.md) and that it has no commitment.
func TestNoCommitConstraints(t *testing.T) {
	count := func(n int) (int, int) {
		cs := compileR1CS(t, &ncTwin{Chunks: make([]frontend.Variable, n)})
		return cs.GetNbConstraints(), len(cs.GetCommitments().CommitmentIndexes())
	}
	c16, k16 := count(16)
	c64, k64 := count(64)
	per := float64(c64-c16) / 48
	fixed := float64(c16) - 16*per
	t.Logf("commitment-free BLS12-381 Fr evaluation (%d-bit limbs): %d constraints at 16 elements, %d at 64: %.0f per element (%d of them the chunk's range check), %.0f fixed; per transfer %.0f + fixed/transfers",
		ncLimbBits, c16, c64, per, chunkBits+1, fixed, per*12/31)
	if k16 != 0 || k64 != 0 {
		t.Fatalf("%d and %d commitments, want none", k16, k64)
	}
	if per <= 0 || per > 1500 {
		t.Fatalf("%.0f constraints per element", per)
	}
}
