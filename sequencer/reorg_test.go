package sequencer

import (
	"context"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// reorgDeposit replaces the unsealed deposit at queue index q by another
// (nil: none), as the watcher does after a reorg, and notifies like it.
func (e *env) reorgDeposit(q int64, pk *protocol.PublicKey, amount uint64) {
	e.t.Helper()
	ctx := context.Background()
	if _, err := e.pool.Exec(ctx, `DELETE FROM deposits WHERE queue_index >= $1 AND batch_number IS NULL`, q); err != nil {
		e.t.Fatal(err)
	}
	if pk != nil {
		e.deposit(q, *pk, amount)
	}
	if _, err := e.pool.Exec(ctx, `SELECT pg_notify('sheaf_deposits', 'reorg')`); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) status(s *Sequencer, t *protocol.Transfer) *api.TxInfo {
	e.t.Helper()
	m := t.Message(protocol.DomainState(protocoltest.ChainID, protocoltest.Contract))
	info, err := s.Transaction(context.Background(), common.Hash(m.Bytes()))
	if err != nil {
		e.t.Fatal(err)
	}
	return info
}

// TestReorgedDepositRebuildsPending: an unsealed deposit that opened
// account 3 is replaced on L1 by another key's deposit while the sequencer
// runs. The notification rebuilds the pending state from the table: the
// transactions that used account 3 (as sender or recipient) are rejected
// with a reason a wallet can read, the others stay pending, and the next
// batch consumes the replacement deposit.
func TestReorgedDepositRebuildsPending(t *testing.T) {
	e := newEnv(t, 4)
	s := e.start(testConfig())
	k := e.keys
	e.deposit(0, k[0].Public(), 1_000_000)
	e.deposit(1, k[1].Public(), 1_000_000)
	e.waitFor(func() bool {
		a, err := s.Account(context.Background(), 2)
		return err == nil && a.Pending.Balance == "1000000"
	})
	sealAll(t, s) // accounts 1 and 2 sealed

	e.deposit(2, k[2].Public(), 5000) // opens account 3 (pending)
	e.waitFor(func() bool { _, err := s.Account(context.Background(), 3); return err == nil })
	fromNew, err := e.transfer(s, 3, 1, 100, 10) // sender opened by the deposit
	if err != nil {
		t.Fatal(err)
	}
	toNew, err := e.transfer(s, 1, 3, 50, 10) // recipient opened by the deposit
	if err != nil {
		t.Fatal(err)
	}
	unrelated, err := e.transfer(s, 2, 1, 70, 10)
	if err != nil {
		t.Fatal(err)
	}

	other := k[3].Public()
	e.reorgDeposit(2, &other, 800) // account 3 is now key 3's, with 800
	e.waitFor(func() bool {
		a, err := s.Account(context.Background(), 3)
		return err == nil && a.Pending.Balance == "800"
	})
	for _, tx := range []*protocol.Transfer{fromNew, toNew} {
		info := e.status(s, tx)
		if info.Status != api.StatusRejected || !strings.Contains(info.Reason, "reorg") {
			t.Fatalf("transfer %d→%d: %+v, want rejected with a reason", tx.From, tx.To, info)
		}
	}
	if info := e.status(s, unrelated); info.Status != api.StatusPending {
		t.Fatalf("unrelated transfer: %+v, want pending", info)
	}
	a1, _ := s.Account(context.Background(), 1)
	if a1.Pending.Nonce != 0 || a1.Pending.Balance != "1000070" {
		t.Fatalf("account 1 pending %+v: the rejected transfer is still applied", a1.Pending)
	}
	// The rejected nonce is free again: account 1 resends.
	if _, err := e.transfer(s, 1, 2, 40, 10); err != nil {
		t.Fatalf("resend after the rejection: %v", err)
	}

	sealAll(t, s)
	var key []byte
	var batch int64
	if err := e.pool.QueryRow(context.Background(), `SELECT pubkey, batch_number FROM deposits WHERE queue_index = 2`).Scan(&key, &batch); err != nil {
		t.Fatal(err)
	}
	if want := other.Bytes(); string(key) != string(want[:]) || batch != 2 {
		t.Fatalf("deposit 2 consumed by batch %d with key %x, want the replacement in batch 2", batch, key)
	}
	a3, _ := s.Account(context.Background(), 3)
	if ob := other.Bytes(); a3.Sealed.Balance != "800" || string(a3.PubKey) != string(ob[:]) {
		t.Fatalf("account 3 sealed %+v key %x", a3.Sealed, a3.PubKey)
	}
	if n := e.count(`SELECT count(*) FROM transactions WHERE status = 'sealed'`); n != 2 {
		t.Fatalf("%d transactions sealed, want the unrelated one and the resend", n)
	}
	if v := value(t, s.m.rejected); v != 2 {
		t.Fatalf("rejected counter %v, want 2", v)
	}
}

// TestSealChecksDepositsInTable: a deposit deleted from the table without a
// notification (one lost while the listener reconnected) is caught by the
// sealing transaction: nothing is stored, the state is reloaded, and the
// next batch is sealed without it.
func TestSealChecksDepositsInTable(t *testing.T) {
	e := newEnv(t, 3)
	s := e.start(testConfig())
	k := e.keys
	e.deposit(0, k[0].Public(), 1_000_000)
	e.deposit(1, k[1].Public(), 1_000_000)
	e.waitFor(func() bool { _, err := s.Account(context.Background(), 2); return err == nil })
	sealAll(t, s)

	e.deposit(2, k[2].Public(), 5000)
	e.waitFor(func() bool { _, err := s.Account(context.Background(), 3); return err == nil })
	tx, err := e.transfer(s, 1, 2, 100, 10)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(context.Background(), `DELETE FROM deposits WHERE queue_index = 2`); err != nil {
		t.Fatal(err)
	}
	sealAll(t, s)
	var deposits, txs int
	if err := e.pool.QueryRow(context.Background(), `SELECT deposit_count, tx_count FROM batches WHERE number = 2`).Scan(&deposits, &txs); err != nil {
		t.Fatal(err)
	}
	if deposits != 0 || txs != 1 {
		t.Fatalf("batch 2 has %d deposits and %d transactions, want 0 and 1", deposits, txs)
	}
	if info := e.status(s, tx); info.Status != api.StatusSealed {
		t.Fatalf("transfer %+v, want sealed", info)
	}
	if _, err := s.Account(context.Background(), 3); err == nil {
		t.Fatal("account 3 still exists without its deposit")
	}
	if v := value(t, s.m.depositReorgs); v < 1 {
		t.Fatalf("deposit reorgs counted %v", v)
	}
	// A later deposit at the same queue index is taken normally.
	e.deposit(2, k[2].Public(), 6000)
	e.waitFor(func() bool {
		a, err := s.Account(context.Background(), 3)
		return err == nil && a.Pending.Balance == "6000"
	})
	sealAll(t, s)
	if n := e.count(`SELECT count(*) FROM deposits WHERE batch_number = 3`); n != 1 {
		t.Fatalf("%d deposits in batch 3, want 1", n)
	}
}

func value(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}
