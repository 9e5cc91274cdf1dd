package sha256bits

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/test"
)

var field = ecc.BN254.ScalarField()

// sumCircuit hashes several messages, each a constant prefix followed by
// private bits, and checks the digests against public inputs.
type sumCircuit struct {
	Msgs    [][]frontend.Variable
	Digests [][256]frontend.Variable `gnark:",public"`

	prefixes [][]byte
}

func (c *sumCircuit) Define(api frontend.API) error {
	for i := range c.Msgs {
		var msg []frontend.Variable
		if c.prefixes != nil {
			msg = BytesToBits(c.prefixes[i])
		}
		for _, b := range c.Msgs[i] {
			api.AssertIsBoolean(b)
		}
		msg = append(msg, c.Msgs[i]...)
		d := Sum(api, msg)
		for j := range d {
			api.AssertIsEqual(d[j], c.Digests[i][j])
		}
	}
	return nil
}

func digestBits(d [32]byte) [256]frontend.Variable {
	var out [256]frontend.Variable
	copy(out[:], BytesToBits(d[:]))
	return out
}

// newCase builds a circuit and a valid assignment for prefix[i] || msgs[i].
// prefixes may be nil.
func newCase(prefixes, msgs [][]byte) (circuit, assignment *sumCircuit) {
	circuit = &sumCircuit{prefixes: prefixes}
	assignment = &sumCircuit{prefixes: prefixes}
	for i, m := range msgs {
		circuit.Msgs = append(circuit.Msgs, make([]frontend.Variable, 8*len(m)))
		assignment.Msgs = append(assignment.Msgs, BytesToBits(m))
		var full []byte
		if prefixes != nil {
			full = append(full, prefixes[i]...)
		}
		full = append(full, m...)
		circuit.Digests = append(circuit.Digests, [256]frontend.Variable{})
		assignment.Digests = append(assignment.Digests, digestBits(sha256.Sum256(full)))
	}
	return circuit, assignment
}

// flipped returns a copy of a with one digest bit of message i flipped.
func flipped(a *sumCircuit, i, bit int) *sumCircuit {
	b := *a
	b.Digests = append([][256]frontend.Variable(nil), a.Digests...)
	b.Digests[i][bit] = 1 - b.Digests[i][bit].(int)
	return &b
}

func compile(t testing.TB, c frontend.Circuit) constraint.ConstraintSystem {
	t.Helper()
	ccs, err := frontend.Compile(field, r1cs.NewBuilder, c)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(ccs.GetCommitments().CommitmentIndexes()); n != 0 {
		t.Fatalf("circuit has %d commitments, want none", n)
	}
	return ccs
}

// check runs the assignment through the test engine and through the compiled
// R1CS (which is where constant folding happens) and wants both to agree
// with ok.
func check(t *testing.T, circuit frontend.Circuit, ccs constraint.ConstraintSystem, assignment frontend.Circuit, ok bool) {
	t.Helper()
	err := test.IsSolved(circuit, assignment, field)
	if (err == nil) != ok {
		t.Fatalf("test engine: want solved=%v, got err=%v", ok, err)
	}
	w, err := frontend.NewWitness(assignment, field)
	if err != nil {
		t.Fatal(err)
	}
	err = ccs.IsSolved(w)
	if (err == nil) != ok {
		t.Fatalf("r1cs: want solved=%v, got err=%v", ok, err)
	}
}

func TestNISTVectors(t *testing.T) {
	vectors := []struct{ msg, digest string }{
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
			"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
		{"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
			"cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
	}
	for _, v := range vectors {
		t.Run(fmt.Sprintf("len%d", len(v.msg)), func(t *testing.T) {
			got := sha256.Sum256([]byte(v.msg))
			if hex.EncodeToString(got[:]) != v.digest {
				t.Fatalf("crypto/sha256 disagrees with the NIST vector")
			}
			circuit, assignment := newCase(nil, [][]byte{[]byte(v.msg)})
			ccs := compile(t, circuit)
			check(t, circuit, ccs, assignment, true)
			check(t, circuit, ccs, flipped(assignment, 0, 77), false)
		})
	}
	// One million 'a' is too big for a circuit; just pin the native twin.
	got := sha256.Sum256([]byte(strings.Repeat("a", 1_000_000)))
	if hex.EncodeToString(got[:]) != "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" {
		t.Fatal("crypto/sha256 disagrees with the million-a vector")
	}
}

// TestGroth16 uses gnark's checker. Without the prover_checks build tag it
// only compiles and runs the solver (no setup), see TestGroth16Prove.
func TestGroth16(t *testing.T) {
	circuit, assignment := newCase(nil, [][]byte{[]byte("abc")})
	test.NewAssert(t).CheckCircuit(circuit,
		test.WithValidAssignment(assignment),
		test.WithInvalidAssignment(flipped(assignment, 0, 255)),
		test.WithCurves(ecc.BN254),
		test.WithBackends(backend.GROTH16),
		test.NoFuzzing(),
		test.NoSerializationChecks(),
	)
}

// TestGroth16Prove runs a real setup, prove and verify: the hint must be
// registered for the prover and no commitment may appear.
func TestGroth16Prove(t *testing.T) {
	if testing.Short() {
		t.Skip("Groth16 setup takes a few seconds")
	}
	circuit, assignment := newCase(nil, [][]byte{[]byte("abc")})
	ccs := compile(t, circuit)
	pk, vk, err := groth16.Setup(ccs)
	if err != nil {
		t.Fatal(err)
	}
	w, err := frontend.NewWitness(assignment, field)
	if err != nil {
		t.Fatal(err)
	}
	proof, err := groth16.Prove(ccs, pk, w)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := w.Public()
	if err != nil {
		t.Fatal(err)
	}
	if err := groth16.Verify(proof, vk, pub); err != nil {
		t.Fatal(err)
	}
	bad, err := frontend.NewWitness(flipped(assignment, 0, 0), field, frontend.PublicOnly())
	if err != nil {
		t.Fatal(err)
	}
	if groth16.Verify(proof, vk, bad) == nil {
		t.Fatal("proof verified against a wrong digest")
	}
	if _, err := groth16.Prove(ccs, pk, func() witness.Witness {
		w, _ := frontend.NewWitness(flipped(assignment, 0, 0), field)
		return w
	}()); err == nil {
		t.Fatal("proved a wrong digest")
	}
}

// TestRandomLengths covers every padding boundary of 1, 2 and 3 block
// messages. The test engine sees no constants, the compiled R1CS folds the
// padding, so each length is checked in both. Where the padding goes
// depends on the length modulo 64 and on the block count: every length
// from 0 to 64 (each position of the 0x80 byte and of the length field
// in a first block, and the spill into a second), then the same
// boundaries in the second and third blocks. Every length to 130 (twice
// the constraints) proves nothing more.
func TestRandomLengths(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	var lengths []int
	if testing.Short() {
		lengths = []int{0, 1, 31, 55, 56, 63, 64, 65, 119, 120, 128}
	} else {
		for n := 0; n <= 64; n++ {
			lengths = append(lengths, n)
		}
		lengths = append(lengths, 100, 118, 119, 120, 121, 127, 128, 129, 130)
	}
	const group = 12
	for start := 0; start < len(lengths); start += group {
		ls := lengths[start:min(start+group, len(lengths))]
		msgs := make([][]byte, len(ls))
		for i, n := range ls {
			msgs[i] = make([]byte, n)
			rng.Read(msgs[i])
		}
		circuit, assignment := newCase(nil, msgs)
		ccs := compile(t, circuit)
		check(t, circuit, ccs, assignment, true)
		check(t, circuit, ccs, flipped(assignment, rng.Intn(len(ls)), rng.Intn(256)), false)
	}
}

func TestPartlyConstant(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	prefix := []byte("sheaf/sha256bits constant prefix, 48 bytes long!")
	var prefixes, msgs [][]byte
	for _, n := range []int{0, 1, 7, 8, 16, 20, 100} {
		m := make([]byte, n)
		rng.Read(m)
		prefixes = append(prefixes, prefix[:len(prefix)-n%len(prefix)])
		msgs = append(msgs, m)
	}
	circuit, assignment := newCase(prefixes, msgs)
	ccs := compile(t, circuit)
	check(t, circuit, ccs, assignment, true)
	check(t, circuit, ccs, flipped(assignment, 3, 100), false)
}

// constCircuit hashes a constant message: the digest must come out as
// constants, with no constraints.
type constCircuit struct {
	X   frontend.Variable
	msg []byte
	err *error
}

func (c *constCircuit) Define(api frontend.API) error {
	want := BytesToBits(func() []byte { d := sha256.Sum256(c.msg); return d[:] }())
	got := Sum(api, BytesToBits(c.msg))
	for i := range got {
		v, ok := api.Compiler().ConstantValue(got[i])
		if !ok || v.Cmp(big.NewInt(int64(want[i].(int)))) != 0 {
			*c.err = fmt.Errorf("digest bit %d: got %v (constant %v), want %v", i, v, ok, want[i])
			break
		}
	}
	return nil
}

func TestConstantMessage(t *testing.T) {
	for _, n := range []int{0, 3, 64, 100} {
		var err error
		msg := []byte(strings.Repeat("x", n))
		ccs, cerr := frontend.Compile(field, r1cs.NewBuilder, &constCircuit{msg: msg, err: &err}, frontend.IgnoreUnconstrainedInputs())
		if cerr != nil {
			t.Fatal(cerr)
		}
		if err != nil {
			t.Fatalf("len %d: %v", n, err)
		}
		if ccs.GetNbConstraints() != 0 {
			t.Fatalf("len %d: %d constraints, want 0", n, ccs.GetNbConstraints())
		}
	}
}

// gadgetConstraints compiles Sum over a private message of n bytes and returns
// its constraints, without the test circuit's input booleanity (8 per byte)
// and digest equality (256) constraints.
func gadgetConstraints(t testing.TB, n int) int {
	circuit, _ := newCase(nil, [][]byte{make([]byte, n)})
	ccs := compile(t, circuit)
	return ccs.GetNbConstraints() - 8*n - 256
}

// TestConstraintCount pins the per-block cost so a regression fails.
func TestConstraintCount(t *testing.T) {
	start := time.Now()
	n1, n2, n4 := gadgetConstraints(t, 55), gadgetConstraints(t, 119), gadgetConstraints(t, 247)
	perBlock := (n4 - n2) / 2
	t.Logf("Sum constraints: 1 block %d, 2 blocks %d, 4 blocks %d; per extra block %d (2-1: %d); compile %v",
		n1, n2, n4, perBlock, n2-n1, time.Since(start))
	if perBlock > 27_500 {
		t.Fatalf("%d constraints per block, want <= 27500", perBlock)
	}
}

// BenchmarkSum times compiling a 2-block (119-byte) private message and reports
// its average constraints per block (block 0 is cheaper: constant IV).
func BenchmarkSum(b *testing.B) {
	var n int
	for b.Loop() {
		n = gadgetConstraints(b, 119)
	}
	b.ReportMetric(float64(n)/2, "constraints/block")
}
