package devnet

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/audit"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
)

// devnetRun is one start of a devnet in the background.
type devnetRun struct {
	t      *testing.T
	ctx    context.Context
	cancel context.CancelFunc
	done   chan error
	rpc    *client.Client
	chain  api.ChainInfo
}

// startDevnet starts Run and waits until it is ready.
func startDevnet(t *testing.T, ctx context.Context, cfg Config, out *syncBuf) *devnetRun {
	t.Helper()
	rctx, cancel := context.WithCancel(ctx)
	ready := make(chan struct{})
	cfg.OnReady = func() { close(ready) }
	r := &devnetRun{t: t, ctx: ctx, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- Run(rctx, cfg, slog.New(slog.NewTextHandler(out, nil))) }()
	select {
	case <-ready:
	case err := <-r.done:
		cancel()
		t.Fatalf("devnet stopped before it was ready: %v\n%s", err, out.String())
	case <-ctx.Done():
		cancel()
		t.Fatalf("devnet not ready in time\n%s", out.String())
	}
	c, err := client.Dial(ctx, "ws://"+cfg.RPCAddr)
	if err != nil {
		t.Fatal(err)
	}
	r.rpc = c
	if r.chain, err = c.ChainID(ctx); err != nil {
		t.Fatal(err)
	}
	return r
}

// stop cancels the run (Ctrl-C) and waits for it to stop cleanly.
func (r *devnetRun) stop(out *syncBuf) {
	r.t.Helper()
	r.rpc.Close()
	r.cancel()
	select {
	case err := <-r.done:
		if err != nil {
			r.t.Fatalf("devnet stop: %v\n%s", err, out.String())
		}
	case <-time.After(2 * time.Minute):
		r.t.Fatalf("devnet did not stop\n%s", out.String())
	}
}

// transfer sends amount wei from one wallet to another at the sender's
// pending nonce.
func (r *devnetRun) transfer(k protocol.PrivateKey, from, to uint32, amount uint64) common.Hash {
	r.t.Helper()
	acc, err := r.rpc.GetAccount(r.ctx, api.AccountByIndex(from))
	if err != nil {
		r.t.Fatal(err)
	}
	fee, err := r.rpc.EstimateFee(r.ctx, "transfer")
	if err != nil {
		r.t.Fatal(err)
	}
	f, err := fee.Fee.Int()
	if err != nil {
		r.t.Fatal(err)
	}
	args, err := client.SignTransfer(k, r.chain, from, to, uint256.NewInt(amount), f, acc.Pending.Nonce)
	if err != nil {
		r.t.Fatal(err)
	}
	h, err := r.rpc.SendTransaction(r.ctx, args)
	if err != nil {
		r.t.Fatal(err)
	}
	return h
}

func (r *devnetRun) waitFinalized(hashes ...common.Hash) {
	r.t.Helper()
	for _, h := range hashes {
		info, err := r.rpc.WaitTransaction(r.ctx, h, 200*time.Millisecond, nil, nil)
		if err != nil {
			r.t.Fatalf("wait %s: %v", h, err)
		}
		if info.Status != api.StatusFinalized {
			r.t.Fatalf("transaction %s: %s (%s)", h, info.Status, info.Reason)
		}
	}
}

// snapshot is what the test compares across a restart.
type snapshot struct {
	accounts  map[uint32]api.AccountState // pending state: includes the mempool
	batches   map[uint64]common.Hash      // finalized batches' new roots
	finalized uint64
}

func (r *devnetRun) snapshot(accounts []uint32) snapshot {
	r.t.Helper()
	s := snapshot{accounts: map[uint32]api.AccountState{}, batches: map[uint64]common.Hash{}}
	for _, a := range accounts {
		info, err := r.rpc.GetAccount(r.ctx, api.AccountByIndex(a))
		if err != nil {
			r.t.Fatal(err)
		}
		s.accounts[a] = info.Pending
	}
	n, err := r.rpc.BatchNumber(r.ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	s.finalized = n.Finalized
	for b := uint64(1); b <= n.Finalized; b++ {
		info, err := r.rpc.GetBatch(r.ctx, b)
		if err != nil {
			r.t.Fatal(err)
		}
		s.batches[b] = info.NewRoot
	}
	return s
}

// wallets loads the development wallets' keys by account index.
func wallets(t *testing.T, dir string) (map[uint32]protocol.PrivateKey, []uint32) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, walletsDir, "wallet-*.json"))
	out := map[uint32]protocol.PrivateKey{}
	var idx []uint32
	for _, f := range files {
		n, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "wallet-"), ".json"), 10, 32)
		if err != nil {
			t.Fatal(err)
		}
		kf, err := client.LoadKeyFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[uint32(n)] = kf.Key
		idx = append(idx, uint32(n))
	}
	if len(idx) != 2 {
		t.Fatalf("%d wallets, want 2", len(idx))
	}
	return out, idx
}

// TestDevnetRestart: a devnet on a data directory stops (as on Ctrl-C)
// and starts again on the same chain, database and keys: balances,
// batches and transactions (pending ones included) are all there, new
// transfers finalize, and the audit of the L1 passes.
func TestDevnetRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every service twice and proves batches: skipped in -short")
	}
	var out syncBuf
	cfg := DefaultConfig
	cfg.Circuit = protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1}
	tmp := t.TempDir()
	cfg.DataDir = filepath.Join(tmp, "devnet") // the devnet makes it
	cfg.Dir = ""
	// As root the cluster runs as the postgres user, which must reach it.
	for _, d := range []string{filepath.Dir(tmp), tmp} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cfg.L1Addr, cfg.RPCAddr, cfg.MetricsAddr, cfg.BeaconAddr = freeAddr(t), freeAddr(t), freeAddr(t), freeAddr(t)
	cfg.BlockTime = 200 * time.Millisecond
	cfg.Wallets = 2
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	// First start: set up, two transfers finalized, one more sent just
	// before the stop (pending unless the sequencer sealed it first).
	r := startDevnet(t, ctx, cfg, &out)
	keyOf, accounts := wallets(t, cfg.DataDir)
	a, b := accounts[0], accounts[1]
	done := []common.Hash{r.transfer(keyOf[a], a, b, 1e15)}
	done = append(done, r.transfer(keyOf[b], b, a, 2e15))
	r.waitFinalized(done...)
	last := r.transfer(keyOf[a], a, b, 3e15)
	info, err := r.rpc.GetTransaction(ctx, last)
	if err != nil {
		t.Fatal(err)
	}
	wasPending := info.Status == api.StatusPending
	before := r.snapshot(accounts)
	if before.finalized == 0 {
		t.Fatal("no batch finalized before the stop")
	}
	r.stop(&out)
	for _, f := range []string{stateFile, deployFile, vkFile} {
		if _, err := os.Stat(filepath.Join(cfg.DataDir, f)); err != nil {
			t.Fatal(err)
		}
	}

	// Second start on the same directory: no new deployment, same state.
	mark := len(out.String())
	r = startDevnet(t, ctx, cfg, &out)
	defer r.stop(&out)
	if strings.Contains(out.String()[mark:], "contracts deployed") {
		t.Fatal("the restart deployed the contracts again")
	}
	after := r.snapshot(accounts)
	for acc, st := range before.accounts {
		if after.accounts[acc] != st {
			t.Fatalf("account %d: %+v before the restart, %+v after", acc, st, after.accounts[acc])
		}
	}
	if after.finalized < before.finalized {
		t.Fatalf("finalized batch %d after the restart, %d before", after.finalized, before.finalized)
	}
	for n, root := range before.batches {
		if after.batches[n] != root {
			t.Fatalf("batch %d: root %s before the restart, %s after", n, root, after.batches[n])
		}
	}
	for _, h := range append(done, last) {
		info, err := r.rpc.GetTransaction(ctx, h)
		if err != nil || info == nil {
			t.Fatalf("transaction %s lost in the restart: %v", h, err)
		}
		if info.Status == api.StatusRejected {
			t.Fatalf("transaction %s rejected after the restart: %s", h, info.Reason)
		}
	}
	t.Logf("the transfer sent before the stop was pending: %v", wasPending)

	// New transfers finalize, with the one left over from before.
	fresh := r.transfer(keyOf[b], b, a, 4e15)
	r.waitFinalized(last, fresh)

	// The audit rebuilds the rollup from the L1 and agrees with the contract.
	f, err := l1.ReadDeployment(filepath.Join(cfg.DataDir, deployFile))
	if err != nil {
		t.Fatal(err)
	}
	vk, err := keys.LoadVerifyingKey(filepath.Join(cfg.DataDir, vkFile))
	if err != nil {
		t.Fatal(err)
	}
	eth, err := ethclient.Dial("http://" + cfg.L1Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer eth.Close()
	acfg := audit.DefaultConfig
	acfg.Contract, acfg.FromBlock, acfg.Finality = f.Rollup, f.Block, l1.Finality{}
	aud, err := audit.New(acfg, eth, vk, slog.New(slog.NewTextHandler(&out, nil)).With("component", "audit"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := aud.Run(ctx)
	if err != nil {
		t.Fatalf("audit: %v", err)
	}
	if !rep.OK || rep.LastBatch <= before.finalized || rep.Root != rep.ContractRoot {
		t.Fatalf("audit report %+v", rep)
	}
}
