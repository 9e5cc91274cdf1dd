// Package rolluptest runs a whole rollup in one test process: a simulated
// L1 chain with the real rollup contract and Groth16 verifier, a fresh
// PostgreSQL database, and the watcher, sequencer (with its JSON-RPC API),
// prover pool and submitter, on the smallest circuit with every slot kind
// (its keys are cached on disk and shared with the other packages' tests).
// Tests drive it as an operator would: send deposits and transfers, fork
// the chain, restart PostgreSQL, restart a service that stopped (as a
// supervisor would), and audit the result from L1 alone.
package rolluptest

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/holiman/uint256"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/audit"
	"github.com/sheafrollup/sheaf/db"
	"github.com/sheafrollup/sheaf/db/pgtest"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/l1/submitter"
	"github.com/sheafrollup/sheaf/l1/watcher"
	"github.com/sheafrollup/sheaf/ops"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
	"github.com/sheafrollup/sheaf/prover"
	"github.com/sheafrollup/sheaf/sequencer"
)

// Circuit is the smallest configuration with every slot kind.
var Circuit = protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1}

// ChainID of go-ethereum's simulated chain.
const ChainID = 1337

var (
	ether = new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	// L1 keys: the contract owner, the sequencer (signs submitBatch) and a
	// depositor.
	OwnerKey = mustKey("0x01")
	SeqKey   = mustKey("0x02")
	UserKey  = mustKey("0x03")
	// FeeKey is the operator's L2 key: account 1, the fee account, from
	// genesis.
	FeeKey = protocoltest.Keys(3030, 1)[0]
)

func mustKey(h string) *ecdsa.PrivateKey {
	k, err := crypto.ToECDSA(common.LeftPadBytes(hexutil.MustDecode(h), 32))
	if err != nil {
		panic(err)
	}
	return k
}

// Options of Start.
type Options struct {
	// WatcherConfirmations: the watcher stores a deposit this many blocks
	// deep (a devnet's setting; the chain's finality would keep reorged
	// deposits away from the sequencer altogether).
	WatcherConfirmations uint64
	// BatchDelay of the sequencer (0: seal only on SealNow).
	BatchDelay time.Duration
	// BlockTime of the background miner.
	BlockTime time.Duration
}

// Rollup is a running rollup.
type Rollup struct {
	t       *testing.T
	opt     Options
	Log     *slog.Logger
	Chain   *l1.SimulatedChain
	Miner   *l1.Miner
	Client  simulated.Client
	Dep     *l1.Deployment
	Circuit *prover.Circuit
	Pool    *pgxpool.Pool
	rollup  *bindings.Rollup

	mu        sync.Mutex
	Watcher   *watcher.Watcher
	Sequencer *sequencer.Sequencer
	API       *api.Server
	Prover    *prover.Pool
	Submitter *submitter.Submitter

	l1Nonce uint64 // UserKey's next nonce (Deposit)
}

type tlog struct{ t *testing.T }

func (w tlog) Write(p []byte) (int, error) { w.t.Log(strings.TrimSpace(string(p))); return len(p), nil }

// Start deploys the rollup on a fresh simulated chain and starts every
// service on a fresh database; t.Cleanup stops them. The test binary's
// TestMain must run pgtest.Main.
func Start(t *testing.T, opt Options) *Rollup {
	t.Helper()
	if testing.Short() {
		t.Skip("proves batches and runs every service: skipped in -short")
	}
	if opt.BlockTime == 0 {
		opt.BlockTime = 50 * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	log := slog.New(slog.NewTextHandler(tlog{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
	r := &Rollup{t: t, opt: opt, Log: log, rollup: bindings.NewRollup()}

	circuit, err := prover.LoadCircuit(ctx, Circuit, "", log.With("component", "prover"))
	if err != nil {
		t.Fatal(err)
	}
	r.Circuit = circuit
	verifier, err := l1.CompileVerifier(ctx, circuit.Keys.VK)
	if err != nil {
		t.Fatalf("%v (run npm ci at the repository root)", err)
	}

	alloc := types.GenesisAlloc{}
	for _, k := range []*ecdsa.PrivateKey{OwnerKey, SeqKey, UserKey} {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1000), ether)}
	}
	r.Chain = l1.NewSimulatedChain(alloc, l1.MainnetLikeGas)
	t.Cleanup(func() { r.Chain.Close() }) // runs last: stops the miner first
	r.Client = r.Chain.Client()
	r.Miner = r.Chain.Mine(opt.BlockTime)
	r.Dep, err = l1.Deploy(ctx, r.Client, OwnerKey, l1.DeployConfig{
		Circuit: Circuit, VerifierBytecode: verifier, Sequencer: crypto.PubkeyToAddress(SeqKey.PublicKey),
		FeeKey: FeeKey.Public(), DepositCap: ether, ExitVerifierBytecode: l1.RefuseAllVerifier,
	})
	if err != nil {
		t.Fatal(err)
	}

	url := pgtest.NewDatabase(t)
	r.Pool, err = db.Open(ctx, db.Config{URL: url, MaxConns: 16, Migrate: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Pool.Close)
	t.Cleanup(r.stopAll)

	r.StartWatcher()
	r.StartSequencer()
	r.startProver()
	r.startSubmitter()
	return r
}

func (r *Rollup) start(name string, s interface{ Start(context.Context) error }) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.Start(ctx); err != nil {
		r.t.Fatalf("start %s: %v", name, err)
	}
}

// StartWatcher starts a watcher (again, after one stopped).
func (r *Rollup) StartWatcher() {
	r.t.Helper()
	cfg := watcher.DefaultConfig
	cfg.Contract, cfg.FromBlock = r.Dep.Rollup, r.Dep.Block
	cfg.Finalized, cfg.Confirmations, cfg.PollInterval = false, r.opt.WatcherConfirmations, 50*time.Millisecond
	w, err := watcher.New(cfg, r.Client, r.Pool, r.Log.With("component", "watcher"), prometheus.NewRegistry())
	if err != nil {
		r.t.Fatal(err)
	}
	r.start("watcher", w)
	r.mu.Lock()
	r.Watcher = w
	r.mu.Unlock()
}

// StartSequencer starts a sequencer and its API (again, after one stopped).
func (r *Rollup) StartSequencer() {
	r.t.Helper()
	cfg := sequencer.DefaultConfig
	cfg.Circuit, cfg.ChainID, cfg.Contract = Circuit, ChainID, r.Dep.Rollup
	// The contract's settings (fee account, genesis) as of the head: the
	// simulated chain has no finalized block.
	cfg.Rollup = l1.NewReader(r.Client, r.Dep.Rollup, r.Dep.Block, l1.Finality{})
	cfg.BatchDelay, cfg.PollInterval = r.opt.BatchDelay, 100*time.Millisecond
	if cfg.BatchDelay == 0 {
		// Sealing on SealNow only: no batch is due, and after the first
		// one the seal interval holds every later full section back.
		cfg.BatchDelay, cfg.SealInterval = time.Hour, time.Hour
	}
	seq, err := sequencer.New(cfg, r.Pool, r.Log.With("component", "sequencer"), prometheus.NewRegistry())
	if err != nil {
		r.t.Fatal(err)
	}
	r.start("sequencer", seq)
	r.mu.Lock()
	old := r.API
	r.mu.Unlock()
	if old != nil { // the API of a sequencer that stopped goes with it
		_ = old.Stop(context.Background())
	}
	acfg := api.DefaultConfig
	acfg.HTTPAddr = "127.0.0.1:0"
	srv, err := api.NewServer(acfg, seq, r.Log.With("component", "api"), prometheus.NewRegistry())
	if err != nil {
		r.t.Fatal(err)
	}
	r.start("api", srv)
	r.mu.Lock()
	r.Sequencer, r.API = seq, srv
	r.mu.Unlock()
}

func (r *Rollup) startProver() {
	r.t.Helper()
	cfg := prover.DefaultConfig
	cfg.Circuits, cfg.Workers, cfg.PollInterval = []protocol.Config{Circuit}, 1, 200*time.Millisecond
	p, err := prover.New(cfg, r.Pool, []*prover.Circuit{r.Circuit}, r.Log.With("component", "prover"), prometheus.NewRegistry())
	if err != nil {
		r.t.Fatal(err)
	}
	r.start("prover", p)
	r.mu.Lock()
	r.Prover = p
	r.mu.Unlock()
}

func (r *Rollup) startSubmitter() {
	r.t.Helper()
	cfg := submitter.DefaultConfig
	cfg.Contract, cfg.ChainID = r.Dep.Rollup, ChainID
	cfg.Confirmations, cfg.PollInterval, cfg.ResubmitAfter = 2, 100*time.Millisecond, 5*time.Second
	s, err := submitter.New(cfg, r.Pool, r.Client, SeqKey, r.Log.With("component", "submitter"), prometheus.NewRegistry())
	if err != nil {
		r.t.Fatal(err)
	}
	r.start("submitter", s)
	r.mu.Lock()
	r.Submitter = s
	r.mu.Unlock()
}

// Supervise does what a supervisor does for a service that stopped: it
// checks that the service exited with an error (not silently) and starts
// a new one. It returns the names of the services it restarted.
func (r *Rollup) Supervise() []string {
	r.t.Helper()
	var restarted []string
	for name, c := range r.Services() {
		select {
		case <-c.Done():
		default:
			continue
		}
		if errOf(c) == nil {
			r.t.Fatalf("%s stopped without an error: a supervisor would not restart it", name)
		}
		r.t.Logf("%s exited (%v): restarting it", name, errOf(c))
		switch name {
		case "watcher":
			r.StartWatcher()
		case "sequencer":
			r.StartSequencer()
		case "prover":
			r.startProver()
		case "submitter":
			r.startSubmitter()
		}
		restarted = append(restarted, name)
	}
	return restarted
}

// Services lists the running services by name, for readiness checks.
func (r *Rollup) Services() map[string]ops.Component {
	r.mu.Lock()
	defer r.mu.Unlock()
	return map[string]ops.Component{"watcher": r.Watcher, "sequencer": r.Sequencer, "prover": r.Prover, "submitter": r.Submitter}
}

func (r *Rollup) stopAll() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r.mu.Lock()
	defer r.mu.Unlock()
	// A service that died says so through the test's own checks.
	if r.Submitter != nil {
		_ = r.Submitter.Stop(ctx)
	}
	if r.Prover != nil {
		_ = r.Prover.Stop(ctx)
	}
	if r.API != nil {
		_ = r.API.Stop(ctx)
	}
	if r.Sequencer != nil {
		_ = r.Sequencer.Stop(ctx)
	}
	if r.Watcher != nil {
		_ = r.Watcher.Stop(ctx)
	}
}

// WaitFor polls cond until it holds (or fails the test after timeout).
func (r *Rollup) WaitFor(what string, timeout time.Duration, cond func() (bool, error)) {
	r.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, err := cond()
		if err != nil {
			r.t.Fatalf("waiting for %s: %v", what, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// DepositTx signs (does not send) a deposit of amount wei from UserKey to
// the L2 key pk; nonce and tip are the caller's (a replacement reuses a
// nonce with a higher tip).
func (r *Rollup) DepositTx(pk protocol.PublicKey, amount *big.Int, nonce uint64, tipGwei int64) *types.Transaction {
	r.t.Helper()
	head, err := r.Client.HeaderByNumber(context.Background(), nil)
	if err != nil {
		r.t.Fatal(err)
	}
	tip := new(big.Int).Mul(big.NewInt(tipGwei), big.NewInt(1e9))
	feeCap := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	return types.MustSignNewTx(UserKey, types.LatestSignerForChainID(big.NewInt(ChainID)), &types.DynamicFeeTx{
		ChainID: big.NewInt(ChainID), Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: 300_000,
		To: &r.Dep.Rollup, Value: amount, Data: r.rollup.PackDeposit(protocol.FrToBig(pk.X), protocol.FrToBig(pk.Y)),
	})
}

// Deposit sends a deposit from UserKey and waits for its receipt.
func (r *Rollup) Deposit(pk protocol.PublicKey, amount *big.Int) *types.Receipt {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	nonce, err := r.Client.PendingNonceAt(ctx, crypto.PubkeyToAddress(UserKey.PublicKey))
	if err != nil {
		r.t.Fatal(err)
	}
	tx := r.DepositTx(pk, amount, nonce, 1)
	if err := r.Client.SendTransaction(ctx, tx); err != nil {
		r.t.Fatal(err)
	}
	rc, err := bind.WaitMined(ctx, r.Client, tx.Hash())
	if err != nil || rc.Status != types.ReceiptStatusSuccessful {
		r.t.Fatalf("deposit: %v (status %v)", err, rc)
	}
	return rc
}

// AccountIndex waits until the sequencer's pending state has an account
// for pk and returns its index.
func (r *Rollup) AccountIndex(pk protocol.PublicKey) uint32 {
	r.t.Helper()
	var idx uint32
	r.WaitFor("the deposit in the sequencer's pending state", time.Minute, func() (bool, error) {
		i, err := r.seq().AccountIndex(context.Background(), pk)
		if errors.Is(err, api.ErrNotFound) || errors.Is(err, api.ErrUnavailable) {
			return false, nil
		}
		idx = i
		return err == nil, err
	})
	return idx
}

func (r *Rollup) seq() *sequencer.Sequencer {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.Sequencer
}

// Transfer signs a transfer with key at the sender's pending nonce and
// sends it to the sequencer.
func (r *Rollup) Transfer(key protocol.PrivateKey, from, to uint32, amount, fee uint64) (common.Hash, error) {
	r.t.Helper()
	ctx := context.Background()
	acc, err := r.seq().Account(ctx, from)
	if err != nil {
		return common.Hash{}, err
	}
	tx := &protocol.Transfer{From: from, To: to, Amount: *uint256.NewInt(amount), Fee: *uint256.NewInt(fee), Nonce: acc.Pending.Nonce}
	if err := tx.Sign(key, protocol.DomainState(ChainID, r.Dep.Rollup)); err != nil {
		return common.Hash{}, err
	}
	return r.seq().SendTransfer(ctx, tx)
}

// ContractBatch is the number of the last batch the contract accepted.
func (r *Rollup) ContractBatch() uint64 {
	r.t.Helper()
	out, err := r.Client.CallContract(context.Background(), ethereum.CallMsg{To: &r.Dep.Rollup, Data: r.rollup.PackNextBatch()}, nil)
	if err != nil {
		r.t.Fatal(err)
	}
	next, err := r.rollup.UnpackNextBatch(out)
	if err != nil {
		r.t.Fatal(err)
	}
	return next - 1
}

// WaitFinalized waits until batch n is accepted on L1 and finalized in the
// database, failing early when a batch fails or a service stops.
func (r *Rollup) WaitFinalized(n uint64, timeout time.Duration) {
	r.t.Helper()
	r.WaitFor(fmt.Sprintf("batch %d finalized", n), timeout, func() (bool, error) {
		for name, c := range r.Services() {
			select {
			case <-c.Done():
				return false, fmt.Errorf("%s stopped: %v", name, errOf(c))
			default:
			}
		}
		var status string
		var failed int
		err := r.Pool.QueryRow(context.Background(), `SELECT coalesce((SELECT status FROM batches WHERE number = $1), ''),
			(SELECT count(*) FROM batches WHERE status = 'failed')`, int64(n)).Scan(&status, &failed)
		if err != nil {
			return false, nil // the database may be coming back
		}
		if failed > 0 {
			return false, fmt.Errorf("%d batches failed", failed)
		}
		return status == "finalized" && r.ContractBatch() >= n, nil
	})
}

func errOf(c any) error {
	if e, ok := c.(interface{ Err() error }); ok {
		return e.Err()
	}
	return nil
}

// Audit runs the auditor against the chain alone and fails the test unless
// every batch checks out and it ends where the contract is.
func (r *Rollup) Audit() *audit.Report {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := audit.DefaultConfig
	cfg.Contract, cfg.FromBlock = r.Dep.Rollup, r.Dep.Block
	cfg.Finality = l1.Finality{} // the head: the simulated chain has no finalized block
	a, err := audit.New(cfg, r.Client, r.Circuit.Keys.VK, r.Log.With("component", "audit"))
	if err != nil {
		r.t.Fatal(err)
	}
	rep, err := a.Run(ctx)
	if err != nil {
		r.t.Fatalf("audit: %v", err)
	}
	if !rep.OK || rep.ContractBatch != r.ContractBatch() || rep.LastBatch != rep.ContractBatch {
		r.t.Fatalf("audit report %+v", rep)
	}
	return rep
}
