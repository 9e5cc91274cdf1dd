// Package devnet runs the whole rollup in one process on embedded
// development defaults: its own PostgreSQL cluster, an in-process L1 (go-
// ethereum's simulated chain served over HTTP JSON-RPC, blocks on a timer),
// development keys, the contracts, and the watcher, sequencer, prover pool
// and submitter, with funded development wallets. Everything here is
// UNSAFE for production: keys are deterministic and the Groth16 setup is
// single-party.
package devnet

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/circuits/exit"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/db"
	"github.com/sheafrollup/sheaf/db/pgcluster"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/blobs"
	"github.com/sheafrollup/sheaf/l1/dafee"
	"github.com/sheafrollup/sheaf/l1/submitter"
	"github.com/sheafrollup/sheaf/l1/watcher"
	"github.com/sheafrollup/sheaf/ops"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
	"github.com/sheafrollup/sheaf/prover"
	"github.com/sheafrollup/sheaf/sequencer"
)

// Config of a devnet.
type Config struct {
	// PriorityExpiry is the deadline of L1 queue entries (0: 10 minutes, so
	// exodus mode can be tried on a devnet).
	PriorityExpiry time.Duration
	Circuit        protocol.Config
	Dir            string // working folder (wallets, deployment file)
	// DataDir, if set, keeps the devnet across restarts: the L1 chain, the
	// PostgreSQL cluster, the circuit keys, the wallets and the deployment
	// live there (it replaces Dir), and a later start on it resumes the
	// same rollup instead of deploying a new one. Empty: everything but
	// Dir's files is thrown away when the devnet stops.
	DataDir     string
	L1Addr      string // L1 JSON-RPC (host:port)
	RPCAddr     string // wallet JSON-RPC
	MetricsAddr string // Prometheus and health
	// BeaconAddr serves the devnet's blobs over the Beacon API
	// (/eth/v1/beacon/blob_sidecars), for `sheaf audit --l1.beacon`.
	BeaconAddr string
	BlockTime  time.Duration // L1 block interval
	Wallets    int           // funded development wallets
	Demo       bool          // keep deposits, transfers and withdrawals flowing
	// StopAfter ends the run once this many batches are finalized on L1
	// (0: run until cancelled). Tests use it.
	StopAfter int
	// OnReady, if set, is called once every service runs and the wallets
	// are funded. Tests use it.
	OnReady func()
	// DAChooser picks each batch's mode in an auto deployment (nil: the
	// L1 fee chooser, l1/dafee, on the devnet's chain). Tests inject one
	// to get both modes from batches far too small for blobs to pay.
	DAChooser sequencer.DAChooser
}

// Check validates the configuration.
func (c Config) Check() error {
	if err := c.Circuit.Check(); err != nil {
		return err
	}
	switch {
	case c.Dir == "" && c.DataDir == "":
		return errors.New("devnet: a working folder is required")
	case c.Wallets < 2:
		return errors.New("devnet: need at least 2 wallets")
	case c.BlockTime <= 0:
		return errors.New("devnet: block time must be positive")
	case c.StopAfter < 0:
		return errors.New("devnet: StopAfter must not be negative")
	}
	for _, a := range []string{c.L1Addr, c.RPCAddr, c.BeaconAddr} {
		if _, _, err := net.SplitHostPort(a); err != nil {
			return fmt.Errorf("devnet: address %q: %w", a, err)
		}
	}
	return nil
}

// DefaultConfig proves a batch in a few seconds on a laptop.
var DefaultConfig = Config{
	Circuit:     protocol.Config{Depth: 16, Deposits: 2, Transfers: 8, Withdrawals: 2},
	Dir:         ".devnet",
	L1Addr:      "127.0.0.1:8545",
	RPCAddr:     "127.0.0.1:8645",
	MetricsAddr: "127.0.0.1:9645",
	BeaconAddr:  "127.0.0.1:5052", // a beacon node's usual API port
	BlockTime:   time.Second,
	Wallets:     4,
}

// devKey is a deterministic, publicly known L1 key: development only.
func devKey(name string) *ecdsa.PrivateKey {
	k, err := crypto.ToECDSA(crypto.Keccak256([]byte("sheaf devnet UNSAFE " + name)))
	if err != nil {
		panic(err)
	}
	return k
}

var ether = new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)

// stopper stops started services in reverse order.
type stopper []interface{ Stop(context.Context) error }

func (s stopper) stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var errs []error
	for i := len(s) - 1; i >= 0; i-- {
		errs = append(errs, s[i].Stop(ctx))
	}
	return errors.Join(errs...)
}

// closer adapts a close function to the stopper.
type closer func()

func (c closer) Stop(context.Context) error { c(); return nil }

type starter interface {
	Start(context.Context) error
	Stop(context.Context) error
}

// Run starts the devnet and blocks until ctx is cancelled (or StopAfter
// batches are finalized), then stops everything.
func Run(ctx context.Context, cfg Config, log *slog.Logger) (err error) {
	if err := cfg.Check(); err != nil {
		return err
	}
	var started stopper
	defer func() { err = errors.Join(err, started.stop()) }()
	start := func(name string, s starter) error {
		if err := s.Start(ctx); err != nil {
			return fmt.Errorf("devnet: start %s: %w", name, err)
		}
		started = append(started, s)
		return nil
	}

	// Without a data directory the L1 lives in memory, so each run starts a
	// fresh chain and with it a fresh, throw-away database (state that
	// refers to a vanished chain would be wrong); the folder keeps the
	// wallets and the deployment file. With one, chain and database live
	// there together, and a stored state means both are set up.
	var st *state
	pgOpts := pgcluster.Options{Log: log}
	if cfg.DataDir != "" {
		// Absolute: PostgreSQL and the L1 node resolve it on their own.
		if cfg.DataDir, err = filepath.Abs(cfg.DataDir); err != nil {
			return err
		}
		cfg.Dir = cfg.DataDir
		// Searchable by others: as root, PostgreSQL runs as its own user and
		// must reach its cluster inside (the wallets folder stays private).
		if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
			return err
		}
		if st, err = loadState(cfg.DataDir); err != nil {
			return err
		}
		if st != nil {
			if err := st.check(cfg); err != nil {
				return err
			}
		}
		pgOpts.Dir = filepath.Join(cfg.DataDir, postgresDir)
	}
	if err := os.MkdirAll(filepath.Join(cfg.Dir, walletsDir), 0o700); err != nil {
		return err
	}

	if cfg.DataDir == "" {
		log.Info("starting a throw-away PostgreSQL cluster")
	} else {
		log.Info("starting the devnet's PostgreSQL cluster", "dir", pgOpts.Dir)
	}
	cluster, err := pgcluster.Start(ctx, pgOpts)
	if err != nil {
		return err
	}
	started = append(started, cluster)
	if st == nil {
		if err := cluster.CreateDatabase(ctx, "sheaf"); err != nil {
			return err
		}
	}
	pool, err := db.Open(ctx, db.Config{URL: cluster.URL("sheaf"), MaxConns: 24, Migrate: true}, log)
	if err != nil {
		return err
	}
	started = append(started, closer(pool.Close))

	// L1: the simulated chain with mainnet-like gas, served over HTTP.
	deployer, seqKey := devKey("deployer"), devKey("sequencer")
	alloc := types.GenesisAlloc{}
	l1Keys := []*ecdsa.PrivateKey{deployer, seqKey}
	for i := 0; i < cfg.Wallets; i++ {
		l1Keys = append(l1Keys, devKey("wallet "+strconv.Itoa(i)))
	}
	// An auto deployment sends its blob batches from a key of their own,
	// the rollup's blob sequencer (node pools keep an address to blob or
	// to other transactions).
	blobKey := devKey("blob submitter")
	for _, k := range append([]*ecdsa.PrivateKey{blobKey}, l1Keys...) {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(10_000), ether)}
	}
	host, portStr, _ := net.SplitHostPort(cfg.L1Addr)
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return fmt.Errorf("devnet: L1 port: %w", err)
	}
	var chain l1Client
	if cfg.DataDir == "" {
		sim := l1.NewSimulatedChain(alloc, l1.MainnetLikeGas, l1.ServeHTTP(host, port))
		chain = sim.Client()
		started = append(started, closer(func() { sim.Close() })) // stops the miner first
		sim.Mine(cfg.BlockTime)
	} else {
		if st != nil && !l1.DevChainExists(cfg.DataDir) {
			return fmt.Errorf("devnet: %s has a devnet state but no L1 chain: remove the folder to start over", cfg.DataDir)
		}
		// The genesis alloc counts only when the chain is created.
		dc, err := l1.OpenDevChain(cfg.DataDir, alloc, l1.MainnetLikeGas, l1.ServeHTTP(host, port))
		if err != nil {
			return err
		}
		chain = dc.Client()
		miner := l1.StartMiner(dc, cfg.BlockTime)
		started = append(started, closer(func() { miner.Stop(); dc.Close() }))
	}
	chainID, err := chain.ChainID(ctx)
	if err != nil {
		return err
	}
	log.Info("L1 running", "rpc", "http://"+cfg.L1Addr, "chain_id", chainID)

	log.Info("loading the circuit and development keys (first run: single-party setup, UNSAFE, takes a minute or more)",
		"config", cfg.Circuit.String())
	circuits, err := loadCircuits(ctx, cfg, st != nil, log)
	if err != nil {
		return err
	}
	depFile := filepath.Join(cfg.Dir, deployFile)
	vkPaths := []string{filepath.Join(cfg.Dir, vkFile), filepath.Join(cfg.Dir, blobVKFile)}[:len(circuits)]
	l2Keys := protocoltest.Keys(chainID.Int64(), cfg.Wallets)
	var dep *l1.Deployment
	if st != nil {
		f, err := l1.ReadDeployment(depFile)
		if err != nil {
			return err
		}
		if f.ChainID != chainID.Uint64() || st.ChainID != f.ChainID {
			return fmt.Errorf("devnet: %s is for chain %d, the L1 is chain %s", depFile, f.ChainID, chainID)
		}
		dep = f.Deployment()
		log.Info("resuming the devnet", "dir", cfg.DataDir, "rollup", dep.Rollup)
	} else if dep, err = deployContracts(ctx, cfg, chain, circuits, deployer, seqKey, blobKey, l2Keys[0], depFile, vkPaths, log); err != nil {
		return err
	}

	reg := prometheus.NewRegistry()
	wcfg := watcher.DefaultConfig
	// A devnet's blocks come fast and nothing reorgs them: one block deep.
	wcfg.Contract, wcfg.FromBlock, wcfg.Finalized, wcfg.Confirmations, wcfg.PollInterval = dep.Rollup, dep.Block, false, 1, cfg.BlockTime/2
	w, err := watcher.New(wcfg, chain, pool, log.With("component", "watcher"), reg)
	if err != nil {
		return err
	}
	if err := start("watcher", w); err != nil {
		return err
	}
	scfg := sequencer.DefaultConfig
	scfg.Circuit, scfg.ChainID, scfg.Contract = cfg.Circuit, chainID.Uint64(), dep.Rollup
	scfg.Rollup = l1.NewReader(chain, dep.Rollup, dep.Block, l1.DefaultFinality)
	scfg.BatchDelay, scfg.PollInterval = 2*time.Second, 200*time.Millisecond
	if cfg.Circuit.Auto() {
		scfg.DAChooser = cfg.DAChooser
		if scfg.DAChooser == nil {
			src, ok := chain.(dafee.Source) // go-ethereum's client, inside both chains' wrappers
			if !ok {
				return fmt.Errorf("devnet: the L1 client %T cannot read the blob base fee", chain)
			}
			if scfg.DAChooser, err = dafee.New(src, dafee.DefaultConfig, log.With("component", "dafee")); err != nil {
				return err
			}
		}
	}
	seq, err := sequencer.New(scfg, pool, log.With("component", "sequencer"), reg)
	if err != nil {
		return err
	}
	if err := start("sequencer", seq); err != nil {
		return err
	}
	pcfg := prover.DefaultConfig
	pcfg.Circuits, pcfg.Workers, pcfg.PollInterval = cfg.Circuit.Modes(), 1, time.Second
	prv, err := prover.New(pcfg, pool, circuits, log.With("component", "prover"), reg)
	if err != nil {
		return err
	}
	if err := start("prover", prv); err != nil {
		return err
	}
	subcfg := submitter.DefaultConfig
	subcfg.Contract, subcfg.ChainID, subcfg.Confirmations, subcfg.PollInterval = dep.Rollup, chainID.Uint64(), 2, cfg.BlockTime/2
	// A blob-mode circuit's batches go out as blob transactions; the
	// devnet's sequencer key signs nothing but the submitter's
	// transactions, so it is the dedicated blob key that mode needs.
	subcfg.DA = cfg.Circuit.DA
	keys := submitter.Keys{Calldata: seqKey}
	if cfg.Circuit.Auto() {
		// Auto: calldata batches from the sequencer key, blob batches
		// from the blob key, the rollup's blob sequencer.
		keys.Blob = blobKey
	}
	var sub *submitter.Submitter
	if keys.Blob != nil {
		sub, err = submitter.NewWithKeys(subcfg, pool, chain, keys, log.With("component", "submitter"), reg)
	} else {
		sub, err = submitter.New(subcfg, pool, chain, seqKey, log.With("component", "submitter"), reg)
	}
	if err != nil {
		return err
	}
	if err := start("submitter", sub); err != nil {
		return err
	}
	acfg := api.DefaultConfig
	acfg.HTTPAddr = cfg.RPCAddr
	acfg.CORSOrigins = []string{"*"} // development: web wallets on any local page (sdk/ts/examples/web)
	srv, err := api.NewServer(acfg, seq, log.With("component", "api"), reg)
	if err != nil {
		return err
	}
	if err := start("api", srv); err != nil {
		return err
	}
	if err := start("beacon endpoint", newBeaconServer(cfg.BeaconAddr, chain, blobs.NewPostgres(pool), log.With("component", "beacon"))); err != nil {
		return err
	}
	checks := []func() error{ops.Readiness("watcher", w), ops.Readiness("sequencer", seq),
		ops.Readiness("prover", prv), ops.Readiness("submitter", sub)}
	opsSrv := ops.New(ops.Config{Addr: cfg.MetricsAddr}, reg, func() error {
		var errs []error
		for _, c := range checks {
			errs = append(errs, c())
		}
		return errors.Join(errs...)
	}, log)
	if err := start("metrics", opsSrv); err != nil {
		return err
	}

	// Development wallets: L1 accounts deposit for their L2 keys (the first
	// key is the operator's fee key: account 1, the fee account, from
	// genesis). Each key file is named after the account index it holds,
	// known once the sequencer has applied the deposit.
	dn := &net_{ctx: ctx, chain: chain, dep: dep, seq: seq, log: log, chainID: chainID}
	walletDir := filepath.Join(cfg.Dir, walletsDir)
	var indexes []uint32
	if st != nil {
		indexes = st.Accounts // funded on the first start; their files are there
	} else {
		if indexes, err = fundWallets(dn, walletDir, l1Keys[2:], l2Keys); err != nil {
			return err
		}
		if cfg.DataDir != "" {
			st = &state{Version: stateVersion, ChainID: chainID.Uint64(), Circuit: cfg.Circuit, Wallets: cfg.Wallets, Accounts: indexes}
			if err := st.save(cfg.DataDir); err != nil {
				return err
			}
		}
	}
	feeNote := ""
	for _, idx := range indexes {
		if idx == 1 { // the genesis fee account
			feeNote = fmt.Sprintf("; wallet-%d is also the fee account", idx)
		}
	}
	auditVKs := vkPaths[0]
	if len(vkPaths) > 1 { // auto: the blob twin's key too
		auditVKs += " --audit.blob-vk " + vkPaths[1]
	}
	fmt.Fprintf(os.Stderr, `
Sheaf devnet is running (development only: public keys, single-party setup).

  L1 JSON-RPC      http://%s   (chain id %s)
  rollup contract  %s
  wallet JSON-RPC  http://%s   (WebSocket on the same address)
  metrics          http://%s/metrics  /healthz  /readyz
  beacon API       http://%s   (blob sidecars of the devnet's blobs)
  deployment       %s
  wallets          %s/wallet-<account index>.json (each funded with 100 ETH on L2%s)

Try:
  sheaf wallet show --rpc http://%s --wallet.file %s
  sheaf wallet transfer --rpc http://%s --wallet.file %s --to %d --amount 1000000000000000000
  sheaf wallet status --rpc ws://%s --tx <hash> --wait
  sheaf audit --l1.rpc http://%s --l1.beacon http://%s --deploy.file %s --audit.vk %s

Ctrl-C stops everything.
`, cfg.L1Addr, chainID, dep.Rollup, cfg.RPCAddr, cfg.MetricsAddr, cfg.BeaconAddr, depFile, walletDir, feeNote,
		cfg.RPCAddr, walletFile(walletDir, indexes[1]), cfg.RPCAddr, walletFile(walletDir, indexes[1]), indexes[0], cfg.RPCAddr,
		cfg.L1Addr, cfg.BeaconAddr, depFile, auditVKs)
	if cfg.OnReady != nil {
		cfg.OnReady()
	}

	if cfg.Demo {
		go dn.demo(l1Keys[2:], l2Keys)
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-seq.Done():
			return fmt.Errorf("devnet: sequencer stopped: %w", seq.Err())
		case <-sub.Done():
			return fmt.Errorf("devnet: submitter stopped: %w", sub.Err())
		case <-w.Done():
			return fmt.Errorf("devnet: watcher stopped: %w", w.Err())
		case <-tick.C:
			if cfg.StopAfter == 0 {
				continue
			}
			n, err := seq.BatchNumbers(ctx)
			if err == nil && n.Finalized >= uint64(cfg.StopAfter) {
				log.Info("finalized batches reached", "finalized", n.Finalized)
				return nil
			}
		}
	}
}

// interface guards: the devnet starts these through one small interface.
var (
	_ starter = (*sequencer.Sequencer)(nil)
	_ starter = (*prover.Pool)(nil)
	_ starter = (*submitter.Submitter)(nil)
	_ starter = (*watcher.Watcher)(nil)
	_ starter = (*api.Server)(nil)
	_ starter = (*ops.Server)(nil)
)

// l1Client is what the devnet's services need of the L1 (both the
// simulated backend's client and an ethclient have it).
type l1Client interface {
	l1.Backend
	submitter.Client
	blobs.L1 // the beacon endpoint reads blocks
}

// loadCircuits loads the development keys of the circuits the deployment
// proves with (cfg.Circuit.Modes(): the circuit, or an auto deployment's
// calldata and blob twins, in that order).
func loadCircuits(ctx context.Context, cfg Config, resume bool, log *slog.Logger) ([]*prover.Circuit, error) {
	var out []*prover.Circuit
	for _, m := range cfg.Circuit.Modes() {
		c, err := loadCircuit(ctx, cfg, m, resume, log)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// loadCircuit loads circuit m's development keys: from the key cache,
// or with a data directory from its copy there (made on the first start),
// as the deployed verifier was made from those keys.
func loadCircuit(ctx context.Context, cfg Config, m protocol.Config, resume bool, log *slog.Logger) (*prover.Circuit, error) {
	if cfg.DataDir == "" {
		return prover.LoadCircuit(ctx, m, "", log)
	}
	dir := filepath.Join(cfg.DataDir, keysDir)
	if resume {
		return prover.LoadCircuit(ctx, m, dir, log)
	}
	c, err := prover.LoadCircuit(ctx, m, "", log)
	if err != nil {
		return nil, err
	}
	hash, err := keys.CircuitHash(c.CCS)
	if err != nil {
		return nil, err
	}
	if err := copyDir(filepath.Join(keys.CacheDir(), hash), filepath.Join(dir, m.String())); err != nil {
		return nil, fmt.Errorf("devnet: keep the circuit keys: %w", err)
	}
	return c, nil
}

// deployContracts deploys the verifiers and the rollup (the first key is
// the operator's fee key: account 1 at genesis) and writes the deployment
// file and, beside it so an auditor needs nothing else, the verifying keys
// (circuits and vkPaths: one per cfg.Circuit.Modes(); an auto
// deployment's blob twin's verifier is its blob verifier).
func deployContracts(ctx context.Context, cfg Config, chain l1.Backend, circuits []*prover.Circuit, deployer, seqKey, blobKey *ecdsa.PrivateKey,
	feeKey protocol.PrivateKey, depFile string, vkPaths []string, log *slog.Logger) (*l1.Deployment, error) {
	var verifiers [][]byte
	for _, c := range circuits {
		code, err := l1.CompileVerifier(ctx, c.Keys.VK)
		if err != nil {
			return nil, fmt.Errorf("devnet: compile the verifier of %s (run npm ci): %w", c.Config, err)
		}
		verifiers = append(verifiers, code)
	}
	if cfg.PriorityExpiry == 0 {
		cfg.PriorityExpiry = 10 * time.Minute
	}
	exitVerifier, err := exitVerifierBytecode(ctx, cfg.Circuit.Depth, log)
	if err != nil {
		return nil, err
	}
	dcfg := l1.DeployConfig{Circuit: cfg.Circuit, VerifierBytecode: verifiers[0], ExitVerifierBytecode: exitVerifier,
		Sequencer: crypto.PubkeyToAddress(seqKey.PublicKey), FeeKey: feeKey.Public(), PriorityExpiry: cfg.PriorityExpiry}
	if cfg.Circuit.Auto() {
		dcfg.BlobVerifierBytecode, dcfg.BlobSequencer = verifiers[1], crypto.PubkeyToAddress(blobKey.PublicKey)
	}
	dep, err := l1.Deploy(ctx, chain, deployer, dcfg)
	if err != nil {
		return nil, err
	}
	os.Remove(depFile)
	if err := l1.WriteDeployment(depFile, l1.NewDeploymentFile(dep, dcfg)); err != nil {
		return nil, err
	}
	log.Info("contracts deployed", "rollup", dep.Rollup, "verifier", dep.Verifier, "blob_verifier", dep.BlobVerifier, "file", depFile)
	for i, c := range circuits {
		if err := writeVK(vkPaths[i], c); err != nil {
			return nil, err
		}
	}
	return dep, nil
}

// fundWallets deposits for each L2 key from its L1 key and writes each
// key's file, named after the account index it holds (known once the
// sequencer has applied the deposit); it returns the indexes.
func fundWallets(dn *net_, walletDir string, l1Keys []*ecdsa.PrivateKey, l2Keys []protocol.PrivateKey) ([]uint32, error) {
	for i, k := range l2Keys {
		if err := dn.deposit(l1Keys[i], k.Public(), new(big.Int).Mul(big.NewInt(100), ether)); err != nil {
			return nil, err
		}
	}
	if old, _ := filepath.Glob(filepath.Join(walletDir, "wallet-*.json")); len(old) > 0 {
		for _, f := range old {
			os.Remove(f)
		}
	}
	indexes := make([]uint32, len(l2Keys))
	for i, k := range l2Keys {
		idx, err := dn.waitAccount(k.Public())
		if err != nil {
			return nil, err
		}
		indexes[i] = idx
		if err := client.SaveKeyFile(walletFile(walletDir, idx), k, &client.Domain{ChainID: dn.chainID.Uint64(), Contract: dn.dep.Rollup}); err != nil {
			return nil, err
		}
	}
	return indexes, nil
}

// walletFile names a development wallet's key file after its account index.
func walletFile(dir string, index uint32) string {
	return filepath.Join(dir, fmt.Sprintf("wallet-%d.json", index))
}

func writeVK(path string, c *prover.Circuit) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := c.Keys.VK.WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("devnet: write verifying key: %w", err)
	}
	return f.Close()
}

// exitVerifierBytecode compiles the exit circuit's verifier at depth, from
// development keys (cached like the batch circuit's).
func exitVerifierBytecode(ctx context.Context, depth int, log *slog.Logger) ([]byte, error) {
	ccs, err := exit.Compile(depth)
	if err != nil {
		return nil, err
	}
	set, err := keys.Cached(ctx, protocol.Config{Depth: depth}, ccs, keys.SetupOptions{Circuit: keys.CircuitExit, Log: log})
	if err != nil {
		return nil, fmt.Errorf("devnet: exit circuit keys: %w", err)
	}
	code, err := l1.CompileVerifier(ctx, set.VK)
	if err != nil {
		return nil, fmt.Errorf("devnet: compile the exit verifier (run npm ci): %w", err)
	}
	return code, nil
}
