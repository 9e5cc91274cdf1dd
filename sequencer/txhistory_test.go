package sequencer

import (
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// apiClient serves s over HTTP and returns a client for it.
func apiClient(t *testing.T, s *Sequencer) *client.Client {
	t.Helper()
	srv, err := api.NewServer(api.DefaultConfig, s, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	c, err := client.Dial(context.Background(), hs.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func hashes(txs []api.TxInfo) []common.Hash {
	var out []common.Hash
	for _, t := range txs {
		out = append(out, t.Hash)
	}
	return out
}

// TestTransactionsHistory: an account's history (sent, received, self,
// withdrawals), newest first, through every page size, with status filters
// and transactions arriving between pages.
func TestTransactionsHistory(t *testing.T) {
	e := newEnv(t, 3)
	s := e.start(testConfig())
	e.fund(s, 1_000_000)
	c := apiClient(t, s)
	ctx := context.Background()
	ds := protocol.DomainState(protocoltest.ChainID, protocoltest.Contract)

	var all []common.Hash // account 1's, oldest first
	send := func(from, to uint32, mine bool) common.Hash {
		t.Helper()
		tr, err := e.transfer(s, from, to, 10, 1)
		if err != nil {
			t.Fatal(err)
		}
		m := tr.Message(ds)
		h := common.Hash(m.Bytes())
		if mine {
			all = append(all, h)
		}
		return h
	}
	send(1, 2, true)
	send(2, 1, true)
	send(1, 1, true) // self-transfer: listed once
	send(2, 3, false)
	acc, _ := s.Account(ctx, 1)
	w := &protocol.Withdrawal{From: 1, To: [20]byte{0xa1}, Amount: *uint256.NewInt(5), Fee: *uint256.NewInt(1), Nonce: acc.Pending.Nonce}
	if err := w.Sign(e.keys[0], ds); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SendWithdrawal(ctx, w); err != nil {
		t.Fatal(err)
	}
	wm := w.Message(ds)
	all = append(all, common.Hash(wm.Bytes()))
	sealAll(t, s) // batch 1: everything so far
	// Batch 1 finalized on L1 (as the submitter would record it).
	if _, err := e.pool.Exec(ctx, `UPDATE batches SET status = 'finalized', proof = '\x00', proven_at = now(), submitted_at = now(), finalized_at = now() WHERE number = 1`); err != nil {
		t.Fatal(err)
	}
	send(3, 1, true)
	send(1, 3, true) // these two stay pending

	newestFirst := slices.Clone(all)
	slices.Reverse(newestFirst)

	walk := func(ref api.AccountRef, q *client.TxQuery) []api.TxInfo {
		t.Helper()
		var out []api.TxInfo
		for pages := 0; ; pages++ {
			p, err := c.GetTransactions(ctx, ref, q)
			if err != nil {
				t.Fatal(err)
			}
			if q != nil && q.Limit > 0 && len(p.Transactions) > q.Limit {
				t.Fatalf("page of %d, limit %d", len(p.Transactions), q.Limit)
			}
			out = append(out, p.Transactions...)
			if p.Next == "" {
				return out
			}
			if len(p.Transactions) == 0 {
				t.Fatal("an empty page with a next cursor")
			}
			if pages > 20 {
				t.Fatal("no end")
			}
			if q == nil {
				q = &client.TxQuery{}
			}
			q.Cursor = p.Next
		}
	}
	// Default page and every page size: the same list, newest first.
	if got := hashes(walk(api.AccountByIndex(1), nil)); !slices.Equal(got, newestFirst) {
		t.Fatalf("history\n got %v\nwant %v", got, newestFirst)
	}
	for _, limit := range []int{1, 2, 3, len(all) - 1, len(all), len(all) + 1, api.MaxTxPageSize} {
		if got := hashes(walk(api.AccountByIndex(1), &client.TxQuery{Limit: limit})); !slices.Equal(got, newestFirst) {
			t.Fatalf("limit %d\n got %v\nwant %v", limit, got, newestFirst)
		}
	}
	// A page exactly as long as the history has no next cursor.
	p, err := c.GetTransactions(ctx, api.AccountByIndex(1), &client.TxQuery{Limit: len(all)})
	if err != nil || p.Next != "" || len(p.Transactions) != len(all) {
		t.Fatalf("exact page: %d, next %q, %v", len(p.Transactions), p.Next, err)
	}
	// By key: the key's first account.
	if got := hashes(walk(api.AccountByKey(e.keys[0].Public()), &client.TxQuery{Limit: 4})); !slices.Equal(got, newestFirst) {
		t.Fatal("by key differs from by index")
	}
	// Statuses come with the page: finalized from batch 1, pending after.
	txs := walk(api.AccountByIndex(1), nil)
	for i, tx := range txs {
		want := api.StatusFinalized
		if i < 2 {
			want = api.StatusPending
		}
		if tx.Status != want {
			t.Fatalf("%d: status %s, want %s", i, tx.Status, want)
		}
	}
	if txs[0].To == nil || *txs[0].To != 3 || txs[1].From != 3 || txs[2].L1Address == nil {
		t.Fatalf("transaction fields: %+v", txs[:3])
	}
	// Status filters.
	if got := hashes(walk(api.AccountByIndex(1), &client.TxQuery{Statuses: []string{api.StatusPending}, Limit: 1})); !slices.Equal(got, newestFirst[:2]) {
		t.Fatalf("pending only: %v", got)
	}
	if got := hashes(walk(api.AccountByIndex(1), &client.TxQuery{Statuses: []string{api.StatusFinalized, api.StatusSealed}, Limit: 2})); !slices.Equal(got, newestFirst[2:]) {
		t.Fatalf("finalized or sealed: %v", got)
	}
	if got := walk(api.AccountByIndex(1), &client.TxQuery{Statuses: []string{api.StatusProven}}); len(got) != 0 {
		t.Fatalf("proven: %v", got)
	}
	// A transaction that arrives while a wallet pages does not shift pages.
	p1, err := c.GetTransactions(ctx, api.AccountByIndex(1), &client.TxQuery{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	newer := send(2, 1, false)
	p2, err := c.GetTransactions(ctx, api.AccountByIndex(1), &client.TxQuery{Limit: 3, Cursor: p1.Next})
	if err != nil {
		t.Fatal(err)
	}
	if got := append(hashes(p1.Transactions), hashes(p2.Transactions)...); !slices.Equal(got, newestFirst[:6]) {
		t.Fatalf("pages around a new arrival: %v", got)
	}
	if p, _ := c.GetTransactions(ctx, api.AccountByIndex(1), &client.TxQuery{Limit: 1}); p.Transactions[0].Hash != newer {
		t.Fatal("the new transaction is not first on a fresh first page")
	}
	// Accounts without history: an empty page, no cursor.
	if p, err := c.GetTransactions(ctx, api.AccountByIndex(200), nil); err != nil || len(p.Transactions) != 0 || p.Next != "" {
		t.Fatalf("unknown account: %+v %v", p, err)
	}
	// Batch statuses without finalized (the bounded scan): after sealing,
	// the three pending transactions of account 1 are sealed.
	sealAll(t, s)
	if got := hashes(walk(api.AccountByIndex(1), &client.TxQuery{Statuses: []string{api.StatusSealed}, Limit: 1})); !slices.Equal(got, []common.Hash{newer, newestFirst[0], newestFirst[1]}) {
		t.Fatalf("sealed: %v, want %v", got, []common.Hash{newer, newestFirst[0], newestFirst[1]})
	}
	if got := walk(api.AccountByIndex(1), &client.TxQuery{Statuses: []string{api.StatusProven, api.StatusSubmitted}}); len(got) != 0 {
		t.Fatalf("proven or submitted: %v", got)
	}
	// A rejected transaction keeps its reason.
	if _, err := e.pool.Exec(ctx, `UPDATE transactions SET status = 'rejected', reason = 'test reason', batch_number = NULL, batch_position = NULL WHERE hash = $1`, all[len(all)-1][:]); err != nil {
		t.Fatal(err)
	}
	p, err = c.GetTransactions(ctx, api.AccountByIndex(1), &client.TxQuery{Statuses: []string{api.StatusRejected}})
	if err != nil || len(p.Transactions) != 1 || p.Transactions[0].Reason != "test reason" {
		t.Fatalf("rejected: %+v %v", p, err)
	}
	// ... for its sender only: account 3 does not list the rejected transfer it would have received.
	for _, tx := range walk(api.AccountByIndex(3), nil) {
		if tx.Hash == all[len(all)-1] {
			t.Fatal("a rejected transfer is in its recipient's history")
		}
	}
	// Bad queries: -32602 naming the field; index 0 is reserved.
	for _, bad := range []struct {
		q     client.TxQuery
		field string
	}{
		{client.TxQuery{Limit: api.MaxTxPageSize + 1}, "limit"},
		{client.TxQuery{Cursor: "nope"}, "cursor"},
		{client.TxQuery{Cursor: api.EncodeCursor(0)}, "cursor"},
		{client.TxQuery{Statuses: []string{"lost"}}, "status"},
	} {
		_, err := c.GetTransactions(ctx, api.AccountByIndex(1), &bad.q)
		var ae *api.Error
		if !errors.As(err, &ae) || ae.Code != api.CodeInvalidParams || ae.Field != bad.field {
			t.Errorf("%+v: %v", bad.q, err)
		}
	}
	if _, err := c.GetTransactions(ctx, api.AccountByIndex(0), nil); !errors.Is(err, protocol.ErrReservedAccount) {
		t.Errorf("index 0: %v", err)
	}
}

// TestGetDeposit: a deposit by queue index and by L1 transaction, queued
// (with its queue position) behind a gap, pending once the pending state
// has it, sealed with its account and batch, finalized with its batch.
func TestGetDeposit(t *testing.T) {
	e := newEnv(t, 4)
	s := e.start(testConfig())
	c := apiClient(t, s)
	ctx := context.Background()
	put := func(qi int64, key int, txh common.Hash) {
		t.Helper()
		pk := e.keys[key].Public().Bytes()
		if _, err := e.pool.Exec(ctx, `INSERT INTO deposits (queue_index, pubkey, amount, l1_block, l1_tx_hash) VALUES ($1, $2, 1000, 7, $3)`,
			qi, pk[:], txh[:]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.GetDeposit(ctx, api.DepositRef{QueueIndex: 0}); !errors.Is(err, api.ErrNotFound) {
		t.Fatalf("before any deposit: %v", err)
	}
	// Queue index 2 arrives before 0 and 1 (its transaction holds 2 and 3).
	put(2, 2, common.Hash{0xd2})
	put(3, 3, common.Hash{0xd2})
	d, err := c.GetDeposit(ctx, api.DepositRef{QueueIndex: 2})
	if err != nil || d.Status != api.DepositQueued || d.QueuePosition == nil || *d.QueuePosition != 2 || d.Account != nil || d.L1Block != 7 {
		t.Fatalf("queued behind a gap: %+v %v", d, err)
	}
	h := common.Hash{0xd2}
	if d, err := c.GetDeposit(ctx, api.DepositRef{L1TxHash: &h}); err != nil || d.QueueIndex != 2 {
		t.Fatalf("by transaction (first deposit of it): %+v %v", d, err)
	}
	put(0, 0, common.Hash{0xd0})
	put(1, 1, common.Hash{0xd1})
	e.waitFor(func() bool {
		d, err := c.GetDeposit(ctx, api.DepositRef{QueueIndex: 3})
		return err == nil && d.Status == api.DepositPending
	})
	sealAll(t, s)
	d, err = c.GetDeposit(ctx, api.DepositRef{QueueIndex: 3})
	if err != nil || d.Status != api.DepositSealed || d.Account == nil || *d.Account != 4 || d.BatchNumber == nil || *d.BatchNumber != 1 ||
		d.QueuePosition != nil || d.Amount != "1000" || d.L1TxHash == nil || *d.L1TxHash != h {
		t.Fatalf("sealed: %+v %v", d, err)
	}
	if pk := e.keys[3].Public().Bytes(); string(d.PubKey) != string(pk[:]) {
		t.Fatal("public key")
	}
	if _, err := e.pool.Exec(ctx, `UPDATE batches SET status = 'finalized', proof = '\x00', proven_at = now(), submitted_at = now(), finalized_at = now() WHERE number = 1`); err != nil {
		t.Fatal(err)
	}
	if d, err := c.GetDeposit(ctx, api.DepositRef{QueueIndex: 0}); err != nil || d.Status != api.DepositFinalized || *d.Account != 1 {
		t.Fatalf("finalized: %+v %v", d, err)
	}
	missing := common.Hash{0xee}
	if _, err := c.GetDeposit(ctx, api.DepositRef{L1TxHash: &missing}); !errors.Is(err, api.ErrNotFound) {
		t.Fatalf("unknown transaction: %v", err)
	}
}
