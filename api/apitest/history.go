package apitest

import (
	"context"
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sheafrollup/sheaf/api"
)

var _ api.HistoryBackend = (*Backend)(nil)

// Transactions implements api.HistoryBackend over the accepted
// transactions; the acceptance id is the position in acceptance order, from 1.
func (b *Backend) Transactions(_ context.Context, account uint32, q api.TxQuery) ([]api.TxInfo, uint64, bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fail != nil {
		return nil, 0, false, b.fail
	}
	var out []api.TxInfo
	var last uint64
	seen := map[common.Hash]bool{}
	start := len(b.order)
	if q.Before != 0 && q.Before-1 < uint64(start) {
		start = int(q.Before - 1)
	}
	for i := start - 1; i >= 0; i-- {
		h := b.order[i]
		if seen[h] {
			continue
		}
		seen[h] = true
		tx := b.txs[h]
		if tx.From != account && (tx.To == nil || *tx.To != account) {
			continue
		}
		if len(q.Statuses) > 0 && !slices.Contains(q.Statuses, tx.Status) {
			continue
		}
		if len(out) == q.Limit {
			return out, last, true, nil
		}
		out = append(out, *tx)
		last = uint64(i + 1)
	}
	return out, last, false, nil
}

// AddDeposit records a deposit the fake has observed (tests).
func (b *Backend) AddDeposit(d api.DepositInfo) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.deposits = append(b.deposits, d)
}

// SetDeposit replaces the deposit with d's queue index (tests drive statuses).
func (b *Backend) SetDeposit(d api.DepositInfo) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i := range b.deposits {
		if b.deposits[i].QueueIndex == d.QueueIndex {
			b.deposits[i] = d
		}
	}
}

// Deposit implements api.HistoryBackend.
func (b *Backend) Deposit(_ context.Context, ref api.DepositRef) (*api.DepositInfo, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fail != nil {
		return nil, b.fail
	}
	for _, d := range b.deposits {
		if (ref.L1TxHash == nil && d.QueueIndex == ref.QueueIndex) || (ref.L1TxHash != nil && d.L1TxHash != nil && *d.L1TxHash == *ref.L1TxHash) {
			c := d
			return &c, nil
		}
	}
	return nil, fmt.Errorf("%w: deposit", api.ErrNotFound)
}
