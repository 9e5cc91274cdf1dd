// Package bench holds end-to-end benchmarks that drive real components
// (PostgreSQL, the sequencer, the JSON-RPC API) and print JSON.
package bench

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/rpc"
	"github.com/holiman/uint256"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/internal/cputime"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
	"github.com/sheafrollup/sheaf/sequencer"
)

// IngestConfig sizes an ingest run.
type IngestConfig struct {
	DBURL       string // empty: start a throw-away cluster per phase
	Clients     int
	TxPerClient int
	Circuit     protocol.Config
	// Accounts sizes the tree: 0 holds just the fee account and the
	// clients' (made by deposits, as a fresh rollup's are); more seeds
	// that many as the genesis state (the fee account, the clients', then
	// idle ones), and transfers go to accounts drawn from all of them,
	// so sealing hashes the paths a populated tree has.
	Accounts     int
	BatchDelay   time.Duration
	SealInterval time.Duration // the sustained phase's (0: seal as batches fill)
	// AcceptOnlySealInterval throttles sealing in a second phase, run on a
	// fresh database, whose rate is what acceptance alone sustains; 0 skips
	// it (so does DBURL: the phase needs an empty database).
	AcceptOnlySealInterval time.Duration
}

// Check validates the configuration.
func (c IngestConfig) Check() error {
	if c.Clients < 1 || c.TxPerClient < 1 {
		return errors.New("bench ingest: need at least one client and one transaction")
	}
	if c.Accounts != 0 && c.Accounts < c.Clients+1 {
		return fmt.Errorf("bench ingest: %d accounts cannot hold the fee account and %d clients", c.Accounts, c.Clients)
	}
	if c.SealInterval < 0 || c.AcceptOnlySealInterval < 0 || c.BatchDelay < 0 {
		return errors.New("bench ingest: negative interval")
	}
	return c.Circuit.Check()
}

// IngestResult is what `sheaf bench ingest` prints. The headline fields
// (tx_per_second, p99_ms...) are the sustained phase: sealing at pace,
// competing with acceptance for the same cores.
type IngestResult struct {
	Clients     int     `json:"clients"`
	Accepted    int     `json:"accepted"`
	Rejected    int     `json:"rejected"`
	Seconds     float64 `json:"seconds"`
	TxPerSecond float64 `json:"tx_per_second"`
	P50Ms       float64 `json:"p50_ms"`
	P99Ms       float64 `json:"p99_ms"`
	MaxMs       float64 `json:"max_ms"`
	// BacklogAtEnd is how many accepted transactions were not sealed yet
	// when the last client finished; DrainSeconds the time sealing them
	// took; SealedTxPerSecond the rate counting that drain (accepted over
	// send time plus drain time): what sealing keeps up with.
	BacklogAtEnd      int     `json:"backlog_at_end"`
	DrainSeconds      float64 `json:"drain_seconds"`
	SealedTxPerSecond float64 `json:"sealed_tx_per_second"`
	BatchesSealed     uint64  `json:"batches_sealed"`
	// SealCPUPerTransfer is the sealer's own CPU (apply the batch to the
	// sealed state with its tree and witness, encode the witness) per
	// sealed transaction, measured on the sealer's thread.
	SealCPUPerTransfer float64 `json:"seal_cpu_us_per_transfer"`
	// ProcessCPUPerTransfer is the whole process's CPU per accepted
	// transaction in the sustained phase (server, sealer and the in-process
	// clients; PostgreSQL runs in its own processes and is not counted).
	ProcessCPUPerTransfer float64 `json:"process_cpu_us_per_transfer"`
	// PGCPUPerTransfer is PostgreSQL's CPU (every process of the
	// throw-away cluster: backends, WAL writer, checkpointer, autovacuum)
	// per accepted transaction over the same span; absent with --db.url.
	PGCPUPerTransfer float64 `json:"pg_cpu_us_per_transfer,omitempty"`

	// SignatureBatchMean is how many signatures acceptance checked together
	// on average (1: no batching: the load never queued checks);
	// GroupCommitMean the transactions per group commit.
	SignatureBatchMean float64 `json:"signature_batch_mean"`
	GroupCommitMean    float64 `json:"group_commit_mean"`

	// The acceptance-only phase (sealing throttled to AcceptOnlySealInterval).
	AcceptOnlyTxPerSecond float64 `json:"accept_only_tx_per_second,omitempty"`
	AcceptOnlyP99Ms       float64 `json:"accept_only_p99_ms,omitempty"`
	// AcceptCPUPerTransfer: process CPU per accepted transaction in that
	// phase, less the sealer's; it includes the in-process clients' side of
	// JSON-RPC, so it is an upper bound on the server's acceptance cost.
	AcceptCPUPerTransfer float64 `json:"accept_cpu_us_per_transfer,omitempty"`
	// AcceptPGCPUPerTransfer is PostgreSQL's CPU per accepted transaction
	// in that phase (the batches it stores included).
	AcceptPGCPUPerTransfer float64 `json:"accept_only_pg_cpu_us_per_transfer,omitempty"`
	// SustainedRatio is tx_per_second over accept_only_tx_per_second.
	SustainedRatio float64 `json:"sustained_ratio,omitempty"`

	EdDSAVerifiesPerSec   float64 `json:"eddsa_verifies_per_second"` // all cores
	EdDSAVerifyPerSecond  float64 `json:"eddsa_verify_per_second"`   // one core: the single-core ceiling
	GOMAXPROCS            int     `json:"gomaxprocs"`
	Durable               bool    `json:"durable"` // fsync on: acceptance survives power loss
	SealIntervalSeconds   float64 `json:"seal_interval_seconds"`
	AcceptOnlySealSeconds float64 `json:"accept_only_seal_interval_seconds,omitempty"`
	FirstRejectionMessage string  `json:"first_rejection,omitempty"`
}

// Ingest drives the real API with concurrent clients against PostgreSQL:
// once with sealing at pace (the sustained rate) and, unless disabled,
// once more on a fresh database with sealing throttled (the rate
// acceptance alone reaches), so the two compare on the same machine.
func Ingest(ctx context.Context, cfg IngestConfig, log *slog.Logger) (*IngestResult, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	res := &IngestResult{Clients: cfg.Clients, GOMAXPROCS: runtime.GOMAXPROCS(0), Durable: true,
		SealIntervalSeconds: cfg.SealInterval.Seconds()}
	// Measured first, on idle cores: the ceilings the run is compared with.
	res.EdDSAVerifiesPerSec = eddsaRate(runtime.GOMAXPROCS(0))
	res.EdDSAVerifyPerSecond = eddsaRate(1)
	log.Info("native EdDSA ceiling", "verifies_per_second", res.EdDSAVerifiesPerSec, "one_core", res.EdDSAVerifyPerSecond)

	log.Info("sustained phase: sealing at pace", "seal_interval", cfg.SealInterval)
	p, err := ingestPhase(ctx, cfg, cfg.SealInterval, true, log)
	if err != nil {
		return nil, err
	}
	res.Accepted, res.Rejected, res.Seconds, res.FirstRejectionMessage = p.accepted, p.rejected, p.seconds, p.firstErr
	res.TxPerSecond, res.P50Ms, res.P99Ms, res.MaxMs = p.rate(), p.pct(0.50), p.pct(0.99), p.pct(1)
	res.BacklogAtEnd, res.DrainSeconds, res.BatchesSealed = p.backlog, p.drain.Seconds(), p.batches
	res.SignatureBatchMean, res.GroupCommitMean = p.sigBatch, p.group
	if p.accepted > 0 {
		res.SealedTxPerSecond = float64(p.accepted) / (p.seconds + p.drain.Seconds())
		res.ProcessCPUPerTransfer = us(p.procCPU) / float64(p.accepted)
		res.PGCPUPerTransfer = us(p.pgCPU) / float64(p.accepted)
	}
	if p.sealedTxs > 0 {
		res.SealCPUPerTransfer = us(p.sealCPU) / float64(p.sealedTxs)
	}
	if cfg.AcceptOnlySealInterval <= 0 || cfg.DBURL != "" {
		return res, nil
	}
	res.AcceptOnlySealSeconds = cfg.AcceptOnlySealInterval.Seconds()
	log.Info("acceptance-only phase: sealing throttled", "seal_interval", cfg.AcceptOnlySealInterval)
	a, err := ingestPhase(ctx, cfg, cfg.AcceptOnlySealInterval, false, log)
	if err != nil {
		return nil, err
	}
	if a.firstErr != "" && res.FirstRejectionMessage == "" {
		res.FirstRejectionMessage = a.firstErr
	}
	res.AcceptOnlyTxPerSecond, res.AcceptOnlyP99Ms = a.rate(), a.pct(0.99)
	if a.accepted > 0 {
		res.AcceptCPUPerTransfer = us(a.procCPU-a.sealCPU) / float64(a.accepted)
		res.AcceptPGCPUPerTransfer = us(a.pgCPU) / float64(a.accepted)
	}
	if res.AcceptOnlyTxPerSecond > 0 {
		res.SustainedRatio = res.TxPerSecond / res.AcceptOnlyTxPerSecond
	}
	return res, nil
}

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// phase is one pass of the clients over a fresh sequencer.
type phase struct {
	accepted, rejected int
	firstErr           string
	seconds            float64
	lat                []time.Duration // sorted
	backlog            int
	drain              time.Duration
	batches            uint64
	sealCPU            time.Duration // the sealer's CPU while sending (and draining)
	sealedTxs          uint64        // transactions those seals held
	procCPU            time.Duration // process CPU while sending (and draining)
	pgCPU              time.Duration // PostgreSQL's (all its processes) over the same span; 0: not measured
	sigBatch           float64       // mean signatures per batched check at acceptance
	group              float64       // mean transactions per group commit
}

func (p *phase) rate() float64 {
	if p.seconds == 0 {
		return 0
	}
	return float64(p.accepted) / p.seconds
}

func (p *phase) pct(q float64) float64 {
	if len(p.lat) == 0 {
		return 0
	}
	return float64(p.lat[min(len(p.lat)-1, int(q*float64(len(p.lat))))].Microseconds()) / 1000
}

// ingestPhase starts PostgreSQL, a sequencer sealing at sealInterval and
// the API, sends every client's transfers, and with drain waits until all
// accepted ones are sealed (forcing the last partial batch).
func ingestPhase(ctx context.Context, cfg IngestConfig, sealInterval time.Duration, drain bool, log *slog.Logger) (*phase, error) {
	pool, closeDB, pgCPU, err := databaseCPU(ctx, cfg.DBURL, "bench", 32, log)
	if err != nil {
		return nil, err
	}
	defer closeDB()

	// keys[0] holds the genesis fee account, so keys[i] gets index i+1.
	keys := protocoltest.Keys(42, cfg.Clients+1)
	accounts := len(keys)
	sc := sequencer.DefaultConfig
	sc.Circuit, sc.ChainID, sc.Contract = cfg.Circuit, protocoltest.ChainID, protocoltest.Contract
	if cfg.Accounts == 0 {
		for i, k := range keys {
			pk := k.Public().Bytes()
			if _, err := pool.Exec(ctx, `INSERT INTO deposits (queue_index, pubkey, amount, l1_block) VALUES ($1,$2,$3,1)`,
				i, pk[:], "1000000000000"); err != nil {
				return nil, fmt.Errorf("seed deposits: %w", err)
			}
		}
		if sc.Rollup, err = l1.NewFixed(cfg.Circuit, protocoltest.ChainID, protocoltest.Contract, keys[0].Public()); err != nil {
			return nil, err
		}
	} else {
		accounts = cfg.Accounts
		log.Info("seeding genesis accounts", "accounts", accounts)
		genesis := make([]protocol.Account, accounts)
		for i, k := range keys {
			genesis[i] = protocol.Account{PubKey: k.Public()}
			genesis[i].Balance.SetUint64(1000000000000)
		}
		for i, k := range fillerKeys(0, accounts-len(keys)) {
			genesis[len(keys)+i] = protocol.Account{PubKey: k}
		}
		if sc.Rollup, err = seedGenesis(ctx, pool, cfg.Circuit, genesis, 0); err != nil {
			return nil, err
		}
	}
	sc.BatchDelay = cfg.BatchDelay
	sc.SealInterval = sealInterval
	sc.PollInterval = 50 * time.Millisecond
	reg := prometheus.NewRegistry()
	seq, err := sequencer.New(sc, pool, log, reg)
	if err != nil {
		return nil, err
	}
	if err := seq.Start(ctx); err != nil {
		return nil, err
	}
	defer seq.Stop(context.Background())
	ac := api.DefaultConfig
	ac.HTTPAddr = "127.0.0.1:0"
	srv, err := api.NewServer(ac, seq, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		return nil, err
	}
	if err := srv.Start(ctx); err != nil {
		return nil, err
	}
	defer srv.Stop(context.Background())
	endpoint := "http://" + srv.Addr()

	for deadline := time.Now().Add(30 * time.Second); ; {
		a, err := seq.Account(ctx, uint32(len(keys)))
		if err == nil && a.Pending.Balance != "0" {
			break
		}
		if time.Now().After(deadline) {
			return nil, errors.New("bench ingest: deposits not applied in time")
		}
		time.Sleep(20 * time.Millisecond)
	}
	chain := seq.ChainInfo()

	// Sign everything up front: signing is the wallets' cost, not the server's.
	log.Info("signing transactions", "clients", cfg.Clients, "per_client", cfg.TxPerClient)
	txs := make([][]api.SendArgs, cfg.Clients)
	fee := uint256.NewInt(10)
	for c := range txs {
		r := rand.New(rand.NewSource(int64(c)))
		from := uint32(c + 2)
		for n := 0; n < cfg.TxPerClient; n++ {
			to := uint32(1 + r.Intn(accounts))
			args, err := client.SignTransfer(keys[c+1], chain, from, to, uint256.NewInt(uint64(1+r.Intn(1000))), fee, uint32(n))
			if err != nil {
				return nil, err
			}
			txs[c] = append(txs[c], args)
		}
	}

	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: cfg.Clients}}
	lat := make([][]time.Duration, cfg.Clients)
	var rejected atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	log.Info("sending")
	sealCPU0, sealed0 := seq.SealCPU()
	proc0 := cputime.Process()
	pg0, pgErr := pgCPU()
	start := time.Now()
	for c := 0; c < cfg.Clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			rc, err := rpc.DialOptions(ctx, endpoint, rpc.WithHTTPClient(hc))
			if err != nil {
				firstErr.CompareAndSwap(nil, err.Error())
				rejected.Add(int64(len(txs[c])))
				return
			}
			defer rc.Close()
			cl := client.New(rc)
			for _, args := range txs[c] {
				t0 := time.Now()
				if _, err := cl.SendTransaction(ctx, args); err != nil {
					rejected.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		}(c)
	}
	wg.Wait()
	p := &phase{seconds: time.Since(start).Seconds(), rejected: int(rejected.Load())}
	for _, l := range lat {
		p.lat = append(p.lat, l...)
	}
	slices.Sort(p.lat)
	p.accepted = len(p.lat)
	if v, ok := firstErr.Load().(string); ok {
		p.firstErr = v
	}
	_, sealedEnd := seq.SealCPU()
	p.backlog = p.accepted - int(sealedEnd-sealed0)
	if drain {
		// Seal the backlog now (SealNow forces the last partial batch
		// instead of waiting out the batch delay).
		t0 := time.Now()
		for deadline := t0.Add(5*time.Minute + time.Duration(p.accepted)*10*time.Millisecond); ; {
			if _, n := seq.SealCPU(); int(n-sealed0) >= p.accepted {
				break
			}
			if time.Now().After(deadline) {
				return nil, errors.New("bench ingest: the backlog was not sealed in time")
			}
			_, before := seq.SealCPU()
			if err := seq.SealNow(ctx); err != nil {
				return nil, fmt.Errorf("bench ingest: draining: %w", err)
			}
			if _, after := seq.SealCPU(); after == before {
				time.Sleep(5 * time.Millisecond) // a batch in the writer, or sealing waits
			}
		}
		p.drain = time.Since(t0)
	}
	sealCPU1, sealed1 := seq.SealCPU()
	p.procCPU = cputime.Process() - proc0
	if pg1, err := pgCPU(); err == nil && pgErr == nil {
		p.pgCPU = pg1 - pg0
	}
	p.sealCPU, p.sealedTxs = sealCPU1-sealCPU0, sealed1-sealed0
	if n, err := seq.BatchNumbers(ctx); err == nil {
		p.batches = n.Sealed
	}
	p.sigBatch = histogramMean(reg, "sheaf_sequencer_signature_batch_signatures")
	p.group = histogramMean(reg, "sheaf_sequencer_group_commit_transactions")
	return p, nil
}

// histogramMean is the mean of a histogram in reg (0: none or empty).
func histogramMean(reg prometheus.Gatherer, name string) float64 {
	mfs, err := reg.Gather()
	if err != nil {
		return 0
	}
	for _, mf := range mfs {
		if mf.GetName() != name || len(mf.GetMetric()) == 0 {
			continue
		}
		if h := mf.GetMetric()[0].GetHistogram(); h.GetSampleCount() > 0 {
			return h.GetSampleSum() / float64(h.GetSampleCount())
		}
	}
	return 0
}

// eddsaRate measures native signature verifications per second on the
// given number of goroutines.
func eddsaRate(workers int) float64 {
	k := protocoltest.Keys(1, 1)[0]
	var msg = protocol.DomainState(1, [20]byte{})
	sig, err := k.Sign(msg)
	if err != nil {
		return 0
	}
	var n atomic.Int64
	var wg sync.WaitGroup
	stop := time.Now().Add(time.Second)
	start := time.Now()
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				protocol.Verify(k.Public(), msg, sig)
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	return float64(n.Load()) / time.Since(start).Seconds()
}
