package circuits

import (
	"context"
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"

	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/protocol"
)

// proveCfg is the smallest configuration with every slot kind.
var proveCfg = protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1}

// TestProveAndVerify proves a valid batch with real keys (cached on disk by
// circuit hash) for the Solidity verifier target, checks groth16.Verify
// accepts it and rejects it under another public input.
func TestProveAndVerify(t *testing.T) {
	if testing.Short() {
		t.Skip("Groth16 setup and proving: skipped in -short")
	}
	ccs, err := Compile(proveCfg)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(ccs.GetCommitments().CommitmentIndexes()); n != 0 {
		t.Fatalf("circuit has %d Groth16 commitments, want none", n)
	}
	set, err := keys.Cached(context.Background(), proveCfg, ccs, keys.SetupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b := validBatch(t, proveCfg)
	w, err := Witness(b)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := w.Public()
	if err != nil {
		t.Fatal(err)
	}
	proof, err := groth16.Prove(ccs, set.PK, w, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
	if err != nil {
		t.Fatal(err)
	}
	if err := groth16.Verify(proof, set.VK, pub, solidity.WithVerifierTargetSolidityVerifier(backend.GROTH16)); err != nil {
		t.Fatalf("solidity-target proof rejected: %v", err)
	}
	if err := groth16.Verify(proof, set.VK, pub); err != nil {
		t.Fatalf("proof rejected by the default verifier: %v", err)
	}
	type marshaler interface{ MarshalSolidity() []byte }
	if n := len(proof.(marshaler).MarshalSolidity()); n != 256 {
		t.Fatalf("solidity proof is %d bytes, want 256 (no commitment)", n)
	}

	// The same proof under another public input must fail.
	other := &Batch{PublicInput: new(big.Int).Add(protocol.FrToBig(b.PublicInput()), big.NewInt(1))}
	otherPub, err := frontend.NewWitness(other, ecc.BN254.ScalarField(), frontend.PublicOnly())
	if err != nil {
		t.Fatal(err)
	}
	if err := groth16.Verify(proof, set.VK, otherPub); err == nil {
		t.Fatal("proof verified under a different public input")
	}
}

// TestCheckCircuit runs gnark's own checker: the valid assignment proves and
// verifies, an invalid one (tampered signature) fails.
func TestCheckCircuit(t *testing.T) {
	if testing.Short() {
		t.Skip("Groth16 setup: skipped in -short")
	}
	b := validBatch(t, proveCfg)
	valid, err := Assign(b)
	if err != nil {
		t.Fatal(err)
	}
	invalid, err := Assign(b)
	if err != nil {
		t.Fatal(err)
	}
	invalid.Transfers[0].Sig.S = new(big.Int).Add(invalid.Transfers[0].Sig.S.(*big.Int), big.NewInt(1))
	test.NewAssert(t).CheckCircuit(New(proveCfg),
		test.WithValidAssignment(valid), test.WithInvalidAssignment(invalid),
		test.WithCurves(ecc.BN254), test.WithBackends(backend.GROTH16),
		test.NoFuzzing(), test.NoSerializationChecks())
}
