package sequencer

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

var fxCircuit = protocol.Config{Depth: 8, Deposits: 4, ForcedExits: 2, Transfers: 8, Withdrawals: 2}

func fxConfig(t *testing.T) Config {
	c := testConfig()
	c.Circuit = fxCircuit
	r, err := l1.NewFixed(fxCircuit, protocoltest.ChainID, protocoltest.Contract, protocoltest.Keys(7, 1)[0].Public())
	if err != nil {
		t.Fatal(err)
	}
	c.Rollup = r
	return c
}

// forcedExit stores a forced-exit request as the watcher does (prev is the
// chain value before it) and notifies; it returns the request.
func (e *env) forcedExit(q int64, prev fr.Element, index, nonce uint32, signer protocol.PrivateKey, to [20]byte, expiry int64) protocol.ForcedExit {
	e.t.Helper()
	return e.forcedExitVia(e.pool, q, prev, index, nonce, signer, to, expiry)
}

// forcedExitVia is forcedExit through ex (a transaction delivers the
// notification at commit).
func (e *env) forcedExitVia(ex execer, q int64, prev fr.Element, index, nonce uint32, signer protocol.PrivateKey, to [20]byte, expiry int64) protocol.ForcedExit {
	e.t.Helper()
	f := protocol.ForcedExit{QueueIndex: uint64(q), Index: index, Recipient: to, Nonce: nonce, PrevChain: prev}
	if err := f.Sign(signer, protocol.DomainState(protocoltest.ChainID, protocoltest.Contract)); err != nil {
		e.t.Fatal(err)
	}
	w := func(x fr.Element) []byte { b := x.Bytes(); return b[:] }
	ctx := context.Background()
	if _, err := ex.Exec(ctx, `INSERT INTO forced_exits (queue_index, account_idx, recipient, nonce, sig_rx, sig_ry, sig_s,
		prev_chain, chain, expiry, l1_block) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1)`,
		q, int64(index), to[:], int64(nonce), w(f.Sig.R.X), w(f.Sig.R.Y), w(f.Sig.S), w(prev), w(f.Chain()), expiry); err != nil {
		e.t.Fatal(err)
	}
	if _, err := ex.Exec(ctx, `SELECT pg_notify('sheaf_deposits', 'forced exit')`); err != nil {
		e.t.Fatal(err)
	}
	return f
}

// TestForcedExitSequenced: forced exits stored by the watcher are applied
// in queue order before the pending transactions: a valid one empties the
// account (a transfer from it accepted earlier is rejected with a reason a
// wallet reads), one with a stale nonce and one signed by another key are
// consumed as no-ops, a deposit queued after a forced exit waits for the
// next batch, and the rows record each outcome.
func TestForcedExitSequenced(t *testing.T) {
	e := newEnv(t, 3)
	s := e.start(fxConfig(t))
	k := e.keys
	e.fund(s, 1_000_000) // queue 0..2: accounts 1..3 (1 is the genesis fee account's key)
	sealAll(t, s)

	held, err := e.transfer(s, 2, 1, 100, 10) // accepted before the forced exit
	if err != nil {
		t.Fatal(err)
	}
	kept, err := e.transfer(s, 3, 1, 100, 10) // its account's request is invalid
	if err != nil {
		t.Fatal(err)
	}
	to := [20]byte{0xee, 2}
	far := time.Now().Add(time.Hour).Unix()
	// One transaction, as the watcher stores a block's events: loaded in
	// part, f1 and f2 fill the forced-exit slots and a batch could seal
	// `kept` before f3 arrives (a busy machine did).
	tx, err := e.pool.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	f1 := e.forcedExitVia(tx, 3, protocol.TagForcedExitChain, 2, 0, k[1], to, far) // valid
	f2 := e.forcedExitVia(tx, 4, f1.Chain(), 3, 5, k[2], to, far)                  // stale nonce
	e.forcedExitVia(tx, 5, f2.Chain(), 1, 0, k[2], to, far)                        // another key's signature
	e.depositVia(tx, 6, k[0].Public(), 500)                                        // after the forced exits
	if err := tx.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.waitFor(func() bool {
		s.mu.RLock()
		defer s.mu.RUnlock()
		return s.ledger.NextDeposit() == 7
	})
	if info := e.status(s, held); info.Status != api.StatusRejected || !strings.Contains(info.Reason, "forced exit") {
		t.Fatalf("transfer from the exiting account: %+v, want rejected naming the forced exit", info)
	}
	if info := e.status(s, kept); info.Status != api.StatusPending {
		t.Fatalf("transfer from the account of the invalid request: %+v, want pending", info)
	}
	a2, _ := s.Account(context.Background(), 2)
	if a2.Pending.Balance != "0" || a2.Pending.Nonce != 1 {
		t.Fatalf("account 2 pending %+v, want emptied with nonce 1", a2.Pending)
	}
	if _, err := e.transfer(s, 2, 1, 1, 1); err == nil {
		t.Fatal("a transfer from the emptied account was accepted")
	}

	if err := s.SealNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Forced-exit slots are 2: f1 and f2 in batch 2, f3 then the deposit
	// (after a forced exit) in later batches.
	type row struct {
		batch  int64
		valid  bool
		amount string
	}
	rows := map[int64]row{}
	sealAll(t, s)
	rs, err := e.pool.Query(context.Background(), `SELECT queue_index, batch_number, valid, amount::text FROM forced_exits`)
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
		var q int64
		var r row
		if err := rs.Scan(&q, &r.batch, &r.valid, &r.amount); err != nil {
			t.Fatal(err)
		}
		rows[q] = r
	}
	rs.Close()
	want := map[int64]row{3: {2, true, "1000000"}, 4: {2, false, "0"}, 5: {3, false, "0"}}
	for q, w := range want {
		if rows[q] != w {
			t.Errorf("forced exit %d: %+v, want %+v", q, rows[q], w)
		}
	}
	var depBatch int64
	if err := e.pool.QueryRow(context.Background(), `SELECT batch_number FROM deposits WHERE queue_index = 6`).Scan(&depBatch); err != nil {
		t.Fatal(err)
	}
	if depBatch != 4 {
		t.Errorf("deposit after the forced exits in batch %d, want 4 (a batch's deposits precede its forced exits)", depBatch)
	}
	if info := e.status(s, kept); info.Status == api.StatusPending || info.Status == api.StatusRejected {
		t.Errorf("transfer from account 3: %+v, want sealed", info)
	}
	a2, _ = s.Account(context.Background(), 2)
	if a2.Sealed.Balance != "0" || a2.Sealed.Nonce != 1 {
		t.Fatalf("account 2 sealed %+v, want emptied with nonce 1", a2.Sealed)
	}
	var next int64
	if err := e.pool.QueryRow(context.Background(), `SELECT next_deposit FROM sequencer_state`).Scan(&next); err != nil || next != 7 {
		t.Fatalf("next_deposit %d (%v), want 7", next, err)
	}

	// A restart rebuilds the same state from the tables.
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	s2 := e.start(fxConfig(t))
	if a, _ := s2.Account(context.Background(), 2); a.Sealed.Balance != "0" || a.Sealed.Nonce != 1 {
		t.Fatalf("after restart account 2 %+v", a.Sealed)
	}
}

// TestForcedExitSealsBeforeExpiry: an idle sequencer (no transactions, a
// batch delay of an hour) seals a batch holding only a forced exit once
// the injected clock is within the priority margin of the request's
// expiry, and not before; the gauge shows the time left.
func TestForcedExitSealsBeforeExpiry(t *testing.T) {
	e := newEnv(t, 2)
	base := time.Unix(1_800_000_000, 0)
	var clock atomic.Int64
	clock.Store(base.Unix())
	cfg := fxConfig(t)
	cfg.PriorityMargin = 10 * time.Minute
	cfg.Clock = func() time.Time { return time.Unix(clock.Load(), 0) }
	s := e.start(cfg)
	e.fund(s, 1000)
	sealAll(t, s) // batch 1: the deposits
	expiry := base.Add(time.Hour).Unix()
	e.forcedExit(2, protocol.TagForcedExitChain, 2, 0, e.keys[1], [20]byte{1}, expiry)
	e.waitFor(func() bool {
		s.mu.RLock()
		defer s.mu.RUnlock()
		return len(s.deposits) == 1
	})
	gauge := func() float64 { return testGauge(t, s.m.priorityExpiry) }
	e.waitFor(func() bool { return gauge() == 3600 })
	time.Sleep(200 * time.Millisecond) // several seal ticks: nothing is due
	if n := e.count(`SELECT count(*) FROM batches`); n != 1 {
		t.Fatalf("%d batches an hour before the expiry, want 1", n)
	}
	clock.Store(expiry - int64((9 * time.Minute).Seconds()))
	e.waitFor(func() bool { return e.count(`SELECT count(*) FROM batches`) == 2 })
	if n := e.count(`SELECT count(*) FROM forced_exits WHERE batch_number = 2 AND valid`); n != 1 {
		t.Fatalf("batch 2 holds %d valid forced exits, want 1", n)
	}
	if n := e.count(`SELECT tx_count FROM batches WHERE number = 2`); n != 0 {
		t.Fatalf("batch 2 has %d transactions, want none", n)
	}
	e.waitFor(func() bool { return gauge() > 1e300 }) // +Inf: nothing waits
}

func testGauge(t *testing.T, g prometheus.Gauge) float64 {
	t.Helper()
	var m dto.Metric
	if err := g.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetGauge().GetValue()
}

// TestForcedExitReorged: a forced exit whose block a reorg removed (the
// watcher deletes the unsealed row and notifies) leaves the pending state:
// the account has its balance back and nothing consumes the request.
func TestForcedExitReorged(t *testing.T) {
	e := newEnv(t, 2)
	s := e.start(fxConfig(t))
	e.fund(s, 1000)
	sealAll(t, s)
	e.forcedExit(2, protocol.TagForcedExitChain, 2, 0, e.keys[1], [20]byte{1}, time.Now().Add(time.Hour).Unix())
	e.waitFor(func() bool { a, _ := s.Account(context.Background(), 2); return a.Pending.Balance == "0" })
	if _, err := e.pool.Exec(context.Background(), `DELETE FROM forced_exits WHERE batch_number IS NULL`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(context.Background(), `SELECT pg_notify('sheaf_deposits', 'reorg')`); err != nil {
		t.Fatal(err)
	}
	e.waitFor(func() bool {
		a, _ := s.Account(context.Background(), 2)
		return a.Pending.Balance == "1000" && a.Pending.Nonce == 0
	})
	if _, err := e.transfer(s, 2, 1, 10, 1); err != nil {
		t.Fatalf("transfer after the request left: %v", err)
	}
	sealAll(t, s)
	if n := e.count(`SELECT count(*) FROM batches WHERE number > 1`); n != 1 {
		t.Fatalf("%d batches after the reorg, want 1 (the transfer)", n)
	}
	var next int64
	if err := e.pool.QueryRow(context.Background(), `SELECT next_deposit FROM sequencer_state`).Scan(&next); err != nil || next != 2 {
		t.Fatalf("next_deposit %d (%v), want 2: the removed request is not consumed", next, err)
	}
}
