package protocol

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/internal/par"
	"github.com/sheafrollup/sheaf/protocol/smt"
)

// State is the full L2 state: a Ledger whose every write is mirrored into
// the account tree. Apply* methods are the state-transition function: each
// either succeeds, updating state and returning the circuit's witness, or
// fails with a named error and leaves the state exactly as it was.
type State struct {
	*Ledger
	cfg      Config
	chainID  uint64
	contract [20]byte
	tree     *smt.Tree
	batch    uint64 // number of the last applied batch

	touched []AccountProof // proofs taken by the tree hook, before each write
	keys    *keyHashCache
	// later: the hook takes its proofs with smt.ProofLater, their siblings
	// filled in at the next root. Only applyBatch sets it, and it reads the
	// new root before anything reads a witness.
	later bool
}

// keyHashCache remembers KeyHash (two of a leaf's three hashes) for
// recently written accounts: an account's key never changes, so sealing
// hashes it once instead of at every update. Direct-mapped by index and
// checked against the key, so a stale or colliding entry (a reverted
// account whose index went to another key) is just recomputed; its size
// bounds the memory whatever the tree holds.
type keyHashCache [4096]struct {
	index uint32
	pk    PublicKey
	hash  fr.Element
	ok    bool
}

func (c *keyHashCache) leafHash(i uint32, a *Account) fr.Element {
	e := &c[i%uint32(len(c))]
	if !e.ok || e.index != i || e.pk != a.PubKey {
		e.index, e.pk, e.hash, e.ok = i, a.PubKey, KeyHash(a.PubKey), true
	}
	return Compress(e.hash, PackBalanceNonce(&a.Balance, a.Nonce))
}

// NewState returns the genesis state: an empty tree with the reserved null
// account at index 0.
func NewState(cfg Config, chainID uint64, contract [20]byte) (*State, error) {
	return LoadState(cfg, chainID, contract, nil, 0, 0)
}

// LoadState restores a state from its accounts (indexes 1..len), the
// deposit queue position and the last batch number; the tree is rebuilt in
// parallel.
func LoadState(cfg Config, chainID uint64, contract [20]byte, accounts []Account, nextDeposit, batch uint64) (*State, error) {
	return LoadStateWithLeaves(cfg, chainID, contract, accounts, nil, nextDeposit, batch)
}

// LoadStateWithLeaves is LoadState with stored leaf hashes: leaves[i] is
// LeafHash(accounts[i]) or, where the zero value, computed here (in
// parallel). The caller checks the resulting root against a trusted one.
func LoadStateWithLeaves(cfg Config, chainID uint64, contract [20]byte, accounts []Account, leaves []fr.Element, nextDeposit, batch uint64) (*State, error) {
	if leaves != nil && len(leaves) != len(accounts) {
		return nil, fmt.Errorf("load state: %d leaves for %d accounts", len(leaves), len(accounts))
	}
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	l, err := LoadLedger(cfg, chainID, contract, accounts, nextDeposit)
	if err != nil {
		return nil, err
	}
	t, err := smt.New(cfg.Depth)
	if err != nil {
		return nil, err
	}
	if len(accounts) > 0 {
		all := make([]fr.Element, len(accounts)+1)
		if leaves != nil {
			copy(all[1:], leaves)
		}
		par.For(len(accounts), func(i int) {
			if all[i+1].IsZero() {
				all[i+1] = LeafHash(accounts[i])
			}
		})
		if err := t.Load(all); err != nil {
			return nil, err
		}
	}
	s := &State{Ledger: l, cfg: cfg, chainID: chainID, contract: contract, tree: t, batch: batch, keys: new(keyHashCache)}
	l.onPut = s.mirror
	return s, nil
}

// mirror records the account's path before the write and updates the tree.
func (s *State) mirror(i uint32, old, new Account) {
	proof := s.tree.Proof
	if s.later {
		proof = s.tree.ProofLater
	}
	p, err := proof(uint64(i))
	if err != nil { // indexes are bounded by the ledger
		panic(err)
	}
	s.touched = append(s.touched, AccountProof{Index: i, Account: old, Siblings: p.Siblings})
	if err := s.tree.Set(uint64(i), s.keys.leafHash(i, &new)); err != nil {
		panic(err)
	}
}

func (s *State) Config() Config                    { return s.cfg }
func (s *State) ChainID() uint64                   { return s.chainID }
func (s *State) Contract() [20]byte                { return s.contract }
func (s *State) Root() fr.Element                  { return s.tree.Root() }
func (s *State) BatchNumber() uint64               { return s.batch }
func (s *State) Proof(i uint32) (smt.Proof, error) { return s.tree.Proof(uint64(i)) }

// Leaf returns account i's leaf as the tree holds it (LeafHash of the
// account, 0 if empty) without hashing.
func (s *State) Leaf(i uint32) fr.Element { return s.tree.Leaf(uint64(i)) }

// Overlay copies what proving account i against the tree with the given
// leaves replaced needs (smt.Tree.Overlay): with the leaves changed since an
// earlier batch put back, it proves against that batch's root.
func (s *State) Overlay(i uint32, leaves []smt.Leaf) (*smt.Overlay, error) {
	return s.tree.Overlay(uint64(i), leaves)
}

// AccountProof is an account's state before an update and its Merkle path.
type AccountProof struct {
	Index    uint32
	Account  Account // zero for an empty leaf
	Siblings []fr.Element
}

type checkpoint struct{ tree, ledger int }

func (s *State) checkpoint() checkpoint {
	return checkpoint{tree: s.tree.Checkpoint(), ledger: s.Ledger.Checkpoint()}
}

func (s *State) revert(cp checkpoint) {
	s.Ledger.RevertTo(cp.ledger)
	s.tree.RevertTo(cp.tree)
	// RevertTo leaves paths to rehash; the sequencer's readers share the
	// sealed state under a read lock, so leave it clean (ApplyBatch's
	// success path ends clean by reading the new root).
	s.tree.Flush()
}

func (s *State) commit() {
	s.Ledger.Commit()
	s.tree.Commit()
}

// take returns the proofs recorded since the last take.
func (s *State) take() []AccountProof {
	t := s.touched
	s.touched = nil
	return t
}

// DepositWitness is what the circuit needs for one deposit slot.
type DepositWitness struct {
	Deposit Deposit
	Index   uint32
	IsNew   bool
	Before  AccountProof
}

// ApplyDeposit is the state-transition function for a deposit.
func (s *State) ApplyDeposit(d Deposit) (DepositWitness, error) {
	s.take()
	idx, isNew, err := s.Ledger.ApplyDeposit(d)
	if err != nil {
		return DepositWitness{}, err
	}
	return DepositWitness{Deposit: d, Index: idx, IsNew: isNew, Before: s.take()[0]}, nil
}

// TransferWitness: the receiver's proof is taken after the sender's update,
// so a self-transfer reads back its own new leaf.
type TransferWitness struct {
	Tx       Transfer
	Sender   AccountProof
	Receiver AccountProof
}

// ApplyTransfer is the state-transition function for a transfer.
func (s *State) ApplyTransfer(t Transfer) (TransferWitness, error) {
	return s.applyTransfer(t, true)
}

func (s *State) applyTransfer(t Transfer, verify bool) (TransferWitness, error) {
	s.take()
	if err := s.Ledger.ApplyTransfer(&t, verify); err != nil {
		return TransferWitness{}, err
	}
	p := s.take()
	return TransferWitness{Tx: t, Sender: p[0], Receiver: p[1]}, nil
}

// WithdrawalWitness is what the circuit needs for one withdrawal slot.
type WithdrawalWitness struct {
	Tx     Withdrawal
	Sender AccountProof
}

// ApplyWithdrawal is the state-transition function for a withdrawal.
func (s *State) ApplyWithdrawal(w Withdrawal) (WithdrawalWitness, error) {
	return s.applyWithdrawal(w, true)
}

func (s *State) applyWithdrawal(w Withdrawal, verify bool) (WithdrawalWitness, error) {
	s.take()
	if err := s.Ledger.ApplyWithdrawal(&w, verify); err != nil {
		return WithdrawalWitness{}, err
	}
	return WithdrawalWitness{Tx: w, Sender: s.take()[0]}, nil
}

// FeeWitness credits the batch's total fee to the fee account.
type FeeWitness struct {
	Total  uint256.Int
	Before AccountProof
}

func (s *State) applyFee(index uint32, total *uint256.Int) (FeeWitness, error) {
	s.take()
	if err := s.Ledger.CreditFee(index, total); err != nil {
		return FeeWitness{}, err
	}
	return FeeWitness{Total: *total, Before: s.take()[0]}, nil
}

// ForcedExitWitness is what the circuit needs for one forced-exit slot.
// Before is the target leaf and its path whatever the outcome (an empty
// leaf has the zero Account and Empty set): the circuit proves a no-op
// from the same leaf it would have updated.
type ForcedExitWitness struct {
	Exit    ForcedExit
	Outcome ForcedExitOutcome
	Empty   bool
	Before  AccountProof
}

// ApplyForcedExit is the state-transition function for a forced exit.
func (s *State) ApplyForcedExit(f ForcedExit) (ForcedExitWitness, error) {
	if err := f.processable(s.cfg.MaxAccounts()); err != nil {
		return ForcedExitWitness{}, err
	}
	p, err := s.tree.Proof(uint64(f.Index))
	if err != nil {
		return ForcedExitWitness{}, err
	}
	acc, exists := s.Account(f.Index)
	s.take()
	out, err := s.Ledger.ApplyForcedExit(&f)
	s.take()
	if err != nil {
		return ForcedExitWitness{}, err
	}
	return ForcedExitWitness{Exit: f, Outcome: out, Empty: !exists,
		Before: AccountProof{Index: f.Index, Account: acc, Siblings: p.Siblings}}, nil
}
