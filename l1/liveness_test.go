package l1

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"

	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// acceptAll is the creation code of a contract whose runtime code is one
// STOP: every call to it succeeds. As a "verifier" it accepts any proof,
// so the contract's own rules can be exercised without proving (the
// tests with real proofs are in rollup_cases_test.go).
var acceptAll = hexutil.MustDecode("0x6001600c60003960016000f300")

// stubEnv is a simulated chain with a rollup whose verifier accepts
// everything; the fee key is feeKey (account 1 at genesis).
type stubEnv struct {
	*env
	cfg    protocol.Config
	feeKey protocol.PrivateKey
	// blobKey sends sendBlob's and mineBlob's transactions (nil: seqKey).
	blobKey *ecdsa.PrivateKey
}

// blobSender is the key blob transactions are sent from.
func (e *stubEnv) blobSender() *ecdsa.PrivateKey {
	if e.blobKey != nil {
		return e.blobKey
	}
	return seqKey
}

func newStubEnv(t *testing.T, cfg protocol.Config, delay uint64, minDeposit int64) *stubEnv {
	t.Helper()
	eth := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	alloc := types.GenesisAlloc{}
	for _, k := range []*ecdsa.PrivateKey{ownerKey, seqKey, userKey, blobSeqKey} {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1000), eth)}
	}
	sim := NewSimulatedChain(alloc, MainnetLikeGas)
	t.Cleanup(func() { sim.Close() }) // stops the miner first
	e := &env{t: t, sim: sim, client: sim.Client(), rollup: bindings.NewRollup()}
	fee := protocoltest.Keys(21, 1)[0]
	dcfg := DeployConfig{Circuit: cfg, VerifierBytecode: acceptAll, ExitVerifierBytecode: RefuseAllVerifier, FeeKey: fee.Public(),
		Sequencer: crypto.PubkeyToAddress(seqKey.PublicKey), MinDeposit: big.NewInt(minDeposit), ChangeDelay: delay}
	if cfg.Auto() {
		dcfg.BlobVerifierBytecode = acceptAll
		dcfg.BlobSequencer = crypto.PubkeyToAddress(blobSeqKey.PublicKey)
	}
	e.dep = deployMining(t, sim, e.client, dcfg)
	e.c = e.rollup.Instance(e.client, e.dep.Rollup)
	return &stubEnv{env: e, cfg: cfg, feeKey: fee}
}

// deployMining deploys while the chain mines (Deploy waits for receipts)
// and stops the miner, waiting for it, before returning.
func deployMining(t *testing.T, sim *SimulatedChain, c simulated.Client, cfg DeployConfig) *Deployment {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sim.Mine(20 * time.Millisecond)
	dep, err := Deploy(ctx, c, ownerKey, cfg)
	sim.StopMining()
	if err != nil {
		t.Fatal(err)
	}
	return dep
}

func (e *stubEnv) u64(data []byte, unpack func([]byte) (uint64, error)) uint64 {
	e.t.Helper()
	v, err := unpack(e.call(data))
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

func (e *stubEnv) u32(data []byte, unpack func([]byte) (uint32, error)) uint32 {
	e.t.Helper()
	v, err := unpack(e.call(data))
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

func (e *stubEnv) root() [32]byte {
	e.t.Helper()
	r, err := e.rollup.UnpackStateRoot(e.call(e.rollup.PackStateRoot()))
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// transferSlot is a transfer's pubdata (the stub verifier does not care
// what it says, only the contract's own rules apply).
func (e *stubEnv) transferSlot(from, to uint32) []byte {
	b := make([]byte, e.cfg.TransferBytes())
	tr := protocol.Transfer{From: from, To: to, Amount: protocoltest.U(1), Fee: protocoltest.U(0)}
	protocol.EncodeTransfer(e.cfg, b, &tr)
	return b
}

func (e *stubEnv) withdrawalSlot(from uint32, to common.Address, amount uint64) []byte {
	b := make([]byte, e.cfg.WithdrawalBytes())
	w := protocol.Withdrawal{From: from, To: to, Amount: protocoltest.U(amount)}
	protocol.EncodeWithdrawal(e.cfg, b, &w)
	return b
}

// submitRaw submits the next batch with the given counts and compact
// pubdata, a fresh new root and a dummy proof.
func (e *stubEnv) submitRaw(nd, nt, nw uint16, compact []byte) (*types.Receipt, error) {
	e.t.Helper()
	n := e.u64(e.rollup.PackNextBatch(), e.rollup.UnpackNextBatch)
	var nr [32]byte
	nr[31], nr[30] = byte(n), 0x5e
	return e.send(seqKey, e.rollup.PackSubmitBatch(n, e.root(), nr, nd, 0, nt, nw, compact, depositorsOf(int(nd)), make([]byte, 256)), nil)
}

// submitted decodes the BatchSubmitted event of a receipt.
func (e *stubEnv) submitted(r *types.Receipt) *bindings.RollupBatchSubmitted {
	e.t.Helper()
	for _, l := range r.Logs {
		if ev, err := e.rollup.UnpackBatchSubmittedEvent(l); err == nil {
			return ev
		}
	}
	e.t.Fatal("no BatchSubmitted event")
	return nil
}

func ethereumCall(to common.Address, data []byte) ethereum.CallMsg {
	return ethereum.CallMsg{To: &to, Data: data}
}

func filterQuery(addr common.Address, topic common.Hash) ethereum.FilterQuery {
	return ethereum.FilterQuery{Addresses: []common.Address{addr}, Topics: [][]common.Hash{{topic}}}
}

// depositKey queues a deposit for a fresh key.
func (e *stubEnv) depositKey(seed int64, amount int64) error {
	pk := protocoltest.Keys(seed, 1)[0].Public()
	_, err := e.deposit(pk, amount)
	return err
}

// TestLivenessFeeAccountSchedule: the contract is the source of truth for
// the fee account. A change names an existing account, is announced with
// the batch it takes effect from (changeDelay batches after the next one),
// batches before it keep the old value and batches from it on carry the
// new one; one change at a time.
func TestLivenessFeeAccountSchedule(t *testing.T) {
	cfg := protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1}
	const delay = 3
	e := newStubEnv(t, cfg, delay, 1)
	r := e.rollup

	// Genesis: account 1 exists, so nextIndex starts at 2.
	if got := e.u32(r.PackNextIndex(), r.UnpackNextIndex); got != 2 {
		t.Fatalf("nextIndex %d, want 2", got)
	}
	// Accounts that do not exist, and index 0, are refused.
	for _, a := range []uint32{0, 2, 9} {
		_, err := e.send(ownerKey, r.PackSetFeeAccount(a), nil)
		expectRevert(t, err, "BadFeeAccount")
	}
	_, err := e.send(userKey, r.PackSetFeeAccount(1), nil)
	expectRevert(t, err, "NotOwner")

	// Open account 2 with a deposit consumed by batch 1.
	pk := protocoltest.Keys(22, 1)[0].Public()
	if _, err := e.deposit(pk, 1000); err != nil {
		t.Fatal(err)
	}
	dep := make([]byte, cfg.DepositBytes())
	protocol.EncodeDeposit(cfg, dep, 2, &protocol.Deposit{PubKey: pk, Amount: protocoltest.U(1000)})
	rc, err := e.submitRaw(1, 1, 0, append(dep, e.transferSlot(1, 1)...))
	if err != nil {
		t.Fatalf("batch 1: %v (%s)", err, revertName(err))
	}
	if ev := e.submitted(rc); ev.FeeAccount != 1 {
		t.Fatalf("batch 1 event %+v", ev)
	}
	if next, err := r.UnpackNextIndex(e.call(r.PackNextIndex())); err != nil || next != 3 {
		t.Fatalf("next index after batch 1: %d (%v), want 3 (account 2 opened)", next, err)
	}

	// Batch 1 is accepted: the change is effective from 1 + 1 + delay = 5.
	rc = e.mustSend(ownerKey, r.PackSetFeeAccount(2), nil)
	ev, err := r.UnpackFeeAccountScheduledEvent(rc.Logs[0])
	if err != nil || ev.FeeAccount != 2 || ev.FromBatch != 2+delay {
		t.Fatalf("FeeAccountScheduled %+v (%v), want account 2 from batch %d", ev, err, 2+delay)
	}
	for n, want := range map[uint64]uint32{2: 1, 4: 1, 5: 2, 9: 2} {
		if got := e.u32(r.PackFeeAccountAt(n), r.UnpackFeeAccountAt); got != want {
			t.Errorf("feeAccountAt(%d) = %d, want %d", n, got, want)
		}
	}
	// A second change waits until the first is in force.
	_, err = e.send(ownerKey, r.PackSetFeeAccount(1), nil)
	expectRevert(t, err, "FeeAccountChangePending")

	// Batches 2-4 carry fee account 1, batch 5 on carry 2.
	for n := uint64(2); n <= 6; n++ {
		rc, err := e.submitRaw(0, 1, 0, e.transferSlot(2, 1))
		if err != nil {
			t.Fatalf("batch %d: %v (%s)", n, err, revertName(err))
		}
		want := uint32(1)
		if n >= 2+delay {
			want = 2
		}
		if ev := e.submitted(rc); ev.Number != n || ev.FeeAccount != want {
			t.Fatalf("batch %d: event fee account %d, want %d", ev.Number, ev.FeeAccount, want)
		}
		if n == 4 {
			// Due for the next batch: a new change is allowed and
			// counts from the next batch number.
			rc := e.mustSend(ownerKey, r.PackSetFeeAccount(1), nil)
			ev, _ := r.UnpackFeeAccountScheduledEvent(rc.Logs[0])
			if ev.FeeAccount != 1 || ev.FromBatch != 5+delay {
				t.Fatalf("second change %+v, want account 1 from %d", ev, 5+delay)
			}
			if got := e.u32(r.PackFeeAccountAt(5), r.UnpackFeeAccountAt); got != 2 {
				t.Fatalf("feeAccountAt(5) = %d after the second change, want 2", got)
			}
		}
	}
	if got := e.u32(r.PackFeeAccount(), r.UnpackFeeAccount); got != 2 {
		t.Fatalf("feeAccount %d after batch 6, want 2", got)
	}
}

// TestLivenessGenesisFeeKey: the constructor records the operator's fee key
// as account 1 of the genesis state, whose root anyone can recompute; it
// refuses a key no deposit could use and a genesis without account 1.
func TestLivenessGenesisFeeKey(t *testing.T) {
	cfg := protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1}
	e := newStubEnv(t, cfg, 4, 1)
	rd := NewReader(e.client, e.dep.Rollup, e.dep.Block, Finality{})
	s, err := rd.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.FeeKey != e.feeKey.Public() || s.Circuit != cfg || s.ChangeDelay != 4 || s.ChainID != simChainID {
		t.Fatalf("settings %+v", s)
	}
	st, err := s.GenesisState()
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := st.Account(1); !ok || a.PubKey != e.feeKey.Public() || !a.Balance.IsZero() || st.NumAccounts() != 1 {
		t.Fatalf("genesis account 1 %+v", a)
	}
	if r := st.Root(); r.Bytes() != e.root() || r.Bytes() != s.GenesisRoot {
		t.Fatalf("genesis state root %x, contract %x", r.Bytes(), e.root())
	}

	// The constructor's refusals.
	deploy := func(mut func(*bindings.RollupSettings)) error {
		a, err := LoadArtifact("Rollup")
		if err != nil {
			t.Fatal(err)
		}
		st := bindings.RollupSettings{Verifier: e.dep.Verifier, Depth: 4, DepositSlots: 1, TransferSlots: 2, WithdrawalSlots: 1,
			GenesisRoot: s.GenesisRoot, GenesisNextIndex: 2, FeeKeyX: protocol.FrToBig(s.FeeKey.X), FeeKeyY: protocol.FrToBig(s.FeeKey.Y),
			Sequencer: userAddr, MinDeposit: big.NewInt(1), DepositCap: big.NewInt(10), ChangeDelay: 1,
			ExitVerifier: e.dep.ExitVerifier, PriorityExpiry: 60, ForcedExitFee: big.NewInt(0)}
		mut(&st)
		opts := bind.NewKeyedTransactor(ownerKey, big.NewInt(simChainID))
		_, _, err = bind.DeployContract(opts, a.Bytecode, e.client, e.rollup.PackConstructor(st))
		return err
	}
	if err := deploy(func(*bindings.RollupSettings) {}); err != nil {
		t.Fatalf("valid settings refused: %v (%s)", err, revertName(err))
	}
	if err := deploy(func(s *bindings.RollupSettings) { s.DaMode, s.TransferSlots = daModeBlob, 15872 }); err != nil {
		t.Fatalf("blob mode with one full blob refused: %v (%s)", err, revertName(err))
	}
	// Auto mode: both verifiers, each a contract (any code will do here).
	if err := deploy(func(s *bindings.RollupSettings) {
		s.DaMode, s.BlobVerifier, s.BlobSequencer = daModeAuto, e.dep.ExitVerifier, blobSeqAddr
	}); err != nil {
		t.Fatalf("auto mode with both verifiers refused: %v (%s)", err, revertName(err))
	}
	for name, tc := range map[string]struct {
		mut  func(*bindings.RollupSettings)
		want string
	}{
		"fee key off the curve":            {func(s *bindings.RollupSettings) { s.FeeKeyX = new(big.Int).Add(s.FeeKeyX, big.NewInt(1)) }, "BadPublicKey"},
		"identity fee key":                 {func(s *bindings.RollupSettings) { s.FeeKeyX, s.FeeKeyY = big.NewInt(0), big.NewInt(1) }, "BadPublicKey"},
		"no account 1":                     {func(s *bindings.RollupSettings) { s.GenesisNextIndex = 1 }, "BadConfig"},
		"more than the tree":               {func(s *bindings.RollupSettings) { s.GenesisNextIndex = 17 }, "BadConfig"},
		"no change delay":                  {func(s *bindings.RollupSettings) { s.ChangeDelay = 0 }, "BadConfig"},
		"minimum above the cap":            {func(s *bindings.RollupSettings) { s.MinDeposit = big.NewInt(11) }, "BadConfig"},
		"zero minimum":                     {func(s *bindings.RollupSettings) { s.MinDeposit = big.NewInt(0) }, "BadConfig"},
		"change delay of 2^48":             {func(s *bindings.RollupSettings) { s.ChangeDelay = 1 << 48 }, "BadConfig"},
		"blob mode without transfer slots": {func(s *bindings.RollupSettings) { s.DaMode, s.TransferSlots = daModeBlob, 0 }, "BadConfig"},
		// 4,096 chunks of 31 bytes hold 15,872 eight-byte transfers (depth 4).
		"blob mode beyond one blob": {func(s *bindings.RollupSettings) { s.DaMode, s.TransferSlots = daModeBlob, 15873 }, "BadConfig"},
		"auto mode without transfer slots": {func(s *bindings.RollupSettings) {
			s.DaMode, s.BlobVerifier, s.BlobSequencer, s.TransferSlots = daModeAuto, e.dep.ExitVerifier, blobSeqAddr, 0
		}, "BadConfig"},
		"auto mode beyond one blob": {func(s *bindings.RollupSettings) {
			s.DaMode, s.BlobVerifier, s.BlobSequencer, s.TransferSlots = daModeAuto, e.dep.ExitVerifier, blobSeqAddr, 15873
		}, "BadConfig"},
		"unknown data-availability mode":    {func(s *bindings.RollupSettings) { s.DaMode = daModeAuto + 1 }, "BadConfig"},
		"no verifier":                       {func(s *bindings.RollupSettings) { s.Verifier = common.Address{} }, "BadConfig"},
		"auto mode without a blob verifier": {func(s *bindings.RollupSettings) { s.DaMode, s.BlobSequencer = daModeAuto, blobSeqAddr }, "BadConfig"},
		"auto mode, blob verifier without code": {func(s *bindings.RollupSettings) {
			s.DaMode, s.BlobVerifier, s.BlobSequencer = daModeAuto, userAddr, blobSeqAddr
		}, "BadConfig"},
		"auto mode without a calldata verifier": {func(s *bindings.RollupSettings) {
			s.DaMode, s.BlobVerifier, s.BlobSequencer, s.Verifier = daModeAuto, e.dep.ExitVerifier, blobSeqAddr, common.Address{}
		}, "BadConfig"},
		// Calldata and blob mode call `verifier` only: a second one is a
		// mistake (an auto deployment's settings in the wrong mode).
		"calldata mode with a blob verifier": {func(s *bindings.RollupSettings) { s.BlobVerifier = e.dep.ExitVerifier }, "BadConfig"},
		"blob mode with a blob verifier": {func(s *bindings.RollupSettings) {
			s.DaMode, s.BlobVerifier = daModeBlob, e.dep.ExitVerifier
		}, "BadConfig"},
		// The blob sequencer: auto only, non-zero and not the sequencer.
		"auto mode without a blob sequencer": {func(s *bindings.RollupSettings) {
			s.DaMode, s.BlobVerifier = daModeAuto, e.dep.ExitVerifier
		}, "BadConfig"},
		"auto mode, blob sequencer = sequencer": {func(s *bindings.RollupSettings) {
			s.DaMode, s.BlobVerifier, s.BlobSequencer = daModeAuto, e.dep.ExitVerifier, s.Sequencer
		}, "BadConfig"},
		"calldata mode with a blob sequencer": {func(s *bindings.RollupSettings) { s.BlobSequencer = blobSeqAddr }, "BadConfig"},
		"blob mode with a blob sequencer": {func(s *bindings.RollupSettings) {
			s.DaMode, s.BlobSequencer = daModeBlob, blobSeqAddr
		}, "BadConfig"},
	} {
		if got := revertName(deploy(tc.mut)); got != tc.want {
			t.Errorf("%s: got %q, want %s", name, got, tc.want)
		}
	}
}

// TestLivenessCountRuleAgreesWithAuditor: the contract refuses a batch
// whose counted transfer slots include an empty one (the padded form that
// verifies with the honest batch's proof), and protocol.CheckCompact (the
// auditor's rule) gives the same verdict as the contract's structural
// checks on every variant.
func TestLivenessCountRuleAgreesWithAuditor(t *testing.T) {
	cfg := protocol.Config{Depth: 9, Deposits: 1, Transfers: 3, Withdrawals: 2} // 2-byte indexes
	e := newStubEnv(t, cfg, 4, 1)
	if err := e.depositKey(23, 10); err != nil { // so a deposit slot reaches its index check
		t.Fatal(err)
	}
	t1, t2 := e.transferSlot(1, 1), e.transferSlot(1, 1)
	zeroT := make([]byte, cfg.TransferBytes())
	w := e.withdrawalSlot(1, userAddr, 0)
	zeroW := make([]byte, cfg.WithdrawalBytes())
	zeroD := make([]byte, cfg.DepositBytes())
	// A transfer whose sender's high index byte is zero is still real.
	low := e.transferSlot(1, 0)
	cat := func(parts ...[]byte) []byte {
		var b []byte
		for _, p := range parts {
			b = append(b, p...)
		}
		return b
	}
	structural := map[string]bool{"BadCounts": true, "BadPubdataLength": true, "EmptySlot": true}
	for _, tc := range []struct {
		name       string
		nd, nt, nw uint16
		compact    []byte
		refuse     bool
	}{
		{"one transfer", 0, 1, 0, t1, false},
		{"two transfers", 0, 2, 0, cat(t1, t2), false},
		{"padded: one transfer counted as two", 0, 2, 0, cat(t1, zeroT), true},
		{"padded: two transfers counted as three", 0, 3, 0, cat(t1, t2, zeroT), true},
		{"empty only", 0, 1, 0, zeroT, true},
		{"sender with a zero high byte", 0, 1, 0, low, false},
		{"padded withdrawal", 0, 1, 2, cat(t1, w, zeroW), true},
		{"padded deposit", 1, 1, 0, cat(zeroD, t1), true},
		{"too many transfers", 0, 4, 0, cat(t1, t2, t1, t2), true},
		{"short pubdata", 0, 2, 0, t1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.submitRaw(tc.nd, tc.nt, tc.nw, tc.compact)
			contractRefuses := err != nil && structural[revertName(err)]
			if err != nil && !contractRefuses {
				// Past the shape checks (a deposit the queue does not hold): shape accepted.
				t.Logf("contract: %s (after the shape checks)", revertName(err))
			}
			auditorRefuses := protocol.CheckCompact(cfg, tc.compact, int(tc.nd), int(tc.nt), int(tc.nw)) != nil
			if contractRefuses != tc.refuse || auditorRefuses != tc.refuse {
				t.Fatalf("contract refuses %v (%v, %s), auditor refuses %v, want %v", contractRefuses, err, revertName(err), auditorRefuses, tc.refuse)
			}
			if tc.name == "padded: one transfer counted as two" {
				expectRevert(t, err, "EmptySlot")
			}
		})
	}
}

// TestLivenessDepositLimits: a minimum deposit (configurable, refused with
// its own error), the cap, and the owner's setter.
func TestLivenessDepositLimits(t *testing.T) {
	cfg := protocol.Config{Depth: 4, Deposits: 1, Transfers: 1, Withdrawals: 1}
	e := newStubEnv(t, cfg, 4, 1000)
	r := e.rollup
	if err := e.depositKey(31, 999); revertName(err) != "DepositTooSmall" {
		t.Fatalf("999 wei: %v (%s), want DepositTooSmall", err, revertName(err))
	}
	if err := e.depositKey(31, 1000); err != nil {
		t.Fatalf("1000 wei: %v (%s)", err, revertName(err))
	}
	_, err := e.send(userKey, r.PackSetDepositLimits(big.NewInt(1), big.NewInt(5)), nil)
	expectRevert(t, err, "NotOwner")
	for _, bad := range [][2]int64{{0, 5}, {6, 5}} {
		_, err := e.send(ownerKey, r.PackSetDepositLimits(big.NewInt(bad[0]), big.NewInt(bad[1])), nil)
		expectRevert(t, err, "BadConfig")
	}
	rc := e.mustSend(ownerKey, r.PackSetDepositLimits(big.NewInt(10), big.NewInt(20)), nil)
	if ev, err := r.UnpackDepositLimitsChangedEvent(rc.Logs[0]); err != nil || ev.MinDeposit.Int64() != 10 || ev.DepositCap.Int64() != 20 {
		t.Fatalf("DepositLimitsChanged %+v %v", ev, err)
	}
	if err := e.depositKey(32, 9); revertName(err) != "DepositTooSmall" {
		t.Fatalf("9 wei: %s", revertName(err))
	}
	if err := e.depositKey(32, 21); revertName(err) != "DepositTooLarge" {
		t.Fatalf("21 wei: %s", revertName(err))
	}
	if err := e.depositKey(32, 20); err != nil {
		t.Fatalf("20 wei: %v", err)
	}
}

// TestLivenessTreeFull: at depth 2 there are 4 leaves: 0 is reserved and
// 1 is the fee account, so two deposits fill the queue's room; a third is
// refused up front with TreeFull (every queued deposit may open an
// account), never queued for L2 to choke on.
func TestLivenessTreeFull(t *testing.T) {
	cfg := protocol.Config{Depth: 2, Deposits: 2, Transfers: 1, Withdrawals: 1}
	e := newStubEnv(t, cfg, 4, 1)
	if err := e.depositKey(41, 5); err != nil {
		t.Fatal(err)
	}
	if err := e.depositKey(42, 5); err != nil {
		t.Fatal(err)
	}
	err := e.depositKey(43, 5)
	expectRevert(t, err, "TreeFull")
	// Even a deposit to the fee account's own key: L1 cannot tell.
	_, err = e.deposit(e.feeKey.Public(), 5)
	expectRevert(t, err, "TreeFull")
	if tail := e.u64(e.rollup.PackDepositTail(), e.rollup.UnpackDepositTail); tail != 2 {
		t.Fatalf("queued %d deposits, want 2", tail)
	}
}

// TestLivenessTwoStepOwnership: ownership moves only when the new owner
// accepts; a pending transfer can be replaced or cancelled.
func TestLivenessTwoStepOwnership(t *testing.T) {
	e := newStubEnv(t, protocol.Config{Depth: 4, Deposits: 1, Transfers: 1, Withdrawals: 1}, 4, 1)
	r := e.rollup
	owner := func() common.Address {
		a, err := r.UnpackOwner(e.call(r.PackOwner()))
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	ownerAddr := crypto.PubkeyToAddress(ownerKey.PublicKey)
	seqAddr := crypto.PubkeyToAddress(seqKey.PublicKey)
	_, err := e.send(userKey, r.PackTransferOwnership(userAddr), nil)
	expectRevert(t, err, "NotOwner")
	rc := e.mustSend(ownerKey, r.PackTransferOwnership(seqAddr), nil) // a typo, say
	if ev, err := r.UnpackOwnershipTransferStartedEvent(rc.Logs[0]); err != nil || ev.PendingOwner != seqAddr {
		t.Fatalf("OwnershipTransferStarted %+v %v", ev, err)
	}
	if owner() != ownerAddr {
		t.Fatal("ownership moved before acceptance")
	}
	e.mustSend(ownerKey, r.PackTransferOwnership(userAddr), nil) // corrected
	_, err = e.send(seqKey, r.PackAcceptOwnership(), nil)
	expectRevert(t, err, "NotPendingOwner")
	rc = e.mustSend(userKey, r.PackAcceptOwnership(), nil)
	if ev, err := r.UnpackOwnershipTransferredEvent(rc.Logs[0]); err != nil || ev.PreviousOwner != ownerAddr || ev.NewOwner != userAddr {
		t.Fatalf("OwnershipTransferred %+v %v", ev, err)
	}
	if owner() != userAddr {
		t.Fatal("acceptance did not move ownership")
	}
	_, err = e.send(ownerKey, r.PackSetSequencer(ownerAddr), nil)
	expectRevert(t, err, "NotOwner")
	e.mustSend(userKey, r.PackSetSequencer(seqAddr), nil)
	// Cancelling: address(0) as the pending owner.
	e.mustSend(userKey, r.PackTransferOwnership(ownerAddr), nil)
	e.mustSend(userKey, r.PackTransferOwnership(common.Address{}), nil)
	_, err = e.send(ownerKey, r.PackAcceptOwnership(), nil)
	expectRevert(t, err, "NotPendingOwner")
}

// claimContracts is compiled with solc-js in the test: an attacker that
// re-enters the rollup from its receive hook, and a payee that cannot
// receive ETH at all.
const claimContracts = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

interface IRollup {
    function claim() external;
    function claimTo(address to) external;
}

/// Claims, and from its receive hook calls the rollup again (claim or
/// claimTo), recording the re-entrant call's revert data; with bubble set
/// it propagates that failure.
contract ClaimAttacker {
    IRollup public immutable rollup;
    bool public viaClaimTo;
    bool public bubble;
    uint256 public received;
    bytes public reentryError;
    bool public reentryOK;

    constructor(address r) {
        rollup = IRollup(r);
    }

    function attack(bool viaClaimTo_, bool bubble_) external {
        viaClaimTo = viaClaimTo_;
        bubble = bubble_;
        rollup.claim();
    }

    receive() external payable {
        received++;
        if (received > 1) return;
        bytes memory data = viaClaimTo ? abi.encodeCall(IRollup.claimTo, (address(this))) : abi.encodeCall(IRollup.claim, ());
        (bool ok, bytes memory ret) = address(rollup).call(data);
        reentryOK = ok;
        if (!ok) {
            reentryError = ret;
            if (bubble) {
                assembly {
                    revert(add(ret, 32), mload(ret))
                }
            }
        }
    }
}

/// Has no receive or fallback: ETH sent to it bounces.
contract Payee {
    IRollup public immutable rollup;

    constructor(address r) {
        rollup = IRollup(r);
    }

    function pull() external {
        rollup.claim();
    }

    function pullTo(address to) external {
        rollup.claimTo(to);
    }
}
`

// compileClaimContracts returns the creation code of ClaimAttacker and Payee.
func compileClaimContracts(t *testing.T) (attacker, payee []byte) {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "ClaimTest.sol")
	if err := os.WriteFile(src, []byte(claimContracts), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Compile(context.Background(), out, "", src); err != nil {
		t.Fatalf("%v (tests that compile Solidity need Node.js and `npm ci`)", err)
	}
	load := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(out, name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		a, err := ParseArtifact(b)
		if err != nil {
			t.Fatal(err)
		}
		return a.Bytecode
	}
	return load("ClaimAttacker"), load("Payee")
}

var claimABI = mustABI(`[
 {"type":"function","name":"attack","inputs":[{"name":"viaClaimTo_","type":"bool"},{"name":"bubble_","type":"bool"}],"outputs":[],"stateMutability":"nonpayable"},
 {"type":"function","name":"received","inputs":[],"outputs":[{"type":"uint256"}],"stateMutability":"view"},
 {"type":"function","name":"reentryError","inputs":[],"outputs":[{"type":"bytes"}],"stateMutability":"view"},
 {"type":"function","name":"reentryOK","inputs":[],"outputs":[{"type":"bool"}],"stateMutability":"view"},
 {"type":"function","name":"pull","inputs":[],"outputs":[],"stateMutability":"nonpayable"},
 {"type":"function","name":"pullTo","inputs":[{"name":"to","type":"address"}],"outputs":[],"stateMutability":"nonpayable"}]`)

// TestLivenessClaim: claimTo pays another address for a credited one that
// cannot receive ETH, and an attacker contract re-entering claim or
// claimTo from its receive hook is refused (Reentrancy) and paid exactly
// once; if it propagates the refusal, its whole claim reverts and the
// credit stays.
func TestLivenessClaim(t *testing.T) {
	cfg := protocol.Config{Depth: 4, Deposits: 1, Transfers: 1, Withdrawals: 2}
	e := newStubEnv(t, cfg, 4, 1)
	r := e.rollup
	attackerCode, payeeCode := compileClaimContracts(t)
	deploy := func(code []byte) common.Address {
		opts := bind.NewKeyedTransactor(userKey, big.NewInt(simChainID))
		addr, tx, err := bind.DeployContract(opts, code, e.client, common.LeftPadBytes(e.dep.Rollup.Bytes(), 32))
		if err != nil {
			t.Fatal(err)
		}
		e.sim.Commit()
		if rc, err := bind.WaitMined(context.Background(), e.client, tx.Hash()); err != nil || rc.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("deploy: %v", err)
		}
		return addr
	}
	attacker, payee := deploy(attackerCode), deploy(payeeCode)
	bal := func(a common.Address) *big.Int {
		b, err := e.client.BalanceAt(context.Background(), a, nil)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	pending := func(a common.Address) *big.Int {
		v, err := r.UnpackPendingWithdrawals(e.call(r.PackPendingWithdrawals(a)))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// Fund the rollup and credit both contracts (the stub verifier lets
	// the withdrawals through without a proof).
	if err := e.depositKey(51, 1_000_000); err != nil {
		t.Fatal(err)
	}
	if _, err := e.submitRaw(0, 0, 2, append(e.withdrawalSlot(1, attacker, 7000), e.withdrawalSlot(1, payee, 3000)...)); err != nil {
		t.Fatalf("crediting batch: %v (%s)", err, revertName(err))
	}
	if pending(attacker).Int64() != 7000 || pending(payee).Int64() != 3000 {
		t.Fatalf("credits %v %v", pending(attacker), pending(payee))
	}
	callAs := func(key *ecdsa.PrivateKey, to common.Address, data []byte) error {
		opts := bind.NewKeyedTransactor(key, big.NewInt(simChainID))
		opts.GasLimit = 500_000 // send even a reverting call, to see it revert on chain
		tx, err := bind.NewBoundContract(to, *claimABI, e.client, e.client, e.client).RawTransact(opts, data)
		if err != nil {
			return err
		}
		e.sim.Commit()
		rc, err := bind.WaitMined(context.Background(), e.client, tx.Hash())
		if err != nil {
			t.Fatal(err)
		}
		if rc.Status != types.ReceiptStatusSuccessful {
			return errors.New("reverted")
		}
		return nil
	}
	view := func(name string) []any {
		data, _ := claimABI.Pack(name)
		out, err := e.client.CallContract(context.Background(), ethereumCall(attacker, data), nil)
		if err != nil {
			t.Fatal(err)
		}
		v, err := claimABI.Unpack(name, out)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	reentrancyID := rollupABI.Errors["Reentrancy"].ID

	// Propagating the refused re-entry reverts the whole claim.
	for _, viaClaimTo := range []bool{false, true} {
		data, _ := claimABI.Pack("attack", viaClaimTo, true)
		if err := callAs(userKey, attacker, data); err == nil {
			t.Fatalf("bubbling attack (claimTo %v) succeeded", viaClaimTo)
		}
		if pending(attacker).Int64() != 7000 || bal(attacker).Sign() != 0 {
			t.Fatalf("after a reverted attack: credit %v, balance %v", pending(attacker), bal(attacker))
		}
	}
	// Swallowing it: paid once, exactly the credit; the re-entry hit the lock.
	rollupBefore := bal(e.dep.Rollup)
	data, _ := claimABI.Pack("attack", true, false)
	if err := callAs(userKey, attacker, data); err != nil {
		t.Fatal(err)
	}
	if bal(attacker).Int64() != 7000 || pending(attacker).Sign() != 0 || new(big.Int).Sub(rollupBefore, bal(e.dep.Rollup)).Int64() != 7000 {
		t.Fatalf("attacker balance %v, credit %v, rollup paid %v", bal(attacker), pending(attacker), new(big.Int).Sub(rollupBefore, bal(e.dep.Rollup)))
	}
	if v := view("received"); v[0].(*big.Int).Int64() != 1 {
		t.Fatalf("attacker received %v payments", v[0])
	}
	if ok := view("reentryOK")[0].(bool); ok {
		t.Fatal("the re-entrant call succeeded")
	}
	if ret := view("reentryError")[0].([]byte); len(ret) < 4 || string(ret[:4]) != string(reentrancyID[:4]) {
		t.Fatalf("re-entrant call reverted with %x, want Reentrancy()", ret)
	}

	// The payee cannot receive ETH: claim fails and keeps the credit,
	// claimTo pays an address that can.
	pullData, _ := claimABI.Pack("pull")
	if err := callAs(userKey, payee, pullData); err == nil {
		t.Fatal("claim to a contract without receive succeeded")
	}
	if pending(payee).Int64() != 3000 {
		t.Fatalf("credit after a failed claim: %v", pending(payee))
	}
	dest := common.HexToAddress("0xdead00000000000000000000000000000000beef")
	toZero, _ := claimABI.Pack("pullTo", common.Address{})
	if err := callAs(userKey, payee, toZero); err == nil {
		t.Fatal("claimTo(address(0)) succeeded")
	}
	pullTo, _ := claimABI.Pack("pullTo", dest)
	if err := callAs(userKey, payee, pullTo); err != nil {
		t.Fatal(err)
	}
	if bal(dest).Int64() != 3000 || pending(payee).Sign() != 0 {
		t.Fatalf("claimTo: destination %v, credit %v", bal(dest), pending(payee))
	}
	// Claimed names both the credited account and the recipient.
	logs, err := e.client.FilterLogs(context.Background(), filterQuery(e.dep.Rollup, rollupABI.Events["Claimed"].ID))
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, l := range logs {
		ev, err := r.UnpackClaimedEvent(&l)
		if err == nil && ev.Account == payee && ev.To == dest && ev.Amount.Int64() == 3000 {
			found = true
		}
	}
	if !found {
		t.Fatal("no Claimed(payee, dest, 3000) event")
	}
	// Nothing left to claim.
	_, err = e.send(userKey, r.PackClaimTo(dest), nil)
	expectRevert(t, err, "NothingToClaim")
}
