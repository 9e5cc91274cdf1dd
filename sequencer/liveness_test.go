package sequencer

import (
	"context"
	"testing"

	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// batchFee reads the fee account of a stored batch's header.
func (e *env) batchFee(n int) uint32 {
	e.t.Helper()
	var h []byte
	if err := e.pool.QueryRow(context.Background(), `SELECT header FROM batches WHERE number = $1`, n).Scan(&h); err != nil {
		e.t.Fatal(err)
	}
	b := h[protocol.HeaderSize-4:]
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// TestLivenessSealsWithContractFeeAccount: the sequencer seals each batch
// with the fee account the contract has in force for its number, never
// seals beyond what the final L1 block settles (last accepted batch +
// change delay), and credits the fees in its pending state to the account
// the batch names.
func TestLivenessSealsWithContractFeeAccount(t *testing.T) {
	e := newEnv(t, 3)
	cfg := testConfig()
	fixed, err := l1.NewFixed(testCircuit, protocoltest.ChainID, protocoltest.Contract, e.keys[0].Public())
	if err != nil {
		t.Fatal(err)
	}
	fixed.SetBatchParams(l1.BatchParams{LastBatch: 0, FeeAccount: 1, ChangeDelay: 1})
	cfg.Rollup = fixed
	s := e.start(cfg)
	e.fund(s, 1_000_000)
	sealAll(t, s) // batch 1: the deposits, fee account 1
	if _, err := e.transfer(s, 2, 3, 1000, 10); err != nil {
		t.Fatal(err)
	}
	// Batch 2 is beyond last accepted (0) + delay (1): sealing waits.
	if err := s.SealNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT count(*) FROM batches`); n != 1 {
		t.Fatalf("%d batches sealed past the limit, want 1", n)
	}
	if !s.Ready() || s.Err() != nil {
		t.Fatalf("sequencer not running: %v", s.Err())
	}
	// L1 accepted batch 1 and announced fee account 2 from batch 3.
	fixed.SetBatchParams(l1.BatchParams{Block: 1, LastBatch: 1, FeeAccount: 1, NextFeeAccount: 2, NextFeeAccountFrom: 3, ChangeDelay: 1})
	e.waitFor(func() bool { return s.params.Load().LastBatch == 1 })
	sealAll(t, s)
	fixed.SetBatchParams(l1.BatchParams{Block: 2, LastBatch: 2, FeeAccount: 1, NextFeeAccount: 2, NextFeeAccountFrom: 3, ChangeDelay: 1})
	e.waitFor(func() bool { return s.params.Load().LastBatch == 2 })
	if _, err := e.transfer(s, 3, 2, 500, 20); err != nil {
		t.Fatal(err)
	}
	sealAll(t, s)
	for n, want := range map[int]uint32{1: 1, 2: 1, 3: 2} {
		if got := e.batchFee(n); got != want {
			t.Fatalf("batch %d names fee account %d, want %d", n, got, want)
		}
	}
	// Fees: 10 to account 1 (batch 2), 20 to account 2 (batch 3).
	for idx, want := range map[uint32]string{1: "1000010", 2: "999510", 3: "1000480"} {
		acc, err := s.Account(context.Background(), idx)
		if err != nil {
			t.Fatal(err)
		}
		if string(acc.Pending.Balance) != want || string(acc.Sealed.Balance) != want {
			t.Fatalf("account %d: pending %s, sealed %s, want %s", idx, acc.Pending.Balance, acc.Sealed.Balance, want)
		}
	}
	if ci := s.ChainInfo(); ci.FeeAccount != 2 {
		t.Fatalf("chain info fee account %d, want 2", ci.FeeAccount)
	}
}

// TestLivenessTreeFullNeverStops: at depth 2 (leaves 0-3, 1 the genesis fee
// account) a third new-key deposit has no index. The contract refuses it
// up front (l1.TestLivenessTreeFull); were one ever stored, the sequencer
// would hold the deposit queue there, loudly, and keep serving and
// sealing everything else — before and after a restart — instead of
// stopping.
func TestLivenessTreeFullNeverStops(t *testing.T) {
	small := protocol.Config{Depth: 2, Deposits: 2, Transfers: 2, Withdrawals: 1}
	e := newEnv(t, 4)
	cfg := testConfig()
	cfg.Circuit = small
	r, err := l1.NewFixed(small, protocoltest.ChainID, protocoltest.Contract, e.keys[0].Public())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Rollup = r
	s := e.start(cfg)
	for i := 1; i <= 3; i++ { // queue 0, 1 fit; queue 2 does not
		e.deposit(int64(i-1), e.keys[i].Public(), 1_000_000)
	}
	e.waitFor(func() bool { return s.stuckAt.Load() == 3 })
	s.mu.RLock()
	accounts := s.ledger.NumAccounts()
	s.mu.RUnlock()
	if accounts != 3 || !s.Ready() || s.Err() != nil {
		t.Fatalf("%d accounts, ready %v, err %v", accounts, s.Ready(), s.Err())
	}
	sealAll(t, s)
	if _, err := e.transfer(s, 2, 3, 1000, 10); err != nil {
		t.Fatal(err)
	}
	sealAll(t, s)
	if n := e.count(`SELECT count(*) FROM batches`); n != 2 {
		t.Fatalf("%d batches, want 2", n)
	}
	if n := e.count(`SELECT count(*) FROM deposits WHERE batch_number IS NULL`); n != 1 {
		t.Fatalf("%d unsealed deposits, want the one that does not fit", n)
	}
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	s2 := e.start(cfg)
	if _, err := e.transfer(s2, 3, 2, 1000, 10); err != nil {
		t.Fatal(err)
	}
	sealAll(t, s2)
	if !s2.Ready() || s2.stuckAt.Load() != 3 {
		t.Fatalf("after restart: ready %v, stuck at %d", s2.Ready(), s2.stuckAt.Load())
	}
}
