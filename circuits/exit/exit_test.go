package exit

import (
	"context"
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

const depth = 4

var recipient = [20]byte{0xe1, 0x17, 19: 0x99}

// world: accounts 1..3 (1,000,000 each); account 2 has moved 1,000 to
// account 3 (nonce 1), so balances and nonces differ between accounts.
func world(t testing.TB) *protocoltest.World {
	t.Helper()
	cfg := protocol.Config{Depth: depth, Transfers: 1}
	w, err := protocoltest.NewWorld(cfg, 3, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.State.ApplyBatch(protocol.BatchInput{FeeAccount: 1, Transfers: []protocol.Transfer{w.Transfer(2, 3, 1000, 0, 0)}}); err != nil {
		t.Fatal(err)
	}
	return w
}

func claim(t testing.TB, w *protocoltest.World, index uint32, to [20]byte) *protocol.ExitClaim {
	t.Helper()
	sig, err := protocol.SignExodus(w.Keys[index-1], w.State.DomainState(), index, to)
	if err != nil {
		t.Fatal(err)
	}
	c, err := w.State.ExitClaim(index, to, sig)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustAssign(t testing.TB, c *protocol.ExitClaim) *Circuit {
	t.Helper()
	a, err := Assign(c, depth)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestExitSolved(t *testing.T) {
	w := world(t)
	for _, i := range []uint32{1, 2, 3} {
		if err := test.IsSolved(New(depth), mustAssign(t, claim(t, w, i, recipient)), ecc.BN254.ScalarField()); err != nil {
			t.Fatalf("account %d: %v", i, err)
		}
	}
}

// TestExitPublicInputs: the witness's public part is exactly
// protocol.ExitPublicInputs, in the order the contract passes them.
func TestExitPublicInputs(t *testing.T) {
	w := world(t)
	c := claim(t, w, 2, recipient)
	wit, err := Witness(c, depth)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := wit.Public()
	if err != nil {
		t.Fatal(err)
	}
	vec := pub.Vector().(fr.Vector)
	want := protocol.ExitPublicInputs(w.State.Root(), protocoltest.ChainID, protocoltest.Contract, 2, recipient, big.NewInt(999_000))
	if len(vec) != len(want) {
		t.Fatalf("%d public inputs", len(vec))
	}
	for i := range want {
		if protocol.FrToBig(vec[i]).Cmp(want[i]) != 0 {
			t.Fatalf("public input %d = %s, want %s", i, protocol.FrToBig(vec[i]), want[i])
		}
	}
	if want[2].Cmp(new(big.Int).Add(new(big.Int).Lsh(big.NewInt(2), 160), new(big.Int).SetBytes(recipient[:]))) != 0 {
		t.Fatal("index and recipient are not packed as index·2^160 + recipient")
	}
}

// TestExitNative: ExitClaim refuses what no proof could show.
func TestExitNative(t *testing.T) {
	w := world(t)
	ds := w.State.DomainState()
	sig, _ := protocol.SignExodus(w.Keys[0], ds, 2, recipient) // account 1's key signs for account 2
	if _, err := w.State.ExitClaim(2, recipient, sig); err == nil {
		t.Fatal("claim with another key's signature")
	}
	sig, _ = protocol.SignExodus(w.Keys[1], ds, 2, [20]byte{1})
	if _, err := w.State.ExitClaim(2, recipient, sig); err == nil {
		t.Fatal("claim with a signature over another recipient")
	}
	sig, _ = protocol.SignExodus(w.Keys[1], ds, 7, recipient)
	if _, err := w.State.ExitClaim(7, recipient, sig); err == nil {
		t.Fatal("claim for an empty index")
	}
	fe := protocol.ForcedExit{Index: 2, Recipient: recipient}
	if err := fe.Sign(w.Keys[1], ds); err != nil {
		t.Fatal(err)
	}
	if _, err := w.State.ExitClaim(2, recipient, fe.Sig); err == nil {
		t.Fatal("a forced-exit signature served as an exodus signature")
	}
}

func TestExitSoundness(t *testing.T) {
	w := world(t)
	good := claim(t, w, 2, recipient)
	oldRoot := func() fr.Element { // the root before account 2's transfer
		cfg := protocol.Config{Depth: depth, Transfers: 1}
		w0, err := protocoltest.NewWorld(cfg, 3, 1_000_000)
		if err != nil {
			t.Fatal(err)
		}
		return w0.State.Root()
	}()
	other := claim(t, w, 3, recipient)
	ds := w.State.DomainState()
	cases := []struct {
		name   string
		mutate func(a *Circuit)
	}{
		{"wrong root", func(a *Circuit) { a.Root = big.NewInt(12345) }},
		{"a proof against an old root", func(a *Circuit) { a.Root = protocol.FrToBig(oldRoot) }},
		{"wrong balance", func(a *Circuit) { a.Balance = big.NewInt(999_001) }},
		{"balance of another account", func(a *Circuit) { a.Balance = big.NewInt(1_001_000) }},
		{"balance + 2^128 with nonce − 1", func(a *Circuit) {
			a.Balance = new(big.Int).Add(big.NewInt(999_000), new(big.Int).Lsh(big.NewInt(1), 128))
			a.Nonce = new(big.Int).Sub(big.NewInt(1), big.NewInt(1))
		}},
		{"another account's leaf", func(a *Circuit) {
			// Account 3's key, lane and signature on account 2's index.
			o := mustAssign(t, other)
			a.PubX, a.PubY, a.Nonce, a.Balance = o.PubX, o.PubY, o.Nonce, o.Balance
			a.RX, a.RY, a.S = o.RX, o.RY, o.S
		}},
		{"another account's leaf and path", func(a *Circuit) {
			o := mustAssign(t, other)
			a.PubX, a.PubY, a.Nonce, a.Balance, a.Siblings = o.PubX, o.PubY, o.Nonce, o.Balance, o.Siblings
			a.RX, a.RY, a.S = o.RX, o.RY, o.S
		}},
		{"signature by another key", func(a *Circuit) {
			sig, _ := protocol.SignExodus(w.Keys[0], ds, 2, recipient)
			a.RX, a.RY, a.S = protocol.FrToBig(sig.R.X), protocol.FrToBig(sig.R.Y), protocol.FrToBig(sig.S)
		}},
		{"signature over another recipient", func(a *Circuit) {
			sig, _ := protocol.SignExodus(w.Keys[1], ds, 2, [20]byte{0xba, 0xd0})
			a.RX, a.RY, a.S = protocol.FrToBig(sig.R.X), protocol.FrToBig(sig.R.Y), protocol.FrToBig(sig.S)
		}},
		{"another recipient than signed", func(a *Circuit) {
			a.IndexRecipient = new(big.Int).Add(a.IndexRecipient.(*big.Int), big.NewInt(1))
		}},
		{"signature for another deployment", func(a *Circuit) {
			a.Domain = protocol.FrToBig(protocol.DomainElement(protocoltest.ChainID+1, protocoltest.Contract))
		}},
		{"a forced-exit signature", func(a *Circuit) {
			f := protocol.ForcedExit{Index: 2, Recipient: recipient, Nonce: 1}
			if err := f.Sign(w.Keys[1], ds); err != nil {
				t.Fatal(err)
			}
			a.RX, a.RY, a.S = protocol.FrToBig(f.Sig.R.X), protocol.FrToBig(f.Sig.R.Y), protocol.FrToBig(f.Sig.S)
		}},
		{"index beyond the tree", func(a *Circuit) {
			a.IndexRecipient = new(big.Int).Add(a.IndexRecipient.(*big.Int), new(big.Int).Lsh(big.NewInt(1<<depth), 160))
		}},
		{"an empty leaf", func(a *Circuit) {
			// Index 7 holds nothing: no key and lane hash to the empty leaf.
			p, _ := w.State.Proof(7)
			for i, s := range p.Siblings {
				a.Siblings[i] = protocol.FrToBig(s)
			}
			a.IndexRecipient = new(big.Int).Add(new(big.Int).Lsh(big.NewInt(7), 160), new(big.Int).SetBytes(recipient[:]))
			a.PubX, a.PubY, a.Balance, a.Nonce = 0, 1, 0, 0
			sig, _ := protocol.SignExodus(w.Keys[1], ds, 7, recipient)
			a.RX, a.RY, a.S = protocol.FrToBig(sig.R.X), protocol.FrToBig(sig.R.Y), protocol.FrToBig(sig.S)
		}},
		{"S + ℓ (malleated signature)", func(a *Circuit) {
			a.S = new(big.Int).Add(a.S.(*big.Int), ellBig())
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := mustAssign(t, good)
			tc.mutate(a)
			if err := test.IsSolved(New(depth), a, ecc.BN254.ScalarField()); err == nil {
				t.Fatal("invalid exit satisfied the circuit")
			}
		})
	}
}

func ellBig() *big.Int {
	v, _ := new(big.Int).SetString("2736030358979909402780800718157159386076813972158567259200215660948447373041", 10)
	return v
}

// TestExitConstraints: the production depth stays within the target.
func TestExitConstraints(t *testing.T) {
	cs, err := Compile(24)
	if err != nil {
		t.Fatal(err)
	}
	n := cs.GetNbConstraints()
	t.Logf("exit circuit, depth 24: %d constraints, %d public inputs", n, cs.GetNbPublicVariables()-1)
	if n > 15_000 {
		t.Fatalf("%d constraints, target 15,000", n)
	}
	if c := len(cs.GetCommitments().CommitmentIndexes()); c != 0 {
		t.Fatalf("%d Groth16 commitments, want none", c)
	}
}

func TestExitCheckCircuit(t *testing.T) {
	if testing.Short() {
		t.Skip("Groth16 setup: skipped in -short")
	}
	w := world(t)
	good := mustAssign(t, claim(t, w, 2, recipient))
	bad := mustAssign(t, claim(t, w, 2, recipient))
	bad.Balance = big.NewInt(999_001)
	test.NewAssert(t).CheckCircuit(New(depth),
		test.WithValidAssignment(good), test.WithInvalidAssignment(bad),
		test.WithCurves(ecc.BN254), test.WithBackends(backend.GROTH16),
		test.NoFuzzing(), test.NoSerializationChecks())
}

// TestExitProve proves a claim with cached development keys and checks
// the proof verifies under its public inputs only.
func TestExitProve(t *testing.T) {
	if testing.Short() {
		t.Skip("Groth16 setup and proving: skipped in -short")
	}
	ccs, err := Compile(depth)
	if err != nil {
		t.Fatal(err)
	}
	set, err := keys.Cached(context.Background(), protocol.Config{Depth: depth}, ccs, keys.SetupOptions{Circuit: keys.CircuitExit})
	if err != nil {
		t.Fatal(err)
	}
	w := world(t)
	wit, err := Witness(claim(t, w, 2, recipient), depth)
	if err != nil {
		t.Fatal(err)
	}
	proof, err := groth16.Prove(ccs, set.PK, wit)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := wit.Public()
	if err := groth16.Verify(proof, set.VK, pub); err != nil {
		t.Fatal(err)
	}
	// Another balance with the same proof.
	var bal uint256.Int
	bal.SetUint64(999_001)
	otherPub := protocol.ExitPublicInputs(w.State.Root(), protocoltest.ChainID, protocoltest.Contract, 2, recipient, bal.ToBig())
	o := &Circuit{Root: otherPub[0], Domain: otherPub[1], IndexRecipient: otherPub[2], Balance: otherPub[3]}
	ow, err := frontend.NewWitness(o, ecc.BN254.ScalarField(), frontend.PublicOnly())
	if err != nil {
		t.Fatal(err)
	}
	if err := groth16.Verify(proof, set.VK, ow); err == nil {
		t.Fatal("proof verified for another balance")
	}
}
