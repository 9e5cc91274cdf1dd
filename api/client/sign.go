package client

import (
	"errors"
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum/common"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/protocol"
)

// ErrDomainMismatch: the server's DomainState is not the one its chain id
// and contract imply. Signing for it could make a signature valid on
// another deployment, so the helpers refuse.
var ErrDomainMismatch = errors.New("server's domainState does not match its chainId and contract")

// DomainState derives the signing domain from chain (docs/protocol.md:
// C(TagMessage, chainId·2^160 + contract)) and checks the server's copy.
func DomainState(chain api.ChainInfo) (fr.Element, error) {
	ds := protocol.DomainState(uint64(chain.ChainID), chain.Contract)
	if common.Hash(ds.Bytes()) != chain.DomainState {
		return fr.Element{}, fmt.Errorf("%w: server says %s, chain %d and contract %s give %s",
			ErrDomainMismatch, chain.DomainState, uint64(chain.ChainID), chain.Contract, common.Hash(ds.Bytes()))
	}
	return ds, nil
}

// checkValue is the server's amount/fee rule: below 2^128 and exactly
// encodable; the error names the field and the nearest encodable values.
func checkValue(field string, f protocol.Float, v *uint256.Int) error {
	if v == nil {
		return fmt.Errorf("%s: missing", field)
	}
	_, err := api.CheckAmount(field, f, api.DecimalOf(v))
	return err
}

// SignTransfer builds and signs a transfer of amount from account from to
// account to, paying fee, with the sender's current pending nonce.
func SignTransfer(key protocol.PrivateKey, chain api.ChainInfo, from, to uint32, amount, fee *uint256.Int, nonce uint32) (api.SendArgs, error) {
	ds, err := DomainState(chain)
	if err != nil {
		return api.SendArgs{}, err
	}
	if err := checkValue("amount", protocol.AmountFloat, amount); err != nil {
		return api.SendArgs{}, err
	}
	if err := checkValue("fee", protocol.FeeFloat, fee); err != nil {
		return api.SendArgs{}, err
	}
	t := &protocol.Transfer{From: from, To: to, Amount: *amount, Fee: *fee, Nonce: nonce}
	if err := t.Sign(key, ds); err != nil {
		return api.SendArgs{}, err
	}
	if !protocol.Verify(key.Public(), t.Message(ds), t.Sig) {
		return api.SendArgs{}, errors.New("sign transfer: the signature does not verify")
	}
	sig := t.Sig.Bytes()
	args := api.SendArgs{Kind: api.KindTransfer, From: from, To: &to, Amount: api.DecimalOf(amount),
		Fee: api.DecimalOf(fee), Nonce: nonce, Signature: sig[:]}
	if _, err := args.Decode(); err != nil { // the server's wire checks (index 0, ...)
		return api.SendArgs{}, err
	}
	return args, nil
}

// SignWithdrawal builds and signs a withdrawal of amount from account from
// to the L1 address to, paying fee, with the sender's pending nonce.
func SignWithdrawal(key protocol.PrivateKey, chain api.ChainInfo, from uint32, to common.Address, amount, fee *uint256.Int, nonce uint32) (api.SendArgs, error) {
	ds, err := DomainState(chain)
	if err != nil {
		return api.SendArgs{}, err
	}
	if err := checkValue("amount", protocol.AmountFloat, amount); err != nil {
		return api.SendArgs{}, err
	}
	if err := checkValue("fee", protocol.FeeFloat, fee); err != nil {
		return api.SendArgs{}, err
	}
	w := &protocol.Withdrawal{From: from, To: to, Amount: *amount, Fee: *fee, Nonce: nonce}
	if err := w.Sign(key, ds); err != nil {
		return api.SendArgs{}, err
	}
	if !protocol.Verify(key.Public(), w.Message(ds), w.Sig) {
		return api.SendArgs{}, errors.New("sign withdrawal: the signature does not verify")
	}
	sig := w.Sig.Bytes()
	args := api.SendArgs{Kind: api.KindWithdrawal, From: from, L1Address: &to, Amount: api.DecimalOf(amount),
		Fee: api.DecimalOf(fee), Nonce: nonce, Signature: sig[:]}
	if _, err := args.Decode(); err != nil {
		return api.SendArgs{}, err
	}
	return args, nil
}

// TxHash is the hash the server will return for args: the signed message m.
func TxHash(chain api.ChainInfo, args api.SendArgs) (common.Hash, error) {
	if _, err := DomainState(chain); err != nil {
		return common.Hash{}, err
	}
	op, err := args.Decode()
	if err != nil {
		return common.Hash{}, err
	}
	return op.Message(chain.DomainState), nil
}
