package merkle

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/test"

	"github.com/sheafrollup/sheaf/protocol/smt"
)

// rootCircuit checks a Merkle path against a public root, playing the role
// of a caller: it constrains the index bits boolean before ComputeRoot.
type rootCircuit struct {
	Leaf      frontend.Variable
	IndexBits []frontend.Variable
	Siblings  []frontend.Variable
	Root      frontend.Variable `gnark:",public"`

	// Unexported, so not part of the witness.
	skipBoolean bool // measure ComputeRoot alone
	useFree     bool // go through the free function instead of a Hasher
}

func (c *rootCircuit) Define(api frontend.API) error {
	if !c.skipBoolean {
		for _, b := range c.IndexBits {
			api.AssertIsBoolean(b)
		}
	}
	var root frontend.Variable
	if c.useFree {
		root = ComputeRoot(api, c.Leaf, c.IndexBits, c.Siblings)
	} else {
		h, err := NewHasher(api)
		if err != nil {
			return err
		}
		root = h.ComputeRoot(c.Leaf, c.IndexBits, c.Siblings)
	}
	api.AssertIsEqual(root, c.Root)
	return nil
}

func newRootCircuit(depth int) *rootCircuit {
	return &rootCircuit{
		IndexBits: make([]frontend.Variable, depth),
		Siblings:  make([]frontend.Variable, depth),
	}
}

type hashCircuit struct {
	Left, Right frontend.Variable
	Out         frontend.Variable `gnark:",public"`
	useFree     bool
}

func (c *hashCircuit) Define(api frontend.API) error {
	var out frontend.Variable
	if c.useFree {
		out = HashNode(api, c.Left, c.Right)
	} else {
		h, err := NewHasher(api)
		if err != nil {
			return err
		}
		out = h.HashNode(c.Left, c.Right)
	}
	api.AssertIsEqual(out, c.Out)
	return nil
}

func bi(e fr.Element) *big.Int { return e.BigInt(new(big.Int)) }

func randElem(rng *rand.Rand) fr.Element {
	var e fr.Element
	e.SetUint64(rng.Uint64())
	var hi fr.Element
	hi.SetUint64(rng.Uint64())
	e.Mul(&e, &hi).Add(&e, &hi) // spread over the whole field
	return e
}

// assignment turns a native proof into a witness for rootCircuit.
func assignment(p smt.Proof, root fr.Element) *rootCircuit {
	c := newRootCircuit(len(p.Siblings))
	c.Leaf = bi(p.Leaf)
	for i, s := range p.Siblings {
		c.IndexBits[i] = (p.Index >> i) & 1
		c.Siblings[i] = bi(s)
	}
	c.Root = bi(root)
	return c
}

func TestHashNodeMatchesNative(t *testing.T) {
	var pMinus1 fr.Element
	pMinus1.SetOne().Neg(&pMinus1)
	pairs := [][2]fr.Element{{}, {pMinus1, pMinus1}}
	rng := rand.New(rand.NewPCG(7, 7))
	for range 5 {
		pairs = append(pairs, [2]fr.Element{randElem(rng), randElem(rng)})
	}
	for i, p := range pairs {
		for _, free := range []bool{false, true} {
			out := smt.HashNode(p[0], p[1])
			w := &hashCircuit{Left: bi(p[0]), Right: bi(p[1]), Out: bi(out)}
			if err := test.IsSolved(&hashCircuit{useFree: free}, w, ecc.BN254.ScalarField()); err != nil {
				t.Errorf("pair %d (free=%v): %v", i, free, err)
			}
			// Swapped inputs must not hash the same (order matters).
			if p[0] != p[1] {
				w = &hashCircuit{Left: bi(p[1]), Right: bi(p[0]), Out: bi(out)}
				if test.IsSolved(&hashCircuit{useFree: free}, w, ecc.BN254.ScalarField()) == nil {
					t.Errorf("pair %d (free=%v): swapped inputs accepted", i, free)
				}
			}
		}
	}
}

func TestComputeRootMatchesNative(t *testing.T) {
	for _, depth := range []int{1, 2, 4, 8, 24} {
		t.Run(fmt.Sprintf("depth=%d", depth), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(depth), 3))
			tr, err := smt.New(depth)
			if err != nil {
				t.Fatal(err)
			}
			capacity := uint64(1) << depth
			n := min(capacity, 40)
			for range n {
				if err := tr.Set(rng.Uint64N(n), randElem(rng)); err != nil {
					t.Fatal(err)
				}
			}
			root := tr.Root()
			// A few indexes inside the prefix plus unset ones past it.
			indexes := []uint64{0, capacity - 1}
			for range 4 {
				indexes = append(indexes, rng.Uint64N(n), rng.Uint64N(capacity))
			}
			for _, idx := range indexes {
				p, err := tr.Proof(idx)
				if err != nil {
					t.Fatal(err)
				}
				free := idx%2 == 0
				if err := test.IsSolved(&rootCircuit{IndexBits: make([]frontend.Variable, depth), Siblings: make([]frontend.Variable, depth), useFree: free},
					assignment(p, root), ecc.BN254.ScalarField()); err != nil {
					t.Fatalf("index %d: valid proof rejected: %v", idx, err)
				}
				wrong := root
				wrong.Add(&wrong, &fr.Element{1})
				if test.IsSolved(newRootCircuit(depth), assignment(p, wrong), ecc.BN254.ScalarField()) == nil {
					t.Fatalf("index %d: wrong root accepted", idx)
				}
			}
		})
	}
}

func TestCheckCircuit(t *testing.T) {
	const depth = 4
	rng := rand.New(rand.NewPCG(4, 4))
	tr, err := smt.New(depth)
	if err != nil {
		t.Fatal(err)
	}
	for i := range uint64(11) {
		if err := tr.Set(i, randElem(rng)); err != nil {
			t.Fatal(err)
		}
	}
	root := tr.Root()
	p, err := tr.Proof(6)
	if err != nil {
		t.Fatal(err)
	}

	valid := assignment(p, root)
	wrongLeaf := assignment(p, root)
	wrongLeaf.Leaf = 12345
	wrongSibling := assignment(p, root)
	wrongSibling.Siblings[2] = 12345
	wrongBit := assignment(p, root)
	wrongBit.IndexBits[0] = 1 - wrongBit.IndexBits[0].(uint64)
	nonBoolBit := assignment(p, root)
	nonBoolBit.IndexBits[1] = 2

	test.NewAssert(t).CheckCircuit(newRootCircuit(depth),
		test.WithValidAssignment(valid),
		test.WithInvalidAssignment(wrongLeaf),
		test.WithInvalidAssignment(wrongSibling),
		test.WithInvalidAssignment(wrongBit),
		test.WithInvalidAssignment(nonBoolBit),
		test.WithCurves(ecc.BN254),
		test.WithBackends(backend.GROTH16),
		test.NoFuzzing(),
		test.NoSerializationChecks(),
	)
}

func TestConstraintCount(t *testing.T) {
	const depth = 24
	count := func(c frontend.Circuit) int {
		ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, c)
		if err != nil {
			t.Fatal(err)
		}
		// A commitment would need an extra Groth16 setup/verifier path.
		if n := len(ccs.GetCommitments().CommitmentIndexes()); n != 0 {
			t.Errorf("circuit has %d Groth16 commitments, want 0", n)
		}
		return ccs.GetNbConstraints()
	}
	hash := count(&hashCircuit{}) - 1 // minus the AssertIsEqual
	alone := newRootCircuit(depth)
	alone.skipBoolean = true
	root := count(alone) - 1
	withBool := count(newRootCircuit(depth))
	t.Logf("R1CS constraints: HashNode %d; ComputeRoot depth %d: %d (%.1f/level); with caller's boolean checks + root assert: %d",
		hash, depth, root, float64(root)/depth, withBool)
	if root > 4600 {
		t.Errorf("ComputeRoot at depth %d costs %d constraints, want <= 4600", depth, root)
	}
	if want := depth * (hash + 1); root != want {
		t.Errorf("ComputeRoot costs %d, want depth*(HashNode+1) = %d: selection is no longer 1 constraint/level", root, want)
	}
}

// TestGroth16Prove runs a real Groth16 setup/prove/verify at depth 4, which
// CheckCircuit only does with gnark's prover_checks build tag.
func TestGroth16Prove(t *testing.T) {
	if testing.Short() {
		t.Skip("Groth16 setup and proving skipped in -short mode")
	}
	const depth = 4
	tr, err := smt.New(depth)
	if err != nil {
		t.Fatal(err)
	}
	for i := range uint64(5) {
		_ = tr.Set(i, *new(fr.Element).SetUint64(i + 100))
	}
	p, err := tr.Proof(3)
	if err != nil {
		t.Fatal(err)
	}
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, newRootCircuit(depth))
	if err != nil {
		t.Fatal(err)
	}
	pk, vk, err := groth16.Setup(ccs)
	if err != nil {
		t.Fatal(err)
	}
	w, err := frontend.NewWitness(assignment(p, tr.Root()), ecc.BN254.ScalarField())
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
}
