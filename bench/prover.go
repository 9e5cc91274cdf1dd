package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strconv"
	"time"

	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sheafrollup/sheaf/circuits"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
	"github.com/sheafrollup/sheaf/prover"
)

// ProverConfig sizes a prover run.
type ProverConfig struct {
	DBURL   string // empty: start a throw-away cluster
	Circuit protocol.Config
	Batches int
	KeysDir string // empty: development keys from the local cache (setup once per machine)
	Backend string // cpu (default) or gpu
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
}

// Prover proves the same batches with bare groth16.Prove (witness built
// from the decoded batch, Solidity target) and through a one-worker pool
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
	var bare time.Duration
	for _, b := range batches {
		t := time.Now()
		w, err := circuits.Witness(b)
		if err != nil {
			return nil, err
		}
		if _, err := groth16.Prove(c.CCS, c.Keys.PK, w, solidity.WithProverTargetSolidityVerifier(backend.GROTH16)); err != nil {
			return nil, fmt.Errorf("bare prove: %w", err)
		}
		bare += time.Since(t)
		log.Info("bare proof", "batch", b.Header.Number, "seconds", time.Since(t).Seconds())
	}
	res.BareSecondsPerBatch = bare.Seconds() / float64(len(batches))

	// Pool: the same batches from PostgreSQL, end to end.
	pool, closeDB, err := database(ctx, cfg.DBURL, "prover", 8, log)
	if err != nil {
		return nil, err
	}
	defer closeDB()
	p, err := prover.New(prover.Config{Circuits: []protocol.Config{cfg.Circuit}, Backend: res.Backend,
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
	return res, nil
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
