// Package apitest is an in-memory api.Backend for tests of the API server,
// its client and the wallet command. It applies the real protocol rules
// (protocol.Ledger) so rule errors are realistic, keeps batches in memory
// and lets a test drive batch and transaction statuses and emit events.
package apitest

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// Config is the fake's circuit: small so proofs are cheap.
var Config = protocol.Config{Depth: 8, Deposits: 2, Transfers: 4, Withdrawals: 2}

// Minimum fees the fake accepts (both exactly encodable).
const (
	MinTransferFee   = 10
	MinWithdrawalFee = 100
)

// FeeAccount is the operator's account (index 1, Keys()[0]).
const FeeAccount = 1

type batch struct {
	info     api.BatchInfo
	accounts []protocol.Account // state after the batch (indexes 1..)
}

// Backend is a fake sequencer. Its methods are safe for concurrent use.
type Backend struct {
	mu       sync.Mutex
	chain    api.ChainInfo
	ds       fr.Element
	ledger   *protocol.Ledger
	keys     []protocol.PrivateKey
	txs      map[common.Hash]*api.TxInfo
	pending  []common.Hash
	batches  []batch
	sends    int
	fail     error
	nextSub  int
	batchSub map[int]chan<- api.BatchInfo
	txSub    map[common.Hash]map[int]chan<- api.TxInfo
	now      func() time.Time
	order    []common.Hash     // acceptance order (history.go)
	deposits []api.DepositInfo // by queue index (history.go)
}

// New returns a fake whose accounts 1..n belong to protocoltest.Keys(1, n),
// each funded with balance.
func New(n int, balance uint64) *Backend {
	keys := protocoltest.Keys(1, n)
	b := &Backend{
		ledger:   protocol.NewLedger(Config, protocoltest.ChainID, protocoltest.Contract),
		ds:       protocol.DomainState(protocoltest.ChainID, protocoltest.Contract),
		keys:     keys,
		txs:      map[common.Hash]*api.TxInfo{},
		batchSub: map[int]chan<- api.BatchInfo{},
		txSub:    map[common.Hash]map[int]chan<- api.TxInfo{},
		now:      time.Now,
	}
	for i, k := range keys {
		d := protocol.Deposit{QueueIndex: uint64(i), PubKey: k.Public(), Amount: *uint256.NewInt(balance)}
		if _, _, err := b.ledger.ApplyDeposit(d); err != nil {
			panic(err)
		}
	}
	b.chain = api.ChainInfo{
		ChainID: protocoltest.ChainID, Contract: common.Address(protocoltest.Contract),
		Depth: Config.Depth, Deposits: Config.Deposits, Transfers: Config.Transfers, Withdrawals: Config.Withdrawals,
		FeeAccount: FeeAccount, DomainState: b.ds.Bytes(),
	}
	return b
}

// Keys are the account owners: Keys()[i] owns index i+1.
func (b *Backend) Keys() []protocol.PrivateKey { return b.keys }

// SetFail makes every later call fail with err (nil: stop failing).
func (b *Backend) SetFail(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.fail = err
}

// SetChainInfo overrides what ChainInfo returns (e.g. a lying DomainState).
func (b *Backend) SetChainInfo(ci api.ChainInfo) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.chain = ci
}

// Sends counts accepted transactions.
func (b *Backend) Sends() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sends
}

// Snapshot digests every account (key, balance, nonce), the number of
// accepted transactions and of known transactions: equal snapshots mean
// nothing changed.
func (b *Backend) Snapshot() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	h := sha256.New()
	for i := 1; i <= b.ledger.NumAccounts(); i++ {
		a, _ := b.ledger.Account(uint32(i))
		k := a.PubKey.Bytes()
		bal := a.Balance.Bytes32()
		h.Write(k[:])
		h.Write(bal[:])
		_ = binary.Write(h, binary.BigEndian, a.Nonce)
	}
	_ = binary.Write(h, binary.BigEndian, int64(b.sends))
	_ = binary.Write(h, binary.BigEndian, int64(len(b.txs)))
	return fmt.Sprintf("%x", h.Sum(nil))
}

// ChainInfo implements api.Backend.
func (b *Backend) ChainInfo() api.ChainInfo {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.chain
}

func (b *Backend) accept(h common.Hash, kind string, fee *uint256.Int, apply func() error, info api.TxInfo) (common.Hash, error) {
	if b.fail != nil {
		return common.Hash{}, b.fail
	}
	if old, ok := b.txs[h]; ok && old.Status != api.StatusRejected {
		return h, nil // an identical transaction was accepted before
	}
	min := uint64(MinTransferFee)
	if kind == api.KindWithdrawal {
		min = MinWithdrawalFee
	}
	if fee.Lt(uint256.NewInt(min)) {
		return common.Hash{}, fmt.Errorf("%w: minimum %d", api.ErrFeeTooLow, min)
	}
	if err := apply(); err != nil {
		if errors.Is(err, protocol.ErrWrongNonce) {
			if acc, ok := b.ledger.Account(info.From); ok && info.Nonce > acc.Nonce {
				return common.Hash{}, fmt.Errorf("%w: got %d, account is at %d", api.ErrNonceTooHigh, info.Nonce, acc.Nonce)
			}
		}
		return common.Hash{}, err
	}
	info.Hash, info.Kind, info.Status, info.ReceivedAt = h, kind, api.StatusPending, b.now().Unix()
	b.txs[h] = &info
	b.pending = append(b.pending, h)
	b.order = append(b.order, h)
	b.sends++
	return h, nil
}

// SendTransfer implements api.Backend with the protocol's rules.
func (b *Backend) SendTransfer(_ context.Context, t *protocol.Transfer) (common.Hash, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	to := t.To
	info := api.TxInfo{From: t.From, To: &to, Amount: api.DecimalOf(&t.Amount), Fee: api.DecimalOf(&t.Fee), Nonce: t.Nonce}
	return b.accept(hashOf(t.Message(b.ds)), api.KindTransfer, &t.Fee, func() error { return b.ledger.ApplyTransfer(t, true) }, info)
}

// SendWithdrawal implements api.Backend with the protocol's rules.
func (b *Backend) SendWithdrawal(_ context.Context, w *protocol.Withdrawal) (common.Hash, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l1 := common.Address(w.To)
	info := api.TxInfo{From: w.From, L1Address: &l1, Amount: api.DecimalOf(&w.Amount), Fee: api.DecimalOf(&w.Fee), Nonce: w.Nonce}
	return b.accept(hashOf(w.Message(b.ds)), api.KindWithdrawal, &w.Fee, func() error { return b.ledger.ApplyWithdrawal(w, true) }, info)
}

// Transaction implements api.Backend.
func (b *Backend) Transaction(_ context.Context, h common.Hash) (*api.TxInfo, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fail != nil {
		return nil, b.fail
	}
	tx, ok := b.txs[h]
	if !ok {
		return nil, fmt.Errorf("%w: transaction %s", api.ErrNotFound, h)
	}
	c := *tx
	return &c, nil
}

func hashOf(e fr.Element) common.Hash { return e.Bytes() }

func state(a protocol.Account) api.AccountState {
	return api.AccountState{Balance: api.DecimalOf(&a.Balance), Nonce: a.Nonce}
}

// Account implements api.Backend.
func (b *Backend) Account(_ context.Context, i uint32) (*api.AccountInfo, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fail != nil {
		return nil, b.fail
	}
	a, ok := b.ledger.Account(i)
	if !ok {
		return nil, fmt.Errorf("%w: account %d", api.ErrNotFound, i)
	}
	k := a.PubKey.Bytes()
	info := &api.AccountInfo{Index: i, PubKey: k[:], Pending: state(a), Sealed: api.AccountState{Balance: "0"}}
	if n := len(b.batches); n > 0 {
		info.SealedBatch = uint64(n)
		if accs := b.batches[n-1].accounts; int(i) <= len(accs) {
			info.Sealed = state(accs[i-1])
		}
	}
	for j := len(b.batches) - 1; j >= 0; j-- {
		if b.batches[j].info.Status == api.BatchFinalized {
			st := api.AccountState{Balance: "0"}
			if accs := b.batches[j].accounts; int(i) <= len(accs) {
				st = state(accs[i-1])
			}
			info.Finalized, info.FinalizedBatch = &st, b.batches[j].info.Number
			break
		}
	}
	return info, nil
}

// AccountIndex implements api.Backend.
func (b *Backend) AccountIndex(_ context.Context, pk protocol.PublicKey) (uint32, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fail != nil {
		return 0, b.fail
	}
	i, ok := b.ledger.IndexOf(pk)
	if !ok {
		k := pk.Bytes()
		return 0, fmt.Errorf("%w: no account for key %s", api.ErrNotFound, hexutil.Encode(k[:]))
	}
	return i, nil
}

// AccountProof implements api.Backend: the tree is rebuilt from the
// batch's accounts.
func (b *Backend) AccountProof(_ context.Context, i uint32, n uint64) (*api.AccountProof, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fail != nil {
		return nil, b.fail
	}
	if n == 0 {
		n = uint64(len(b.batches))
	}
	if n == 0 || n > uint64(len(b.batches)) {
		return nil, fmt.Errorf("%w: batch %d", api.ErrNotFound, n)
	}
	if uint64(i) >= Config.MaxAccounts() {
		return nil, fmt.Errorf("%w: index %d beyond the tree (depth %d)", api.ErrInvalidParams, i, Config.Depth)
	}
	accs := b.batches[n-1].accounts
	st, err := protocol.LoadState(Config, protocoltest.ChainID, protocoltest.Contract, accs, 0, n)
	if err != nil {
		return nil, err
	}
	p, err := st.Proof(i)
	if err != nil {
		return nil, err
	}
	out := &api.AccountProof{Index: i, BatchNumber: n, Root: hashOf(st.Root()), Leaf: hashOf(p.Leaf), Balance: "0"}
	if int(i) <= len(accs) && i > 0 {
		a := accs[i-1]
		k := a.PubKey.Bytes()
		out.PubKey, out.Balance, out.Nonce = k[:], api.DecimalOf(&a.Balance), a.Nonce
	}
	for _, s := range p.Siblings {
		out.Siblings = append(out.Siblings, s.Bytes())
	}
	return out, nil
}

// Batch implements api.Backend.
func (b *Backend) Batch(_ context.Context, n uint64) (*api.BatchInfo, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fail != nil {
		return nil, b.fail
	}
	if n == 0 || n > uint64(len(b.batches)) {
		return nil, fmt.Errorf("%w: batch %d", api.ErrNotFound, n)
	}
	c := b.batches[n-1].info
	return &c, nil
}

// BatchNumbers implements api.Backend.
func (b *Backend) BatchNumbers(context.Context) (api.BatchNumbers, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fail != nil {
		return api.BatchNumbers{}, b.fail
	}
	var out api.BatchNumbers
	out.Sealed = uint64(len(b.batches))
	for _, bt := range b.batches {
		switch bt.info.Status {
		case api.BatchFinalized:
			out.Finalized = bt.info.Number
			out.Proven = bt.info.Number
		case api.BatchProven, api.BatchSubmitted:
			out.Proven = bt.info.Number
		}
	}
	return out, nil
}

// EstimateFee implements api.Backend.
func (b *Backend) EstimateFee(_ context.Context, kind string) (*api.FeeEstimate, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fail != nil {
		return nil, b.fail
	}
	fee := uint64(MinTransferFee)
	if kind == api.KindWithdrawal {
		fee = MinWithdrawalFee
	}
	return &api.FeeEstimate{Kind: kind, Fee: api.Decimal(fmt.Sprint(fee))}, nil
}

// SubscribeBatches implements api.Backend.
func (b *Backend) SubscribeBatches(ch chan<- api.BatchInfo) func() {
	b.mu.Lock()
	defer b.mu.Unlock()
	id := b.nextSub
	b.nextSub++
	b.batchSub[id] = ch
	return func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		delete(b.batchSub, id)
	}
}

// SubscribeTransaction implements api.Backend; the channel is closed after
// the transaction's terminal status.
func (b *Backend) SubscribeTransaction(h common.Hash, ch chan<- api.TxInfo) func() {
	b.mu.Lock()
	defer b.mu.Unlock()
	id := b.nextSub
	b.nextSub++
	if b.txSub[h] == nil {
		b.txSub[h] = map[int]chan<- api.TxInfo{}
	}
	b.txSub[h][id] = ch
	return func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		delete(b.txSub[h], id)
	}
}

// Subscribers counts live subscriptions (batches plus transactions).
func (b *Backend) Subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := len(b.batchSub)
	for _, m := range b.txSub {
		n += len(m)
	}
	return n
}

func (b *Backend) emitBatch(info api.BatchInfo) {
	for _, ch := range b.batchSub {
		select {
		case ch <- info:
		default:
		}
	}
}

func (b *Backend) emitTx(tx *api.TxInfo) {
	for id, ch := range b.txSub[tx.Hash] {
		select {
		case ch <- *tx:
		default:
		}
		if api.Terminal(tx.Status) {
			close(ch)
			delete(b.txSub[tx.Hash], id)
		}
	}
}

// Seal cuts every pending transaction into a new batch (status sealed) and
// notifies subscribers.
func (b *Backend) Seal() api.BatchInfo {
	b.mu.Lock()
	defer b.mu.Unlock()
	accs := make([]protocol.Account, b.ledger.NumAccounts())
	for i := range accs {
		accs[i], _ = b.ledger.Account(uint32(i + 1))
	}
	st, err := protocol.LoadState(Config, protocoltest.ChainID, protocoltest.Contract, accs, 0, 0)
	if err != nil {
		panic(err)
	}
	info := api.BatchInfo{Number: uint64(len(b.batches) + 1), Status: api.BatchSealed, NewRoot: hashOf(st.Root()),
		ChainID: b.chain.ChainID, Contract: b.chain.Contract, FeeAccount: b.chain.FeeAccount, NextIndex: 1,
		Pubdata: hexutil.Bytes{}, Transactions: append([]common.Hash{}, b.pending...), SealedAt: b.now().Unix()}
	if n := len(b.batches); n > 0 {
		info.OldRoot = b.batches[n-1].info.NewRoot
		info.NextIndex = uint32(len(b.batches[n-1].accounts) + 1)
	}
	info.PublicInput = sha256.Sum256(append(info.OldRoot[:], info.NewRoot[:]...))
	for _, h := range b.pending {
		if tx := b.txs[h]; tx.Kind == api.KindTransfer {
			info.Transfers++
		} else {
			info.Withdrawals++
		}
	}
	b.batches = append(b.batches, batch{info: info, accounts: accs})
	b.pending = nil
	b.emitBatch(info)
	for _, h := range info.Transactions {
		b.setTx(h, api.StatusSealed, info.Number)
	}
	return info
}

func (b *Backend) setTx(h common.Hash, status string, n uint64) {
	tx := b.txs[h]
	if tx.Status == status {
		return
	}
	tx.Status = status
	if n > 0 {
		bn := n
		tx.BatchNumber = &bn
	}
	b.emitTx(tx)
}

// SetBatchStatus moves batch n (and its transactions) to status and
// notifies subscribers.
func (b *Backend) SetBatchStatus(n uint64, status string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	bt := &b.batches[n-1]
	bt.info.Status = status
	b.emitBatch(bt.info)
	txStatus := map[string]string{api.BatchProven: api.StatusProven, api.BatchSubmitted: api.StatusSubmitted,
		api.BatchFinalized: api.StatusFinalized}[status]
	if txStatus == "" {
		txStatus = api.StatusSealed
	}
	for _, h := range bt.info.Transactions {
		b.setTx(h, txStatus, n)
	}
}

// Reject marks a pending transaction rejected (terminal).
func (b *Backend) Reject(h common.Hash, reason string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	tx := b.txs[h]
	tx.Reason = reason
	b.setTx(h, api.StatusRejected, 0)
}
