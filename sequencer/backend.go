package sequencer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/jackc/pgx/v5"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/protocol"
)

// ChainInfo identifies the deployment.
func (s *Sequencer) ChainInfo() api.ChainInfo {
	c := s.cfg.Circuit
	d := protocol.DomainState(s.cfg.ChainID, s.cfg.Contract)
	return api.ChainInfo{ChainID: hexutil.Uint64(s.cfg.ChainID), Contract: common.Address(s.cfg.Contract),
		Depth: c.Depth, Deposits: c.Deposits, Transfers: c.Transfers, Withdrawals: c.Withdrawals,
		FeeAccount: s.cfg.FeeAccount, DomainState: d.Bytes()}
}

// Transaction looks a transaction up by hash.
func (s *Sequencer) Transaction(ctx context.Context, hash common.Hash) (*api.TxInfo, error) {
	row := s.pool.QueryRow(ctx, `SELECT t.hash, t.kind, t.from_idx, t.to_idx, t.l1_address, t.amount::text, t.fee::text, t.nonce, t.signature, t.deposit_watermark, t.received_at, t.status, t.batch_number, b.status, t.reason
		FROM transactions t LEFT JOIN batches b ON b.number = t.batch_number WHERE t.hash = $1`, hash[:])
	var (
		r           txRecord
		h           []byte
		status      string
		batch       *int64
		batchStatus *string
		reason      *string
	)
	err := row.Scan(&h, &r.kind, &r.from, &r.to, &r.l1, &r.amount, &r.fee, &r.nonce, &r.sig, &r.watermark, &r.receivedAt,
		&status, &batch, &batchStatus, &reason)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("transaction %s: %w", hash, api.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("transaction %s: %w", hash, err)
	}
	r.hash = common.BytesToHash(h)
	info := r.info(txStatus(status, batchStatus), batch)
	if reason != nil {
		info.Reason = *reason
	}
	return info, nil
}

// Account returns an account in the pending and the sealed state.
func (s *Sequencer) Account(ctx context.Context, index uint32) (*api.AccountInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.ledger == nil {
		return nil, api.ErrUnavailable
	}
	p, ok := s.ledger.Account(index)
	if !ok {
		return nil, fmt.Errorf("account %d: %w", index, api.ErrNotFound)
	}
	pk := p.PubKey.Bytes()
	s.stateMu.RLock()
	defer s.stateMu.RUnlock()
	info := &api.AccountInfo{Index: index, PubKey: pk[:], SealedBatch: s.sealed.BatchNumber(),
		Pending: api.AccountState{Balance: api.Decimal(p.Balance.Dec()), Nonce: p.Nonce}}
	if a, ok := s.sealed.Account(index); ok {
		info.Sealed = api.AccountState{Balance: api.Decimal(a.Balance.Dec()), Nonce: a.Nonce}
	} else {
		info.Sealed = api.AccountState{Balance: "0"}
	}
	return info, nil
}

// AccountIndex returns the first account owned by a key.
func (s *Sequencer) AccountIndex(ctx context.Context, pk protocol.PublicKey) (uint32, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.ledger == nil {
		return 0, api.ErrUnavailable
	}
	i, ok := s.ledger.IndexOf(pk)
	if !ok {
		return 0, fmt.Errorf("key %x: %w", pk.Bytes(), api.ErrNotFound)
	}
	return i, nil
}

// AccountProof proves an account against the latest sealed root. Older
// roots are served by the auditor, which rebuilds any batch from L1.
func (s *Sequencer) AccountProof(ctx context.Context, index uint32, batch uint64) (*api.AccountProof, error) {
	s.stateMu.RLock()
	defer s.stateMu.RUnlock()
	if s.sealed == nil {
		return nil, api.ErrUnavailable
	}
	last := s.sealed.BatchNumber()
	if batch != 0 && batch != last {
		return nil, fmt.Errorf("%w: proofs are served against the latest sealed batch %d (use sheaf audit for batch %d)",
			api.ErrInvalidParams, last, batch)
	}
	if index == 0 || uint64(index) >= s.cfg.Circuit.MaxAccounts() {
		return nil, fmt.Errorf("%w: index %d out of range", api.ErrInvalidParams, index)
	}
	p, err := s.sealed.Proof(index)
	if err != nil {
		return nil, err
	}
	root := s.sealed.Root()
	out := &api.AccountProof{Index: index, BatchNumber: last, Root: root.Bytes(), Leaf: p.Leaf.Bytes(), Balance: "0"}
	if a, ok := s.sealed.Account(index); ok {
		pk := a.PubKey.Bytes()
		out.PubKey, out.Balance, out.Nonce = pk[:], api.Decimal(a.Balance.Dec()), a.Nonce
	}
	for _, sib := range p.Siblings {
		out.Siblings = append(out.Siblings, sib.Bytes())
	}
	return out, nil
}

// Batch returns a batch by number.
func (s *Sequencer) Batch(ctx context.Context, number uint64) (*api.BatchInfo, error) {
	return loadBatchInfo(ctx, s.pool, number)
}

type queryer interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func loadBatchInfo(ctx context.Context, q queryer, number uint64) (*api.BatchInfo, error) {
	var (
		b                   api.BatchInfo
		cfg                 protocol.Config
		or, nr, pi, pubdata []byte
		depStart            int64
		sealedAt            time.Time
	)
	err := q.QueryRow(ctx, `SELECT status, config, old_root, new_root, public_input, pubdata, deposit_start, deposit_count, sealed_at
		FROM batches WHERE number = $1`, int64(number)).Scan(&b.Status, &cfg, &or, &nr, &pi, &pubdata, &depStart, &b.Deposits, &sealedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("batch %d: %w", number, api.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("batch %d: %w", number, err)
	}
	b.Number, b.DepositStart, b.SealedAt = number, uint64(depStart), sealedAt.Unix()
	b.OldRoot, b.NewRoot, b.PublicInput = common.BytesToHash(or), common.BytesToHash(nr), common.BytesToHash(pi)
	rows, err := q.Query(ctx, `SELECT hash, kind FROM transactions WHERE batch_number = $1 ORDER BY batch_position`, int64(number))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var h []byte
		var kind int16
		if err := rows.Scan(&h, &kind); err != nil {
			return nil, err
		}
		b.Transactions = append(b.Transactions, common.BytesToHash(h))
		if kind == 1 {
			b.Transfers++
		} else {
			b.Withdrawals++
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	b.Pubdata = protocol.CompactPubdata(cfg, pubdata, b.Deposits, b.Transfers, b.Withdrawals)
	return &b, nil
}

// BatchNumbers returns the latest batch at each stage.
func (s *Sequencer) BatchNumbers(ctx context.Context) (api.BatchNumbers, error) {
	var n api.BatchNumbers
	var sealed, proven, finalized int64
	err := s.pool.QueryRow(ctx, `SELECT coalesce(max(number), 0),
		coalesce(max(number) FILTER (WHERE status IN ('proven','submitted','finalized')), 0),
		coalesce(max(number) FILTER (WHERE status = 'finalized'), 0) FROM batches`).Scan(&sealed, &proven, &finalized)
	if err != nil {
		return n, fmt.Errorf("batch numbers: %w", err)
	}
	n.Sealed, n.Proven, n.Finalized = uint64(sealed), uint64(proven), uint64(finalized)
	return n, nil
}

// EstimateFee returns the minimum fee accepted for a kind of transaction.
func (s *Sequencer) EstimateFee(ctx context.Context, kind string) (*api.FeeEstimate, error) {
	switch kind {
	case "transfer":
		return &api.FeeEstimate{Kind: kind, Fee: api.Decimal(s.cfg.MinTransferFee.Dec())}, nil
	case "withdrawal":
		return &api.FeeEstimate{Kind: kind, Fee: api.Decimal(s.cfg.MinWithdrawalFee.Dec())}, nil
	}
	return nil, fmt.Errorf("%w: kind %q is not transfer or withdrawal", api.ErrInvalidParams, kind)
}

// SubscribeBatches delivers each batch when it is sealed or changes stage.
func (s *Sequencer) SubscribeBatches(ch chan<- api.BatchInfo) func() { return s.hub.batches(ch) }

// SubscribeTransaction delivers a transaction's status changes.
func (s *Sequencer) SubscribeTransaction(hash common.Hash, ch chan<- api.TxInfo) func() {
	return s.hub.tx(hash, ch)
}
