package prover

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sheafrollup/sheaf/protocol"
)

// SQL of the claim/lease protocol. Every write after the claim is guarded
// by lease_owner and status = 'running': a worker that lost its lease
// (expired and taken over) changes nothing.

// notifyChannel is the sequencer's channel: every batch status change is
// announced on it with the batch number as payload.
const notifyChannel = "sheaf_batches"

// job is a claimed proof job.
type job struct {
	Number    int64
	Attempt   int
	Takeover  bool // the previous holder's lease had expired
	PrevOwner string
	Config    protocol.Config
	Witness   []byte
}

// store runs the lease protocol's statements.
type store struct {
	db          *pgxpool.Pool
	lease       time.Duration
	maxAttempts int
	configs     string // JSON array of the configurations this process has keys for
}

func newStore(db *pgxpool.Pool, lease time.Duration, maxAttempts int, cfgs []protocol.Config) (*store, error) {
	b, err := json.Marshal(cfgs)
	if err != nil {
		return nil, err
	}
	return &store{db: db, lease: lease, maxAttempts: maxAttempts, configs: string(b)}, nil
}

func notify(ctx context.Context, tx pgx.Tx, number int64) error {
	_, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, notifyChannel, strconv.FormatInt(number, 10))
	return err
}

// reap fails jobs that can never be claimed again: out of attempts and
// queued, or running under an expired lease (their last holder died).
func (s *store) reap(ctx context.Context) ([]int64, error) {
	tx, err := s.db.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	rows, err := tx.Query(ctx, `UPDATE proof_jobs SET status = 'failed',
			last_error = coalesce(last_error || '; ', '') || 'no attempts left (' || attempts || ' made)' ||
				CASE WHEN status = 'running' THEN ', the last holder''s lease expired' ELSE '' END
		WHERE attempts >= LEAST(max_attempts, $1)
		  AND (status = 'queued' OR (status = 'running' AND lease_expires_at < now()))
		RETURNING batch_number`, s.maxAttempts)
	if err != nil {
		return nil, err
	}
	nums, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, err
	}
	for _, n := range nums {
		if _, err := tx.Exec(ctx, `UPDATE batches SET status = 'failed' WHERE number = $1 AND status IN ('sealed', 'proving')`, n); err != nil {
			return nil, err
		}
		if err := notify(ctx, tx, n); err != nil {
			return nil, err
		}
	}
	return nums, tx.Commit(ctx)
}

// claim takes the oldest claimable job whose configuration this process
// has keys for, or returns nil when there is none.
func (s *store) claim(ctx context.Context, owner string) (*job, error) {
	tx, err := s.db.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	var (
		j         job
		prev      string
		prevOwner *string
		cfgJSON   []byte
	)
	err = tx.QueryRow(ctx, `WITH c AS (
			SELECT j.batch_number, j.status AS prev_status, j.lease_owner AS prev_owner
			FROM proof_jobs j JOIN batches b ON b.number = j.batch_number
			WHERE (j.status = 'queued' OR (j.status = 'running' AND j.lease_expires_at < now()))
			  AND j.attempts < LEAST(j.max_attempts, $3)
			  AND b.config IN (SELECT jsonb_array_elements($4::jsonb))
			ORDER BY j.batch_number
			LIMIT 1
			FOR UPDATE OF j SKIP LOCKED)
		UPDATE proof_jobs j SET status = 'running', lease_owner = $1,
			lease_expires_at = now() + make_interval(secs => $2), attempts = j.attempts + 1
		FROM c WHERE j.batch_number = c.batch_number
		RETURNING j.batch_number, j.attempts, c.prev_status, c.prev_owner`,
		owner, s.lease.Seconds(), s.maxAttempts, s.configs).Scan(&j.Number, &j.Attempt, &prev, &prevOwner)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("claim: %w", err)
	}
	j.Takeover = prev == "running"
	if prevOwner != nil {
		j.PrevOwner = *prevOwner
	}
	if err := tx.QueryRow(ctx, `UPDATE batches SET status = 'proving' WHERE number = $1 RETURNING config, witness`,
		j.Number).Scan(&cfgJSON, &j.Witness); err != nil {
		return nil, fmt.Errorf("claim: batch %d: %w", j.Number, err)
	}
	if err := json.Unmarshal(cfgJSON, &j.Config); err != nil {
		return nil, fmt.Errorf("claim: batch %d config: %w", j.Number, err)
	}
	if err := notify(ctx, tx, j.Number); err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("claim: %w", err)
	}
	return &j, nil
}

// errLeaseLost: the job is no longer ours (expired and taken over).
var errLeaseLost = errors.New("lease lost")

func guard(n int64) error {
	if n == 0 {
		return errLeaseLost
	}
	return nil
}

// renew extends the lease; errLeaseLost when it is no longer ours.
func (s *store) renew(ctx context.Context, number int64, owner string) error {
	ct, err := s.db.Exec(ctx, `UPDATE proof_jobs SET lease_expires_at = now() + make_interval(secs => $3)
		WHERE batch_number = $1 AND lease_owner = $2 AND status = 'running'`, number, owner, s.lease.Seconds())
	if err != nil {
		return err
	}
	return guard(ct.RowsAffected())
}

// complete stores a verified proof: job done, batch proven, in one
// transaction, only while the lease is ours.
func (s *store) complete(ctx context.Context, number int64, owner string, proof []byte) error {
	tx, err := s.db.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	ct, err := tx.Exec(ctx, `UPDATE proof_jobs SET status = 'done', lease_expires_at = now()
		WHERE batch_number = $1 AND lease_owner = $2 AND status = 'running'`, number, owner)
	if err != nil {
		return err
	}
	if err := guard(ct.RowsAffected()); err != nil {
		return err
	}
	ct, err = tx.Exec(ctx, `UPDATE batches SET status = 'proven', proof = $2, proven_at = now()
		WHERE number = $1 AND status IN ('sealed', 'proving')`, number, proof)
	if err != nil {
		return err
	}
	if ct.RowsAffected() != 1 {
		return fmt.Errorf("batch %d is not sealed or proving", number)
	}
	if err := notify(ctx, tx, number); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// fail records a failed attempt: the job goes back to the queue, or, out
// of attempts, the job and its batch are failed. It reports whether the
// batch failed for good.
func (s *store) fail(ctx context.Context, number int64, owner string, cause error) (final bool, err error) {
	tx, err := s.db.Begin(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	var status string
	err = tx.QueryRow(ctx, `UPDATE proof_jobs SET last_error = $3, lease_expires_at = now(),
			status = CASE WHEN attempts >= LEAST(max_attempts, $4) THEN 'failed' ELSE 'queued' END
		WHERE batch_number = $1 AND lease_owner = $2 AND status = 'running'
		RETURNING status`, number, owner, truncate(cause.Error(), 4000), s.maxAttempts).Scan(&status)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, errLeaseLost
	}
	if err != nil {
		return false, err
	}
	next := "sealed"
	if status == "failed" {
		next = "failed"
	}
	if _, err := tx.Exec(ctx, `UPDATE batches SET status = $2 WHERE number = $1 AND status IN ('sealed', 'proving')`, number, next); err != nil {
		return false, err
	}
	if err := notify(ctx, tx, number); err != nil {
		return false, err
	}
	return status == "failed", tx.Commit(ctx)
}

// release gives a job back at shutdown: not a failed attempt, so the
// attempt it used is returned too.
func (s *store) release(ctx context.Context, number int64, owner string) error {
	tx, err := s.db.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	ct, err := tx.Exec(ctx, `UPDATE proof_jobs SET status = 'queued', lease_expires_at = now(), attempts = greatest(attempts - 1, 0)
		WHERE batch_number = $1 AND lease_owner = $2 AND status = 'running'`, number, owner)
	if err != nil {
		return err
	}
	if err := guard(ct.RowsAffected()); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE batches SET status = 'sealed' WHERE number = $1 AND status = 'proving'`, number); err != nil {
		return err
	}
	if err := notify(ctx, tx, number); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// counts reads the queue gauges: queued jobs and failed batches.
func (s *store) counts(ctx context.Context) (queued, failed int64, err error) {
	err = s.db.QueryRow(ctx, `SELECT (SELECT count(*) FROM proof_jobs WHERE status = 'queued'),
		(SELECT count(*) FROM batches WHERE status = 'failed')`).Scan(&queued, &failed)
	return
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
