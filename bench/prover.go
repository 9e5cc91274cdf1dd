package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend/cs"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sheafrollup/sheaf/circuits"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
	"github.com/sheafrollup/sheaf/prover"
)

// ProverConfig sizes a prover run.
type ProverConfig struct {
	DBURL     string // empty: start a throw-away cluster
	Circuit   protocol.Config
	Batches   int
	KeysDir   string // empty: development keys from the local cache (setup once per machine)
	Backend   string // cpu (default) or gpu
	GPUDevice int    // CUDA device of the gpu backend
	// NoPool skips the pool half (and PostgreSQL): only the bare proofs,
	// with solve and prove timed apart (the GPU check uses this).
	NoPool bool
}

// ProverResult is what `sheaf bench prover` prints.
type ProverResult struct {
	Config              protocol.Config `json:"config"`
	Batches             int             `json:"batches"`
	TransfersPerBatch   int             `json:"transfers_per_batch"`
	Constraints         int             `json:"constraints"`
	Backend             string          `json:"backend"`
	GOMAXPROCS          int             `json:"gomaxprocs"`
	LoadSeconds         float64         `json:"load_seconds"` // compile + keys (setup if not cached)
	PoolSecondsPerBatch float64         `json:"pool_seconds_per_batch"`
	BareSecondsPerBatch float64         `json:"bare_seconds_per_batch"`
	OverheadRatio       float64         `json:"overhead_ratio"`
	TransfersPerSecond  float64         `json:"transfers_per_second"` // through the pool, full batches
	// The bare proofs split in two (means per batch): the witness solve
	// alone (the constraint system's Solve, on the CPU for every backend),
	// and the rest of groth16.Prove (MSMs and FFTs: what a GPU speeds up),
	// which is the whole Prove minus a solve timed just before it.
	SolveSeconds float64 `json:"solve_seconds"`
	ProveSeconds float64 `json:"prove_seconds"`
	// Verified: every bare proof verified natively (groth16.Verify on the
	// CPU); InvalidProofs counts the ones that did not.
	Verified      bool  `json:"verified"`
	InvalidProofs int   `json:"invalid_proofs"`
	PeakRSSBytes  int64 `json:"peak_rss_bytes"` // the process's maximum resident set (getrusage), key setup and loading included
	// WarmupSeconds: the gpu backend's first proof, not timed with the
	// others (it loads the ICICLE backend, warms the device up and copies
	// the proving key to GPU memory once per process).
	WarmupSeconds float64 `json:"warmup_seconds,omitempty"`
}

// Prover proves the same batches with the backend's bare prover (witness
// built from the decoded batch, Solidity target; the witness solve timed
// apart; every proof verified natively) and, unless cfg.NoPool, through a one-worker pool
// (claim from PostgreSQL, JSON witness decode, prove, local verify, store),
// on the same machine in one run.
func Prover(ctx context.Context, cfg ProverConfig, log *slog.Logger) (*ProverResult, error) {
	if cfg.Batches < 1 {
		return nil, errors.New("bench prover: need at least one batch")
	}
	if err := cfg.Circuit.Check(); err != nil {
		return nil, err
	}
	if cfg.Circuit.Transfers < 1 {
		return nil, errors.New("bench prover: the configuration needs transfer slots")
	}
	res := &ProverResult{Config: cfg.Circuit, Batches: cfg.Batches, TransfersPerBatch: cfg.Circuit.Transfers,
		Backend: cfg.Backend, GOMAXPROCS: runtime.GOMAXPROCS(0)}
	if res.Backend == "" {
		res.Backend = prover.BackendCPU
	}
	t0 := time.Now()
	c, err := prover.LoadCircuit(ctx, cfg.Circuit, cfg.KeysDir, log)
	if err != nil {
		return nil, err
	}
	res.LoadSeconds = time.Since(t0).Seconds()
	res.Constraints = c.CCS.GetNbConstraints()
	batches, err := fullTransferBatches(cfg.Circuit, cfg.Batches)
	if err != nil {
		return nil, err
	}

	// Bare: what a proof costs with nothing around it.
	be, err := prover.NewBackend(res.Backend, cfg.GPUDevice, c)
	if err != nil {
		return nil, err
	}
	if res.Backend == prover.BackendGPU {
		t := time.Now()
		w, err := circuits.Witness(batches[0])
		if err != nil {
			return nil, err
		}
		proof, err := be.Prove(w)
		if err != nil {
			return nil, fmt.Errorf("warm-up prove: %w", err)
		}
		res.WarmupSeconds = time.Since(t).Seconds()
		if err := verifyBare(c, proof, w, res, log); err != nil {
			return nil, err
		}
		log.Info("warm-up proof", "seconds", res.WarmupSeconds)
	}
	var bare, solve, prove time.Duration
	for _, b := range batches {
		t := time.Now()
		w, err := circuits.Witness(b)
		if err != nil {
			return nil, err
		}
		ts := time.Now()
		if err := Solve(c, w); err != nil {
			return nil, fmt.Errorf("solve: %w", err)
		}
		s := time.Since(ts)
		tp := time.Now()
		proof, err := be.Prove(w)
		if err != nil {
			return nil, fmt.Errorf("bare prove: %w", err)
		}
		whole := time.Since(tp)
		bare += time.Since(t)
		solve += s
		prove += max(whole-s, 0)
		if err := verifyBare(c, proof, w, res, log); err != nil {
			return nil, err
		}
		log.Info("bare proof", "batch", b.Header.Number, "seconds", time.Since(t).Seconds(), "solve_seconds", s.Seconds())
	}
	n := float64(len(batches))
	res.BareSecondsPerBatch = bare.Seconds() / n
	res.SolveSeconds = solve.Seconds() / n
	res.ProveSeconds = prove.Seconds() / n
	res.Verified = res.InvalidProofs == 0
	if cfg.NoPool {
		res.PeakRSSBytes = peakRSS()
		return res, nil
	}

	// Pool: the same batches from PostgreSQL, end to end.
	pool, closeDB, err := database(ctx, cfg.DBURL, "prover", 8, log)
	if err != nil {
		return nil, err
	}
	defer closeDB()
	p, err := prover.New(prover.Config{Circuits: []protocol.Config{cfg.Circuit}, Backend: res.Backend, GPUDevice: cfg.GPUDevice,
		PollInterval: time.Second}, pool, []*prover.Circuit{c}, log, nil)
	if err != nil {
		return nil, err
	}
	if err := p.Start(ctx); err != nil {
		return nil, err
	}
	defer p.Stop(context.Background()) //nolint:errcheck
	time.Sleep(200 * time.Millisecond) // the listener is up
	t1 := time.Now()
	if err := insertBatches(ctx, pool, batches); err != nil {
		return nil, err
	}
	for {
		var done, failed int
		if err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE status = 'done'), count(*) FILTER (WHERE status = 'failed') FROM proof_jobs`).Scan(&done, &failed); err != nil {
			return nil, err
		}
		if failed > 0 {
			return nil, fmt.Errorf("bench prover: %d jobs failed", failed)
		}
		if done == len(batches) {
			break
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
	pooled := time.Since(t1)
	res.PoolSecondsPerBatch = pooled.Seconds() / float64(len(batches))
	res.OverheadRatio = res.PoolSecondsPerBatch / res.BareSecondsPerBatch
	res.TransfersPerSecond = float64(cfg.Circuit.Transfers) / res.PoolSecondsPerBatch
	res.PeakRSSBytes = peakRSS()
	return res, nil
}

// verifyBare verifies a bare proof natively; one that does not verify is
// counted in res (the run goes on, so a GPU check reports every size).
func verifyBare(c *prover.Circuit, proof groth16.Proof, w witness.Witness, res *ProverResult, log *slog.Logger) error {
	_, err := prover.Verify(c, proof, w)
	if errors.Is(err, prover.ErrInvalidProof) {
		res.InvalidProofs++
		log.Error("proof does not verify", "backend", res.Backend, "err", err)
		return nil
	}
	return err
}

// Solve runs the witness solver alone, as groth16.Prove runs it first.
// A Groth16 commitment's hint (none in Sheaf's circuits today) is stood in
// for by a constant: its real value needs the proving key's commitment MSM,
// which belongs to the proof half.
func Solve(c *prover.Circuit, w witness.Witness) error {
	var opts []solver.Option
	if cm := c.CCS.GetCommitments(); cm != nil && len(cm.CommitmentIndexes()) > 0 {
		opts = append(opts, solver.OverrideHint(solver.GetHintID(cs.Bsb22CommitmentComputePlaceholder),
			func(_ *big.Int, _ []*big.Int, out []*big.Int) error { out[0].SetUint64(1); return nil }))
	}
	_, err := c.CCS.Solve(w, opts...)
	return err
}

// peakRSS is the process's maximum resident set in bytes (Linux reports
// ru_maxrss in KiB).
func peakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return int64(ru.Maxrss) * 1024
}

// fullTransferBatches applies n consecutive batches whose transfer slots
// are all used (deposit and withdrawal slots stay empty).
func fullTransferBatches(cfg protocol.Config, n int) ([]*protocol.Batch, error) {
	accounts := cfg.Transfers + 1
	w, err := protocoltest.NewWorld(cfg, accounts+1, 1_000_000_000)
	if err != nil {
		return nil, err
	}
	var out []*protocol.Batch
	for k := 0; k < n; k++ {
		in := protocol.BatchInput{FeeAccount: 1}
		for i := 0; i < cfg.Transfers; i++ {
			from := uint32(2 + i)
			to := uint32(2 + (i+1)%accounts)
			in.Transfers = append(in.Transfers, w.Transfer(from, to, 1000, 10, 0))
		}
		b, err := w.State.ApplyBatch(in)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// insertBatches stores sealed batches and their jobs as the sequencer does
// (sequencer/store.go), then notifies.
func insertBatches(ctx context.Context, pool *pgxpool.Pool, batches []*protocol.Batch) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	for _, b := range batches {
		cfgJSON, err := json.Marshal(b.Config)
		if err != nil {
			return err
		}
		witness := protocol.EncodeWitness(b)
		h := b.Header
		piE := b.PublicInput()
		or, nr, pi := h.OldRoot.Bytes(), h.NewRoot.Bytes(), piE.Bytes()
		if _, err := tx.Exec(ctx, `INSERT INTO batches (number, config, old_root, new_root, header, pubdata, public_input, witness,
			deposit_start, deposit_count, tx_count, status) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,'sealed')`,
			int64(h.Number), cfgJSON, or[:], nr[:], h.Bytes(), b.Pubdata, pi[:], witness,
			int64(h.DepositStart), int(h.DepositCount), len(b.Transfers)+len(b.Withdrawals)); err != nil {
			return fmt.Errorf("insert batch: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO proof_jobs (batch_number, status) VALUES ($1, 'queued')`, int64(h.Number)); err != nil {
			return fmt.Errorf("insert proof job: %w", err)
		}
		if _, err := tx.Exec(ctx, `SELECT pg_notify('sheaf_batches', $1)`, strconv.FormatUint(h.Number, 10)); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}
