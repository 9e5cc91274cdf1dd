// Package protocoltest builds deterministic states, keys and signed
// operations for tests across packages.
package protocoltest

import (
	"math/rand"

	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/protocol"
)

// ChainID and Contract are the test deployment.
const ChainID = 31337

var Contract = [20]byte{0x5e, 0xaf, 0x01}

// Keys returns n deterministic private keys.
func Keys(seed int64, n int) []protocol.PrivateKey {
	r := rand.New(rand.NewSource(seed))
	out := make([]protocol.PrivateKey, n)
	for i := range out {
		k, err := protocol.GenerateKey(r)
		if err != nil {
			panic(err)
		}
		out[i] = k
	}
	return out
}

// U is a uint256 shorthand.
func U(v uint64) uint256.Int { return *uint256.NewInt(v) }

// World is a state plus the keys of its accounts (index i+1 belongs to Keys[i]).
type World struct {
	State *protocol.State
	Keys  []protocol.PrivateKey
	Queue []protocol.Deposit // deposits observed on L1, not yet applied
}

// NewWorld creates a state with one funded account per key through a first
// batch of deposits (account 1 doubles as the fee account).
func NewWorld(cfg protocol.Config, nkeys int, balance uint64) (*World, error) {
	st, err := protocol.NewState(cfg, ChainID, Contract)
	if err != nil {
		return nil, err
	}
	w := &World{State: st, Keys: Keys(1, nkeys)}
	for _, k := range w.Keys {
		w.QueueDeposit(k.Public(), balance)
	}
	// Apply the genesis deposits directly; they are not part of a test batch.
	for _, d := range w.Queue {
		if _, err := st.ApplyDeposit(d); err != nil {
			return nil, err
		}
	}
	w.Queue = nil
	return w, nil
}

// QueueDeposit appends a deposit to the simulated L1 queue.
func (w *World) QueueDeposit(pk protocol.PublicKey, amount uint64) protocol.Deposit {
	d := protocol.Deposit{QueueIndex: w.State.NextDeposit() + uint64(len(w.Queue)), PubKey: pk, Amount: U(amount)}
	w.Queue = append(w.Queue, d)
	return d
}

// Transfer returns a transfer signed by from's key with from's current nonce
// plus offset (for several transfers from one account in a batch).
func (w *World) Transfer(from, to uint32, amount, fee uint64, nonceOffset uint32) protocol.Transfer {
	acc, _ := w.State.Account(from)
	t := protocol.Transfer{From: from, To: to, Amount: U(amount), Fee: U(fee), Nonce: acc.Nonce + nonceOffset}
	if err := t.Sign(w.Keys[from-1], w.State.DomainState()); err != nil {
		panic(err)
	}
	return t
}

// Withdrawal returns a signed withdrawal to an L1 address.
func (w *World) Withdrawal(from uint32, to [20]byte, amount, fee uint64, nonceOffset uint32) protocol.Withdrawal {
	acc, _ := w.State.Account(from)
	wd := protocol.Withdrawal{From: from, To: to, Amount: U(amount), Fee: U(fee), Nonce: acc.Nonce + nonceOffset}
	if err := wd.Sign(w.Keys[from-1], w.State.DomainState()); err != nil {
		panic(err)
	}
	return wd
}

// FullBatch applies a batch that fills every slot of cfg: deposits to new
// keys, transfers between funded accounts, withdrawals to L1 addresses.
func FullBatch(cfg protocol.Config) (*protocol.Batch, error) {
	n := cfg.Transfers + cfg.Withdrawals + 2
	w, err := NewWorld(cfg, n, 1_000_000_000)
	if err != nil {
		return nil, err
	}
	in := protocol.BatchInput{FeeAccount: 1}
	fresh := Keys(2, cfg.Deposits)
	for i := 0; i < cfg.Deposits; i++ {
		in.Deposits = append(in.Deposits, w.QueueDeposit(fresh[i].Public(), 1_000_000))
	}
	for i := 0; i < cfg.Transfers; i++ {
		from := uint32(2 + i)
		to := uint32(2 + (i+1)%(n-1))
		in.Transfers = append(in.Transfers, w.Transfer(from, to, uint64(1000+i), 10, 0))
	}
	for i := 0; i < cfg.Withdrawals; i++ {
		from := uint32(2 + cfg.Transfers + i)
		in.Withdrawals = append(in.Withdrawals, w.Withdrawal(from, [20]byte{0xab, byte(i)}, 5000, 20, 0))
	}
	return w.State.ApplyBatch(in)
}
