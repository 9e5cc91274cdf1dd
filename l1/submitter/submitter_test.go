package submitter

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/constraint"
	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/sheafrollup/sheaf/circuits"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/db"
	"github.com/sheafrollup/sheaf/db/pgtest"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var testCfg = protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1}

const (
	simChainID     = 1337
	genesisKeys    = 4
	genesisBalance = 1_000_000_000
	depositAmount  = 1_000_000
)

var (
	ownerKey = mustKey("0x01")
	seqKey   = mustKey("0x02")
	userKey  = mustKey("0x03")
	seqAddr  = crypto.PubkeyToAddress(seqKey.PublicKey)
	// The rollup is the owner's third creation (after the two verifiers) on
	// every test chain, so the batches are proved once.
	rollupAddr = crypto.CreateAddress(crypto.PubkeyToAddress(ownerKey.PublicKey), 2)
	// An auto deployment's rollup comes after three verifiers (the blob
	// twin's too).
	autoRollupAddr = crypto.CreateAddress(crypto.PubkeyToAddress(ownerKey.PublicKey), 3)
)

// rollupAddrFor is where Deploy puts the rollup of circuit configuration c
// on a test chain.
func rollupAddrFor(c protocol.Config) common.Address {
	if c.Auto() {
		return autoRollupAddr
	}
	return rollupAddr
}

func mustKey(h string) *ecdsa.PrivateKey {
	k, err := crypto.ToECDSA(common.LeftPadBytes(hexutil.MustDecode(h), 32))
	if err != nil {
		panic(err)
	}
	return k
}

// fixture: the verifier, the genesis, and two proven batches as the prover
// stores them.
type fixture struct {
	verifier    []byte
	genesisRoot [32]byte
	nextIndex   uint32
	deposit     protocol.PublicKey
	feeKey      protocol.PublicKey // account 1 of the genesis world
	batches     []*protocol.Batch
	witnesses   [][]byte
	proofs      [][]byte
}

var (
	fxOnce sync.Once
	fx     *fixture
	fxErr  error
)

func genesisWorld(contract common.Address) (*protocoltest.World, error) {
	w0, err := protocoltest.NewWorld(testCfg, genesisKeys, genesisBalance)
	if err != nil {
		return nil, err
	}
	var accs []protocol.Account
	for i := 1; i <= w0.State.NumAccounts(); i++ {
		a, _ := w0.State.Account(uint32(i))
		accs = append(accs, a)
	}
	st, err := protocol.LoadState(testCfg, simChainID, contract, accs, 0, 0)
	if err != nil {
		return nil, err
	}
	return &protocoltest.World{State: st, Keys: w0.Keys}, nil
}

func buildFixture() (*fixture, error) {
	ctx := context.Background()
	ccs, err := circuits.Compile(testCfg)
	if err != nil {
		return nil, err
	}
	set, err := keys.Cached(ctx, testCfg, ccs, keys.SetupOptions{})
	if err != nil {
		return nil, err
	}
	f := &fixture{}
	if f.verifier, err = l1.CompileVerifier(ctx, set.VK); err != nil {
		return nil, err
	}
	w, err := genesisWorld(rollupAddr)
	if err != nil {
		return nil, err
	}
	root := w.State.Root()
	f.genesisRoot = root.Bytes()
	f.nextIndex = uint32(w.State.NumAccounts() + 1)
	f.feeKey = w.Keys[0].Public()
	// Batch 1: a deposit, two transfers, a withdrawal; batch 2: one transfer.
	fresh := protocoltest.Keys(7, 1)[0]
	f.deposit = fresh.Public()
	in1 := protocol.BatchInput{FeeAccount: 1}
	in1.Deposits = append(in1.Deposits, w.QueueDeposit(fresh.Public(), depositAmount))
	in1.Transfers = append(in1.Transfers, w.Transfer(2, 3, 1200, 10, 0), w.Transfer(3, 4, 500, 20, 0))
	in1.Withdrawals = append(in1.Withdrawals, w.Withdrawal(4, crypto.PubkeyToAddress(userKey.PublicKey), 5000, 30, 0))
	in2 := protocol.BatchInput{FeeAccount: 1}
	for _, in := range []*protocol.BatchInput{&in1, &in2} {
		if in == &in2 {
			in2.Transfers = append(in2.Transfers, w.Transfer(2, 3, 100, 1, 0))
		}
		b, err := w.State.ApplyBatch(*in)
		if err != nil {
			return nil, err
		}
		wit, err := circuits.Witness(b)
		if err != nil {
			return nil, err
		}
		wb, err := wit.MarshalBinary()
		if err != nil {
			return nil, err
		}
		p, err := groth16.Prove(ccs, set.PK, wit, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
		if err != nil {
			return nil, err
		}
		f.batches = append(f.batches, b)
		f.witnesses = append(f.witnesses, wb)
		f.proofs = append(f.proofs, p.(interface{ MarshalSolidity() []byte }).MarshalSolidity())
	}
	var _ constraint.ConstraintSystem = ccs
	return f, nil
}

func getFixture(t *testing.T) *fixture {
	t.Helper()
	if testing.Short() {
		t.Skip("compiles the circuit and proves batches: skipped in -short")
	}
	fxOnce.Do(func() {
		start := time.Now()
		fx, fxErr = buildFixture()
		t.Logf("fixture: circuit, keys, verifier and two proofs in %v", time.Since(start).Round(time.Millisecond))
	})
	if fxErr != nil {
		t.Fatal(fxErr)
	}
	return fx
}

// env: a simulated chain with the rollup deployed and batch 1's deposit
// queued, a migrated database, and a background miner.
type env struct {
	t      *testing.T
	f      *fixture
	sim    *l1.SimulatedChain
	miner  *l1.Miner
	client simulated.Client
	pool   *pgxpool.Pool
	// clock, when set, times the submitters' stuck transactions: frozen, a
	// pending transaction never turns stuck because the machine is slow to
	// mine it (the tests that want a stuck one advance it).
	clock *manualClock
	// contract the batches go to, and the key that signs them (the rollup
	// and the sequencer key, or in blob mode the rollup and the blob key).
	contract common.Address
	key      *ecdsa.PrivateKey
}

// manualClock is a clock that moves only when told.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func newManualClock() *manualClock { return &manualClock{t: time.Unix(1_700_000_000, 0)} }

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newEnv(t *testing.T) *env {
	t.Helper()
	f := getFixture(t)
	root := f.genesisRoot
	e := newChainEnv(t, seqKey, l1.DeployConfig{
		Circuit: testCfg, VerifierBytecode: f.verifier, ExitVerifierBytecode: l1.RefuseAllVerifier, GenesisRoot: &root, GenesisNextIndex: f.nextIndex,
		FeeKey: f.feeKey, Sequencer: seqAddr,
	}, f.deposit)
	e.f = f
	return e
}

// warmKZG sets up go-ethereum's KZG context (its trusted setup and
// tables), which happens once per process on first use: 15 s and more
// under the race detector on a loaded machine, outside any behaviour a
// test waits for.
var warmKZG = sync.OnceFunc(func() {
	if _, err := kzg4844.BlobToCommitment(new(kzg4844.Blob)); err != nil {
		panic(err)
	}
})

// newChainEnv: a simulated chain funding the owner, the sender and the
// user; the rollup deployed with dc (its deposit cap 1 ETH) at rollupAddr,
// where the fixtures' batches were built for; a deposit of depositAmount
// to key queued; a migrated database and a background miner. The
// submitter signs with sender.
func newChainEnv(t *testing.T, sender *ecdsa.PrivateKey, dc l1.DeployConfig, key protocol.PublicKey) *env {
	t.Helper()
	if dc.Circuit.Blob() || dc.Circuit.Auto() {
		warmKZG()
	}
	eth := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	alloc := types.GenesisAlloc{}
	for _, k := range []*ecdsa.PrivateKey{ownerKey, sender, userKey} {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1000), eth)}
	}
	sim := l1.NewSimulatedChain(alloc, l1.MainnetLikeGas)
	t.Cleanup(func() { sim.Close() }) // stops the miner first
	e := &env{t: t, sim: sim, client: sim.Client(), miner: sim.Mine(25 * time.Millisecond), contract: rollupAddrFor(dc.Circuit), key: sender}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dc.DepositCap = eth
	dep, err := l1.Deploy(ctx, e.client, ownerKey, dc)
	if err != nil {
		t.Fatal(err)
	}
	if want := rollupAddrFor(dc.Circuit); dep.Rollup != want {
		t.Fatalf("rollup at %s, batches built for %s", dep.Rollup, want)
	}
	rollup := bindings.NewRollup()
	opts := bind.NewKeyedTransactor(userKey, big.NewInt(simChainID))
	opts.Value = big.NewInt(depositAmount)
	tx, err := bind.Transact(rollup.Instance(e.client, e.contract), opts,
		rollup.PackDeposit(protocol.FrToBig(key.X), protocol.FrToBig(key.Y)))
	if err != nil {
		t.Fatal(err)
	}
	if r, err := bind.WaitMined(ctx, e.client, tx.Hash()); err != nil || r.Status != 1 {
		t.Fatalf("deposit: %v", err)
	}

	e.migrate(ctx)
	return e
}

// migrate gives the env a fresh, migrated database.
func (e *env) migrate(ctx context.Context) {
	e.t.Helper()
	url := pgtest.NewDatabase(e.t)
	if _, err := db.Migrate(ctx, url, nil); err != nil {
		e.t.Fatal(err)
	}
	var err error
	if e.pool, err = pgxpool.New(context.Background(), url); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(e.pool.Close)
}

// pause stops the miner and returns once no block is being sealed.
func (e *env) pause() { e.miner.Pause() }

// insertBatch stores batch i (0-based) as the prover leaves it: proven.
func (e *env) insertBatch(i int) {
	e.t.Helper()
	b := e.f.batches[i]
	cfg, _ := json.Marshal(testCfg)
	pi := b.PublicInput()
	piBytes := pi.Bytes()
	old, nw := b.Header.OldRoot.Bytes(), b.Header.NewRoot.Bytes()
	_, err := e.pool.Exec(context.Background(), `INSERT INTO batches (number, config, old_root, new_root, header, pubdata,
		public_input, witness, deposit_start, deposit_count, tx_count, status, proof, proven_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'proven', $12, now())`,
		int64(b.Header.Number), cfg, old[:], nw[:], b.Header.Bytes(), b.Pubdata, piBytes[:], e.f.witnesses[i],
		int64(b.Header.DepositStart), len(b.Deposits), len(b.Transfers)+len(b.Withdrawals), e.f.proofs[i])
	if err != nil {
		e.t.Fatal(err)
	}
}

func testConfig() Config {
	c := DefaultConfig
	c.Contract, c.ChainID = rollupAddr, simChainID
	c.Confirmations = 3
	c.PollInterval = 20 * time.Millisecond
	c.ResubmitAfter = 300 * time.Millisecond
	c.MaxFeeCap = big.NewInt(1_000_000_000_000)
	return c
}

type tlog struct{ t *testing.T }

func (w tlog) Write(p []byte) (int, error) { w.t.Log(strings.TrimSpace(string(p))); return len(p), nil }

func (e *env) start(cfg Config, c Client, hook func(int64, common.Hash) error) (*Submitter, *prometheus.Registry) {
	e.t.Helper()
	reg := prometheus.NewRegistry()
	log := slog.New(slog.NewTextHandler(tlog{e.t}, nil))
	var (
		s   *Submitter
		err error
	)
	if cfg.Auto() {
		s, err = NewWithKeys(cfg, e.pool, c, autoKeys, log, reg)
	} else {
		s, err = New(cfg, e.pool, c, e.key, log, reg)
	}
	if err != nil {
		e.t.Fatal(err)
	}
	s.afterSend = hook
	if e.clock != nil {
		s.now = e.clock.Now
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.Start(ctx); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { _ = s.Stop(context.Background()) })
	return s, reg
}

func (e *env) waitFor(what string, cond func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(40 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			e.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// dropSent waits until batch's transaction is sent, then empties the
// node's pool until the node no longer knows it: a node that lost it.
func (e *env) dropSent(batch int) {
	e.t.Helper()
	e.waitFor(fmt.Sprintf("batch %d sent", batch), func() bool {
		return e.count(`SELECT count(*) FROM l1_submissions WHERE batch_number = $1 AND status = 'sent'`, batch) == 1
	})
	var hash []byte
	_ = e.pool.QueryRow(context.Background(), `SELECT tx_hash FROM l1_submissions WHERE batch_number = $1`, batch).Scan(&hash)
	e.waitFor(fmt.Sprintf("batch %d's transaction out of the pool", batch), func() bool {
		e.sim.Rollback()
		_, _, err := e.client.TransactionByHash(context.Background(), common.BytesToHash(hash))
		return errors.Is(err, ethereum.NotFound)
	})
}

func (e *env) count(sql string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *env) batchStatus(n int) string {
	var s string
	_ = e.pool.QueryRow(context.Background(), `SELECT status FROM batches WHERE number = $1`, n).Scan(&s)
	return s
}

// checkFinal waits until every batch is finalized, lets the submitter run
// a little longer, and checks the invariants: each batch finalized once
// (one finalized submission, the contract at the next batch), and the
// nonces of the key used without gap or reuse across batches.
func (e *env) checkFinal(nBatches int) {
	e.t.Helper()
	e.miner.Resume()
	e.waitFor("every batch finalized", func() bool {
		return e.count(`SELECT count(*) FROM batches WHERE status = 'finalized'`) == nBatches
	})
	time.Sleep(200 * time.Millisecond)
	ctx := context.Background()
	if n := e.count(`SELECT count(*) FROM batches WHERE status = 'finalized' AND submitted_at IS NOT NULL AND finalized_at IS NOT NULL`); n != nBatches {
		e.t.Fatalf("%d batches finalized with times, want %d", n, nBatches)
	}
	for b := 1; b <= nBatches; b++ {
		if n := e.count(`SELECT count(*) FROM l1_submissions WHERE batch_number = $1 AND status = 'finalized'`, b); n != 1 {
			e.t.Fatalf("batch %d has %d finalized submissions, want 1", b, n)
		}
	}
	if n := e.count(`SELECT count(*) FROM l1_submissions WHERE status IN ('created', 'sent', 'included')`); n != 0 {
		e.t.Fatalf("%d submissions still open", n)
	}
	r := bindings.NewRollup()
	out, err := e.client.CallContract(ctx, ethereum.CallMsg{To: &e.contract, Data: r.PackNextBatch()}, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	if next, _ := r.UnpackNextBatch(out); next != uint64(nBatches+1) {
		e.t.Fatalf("contract's next batch is %d, want %d", next, nBatches+1)
	}
	if n := e.count(`SELECT count(*) FROM (SELECT sender, nonce FROM l1_submissions GROUP BY sender, nonce HAVING count(DISTINCT batch_number) > 1) x`); n != 0 {
		e.t.Fatalf("%d nonces used for more than one batch", n)
	}
	if n := e.count(`SELECT count(*) FROM l1_submissions WHERE sender IS NULL`); n != 0 {
		e.t.Fatalf("%d submissions without a sender", n)
	}
	// Per sender, spent nonces: finalized ones and reverted (dropped with a
	// block) ones, without gap or reuse, as many as the key's nonce on chain.
	srows, err := e.pool.Query(ctx, `SELECT DISTINCT sender FROM l1_submissions`)
	if err != nil {
		e.t.Fatal(err)
	}
	senders, err := pgx.CollectRows(srows, pgx.RowTo[[]byte])
	if err != nil {
		e.t.Fatal(err)
	}
	for _, sender := range senders {
		rows, err := e.pool.Query(ctx, `SELECT nonce FROM l1_submissions
			WHERE sender = $1 AND (status = 'finalized' OR (status = 'dropped' AND included_block IS NOT NULL)) ORDER BY nonce`, sender)
		if err != nil {
			e.t.Fatal(err)
		}
		spent, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			e.t.Fatal(err)
		}
		for i, n := range spent {
			if n != int64(i) {
				e.t.Fatalf("sender %x: spent nonces %v: gap or reuse", sender, spent)
			}
		}
		chainNonce, err := e.client.NonceAt(ctx, common.BytesToAddress(sender), nil)
		if err != nil {
			e.t.Fatal(err)
		}
		if chainNonce != uint64(len(spent)) {
			e.t.Fatalf("sender %x: nonce on chain is %d, the database records %d spent nonces", sender, chainNonce, len(spent))
		}
	}
	grows, _ := e.pool.Query(ctx, `SELECT batch_number, sender, nonce, gas_used, gas_tip_cap::text, gas_fee_cap::text, status FROM l1_submissions ORDER BY id`)
	for grows.Next() {
		var (
			b, n     int64
			sender   []byte
			gas      *int64
			tip, cap string
			st       string
		)
		_ = grows.Scan(&b, &sender, &n, &gas, &tip, &cap, &st)
		g := int64(-1)
		if gas != nil {
			g = *gas
		}
		e.t.Logf("submission: batch %d sender %x nonce %d status %s gas_used %d tip %s fee_cap %s", b, sender, n, st, g, tip, cap)
	}
}

func TestSubmitsInOrderAndFinalizes(t *testing.T) {
	e := newEnv(t)
	e.clock = newManualClock() // nothing is ever stuck: no fee bump may happen
	e.insertBatch(0)
	e.insertBatch(1)
	s, reg := e.start(testConfig(), e.client, nil)
	e.checkFinal(2)
	var first, second time.Time
	_ = e.pool.QueryRow(context.Background(), `SELECT (SELECT submitted_at FROM batches WHERE number = 1), (SELECT submitted_at FROM batches WHERE number = 2)`).Scan(&first, &second)
	if !first.Before(second) {
		t.Fatalf("batch 2 submitted at %v, before batch 1 at %v", second, first)
	}
	if v := value(s.m.gasPaid); v <= 0 {
		t.Fatalf("gas paid %v", v)
	}
	if v := value(s.m.balance.WithLabelValues("calldata")); v <= 0 {
		t.Fatalf("balance gauge %v", v)
	}
	var h dto.Metric
	if err := s.m.finalizeTime.Write(&h); err != nil || h.GetHistogram().GetSampleCount() != 2 {
		t.Fatalf("proven-to-finalized histogram has %d samples (%v), want 2", h.GetHistogram().GetSampleCount(), err)
	}
	if mfs, err := reg.Gather(); err != nil || len(mfs) < 5 {
		t.Fatalf("registry: %d families, %v", len(mfs), err)
	}
	if v := value(s.m.feeBumps); v != 0 {
		t.Fatalf("%v fee bumps without a spike", v)
	}
}

// (a) The node drops the sent transaction: it is re-broadcast unchanged.
func TestDroppedTransaction(t *testing.T) {
	e := newEnv(t)
	e.clock = newManualClock()
	e.pause()
	e.insertBatch(0)
	e.insertBatch(1)
	s, _ := e.start(testConfig(), e.client, nil)
	e.dropSent(1)
	// Now it is overdue: the submitter finds the node lost it.
	e.clock.Advance(testConfig().ResubmitAfter)
	e.checkFinal(2)
	if n := e.count(`SELECT count(*) FROM l1_submissions WHERE batch_number = 1`); n != 1 {
		t.Fatalf("batch 1 has %d submissions; the dropped one should have been re-broadcast as it was", n)
	}
	if v := value(s.m.rebroadcasts); v < 1 {
		t.Fatalf("%v rebroadcasts", v)
	}
}

// faultyClient lies: a too-low tip suggestion (a fee spike the first
// transaction does not survive), or a too-low gas estimate (out of gas).
type faultyClient struct {
	Client
	lowTips      atomic.Int32
	lowEstimates atomic.Int32
	blobBaseFee  atomic.Pointer[big.Int]
	// receiptLag and logLag: receipts and logs of a block are served only
	// once the head is that many blocks past it, while nonces are current
	// at once (anvil right after mining, a lagging transaction index).
	receiptLag, logLag atomic.Uint64
}

func (c *faultyClient) TransactionReceipt(ctx context.Context, hash common.Hash) (*types.Receipt, error) {
	rc, err := c.Client.TransactionReceipt(ctx, hash)
	if err != nil || c.receiptLag.Load() == 0 {
		return rc, err
	}
	head, err := c.Client.BlockNumber(ctx)
	if err != nil {
		return nil, err
	}
	if head < rc.BlockNumber.Uint64()+c.receiptLag.Load() {
		return nil, ethereum.NotFound
	}
	return rc, nil
}

func (c *faultyClient) FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	logs, err := c.Client.FilterLogs(ctx, q)
	if err != nil || c.logLag.Load() == 0 {
		return logs, err
	}
	head, err := c.Client.BlockNumber(ctx)
	if err != nil {
		return nil, err
	}
	var served []types.Log
	for _, l := range logs {
		if l.BlockNumber+c.logLag.Load() <= head {
			served = append(served, l)
		}
	}
	return served, nil
}

func (c *faultyClient) SuggestGasTipCap(ctx context.Context) (*big.Int, error) {
	if c.lowTips.Add(-1) >= 0 {
		return big.NewInt(1000), nil // below the miner's 0.001 gwei minimum: never mined
	}
	return c.Client.SuggestGasTipCap(ctx)
}

// BlobBaseFee reads the node's, or a raised one while blobBaseFee is set
// (the blob base fee rising while a transaction waits).
func (c *faultyClient) BlobBaseFee(ctx context.Context) (*big.Int, error) {
	if v := c.blobBaseFee.Load(); v != nil {
		return new(big.Int).Set(v), nil
	}
	return c.Client.(BlobClient).BlobBaseFee(ctx)
}

func (c *faultyClient) EstimateGas(ctx context.Context, msg ethereum.CallMsg) (uint64, error) {
	g, err := c.Client.EstimateGas(ctx, msg)
	if err == nil && c.lowEstimates.Add(-1) >= 0 {
		return 150_000, nil // enough for calldata, not for the proof check
	}
	return g, err
}

// (b) A fee spike: the first transaction's tip is too low to be mined; a
// replacement with at least +FeeBumpPercent lands.
func TestFeeSpikeBump(t *testing.T) {
	e := newEnv(t)
	e.insertBatch(0)
	e.insertBatch(1)
	c := &faultyClient{Client: e.client}
	c.lowTips.Store(1)
	cfg := testConfig()
	s, _ := e.start(cfg, c, nil)
	e.checkFinal(2)
	if v := value(s.m.feeBumps); v < 1 {
		t.Fatalf("%v fee bumps", v)
	}
	rows, err := e.pool.Query(context.Background(), `SELECT gas_tip_cap::text, gas_fee_cap::text, status, nonce FROM l1_submissions
		WHERE batch_number = 1 ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var prevTip, prevCap *big.Int
	var n int
	for rows.Next() {
		var tipS, capS, st string
		var nonce int64
		if err := rows.Scan(&tipS, &capS, &st, &nonce); err != nil {
			t.Fatal(err)
		}
		tip, _ := new(big.Int).SetString(tipS, 10)
		fc, _ := new(big.Int).SetString(capS, 10)
		if prevTip != nil {
			if tip.Cmp(bumped(prevTip, 10)) < 0 || fc.Cmp(bumped(prevCap, 10)) < 0 {
				t.Fatalf("replacement fees %s/%s not +10%% over %s/%s", tip, fc, prevTip, prevCap)
			}
		}
		if nonce != 0 {
			t.Fatalf("batch 1 submission with nonce %d", nonce)
		}
		prevTip, prevCap = tip, fc
		n++
	}
	if n < 2 {
		t.Fatalf("batch 1 has %d submissions, want a replacement", n)
	}
}

// An out-of-gas receipt is not retried unchanged: the batch is estimated
// again with a larger margin and lands with a fresh nonce.
func TestOutOfGasNotRetriedUnchanged(t *testing.T) {
	e := newEnv(t)
	e.clock = newManualClock()
	e.insertBatch(0)
	c := &faultyClient{Client: e.client}
	c.lowEstimates.Store(1)
	s, _ := e.start(testConfig(), c, nil)
	e.checkFinal(1)
	if v := value(s.m.reverts); v != 1 {
		t.Fatalf("%v reverts, want 1", v)
	}
	if n := e.count(`SELECT count(*) FROM l1_submissions WHERE status = 'dropped' AND gas_used IS NOT NULL`); n != 1 {
		t.Fatalf("%d reverted submissions recorded, want 1", n)
	}
}

// A node that reports a block's nonces before it serves the block's
// receipts (what failed TestEndToEndAuto on anvil): our own mined
// transaction is not taken for a foreign one. With the batch's event
// served, the submitter waits for the receipt however long it lags; with
// the event lagging too, the nonce must stay receipt-less for
// foreignNonceBlocks blocks first. Should both lag longer than that, the
// row is taken for a foreign nonce's, and the batch, found on chain once
// its event and receipt are served, is recorded from that transaction:
// every batch is still finalized exactly once.
func TestReceiptLagIsNotForeignNonce(t *testing.T) {
	for _, tc := range []struct {
		name               string
		receiptLag, logLag uint64
		foreign            bool // the wait runs out: taken for foreign nonces
	}{
		{"receipts lag, events served", 2 * foreignNonceBlocks, 0, false},
		{"receipts and events lag", foreignNonceBlocks - 1, foreignNonceBlocks - 1, false},
		{"both lag past the wait", foreignNonceBlocks + 3, foreignNonceBlocks + 3, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.clock = newManualClock()
			e.insertBatch(0)
			e.insertBatch(1)
			c := &faultyClient{Client: e.client}
			c.receiptLag.Store(tc.receiptLag)
			c.logLag.Store(tc.logLag)
			s, _ := e.start(testConfig(), c, nil)
			e.checkFinal(2)
			if v := value(s.m.foreignNonces); (v > 0) != tc.foreign {
				t.Fatalf("%v nonces counted as used outside the submitter", v)
			}
			if tc.foreign {
				// Recorded from the very transactions taken for foreign.
				if n := e.count(`SELECT count(*) FROM l1_submissions WHERE status = 'finalized' AND nonce < 2`); n != 2 {
					t.Fatalf("%d batches finalized by their first transactions (nonces 0 and 1), want 2", n)
				}
				return
			}
			if n := e.count(`SELECT count(*) FROM l1_submissions WHERE status <> 'finalized'`); n != 0 {
				t.Fatalf("%d submissions not finalized: a mined transaction of ours was dropped", n)
			}
		})
	}
}

// The key signs a transaction outside the submitter with the nonce of a
// sent batch transaction, and that one is mined instead: the batch's rows
// for the nonce become 'dropped' (never mined), the batch goes out with
// the next nonce and is finalized once, and the metric counts it.
func TestNonceUsedOutside(t *testing.T) {
	e := newEnv(t)
	e.clock = newManualClock()
	e.pause()
	e.insertBatch(0)
	s, _ := e.start(testConfig(), e.client, nil)
	e.dropSent(1)
	ctx := context.Background()
	head, err := e.client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	to := crypto.PubkeyToAddress(userKey.PublicKey)
	fee := new(big.Int).Mul(head.BaseFee, big.NewInt(4))
	foreign, err := types.SignNewTx(e.key, types.LatestSignerForChainID(big.NewInt(simChainID)), &types.DynamicFeeTx{
		ChainID: big.NewInt(simChainID), Nonce: 0, GasTipCap: big.NewInt(1_000_000_000), GasFeeCap: fee.Add(fee, big.NewInt(1_000_000_000)),
		Gas: 21_000, To: &to, Value: big.NewInt(1)})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.client.SendTransaction(ctx, foreign); err != nil {
		t.Fatal(err)
	}
	e.miner.Resume()
	e.waitFor("batch 1 finalized", func() bool { return e.batchStatus(1) == "finalized" })
	if n := e.count(`SELECT count(*) FROM l1_submissions WHERE batch_number = 1 AND nonce = 0 AND status = 'dropped' AND included_block IS NULL`); n != 1 {
		t.Fatalf("%d dropped never-mined submissions of nonce 0, want 1", n)
	}
	if n := e.count(`SELECT count(*) FROM l1_submissions WHERE batch_number = 1 AND nonce = 1 AND status = 'finalized'`); n != 1 {
		t.Fatalf("%d finalized submissions of batch 1 with nonce 1, want 1", n)
	}
	if v := value(s.m.foreignNonces); v != 1 {
		t.Fatalf("%v nonces counted as used outside the submitter, want 1", v)
	}
	if n, err := e.client.NonceAt(ctx, crypto.PubkeyToAddress(e.key.PublicKey), nil); err != nil || n != 2 {
		t.Fatalf("key's nonce on chain %d (%v), want 2: the foreign transaction and the batch", n, err)
	}
}

// (c) A reorg removes the block that included batch 1: the batch goes back
// to proven and is sent again with the same nonce.
func TestReorg(t *testing.T) {
	e := newEnv(t)
	e.insertBatch(0)
	cfg := testConfig()
	cfg.Confirmations = 20
	s, _ := e.start(cfg, e.client, nil)
	e.waitFor("batch 1 included", func() bool { return e.batchStatus(1) == "submitted" })
	e.pause()
	ctx := context.Background()
	var block int64
	var hash []byte
	_ = e.pool.QueryRow(ctx, `SELECT included_block, tx_hash FROM l1_submissions WHERE status = 'included'`).Scan(&block, &hash)
	head, _ := e.client.BlockNumber(ctx)
	parent, err := e.client.HeaderByNumber(ctx, big.NewInt(block-1))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.sim.Fork(parent.Hash()); err != nil {
		t.Fatal(err)
	}
	// The pool moves to the forked head in the background and re-injects
	// the orphaned transaction; wait for that, then lose it: the batch
	// must be re-sent. The submitter may see the reorg first and replace
	// the orphan at the same nonce, so any of batch 1's transactions
	// pending means the pool has moved.
	e.waitFor("batch 1's transaction back in the pool", func() bool {
		rows, err := e.pool.Query(ctx, `SELECT tx_hash FROM l1_submissions WHERE batch_number = 1`)
		if err != nil {
			t.Fatal(err)
		}
		hashes, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hashes {
			if _, pending, err := e.client.TransactionByHash(ctx, common.BytesToHash(h)); err == nil && pending {
				return true
			}
		}
		return false
	})
	e.sim.Rollback()
	for i := uint64(0); i < head-uint64(block)+2; i++ {
		e.sim.Commit()
	}
	e.waitFor("the reorg seen", func() bool {
		return e.count(`SELECT count(*) FROM l1_submissions WHERE status = 'reorged'`) >= 1
	})
	e.insertBatch(1)
	e.checkFinal(2)
	if v := value(s.m.reorgs); v < 1 {
		t.Fatalf("%v reorgs counted", v)
	}
	if n := e.count(`SELECT count(DISTINCT nonce) FROM l1_submissions WHERE batch_number = 1`); n != 1 {
		t.Fatalf("batch 1 used %d nonces, want its one nonce again", n)
	}
}

var errKilled = errors.New("killed by the test")

// (d) Submitters killed after sending and before recording: the first
// one's transaction is mined meanwhile (the next finds its receipt), the
// second one's is not (the next re-sends the same bytes).
func TestKilledAfterSend(t *testing.T) {
	e := newEnv(t)
	e.clock = newManualClock() // exactly one transaction per batch: none may be bumped
	e.pause()
	e.insertBatch(0)
	e.insertBatch(1)
	kill := func(batch int64) func(int64, common.Hash) error {
		return func(b int64, _ common.Hash) error {
			if b == batch {
				return errKilled
			}
			return nil
		}
	}
	s1, _ := e.start(testConfig(), e.client, kill(1))
	<-s1.Done()
	if !errors.Is(s1.Err(), errKilled) {
		t.Fatalf("first submitter: %v", s1.Err())
	}
	if n := e.count(`SELECT count(*) FROM l1_submissions WHERE status = 'created'`); n != 1 {
		t.Fatalf("%d created submissions after the kill, want 1", n)
	}
	e.sim.Commit() // batch 1's transaction is mined while no submitter runs
	s2, _ := e.start(testConfig(), e.client, kill(2))
	<-s2.Done()
	if !errors.Is(s2.Err(), errKilled) {
		t.Fatalf("second submitter: %v", s2.Err())
	}
	if st := e.batchStatus(1); st != "submitted" {
		t.Fatalf("batch 1 is %s after the restart, want submitted", st)
	}
	e.start(testConfig(), e.client, nil)
	e.checkFinal(2)
	if n := e.count(`SELECT count(*) FROM l1_submissions`); n != 2 {
		t.Fatalf("%d submissions, want exactly one per batch", n)
	}
}

func TestFees(t *testing.T) {
	b := big.NewInt
	tip, fc, ok := fees(b(2), b(10), nil, nil, b(1000))
	if !ok || tip.Int64() != 2 || fc.Int64() != 22 {
		t.Fatalf("first: %v %v %v", tip, fc, ok)
	}
	// A replacement raises both by the bump even when the suggestion is lower.
	tip, fc, ok = fees(b(2), b(10), bumped(b(100), 10), bumped(b(200), 10), b(1000))
	if !ok || tip.Int64() != 110 || fc.Int64() != 220 {
		t.Fatalf("bump: %v %v %v", tip, fc, ok)
	}
	// The cap wins, and then the replacement is impossible.
	_, fc, ok = fees(b(2), b(10), bumped(b(100), 10), bumped(b(950), 10), b(1000))
	if ok || fc.Int64() != 1000 {
		t.Fatalf("cap: %v %v", fc, ok)
	}
	if bumped(b(1001), 10).Int64() != 1102 {
		t.Fatal("bumped rounds down")
	}
}

func TestConfigCheck(t *testing.T) {
	c := testConfig()
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func(*Config){
		"bump":     func(c *Config) { c.FeeBumpPercent = 9 },
		"contract": func(c *Config) { c.Contract = common.Address{} },
		"cap":      func(c *Config) { c.MaxFeeCap = nil },
		"confs":    func(c *Config) { c.Confirmations = 0 },
		"margin":   func(c *Config) { c.GasLimitMargin = 0.9 },
	} {
		c := testConfig()
		f(&c)
		if c.Check() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func value(c prometheus.Metric) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		panic(err)
	}
	switch {
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Counter != nil:
		return m.Counter.GetValue()
	}
	return 0
}

// lockHeld reports whether a live session holds the submitter lock.
func (e *env) lockHeld(key int64) bool {
	var n int
	err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM pg_locks
		WHERE locktype = 'advisory' AND granted AND ((classid::bigint << 32) | objid::bigint) = $1`, key).Scan(&n)
	return err == nil && n == 1
}

// TestSurvivesPostgresCrash: PostgreSQL crashes under a running submitter
// and comes back. While it is down the submitter is not ready; once it is
// back the submitter takes its lock again on a new session (it does not
// retry on the dead one forever) and the batches are finalized.
func TestSurvivesPostgresCrash(t *testing.T) {
	cl := pgtest.Cluster()
	if cl == nil {
		t.Skip("tests run against SHEAF_TEST_DATABASE_URL: cannot restart it")
	}
	e := newEnv(t)
	e.insertBatch(0)
	cfg := testConfig()
	s, _ := e.start(cfg, e.client, nil)
	e.waitFor("batch 1 finalized", func() bool { return e.batchStatus(1) == "finalized" })
	if !s.Ready() || !e.lockHeld(cfg.LockKey) {
		t.Fatal("active submitter not ready or without its lock")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := cl.Crash(ctx); err != nil {
		t.Fatal(err)
	}
	e.waitFor("the submitter not ready while PostgreSQL is down", func() bool { return !s.Ready() })
	if err := cl.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	e.waitFor("the submitter ready again", s.Ready)
	if !e.lockHeld(cfg.LockKey) {
		t.Fatal("ready without holding the submitter lock")
	}
	select {
	case <-s.Done():
		t.Fatalf("submitter stopped: %v", s.Err())
	default:
	}
	e.insertBatch(1)
	e.checkFinal(2)
	if v := value(s.m.reconnects); v < 1 {
		t.Fatalf("%v reconnects counted", v)
	}
}
