package watcher

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

var forcedCfg = protocol.Config{Depth: 4, Deposits: 1, ForcedExits: 1, Transfers: 2, Withdrawals: 1}

// forcedExitTx signs (does not send) a requestForcedExit for f.
func (e *env) forcedExitTx(f protocol.ForcedExit, tip *big.Int, fixedNonce ...uint64) *types.Transaction {
	e.t.Helper()
	ctx := context.Background()
	nonce, err := e.client.PendingNonceAt(ctx, crypto.PubkeyToAddress(userKey.PublicKey))
	if err != nil {
		e.t.Fatal(err)
	}
	if len(fixedNonce) > 0 {
		nonce = fixedNonce[0]
	}
	if tip == nil {
		tip = big.NewInt(1e9)
	}
	head, err := e.client.HeaderByNumber(ctx, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	feeCap := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	tx := types.NewTx(&types.DynamicFeeTx{ChainID: big.NewInt(1337), Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap,
		Gas: 1_000_000, To: &e.dep.Rollup, Value: big.NewInt(0),
		Data: e.rollup.PackRequestForcedExit(f.Index, f.Recipient, f.Nonce,
			protocol.FrToBig(f.Sig.R.X), protocol.FrToBig(f.Sig.R.Y), protocol.FrToBig(f.Sig.S))})
	signed, err := types.SignTx(tx, types.LatestSignerForChainID(big.NewInt(1337)), userKey)
	if err != nil {
		e.t.Fatal(err)
	}
	return signed
}

type fxRow struct {
	queue, index, nonce, expiry, block uint64
	recipient, rx, ry, s, prev, chain  []byte
	blockHash                          common.Hash
}

func (e *env) fxRows() []fxRow {
	e.t.Helper()
	rs, err := e.pool.Query(context.Background(), `SELECT queue_index, account_idx, nonce, expiry, l1_block, recipient,
		sig_rx, sig_ry, sig_s, prev_chain, chain, l1_block_hash FROM forced_exits ORDER BY queue_index`)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rs.Close()
	var out []fxRow
	for rs.Next() {
		var (
			r             fxRow
			q, i, n, x, b int64
			bh            []byte
		)
		if err := rs.Scan(&q, &i, &n, &x, &b, &r.recipient, &r.rx, &r.ry, &r.s, &r.prev, &r.chain, &bh); err != nil {
			e.t.Fatal(err)
		}
		r.queue, r.index, r.nonce, r.expiry, r.block, r.blockHash = uint64(q), uint64(i), uint64(n), uint64(x), uint64(b), common.BytesToHash(bh)
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		e.t.Fatal(err)
	}
	return out
}

func (e *env) blockTime(n uint64) uint64 {
	h, err := e.client.HeaderByNumber(context.Background(), new(big.Int).SetUint64(n))
	if err != nil {
		e.t.Fatal(err)
	}
	return h.Time
}

// checkFx compares a stored row with the request and the chain L1 keeps.
func (e *env) checkFx(r fxRow, f protocol.ForcedExit) {
	e.t.Helper()
	word := func(x interface{ Bytes() [32]byte }) []byte { b := x.Bytes(); return b[:] }
	if r.queue != f.QueueIndex || r.index != uint64(f.Index) || r.nonce != uint64(f.Nonce) ||
		string(r.recipient) != string(f.Recipient[:]) || string(r.rx) != string(word(&f.Sig.R.X)) ||
		string(r.ry) != string(word(&f.Sig.R.Y)) || string(r.s) != string(word(&f.Sig.S)) ||
		string(r.prev) != string(word(&f.PrevChain)) {
		e.t.Fatalf("forced-exit row %+v, want %+v", r, f)
	}
	c := f.Chain()
	if string(r.chain) != string(word(&c)) {
		e.t.Fatalf("row %d: chain %x, want %x", r.queue, r.chain, word(&c))
	}
	if want := e.blockTime(r.block) + uint64(l1.DefaultPriorityExpiry/time.Second); r.expiry != want {
		e.t.Fatalf("row %d: expiry %d, want block time + priority expiry = %d", r.queue, r.expiry, want)
	}
	if r.blockHash != e.blockHash(r.block) {
		e.t.Fatalf("row %d: stored hash %s is not block %d's", r.queue, r.blockHash, r.block)
	}
}

// TestForcedExitRequestsStored: the watcher stores ForcedExitRequested
// events with their queue index (shared with deposits), fields and expiry,
// a deposit's expiry too, deletes an unsealed request whose block a reorg
// removed and stores its replacement, and stops on a sealed one.
func TestForcedExitRequestsStored(t *testing.T) {
	e := newEnvCfg(t, forcedCfg)
	keys := protocoltest.Keys(14, 2)
	w, _ := e.watcher(1)
	domain := protocol.DomainState(1337, e.dep.Rollup)
	to := [20]byte{0xaa, 1}
	request := func(prev *protocol.ForcedExit, q uint64, index uint32, nonce uint32, k protocol.PrivateKey) protocol.ForcedExit {
		f := protocol.ForcedExit{QueueIndex: q, Index: index, Recipient: to, Nonce: nonce, PrevChain: protocol.TagForcedExitChain}
		if prev != nil {
			f.PrevChain = prev.Chain()
		}
		if err := f.Sign(k, domain); err != nil {
			t.Fatal(err)
		}
		return f
	}
	db := e.deposit(keys[0].Public(), 1000) // queue 0
	f1 := request(nil, 1, 1, 0, keys[0])    // queue 1: valid-looking
	e.mine(e.forcedExitTx(f1, nil))         //
	f2 := request(&f1, 2, 3, 7, keys[1])    // queue 2: another index and nonce
	orig := e.forcedExitTx(f2, nil)         //
	b2 := e.mine(orig)                      //
	e.commit(1)
	e.sync(w)
	rs := e.fxRows()
	if len(rs) != 2 {
		t.Fatalf("%d forced-exit rows, want 2", len(rs))
	}
	e.checkFx(rs[0], f1)
	e.checkFx(rs[1], f2)
	var depExpiry int64
	if err := e.pool.QueryRow(context.Background(), `SELECT expiry FROM deposits WHERE queue_index = 0`).Scan(&depExpiry); err != nil {
		t.Fatal(err)
	}
	if want := e.blockTime(db) + uint64(l1.DefaultPriorityExpiry/time.Second); uint64(depExpiry) != want {
		t.Fatalf("deposit expiry %d, want %d", depExpiry, want)
	}

	// Reorg below f2: replaced (same sender nonce) by a request for another
	// recipient; the stored row follows L1.
	if err := e.sim.Fork(e.blockHash(b2 - 1)); err != nil {
		t.Fatal(err)
	}
	to = [20]byte{0xbb, 2}
	f2b := request(&f1, 2, 2, 0, keys[1])
	e.mine(e.forcedExitTx(f2b, big.NewInt(100e9), orig.Nonce()))
	e.commit(3)
	e.sync(w)
	rs = e.fxRows()
	if len(rs) != 2 {
		t.Fatalf("%d forced-exit rows after the reorg, want 2", len(rs))
	}
	e.checkFx(rs[0], f1)
	e.checkFx(rs[1], f2b)
	if got := value(w.m.removed); got != 1 {
		t.Fatalf("removed %v, want 1 (the replaced request)", got)
	}

	// A sealed request whose block leaves the chain stops the watcher.
	ctx := context.Background()
	if _, err := e.pool.Exec(ctx, `
		INSERT INTO batches (number, config, old_root, new_root, header, pubdata, public_input, witness, deposit_start, deposit_count, tx_count)
		VALUES (1, '{}', decode(repeat('00', 32), 'hex'), decode(repeat('11', 32), 'hex'), '\x01', '\x', decode(repeat('22', 32), 'hex'), '\x00', 0, 1, 0);
		UPDATE deposits SET account_idx = 1, batch_number = 1 WHERE queue_index = 0;
		UPDATE forced_exits SET batch_number = 1, valid = false, amount = 0 WHERE queue_index <= 2`); err != nil {
		t.Fatal(err)
	}
	if err := e.sim.Fork(e.blockHash(rs[1].block - 1)); err != nil {
		t.Fatal(err)
	}
	e.commit(3)
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := w.Sync(sctx); !errors.Is(err, ErrSealedDepositReorged) {
		t.Fatalf("Sync: %v, want ErrSealedDepositReorged", err)
	}
	if n := len(e.fxRows()); n != 2 {
		t.Fatalf("sealed forced-exit rows deleted (%d rows)", n)
	}
}
