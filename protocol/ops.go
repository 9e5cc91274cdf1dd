package protocol

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/holiman/uint256"
)

// Rule violations. Each is distinct so the API can map it to a stable code;
// an operation that fails any of them changes nothing.
var (
	ErrUnknownAccount      = errors.New("unknown account")
	ErrReservedAccount     = errors.New("account index 0 is reserved")
	ErrWrongNonce          = errors.New("wrong nonce")
	ErrNonceExhausted      = errors.New("nonce space exhausted")
	ErrInsufficientBalance = errors.New("insufficient balance")
	ErrBalanceOverflow     = errors.New("balance overflow")
	ErrAmountTooLarge      = errors.New("amount does not fit 128 bits")
	ErrNoFeeAccount        = errors.New("fee account missing")
	ErrDepositOrder        = errors.New("deposit out of queue order")
	ErrDepositKeyMismatch  = errors.New("deposit key does not own the target account")
	ErrTreeFull            = errors.New("account tree full")
	ErrBatchFull           = errors.New("batch slots full")
	ErrBadBatch            = errors.New("invalid batch")
)

// AccountError is a rule error about one account of an operation, so that
// callers (the API's data.field) can tell which one: Field is "from" for
// the sender and "to" for a transfer's recipient.
type AccountError struct {
	Field string
	Index uint32
	Err   error // the rule, e.g. ErrUnknownAccount
}

func (e *AccountError) Error() string {
	role := "sender"
	if e.Field == "to" {
		role = "recipient"
	}
	return fmt.Sprintf("%v: %s %d", e.Err, role, e.Index)
}

func (e *AccountError) Unwrap() error { return e.Err }

// MaxBalance is exclusive: balances, amounts and fees stay below 2^128.
var MaxBalance = new(uint256.Int).Lsh(uint256.NewInt(1), 128)

// Account is one leaf of the state tree.
type Account struct {
	PubKey  PublicKey
	Balance uint256.Int
	Nonce   uint32
}

// Deposit is an entry of the contract's deposit queue.
type Deposit struct {
	QueueIndex uint64
	PubKey     PublicKey
	Amount     uint256.Int
}

// Transfer moves Amount from one account to another, paying Fee.
type Transfer struct {
	From, To    uint32
	Amount, Fee uint256.Int
	Nonce       uint32
	Sig         Signature
}

// Withdrawal moves Amount out of the rollup to an L1 address, paying Fee.
type Withdrawal struct {
	From        uint32
	To          [20]byte
	Amount, Fee uint256.Int
	Nonce       uint32
	Sig         Signature
}

// Message returns the hash the sender signs. Amount and fee must be below
// 2^128 (Sign and the ledger refuse others).
func (t *Transfer) Message(domainState fr.Element) fr.Element {
	e1, e2 := MessageFields(OpTransfer, t.From, t.Nonce, big.NewInt(int64(t.To)), &t.Amount, &t.Fee)
	return MessageHash(domainState, e1, e2)
}

// Message returns the hash the sender signs.
func (w *Withdrawal) Message(domainState fr.Element) fr.Element {
	e1, e2 := MessageFields(OpWithdraw, w.From, w.Nonce, new(big.Int).SetBytes(w.To[:]), &w.Amount, &w.Fee)
	return MessageHash(domainState, e1, e2)
}

// Message lanes hold amount and fee in 128 bits each: larger values
// would alias, so nothing signs them.
func checkLanes(amount, fee *uint256.Int) error {
	if !amount.Lt(MaxBalance) || !fee.Lt(MaxBalance) {
		return ErrAmountTooLarge
	}
	return nil
}

// Sign fills in the signature.
func (t *Transfer) Sign(k PrivateKey, domainState fr.Element) error {
	if err := checkLanes(&t.Amount, &t.Fee); err != nil {
		return err
	}
	s, err := k.Sign(t.Message(domainState))
	t.Sig = s
	return err
}

// Sign fills in the signature.
func (w *Withdrawal) Sign(k PrivateKey, domainState fr.Element) error {
	if err := checkLanes(&w.Amount, &w.Fee); err != nil {
		return err
	}
	s, err := k.Sign(w.Message(domainState))
	w.Sig = s
	return err
}

// encodeAmountFee checks both values are exactly encodable and below 2^128.
func encodeAmountFee(amount, fee *uint256.Int) (aCode, fCode uint64, err error) {
	if !amount.Lt(MaxBalance) || !fee.Lt(MaxBalance) {
		return 0, 0, ErrAmountTooLarge
	}
	if aCode, err = AmountFloat.Encode(amount); err != nil {
		return 0, 0, err
	}
	if fCode, err = FeeFloat.Encode(fee); err != nil {
		return 0, 0, err
	}
	return aCode, fCode, nil
}
