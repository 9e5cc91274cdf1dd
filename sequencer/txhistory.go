package sequencer

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"

	"github.com/sheafrollup/sheaf/api"
)

var _ api.HistoryBackend = (*Sequencer)(nil)

// wireStatus is txStatus in SQL: the stage a wallet sees from the row's
// status and its batch's.
const wireStatus = `CASE WHEN t.status IN ('pending', 'rejected') OR b.status IS NULL THEN t.status
	WHEN b.status IN ('proven', 'submitted', 'finalized') THEN b.status ELSE 'sealed' END`

// historyQuery pages an account's transactions newest first. Each branch
// walks one index of migration 00013 backwards from the cursor and stops
// after $3 matches (a self-transfer is only in the first; a rejected
// transfer is only its sender's); the outer query merges the two short
// lists. %s are the branches' extra conditions (historyFilter).
const historyQuery = `
WITH page AS (
	(SELECT t.id FROM transactions t LEFT JOIN batches b ON b.number = t.batch_number
	 WHERE t.from_idx = $1 AND t.id < $2 %s
	 ORDER BY t.id DESC LIMIT $3)
	UNION ALL
	(SELECT t.id FROM transactions t LEFT JOIN batches b ON b.number = t.batch_number
	 WHERE t.to_idx = $1 AND t.from_idx <> $1 AND t.id < $2 AND t.status <> 'rejected' %s
	 ORDER BY t.id DESC LIMIT $3)
)
SELECT t.id, t.hash, t.kind, t.from_idx, t.to_idx, t.l1_address, t.amount::text, t.fee::text, t.nonce, t.signature,
	t.deposit_watermark, t.received_at, t.status, t.reason, t.batch_number, b.status
FROM page JOIN transactions t USING (id) LEFT JOIN batches b ON b.number = t.batch_number
ORDER BY t.id DESC LIMIT $3`

// rowStatuses are the statuses a row holds itself (the others come from
// its batch); partial indexes of migration 00013 cover them.
var rowStatuses = map[string]bool{api.StatusPending: true, api.StatusRejected: true}

// historyFilter turns a status filter into each branch's conditions. Only
// whitelisted status names reach the SQL text. Row statuses alone use the
// partial indexes (literal lists, so the planner can match them); batch
// statuses are computed per row, and without finalized the scan is bounded
// below by the oldest transaction that can hold them (batches finalize in
// order; pending ones counted too), so a filter that matches nothing does
// not walk a long history.
func (s *Sequencer) historyFilter(ctx context.Context, statuses []string) (from, to string, args []any, err error) {
	if len(statuses) == 0 {
		return "", "", nil, nil
	}
	var rows, toRows, batch []string
	for _, st := range statuses {
		if !api.ValidTxStatus(st) {
			return "", "", nil, fmt.Errorf("%w: status %q", api.ErrInvalidParams, st)
		}
		if rowStatuses[st] {
			rows = append(rows, "'"+st+"'")
			if st != api.StatusRejected {
				toRows = append(toRows, "'"+st+"'")
			}
		} else {
			batch = append(batch, st)
		}
	}
	if len(batch) == 0 {
		from = "AND t.status IN (" + strings.Join(rows, ", ") + ")"
		if len(toRows) == 0 {
			return from, "AND false", nil, nil
		}
		return from, "AND t.status IN (" + strings.Join(toRows, ", ") + ")", nil, nil
	}
	cond := "AND (" + wireStatus + ") = ANY ($4)"
	args = []any{statuses}
	if !slices.Contains(batch, api.StatusFinalized) && !slices.Contains(statuses, api.StatusRejected) {
		minID, err := s.unfinalizedFloor(ctx)
		if err != nil {
			return "", "", nil, err
		}
		cond += " AND t.id >= $5"
		args = append(args, minID)
	}
	return cond, cond, args, nil
}

// unfinalizedFloor is the lowest id a transaction that is neither finalized
// nor rejected can have: the least of the pending ones' and those in
// batches above the last finalized one (batches finalize in order). Three
// index lookups; the range query is fenced (OFFSET 0) so the planner does
// not walk the primary key looking for a minimum that may not exist.
func (s *Sequencer) unfinalizedFloor(ctx context.Context) (int64, error) {
	var last int64
	if err := s.pool.QueryRow(ctx, `SELECT coalesce(max(number), 0) FROM batches WHERE status = 'finalized'`).Scan(&last); err != nil {
		return 0, fmt.Errorf("history bound: %w", err)
	}
	var sealed, pending *int64
	if err := s.pool.QueryRow(ctx, `SELECT min(id) FROM (SELECT id FROM transactions WHERE batch_number > $1 OFFSET 0) s`, last).Scan(&sealed); err != nil {
		return 0, fmt.Errorf("history bound: %w", err)
	}
	if err := s.pool.QueryRow(ctx, `SELECT min(id) FROM transactions WHERE status = 'pending'`).Scan(&pending); err != nil {
		return 0, fmt.Errorf("history bound: %w", err)
	}
	floor := int64(math.MaxInt64)
	for _, v := range []*int64{sealed, pending} {
		if v != nil && *v < floor {
			floor = *v
		}
	}
	return floor, nil
}

// Transactions implements api.HistoryBackend from PostgreSQL.
func (s *Sequencer) Transactions(ctx context.Context, account uint32, q api.TxQuery) ([]api.TxInfo, uint64, bool, error) {
	before := int64(math.MaxInt64)
	if q.Before != 0 && q.Before <= math.MaxInt64 {
		before = int64(q.Before)
	}
	from, to, extra, err := s.historyFilter(ctx, q.Statuses)
	if err != nil {
		return nil, 0, false, err
	}
	args := append([]any{int64(account), before, q.Limit + 1}, extra...)
	rows, err := s.pool.Query(ctx, fmt.Sprintf(historyQuery, from, to), args...)
	if err != nil {
		return nil, 0, false, fmt.Errorf("transactions of %d: %w", account, err)
	}
	defer rows.Close()
	var (
		out  []api.TxInfo
		last uint64
		more bool
	)
	for rows.Next() {
		var (
			id          int64
			r           txRecord
			h           []byte
			status      string
			reason      *string
			batch       *int64
			batchStatus *string
		)
		if err := rows.Scan(&id, &h, &r.kind, &r.from, &r.to, &r.l1, &r.amount, &r.fee, &r.nonce, &r.sig, &r.watermark,
			&r.receivedAt, &status, &reason, &batch, &batchStatus); err != nil {
			return nil, 0, false, fmt.Errorf("transactions of %d: %w", account, err)
		}
		if len(out) == q.Limit {
			more = true
			break
		}
		r.hash = common.BytesToHash(h)
		info := r.info(txStatus(status, batchStatus), batch)
		if reason != nil && info.Status == api.StatusRejected {
			info.Reason = *reason
		}
		out = append(out, *info)
		last = uint64(id)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, false, fmt.Errorf("transactions of %d: %w", account, err)
	}
	return out, last, more, nil
}

// Deposit implements api.HistoryBackend: the row the watcher stored, its
// batch's stage, and for an unsealed deposit whether the pending state has
// taken it in.
func (s *Sequencer) Deposit(ctx context.Context, ref api.DepositRef) (*api.DepositInfo, error) {
	const cols = `SELECT d.queue_index, d.pubkey, d.amount::text, d.l1_block, d.l1_tx_hash, d.account_idx, d.batch_number,
		d.observed_at, b.status FROM deposits d LEFT JOIN batches b ON b.number = d.batch_number`
	var row pgx.Row
	if ref.L1TxHash != nil {
		row = s.pool.QueryRow(ctx, cols+` WHERE d.l1_tx_hash = $1 ORDER BY d.queue_index LIMIT 1`, ref.L1TxHash[:])
	} else {
		row = s.pool.QueryRow(ctx, cols+` WHERE d.queue_index = $1`, int64(ref.QueueIndex))
	}
	var (
		qi, block   int64
		pk, txh     []byte
		amount      string
		account     *int64
		batch       *int64
		observed    time.Time
		batchStatus *string
	)
	err := row.Scan(&qi, &pk, &amount, &block, &txh, &account, &batch, &observed, &batchStatus)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%w: deposit %s (not observed on L1 yet, or no such deposit)", api.ErrNotFound, refString(ref))
	}
	if err != nil {
		return nil, fmt.Errorf("deposit %s: %w", refString(ref), err)
	}
	d := &api.DepositInfo{QueueIndex: uint64(qi), L1Block: uint64(block), PubKey: pk, Amount: api.Decimal(amount), ObservedAt: observed.Unix()}
	if txh != nil {
		h := common.BytesToHash(txh)
		d.L1TxHash = &h
	}
	if batch != nil && account != nil {
		n, a := uint64(*batch), uint32(*account)
		d.BatchNumber, d.Account = &n, &a
		d.Status = txStatus(api.StatusSealed, batchStatus)
		return d, nil
	}
	s.mu.RLock()
	ledger := s.ledger
	var next uint64
	if ledger != nil {
		next = ledger.NextDeposit()
	}
	s.mu.RUnlock()
	if ledger == nil {
		return nil, api.ErrUnavailable
	}
	if d.QueueIndex < next {
		d.Status = api.DepositPending
	} else {
		d.Status = api.DepositQueued
		pos := d.QueueIndex - next
		d.QueuePosition = &pos
	}
	return d, nil
}

func refString(r api.DepositRef) string {
	if r.L1TxHash != nil {
		return "of L1 transaction " + r.L1TxHash.Hex()
	}
	return fmt.Sprintf("%d", r.QueueIndex)
}
