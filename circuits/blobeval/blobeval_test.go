package blobeval

import (
	"crypto/sha256"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	blsfr "github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/std/math/emulated"
	"github.com/consensys/gnark/test"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"

	"github.com/sheafrollup/sheaf/protocol/blob"
)

// twin asserts Evaluate(chunks, X) = Y.
type twin struct {
	Chunks []frontend.Variable
	X, Y   Element
}

func (c *twin) Define(api frontend.API) error {
	f, err := emulated.NewField[Fr](api)
	if err != nil {
		return err
	}
	elems, err := ElementsFromChunks(api, f, c.Chunks)
	if err != nil {
		return err
	}
	y, err := Evaluate(f, elems, &c.X)
	if err != nil {
		return err
	}
	f.AssertIsEqual(y, &c.Y)
	return nil
}

func blsBig(e blsfr.Element) *big.Int { return e.BigInt(new(big.Int)) }

// vector is a random blob of n chunks, its challenge and the native value.
func vector(t *testing.T, r *rand.Rand, n int) (*twin, blsfr.Element) {
	t.Helper()
	w, _, y := vectorX(t, r, n)
	return w, y
}

// vectorX is vector with the challenge too.
func vectorX(t *testing.T, r *rand.Rand, n int) (*twin, blsfr.Element, blsfr.Element) {
	t.Helper()
	data := make([]byte, n*blob.ChunkBytes)
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	blobs, used, err := blob.Pack(data)
	if err != nil {
		t.Fatal(err)
	}
	commit, err := kzg4844.BlobToCommitment(&blobs[0])
	if err != nil {
		t.Fatal(err)
	}
	chunks := blob.Chunks(data)
	// A full-width point (the evaluators take any x < r; blob mode's are
	// 125 bits): keccak of the data hash and versioned hash, mod r.
	d := blob.DataHash(chunks)
	dh, vh := d.Bytes(), kzg4844.CalcBlobHashV1(sha256.New(), &commit)
	var x blsfr.Element
	x.SetBytes(crypto.Keccak256(dh[:], vh[:]))
	y, err := blob.NewDomain().Evaluate(&blobs[0], used[0], x)
	if err != nil {
		t.Fatal(err)
	}
	_, claim, err := kzg4844.ComputeProof(&blobs[0], kzg4844.Point(x.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if claim != y.Bytes() {
		t.Fatal("native evaluation disagrees with kzg4844")
	}
	w := &twin{Chunks: make([]frontend.Variable, n), X: emulated.ValueOf[Fr](blsBig(x)), Y: emulated.ValueOf[Fr](blsBig(y))}
	for i, c := range chunks {
		w.Chunks[i] = new(big.Int).SetBytes(c[:])
	}
	return w, x, y
}

// TestEvaluateTwin: the gadget accepts the native (and kzg4844's) value of
// random blobs and rejects any other y, a changed element and a changed x.
func TestEvaluateTwin(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, n := range []int{1, 3, 8} {
		valid, y := vector(t, r, n)
		circuit := &twin{Chunks: make([]frontend.Variable, n)}

		var y1 blsfr.Element
		y1.SetOne()
		y1.Add(&y, &y1)
		wrongY := *valid
		wrongY.Y = emulated.ValueOf[Fr](blsBig(y1))

		wrongElem := *valid
		wrongElem.Chunks = append([]frontend.Variable(nil), valid.Chunks...)
		wrongElem.Chunks[n-1] = new(big.Int).Add(valid.Chunks[n-1].(*big.Int), big.NewInt(1))

		other, _ := vector(t, r, n)
		wrongX := *valid
		wrongX.X = other.X

		// A chunk of 2^248 does not fit 31 bytes: refused by the limb check.
		tooWide := *valid
		tooWide.Chunks = append([]frontend.Variable(nil), valid.Chunks...)
		tooWide.Chunks[0] = new(big.Int).Lsh(big.NewInt(1), 248)

		test.NewAssert(t).CheckCircuit(circuit,
			test.WithValidAssignment(valid),
			test.WithInvalidAssignment(&wrongY),
			test.WithInvalidAssignment(&wrongElem),
			test.WithInvalidAssignment(&wrongX),
			test.WithInvalidAssignment(&tooWide),
			test.WithCurves(ecc.BN254), test.WithBackends(backend.GROTH16), test.NoSerializationChecks(), test.NoProverChecks(), test.NoFuzzing())
	}
}

// TestEvaluateConstraints reports the gadget's cost per element (the
// figures in docs/benchmarks.md) and that it adds a commitment.
func TestEvaluateConstraints(t *testing.T) {
	count := func(n int) (int, int) {
		cs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &twin{Chunks: make([]frontend.Variable, n)})
		if err != nil {
			t.Fatal(err)
		}
		return cs.GetNbConstraints(), len(cs.GetCommitments().CommitmentIndexes())
	}
	c16, _ := count(16)
	c64, commitments := count(64)
	per := float64(c64-c16) / 48
	t.Logf("emulated BLS12-381 Fr evaluation: %d constraints at 16 elements, %d at 64: %.0f per element, %.0f fixed; %d commitment(s)",
		c16, c64, per, float64(c16)-16*per, commitments)
	if per <= 0 {
		t.Fatal("cost does not grow with the elements")
	}
	// gnark's emulated range checks commit: the reason to measure a
	// commitment-free evaluator (docs/benchmarks.md).
	if commitments != 1 {
		t.Fatalf("%d commitments, the emulated field adds exactly one", commitments)
	}
}
