package protocol

import (
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/protocol/smt"
)

// Domain tags start each Poseidon2 chain. gnark's Merkle–Damgård Poseidon2 has
// no length padding, so leaves and messages get distinct initial states;
// tree nodes are the bare 2→1 compression (smt.HashNode) with fixed depth.
var (
	TagLeaf    = tag("sheaf.leaf.v1")
	TagMessage = tag("sheaf.msg.v1")
	// TagForcedExitChain is the forced-exit chain's value before the first
	// request (docs/protocol.md, "Priority queue").
	TagForcedExitChain = tag("sheaf.fexit.v1")
)

func tag(s string) fr.Element {
	var e fr.Element
	e.SetBigInt(new(big.Int).SetBytes([]byte(s)))
	return e
}

// Compress is the Poseidon2 2→1 compression every hash here is built from.
func Compress(l, r fr.Element) fr.Element { return smt.HashNode(l, r) }

// Operation types bound into the signed message. Each signed kind has its
// own type, so a signature over one kind never reads as another.
const (
	OpDeposit    = 0
	OpTransfer   = 1
	OpWithdraw   = 2
	OpForcedExit = 3 // L1 request: withdraw the whole balance (signed, carries the nonce)
	OpExodus     = 4 // exit proof in exodus mode (signed, no nonce: one exit per account)
)

// NumOpTypes bounds the operation types (arrays indexed by type).
const NumOpTypes = 5

// KeyHash is the part of a leaf that depends on the public key only:
// C(C(TagLeaf, Ax), Ay). The circuit shares it between old and new leaf.
func KeyHash(pk PublicKey) fr.Element {
	return Compress(Compress(TagLeaf, pk.X), pk.Y)
}

// PackBalanceNonce is the leaf's third lane: nonce·2^128 + balance.
func PackBalanceNonce(balance *uint256.Int, nonce uint32) fr.Element {
	var v uint256.Int
	v.Lsh(uint256.NewInt(uint64(nonce)), 128)
	v.Or(&v, balance)
	return u256ToFr(&v)
}

// LeafHash is the account leaf: C(KeyHash(pk), nonce·2^128 + balance).
// The empty leaf is 0, which no account hashes to.
func LeafHash(a Account) fr.Element {
	return Compress(KeyHash(a.PubKey), PackBalanceNonce(&a.Balance, a.Nonce))
}

// DomainElement binds a deployment: chainID·2^160 + contract address.
func DomainElement(chainID uint64, contract [20]byte) fr.Element {
	var v big.Int
	v.SetUint64(chainID)
	v.Lsh(&v, 160)
	v.Or(&v, new(big.Int).SetBytes(contract[:]))
	var e fr.Element
	e.SetBigInt(&v)
	return e
}

// DomainState is C(TagMessage, DomainElement): the same for every message of
// one deployment, so the circuit computes it once per batch.
func DomainState(chainID uint64, contract [20]byte) fr.Element {
	return Compress(TagMessage, DomainElement(chainID, contract))
}

// MessageFields are the two lanes of a signed message.
//
//	e1 = type·2^224 + from·2^192 + nonce·2^160 + recipient
//	e2 = fee·2^128 + amount
//
// recipient is the destination index for a transfer and the L1 address for
// a withdrawal; amount and fee are the decoded integers the state moves.
func MessageFields(opType uint8, from uint32, nonce uint32, recipient *big.Int, amount, fee *uint256.Int) (e1, e2 fr.Element) {
	var v big.Int
	v.SetUint64(uint64(opType))
	v.Lsh(&v, 32).Or(&v, big.NewInt(int64(from)))
	v.Lsh(&v, 32).Or(&v, big.NewInt(int64(nonce)))
	v.Lsh(&v, 160).Or(&v, recipient)
	e1.SetBigInt(&v)
	var w uint256.Int
	w.Lsh(fee, 128).Or(&w, amount)
	e2 = u256ToFr(&w)
	return e1, e2
}

// MessageHash is the field element a wallet signs: C(C(DomainState, e1), e2).
func MessageHash(domainState fr.Element, e1, e2 fr.Element) fr.Element {
	return Compress(Compress(domainState, e1), e2)
}

// ForcedExitMessage is what an account's key signs to request a forced
// exit of its whole balance to recipient: a message of type OpForcedExit
// with amount and fee 0 and the account's current nonce.
func ForcedExitMessage(domainState fr.Element, index, nonce uint32, recipient [20]byte) fr.Element {
	return MessageHash(domainState, forcedExitLane(index, nonce, recipient), fr.Element{})
}

// forcedExitLane is e1 of a forced-exit message; the forced-exit chain
// hashes the same lane.
func forcedExitLane(index, nonce uint32, recipient [20]byte) fr.Element {
	var zero uint256.Int
	e1, _ := MessageFields(OpForcedExit, index, nonce, new(big.Int).SetBytes(recipient[:]), &zero, &zero)
	return e1
}

// ExodusMessage is what an account's key signs so that anyone may prove
// its exit to recipient in exodus mode: type OpExodus, nonce, amount and
// fee 0. It names no balance and no nonce: the exit pays the balance of
// the last proven state, once.
func ExodusMessage(domainState fr.Element, index uint32, recipient [20]byte) fr.Element {
	var zero uint256.Int
	e1, e2 := MessageFields(OpExodus, index, 0, new(big.Int).SetBytes(recipient[:]), &zero, &zero)
	return MessageHash(domainState, e1, e2)
}

func u256ToFr(v *uint256.Int) fr.Element {
	var e fr.Element
	b := v.Bytes32()
	e.SetBytes(b[:])
	return e
}
