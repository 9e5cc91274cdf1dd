package protocol

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/protocol/smt"
)

// State is the full L2 state: accounts, their Merkle tree and the position
// in the L1 deposit queue. Apply* methods are the state-transition function:
// each either succeeds, updating state and returning the circuit's witness,
// or fails with a named error and leaves the state exactly as it was.
type State struct {
	cfg         Config
	chainID     uint64
	contract    [20]byte
	domainState fr.Element

	tree     *smt.Tree
	accounts []Account           // by index; [0] is the reserved null account
	byKey    map[[32]byte]uint32 // first index that key owns

	nextDeposit uint64 // queue index of the next deposit to consume
	batch       uint64 // number of the last applied batch

	journal []journalEntry // account changes since the outer checkpoint
}

type journalEntry struct {
	index   uint32
	old     Account
	created bool // index was appended
}

// NewState returns the genesis state: an empty tree with the reserved null
// account at index 0.
func NewState(cfg Config, chainID uint64, contract [20]byte) (*State, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	t, err := smt.New(cfg.Depth)
	if err != nil {
		return nil, err
	}
	return &State{
		cfg: cfg, chainID: chainID, contract: contract,
		domainState: DomainState(chainID, contract),
		tree:        t,
		accounts:    make([]Account, 1),
		byKey:       map[[32]byte]uint32{},
	}, nil
}

func (s *State) Config() Config                    { return s.cfg }
func (s *State) ChainID() uint64                   { return s.chainID }
func (s *State) Contract() [20]byte                { return s.contract }
func (s *State) DomainState() fr.Element           { return s.domainState }
func (s *State) Root() fr.Element                  { return s.tree.Root() }
func (s *State) NextDeposit() uint64               { return s.nextDeposit }
func (s *State) BatchNumber() uint64               { return s.batch }
func (s *State) NumAccounts() int                  { return len(s.accounts) - 1 }
func (s *State) Proof(i uint32) (smt.Proof, error) { return s.tree.Proof(uint64(i)) }

// Account returns the account at index i.
func (s *State) Account(i uint32) (Account, bool) {
	if i == 0 || int(i) >= len(s.accounts) {
		return Account{}, false
	}
	return s.accounts[i], true
}

// IndexOf returns the first index owned by pk.
func (s *State) IndexOf(pk PublicKey) (uint32, bool) {
	i, ok := s.byKey[pk.Bytes()]
	return i, ok
}

// AccountProof is an account's state before an update and its Merkle path.
type AccountProof struct {
	Index    uint32
	Account  Account // zero for an empty leaf
	Siblings []fr.Element
}

func (s *State) proof(i uint32) AccountProof {
	p, err := s.tree.Proof(uint64(i))
	if err != nil { // index was range-checked by the caller
		panic(err)
	}
	var a Account
	if int(i) < len(s.accounts) {
		a = s.accounts[i]
	}
	return AccountProof{Index: i, Account: a, Siblings: p.Siblings}
}

// put writes an account to the ledger and the tree, journaling the old value.
func (s *State) put(i uint32, a Account) {
	created := int(i) == len(s.accounts)
	if created {
		s.accounts = append(s.accounts, Account{})
		if _, had := s.byKey[a.PubKey.Bytes()]; !had {
			s.byKey[a.PubKey.Bytes()] = i
		}
	}
	s.journal = append(s.journal, journalEntry{index: i, old: s.accounts[i], created: created})
	s.accounts[i] = a
	if err := s.tree.Set(uint64(i), LeafHash(a)); err != nil {
		panic(err) // index range-checked by the caller
	}
}

type checkpoint struct{ tree, journal int }

func (s *State) checkpoint() checkpoint {
	return checkpoint{tree: s.tree.Checkpoint(), journal: len(s.journal)}
}

func (s *State) revert(cp checkpoint) {
	for k := len(s.journal) - 1; k >= cp.journal; k-- {
		e := s.journal[k]
		if e.created {
			if k := s.accounts[e.index].PubKey.Bytes(); s.byKey[k] == e.index {
				delete(s.byKey, k)
			}
			s.accounts = s.accounts[:e.index]
			continue
		}
		s.accounts[e.index] = e.old
	}
	s.journal = s.journal[:cp.journal]
	s.tree.RevertTo(cp.tree)
}

func (s *State) commit() {
	s.journal = s.journal[:0]
	s.tree.Commit()
}

// DepositWitness is what the circuit needs for one deposit slot.
type DepositWitness struct {
	Deposit Deposit
	Index   uint32
	IsNew   bool
	Before  AccountProof
}

// ApplyDeposit credits a queued deposit: to the key's existing account, or
// to a newly assigned index when the key is new. Deposits must be applied in
// queue order.
func (s *State) ApplyDeposit(d Deposit) (DepositWitness, error) {
	if d.QueueIndex != s.nextDeposit {
		return DepositWitness{}, fmt.Errorf("%w: got queue index %d, want %d", ErrDepositOrder, d.QueueIndex, s.nextDeposit)
	}
	if err := d.PubKey.ValidateDepositKey(); err != nil {
		return DepositWitness{}, err
	}
	if !d.Amount.Lt(MaxBalance) {
		return DepositWitness{}, ErrAmountTooLarge
	}
	idx, ok := s.IndexOf(d.PubKey)
	isNew := !ok
	var acc Account
	if ok {
		acc = s.accounts[idx]
		var sum uint256.Int
		sum.Add(&acc.Balance, &d.Amount)
		if !sum.Lt(MaxBalance) {
			// A deposit is never refused: it opens a fresh account instead.
			isNew = true
		} else {
			acc.Balance = sum
		}
	}
	if isNew {
		if uint64(len(s.accounts)) >= s.cfg.MaxAccounts() {
			return DepositWitness{}, ErrTreeFull
		}
		idx = uint32(len(s.accounts))
		acc = Account{PubKey: d.PubKey, Balance: d.Amount}
	}
	w := DepositWitness{Deposit: d, Index: idx, IsNew: isNew, Before: s.proof(idx)}
	s.put(idx, acc)
	s.nextDeposit++
	return w, nil
}

// SenderCheck validates the sender side shared by transfers and withdrawals.
func (s *State) senderCheck(from uint32, nonce uint32, amount, fee *uint256.Int, msg fr.Element, sig Signature) (Account, error) {
	if from == 0 {
		return Account{}, ErrReservedAccount
	}
	acc, ok := s.Account(from)
	if !ok {
		return Account{}, fmt.Errorf("%w: sender %d", ErrUnknownAccount, from)
	}
	if nonce != acc.Nonce {
		return Account{}, fmt.Errorf("%w: got %d, account is at %d", ErrWrongNonce, nonce, acc.Nonce)
	}
	if acc.Nonce == ^uint32(0) {
		return Account{}, ErrNonceExhausted
	}
	var total uint256.Int
	total.Add(amount, fee)
	if acc.Balance.Lt(&total) {
		return Account{}, fmt.Errorf("%w: balance %s, needs %s", ErrInsufficientBalance, acc.Balance.Dec(), total.Dec())
	}
	if !Verify(acc.PubKey, msg, sig) {
		return Account{}, ErrBadSignature
	}
	acc.Balance.Sub(&acc.Balance, &total)
	acc.Nonce++
	return acc, nil
}

// CheckTransfer validates a transfer against the state without changing it.
func (s *State) CheckTransfer(t *Transfer) error {
	_, err := s.checkTransfer(t)
	return err
}

func (s *State) checkTransfer(t *Transfer) (sender Account, err error) {
	if _, _, err := encodeAmountFee(&t.Amount, &t.Fee); err != nil {
		return Account{}, err
	}
	if t.To == 0 {
		return Account{}, ErrReservedAccount
	}
	to, ok := s.Account(t.To)
	if !ok {
		return Account{}, fmt.Errorf("%w: recipient %d", ErrUnknownAccount, t.To)
	}
	sender, err = s.senderCheck(t.From, t.Nonce, &t.Amount, &t.Fee, t.Message(s.domainState), t.Sig)
	if err != nil {
		return Account{}, err
	}
	credited := to.Balance
	if t.To == t.From {
		credited = sender.Balance
	}
	var sum uint256.Int
	sum.Add(&credited, &t.Amount)
	if !sum.Lt(MaxBalance) {
		return Account{}, ErrBalanceOverflow
	}
	return sender, nil
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
	sender, err := s.checkTransfer(&t)
	if err != nil {
		return TransferWitness{}, err
	}
	w := TransferWitness{Tx: t, Sender: s.proof(t.From)}
	s.put(t.From, sender)
	w.Receiver = s.proof(t.To)
	to := s.accounts[t.To]
	to.Balance.Add(&to.Balance, &t.Amount)
	s.put(t.To, to)
	return w, nil
}

// CheckWithdrawal validates a withdrawal against the state without changing it.
func (s *State) CheckWithdrawal(w *Withdrawal) error {
	_, err := s.checkWithdrawal(w)
	return err
}

func (s *State) checkWithdrawal(w *Withdrawal) (Account, error) {
	if _, _, err := encodeAmountFee(&w.Amount, &w.Fee); err != nil {
		return Account{}, err
	}
	return s.senderCheck(w.From, w.Nonce, &w.Amount, &w.Fee, w.Message(s.domainState), w.Sig)
}

// WithdrawalWitness is what the circuit needs for one withdrawal slot.
type WithdrawalWitness struct {
	Tx     Withdrawal
	Sender AccountProof
}

// ApplyWithdrawal is the state-transition function for a withdrawal.
func (s *State) ApplyWithdrawal(w Withdrawal) (WithdrawalWitness, error) {
	sender, err := s.checkWithdrawal(&w)
	if err != nil {
		return WithdrawalWitness{}, err
	}
	out := WithdrawalWitness{Tx: w, Sender: s.proof(w.From)}
	s.put(w.From, sender)
	return out, nil
}

// FeeWitness credits the batch's total fee to the fee account.
type FeeWitness struct {
	Total  uint256.Int
	Before AccountProof
}

func (s *State) applyFee(index uint32, total *uint256.Int) (FeeWitness, error) {
	acc, ok := s.Account(index)
	if !ok {
		return FeeWitness{}, fmt.Errorf("%w: index %d", ErrNoFeeAccount, index)
	}
	var sum uint256.Int
	sum.Add(&acc.Balance, total)
	if !sum.Lt(MaxBalance) {
		return FeeWitness{}, fmt.Errorf("fee account: %w", ErrBalanceOverflow)
	}
	w := FeeWitness{Total: *total, Before: s.proof(index)}
	acc.Balance = sum
	s.put(index, acc)
	return w, nil
}
