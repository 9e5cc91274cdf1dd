package l1

import (
	"context"
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

var modulusR = fr.Modulus()

// TestDeposit: a valid deposit is queued with its hash and an event that
// carries everything L2 needs; bad amounts and keys are refused up front.
func TestDeposit(t *testing.T) {
	e := newEnv(t)
	pk := protocoltest.Keys(11, 1)[0].Public()
	r, err := e.deposit(pk, depositAmount)
	if err != nil {
		t.Fatalf("deposit: %v (%s)", err, revertName(err))
	}
	t.Logf("gas: deposit %d", r.GasUsed)
	if len(r.Logs) != 1 {
		t.Fatalf("%d logs, want 1", len(r.Logs))
	}
	ev, err := e.rollup.UnpackDepositEvent(r.Logs[0])
	if err != nil {
		t.Fatal(err)
	}
	key := pk.Bytes()
	if ev.QueueIndex != 0 || ev.PubKey != key || ev.PubKeyX.Cmp(protocol.FrToBig(pk.X)) != 0 ||
		ev.Amount.Int64() != depositAmount || ev.Sender != userAddr {
		t.Fatalf("event %+v", ev)
	}
	// The L2 side rebuilds the key from the event.
	if got, err := protocol.PublicKeyFromParts(ev.PubKey[:], common.LeftPadBytes(ev.PubKeyX.Bytes(), 32)); err != nil || got != pk {
		t.Fatalf("key from event: %v", err)
	}
	h, err := e.rollup.UnpackQueueCommitments(e.call(e.rollup.PackQueueCommitments(big.NewInt(0))))
	if err != nil {
		t.Fatal(err)
	}
	// The commitment names the depositor (a refund goes there), top bit
	// cleared (set marks forced exits).
	want := protocol.DepositEntryHash(pk, uint256.NewInt(depositAmount), userAddr)
	want[0] &= 0x7f
	if h != want {
		t.Fatalf("queued commitment %x, want %x", h, want)
	}
	if tail, _ := e.rollup.UnpackDepositTail(e.call(e.rollup.PackDepositTail())); tail != 1 {
		t.Fatalf("depositTail %d, want 1", tail)
	}
	r2, err := e.deposit(pk, 7)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("gas: deposit (queue not empty) %d", r2.GasUsed)
	if ev, _ := e.rollup.UnpackDepositEvent(r2.Logs[0]); ev.QueueIndex != 1 {
		t.Fatalf("second deposit queue index %d", ev.QueueIndex)
	}

	// Amounts: zero (below the minimum of 1 wei) and above the cap.
	_, err = e.deposit(pk, 0)
	expectRevert(t, err, "DepositTooSmall")
	opts := bind.NewKeyedTransactor(userKey, big.NewInt(simChainID))
	opts.Value = new(big.Int).Add(new(big.Int).Mul(big.NewInt(10), big.NewInt(1e18)), big.NewInt(1))
	_, err = bind.Transact(e.c, opts, e.rollup.PackDeposit(protocol.FrToBig(pk.X), protocol.FrToBig(pk.Y)))
	expectRevert(t, err, "DepositTooLarge")

	// Keys: off the curve, non-canonical, small order.
	x, y := protocol.FrToBig(pk.X), protocol.FrToBig(pk.Y)
	i := new(big.Int).ModSqrt(new(big.Int).Sub(modulusR, big.NewInt(1)), modulusR) // √-1: (±i, 0) has order 4
	bad := []struct {
		name string
		x, y *big.Int
	}{
		{"off curve", new(big.Int).Add(x, big.NewInt(1)), y},
		{"x not reduced", new(big.Int).Add(x, modulusR), y},
		{"identity", big.NewInt(0), big.NewInt(1)},
		{"order 2", big.NewInt(0), new(big.Int).Sub(modulusR, big.NewInt(1))},
		{"order 4", i, big.NewInt(0)},
	}
	for _, b := range bad {
		_, err := e.send(userKey, e.rollup.PackDeposit(b.x, b.y), big.NewInt(1))
		if revertName(err) != "BadPublicKey" {
			t.Errorf("%s: got %v (%s), want BadPublicKey", b.name, err, revertName(err))
		}
	}
}

// TestCompressKeyMatchesProtocol: the contract's compression equals
// protocol.PublicKey.Bytes, for keys on both sides of (r-1)/2.
func TestCompressKeyMatchesProtocol(t *testing.T) {
	e := newEnv(t)
	flags := map[bool]int{}
	for _, k := range protocoltest.Keys(12, 16) {
		pk := k.Public()
		out := e.call(e.rollup.PackCompressKey(protocol.FrToBig(pk.X), protocol.FrToBig(pk.Y)))
		got, err := e.rollup.UnpackCompressKey(out)
		if err != nil {
			t.Fatal(err)
		}
		if want := pk.Bytes(); got != want {
			t.Fatalf("compressKey %x, protocol %x", got, want)
		}
		flags[got[0]&0x80 != 0]++
	}
	if flags[true] == 0 || flags[false] == 0 {
		t.Fatalf("keys did not cover both flag values: %v", flags)
	}
}

// TestSubmitBatch: a real batch (deposit, two transfers, withdrawal) proven
// for the Solidity verifier is accepted and moves every piece of state.
func TestSubmitBatch(t *testing.T) {
	e := newEnv(t)
	b, proof := e.batch1()
	compact := b.Compact()
	r, err := e.submit(seqKey, b, 1, compact, proof)
	if err != nil {
		t.Fatalf("submitBatch: %v (%s)", err, revertName(err))
	}
	t.Logf("gas: submitBatch %d (config %s, %d bytes compact pubdata, %d-byte proof)", r.GasUsed, testCfg, len(compact), len(proof))

	root, _ := e.rollup.UnpackStateRoot(e.call(e.rollup.PackStateRoot()))
	if root != b.Header.NewRoot.Bytes() {
		t.Fatalf("root %x, want %x", root, b.Header.NewRoot.Bytes())
	}
	if n, _ := e.rollup.UnpackLastBatch(e.call(e.rollup.PackLastBatch())); n != 1 {
		t.Fatalf("lastBatch %d", n)
	}
	if h, _ := e.rollup.UnpackDepositHead(e.call(e.rollup.PackDepositHead())); h != 1 {
		t.Fatalf("depositHead %d", h)
	}
	if n, _ := e.rollup.UnpackNextIndex(e.call(e.rollup.PackNextIndex())); n != uint32(e.world.State.NumAccounts()+1) {
		t.Fatalf("nextIndex %d, want %d", n, e.world.State.NumAccounts()+1)
	}
	if p, _ := e.rollup.UnpackPendingWithdrawals(e.call(e.rollup.PackPendingWithdrawals(userAddr))); p.Int64() != withdrawAmount {
		t.Fatalf("pending %v, want %d", p, withdrawAmount)
	}
	var sawBatch, sawCredit bool
	for _, l := range r.Logs {
		if ev, err := e.rollup.UnpackBatchSubmittedEvent(l); err == nil {
			sawBatch = true
			pi := b.PublicInput()
			if ev.Number != 1 || ev.FeeAccount != 1 || ev.PublicInput.Cmp(protocol.FrToBig(pi)) != 0 {
				t.Fatalf("BatchSubmitted %+v", ev)
			}
		}
		if ev, err := e.rollup.UnpackWithdrawalCreditedEvent(l); err == nil {
			sawCredit = true
			if ev.To != userAddr || ev.Amount.Int64() != withdrawAmount || ev.Batch != 1 {
				t.Fatalf("WithdrawalCredited %+v", ev)
			}
		}
	}
	if !sawBatch || !sawCredit {
		t.Fatalf("events: batch %v credit %v", sawBatch, sawCredit)
	}
}

// TestClaim: the withdrawal's owner is paid once; a second claim reverts.
func TestClaim(t *testing.T) {
	e := newEnv(t)
	b, proof := e.batch1()
	if _, err := e.submit(seqKey, b, 1, b.Compact(), proof); err != nil {
		t.Fatalf("submitBatch: %v (%s)", err, revertName(err))
	}
	ctx := context.Background()
	before, err := e.client.BalanceAt(ctx, userAddr, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := e.mustSend(userKey, e.rollup.PackClaim(), nil)
	t.Logf("gas: claim %d", r.GasUsed)
	after, err := e.client.BalanceAt(ctx, userAddr, nil)
	if err != nil {
		t.Fatal(err)
	}
	fee := new(big.Int).Mul(new(big.Int).SetUint64(r.GasUsed), r.EffectiveGasPrice)
	if got := new(big.Int).Sub(new(big.Int).Add(after, fee), before); got.Int64() != withdrawAmount {
		t.Fatalf("claim paid %v, want %d", got, withdrawAmount)
	}
	if p, _ := e.rollup.UnpackPendingWithdrawals(e.call(e.rollup.PackPendingWithdrawals(userAddr))); p.Sign() != 0 {
		t.Fatalf("pending after claim %v", p)
	}
	_, err = e.send(userKey, e.rollup.PackClaim(), nil)
	expectRevert(t, err, "NothingToClaim")
	// Nobody else can claim it either.
	_, err = e.send(seqKey, e.rollup.PackClaim(), nil)
	expectRevert(t, err, "NothingToClaim")
}

// TestRejectWrongProof: a corrupted proof and a valid proof of another
// statement are both refused by the verifier.
func TestRejectWrongProof(t *testing.T) {
	e := newEnv(t)
	b, proof := e.batch1()
	bad := append([]byte(nil), proof...)
	bad[100] ^= 1
	_, err := e.submit(seqKey, b, 1, b.Compact(), bad)
	expectRevert(t, err, "ProofInvalid")
	// A well-formed proof of something else: swap A and C.
	swapped := append(append(append([]byte(nil), proof[192:256]...), proof[64:192]...), proof[:64]...)
	_, err = e.submit(seqKey, b, 1, b.Compact(), swapped)
	expectRevert(t, err, "ProofInvalid")
	_, err = e.submit(seqKey, b, 1, b.Compact(), proof[:255])
	if err == nil {
		t.Fatal("short proof accepted")
	}
	// Still acceptable with the right proof: nothing moved.
	if _, err := e.submit(seqKey, b, 1, b.Compact(), proof); err != nil {
		t.Fatalf("valid proof after rejections: %v (%s)", err, revertName(err))
	}
}

// TestRejectTamperedPubdata: changing any posted byte (a transfer amount,
// the withdrawal's L1 address) breaks the proof; counts that do not match
// the data are refused before it.
func TestRejectTamperedPubdata(t *testing.T) {
	e := newEnv(t)
	b, proof := e.batch1()
	compact := b.Compact()
	n := testCfg.IndexBytes()
	tOff := testCfg.DepositBytes()
	wOff := tOff + 2*testCfg.TransferBytes()
	for _, c := range []struct {
		name string
		at   int
	}{
		{"transfer amount", tOff + 2*n + 3},
		{"transfer recipient", tOff + n},
		{"withdrawal address", wOff + n + 5},
		{"withdrawal amount", wOff + n + 20 + 2},
	} {
		bad := append([]byte(nil), compact...)
		bad[c.at] ^= 0x01
		_, err := e.submit(seqKey, b, 1, bad, proof)
		if revertName(err) != "ProofInvalid" {
			t.Errorf("%s tampered: %v (%s), want ProofInvalid", c.name, err, revertName(err))
		}
	}
	// Dropping the withdrawal (count and bytes) changes the padded pubdata.
	short := compact[:wOff]
	_, err := e.send(seqKey, e.rollup.PackSubmitBatch(1, b.Header.OldRoot.Bytes(), b.Header.NewRoot.Bytes(), 1, 0, 2, 0, short, depositorsOf(1), proof), nil)
	expectRevert(t, err, "ProofInvalid")
	// Counts that disagree with the data length.
	_, err = e.send(seqKey, e.rollup.PackSubmitBatch(1, b.Header.OldRoot.Bytes(), b.Header.NewRoot.Bytes(), 1, 0, 2, 0, compact, depositorsOf(1), proof), nil)
	expectRevert(t, err, "BadPubdataLength")
	_, err = e.send(seqKey, e.rollup.PackSubmitBatch(1, b.Header.OldRoot.Bytes(), b.Header.NewRoot.Bytes(), 1, 0, 3, 1, compact, depositorsOf(1), proof), nil)
	expectRevert(t, err, "BadCounts")
	// Another new root with the same proof.
	other := b.Header.NewRoot
	other.SetUint64(12345)
	_, err = e.send(seqKey, e.rollup.PackSubmitBatch(1, b.Header.OldRoot.Bytes(), other.Bytes(), 1, 0, 2, 1, compact, depositorsOf(1), proof), nil)
	expectRevert(t, err, "ProofInvalid")
}

// TestRejectWrongOldRoot: a batch built and proven on another root is
// refused, whether it names its own old root or the contract's.
func TestRejectWrongOldRoot(t *testing.T) {
	e := newEnv(t)
	other := genesisWorld(t, e.dep.Rollup, genesisBalance+1) // same keys, other balances: other root
	in := standardInput(other)
	if _, err := e.deposit(in.Deposits[0].PubKey, depositAmount); err != nil {
		t.Fatal(err)
	}
	b, err := other.State.ApplyBatch(in)
	if err != nil {
		t.Fatal(err)
	}
	proof := e.f.prove(t, b)
	_, err = e.submit(seqKey, b, 1, b.Compact(), proof)
	expectRevert(t, err, "WrongOldRoot")
	cur := e.world.State.Root()
	_, err = e.send(seqKey, e.rollup.PackSubmitBatch(1, cur.Bytes(), b.Header.NewRoot.Bytes(), 1, 0, 2, 1, b.Compact(), depositorsOf(1), proof), nil)
	expectRevert(t, err, "ProofInvalid")
}

// TestRejectBatchNumber: only the next number is accepted: not a skipped
// one, not zero, not a repeat of an accepted batch.
func TestRejectBatchNumber(t *testing.T) {
	e := newEnv(t)
	b, proof := e.batch1()
	for _, n := range []uint64{0, 2, 1 << 40} {
		_, err := e.submit(seqKey, b, n, b.Compact(), proof)
		expectRevert(t, err, "WrongBatchNumber")
	}
	if _, err := e.submit(seqKey, b, 1, b.Compact(), proof); err != nil {
		t.Fatalf("submitBatch: %v (%s)", err, revertName(err))
	}
	_, err := e.submit(seqKey, b, 1, b.Compact(), proof)
	expectRevert(t, err, "WrongBatchNumber")
}

// TestRejectNotSequencer: only the sequencer address may submit; the owner
// can hand the role over.
func TestRejectNotSequencer(t *testing.T) {
	e := newEnv(t)
	b, proof := e.batch1()
	_, err := e.submit(userKey, b, 1, b.Compact(), proof)
	expectRevert(t, err, "NotSequencer")
	_, err = e.submit(ownerKey, b, 1, b.Compact(), proof)
	expectRevert(t, err, "NotSequencer")
	_, err = e.send(userKey, e.rollup.PackSetSequencer(userAddr), nil)
	expectRevert(t, err, "NotOwner")
	e.mustSend(ownerKey, e.rollup.PackSetSequencer(userAddr), nil)
	_, err = e.submit(seqKey, b, 1, b.Compact(), proof)
	expectRevert(t, err, "NotSequencer")
	if _, err := e.submit(userKey, b, 1, b.Compact(), proof); err != nil {
		t.Fatalf("new sequencer: %v (%s)", err, revertName(err))
	}
}

// TestRejectDepositMismatch: a batch proven with deposits other than the
// queued ones (other amount, other key, none queued) is refused by the
// contract's queue check, before the proof.
func TestRejectDepositMismatch(t *testing.T) {
	e := newEnv(t)
	// The batch consumes 2·depositAmount for the standard key; L1 queued depositAmount.
	in := standardInput(e.world)
	pk := in.Deposits[0].PubKey
	in.Deposits[0].Amount = protocoltest.U(2 * depositAmount)
	b, err := e.world.State.ApplyBatch(in)
	if err != nil {
		t.Fatal(err)
	}
	proof := e.f.prove(t, b)
	_, err = e.submit(seqKey, b, 1, b.Compact(), proof)
	expectRevert(t, err, "QueueShort") // nothing queued yet
	if _, err := e.deposit(pk, depositAmount); err != nil {
		t.Fatal(err)
	}
	_, err = e.submit(seqKey, b, 1, b.Compact(), proof)
	expectRevert(t, err, "DepositMismatch")
	// Another key with the right amount.
	other := protocoltest.Keys(13, 1)[0].Public()
	e2 := newEnv(t)
	if _, err := e2.deposit(other, 2*depositAmount); err != nil {
		t.Fatal(err)
	}
	_, err = e2.submit(seqKey, b, 1, b.Compact(), proof)
	expectRevert(t, err, "DepositMismatch")
}
