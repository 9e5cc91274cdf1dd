package e2e

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/holiman/uint256"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/db"
	"github.com/sheafrollup/sheaf/db/pgtest"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/l1/submitter"
	"github.com/sheafrollup/sheaf/l1/watcher"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
	"github.com/sheafrollup/sheaf/prover"
	"github.com/sheafrollup/sheaf/sequencer"
)

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() { // every test here is skipped: start no PostgreSQL
		os.Exit(m.Run())
	}
	os.Exit(pgtest.Main(m))
}

// The smallest configuration with every slot kind (its keys are cached on
// disk by circuit hash and shared with the circuits, prover and l1 tests).
var testCfg = protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1}

const (
	anvilChainID = 31337
	// anvilDevKey is anvil's first development account (10,000 ETH).
	anvilDevKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
	// finalizeDeadline bounds the wait for every batch to be finalized.
	finalizeDeadline = 4 * time.Minute
)

var (
	ether = new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	milli = new(big.Int).Exp(big.NewInt(10), big.NewInt(15), nil)
)

// wei returns n·10^15 (n milliether).
func wei(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), milli) }

func sum(xs ...*big.Int) *big.Int {
	s := new(big.Int)
	for _, x := range xs {
		s.Add(s, x)
	}
	return s
}

func u256(b *big.Int) uint256.Int { return *uint256.MustFromBig(b) }

// anvilPath is the binary npm installs (`npm ci` at the repository root);
// SHEAF_ANVIL overrides it.
func anvilPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("SHEAF_ANVIL"); p != "" {
		return p
	}
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the repository root")
	}
	return filepath.Join(filepath.Dir(file), "..", "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil")
}

// syncBuffer collects anvil's output for the failure log.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) tail(n int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.b.Bytes()
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startAnvil runs anvil on a free local port with one-second blocks and
// returns its HTTP endpoint once it answers; t.Cleanup stops it.
func startAnvil(t *testing.T) string {
	t.Helper()
	bin := anvilPath(t)
	if st, err := os.Stat(bin); err != nil || st.IsDir() {
		t.Fatalf("anvil not found at %s: run npm ci at the repository root (package.json pins @foundry-rs/anvil-linux-amd64)", bin)
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ { // the free port may be taken before anvil binds it
		port := freePort(t)
		out := &syncBuffer{}
		cmd := exec.Command(bin, "--host", "127.0.0.1", "--port", fmt.Sprint(port),
			"--chain-id", fmt.Sprint(anvilChainID), "--block-time", "1")
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatalf("start anvil: %v", err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		stop := func() {
			select {
			case <-exited:
				return
			default:
			}
			_ = cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-exited:
			case <-time.After(5 * time.Second):
				_ = cmd.Process.Kill()
				<-exited
			}
		}
		url := fmt.Sprintf("http://127.0.0.1:%d", port)
		if lastErr = waitRPC(url, exited); lastErr == nil {
			t.Cleanup(func() {
				stop()
				if t.Failed() {
					t.Logf("anvil output (tail):\n%s", out.tail(4000))
				}
			})
			return url
		}
		stop()
		lastErr = fmt.Errorf("%w\n%s", lastErr, out.tail(2000))
	}
	t.Fatalf("anvil did not start: %v", lastErr)
	return ""
}

func waitRPC(url string, exited <-chan error) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-exited:
			return fmt.Errorf("anvil exited: %v", err)
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		c, err := ethclient.DialContext(ctx, url)
		if err == nil {
			var id *big.Int
			id, err = c.ChainID(ctx)
			c.Close()
			if err == nil && id.Uint64() != anvilChainID {
				cancel()
				return fmt.Errorf("anvil reports chain id %d, want %d", id, anvilChainID)
			}
		}
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("anvil at %s did not answer: %v", url, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type tlog struct{ t *testing.T }

func (w tlog) Write(p []byte) (int, error) { w.t.Log(strings.TrimSpace(string(p))); return len(p), nil }

func mustKey(t *testing.T, seed string) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.ToECDSA(crypto.Keccak256([]byte(seed)))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

type env struct {
	t        *testing.T
	ctx      context.Context
	log      *slog.Logger
	url      string // anvil's JSON-RPC endpoint
	client   *ethclient.Client
	rollup   *bindings.Rollup
	addr     common.Address
	dep      *l1.Deployment
	circuit  *prover.Circuit   // the deployment's circuit (an auto deployment's calldata twin)
	circuits []*prover.Circuit // every circuit it proves with (Config.Modes)
	pool     *pgxpool.Pool
	dbURL    string // the database the services use (for the sheaf binary)
	w        *watcher.Watcher
	seq      *sequencer.Sequencer
	prv      *prover.Pool
	sub      *submitter.Submitter
	domain   [20]byte
	l2Keys   []protocol.PrivateKey
	indexes  []uint32
}

// stopAtEnd stops s when the test ends; services stop in reverse order,
// before the database and anvil go.
func (e *env) stopAtEnd(s interface{ Stop(context.Context) error }) {
	e.t.Cleanup(func() {
		c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.Stop(c); err != nil {
			e.t.Errorf("stop %T: %v", s, err)
		}
	})
}

// devnetConfig says what startDevnet runs.
type devnetConfig struct {
	circuit    protocol.Config
	batchDelay time.Duration
	seqKey     *ecdsa.PrivateKey
	// blobKey signs an auto deployment's blob batches, deployed as the
	// rollup's blob sequencer (nil: a key derived for the test, funded
	// here); unused in the other modes.
	blobKey *ecdsa.PrivateKey
	funds   map[*ecdsa.PrivateKey]*big.Int // L1 balances set on anvil
	l2Keys  []protocol.PrivateKey
	// exitKeys, if set, deploys the real exit verifier of the circuit's
	// depth (from these keys) instead of one that refuses every exit.
	exitKeys *keys.Set
	// priorityExpiry is the queue deadline (0: the contract's default).
	priorityExpiry time.Duration
	// forcedExitFee is the wei a forced-exit request pays (nil: 0).
	forcedExitFee *big.Int
	// daChooser picks each batch's mode when circuit is auto.
	daChooser sequencer.DAChooser
}

// startDevnet starts anvil, deploys the contracts for cfg.circuit (fee
// account 1 holds cfg.l2Keys[0] from genesis) and runs the watcher, sequencer, prover and submitter in
// process on a fresh database; t.Cleanup stops everything.
func startDevnet(t *testing.T, ctx context.Context, log *slog.Logger, cfg devnetConfig) *env {
	t.Helper()
	start := time.Now()
	// L1: anvil and the contracts.
	url := startAnvil(t)
	client, err := ethclient.DialContext(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	deployer, err := crypto.HexToECDSA(strings.TrimPrefix(anvilDevKey, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	seqKey := cfg.seqKey
	var blobSeq common.Address
	if cfg.circuit.Auto() {
		if cfg.blobKey == nil {
			cfg.blobKey = mustKey(t, "sheaf e2e blob sequencer")
		}
		if _, ok := cfg.funds[cfg.blobKey]; !ok {
			funds := map[*ecdsa.PrivateKey]*big.Int{cfg.blobKey: new(big.Int).Mul(big.NewInt(100), ether)}
			for k, v := range cfg.funds {
				funds[k] = v
			}
			cfg.funds = funds
		}
		blobSeq = crypto.PubkeyToAddress(cfg.blobKey.PublicKey)
	}
	for k, amount := range cfg.funds {
		if err := client.Client().CallContext(ctx, nil, "anvil_setBalance",
			crypto.PubkeyToAddress(k.PublicKey), hexutil.EncodeBig(amount)); err != nil {
			t.Fatalf("anvil_setBalance: %v", err)
		}
	}

	// An auto deployment proves with two circuits, its calldata and blob
	// twins (Config.Modes), each with its own verifier.
	var circuits []*prover.Circuit
	var verifiers [][]byte
	for _, m := range cfg.circuit.Modes() {
		c, err := prover.LoadCircuit(ctx, m, "", log.With("component", "prover"))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("circuit %s loaded (%v)", m, time.Since(start).Round(time.Millisecond))
		v, err := l1.CompileVerifier(ctx, c.Keys.VK)
		if errors.Is(err, l1.ErrNoSolc) {
			t.Fatalf("%v (run npm ci at the repository root)", err)
		} else if err != nil {
			t.Fatal(err)
		}
		circuits, verifiers = append(circuits, c), append(verifiers, v)
	}
	circuit, verifier := circuits[0], verifiers[0]
	var blobVerifier []byte
	if cfg.circuit.Auto() {
		blobVerifier = verifiers[1]
	}
	exitVerifier := l1.RefuseAllVerifier
	if cfg.exitKeys != nil {
		if exitVerifier, err = l1.CompileVerifier(ctx, cfg.exitKeys.VK); err != nil {
			t.Fatal(err)
		}
	}
	dep, err := l1.Deploy(ctx, client, deployer, l1.DeployConfig{
		Circuit: cfg.circuit, VerifierBytecode: verifier, BlobVerifierBytecode: blobVerifier, ExitVerifierBytecode: exitVerifier,
		Sequencer: crypto.PubkeyToAddress(seqKey.PublicKey), BlobSequencer: blobSeq, FeeKey: cfg.l2Keys[0].Public(), PriorityExpiry: cfg.priorityExpiry,
		ForcedExitFee: cfg.forcedExitFee,
	})
	if err != nil {
		t.Fatal(err)
	}
	if dep.ChainID != anvilChainID {
		t.Fatalf("deployed on chain %d, want %d", dep.ChainID, anvilChainID)
	}
	t.Logf("rollup %s, verifier %s, block %d (%v)", dep.Rollup, dep.Verifier, dep.Block, time.Since(start).Round(time.Millisecond))

	// Database and services.
	dbURL := pgtest.NewDatabase(t)
	pool, err := db.Open(ctx, db.Config{URL: dbURL, MaxConns: 16, Migrate: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	e := &env{t: t, ctx: ctx, log: log, url: url, client: client, rollup: bindings.NewRollup(), addr: dep.Rollup, dep: dep,
		circuit: circuit, circuits: circuits, pool: pool, dbURL: dbURL, domain: dep.Rollup, l2Keys: cfg.l2Keys}
	stopAtEnd := e.stopAtEnd

	wcfg := watcher.DefaultConfig
	wcfg.Contract, wcfg.FromBlock = dep.Rollup, dep.Block
	wcfg.Finalized, wcfg.Confirmations, wcfg.PollInterval = false, 1, 200*time.Millisecond
	w, err := watcher.New(wcfg, client, pool, log.With("component", "watcher"), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Start(ctx); err != nil {
		t.Fatal(err)
	}
	stopAtEnd(w)

	scfg := sequencer.DefaultConfig
	scfg.Circuit, scfg.ChainID, scfg.Contract = cfg.circuit, anvilChainID, dep.Rollup
	scfg.Rollup = l1.NewReader(client, dep.Rollup, dep.Block, l1.DefaultFinality)
	scfg.BatchDelay, scfg.PollInterval = cfg.batchDelay, 100*time.Millisecond
	scfg.DAChooser = cfg.daChooser
	seq, err := sequencer.New(scfg, pool, log.With("component", "sequencer"), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	if err := seq.Start(ctx); err != nil {
		t.Fatal(err)
	}
	stopAtEnd(seq)

	pcfg := prover.DefaultConfig
	pcfg.Circuits, pcfg.Workers, pcfg.PollInterval = cfg.circuit.Modes(), 1, 500*time.Millisecond
	prv, err := prover.New(pcfg, pool, circuits, log.With("component", "prover"), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	if err := prv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	stopAtEnd(prv)

	subcfg := submitter.DefaultConfig
	subcfg.Contract, subcfg.ChainID = dep.Rollup, anvilChainID
	subcfg.Confirmations, subcfg.PollInterval, subcfg.ResubmitAfter = 2, 250*time.Millisecond, 30*time.Second
	// A blob-mode circuit's batches go out as blob transactions; seqKey
	// signs nothing else, so it is the dedicated blob key that needs.
	subcfg.DA = cfg.circuit.DA
	var sub *submitter.Submitter
	if cfg.circuit.Auto() {
		// Auto: calldata batches from seqKey (the sequencer), blob
		// batches from blobKey (the blob sequencer).
		sub, err = submitter.NewWithKeys(subcfg, pool, client, submitter.Keys{Calldata: seqKey, Blob: cfg.blobKey},
			log.With("component", "submitter"), prometheus.NewRegistry())
	} else {
		sub, err = submitter.New(subcfg, pool, client, seqKey, log.With("component", "submitter"), prometheus.NewRegistry())
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := sub.Start(ctx); err != nil {
		t.Fatal(err)
	}
	stopAtEnd(sub)
	e.w, e.seq, e.prv, e.sub = w, seq, prv, sub
	return e
}

func (e *env) call(data []byte) []byte {
	e.t.Helper()
	out, err := e.client.CallContract(e.ctx, ethereum.CallMsg{To: &e.addr, Data: data}, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// transact sends a contract call from key and waits for a successful receipt.
func (e *env) transact(key *ecdsa.PrivateKey, value *big.Int, data []byte) *types.Receipt {
	e.t.Helper()
	r, err := e.send(key, value, data)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// tryTransact is transact for other goroutines than the test's.
func (e *env) tryTransact(key *ecdsa.PrivateKey, value *big.Int, data []byte) error {
	_, err := e.send(key, value, data)
	return err
}

func (e *env) send(key *ecdsa.PrivateKey, value *big.Int, data []byte) (*types.Receipt, error) {
	opts := bind.NewKeyedTransactor(key, big.NewInt(anvilChainID))
	opts.Context = e.ctx
	opts.Value = value
	tx, err := bind.Transact(e.rollup.Instance(e.client, e.addr), opts, data)
	if err != nil {
		return nil, err
	}
	r, err := bind.WaitMined(e.ctx, e.client, tx.Hash())
	if err != nil {
		return nil, err
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return nil, fmt.Errorf("transaction %s reverted", tx.Hash())
	}
	return r, nil
}

func (e *env) waitFor(what string, timeout time.Duration, cond func() (bool, error)) {
	e.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, err := cond()
		if err != nil {
			e.t.Fatalf("waiting for %s: %v", what, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// transfer signs a transfer from L2 key i at its pending nonce and sends it.
func (e *env) transfer(from, to int, amount, fee *big.Int) common.Hash {
	e.t.Helper()
	acc, err := e.seq.Account(e.ctx, e.indexes[from])
	if err != nil {
		e.t.Fatal(err)
	}
	tx := &protocol.Transfer{From: e.indexes[from], To: e.indexes[to], Amount: u256(amount), Fee: u256(fee), Nonce: acc.Pending.Nonce}
	if err := tx.Sign(e.l2Keys[from], protocol.DomainState(anvilChainID, e.domain)); err != nil {
		e.t.Fatal(err)
	}
	h, err := e.seq.SendTransfer(e.ctx, tx)
	if err != nil {
		e.t.Fatalf("transfer %d→%d: %v", tx.From, tx.To, err)
	}
	return h
}

func (e *env) withdraw(from int, to common.Address, amount, fee *big.Int) common.Hash {
	e.t.Helper()
	acc, err := e.seq.Account(e.ctx, e.indexes[from])
	if err != nil {
		e.t.Fatal(err)
	}
	w := &protocol.Withdrawal{From: e.indexes[from], To: to, Amount: u256(amount), Fee: u256(fee), Nonce: acc.Pending.Nonce}
	if err := w.Sign(e.l2Keys[from], protocol.DomainState(anvilChainID, e.domain)); err != nil {
		e.t.Fatal(err)
	}
	h, err := e.seq.SendWithdrawal(e.ctx, w)
	if err != nil {
		e.t.Fatalf("withdrawal from %d: %v", w.From, err)
	}
	return h
}

// waitFinalized waits until every transaction in hashes is finalized and
// no batch is left unfinalized (none failed), failing on a stopped service.
func (e *env) waitFinalized(hashes []common.Hash, timeout time.Duration) {
	e.t.Helper()
	e.waitFor("every transaction and batch finalized", timeout, func() (bool, error) {
		select {
		case <-e.w.Done():
			return false, fmt.Errorf("watcher stopped: %v", e.w.Err())
		case <-e.seq.Done():
			return false, fmt.Errorf("sequencer stopped: %v", e.seq.Err())
		case <-e.sub.Done():
			return false, fmt.Errorf("submitter stopped: %v", e.sub.Err())
		case <-e.prv.Done():
			return false, errors.New("prover pool stopped")
		default:
		}
		for _, h := range hashes {
			info, err := e.seq.Transaction(e.ctx, h)
			if err != nil {
				return false, err
			}
			if info.Status == api.StatusRejected {
				return false, fmt.Errorf("transaction %s rejected", h)
			}
			if info.Status != api.StatusFinalized {
				return false, nil
			}
		}
		var open, failed int
		if err := e.pool.QueryRow(e.ctx, `SELECT count(*) FILTER (WHERE status <> 'finalized'), count(*) FILTER (WHERE status = 'failed') FROM batches`).
			Scan(&open, &failed); err != nil {
			return false, err
		}
		if failed > 0 {
			return false, fmt.Errorf("%d batches failed", failed)
		}
		return open == 0, nil
	})
}

func (e *env) balance(a common.Address, block *big.Int) *big.Int {
	e.t.Helper()
	b, err := e.client.BalanceAt(e.ctx, a, block)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

// TestEndToEnd: two L1 accounts deposit (the first to the operator's key,
// which holds fee account 1 from genesis),
// transfer to each other on L2 and one withdraws to an L1 address; every
// batch is proven, accepted by the rollup contract on anvil and finalized;
// the withdrawal is claimed on L1; balances add up on both layers.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts anvil, proves batches and waits for L1 finality: skipped in -short")
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	t.Cleanup(cancel)
	log := slog.New(slog.NewTextHandler(tlog{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))

	seqKey := mustKey(t, "sheaf e2e sequencer")
	userKeys := []*ecdsa.PrivateKey{mustKey(t, "sheaf e2e user 1"), mustKey(t, "sheaf e2e user 2")}
	// The withdrawal goes to a fresh address, funded with a little ETH so
	// it can pay the claim's gas.
	recipientKey := mustKey(t, "sheaf e2e recipient")
	recipient := crypto.PubkeyToAddress(recipientKey.PublicKey)
	funds := map[*ecdsa.PrivateKey]*big.Int{recipientKey: new(big.Int).Set(ether)}
	for _, k := range append([]*ecdsa.PrivateKey{seqKey}, userKeys...) {
		funds[k] = new(big.Int).Mul(big.NewInt(100), ether)
	}
	e := startDevnet(t, ctx, log, devnetConfig{circuit: testCfg, batchDelay: 500 * time.Millisecond,
		seqKey: seqKey, funds: funds, l2Keys: protocoltest.Keys(31337, 2)})
	dep, pool, seq := e.dep, e.pool, e.seq

	// Deposits: user 1's credits fee account 1 (its key is the genesis fee
	// key), user 2's opens account 2.
	deposits := []*big.Int{new(big.Int).Set(ether), new(big.Int).Mul(big.NewInt(2), ether)}
	totalDeposits := new(big.Int)
	for i, k := range userKeys {
		pk := e.l2Keys[i].Public()
		e.transact(k, deposits[i], e.rollup.PackDeposit(protocol.FrToBig(pk.X), protocol.FrToBig(pk.Y)))
		totalDeposits.Add(totalDeposits, deposits[i])
	}
	e.waitFor("both deposits in the sequencer's pending state", time.Minute, func() (bool, error) {
		e.indexes = e.indexes[:0]
		for _, k := range e.l2Keys {
			idx, err := seq.AccountIndex(ctx, k.Public())
			if errors.Is(err, api.ErrNotFound) {
				return false, nil
			} else if err != nil {
				return false, err
			}
			e.indexes = append(e.indexes, idx)
		}
		return true, nil
	})
	if e.indexes[0] != 1 || e.indexes[1] != 2 {
		t.Fatalf("deposits opened accounts %v, want [1 2]", e.indexes)
	}
	t.Logf("deposits reached L2 (%v)", time.Since(start).Round(time.Millisecond))

	// L2 traffic: transfers both ways (the fee account sends too) and a
	// withdrawal to the recipient's L1 address.
	fee := big.NewInt(1_000_000_000_000) // 10^12 wei
	withdrawn := wei(250)
	hashes := []common.Hash{
		e.transfer(1, 0, wei(300), fee),
		e.transfer(0, 1, wei(100), fee),
		e.transfer(1, 0, wei(50), fee),
		e.withdraw(1, recipient, withdrawn, fee),
	}

	// Every transaction finalized, every batch proven, accepted and final.
	e.waitFinalized(hashes, finalizeDeadline)
	var nBatches int64
	var lastRoot []byte
	if err := pool.QueryRow(ctx, `SELECT number, new_root FROM batches ORDER BY number DESC LIMIT 1`).Scan(&nBatches, &lastRoot); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d batches finalized on L1 (%v)", nBatches, time.Since(start).Round(time.Millisecond))

	// The contract is where the database says.
	root, err := e.rollup.UnpackStateRoot(e.call(e.rollup.PackStateRoot()))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(root[:], lastRoot) {
		t.Fatalf("contract stateRoot %x, last batch's new_root %x", root, lastRoot)
	}
	next, err := e.rollup.UnpackNextBatch(e.call(e.rollup.PackNextBatch()))
	if err != nil {
		t.Fatal(err)
	}
	if next != uint64(nBatches)+1 {
		t.Fatalf("contract's next batch %d, want %d", next, nBatches+1)
	}
	var submissions int
	if err := pool.QueryRow(ctx, `SELECT count(DISTINCT batch_number) FROM l1_submissions WHERE status = 'finalized'`).Scan(&submissions); err != nil {
		t.Fatal(err)
	}
	if submissions != int(nBatches) {
		t.Fatalf("%d batches with a finalized submission, want %d", submissions, nBatches)
	}

	// L2 balances: the sealed accounts hold the deposits less the withdrawal
	// (fees stay on L2, in the fee account).
	var l2Sum string
	if err := pool.QueryRow(ctx, `SELECT sum(balance)::text FROM accounts`).Scan(&l2Sum); err != nil {
		t.Fatal(err)
	}
	wantL2 := new(big.Int).Sub(totalDeposits, withdrawn)
	if l2Sum != wantL2.String() {
		t.Fatalf("L2 balances sum to %s, want deposits − withdrawals = %s", l2Sum, wantL2)
	}
	// Account 1 sent 0.1 ETH and got 0.35 ETH and the four fees; account 2
	// the reverse, less its withdrawal.
	fees := func(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), fee) }
	wantBalances := []*big.Int{
		sum(deposits[0], wei(-100), wei(300), wei(50), fees(-1), fees(4)),
		sum(deposits[1], wei(100), wei(-300), wei(-50), new(big.Int).Neg(withdrawn), fees(-3)),
	}
	for i := range e.l2Keys {
		a, err := seq.Account(ctx, e.indexes[i])
		if err != nil {
			t.Fatal(err)
		}
		if a.Sealed != a.Pending {
			t.Fatalf("account %d: sealed %+v differs from pending %+v after every batch", e.indexes[i], a.Sealed, a.Pending)
		}
		if string(a.Sealed.Balance) != wantBalances[i].String() {
			t.Fatalf("account %d balance %s, want %s", e.indexes[i], a.Sealed.Balance, wantBalances[i])
		}
	}
	var sealedDeposits int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM deposits WHERE batch_number IS NOT NULL`).Scan(&sealedDeposits); err != nil {
		t.Fatal(err)
	}
	if sealedDeposits != len(deposits) {
		t.Fatalf("%d deposits sealed into batches, want %d", sealedDeposits, len(deposits))
	}

	// L1 before the claim: the contract holds every deposit, the recipient
	// has the withdrawal credited.
	if got := e.balance(dep.Rollup, nil); got.Cmp(totalDeposits) != 0 {
		t.Fatalf("contract holds %s wei before the claim, want the deposits %s", got, totalDeposits)
	}
	credited, err := e.rollup.UnpackPendingWithdrawals(e.call(e.rollup.PackPendingWithdrawals(recipient)))
	if err != nil {
		t.Fatal(err)
	}
	if credited.Cmp(withdrawn) != 0 {
		t.Fatalf("pendingWithdrawals(%s) = %s, want %s", recipient, credited, withdrawn)
	}

	// The claim pays exactly the withdrawal, less the claim's own gas.
	rcpt := e.transact(recipientKey, nil, e.rollup.PackClaim())
	before := e.balance(recipient, new(big.Int).Sub(rcpt.BlockNumber, big.NewInt(1)))
	after := e.balance(recipient, rcpt.BlockNumber)
	gasCost := new(big.Int).Mul(new(big.Int).SetUint64(rcpt.GasUsed), rcpt.EffectiveGasPrice)
	if want := new(big.Int).Sub(new(big.Int).Add(before, withdrawn), gasCost); after.Cmp(want) != 0 {
		t.Fatalf("recipient balance %s after the claim, want %s + %s − gas %s = %s", after, before, withdrawn, gasCost, want)
	}
	claimed := false
	for _, lg := range rcpt.Logs {
		if ev, err := e.rollup.UnpackClaimedEvent(lg); err == nil && ev.To == recipient && ev.Amount.Cmp(withdrawn) == 0 {
			claimed = true
		}
	}
	if !claimed {
		t.Fatal("claim emitted no Claimed event for the withdrawal")
	}
	if left, err := e.rollup.UnpackPendingWithdrawals(e.call(e.rollup.PackPendingWithdrawals(recipient))); err != nil || left.Sign() != 0 {
		t.Fatalf("pendingWithdrawals after the claim: %v, %v", left, err)
	}
	if got, want := e.balance(dep.Rollup, nil), new(big.Int).Sub(totalDeposits, withdrawn); got.Cmp(want) != 0 {
		t.Fatalf("contract holds %s wei after the claim, want deposits − claimed = %s", got, want)
	}
	t.Logf("claim paid %s wei; end to end in %v", withdrawn, time.Since(start).Round(time.Millisecond))
}
