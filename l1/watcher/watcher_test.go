package watcher

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math"
	"math/big"
	"os"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/sheafrollup/sheaf/db"
	"github.com/sheafrollup/sheaf/db/pgtest"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
	"github.com/sheafrollup/sheaf/sequencer"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var testCfg = protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1}

// stubVerifier is creation code whose runtime code is one STOP byte: the
// rollup's constructor only needs code at the verifier address, and the
// watcher never submits batches.
var stubVerifier = hexutil.MustDecode("0x6001600c60003960016000f300")

var (
	ownerKey, _ = crypto.ToECDSA(common.LeftPadBytes([]byte{1}, 32))
	userKey, _  = crypto.ToECDSA(common.LeftPadBytes([]byte{3}, 32))
)

type env struct {
	t      *testing.T
	sim    *l1.SimulatedChain
	client simulated.Client
	dep    *l1.Deployment
	rollup *bindings.Rollup
	pool   *pgxpool.Pool
	url    string
}

func newEnv(t *testing.T) *env { t.Helper(); return newEnvCfg(t, testCfg) }

func newEnvCfg(t *testing.T, cfg protocol.Config) *env {
	t.Helper()
	eth := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	alloc := types.GenesisAlloc{}
	for _, k := range []*ecdsa.PrivateKey{ownerKey, userKey} {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1000), eth)}
	}
	sim := l1.NewSimulatedChain(alloc, l1.MainnetLikeGas)
	t.Cleanup(func() { sim.Close() })
	e := &env{t: t, sim: sim, client: sim.Client(), rollup: bindings.NewRollup()}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sim.Mine(10 * time.Millisecond) // Deploy waits for receipts
	dep, err := l1.Deploy(ctx, e.client, ownerKey, l1.DeployConfig{
		Circuit: cfg, VerifierBytecode: stubVerifier, ExitVerifierBytecode: l1.RefuseAllVerifier,
		Sequencer: crypto.PubkeyToAddress(ownerKey.PublicKey), FeeKey: protocoltest.Keys(99, 1)[0].Public(),
	})
	sim.StopMining()
	if err != nil {
		t.Fatal(err)
	}
	e.dep = dep
	e.url = pgtest.NewDatabase(t)
	if _, err := db.Migrate(ctx, e.url, nil); err != nil {
		t.Fatal(err)
	}
	if e.pool, err = pgxpool.New(ctx, e.url); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.pool.Close)
	return e
}

// depositTx signs (does not send) a deposit of amount wei to pk.
func (e *env) depositTx(pk protocol.PublicKey, amount int64, tip *big.Int, fixedNonce ...uint64) *types.Transaction {
	e.t.Helper()
	ctx := context.Background()
	from := crypto.PubkeyToAddress(userKey.PublicKey)
	nonce, err := e.client.PendingNonceAt(ctx, from)
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
		Gas: 200_000, To: &e.dep.Rollup, Value: big.NewInt(amount),
		Data: e.rollup.PackDeposit(protocol.FrToBig(pk.X), protocol.FrToBig(pk.Y))})
	signed, err := types.SignTx(tx, types.LatestSignerForChainID(big.NewInt(1337)), userKey)
	if err != nil {
		e.t.Fatal(err)
	}
	return signed
}

// deposit sends a deposit and mines it; it returns the block number.
func (e *env) deposit(pk protocol.PublicKey, amount int64) uint64 {
	e.t.Helper()
	return e.mine(e.depositTx(pk, amount, nil))
}

func (e *env) mine(tx *types.Transaction) uint64 {
	e.t.Helper()
	// Right after a Fork the pool may still be at the old head: wait for it.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := l1.SendAfterFork(ctx, e.client, tx); err != nil {
		e.t.Fatal(err)
	}
	e.sim.Commit()
	r, err := bind.WaitMined(context.Background(), e.client, tx.Hash())
	if err != nil {
		e.t.Fatal(err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		e.t.Fatal("deposit reverted")
	}
	return r.BlockNumber.Uint64()
}

func (e *env) commit(n int) {
	for range n {
		e.sim.Commit()
	}
}

// watcher starts a watcher that stores deposits conf blocks deep.
func (e *env) watcher(conf uint64) (*Watcher, *prometheus.Registry) {
	e.t.Helper()
	return e.watcherWith(e.client, func(c *Config) { c.Finalized, c.Confirmations = false, conf })
}

func (e *env) watcherWith(client Client, mut func(*Config)) (*Watcher, *prometheus.Registry) {
	e.t.Helper()
	reg := prometheus.NewRegistry()
	cfg := DefaultConfig
	cfg.Contract, cfg.FromBlock = e.dep.Rollup, e.dep.Block
	cfg.PollInterval = time.Hour // tests drive it with Sync
	cfg.BatchBlocks = 3          // several ranges per poll
	mut(&cfg)
	w, err := New(cfg, client, e.pool, nil, reg)
	if err != nil {
		e.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := w.Start(ctx); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { w.Stop(context.Background()) })
	return w, reg
}

func (e *env) sync(w *Watcher) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := w.Sync(ctx); err != nil {
		e.t.Fatal(err)
	}
}

type row struct {
	queue     uint64
	key       []byte
	amount    string
	block     uint64
	blockHash common.Hash
}

func (e *env) rows() []row {
	e.t.Helper()
	rs, err := e.pool.Query(context.Background(), `SELECT queue_index, pubkey, amount::text, l1_block, l1_block_hash FROM deposits ORDER BY queue_index`)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rs.Close()
	var out []row
	for rs.Next() {
		var (
			r    row
			q, b int64
			bh   []byte
		)
		if err := rs.Scan(&q, &r.key, &r.amount, &b, &bh); err != nil {
			e.t.Fatal(err)
		}
		r.queue, r.block, r.blockHash = uint64(q), uint64(b), common.BytesToHash(bh)
		out = append(out, r)
	}
	return out
}

func (e *env) blockHash(n uint64) common.Hash {
	h, err := e.client.HeaderByNumber(context.Background(), new(big.Int).SetUint64(n))
	if err != nil {
		e.t.Fatal(err)
	}
	return h.Hash()
}

func (e *env) checkRow(r row, queue uint64, pk protocol.PublicKey, amount int64) {
	e.t.Helper()
	key := pk.Bytes()
	if r.queue != queue || string(r.key) != string(key[:]) || r.amount != big.NewInt(amount).String() {
		e.t.Fatalf("row %+v, want queue %d key %x amount %d", r, queue, key, amount)
	}
	if r.blockHash != e.blockHash(r.block) {
		e.t.Fatalf("row %d: stored hash %s is not block %d's", queue, r.blockHash, r.block)
	}
}

func TestConfirmationsAndRestart(t *testing.T) {
	e := newEnv(t)
	keys := protocoltest.Keys(11, 3)
	w, reg := e.watcher(2)
	e.sync(w)
	if open, exp := value(w.m.queueOpen), value(w.m.queueExpiry); open != 0 || !math.IsInf(exp, 1) {
		t.Fatalf("empty queue: %v entries, expiry in %v s; want 0, +Inf", open, exp)
	}
	b0 := e.deposit(keys[0].Public(), 1000)
	e.sync(w)
	if n := len(e.rows()); n != 0 {
		t.Fatalf("%d rows at 0 confirmations", n)
	}
	e.commit(1)
	e.sync(w)
	if n := len(e.rows()); n != 0 {
		t.Fatalf("%d rows at 1 confirmation", n)
	}
	e.commit(1)
	e.sync(w)
	rs := e.rows()
	if len(rs) != 1 {
		t.Fatalf("%d rows at 2 confirmations, want 1", len(rs))
	}
	e.checkRow(rs[0], 0, keys[0].Public(), 1000)
	if rs[0].block != b0 {
		t.Fatalf("block %d, want %d", rs[0].block, b0)
	}
	e.deposit(keys[1].Public(), 2000)
	e.commit(2)
	e.sync(w)
	if got := value(w.m.deposits); got != 2 {
		t.Fatalf("deposits_total %v, want 2", got)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, mf := range mfs {
		names[mf.GetName()] = true
	}
	for _, n := range []string{"sheaf_watcher_head_block", "sheaf_watcher_deposits_total", "sheaf_watcher_reorgs_total", "sheaf_watcher_lag_blocks"} {
		if !names[n] {
			t.Errorf("metric %s not registered", n)
		}
	}
	if lag := value(w.m.lag); lag != 2 {
		t.Fatalf("lag %v, want 2", lag)
	}
	// Two deposits queued, none consumed: the oldest expires within the
	// deployment's priority expiry (the default, 7 days).
	if open, exp := value(w.m.queueOpen), value(w.m.queueExpiry); open != 2 || exp <= 0 || exp > l1.DefaultPriorityExpiry.Seconds() {
		t.Fatalf("queue: %v entries, oldest expires in %v s; want 2, in (0, %v]", open, exp, l1.DefaultPriorityExpiry.Seconds())
	}

	// A second watcher waits for the lock while the first runs.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	cfg := w.cfg
	w2, _ := New(cfg, e.client, e.pool, nil, nil)
	if err := w2.Start(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second watcher: %v, want it waiting on the lock", err)
	}
	cancel()

	// Restart: resumes after the cursor, stores only the new deposit.
	if err := w.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.deposit(keys[2].Public(), 3000)
	e.commit(2)
	w3, _ := e.watcher(2)
	e.sync(w3)
	rs = e.rows()
	if len(rs) != 3 {
		t.Fatalf("%d rows after restart, want 3", len(rs))
	}
	for i, r := range rs {
		e.checkRow(r, uint64(i), keys[i].Public(), int64(1000*(i+1)))
	}
	if got := value(w3.m.deposits); got != 1 {
		t.Fatalf("restarted watcher stored %v deposits, want 1", got)
	}

	// Losing the cursor rescans from the deployment block: idempotent.
	if err := w3.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(context.Background(), `DELETE FROM watcher_state`); err != nil {
		t.Fatal(err)
	}
	w4, _ := e.watcher(2)
	e.sync(w4)
	if got := value(w4.m.deposits); got != 0 || len(e.rows()) != 3 {
		t.Fatalf("rescan stored %v new deposits, %d rows", got, len(e.rows()))
	}

	// A stored row that differs from L1 stops the watcher loudly.
	if err := w4.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(context.Background(), `UPDATE deposits SET amount = 1 WHERE queue_index = 1; DELETE FROM watcher_state`); err != nil {
		t.Fatal(err)
	}
	w5, _ := e.watcher(2)
	ctx, cancel = context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w5.Sync(ctx); !errors.Is(err, ErrDepositMismatch) {
		t.Fatalf("tampered row: %v, want ErrDepositMismatch", err)
	}
	<-w5.Done()
	if !errors.Is(w5.Err(), ErrDepositMismatch) || value(w5.m.critical) != 1 {
		t.Fatalf("watcher err %v, critical %v", w5.Err(), value(w5.m.critical))
	}
}

// TestReorg: a reorg replaces the block of a stored deposit with one where
// another deposit took its queue index; the unsealed row is replaced. A
// second reorg moves that deposit to a new block: it comes back.
func TestReorg(t *testing.T) {
	e := newEnv(t)
	keys := protocoltest.Keys(12, 2)
	w, _ := e.watcher(1)
	orig := e.depositTx(keys[0].Public(), 1000, nil)
	b := e.mine(orig)
	e.commit(1)
	e.sync(w)
	rs := e.rows()
	if len(rs) != 1 {
		t.Fatalf("%d rows", len(rs))
	}
	oldHash := rs[0].blockHash

	parent := e.blockHash(b - 1)
	if err := e.sim.Fork(parent); err != nil {
		t.Fatal(err)
	}
	// Replace the deposit (same sender nonce, higher tip) with another.
	replacement := e.depositTx(keys[1].Public(), 7000, big.NewInt(100e9), orig.Nonce())
	e.mine(replacement)
	e.commit(3)
	e.sync(w)
	rs = e.rows()
	if len(rs) != 1 {
		t.Fatalf("%d rows after the reorg", len(rs))
	}
	e.checkRow(rs[0], 0, keys[1].Public(), 7000)
	if rs[0].blockHash == oldHash {
		t.Fatal("row still points at the removed block")
	}
	if got := value(w.m.reorgs); got != 1 {
		t.Fatalf("reorgs_total %v, want 1", got)
	}
	if got := value(w.m.removed); got != 1 {
		t.Fatalf("removed %v, want 1", got)
	}

	// Reorg again below the replacement's block: it is re-included.
	moved := rs[0]
	if err := e.sim.Fork(e.blockHash(moved.block - 1)); err != nil {
		t.Fatal(err)
	}
	e.commit(1) // an empty block first, so the deposit lands elsewhere
	if err := e.client.SendTransaction(context.Background(), replacement); err != nil && err.Error() != "already known" {
		t.Log("resend:", err)
	}
	e.commit(4)
	e.sync(w)
	rs = e.rows()
	if len(rs) != 1 {
		t.Fatalf("%d rows after the second reorg", len(rs))
	}
	e.checkRow(rs[0], 0, keys[1].Public(), 7000)
	if rs[0].blockHash == moved.blockHash {
		t.Fatal("re-included deposit still points at the removed block")
	}
	if got := value(w.m.reorgs); got != 2 {
		t.Fatalf("reorgs_total %v, want 2", got)
	}
}

func TestSealedDepositReorgIsCritical(t *testing.T) {
	e := newEnv(t)
	keys := protocoltest.Keys(13, 1)
	w, _ := e.watcher(0)
	b := e.deposit(keys[0].Public(), 1000)
	e.sync(w)
	ctx := context.Background()
	if _, err := e.pool.Exec(ctx, `
		INSERT INTO batches (number, config, old_root, new_root, header, pubdata, public_input, witness, deposit_start, deposit_count, tx_count)
		VALUES (1, '{}', decode(repeat('00', 32), 'hex'), decode(repeat('11', 32), 'hex'), '\x01', '\x', decode(repeat('22', 32), 'hex'), '\x00', 0, 1, 0);
		UPDATE deposits SET account_idx = 5, batch_number = 1 WHERE queue_index = 0`); err != nil {
		t.Fatal(err)
	}
	if err := e.sim.Fork(e.blockHash(b - 1)); err != nil {
		t.Fatal(err)
	}
	e.commit(3)
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := w.Sync(sctx); !errors.Is(err, ErrSealedDepositReorged) {
		t.Fatalf("Sync: %v, want ErrSealedDepositReorged", err)
	}
	<-w.Done()
	if value(w.m.critical) != 1 || !errors.Is(w.Err(), ErrSealedDepositReorged) {
		t.Fatalf("critical %v, err %v", value(w.m.critical), w.Err())
	}
	if n := len(e.rows()); n != 1 {
		t.Fatalf("sealed deposit row deleted (%d rows)", n)
	}
}

// TestSequencerReadsWatcherRows: the sequencer applies what the watcher
// stores (the pubkey column is the 32-byte compressed key).
func TestSequencerReadsWatcherRows(t *testing.T) {
	e := newEnv(t)
	keys := protocoltest.Keys(14, 2)
	w, _ := e.watcher(0)
	e.deposit(keys[0].Public(), 1000)
	e.deposit(keys[1].Public(), 2500)
	e.sync(w)
	cfg := sequencer.DefaultConfig
	cfg.Circuit, cfg.ChainID, cfg.Contract = testCfg, 1337, e.dep.Rollup
	cfg.Rollup = l1.NewReader(e.client, e.dep.Rollup, e.dep.Block, l1.Finality{})
	cfg.PollInterval = 20 * time.Millisecond
	seq, err := sequencer.New(cfg, e.pool, nil, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := seq.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer seq.Stop(context.Background())
	for i, want := range []string{"1000", "2500"} {
		var idx uint32
		for {
			if idx, err = seq.AccountIndex(ctx, keys[i].Public()); err == nil {
				break
			}
			if ctx.Err() != nil {
				t.Fatalf("deposit %d never reached the sequencer: %v", i, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
		info, err := seq.Account(ctx, idx)
		if err != nil {
			t.Fatal(err)
		}
		if string(info.Pending.Balance) != want {
			t.Fatalf("account %d pending balance %s, want %s", idx, info.Pending.Balance, want)
		}
	}
}

// TestStopsWhenSessionLost: PostgreSQL crashes under a running watcher.
// The lock went with the session, so within a poll the watcher stops with
// an error (a supervisor restarts it) and is no longer ready; a new one
// takes the lock once PostgreSQL is back and goes on.
func TestStopsWhenSessionLost(t *testing.T) {
	cl := pgtest.Cluster()
	if cl == nil {
		t.Skip("tests run against SHEAF_TEST_DATABASE_URL: cannot restart it")
	}
	e := newEnv(t)
	keys := protocoltest.Keys(17, 2)
	w, _ := e.watcherWith(e.client, func(c *Config) {
		c.Finalized, c.Confirmations, c.PollInterval = false, 0, 20*time.Millisecond
	})
	e.deposit(keys[0].Public(), 1000)
	e.sync(w)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := cl.Crash(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case <-w.Done():
	case <-ctx.Done():
		t.Fatal("the watcher runs on without its database session")
	}
	if w.Err() == nil || w.Ready() {
		t.Fatalf("stopped watcher: err %v, ready %v", w.Err(), w.Ready())
	}
	if err := cl.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	w2, _ := e.watcher(0)
	e.deposit(keys[1].Public(), 2000)
	e.sync(w2)
	if n := len(e.rows()); n != 2 {
		t.Fatalf("%d rows after the restart, want 2", n)
	}
}

// noFinalized is a node that does not know the finalized tag.
type noFinalized struct{ Client }

type tagError struct{}

func (tagError) Error() string  { return "invalid block number: finalized" }
func (tagError) ErrorCode() int { return -32602 }

func (c noFinalized) HeaderByNumber(ctx context.Context, n *big.Int) (*types.Header, error) {
	if n != nil && n.Sign() < 0 {
		return nil, tagError{}
	}
	return c.Client.HeaderByNumber(ctx, n)
}

// TestFinalizedByDefault: by default a deposit is stored only once the
// node reports its block finalized (the simulated chain finalizes in
// 32-block epochs); a node without the finalized tag is followed at the
// fallback depth instead.
func TestFinalizedByDefault(t *testing.T) {
	e := newEnv(t)
	keys := protocoltest.Keys(15, 1)
	w, _ := e.watcherWith(e.client, func(*Config) {})
	if !w.finalized {
		t.Fatal("the simulated chain serves a finalized block, but the watcher does not follow it")
	}
	b := e.deposit(keys[0].Public(), 1000)
	finalized := func() uint64 {
		h, err := e.client.HeaderByNumber(context.Background(), finalizedTag)
		if err != nil {
			t.Fatal(err)
		}
		return h.Number.Uint64()
	}
	for finalized() < b {
		e.sync(w)
		if n := len(e.rows()); n != 0 {
			t.Fatalf("deposit of block %d stored with the finalized block at %d", b, finalized())
		}
		e.commit(1)
	}
	e.sync(w)
	if rs := e.rows(); len(rs) != 1 || rs[0].block != b {
		t.Fatalf("rows %+v once block %d is finalized (finalized: %d)", rs, b, finalized())
	}
	if err := w.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}

	// Without the tag: FallbackConfirmations deep.
	w2, _ := e.watcherWith(noFinalized{e.client}, func(c *Config) { c.Confirmations = 3 })
	if w2.finalized {
		t.Fatal("follows a finalized block the node does not serve")
	}
	b2 := e.deposit(protocoltest.Keys(16, 1)[0].Public(), 2000)
	e.commit(2)
	e.sync(w2)
	if n := len(e.rows()); n != 1 {
		t.Fatalf("%d rows at 2 confirmations of 3", n)
	}
	e.commit(1)
	e.sync(w2)
	if rs := e.rows(); len(rs) != 2 || rs[1].block != b2 {
		t.Fatalf("rows %+v at 3 confirmations", rs)
	}
}

func value(c prometheus.Metric) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		panic(err)
	}
	if m.Gauge != nil {
		return m.Gauge.GetValue()
	}
	return m.Counter.GetValue()
}
