package prover

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sheafrollup/sheaf/db"
	"github.com/sheafrollup/sheaf/db/pgtest"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

func TestMain(m *testing.M) {
	if url := os.Getenv(childEnv); url != "" {
		os.Exit(runChild(url))
	}
	os.Exit(pgtest.Main(m))
}

// testCfg is the smallest configuration with every slot kind (the one the
// circuits tests use, so its cached keys are shared).
var testCfg = protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1}

func openDB(t *testing.T) (string, *pgxpool.Pool) {
	t.Helper()
	url := pgtest.NewDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pool, err := db.Open(ctx, db.Config{URL: url, MaxConns: 8, Migrate: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	// Test-only audit log: one row per transition to 'proven', so a batch
	// proven twice shows up.
	if _, err := pool.Exec(ctx, `CREATE TABLE proven_log (batch_number bigint, at timestamptz DEFAULT clock_timestamp());
		CREATE FUNCTION log_proven() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF NEW.status = 'proven' THEN INSERT INTO proven_log (batch_number) VALUES (NEW.number); END IF;
			RETURN NEW;
		END $$;
		CREATE TRIGGER batches_proven_log AFTER UPDATE OF status ON batches FOR EACH ROW EXECUTE FUNCTION log_proven();`); err != nil {
		t.Fatal(err)
	}
	return url, pool
}

// makeBatches applies n consecutive batches (numbers 1..n) of two transfers each.
func makeBatches(t *testing.T, n int) []*protocol.Batch {
	t.Helper()
	w, err := protocoltest.NewWorld(testCfg, 4, 1_000_000_000)
	if err != nil {
		t.Fatal(err)
	}
	var out []*protocol.Batch
	for i := 0; i < n; i++ {
		in := protocol.BatchInput{FeeAccount: 1, Transfers: []protocol.Transfer{
			w.Transfer(2, 3, uint64(1000+i), 10, 0), w.Transfer(3, 4, 500, 10, 0)}}
		b, err := w.State.ApplyBatch(in)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// witnessBytes is the stored witness as the sequencer writes it (binary);
// witnessJSON the form older sequencers wrote, which still decodes.
func witnessBytes(_ *testing.T, b *protocol.Batch) []byte { return protocol.EncodeWitness(b) }

func witnessJSON(t *testing.T, b *protocol.Batch) []byte {
	t.Helper()
	w, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// insertBatch stores a sealed batch and its job as the sequencer does
// (sequencer/store.go), with the given witness bytes, and notifies.
func insertBatch(t *testing.T, pool *pgxpool.Pool, b *protocol.Batch, witness []byte) {
	t.Helper()
	insertBatchConfig(t, pool, b, b.Config, witness)
}

func insertBatchConfig(t *testing.T, pool *pgxpool.Pool, b *protocol.Batch, cfg protocol.Config, witness []byte) {
	t.Helper()
	ctx := context.Background()
	cfgJSON, _ := json.Marshal(cfg)
	h := b.Header
	piE := b.PublicInput()
	or, nr, pi := h.OldRoot.Bytes(), h.NewRoot.Bytes(), piE.Bytes()
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	if _, err := tx.Exec(ctx, `INSERT INTO batches (number, config, old_root, new_root, header, pubdata, public_input, witness,
		deposit_start, deposit_count, tx_count, status) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,'sealed')`,
		int64(h.Number), cfgJSON, or[:], nr[:], h.Bytes(), b.Pubdata, pi[:], witness,
		int64(h.DepositStart), int(h.DepositCount), len(b.Transfers)+len(b.Withdrawals)); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO proof_jobs (batch_number, status) VALUES ($1, 'queued')`, int64(h.Number)); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SELECT pg_notify('sheaf_batches', $1)`, strconv.FormatUint(h.Number, 10)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}

type jobRow struct {
	Number      int64
	JobStatus   string
	BatchStatus string
	Attempts    int
	LastError   *string
	Owner       *string
	ProofLen    int
	ProvenTimes int
}

func jobs(t *testing.T, pool *pgxpool.Pool) []jobRow {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT j.batch_number, j.status, b.status, j.attempts, j.last_error, j.lease_owner,
			coalesce(octet_length(b.proof), 0), (SELECT count(*) FROM proven_log l WHERE l.batch_number = j.batch_number)
		FROM proof_jobs j JOIN batches b ON b.number = j.batch_number ORDER BY j.batch_number`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []jobRow
	for rows.Next() {
		var r jobRow
		if err := rows.Scan(&r.Number, &r.JobStatus, &r.BatchStatus, &r.Attempts, &r.LastError, &r.Owner, &r.ProofLen, &r.ProvenTimes); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// waitJobs polls until every job is in a final state (done or failed).
func waitJobs(t *testing.T, pool *pgxpool.Pool, within time.Duration) []jobRow {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		rs := jobs(t, pool)
		final := true
		for _, r := range rs {
			if r.JobStatus != "done" && r.JobStatus != "failed" {
				final = false
			}
		}
		if final {
			return rs
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobs not finished within %s: %+v", within, rs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func startPoolOn(t *testing.T, cfg Config, pool *pgxpool.Pool, reg prometheus.Registerer) *Pool {
	t.Helper()
	c := testCircuit(t)
	p, err := New(cfg, pool, []*Circuit{c}, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})), reg)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		p.Stop(ctx) //nolint:errcheck
	})
	return p
}
