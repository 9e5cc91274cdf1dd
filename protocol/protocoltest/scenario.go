// Package protocoltest builds deterministic states, keys and signed
// operations for tests across packages.
package protocoltest

import (
	"math/rand"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
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
	// Forced are forced-exit requests observed on L1, not yet applied.
	// Queue them after the deposits a batch takes: a batch consumes its
	// deposits, then its forced exits, from the priority queue.
	Forced []protocol.ForcedExit

	fxChain   fr.Element // forced-exit chain after the last request queued
	fxStarted bool
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
	d := protocol.Deposit{QueueIndex: w.nextQueueIndex(), PubKey: pk, Amount: U(amount)}
	w.Queue = append(w.Queue, d)
	return d
}

func (w *World) nextQueueIndex() uint64 {
	return w.State.NextDeposit() + uint64(len(w.Queue)+len(w.Forced))
}

// QueueForcedExit appends a forced-exit request for account index to the
// simulated L1 queue, signed by signer over nonce (the contract accepts any
// signature; the batch judges it) and linked into the forced-exit chain.
func (w *World) QueueForcedExit(index uint32, signer protocol.PrivateKey, recipient [20]byte, nonce uint32) protocol.ForcedExit {
	if !w.fxStarted {
		w.fxChain, w.fxStarted = protocol.TagForcedExitChain, true
	}
	f := protocol.ForcedExit{QueueIndex: w.nextQueueIndex(), Index: index, Recipient: recipient, Nonce: nonce, PrevChain: w.fxChain}
	if err := f.Sign(signer, w.State.DomainState()); err != nil {
		panic(err)
	}
	w.fxChain = f.Chain()
	w.Forced = append(w.Forced, f)
	return f
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
// keys, forced exits that withdraw (from accounts no other slot touches),
// transfers between funded accounts, withdrawals to L1 addresses.
func FullBatch(cfg protocol.Config) (*protocol.Batch, error) {
	n := cfg.Transfers + cfg.Withdrawals + cfg.ForcedExits + 2
	w, err := NewWorld(cfg, n, 1_000_000_000)
	if err != nil {
		return nil, err
	}
	in := protocol.BatchInput{FeeAccount: 1}
	fresh := Keys(2, cfg.Deposits)
	for i := 0; i < cfg.Deposits; i++ {
		in.Deposits = append(in.Deposits, w.QueueDeposit(fresh[i].Public(), 1_000_000))
	}
	for i := 0; i < cfg.ForcedExits; i++ {
		idx := uint32(2 + cfg.Transfers + cfg.Withdrawals + i)
		in.ForcedExits = append(in.ForcedExits, w.QueueForcedExit(idx, w.Keys[idx-1], [20]byte{0xfe, byte(i)}, 0))
	}
	nt := cfg.Transfers + cfg.Withdrawals + 2 // accounts transfers move between
	for i := 0; i < cfg.Transfers; i++ {
		from := uint32(2 + i)
		to := uint32(2 + (i+1)%(nt-1))
		in.Transfers = append(in.Transfers, w.Transfer(from, to, uint64(1000+i), 10, 0))
	}
	for i := 0; i < cfg.Withdrawals; i++ {
		from := uint32(2 + cfg.Transfers + i)
		in.Withdrawals = append(in.Withdrawals, w.Withdrawal(from, [20]byte{0xab, byte(i)}, 5000, 20, 0))
	}
	return w.State.ApplyBatch(in)
}
