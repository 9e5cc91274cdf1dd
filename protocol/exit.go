package protocol

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// ExitClaim is what an exit proof shows in exodus mode: account Index of
// the tree with root Root holds Account, and its key signed the exodus
// message naming Recipient (SignExodus). Anyone holding the state and the
// signature can build it; the key itself is not needed.
type ExitClaim struct {
	ChainID   uint64
	Contract  [20]byte
	Root      fr.Element
	Index     uint32
	Recipient [20]byte
	Account   Account
	Siblings  []fr.Element
	Sig       Signature
}

// SignExodus signs the exodus message of account index for recipient.
func SignExodus(k PrivateKey, domainState fr.Element, index uint32, recipient [20]byte) (Signature, error) {
	return k.Sign(ExodusMessage(domainState, index, recipient))
}

// ExitClaim builds the claim for account index against the current root.
// The signature must verify by the circuit's rule (VerifyCofactored), or
// no proof could be made.
func (s *State) ExitClaim(index uint32, recipient [20]byte, sig Signature) (*ExitClaim, error) {
	acc, ok := s.Account(index)
	if !ok {
		return nil, fmt.Errorf("exit: %w: %d", ErrUnknownAccount, index)
	}
	if !VerifyCofactored(acc.PubKey, ExodusMessage(s.DomainState(), index, recipient), sig) {
		return nil, fmt.Errorf("exit: %w: not an exodus signature of account %d's key for this recipient", ErrBadSignature, index)
	}
	p, err := s.Proof(index)
	if err != nil {
		return nil, err
	}
	return &ExitClaim{ChainID: s.chainID, Contract: s.contract, Root: s.Root(), Index: index, Recipient: recipient,
		Account: acc, Siblings: p.Siblings, Sig: sig}, nil
}

// ExitPublicInputs are the exit circuit's public inputs in order, as the
// contract passes them to the exit verifier (docs/exits.md):
//
//	root, chainID·2^160 + contract, index·2^160 + recipient, balance
func ExitPublicInputs(root fr.Element, chainID uint64, contract [20]byte, index uint32, recipient [20]byte, balance *big.Int) [4]*big.Int {
	ir := new(big.Int).Lsh(big.NewInt(int64(index)), 160)
	ir.Or(ir, new(big.Int).SetBytes(recipient[:]))
	return [4]*big.Int{FrToBig(root), FrToBig(DomainElement(chainID, contract)), ir, new(big.Int).Set(balance)}
}

// PublicInputs of this claim.
func (e *ExitClaim) PublicInputs() [4]*big.Int {
	return ExitPublicInputs(e.Root, e.ChainID, e.Contract, e.Index, e.Recipient, e.Account.Balance.ToBig())
}
