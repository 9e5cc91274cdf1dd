package sequencer

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/sheafrollup/sheaf/protocol"
)

// TestSealStoresSeveralBatches: with more than one full batch queued, one
// seal applies every full batch (up to maxBatchesPerStore) and the writer
// stores them in one transaction; each batch's rows are its own (accounts,
// history: an older batch's proof rebuilds that batch's stored root), the
// witnesses chain, a partial batch left over waits, and a restarted
// sequencer loads the same state.
func TestSealStoresSeveralBatches(t *testing.T) {
	e := newEnv(t, 6)
	cfg := testConfig()
	cfg.SealInterval = 0
	s := e.start(cfg)
	e.fund(s, 1_000_000)
	sealAll(t, s)
	base := s.sealed.BatchNumber()
	per := cfg.Circuit.Transfers
	n := 3*per + 3 // three full batches and a partial one
	// Hold the sealer off while the queue fills (it seals full batches by
	// itself, on its ticks), then let it go: its next seal finds three.
	// The pause comes before the seal takes its token, which the writer
	// also waits for when a deposit notification arrives late: holding
	// the token here deadlocked the test under load.
	pause := make(chan struct{})
	s.sealPause.Store(&pause)
	for i := range n {
		from := uint32(2 + i%5)
		to := uint32(1 + (i+3)%6)
		if _, err := e.transfer(s, from, to, uint64(10+i), 1); err != nil {
			close(pause)
			t.Fatalf("transfer %d: %v", i, err)
		}
	}
	s.sealPause.Store(nil)
	close(pause)
	e.waitFor(func() bool {
		s.mu.RLock()
		defer s.mu.RUnlock()
		return len(s.queue) <= 3
	})
	s.mu.RLock()
	left := len(s.queue)
	s.mu.RUnlock()
	if left != 3 || s.sealed.BatchNumber() != base+3 {
		t.Fatalf("sealed up to batch %d with %d transfers left, want batch %d and the partial batch's 3", s.sealed.BatchNumber(), left, base+3)
	}
	if got := e.count(`SELECT count(*) FROM batches WHERE number > $1`, int64(base)); got != 3 {
		t.Fatalf("%d batches stored, want 3", got)
	}
	// One writer transaction: the three rows share their inserting
	// transaction id.
	if got := e.count(`SELECT count(DISTINCT xmin::text) FROM batches WHERE number > $1`, int64(base)); got != 1 {
		t.Fatalf("the three batches were stored in %d transactions, want 1", got)
	}
	ctx := context.Background()
	var prevRoot []byte
	for k := base + 1; k <= base+3; k++ {
		var w, oldRoot, newRoot []byte
		var txCount int
		if err := e.pool.QueryRow(ctx, `SELECT witness, old_root, new_root, tx_count FROM batches WHERE number = $1`, int64(k)).
			Scan(&w, &oldRoot, &newRoot, &txCount); err != nil {
			t.Fatal(err)
		}
		b, err := protocol.DecodeWitness(w)
		if err != nil {
			t.Fatalf("batch %d: %v", k, err)
		}
		if b.Header.Number != k || len(b.Transfers) != per || txCount != per {
			t.Fatalf("batch %d: witness of batch %d with %d transfers, row says %d", k, b.Header.Number, len(b.Transfers), txCount)
		}
		if prevRoot != nil && !bytes.Equal(oldRoot, prevRoot) {
			t.Fatalf("batch %d does not start at batch %d's root", k, k-1)
		}
		prevRoot = newRoot
		if k == base+3 {
			continue
		}
		for i := uint32(1); i <= 6; i++ {
			p, err := s.AccountProof(ctx, i, k)
			if err != nil {
				t.Fatalf("account %d at batch %d: %v", i, k, err)
			}
			if !bytes.Equal(p.Root[:], newRoot) {
				t.Fatalf("account %d at batch %d: proof against another root", i, k)
			}
		}
	}
	// The accounts table holds the last batch's values.
	for i := uint32(1); i <= 6; i++ {
		a, _ := s.sealed.Account(i)
		var bal string
		var nonce int64
		if err := e.pool.QueryRow(ctx, `SELECT balance::text, nonce FROM accounts WHERE idx = $1`, int64(i)).Scan(&bal, &nonce); err != nil {
			t.Fatal(err)
		}
		if bal != a.Balance.Dec() || uint32(nonce) != a.Nonce {
			t.Fatalf("account %d stored as %s/%d, sealed state has %s/%d", i, bal, nonce, a.Balance.Dec(), a.Nonce)
		}
	}
	root := s.sealed.Root()
	s.Stop(ctx)
	s2 := e.start(cfg)
	if got := s2.sealed.Root(); got != root || s2.sealed.BatchNumber() != base+3 {
		t.Fatal("a restarted sequencer loads another state")
	}
}

// TestSealSeveralBatchesWithForcedExits: one seal's successive batches
// each plan from the priority-queue entries the batches before it left —
// deposits then forced exits in queue order, a deposit after a forced exit
// starting the next batch — and the writer stores them, forced-exit
// outcomes included, in one transaction; the partial batch left over waits.
func TestSealSeveralBatchesWithForcedExits(t *testing.T) {
	e := newEnv(t, 3)
	cfg := fxConfig(t)
	cfg.SealInterval = 0
	now := time.Unix(1_800_000_000, 0)
	cfg.Clock = func() time.Time { return now } // no entry is near its expiry
	cfg.PriorityMargin = time.Minute
	s := e.start(cfg)
	k := e.keys
	e.fund(s, 1_000_000) // queue 0..2: accounts 1..3
	sealAll(t, s)
	base := s.sealed.BatchNumber()

	// Hold sealing off at the fee-account check (the writer must still
	// apply the new entries, which needs the sealing slot): the final L1
	// block settles no batch past the last one, and the parameters loop
	// keeps this (no later block).
	orig := *s.params.Load()
	held := orig
	held.Block, held.LastBatch, held.ChangeDelay = ^uint64(0), base, 0
	s.params.Store(&held)

	far := now.Add(30 * 24 * time.Hour).Unix()
	to := [20]byte{0xee, 3}
	e.deposit(3, k[0].Public(), 100)
	f4 := e.forcedExit(4, protocol.TagForcedExitChain, 2, 0, k[1], to, far) // valid
	f5 := e.forcedExit(5, f4.Chain(), 3, 5, k[2], to, far)                  // stale nonce
	f6 := e.forcedExit(6, f5.Chain(), 1, 0, k[2], to, far)                  // another key's signature
	e.forcedExit(7, f6.Chain(), 3, 9, k[2], to, far)                        // stale nonce
	for q := int64(8); q <= 12; q++ {
		e.deposit(q, k[0].Public(), 100)
	}
	e.waitFor(func() bool {
		s.mu.RLock()
		defer s.mu.RUnlock()
		return s.ledger.NextDeposit() == 13
	})
	per := fxCircuit.Transfers
	for i := range per + 2 {
		if _, err := e.transfer(s, 3, 1, 10, 1); err != nil {
			t.Fatalf("transfer %d: %v", i, err)
		}
	}
	// Expected batches: [deposit 3, forced exits 4 5] (forced-exit slots
	// full), [forced exits 6 7], [deposits 8..11] (deposit slots full),
	// [deposit 12, 8 transfers]; 2 transfers wait.
	s.params.Store(&orig)
	e.waitFor(func() bool {
		s.mu.RLock()
		defer s.mu.RUnlock()
		return len(s.deposits) == 0 && len(s.queue) == 2
	})
	if s.sealed.BatchNumber() != base+4 {
		t.Fatalf("sealed up to batch %d, want %d", s.sealed.BatchNumber(), base+4)
	}
	if got := e.count(`SELECT count(DISTINCT xmin::text) FROM batches WHERE number > $1`, int64(base)); got != 1 {
		t.Fatalf("the four batches were stored in %d transactions, want 1", got)
	}
	b := func(k int) int64 { return int64(base) + int64(k) }
	type fx struct {
		batch int64
		valid bool
	}
	wantFx := map[int64]fx{4: {b(1), true}, 5: {b(1), false}, 6: {b(2), false}, 7: {b(2), false}}
	for q, w := range wantFx {
		var got fx
		if err := e.pool.QueryRow(context.Background(), `SELECT batch_number, valid FROM forced_exits WHERE queue_index = $1`, q).
			Scan(&got.batch, &got.valid); err != nil {
			t.Fatal(err)
		}
		if got != w {
			t.Errorf("forced exit %d: %+v, want %+v", q, got, w)
		}
	}
	wantDep := map[int64]int64{3: b(1), 8: b(3), 9: b(3), 10: b(3), 11: b(3), 12: b(4)}
	for q, w := range wantDep {
		var got int64
		if err := e.pool.QueryRow(context.Background(), `SELECT batch_number FROM deposits WHERE queue_index = $1`, q).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != w {
			t.Errorf("deposit %d in batch %d, want %d", q, got, w)
		}
	}
	for k, want := range map[int64]int{b(1): 0, b(2): 0, b(3): 0, b(4): per} {
		if got := e.count(`SELECT tx_count FROM batches WHERE number = $1`, k); got != want {
			t.Errorf("batch %d holds %d transactions, want %d", k, got, want)
		}
	}
	var next int64
	if err := e.pool.QueryRow(context.Background(), `SELECT next_deposit FROM sequencer_state`).Scan(&next); err != nil || next != 13 {
		t.Fatalf("next_deposit %d (%v), want 13", next, err)
	}
	a2, _ := s.Account(context.Background(), 2)
	if a2.Sealed.Balance != "0" || a2.Sealed.Nonce != 1 {
		t.Fatalf("account 2 sealed %+v, want emptied by its forced exit", a2.Sealed)
	}
	root := s.sealed.Root()
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s2 := e.start(cfg); s2.sealed.Root() != root {
		t.Fatal("a restarted sequencer loads another state")
	}
}
