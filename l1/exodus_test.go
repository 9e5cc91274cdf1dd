package l1

import (
	"context"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/constraint"
	"github.com/ethereum/go-ethereum/common"

	"github.com/sheafrollup/sheaf/circuits/exit"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// exitFixture: the exit circuit at the test depth, its cached keys and its
// compiled verifier.
type exitFixture struct {
	ccs      constraint.ConstraintSystem
	set      *keys.Set
	verifier []byte
}

var (
	exOnce sync.Once
	exFx   *exitFixture
	exErr  error
)

func getExitFixture(t *testing.T) *exitFixture {
	t.Helper()
	if testing.Short() {
		t.Skip("compiles the exit circuit and proves exits: skipped in -short")
	}
	exOnce.Do(func() {
		f := &exitFixture{}
		if f.ccs, exErr = exit.Compile(testCfg.Depth); exErr != nil {
			return
		}
		if f.set, exErr = keys.Cached(context.Background(), protocol.Config{Depth: testCfg.Depth}, f.ccs,
			keys.SetupOptions{Circuit: keys.CircuitExit}); exErr != nil {
			return
		}
		if f.verifier, exErr = CompileVerifier(context.Background(), f.set.VK); exErr != nil {
			return
		}
		exFx = f
	})
	if exErr != nil {
		t.Fatal(exErr)
	}
	return exFx
}

// proveExit proves account index of st exits to `to`, signed by k.
func (f *exitFixture) proveExit(t *testing.T, st *protocol.State, k protocol.PrivateKey, index uint32, to common.Address) (*protocol.ExitClaim, []byte) {
	t.Helper()
	sig, err := protocol.SignExodus(k, st.DomainState(), index, to)
	if err != nil {
		t.Fatal(err)
	}
	claim, err := st.ExitClaim(index, to, sig)
	if err != nil {
		t.Fatal(err)
	}
	w, err := exit.Witness(claim, testCfg.Depth)
	if err != nil {
		t.Fatal(err)
	}
	p, err := groth16.Prove(f.ccs, f.set.PK, w, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
	if err != nil {
		t.Fatal(err)
	}
	return claim, p.(interface{ MarshalSolidity() []byte }).MarshalSolidity()
}

func (e *env) pending(a common.Address) *big.Int {
	e.t.Helper()
	v, err := e.rollup.UnpackPendingWithdrawals(e.call(e.rollup.PackPendingWithdrawals(a)))
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

// TestExodus runs exodus mode on the simulated chain with real batch and
// exit proofs: every refusal before and after the freeze (Frozen for
// activateExodus, deposit, requestForcedExit and submitBatch), an exit paid
// exactly the last proven balance once, a refund paid once, and the
// contract's ETH equal to what stays owed.
func TestExodus(t *testing.T) {
	ex := getExitFixture(t)
	const expiry = time.Hour
	e := newEnvWith(t, ex.verifier, expiry)
	genesis := genesisWorld(t, e.dep.Rollup, genesisBalance) // the state before batch 1
	b, proof := e.batch1()
	if _, err := e.submit(seqKey, b, 1, b.Compact(), proof); err != nil {
		t.Fatalf("batch 1: %v (%s)", err, revertName(err))
	}
	// A deposit no batch consumes: queue entry 1.
	lateKey := protocoltest.Keys(99, 1)[0].Public()
	const lateAmount = 777_000
	if _, err := e.deposit(lateKey, lateAmount); err != nil {
		t.Fatal(err)
	}
	lateC := lateKey.Bytes()
	to := common.HexToAddress("0xe1e1e1")
	claim, exitProof := ex.proveExit(t, e.world.State, e.world.Keys[1], 2, to)
	balance := claim.Account.Balance.ToBig()
	exitCall := func(index uint32, rcpt common.Address, bal *big.Int, p []byte) error {
		_, err := e.send(userKey, e.rollup.PackExit(index, rcpt, bal, p), nil)
		return err
	}

	// Not frozen: no exit, no refund; no exodus before the oldest entry expires.
	expectRevert(t, exitCall(2, to, balance, exitProof), "NotFrozen")
	_, err := e.send(userKey, e.rollup.PackRefundDeposit(1, lateC, big.NewInt(lateAmount), userAddr), nil)
	expectRevert(t, err, "NotFrozen")
	_, err = e.send(userKey, e.rollup.PackActivateExodus(), nil)
	expectRevert(t, err, "NotExpired")

	if err := e.sim.AdjustTime(expiry + time.Minute); err != nil {
		t.Fatal(err)
	}
	rc, err := e.send(userKey, e.rollup.PackActivateExodus(), nil) // anyone
	if err != nil {
		t.Fatalf("activateExodus: %v (%s)", err, revertName(err))
	}
	if ev, err := e.rollup.UnpackExodusActivatedEvent(rc.Logs[0]); err != nil || ev.QueueIndex != 1 || ev.StateRoot != b.Header.NewRoot.Bytes() {
		t.Fatalf("ExodusActivated %+v, %v", ev, err)
	}
	_, err = e.send(userKey, e.rollup.PackActivateExodus(), nil)
	expectRevert(t, err, "Frozen")
	// Frozen: no batches, no deposits, no forced-exit requests (this
	// deployment has no forced-exit slots, so without the freeze the
	// request would revert ForcedExitsDisabled instead).
	_, err = e.deposit(lateKey, lateAmount)
	expectRevert(t, err, "Frozen")
	acc2, _ := e.world.State.Account(2)
	fx := protocol.ForcedExit{Index: 2, Recipient: to, Nonce: acc2.Nonce}
	if err := fx.Sign(e.world.Keys[1], e.world.State.DomainState()); err != nil {
		t.Fatal(err)
	}
	_, err = e.send(userKey, e.rollup.PackRequestForcedExit(fx.Index, fx.Recipient, fx.Nonce,
		protocol.FrToBig(fx.Sig.R.X), protocol.FrToBig(fx.Sig.R.Y), protocol.FrToBig(fx.Sig.S)), nil)
	expectRevert(t, err, "Frozen")
	_, err = e.submit(seqKey, b, 2, b.Compact(), proof)
	expectRevert(t, err, "Frozen")

	// Exit proofs for the wrong balance, another recipient, the old root:
	// refused by the verifier.
	expectRevert(t, exitCall(2, to, new(big.Int).Add(balance, big.NewInt(1)), exitProof), "ProofInvalid")
	expectRevert(t, exitCall(2, common.HexToAddress("0xbad"), balance, exitProof), "ProofInvalid")
	expectRevert(t, exitCall(3, to, balance, exitProof), "ProofInvalid")
	oldClaim, oldProof := ex.proveExit(t, genesis.State, genesis.Keys[1], 2, to)
	expectRevert(t, exitCall(2, to, oldClaim.Account.Balance.ToBig(), oldProof), "ProofInvalid")
	bad := append([]byte(nil), exitProof...)
	bad[40] ^= 1
	if err := exitCall(2, to, balance, bad); err == nil {
		t.Fatal("a corrupted proof was accepted")
	}

	// The exit: paid exactly the last proven balance, once.
	rc, err = e.send(userKey, e.rollup.PackExit(2, to, balance, exitProof), nil)
	if err != nil {
		t.Fatalf("exit: %v (%s)", err, revertName(err))
	}
	t.Logf("exit gas %d", rc.GasUsed)
	if got := e.pending(to); got.Cmp(balance) != 0 {
		t.Fatalf("credited %s, want the proven balance %s", got, balance)
	}
	if done, _ := e.rollup.UnpackExited(e.call(e.rollup.PackExited(2))); !done {
		t.Fatal("account 2 not marked exited")
	}
	expectRevert(t, exitCall(2, to, balance, exitProof), "AlreadyExited")
	// A second account: its nullifier shares the first one's bitmap word.
	to3 := common.HexToAddress("0xe3e3e3")
	claim3, proof3 := ex.proveExit(t, e.world.State, e.world.Keys[2], 3, to3)
	rc, err = e.send(userKey, e.rollup.PackExit(3, to3, claim3.Account.Balance.ToBig(), proof3), nil)
	if err != nil {
		t.Fatalf("exit 3: %v (%s)", err, revertName(err))
	}
	t.Logf("exit gas, nullifier word already written: %d", rc.GasUsed)
	if got := e.pending(to3); got.Cmp(claim3.Account.Balance.ToBig()) != 0 {
		t.Fatalf("account 3 credited %s, want %s", got, claim3.Account.Balance.ToBig())
	}

	// Refunds: the unconsumed deposit once, to its depositor; a consumed
	// one or a wrong amount never.
	before := e.pending(userAddr)
	refund := func(q int64, amount int64) error {
		_, err := e.send(ownerKey, e.rollup.PackRefundDeposit(uint64(q), lateC, big.NewInt(amount), userAddr), nil)
		return err
	}
	expectRevert(t, refund(1, lateAmount+1), "NotRefundable")
	if err := refund(1, lateAmount); err != nil {
		t.Fatalf("refund: %v (%s)", err, revertName(err))
	}
	if got := new(big.Int).Sub(e.pending(userAddr), before); got.Int64() != lateAmount {
		t.Fatalf("refund credited %s, want %d", got, lateAmount)
	}
	expectRevert(t, refund(1, lateAmount), "NotRefundable")
	fresh := protocoltest.Keys(7, 1)[0].Public().Bytes() // standardInput's deposit
	_, err = e.send(ownerKey, e.rollup.PackRefundDeposit(0, fresh, big.NewInt(depositAmount), userAddr), nil)
	expectRevert(t, err, "NotRefundable")

	// Conservation: the contract holds what is credited plus what the
	// accounts that have not exited still own on L2, less the genesis
	// balances of this test world, which no deposit paid for.
	held, err := e.client.BalanceAt(context.Background(), e.dep.Rollup, nil)
	if err != nil {
		t.Fatal(err)
	}
	owed := new(big.Int).Add(e.pending(to), e.pending(userAddr))
	owed.Add(owed, e.pending(to3))
	for i := 1; i <= e.world.State.NumAccounts(); i++ {
		if a, ok := e.world.State.Account(uint32(i)); ok && i != 2 && i != 3 {
			owed.Add(owed, a.Balance.ToBig())
		}
	}
	for i := 1; i <= genesis.State.NumAccounts(); i++ {
		a, _ := genesis.State.Account(uint32(i))
		owed.Sub(owed, a.Balance.ToBig())
	}
	if held.Cmp(owed) != 0 {
		t.Fatalf("contract holds %s wei, owes %s", held, owed)
	}
}
