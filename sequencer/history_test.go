package sequencer

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/db"
	"github.com/sheafrollup/sheaf/db/pgtest"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
	"github.com/sheafrollup/sheaf/protocol/smt"
)

func (e *env) withdraw(s *Sequencer, from uint32, amount, fee uint64) {
	e.t.Helper()
	acc, err := s.Account(context.Background(), from)
	if err != nil {
		e.t.Fatal(err)
	}
	w := &protocol.Withdrawal{From: from, To: [20]byte{0xa1}, Amount: *uint256.NewInt(amount), Fee: *uint256.NewInt(fee), Nonce: acc.Pending.Nonce}
	if err := w.Sign(e.keys[from-1], protocol.DomainState(protocoltest.ChainID, protocoltest.Contract)); err != nil {
		e.t.Fatal(err)
	}
	if _, err := s.SendWithdrawal(context.Background(), w); err != nil {
		e.t.Fatal(err)
	}
}

// finalize marks batches 1..n finalized, as the submitter does.
func (e *env) finalize(n uint64) {
	e.t.Helper()
	if _, err := e.pool.Exec(context.Background(), `UPDATE batches SET status = 'finalized', proof = '\x00', proven_at = now(),
		submitted_at = now(), finalized_at = now() WHERE number <= $1`, int64(n)); err != nil {
		e.t.Fatal(err)
	}
}

// TestAccountProofAtAnySealedBatch seals batches that open accounts, move
// funds and withdraw, keeps what the latest-batch proof said after each,
// and checks that every account (and empty leaves) is proven exactly so
// at every earlier batch later on, also after a restart; each proof
// verifies against that batch's stored root.
func TestAccountProofAtAnySealedBatch(t *testing.T) {
	e := newEnv(t, 6)
	s := e.start(testConfig())
	ctx := context.Background()
	const probe = 9 // indexes 1..8 are accounts at some point; 9 stays empty
	at := map[uint64]map[uint32]*api.AccountProof{}
	snapshot := func(s *Sequencer) {
		t.Helper()
		sealAll(t, s)
		n := s.sealed.BatchNumber()
		at[n] = map[uint32]*api.AccountProof{}
		for i := uint32(1); i <= probe; i++ {
			p, err := s.AccountProof(ctx, i, 0)
			if err != nil {
				t.Fatal(err)
			}
			at[n][i] = p
		}
	}
	// Batch 1..: three accounts, then transfers, a withdrawal, new accounts
	// (one by a second deposit to a known key: same account), more moves.
	for i := range 3 {
		e.deposit(int64(i), e.keys[i].Public(), 1_000_000)
	}
	e.waitFor(func() bool { a, err := s.Account(ctx, 3); return err == nil && a.Pending.Balance == "1000000" })
	snapshot(s)
	if _, err := e.transfer(s, 2, 3, 5000, 10); err != nil {
		t.Fatal(err)
	}
	snapshot(s)
	e.withdraw(s, 3, 700, 10)
	if _, err := e.transfer(s, 3, 2, 100, 10); err != nil {
		t.Fatal(err)
	}
	snapshot(s)
	for i := 3; i < 6; i++ {
		e.deposit(int64(i), e.keys[i].Public(), 2_000)
	}
	e.deposit(6, e.keys[0].Public(), 77)
	e.waitFor(func() bool { a, err := s.Account(ctx, 6); return err == nil && a.Pending.Balance == "2000" })
	snapshot(s)
	if _, err := e.transfer(s, 6, 2, 1000, 10); err != nil {
		t.Fatal(err)
	}
	if _, err := e.transfer(s, 4, 5, 1000, 10); err != nil {
		t.Fatal(err)
	}
	snapshot(s)
	last := s.sealed.BatchNumber()
	if len(at) < 5 || last < 5 {
		t.Fatalf("%d snapshots up to batch %d", len(at), last)
	}

	check := func(s *Sequencer) {
		t.Helper()
		for n, proofs := range at {
			var root []byte
			if err := e.pool.QueryRow(ctx, `SELECT new_root FROM batches WHERE number = $1`, int64(n)).Scan(&root); err != nil {
				t.Fatal(err)
			}
			for i, want := range proofs {
				got, err := s.AccountProof(ctx, i, n)
				if err != nil {
					t.Fatalf("account %d at batch %d: %v", i, n, err)
				}
				if !equalProof(got, want) {
					t.Fatalf("account %d at batch %d:\n got %+v\nwant %+v", i, n, got, want)
				}
				if [32]byte(root) != got.Root || !verifies(got) {
					t.Fatalf("account %d at batch %d does not verify against the stored root", i, n)
				}
			}
		}
		if _, err := s.AccountProof(ctx, 1, last+1); !errors.Is(err, api.ErrNotFound) {
			t.Fatalf("future batch: %v", err)
		}
	}
	check(s)
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	s2 := e.start(testConfig())
	check(s2)

	// A database upgraded with sealed batches keeps history from its last
	// batch on only: older batches are refused, not answered wrongly.
	from := slices.Sorted(maps.Keys(at))[2]
	if _, err := e.pool.Exec(ctx, `UPDATE sequencer_state SET history_from = $1`, int64(from)); err != nil {
		t.Fatal(err)
	}
	if _, err := s2.AccountProof(ctx, 2, from-1); !errors.Is(err, api.ErrNotFound) {
		t.Fatalf("batch before history_from: %v", err)
	}
	if p, err := s2.AccountProof(ctx, 2, from); err != nil || !equalProof(p, at[from][2]) {
		t.Fatalf("batch at history_from: %v", err)
	}

	// The rewind is bounded: a batch with more account states written
	// after it than ProofRewind is refused, naming the parameter.
	if err := s2.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	cfg.ProofRewind = 1
	s3 := e.start(cfg)
	var ae *api.Error
	if _, err := s3.AccountProof(ctx, 2, from); !errors.As(err, &ae) || ae.Code != api.CodeInvalidParams || ae.Field != "batch" {
		t.Fatalf("rewind past the limit: %v", err)
	}
	if p, err := s3.AccountProof(ctx, 2, last); err != nil || !equalProof(p, at[last][2]) {
		t.Fatalf("the latest batch under a rewind limit: %v", err)
	}
}

func equalProof(a, b *api.AccountProof) bool {
	if a.Index != b.Index || a.BatchNumber != b.BatchNumber || a.Root != b.Root || a.Leaf != b.Leaf ||
		string(a.PubKey) != string(b.PubKey) || a.Balance != b.Balance || a.Nonce != b.Nonce || len(a.Siblings) != len(b.Siblings) {
		return false
	}
	for i := range a.Siblings {
		if a.Siblings[i] != b.Siblings[i] {
			return false
		}
	}
	return true
}

func verifies(p *api.AccountProof) bool {
	var leaf, root fr.Element
	leaf.SetBytes(p.Leaf[:])
	root.SetBytes(p.Root[:])
	sib := make([]fr.Element, len(p.Siblings))
	for i, s := range p.Siblings {
		sib[i].SetBytes(s[:])
	}
	return smt.Proof{Index: uint64(p.Index), Leaf: leaf, Siblings: sib}.Verify(root)
}

// TestFinalizedAccountState: sheaf_getAccount's finalized member is the
// account's state after the latest finalized batch, absent before one.
func TestFinalizedAccountState(t *testing.T) {
	e := newEnv(t, 3)
	s := e.start(testConfig())
	ctx := context.Background()
	e.fund(s, 1_000_000)
	sealAll(t, s) // batch 1: deposits
	if _, err := e.transfer(s, 2, 3, 5000, 10); err != nil {
		t.Fatal(err)
	}
	sealAll(t, s) // batch 2
	if _, err := e.transfer(s, 2, 3, 7000, 10); err != nil {
		t.Fatal(err)
	}
	sealAll(t, s) // batch 3
	if _, err := e.transfer(s, 2, 3, 1, 10); err != nil {
		t.Fatal(err)
	}
	// One pending transfer on top.

	a, err := s.Account(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if a.Finalized != nil || a.FinalizedBatch != 0 {
		t.Fatalf("finalized before any batch is: %+v at %d", a.Finalized, a.FinalizedBatch)
	}
	for _, tc := range []struct {
		batch uint64
		index uint32
		want  api.AccountState
	}{
		{1, 2, api.AccountState{Balance: "1000000", Nonce: 0}},
		{1, 3, api.AccountState{Balance: "1000000", Nonce: 0}},
		{2, 2, api.AccountState{Balance: "994990", Nonce: 1}},
		{2, 3, api.AccountState{Balance: "1005000", Nonce: 0}},
		{2, 1, api.AccountState{Balance: "1000010", Nonce: 0}}, // the fee account
		{3, 2, api.AccountState{Balance: "987980", Nonce: 2}},
	} {
		e.finalize(tc.batch)
		a, err := s.Account(ctx, tc.index)
		if err != nil {
			t.Fatal(err)
		}
		if a.Finalized == nil || *a.Finalized != tc.want || a.FinalizedBatch != tc.batch {
			t.Errorf("account %d finalized at %d: %+v at %d, want %+v", tc.index, tc.batch, a.Finalized, a.FinalizedBatch, tc.want)
		}
	}
	if a, _ := s.Account(ctx, 2); a.Pending.Nonce != 3 || a.Sealed.Nonce != 2 {
		t.Fatalf("pending %+v sealed %+v", a.Pending, a.Sealed)
	}
	// An account opened after the finalized batch was empty then.
	e.deposit(3, e.keys[0].Public(), 5) // key 0 owns account 1: credited there
	e.deposit(4, protocoltest.Keys(99, 1)[0].Public(), 5)
	e.waitFor(func() bool { _, err := s.Account(ctx, 4); return err == nil })
	sealAll(t, s)
	if a, err := s.Account(ctx, 4); err != nil || a.Finalized == nil || *a.Finalized != (api.AccountState{Balance: "0"}) {
		t.Fatalf("account opened after the finalized batch: %+v, %v", a, err)
	}
}

// TestProofWaitsForTheStore: while a sealed batch is being stored the
// database lags the sealed state; prove says to retry, and the writer's
// store wakes the waiter.
func TestProofWaitsForTheStore(t *testing.T) {
	e := newEnv(t, 2)
	s := e.start(testConfig())
	e.fund(s, 1000)
	sealAll(t, s)
	if _, err := e.transfer(s, 2, 1, 10, 1); err != nil {
		t.Fatal(err)
	}
	wait := s.storedSignal()
	sealAll(t, s)
	select {
	case <-wait:
	default:
		t.Fatal("storing a batch did not signal")
	}
	h, err := s.loadHistory(context.Background(), 1)
	if err != nil || h == nil || h.stored != 2 {
		t.Fatalf("history of batch 1: %+v, %v", h, err)
	}
	lagging := *h
	lagging.stored = 1
	if _, err := s.prove(2, 1, &lagging); !errors.Is(err, errRetry) {
		t.Fatalf("database behind the sealed state: %v, want a retry", err)
	}
	if _, err := s.prove(2, 1, h); err != nil {
		t.Fatal(err)
	}
	wrong := *h
	wrong.root.SetUint64(7)
	if _, err := s.prove(2, 1, &wrong); err == nil {
		t.Fatal("a history that does not rebuild the stored root was served")
	}
}

// BenchmarkAccountWrites: storing a batch's touched accounts (66: 32
// transfers' senders and recipients, a few more) as storeBatch does now,
// one statement with the history triggers, against one statement per
// account without history (before account_history) and the statement
// alone.
func BenchmarkAccountWrites(b *testing.B) {
	url := pgtest.NewDatabase(b)
	ctx := context.Background()
	pool, err := db.Open(ctx, db.Config{URL: url, Migrate: true}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	const n = 66
	idxs, nonces, keys, bals := make([]int64, n), make([]int64, n), make([][]byte, n), make([]string, n)
	for i := range n {
		idxs[i], nonces[i], keys[i], bals[i] = int64(i+1), 1, make([]byte, 32), "1000"
	}
	batch := int64(0)
	oneStatement := func(b *testing.B) {
		for b.Loop() {
			batch++
			if _, err := pool.Exec(ctx, `INSERT INTO accounts (idx, pubkey, pubkey_x, leaf, balance, nonce, updated_batch)
				SELECT i, pk, x, l, b::numeric, n, $7 FROM unnest($1::bigint[], $2::bytea[], $3::bytea[], $4::bytea[], $5::text[], $6::bigint[]) AS u(i, pk, x, l, b, n)
				ON CONFLICT (idx) DO UPDATE SET leaf = excluded.leaf, balance = excluded.balance, nonce = excluded.nonce, updated_batch = excluded.updated_batch`,
				idxs, keys, keys, keys, bals, nonces, batch); err != nil {
				b.Fatal(err)
			}
		}
	}
	triggers := func(on bool) {
		verb := "DISABLE"
		if on {
			verb = "ENABLE"
		}
		if _, err := pool.Exec(ctx, `ALTER TABLE accounts `+verb+` TRIGGER USER`); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("one-statement/history", oneStatement)
	triggers(false)
	b.Run("one-statement/no-history", oneStatement)
	b.Run("per-account/no-history", func(b *testing.B) {
		for b.Loop() {
			batch++
			tx, err := pool.Begin(ctx)
			if err != nil {
				b.Fatal(err)
			}
			for i := range n {
				if _, err := tx.Exec(ctx, `INSERT INTO accounts (idx, pubkey, pubkey_x, leaf, balance, nonce, updated_batch) VALUES ($1,$2,$3,$4,$5::numeric,$6,$7)
					ON CONFLICT (idx) DO UPDATE SET leaf = excluded.leaf, balance = excluded.balance, nonce = excluded.nonce, updated_batch = excluded.updated_batch`,
					idxs[i], keys[i], keys[i], keys[i], bals[i], nonces[i], batch); err != nil {
					b.Fatal(err)
				}
			}
			if err := tx.Commit(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	triggers(true)
}
