package protocol

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"github.com/holiman/uint256"
	"golang.org/x/crypto/sha3"
)

// ErrBadForcedExit: a forced-exit request the contract refuses on entry
// (index 0 or outside the tree, R not a curve point, S not below ℓ), or a
// batch whose forced exits do not follow the L1 chain. L2 never sees such a
// request from a correct contract; the circuit could not process it.
var ErrBadForcedExit = errors.New("invalid forced-exit request")

// ErrQueueOrder: a priority-queue entry applied out of queue order.
var ErrQueueOrder = errors.New("priority queue entry out of order")

// ForcedExit is a forced-exit request from the L1 priority queue: the
// owner of account Index asks, with its L2 key, that the account's whole
// balance be withdrawn to Recipient. L1 cannot check the signature or the
// nonce; the batch decides (ApplyForcedExit) and either way consumes it.
type ForcedExit struct {
	QueueIndex uint64 // position in the L1 priority queue
	Index      uint32
	Recipient  [20]byte
	Nonce      uint32 // the account's nonce when the owner signed
	Sig        Signature
	// PrevChain is the forced-exit chain value before this request
	// (TagForcedExitChain for the first request of a deployment): the
	// contract's chain is what binds the batch to the requests.
	PrevChain fr.Element
}

// Message is the hash the account's key signs (ForcedExitMessage).
func (f *ForcedExit) Message(domainState fr.Element) fr.Element {
	return ForcedExitMessage(domainState, f.Index, f.Nonce, f.Recipient)
}

// Sign fills in the signature.
func (f *ForcedExit) Sign(k PrivateKey, domainState fr.Element) error {
	s, err := k.Sign(f.Message(domainState))
	f.Sig = s
	return err
}

// Chain is the forced-exit chain value after this request:
//
//	C(C(C(C(PrevChain, e1), R.x), R.y), S),  e1 = 3·2^224 + index·2^192 + nonce·2^160 + recipient
//
// The contract computes it with Poseidon2 when the request enters the
// queue; the circuit recomputes it from the very values it judges.
func (f *ForcedExit) Chain() fr.Element {
	return ForcedExitChainStep(f.PrevChain, f.Index, f.Nonce, f.Recipient, f.Sig)
}

// ForcedExitChainStep extends the forced-exit chain by one request.
func ForcedExitChainStep(prev fr.Element, index, nonce uint32, recipient [20]byte, sig Signature) fr.Element {
	return Compress(Compress(Compress(Compress(prev, forcedExitLane(index, nonce, recipient)), sig.R.X), sig.R.Y), sig.S)
}

// Check is what the contract enforces when a request enters the queue, so
// that every queued request can be processed by the circuit: index in
// [1, 2^depth), R a curve point, S < ℓ. (The circuit could judge S ≥ ℓ, as
// a no-op; refusing it on L1 keeps such requests out of the queue.)
func (f *ForcedExit) Check(cfg Config) error {
	if err := f.processable(cfg.MaxAccounts()); err != nil {
		return err
	}
	var s big.Int
	f.Sig.S.BigInt(&s)
	if curve := twistededwards.GetEdwardsCurve(); s.Cmp(&curve.Order) >= 0 {
		return fmt.Errorf("%w: S not below the group order", ErrBadForcedExit)
	}
	return nil
}

// processable: the circuit decomposes the index into depth bits (0 marks
// an unused slot) and asserts R is on the curve.
func (f *ForcedExit) processable(maxAccounts uint64) error {
	if f.Index == 0 {
		return fmt.Errorf("%w: %w", ErrBadForcedExit, ErrReservedAccount)
	}
	if uint64(f.Index) >= maxAccounts {
		return fmt.Errorf("%w: index %d outside the tree", ErrBadForcedExit, f.Index)
	}
	if r := f.Sig.R.point(); !r.IsOnCurve() {
		return fmt.Errorf("%w: R is not a curve point", ErrBadForcedExit)
	}
	return nil
}

// ForcedExitOutcome is how a batch judged a forced exit.
type ForcedExitOutcome struct {
	// Valid: the signature verifies under the account's key (VerifyCofactored)
	// and the nonce is the account's; the whole balance was withdrawn and
	// the nonce advanced. Otherwise the request was a no-op.
	Valid  bool
	Amount uint256.Int // withdrawn to the recipient (0 for a no-op)
}

// DepositEntryHash is the hash a deposit's priority-queue entry commits to:
//
//	keccak256(compressed key (32) ‖ amount (uint128, 16) ‖ depositor (20))
//
// The depositor (msg.sender of deposit) lets the contract refund a deposit
// that was never consumed when exodus mode starts.
func DepositEntryHash(pk PublicKey, amount *uint256.Int, depositor [20]byte) [32]byte {
	h := sha3.NewLegacyKeccak256()
	k := pk.Bytes()
	a := amount.Bytes32()
	h.Write(k[:])
	h.Write(a[16:])
	h.Write(depositor[:])
	var out [32]byte
	h.Sum(out[:0])
	return out
}
