package sequencer

import (
	"context"
	"encoding/binary"
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
		FeeAccount: s.nextFeeAccount(), DomainState: d.Bytes()}
}

// nextFeeAccount is the fee account of the next batch to seal.
func (s *Sequencer) nextFeeAccount() uint32 {
	p := s.params.Load()
	if p == nil {
		return protocol.FeeAccountIndex
	}
	s.mu.RLock()
	st := s.sealed
	s.mu.RUnlock()
	if st == nil { // a standby, before it loads
		return p.FeeAccountAt(1)
	}
	s.stateMu.RLock()
	defer s.stateMu.RUnlock()
	return p.FeeAccountAt(st.BatchNumber() + 1)
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

// Account returns an account in the pending, the sealed and the finalized
// state (the last from account_history).
func (s *Sequencer) Account(ctx context.Context, index uint32) (*api.AccountInfo, error) {
	info, err := s.account(index)
	if err != nil {
		return nil, err
	}
	st, batch, ok, err := s.finalizedState(ctx, index)
	if err != nil {
		return nil, err
	}
	if ok {
		info.Finalized, info.FinalizedBatch = &st, batch
	}
	return info, nil
}

func (s *Sequencer) account(index uint32) (*api.AccountInfo, error) {
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
		header, pi, pubdata []byte
		sealedAt            time.Time
	)
	err := q.QueryRow(ctx, `SELECT status, config, header, public_input, pubdata, sealed_at
		FROM batches WHERE number = $1`, int64(number)).Scan(&b.Status, &cfg, &header, &pi, &pubdata, &sealedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("batch %d: %w", number, api.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("batch %d: %w", number, err)
	}
	// Every header field comes from the stored header, the bytes the
	// public input hashes, so a wallet can recompute it from this answer.
	h, err := parseHeader(header)
	if err != nil {
		return nil, fmt.Errorf("batch %d: stored header: %w", number, err)
	}
	b.Number, b.ChainID, b.Contract = h.Number, hexutil.Uint64(h.ChainID), common.Address(h.Contract)
	b.OldRoot, b.NewRoot = h.OldRoot.Bytes(), h.NewRoot.Bytes()
	b.DepositStart, b.Deposits, b.NextIndex, b.FeeAccount = h.DepositStart, int(h.DepositCount), h.NextIndex, h.FeeAccount
	b.PublicInput, b.SealedAt = common.BytesToHash(pi), sealedAt.Unix()
	b.Transactions = []common.Hash{} // [] for a deposits-only batch, never null
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
	counts := protocol.Counts{Deposits: b.Deposits, Transfers: b.Transfers, Withdrawals: b.Withdrawals}
	if h.ForcedExits != nil {
		counts.ForcedExits = int(h.ForcedExits.Count)
	}
	b.Pubdata = protocol.CompactPubdata(cfg, pubdata, counts)
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

// parseHeader reads a stored header, with its forced-exit part when the
// configuration has forced-exit slots (protocol.ParseHeader reads the
// 118-byte form only).
func parseHeader(b []byte) (protocol.Header, error) {
	if len(b) != protocol.HeaderSize+protocol.ForcedExitHeaderSize {
		return protocol.ParseHeader(b)
	}
	h, err := protocol.ParseHeader(b[:protocol.HeaderSize])
	if err != nil {
		return h, err
	}
	fx := &protocol.ForcedExitHeader{Count: binary.BigEndian.Uint16(b[protocol.HeaderSize:])}
	if err := fx.Chain.SetBytesCanonical(b[protocol.HeaderSize+2:]); err != nil {
		return h, fmt.Errorf("%w: forced-exit chain: %v", protocol.ErrBadBatch, err)
	}
	h.ForcedExits = fx
	return h, nil
}
