package client

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/sheafrollup/sheaf/protocol"
)

// EthSigner signs EIP-712 typed data with an Ethereum account: a local key
// (LocalEthSigner), a node or wallet over JSON-RPC (RPCEthSigner), or a
// hardware wallet behind either.
type EthSigner interface {
	Address() common.Address
	// SignTypedData returns the 65-byte r‖s‖v signature of typedData, whose
	// EIP-712 hash is digest.
	SignTypedData(ctx context.Context, typedData map[string]any, digest [32]byte) ([]byte, error)
}

var (
	// ErrNonDeterministicSigner: the Ethereum wallet signed the same typed
	// data twice with different signatures (anti-klepto hardware, some
	// multisig wallets). A key derived from such a signer could not be
	// derived again, so derivation is refused: use a random key in an
	// encrypted key file instead (sheaf wallet new).
	ErrNonDeterministicSigner = errors.New("the Ethereum wallet's signatures are not deterministic: a Sheaf key derived from them could never be recovered")
	// ErrSignerMismatch: the signature does not recover to the signer's
	// address (a contract wallet, or the wrong account).
	ErrSignerMismatch = errors.New("the signature does not come from the Ethereum account's own key")
)

// LocalEthSigner signs with a secp256k1 key in memory (RFC 6979, so
// deterministic).
type LocalEthSigner struct{ Key *ecdsa.PrivateKey }

var _ EthSigner = LocalEthSigner{}

// Address is the key's Ethereum address.
func (s LocalEthSigner) Address() common.Address { return crypto.PubkeyToAddress(s.Key.PublicKey) }

// SignTypedData signs digest (v = 27 or 28).
func (s LocalEthSigner) SignTypedData(_ context.Context, _ map[string]any, digest [32]byte) ([]byte, error) {
	sig, err := crypto.Sign(digest[:], s.Key)
	if err != nil {
		return nil, err
	}
	sig[64] += 27
	return sig, nil
}

// RPCEthSigner asks an Ethereum JSON-RPC endpoint that holds the account
// (a node with unlocked accounts, Clef, a wallet bridge) with
// eth_signTypedData_v4.
type RPCEthSigner struct {
	C       *rpc.Client
	Account common.Address
}

var _ EthSigner = RPCEthSigner{}

// Address is the signing account.
func (s RPCEthSigner) Address() common.Address { return s.Account }

// SignTypedData calls eth_signTypedData_v4(account, typedData).
func (s RPCEthSigner) SignTypedData(ctx context.Context, typedData map[string]any, _ [32]byte) ([]byte, error) {
	var sig hexutil.Bytes
	if err := s.C.CallContext(ctx, &sig, "eth_signTypedData_v4", s.Account, typedData); err != nil {
		return nil, fmt.Errorf("eth_signTypedData_v4: %w", err)
	}
	return sig, nil
}

// DeriveKey derives the Sheaf key of an Ethereum account for one
// deployment (chain id, rollup contract) and key index (docs/api.md, "Keys
// from an Ethereum wallet"). It asks for the signature twice and refuses
// (ErrNonDeterministicSigner) when the two differ, and refuses signatures
// that do not recover to the signer's address (ErrSignerMismatch).
func DeriveKey(ctx context.Context, s EthSigner, chainID uint64, contract common.Address, index uint32) (protocol.PrivateKey, error) {
	td := protocol.KeyTypedData(chainID, contract, index)
	digest := protocol.KeyTypedDataHash(chainID, contract, index)
	var norms [2][64]byte
	for i := range norms {
		sig, err := s.SignTypedData(ctx, td, digest)
		if err != nil {
			return protocol.PrivateKey{}, fmt.Errorf("derive key: %w", err)
		}
		n, err := protocol.NormalizeEthSignature(sig)
		if err != nil {
			return protocol.PrivateKey{}, fmt.Errorf("derive key: %w", err)
		}
		if err := checkRecovers(n, digest, s.Address()); err != nil {
			return protocol.PrivateKey{}, err
		}
		norms[i] = n
	}
	if !bytes.Equal(norms[0][:], norms[1][:]) {
		return protocol.PrivateKey{}, ErrNonDeterministicSigner
	}
	seed, err := protocol.KeySeed(norms[0])
	if err != nil {
		return protocol.PrivateKey{}, err
	}
	return protocol.KeyFromSeed(seed)
}

// checkRecovers holds when the low-s signature n (either recovery id) is
// addr's signature of digest.
func checkRecovers(n [64]byte, digest [32]byte, addr common.Address) error {
	for v := byte(0); v < 2; v++ {
		pub, err := crypto.SigToPub(digest[:], append(n[:], v))
		if err == nil && crypto.PubkeyToAddress(*pub) == addr {
			return nil
		}
	}
	return fmt.Errorf("%w (%s)", ErrSignerMismatch, addr)
}
