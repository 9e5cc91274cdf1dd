package exodus

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/sheafrollup/sheaf/protocol"
)

// SignatureKind marks a detached exodus signature file.
const SignatureKind = "sheaf-exodus-signature"

// SignatureFile is a detached exodus signature: the account's L2 key signs
// the exodus message (type 4) naming the account index and the L1
// recipient, in the rollup's domain (chain id and contract). It is all a
// third party needs to build the exit proof and send the exit for the
// account, and it can only ever pay Recipient. JSON, as `sheaf wallet
// sign-exodus` writes it (docs/exits.md):
//
//	{"kind": "sheaf-exodus-signature", "chain_id": 1, "contract": "0x…",
//	 "index": 7, "recipient": "0x…", "pub_key": "0x…(32 bytes)",
//	 "signature": "0x…(64 bytes: compressed R ‖ S)"}
type SignatureFile struct {
	Kind      string         `json:"kind"`
	ChainID   uint64         `json:"chain_id"`
	Contract  common.Address `json:"contract"`
	Index     uint32         `json:"index"`
	Recipient common.Address `json:"recipient"`
	PubKey    hexutil.Bytes  `json:"pub_key"`   // compressed L2 key that signed
	Signature hexutil.Bytes  `json:"signature"` // protocol.Signature.Bytes()
}

// SignExodus signs the exodus message for account index paying recipient.
func SignExodus(k protocol.PrivateKey, chainID uint64, contract common.Address, index uint32, recipient common.Address) (*SignatureFile, error) {
	if index == 0 {
		return nil, errors.New("account index 0 is reserved")
	}
	if recipient == (common.Address{}) {
		return nil, errors.New("the recipient is the zero address")
	}
	sig, err := protocol.SignExodus(k, protocol.DomainState(chainID, contract), index, recipient)
	if err != nil {
		return nil, err
	}
	pk := k.Public().Bytes()
	sb := sig.Bytes()
	return &SignatureFile{Kind: SignatureKind, ChainID: chainID, Contract: contract, Index: index, Recipient: recipient,
		PubKey: pk[:], Signature: sb[:]}, nil
}

// Sig parses the signature.
func (f *SignatureFile) Sig() (protocol.Signature, error) {
	return protocol.ParseSignature(f.Signature)
}

// Check verifies the signature under its own key and domain; the exit
// additionally needs that key to own the account (Exiter.Claim).
func (f *SignatureFile) Check() error {
	if f.Kind != SignatureKind {
		return fmt.Errorf("not an exodus signature file (kind %q, want %q)", f.Kind, SignatureKind)
	}
	sig, err := f.Sig()
	if err != nil {
		return fmt.Errorf("exodus signature: %w", err)
	}
	pk, err := protocol.DecompressPublicKey(f.PubKey)
	if err != nil {
		return fmt.Errorf("exodus signature: key: %w", err)
	}
	msg := protocol.ExodusMessage(protocol.DomainState(f.ChainID, f.Contract), f.Index, f.Recipient)
	if !protocol.VerifyCofactored(pk, msg, sig) {
		return fmt.Errorf("%w: the exodus signature does not verify under its key", protocol.ErrBadSignature)
	}
	return nil
}

// Write stores the file (0644: it holds no secret).
func (f *SignatureFile) Write(path string) error {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write exodus signature: %w", err)
	}
	return nil
}

// ReadSignatureFile reads and checks a detached exodus signature.
func ReadSignatureFile(path string) (*SignatureFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("exodus signature: %w", err)
	}
	var f SignatureFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("exodus signature %s: %w", path, err)
	}
	if err := f.Check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &f, nil
}
