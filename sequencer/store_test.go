package sequencer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sheafrollup/sheaf/db"
)

// TestStoreBatchesAllOrNothing: the store's statements go to the server in
// one pipeline and its row-count checks run before the commit, so a check
// failing in the last batch leaves nothing of the earlier ones; once the
// cause is gone the same batches store whole: every transaction sealed at
// its position, every touched account as the state holds it, one history
// row per account and batch; a statement the server refuses fails the
// store with its name.
func TestStoreBatchesAllOrNothing(t *testing.T) {
	ctx := context.Background()
	f := newStoreFixture(t, 8)
	items, reqs := f.next(t, 3)
	if err := insertTxs(ctx, f.c, reqs); err != nil {
		t.Fatal(err)
	}
	last := items[2].txs[5].hash
	count := func(sql string, args ...any) int {
		t.Helper()
		var n int
		if err := f.c.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// One transaction of the third batch is no longer pending.
	if _, err := f.c.Exec(ctx, `UPDATE transactions SET status = 'rejected', reason = 'test' WHERE hash = $1`, last[:]); err != nil {
		t.Fatal(err)
	}
	err := storeBatches(ctx, f.c, items, nil)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("update transactions: %d of %d rows were pending", len(items[2].txs)-1, len(items[2].txs))) {
		t.Fatalf("store with a transaction not pending: %v", err)
	}
	for _, q := range []string{
		`SELECT count(*) FROM batches`,
		`SELECT count(*) FROM proof_jobs`,
		`SELECT count(*) FROM transactions WHERE status = 'sealed'`,
		`SELECT count(*) FROM accounts WHERE updated_batch > 0`,
		`SELECT count(*) FROM account_history WHERE batch_number > 0`,
		`SELECT count(*) FROM sequencer_state WHERE last_batch > 0`,
	} {
		if n := count(q); n != 0 {
			t.Errorf("after the failed store, %s = %d", q, n)
		}
	}
	if f.c.PgConn().TxStatus() != 'I' {
		t.Fatalf("connection left in transaction state %q", f.c.PgConn().TxStatus())
	}

	if _, err := f.c.Exec(ctx, `UPDATE transactions SET status = 'pending', reason = NULL WHERE hash = $1`, last[:]); err != nil {
		t.Fatal(err)
	}
	if err := storeBatches(ctx, f.c, items, nil); err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT last_batch FROM sequencer_state`); n != len(items) {
		t.Errorf("last_batch = %d, want %d", n, len(items))
	}
	for _, it := range items {
		num := int64(it.b.Header.Number)
		if n := count(`SELECT count(*) FROM batches b JOIN proof_jobs j ON j.batch_number = b.number WHERE b.number = $1 AND b.witness = $2`, num, it.witness); n != 1 {
			t.Errorf("batch %d: %d rows with its witness and proof job", num, n)
		}
		for pos, p := range it.txs {
			if n := count(`SELECT count(*) FROM transactions WHERE hash = $1 AND status = 'sealed' AND batch_number = $2 AND batch_position = $3`,
				p.hash[:], num, pos); n != 1 {
				t.Errorf("batch %d position %d: transaction %x not sealed there", num, pos, p.hash)
			}
		}
		for _, a := range it.accounts {
			lb := a.leaf.Bytes()
			if n := count(`SELECT count(*) FROM account_history WHERE idx = $1 AND batch_number = $2 AND balance = $3::numeric AND nonce = $4 AND leaf = $5`,
				int64(a.index), num, numeric(&a.acc.Balance), int64(a.acc.Nonce), lb[:]); n != 1 {
				t.Errorf("batch %d: account %d's history row does not hold %s/%d", num, a.index, numeric(&a.acc.Balance), a.acc.Nonce)
			}
		}
	}
	// A statement the server refuses (the batch is there already) fails
	// the store with what it was doing, and the connection stays usable.
	if err := storeBatches(ctx, f.c, items[:1], nil); err == nil || !strings.Contains(err.Error(), "insert batch: ") {
		t.Errorf("storing batch 1 again: %v", err)
	}
	if f.c.PgConn().TxStatus() != 'I' {
		t.Fatalf("connection left in transaction state %q", f.c.PgConn().TxStatus())
	}
	// The accounts table holds the sealed state's latest values.
	for _, it := range items {
		for _, a := range it.accounts {
			cur, _ := f.st.Account(a.index)
			if n := count(`SELECT count(*) FROM accounts WHERE idx = $1 AND balance = $2::numeric AND nonce = $3`,
				int64(a.index), numeric(&cur.Balance), int64(cur.Nonce)); n != 1 {
				t.Errorf("account %d is not stored as the state holds it", a.index)
			}
		}
	}
}

// TestStoreFencedToTheLock: a fenced store commits only while the writer's
// session holds the sequencer lock (another session, another key, a
// released lock: ErrLockLost and nothing written), and a standby's first
// read of sequencer_state in load (FOR SHARE) waits for a store that
// passed the check and sees all of it.
func TestStoreFencedToTheLock(t *testing.T) {
	ctx := context.Background()
	f := newStoreFixture(t, 8)
	items, reqs := f.next(t, 2)
	if err := insertTxs(ctx, f.c, reqs); err != nil {
		t.Fatal(err)
	}
	holder, err := f.pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Release()
	const key = 0x5eaf_0000_0001_0002
	if _, err := holder.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(key)); err != nil {
		t.Fatal(err)
	}
	pid := holder.Conn().PgConn().PID()
	lastBatch := func() int64 {
		t.Helper()
		var n int64
		if err := f.c.QueryRow(ctx, `SELECT last_batch FROM sequencer_state`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, c := range []struct {
		name  string
		fence lockFence
	}{
		{"session without the lock", lockFence{pid: f.c.PgConn().PID(), key: key}},
		{"another key", lockFence{pid: pid, key: key + 1}},
		{"same low half, other high half", lockFence{pid: pid, key: key ^ (1 << 40)}},
	} {
		err := storeBatches(ctx, f.c, items[:1], &c.fence)
		if !errors.Is(err, ErrLockLost) {
			t.Fatalf("%s: store = %v, want ErrLockLost", c.name, err)
		}
		var n int
		if err := f.c.QueryRow(ctx, `SELECT count(*) FROM batches`).Scan(&n); err != nil || n != 0 || lastBatch() != 0 {
			t.Fatalf("%s: %d batches stored, last_batch %d (%v)", c.name, n, lastBatch(), err)
		}
	}
	fence := &lockFence{pid: pid, key: key}
	if err := storeBatches(ctx, f.c, items[:1], fence); err != nil {
		t.Fatalf("store under the lock: %v", err)
	}

	// A standby's load, once the lock is free, waits for the store that
	// holds sequencer_state and reads what it committed.
	tx, err := f.c.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `UPDATE sequencer_state SET last_batch = 2`); err != nil {
		t.Fatal(err)
	}
	read := make(chan int64, 1)
	go func() {
		var n int64
		if err := holder.QueryRow(ctx, `SELECT last_batch FROM sequencer_state FOR SHARE`).Scan(&n); err != nil {
			n = -1
		}
		read <- n
	}()
	// Commit only once the reader is seen waiting on the row lock.
	for {
		// pg_locks is read afresh on every call (pg_stat_activity would be
		// a snapshot for the rest of this transaction).
		var waiting bool
		if err := tx.QueryRow(ctx, `SELECT count(*) > 0 FROM pg_locks WHERE pid = $1 AND NOT granted`, int64(pid)).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting {
			break
		}
		select {
		case n := <-read:
			t.Fatalf("FOR SHARE read returned %d while the store held the row", n)
		case <-time.After(5 * time.Millisecond):
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n := <-read; n != 2 {
		t.Fatalf("standby read last_batch %d after the store committed, want 2", n)
	}

	// Once the session lets the lock go, stores fail.
	if _, err := holder.Exec(ctx, `SELECT pg_advisory_unlock($1)`, int64(key)); err != nil {
		t.Fatal(err)
	}
	if err := storeBatches(ctx, f.c, items[1:], fence); !errors.Is(err, ErrLockLost) {
		t.Fatalf("store after the lock was released: %v, want ErrLockLost", err)
	}
}

// TestStartRefusesSmallPool: the writer and the listener hold a connection
// each while the sequencer runs and stores borrow a third, so a smaller
// pool than minPoolConns is refused at Start with the reason, before the
// lock.
func TestStartRefusesSmallPool(t *testing.T) {
	e := newEnv(t, 1)
	ctx := context.Background()
	small, err := db.Open(ctx, db.Config{URL: e.url, MaxConns: minPoolConns - 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer small.Close()
	s, err := New(testConfig(), small, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(ctx); err == nil || !strings.Contains(err.Error(), "needs at least 3") {
		t.Fatalf("Start with a pool of %d: %v", minPoolConns-1, err)
	}
	// The regular pool starts.
	e.start(testConfig())
}

// TestStoreRefusesMissingAccount: accounts a batch does not create are
// updated in place, and one that is not stored fails the store (a sealed
// state ahead of its table is a bug to stop at, not a row to insert).
func TestStoreRefusesMissingAccount(t *testing.T) {
	ctx := context.Background()
	f := newStoreFixture(t, 8)
	items, reqs := f.next(t, 1)
	if err := insertTxs(ctx, f.c, reqs); err != nil {
		t.Fatal(err)
	}
	gone := items[0].accounts[0].index
	if _, err := f.c.Exec(ctx, `DELETE FROM accounts WHERE idx = $1`, int64(gone)); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("update accounts: %d of %d accounts are stored", len(items[0].accounts)-1, len(items[0].accounts))
	if err := storeBatches(ctx, f.c, items, nil); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("store with account %d missing: %v, want %q", gone, err, want)
	}
	var n int
	if err := f.c.QueryRow(ctx, `SELECT count(*) FROM batches`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d batches stored (%v)", n, err)
	}
}
