package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// Account history and deposits (sheaf_getTransactions, sheaf_getDeposit).

// HistoryBackend serves account history and deposit lookups; a backend
// without it answers both methods with ErrUnavailable.
type HistoryBackend interface {
	// Transactions returns an account's transactions (sent, and transfers
	// received) newest first: at most q.Limit of them with an acceptance id
	// below q.Before (0: from the newest), keeping only q.Statuses (empty:
	// all). More reports whether older matching transactions may exist;
	// Last is the id of the last one returned (the next page's Before).
	Transactions(ctx context.Context, account uint32, q TxQuery) (txs []TxInfo, last uint64, more bool, err error)
	// Deposit looks a deposit up by queue index or L1 transaction hash (the
	// first deposit of that transaction); ErrNotFound when the sequencer
	// has not observed it (yet).
	Deposit(ctx context.Context, ref DepositRef) (*DepositInfo, error)
}

// Page sizes of sheaf_getTransactions.
const (
	DefaultTxPageSize = 50
	MaxTxPageSize     = 1000
)

// TxQuery is a validated sheaf_getTransactions query.
type TxQuery struct {
	Statuses []string // empty: every status
	Limit    int      // 1 … MaxTxPageSize
	Before   uint64   // acceptance id bound from the cursor (0: none)
}

// TxPage is a page of sheaf_getTransactions.
type TxPage struct {
	Transactions []TxInfo `json:"transactions"`
	// Next is the cursor of the following (older) page; absent on the last page.
	Next string `json:"next,omitempty"`
}

// TxQueryArgs is the wire form of sheaf_getTransactions's options; strict:
// unknown members are rejected.
type TxQueryArgs struct {
	Status []string `json:"status,omitempty"`
	Limit  *int     `json:"limit,omitempty"`
	Cursor *string  `json:"cursor,omitempty"`
}

var allStatuses = map[string]bool{StatusPending: true, StatusSealed: true, StatusProven: true,
	StatusSubmitted: true, StatusFinalized: true, StatusRejected: true}

// ValidTxStatus reports whether s is a transaction status.
func ValidTxStatus(s string) bool { return allStatuses[s] }

// EncodeCursor makes the opaque cursor of a page that ended at id.
func EncodeCursor(id uint64) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], id)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func decodeCursor(s string) (uint64, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != 8 || EncodeCursor(binary.BigEndian.Uint64(b)) != s || binary.BigEndian.Uint64(b) == 0 {
		return 0, errors.New("not a cursor from an earlier page")
	}
	return binary.BigEndian.Uint64(b), nil
}

// ParseTxQuery validates the options object (nil or null: defaults).
func ParseTxQuery(raw json.RawMessage) (TxQuery, error) {
	q := TxQuery{Limit: DefaultTxPageSize}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return q, nil
	}
	var a TxQueryArgs
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return q, NewError(CodeInvalidParams, "options", "options: want {status?: [string], limit?: number, cursor?: string}: %v", err)
	}
	seen := map[string]bool{}
	for _, s := range a.Status {
		if !allStatuses[s] {
			return q, NewError(CodeInvalidParams, "status", "status: %q is not pending, sealed, proven, submitted, finalized or rejected", truncate(s))
		}
		if !seen[s] {
			seen[s] = true
			q.Statuses = append(q.Statuses, s)
		}
	}
	if a.Status != nil && len(a.Status) == 0 {
		return q, NewError(CodeInvalidParams, "status", "status: empty list (omit it for every status)")
	}
	if a.Limit != nil {
		if *a.Limit < 1 || *a.Limit > MaxTxPageSize {
			return q, NewError(CodeInvalidParams, "limit", "limit: %d out of [1, %d]", *a.Limit, MaxTxPageSize)
		}
		q.Limit = *a.Limit
	}
	if a.Cursor != nil {
		id, err := decodeCursor(*a.Cursor)
		if err != nil {
			return q, NewError(CodeInvalidParams, "cursor", "cursor: %v", err)
		}
		q.Before = id
	}
	return q, nil
}

// Deposit statuses, in order. A deposit is queued once the sequencer has
// observed it on L1 (after the watcher's confirmations), pending once the
// sequencer's pending state includes it (the balance can be spent), then
// follows its batch.
const (
	DepositQueued    = "queued"
	DepositPending   = "pending"
	DepositSealed    = "sealed"
	DepositProven    = "proven"
	DepositSubmitted = "submitted"
	DepositFinalized = "finalized"
)

// DepositRef names a deposit: its queue index, or the L1 transaction.
type DepositRef struct {
	QueueIndex uint64
	L1TxHash   *common.Hash // non-nil: by transaction hash
}

// MarshalJSON is a JSON number (queue index) or the 0x hash.
func (r DepositRef) MarshalJSON() ([]byte, error) {
	if r.L1TxHash != nil {
		return json.Marshal(r.L1TxHash)
	}
	return json.Marshal(r.QueueIndex)
}

// ParseDepositRef reads a queue index (JSON number) or an L1 transaction
// hash (0x + 64 hex digits).
func ParseDepositRef(raw json.RawMessage) (DepositRef, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var b hexutil.Bytes
		if err := json.Unmarshal(raw, &b); err != nil || len(b) != common.HashLength {
			return DepositRef{}, NewError(CodeInvalidParams, "deposit", "deposit: want a queue index (JSON number) or an L1 transaction hash (0x + 64 hex digits)")
		}
		h := common.BytesToHash(b)
		return DepositRef{L1TxHash: &h}, nil
	}
	var n uint64
	if err := json.Unmarshal(raw, &n); err != nil || n >= 1<<63 || len(raw) == 0 || raw[0] < '0' || raw[0] > '9' {
		return DepositRef{}, NewError(CodeInvalidParams, "deposit", "deposit: want a queue index (JSON number) or an L1 transaction hash (0x + 64 hex digits)")
	}
	return DepositRef{QueueIndex: n}, nil
}

// DepositInfo is a deposit and where it is (sheaf_getDeposit).
type DepositInfo struct {
	QueueIndex uint64        `json:"queueIndex"`
	L1TxHash   *common.Hash  `json:"l1TxHash,omitempty"`
	L1Block    uint64        `json:"l1Block"`
	PubKey     hexutil.Bytes `json:"pubKey"`
	Amount     Decimal       `json:"amount"`
	Status     string        `json:"status"`
	// QueuePosition (queued only): how many earlier deposits L2 has still
	// to take in before this one (0: it is next).
	QueuePosition *uint64 `json:"queuePosition,omitempty"`
	// Account and BatchNumber, from sealed on: the account it credited and
	// the batch that consumed it.
	Account     *uint32 `json:"account,omitempty"`
	BatchNumber *uint64 `json:"batchNumber,omitempty"`
	ObservedAt  int64   `json:"observedAt"` // unix seconds
}

// DepositReached reports whether a deposit status is in L2's state
// (pending or later).
func DepositReached(status string) bool {
	return status != DepositQueued && status != ""
}

func (a *service) history() (HistoryBackend, error) {
	h, ok := a.s.backend.(HistoryBackend)
	if !ok {
		return nil, fmt.Errorf("%w: this server keeps no history", ErrUnavailable)
	}
	return h, nil
}

// GetTransactions returns an account's transactions, newest first, a page
// at a time (sheaf_getTransactions).
func (a *service) GetTransactions(ctx context.Context, ref AccountRef, opts *json.RawMessage) (_ *TxPage, err error) {
	defer a.s.finish("sheaf_getTransactions", time.Now(), &err)
	var raw json.RawMessage
	if opts != nil {
		raw = *opts
	}
	q, err := ParseTxQuery(raw)
	if err != nil {
		return nil, err
	}
	h, err := a.history()
	if err != nil {
		return nil, err
	}
	idx, err := a.resolve(ctx, ref)
	if err != nil {
		return nil, err
	}
	txs, last, more, err := h.Transactions(ctx, idx, q)
	if err != nil {
		return nil, err
	}
	page := &TxPage{Transactions: txs}
	if page.Transactions == nil {
		page.Transactions = []TxInfo{}
	}
	if more {
		page.Next = EncodeCursor(last)
	}
	return page, nil
}

// GetDeposit returns a deposit by queue index or L1 transaction hash
// (sheaf_getDeposit).
func (a *service) GetDeposit(ctx context.Context, raw json.RawMessage) (_ *DepositInfo, err error) {
	defer a.s.finish("sheaf_getDeposit", time.Now(), &err)
	ref, err := ParseDepositRef(raw)
	if err != nil {
		return nil, err
	}
	h, err := a.history()
	if err != nil {
		return nil, err
	}
	d, err := h.Deposit(ctx, ref)
	if err == nil && d == nil {
		err = fmt.Errorf("%w: deposit", ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return d, nil
}
