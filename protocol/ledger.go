package protocol

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/holiman/uint256"
)

// Ledger is the account table and every rule of the state-transition
// function, without the Merkle tree. The sequencer keeps its pending state
// in a Ledger (microseconds per operation); State wraps one and mirrors each
// write into the tree to produce witnesses.
type Ledger struct {
	domainState fr.Element
	maxAccounts uint64

	accounts []Account           // by index; [0] is the reserved null account
	byKey    map[[32]byte]uint32 // first index that key owns
	// nextDeposit is the L1 priority queue's head: the queue index of the
	// next entry to consume, a deposit or a forced exit.
	nextDeposit uint64

	open    int // open checkpoints; the journal records only while one is open
	journal []journalEntry

	// onPut sees every write before it happens (State updates its tree).
	onPut func(i uint32, old, new Account)
}

type journalEntry struct {
	index       uint32
	old         Account
	created     bool // index was appended
	queueOnly   bool // only the queue head moved (a forced exit judged a no-op)
	nextDeposit uint64
}

// NewLedger returns an empty ledger (only the reserved account 0).
func NewLedger(cfg Config, chainID uint64, contract [20]byte) *Ledger {
	return &Ledger{
		domainState: DomainState(chainID, contract),
		maxAccounts: cfg.MaxAccounts(),
		accounts:    make([]Account, 1),
		byKey:       map[[32]byte]uint32{},
	}
}

// LoadLedger restores a ledger from accounts 1..len(accounts) (restart path).
func LoadLedger(cfg Config, chainID uint64, contract [20]byte, accounts []Account, nextDeposit uint64) (*Ledger, error) {
	l := NewLedger(cfg, chainID, contract)
	if uint64(len(accounts))+1 > l.maxAccounts {
		return nil, fmt.Errorf("%w: %d accounts for depth %d", ErrTreeFull, len(accounts), cfg.Depth)
	}
	l.accounts = append(l.accounts, accounts...)
	for i, a := range accounts {
		k := a.PubKey.Bytes()
		if _, had := l.byKey[k]; !had {
			l.byKey[k] = uint32(i + 1)
		}
	}
	l.nextDeposit = nextDeposit
	return l, nil
}

// Clone returns an independent copy (no open checkpoints, no hook).
func (l *Ledger) Clone() *Ledger {
	c := &Ledger{domainState: l.domainState, maxAccounts: l.maxAccounts, nextDeposit: l.nextDeposit,
		accounts: append([]Account(nil), l.accounts...), byKey: make(map[[32]byte]uint32, len(l.byKey))}
	for k, v := range l.byKey {
		c.byKey[k] = v
	}
	return c
}

func (l *Ledger) DomainState() fr.Element { return l.domainState }

// NextDeposit is the priority queue's head: the queue index of the next
// entry (deposit or forced exit) to consume.
func (l *Ledger) NextDeposit() uint64 { return l.nextDeposit }
func (l *Ledger) NumAccounts() int    { return len(l.accounts) - 1 }

// Account returns the account at index i.
func (l *Ledger) Account(i uint32) (Account, bool) {
	if i == 0 || int(i) >= len(l.accounts) {
		return Account{}, false
	}
	return l.accounts[i], true
}

// IndexOf returns the first index owned by pk.
func (l *Ledger) IndexOf(pk PublicKey) (uint32, bool) {
	i, ok := l.byKey[pk.Bytes()]
	return i, ok
}

func (l *Ledger) put(i uint32, a Account) {
	created := int(i) == len(l.accounts)
	var old Account
	if !created {
		old = l.accounts[i]
	}
	if l.onPut != nil {
		l.onPut(i, old, a)
	}
	if created {
		l.accounts = append(l.accounts, Account{})
		if _, had := l.byKey[a.PubKey.Bytes()]; !had {
			l.byKey[a.PubKey.Bytes()] = i
		}
	}
	if l.open > 0 {
		l.journal = append(l.journal, journalEntry{index: i, old: old, created: created, nextDeposit: l.nextDeposit})
	}
	l.accounts[i] = a
}

// Checkpoint starts (or nests) journaling; RevertTo undoes later changes.
func (l *Ledger) Checkpoint() int {
	l.open++
	return len(l.journal)
}

// RevertTo undoes every change made after cp. The checkpoint stays open.
func (l *Ledger) RevertTo(cp int) {
	for k := len(l.journal) - 1; k >= cp; k-- {
		e := l.journal[k]
		if e.queueOnly {
			l.nextDeposit = e.nextDeposit
			continue
		}
		if e.created {
			if key := l.accounts[e.index].PubKey.Bytes(); l.byKey[key] == e.index {
				delete(l.byKey, key)
			}
			l.accounts = l.accounts[:e.index]
		} else {
			l.accounts[e.index] = e.old
		}
		l.nextDeposit = e.nextDeposit
	}
	l.journal = l.journal[:cp]
}

// Commit keeps all changes and closes every checkpoint.
func (l *Ledger) Commit() {
	l.journal = l.journal[:0]
	l.open = 0
}

// ApplyDeposit credits a queued deposit: to the key's existing account, or
// to a newly assigned index when the key is new (or its account would
// overflow: a deposit is never refused). Deposits must come in queue order.
func (l *Ledger) ApplyDeposit(d Deposit) (index uint32, isNew bool, err error) {
	if d.QueueIndex != l.nextDeposit {
		return 0, false, fmt.Errorf("%w: got queue index %d, want %d", ErrDepositOrder, d.QueueIndex, l.nextDeposit)
	}
	if err := d.PubKey.ValidateDepositKey(); err != nil {
		return 0, false, err
	}
	if !d.Amount.Lt(MaxBalance) {
		return 0, false, ErrAmountTooLarge
	}
	idx, ok := l.IndexOf(d.PubKey)
	var acc Account
	if ok {
		acc = l.accounts[idx]
		var sum uint256.Int
		sum.Add(&acc.Balance, &d.Amount)
		if sum.Lt(MaxBalance) {
			acc.Balance = sum
		} else {
			ok = false
		}
	}
	if !ok {
		if uint64(len(l.accounts)) >= l.maxAccounts {
			return 0, false, ErrTreeFull
		}
		idx = uint32(len(l.accounts))
		acc = Account{PubKey: d.PubKey, Balance: d.Amount}
	}
	l.put(idx, acc)
	l.nextDeposit++
	return idx, !ok, nil
}

// ApplyForcedExit judges a forced-exit request and consumes its queue
// entry. It is valid when account f.Index exists, f.Nonce is its nonce (and
// can still advance) and the signature verifies under its key by the
// circuit's rule (VerifyCofactored); then the whole balance is withdrawn and
// the nonce advances. Otherwise it is a no-op. Only requests out of queue
// order or that the circuit cannot process (index 0 or outside the tree, R
// off the curve: the contract refuses them) are errors.
func (l *Ledger) ApplyForcedExit(f *ForcedExit) (ForcedExitOutcome, error) {
	if f.QueueIndex != l.nextDeposit {
		return ForcedExitOutcome{}, fmt.Errorf("%w: forced exit at queue index %d, want %d", ErrQueueOrder, f.QueueIndex, l.nextDeposit)
	}
	if err := f.processable(l.maxAccounts); err != nil {
		return ForcedExitOutcome{}, err
	}
	acc, ok := l.Account(f.Index)
	var out ForcedExitOutcome
	out.Valid = ok && f.Nonce == acc.Nonce && acc.Nonce != ^uint32(0) &&
		VerifyCofactored(acc.PubKey, f.Message(l.domainState), f.Sig)
	if !out.Valid {
		if l.open > 0 {
			l.journal = append(l.journal, journalEntry{queueOnly: true, nextDeposit: l.nextDeposit})
		}
		l.nextDeposit++
		return out, nil
	}
	out.Amount = acc.Balance
	acc.Balance.Clear()
	acc.Nonce++
	l.put(f.Index, acc)
	l.nextDeposit++
	return out, nil
}

// debit checks the sender side shared by transfers and withdrawals and
// returns the sender's new account. sig is checked only when verify is set
// (the sequencer verifies signatures in parallel before the serial apply).
func (l *Ledger) debit(from, nonce uint32, amount, fee *uint256.Int, msg func() fr.Element, sig Signature, verify bool) (Account, error) {
	if _, _, err := encodeAmountFee(amount, fee); err != nil {
		return Account{}, err
	}
	if from == 0 {
		return Account{}, ErrReservedAccount
	}
	acc, ok := l.Account(from)
	if !ok {
		return Account{}, &AccountError{Field: "from", Index: from, Err: ErrUnknownAccount}
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
	if verify && !Verify(acc.PubKey, msg(), sig) {
		return Account{}, ErrBadSignature
	}
	acc.Balance.Sub(&acc.Balance, &total)
	acc.Nonce++
	return acc, nil
}

func (l *Ledger) checkTransfer(t *Transfer, verify bool) (sender Account, err error) {
	if t.To == 0 {
		return Account{}, ErrReservedAccount
	}
	to, ok := l.Account(t.To)
	if !ok {
		return Account{}, &AccountError{Field: "to", Index: t.To, Err: ErrUnknownAccount}
	}
	sender, err = l.debit(t.From, t.Nonce, &t.Amount, &t.Fee, func() fr.Element { return t.Message(l.domainState) }, t.Sig, verify)
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

// CheckTransfer validates a transfer (signature included) without changing anything.
func (l *Ledger) CheckTransfer(t *Transfer) error {
	_, err := l.checkTransfer(t, true)
	return err
}

// ApplyTransfer applies a transfer; verify=false skips the signature check
// for callers that verified it already.
func (l *Ledger) ApplyTransfer(t *Transfer, verify bool) error {
	sender, err := l.checkTransfer(t, verify)
	if err != nil {
		return err
	}
	l.put(t.From, sender)
	to := l.accounts[t.To]
	to.Balance.Add(&to.Balance, &t.Amount)
	l.put(t.To, to)
	return nil
}

// CheckWithdrawal validates a withdrawal without changing anything.
func (l *Ledger) CheckWithdrawal(w *Withdrawal) error {
	_, err := l.debit(w.From, w.Nonce, &w.Amount, &w.Fee, func() fr.Element { return w.Message(l.domainState) }, w.Sig, true)
	return err
}

// ApplyWithdrawal applies a withdrawal; verify as for ApplyTransfer.
func (l *Ledger) ApplyWithdrawal(w *Withdrawal, verify bool) error {
	sender, err := l.debit(w.From, w.Nonce, &w.Amount, &w.Fee, func() fr.Element { return w.Message(l.domainState) }, w.Sig, verify)
	if err != nil {
		return err
	}
	l.put(w.From, sender)
	return nil
}

// CreditFee adds a batch's total fee to the fee account.
func (l *Ledger) CreditFee(index uint32, total *uint256.Int) error {
	acc, ok := l.Account(index)
	if !ok {
		return fmt.Errorf("%w: index %d", ErrNoFeeAccount, index)
	}
	var sum uint256.Int
	sum.Add(&acc.Balance, total)
	if !sum.Lt(MaxBalance) {
		return fmt.Errorf("fee account: %w", ErrBalanceOverflow)
	}
	acc.Balance = sum
	l.put(index, acc)
	return nil
}
