package sequencer

import (
	"bytes"
	"context"
	"testing"

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
	s.sealing <- struct{}{}
	for i := range n {
		from := uint32(2 + i%5)
		to := uint32(1 + (i+3)%6)
		if _, err := e.transfer(s, from, to, uint64(10+i), 1); err != nil {
			<-s.sealing
			t.Fatalf("transfer %d: %v", i, err)
		}
	}
	<-s.sealing
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
