package l1

import (
	"crypto/ecdsa"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// TestForcedExitQueue exercises the contract's side of forced exits with a
// verifier that accepts every proof (the circuit's side is tested in
// circuits/): what requestForcedExit refuses, the Poseidon2 chain computed
// on L1 equal to protocol.ForcedExit.Chain, batches that take the queue out
// of order refused, and an in-order batch whose public input (header with
// nf and the chain value) is exactly the native one and whose valid forced
// exit is credited.
func TestForcedExitQueue(t *testing.T) {
	cfg := protocol.Config{Depth: 4, Deposits: 2, ForcedExits: 1, Transfers: 1, Withdrawals: 1}
	eth := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	alloc := types.GenesisAlloc{}
	for _, k := range []*ecdsa.PrivateKey{ownerKey, seqKey, userKey} {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1000), eth)}
	}
	sim := NewSimulatedChain(alloc, MainnetLikeGas)
	t.Cleanup(func() { sim.Close() })
	e := &env{t: t, sim: sim, client: sim.Client(), rollup: bindings.NewRollup()}
	fee := protocoltest.Keys(21, 1)[0]
	const fxFee = 1000
	e.dep = deployMining(t, sim, e.client, DeployConfig{Circuit: cfg, VerifierBytecode: acceptAll,
		ExitVerifierBytecode: RefuseAllVerifier, FeeKey: fee.Public(), Sequencer: crypto.PubkeyToAddress(seqKey.PublicKey),
		ForcedExitFee: big.NewInt(fxFee), MaxOpenForcedExits: 1})
	e.c = e.rollup.Instance(e.client, e.dep.Rollup)

	st, err := protocol.GenesisState(cfg, simChainID, e.dep.Rollup, fee.Public())
	if err != nil {
		t.Fatal(err)
	}
	k2 := protocoltest.Keys(22, 1)[0]
	w := &protocoltest.World{State: st, Keys: []protocol.PrivateKey{fee, k2}}
	to := common.HexToAddress("0xf0f0")

	request := func(f protocol.ForcedExit, value int64) (*types.Receipt, error) {
		return e.send(userKey, e.rollup.PackRequestForcedExit(f.Index, f.Recipient, f.Nonce,
			protocol.FrToBig(f.Sig.R.X), protocol.FrToBig(f.Sig.R.Y), protocol.FrToBig(f.Sig.S)), big.NewInt(value))
	}

	// Queue: deposit (0), forced exit of the deposit's account (1), deposit (2).
	d0 := w.QueueDeposit(k2.Public(), 5000)
	if _, err := e.deposit(k2.Public(), 5000); err != nil {
		t.Fatal(err)
	}
	f1 := w.QueueForcedExit(2, k2, to, 0)
	// Refused on entry: the wrong fee, index 0 or beyond the tree, S ≥ ℓ, R off the curve, no recipient.
	_, err = request(f1, fxFee-1)
	expectRevert(t, err, "WrongFee")
	for name, mut := range map[string]func(*protocol.ForcedExit){
		"index 0":     func(f *protocol.ForcedExit) { f.Index = 0 },
		"index 2^d":   func(f *protocol.ForcedExit) { f.Index = 16 },
		"R off curve": func(f *protocol.ForcedExit) { f.Sig.R.X.SetUint64(5) },
		"S not below ℓ": func(f *protocol.ForcedExit) {
			f.Sig.S.SetBigInt(new(big.Int).Add(protocol.FrToBig(f.Sig.S), curveOrder))
		},
	} {
		bad := f1
		mut(&bad)
		_, err := request(bad, fxFee)
		if revertName(err) != "BadForcedExit" {
			t.Errorf("%s: %v (%s), want BadForcedExit", name, err, revertName(err))
		}
	}
	noTo := f1
	noTo.Recipient = [20]byte{}
	_, err = request(noTo, fxFee)
	expectRevert(t, err, "BadRecipient")

	rc, err := request(f1, fxFee)
	if err != nil {
		t.Fatalf("requestForcedExit: %v (%s)", err, revertName(err))
	}
	ev, err := e.rollup.UnpackForcedExitRequestedEvent(rc.Logs[0])
	if err != nil {
		t.Fatal(err)
	}
	if want := f1.Chain(); ev.QueueIndex != 1 || ev.Chain.Cmp(protocol.FrToBig(want)) != 0 ||
		ev.PrevChain.Cmp(protocol.FrToBig(protocol.TagForcedExitChain)) != 0 {
		t.Fatalf("ForcedExitRequested %+v, want queue index 1, chain %s", ev, protocol.FrToBig(want))
	}
	if got := e.pending(crypto.PubkeyToAddress(ownerKey.PublicKey)); got.Int64() != fxFee {
		t.Fatalf("owner credited %s of the fee", got)
	}
	_, err = request(f1, fxFee) // the cap: one open request
	expectRevert(t, err, "TooManyForcedExits")
	d2 := w.QueueDeposit(k2.Public(), 7000)
	if _, err := e.deposit(k2.Public(), 7000); err != nil {
		t.Fatal(err)
	}

	dep := func(d protocol.Deposit, idx uint32) []byte {
		b := make([]byte, cfg.DepositBytes())
		protocol.EncodeDeposit(cfg, b, idx, &d)
		return b
	}
	// Skipping the forced exit: deposits 0 and 2 as the first two entries.
	r0 := st.Root()
	root := r0.Bytes()
	send := func(nd, nf uint16, compact, depositors []byte) error {
		_, err := e.send(seqKey, e.rollup.PackSubmitBatch(1, root, [32]byte{31: 9}, nd, nf, 0, 0, compact, depositors, make([]byte, 256)), nil)
		return err
	}
	expectRevert(t, send(2, 0, append(dep(d0, 2), dep(d2, 2)...), depositorsOf(2)), "DepositMismatch")
	// The forced exit before the deposit queued ahead of it.
	fxSlot := make([]byte, cfg.ForcedExitBytes())
	expectRevert(t, send(0, 1, fxSlot, depositorsOf(0)), "QueueKindMismatch")
	// A depositor the commitment does not name.
	expectRevert(t, send(1, 0, dep(d0, 2), common.HexToAddress("0xdead").Bytes()), "DepositMismatch")
	expectRevert(t, send(1, 0, dep(d0, 2), depositorsOf(2)), "BadDepositors")

	// In order: deposit 0, then forced exit 1 (valid: the whole balance).
	b, err := w.State.ApplyBatch(protocol.BatchInput{FeeAccount: 1, Deposits: []protocol.Deposit{d0}, ForcedExits: []protocol.ForcedExit{f1}})
	if err != nil {
		t.Fatal(err)
	}
	rc, err = e.send(seqKey, e.rollup.PackSubmitBatch(1, root, b.Header.NewRoot.Bytes(), 1, 1, 0, 0, b.Compact(), depositorsOf(1), make([]byte, 256)), nil)
	if err != nil {
		t.Fatalf("in-order batch: %v (%s)", err, revertName(err))
	}
	var sub *bindings.RollupBatchSubmitted
	var processed *bindings.RollupForcedExitProcessed
	for _, l := range rc.Logs {
		if s, err := e.rollup.UnpackBatchSubmittedEvent(l); err == nil {
			sub = s
		}
		if p, err := e.rollup.UnpackForcedExitProcessedEvent(l); err == nil {
			processed = p
		}
	}
	if sub == nil || sub.PublicInput.Cmp(protocol.FrToBig(b.PublicInput())) != 0 {
		t.Fatalf("contract public input %v, native %s (header with nf and the chain value)", sub, protocol.FrToBig(b.PublicInput()))
	}
	if processed == nil || !processed.Valid || processed.Amount.Int64() != 5000 || processed.To != to || processed.QueueIndex != 1 {
		t.Fatalf("ForcedExitProcessed %+v, want 5000 to %s", processed, to)
	}
	if got := e.pending(to); got.Int64() != 5000 {
		t.Fatalf("recipient credited %s, want 5000", got)
	}
	if open, _ := e.rollup.UnpackOpenForcedExits(e.call(e.rollup.PackOpenForcedExits())); open != 0 {
		t.Fatalf("open forced exits %d after the batch", open)
	}
	if h, _ := e.rollup.UnpackDepositHead(e.call(e.rollup.PackDepositHead())); h != 2 {
		t.Fatalf("queue head %d, want 2", h)
	}
}

// curveOrder is ℓ as gnark-crypto has it (the contract hard-codes it).
var curveOrder = func() *big.Int {
	c := twistededwards.GetEdwardsCurve()
	return new(big.Int).Set(&c.Order)
}()
