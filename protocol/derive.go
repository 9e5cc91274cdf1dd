package protocol

import (
	"bytes"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"

	"golang.org/x/crypto/sha3"
)

// Key derivation from an Ethereum signature (docs/api.md, "Keys from an
// Ethereum wallet"). A wallet signs EIP-712 typed data bound to the
// deployment (chain id, rollup contract) and a key index; the signature,
// normalised to r‖s with low s, goes through HKDF-SHA256 into a 32-byte
// seed, and the seed into gnark-crypto's eddsa.GenerateKey. The same
// Ethereum key therefore always yields the same Sheaf key for one
// deployment and index, and nothing else does.

// EIP-712 domain and message of the key-derivation signature. Changing any
// of these changes every derived key: they are part of the specification.
const (
	KeyDomainName    = "Sheaf"
	KeyDomainVersion = "1"
	// KeyPrimaryType is the EIP-712 primary type.
	KeyPrimaryType = "SheafKey"
	// KeyPurpose is the readable text the wallet shows the user.
	KeyPurpose = "Create my Sheaf account key. Signing is free and sends nothing. " +
		"Only sign this in an app you trust: this signature controls your Sheaf funds."
)

// HKDF-SHA256 parameters turning a normalised signature into a seed.
var (
	KeySeedSalt = []byte("sheaf.key.salt.v1")
	KeySeedInfo = []byte("sheaf.key.eddsa-seed.v1")
)

// KeySeedSize is the seed length: what eddsa.GenerateKey reads.
const KeySeedSize = 32

// ErrBadEthSignature: not a 64- or 65-byte secp256k1 signature with r and s
// in range.
var ErrBadEthSignature = errors.New("invalid Ethereum signature")

// secp256k1 group order and half of it (low-s bound).
var (
	secp256k1N, _  = new(big.Int).SetString("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16)
	secp256k1HalfN = new(big.Int).Rsh(secp256k1N, 1)
)

// Type strings of EIP-712 encodeType.
const (
	eip712DomainType = "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
	keyMessageType   = KeyPrimaryType + "(string purpose,uint32 keyIndex)"
)

func keccak(parts ...[]byte) [32]byte {
	h := sha3.NewLegacyKeccak256()
	for _, p := range parts {
		h.Write(p)
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

func word(v uint64) []byte {
	var w [32]byte
	binary.BigEndian.PutUint64(w[24:], v)
	return w[:]
}

// KeyDomainSeparator is EIP-712's hashStruct(domain) for a deployment.
func KeyDomainSeparator(chainID uint64, contract [20]byte) [32]byte {
	th := keccak([]byte(eip712DomainType))
	name := keccak([]byte(KeyDomainName))
	ver := keccak([]byte(KeyDomainVersion))
	var addr [32]byte
	copy(addr[12:], contract[:])
	return keccak(th[:], name[:], ver[:], word(chainID), addr[:])
}

// KeyStructHash is EIP-712's hashStruct(message) for a key index.
func KeyStructHash(index uint32) [32]byte {
	th := keccak([]byte(keyMessageType))
	purpose := keccak([]byte(KeyPurpose))
	return keccak(th[:], purpose[:], word(uint64(index)))
}

// KeyTypedDataHash is the digest the Ethereum key signs:
// keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(message)).
func KeyTypedDataHash(chainID uint64, contract [20]byte, index uint32) [32]byte {
	ds := KeyDomainSeparator(chainID, contract)
	sh := KeyStructHash(index)
	return keccak([]byte{0x19, 0x01}, ds[:], sh[:])
}

// KeyTypedData is the typed data as eth_signTypedData_v4 takes it (JSON).
// Wallets display it; its hash is KeyTypedDataHash.
func KeyTypedData(chainID uint64, contract [20]byte, index uint32) map[string]any {
	return map[string]any{
		"types": map[string]any{
			"EIP712Domain": []map[string]string{
				{"name": "name", "type": "string"},
				{"name": "version", "type": "string"},
				{"name": "chainId", "type": "uint256"},
				{"name": "verifyingContract", "type": "address"},
			},
			KeyPrimaryType: []map[string]string{
				{"name": "purpose", "type": "string"},
				{"name": "keyIndex", "type": "uint32"},
			},
		},
		"primaryType": KeyPrimaryType,
		"domain": map[string]any{
			"name":              KeyDomainName,
			"version":           KeyDomainVersion,
			"chainId":           chainID,
			"verifyingContract": fmt.Sprintf("0x%x", contract),
		},
		"message": map[string]any{
			"purpose":  KeyPurpose,
			"keyIndex": index,
		},
	}
}

// NormalizeEthSignature returns r‖s with s in the lower half of the
// secp256k1 order, from the 65-byte r‖s‖v a wallet returns (v is 27, 28,
// 0 or 1 and otherwise ignored). A signer that returns the high-s twin of
// a signature thus derives the same key. 64-byte forms are refused: an
// EIP-2098 compact signature carries the parity in the top bit of s and
// would silently derive another key.
func NormalizeEthSignature(sig []byte) ([64]byte, error) {
	var out [64]byte
	if len(sig) != 65 {
		return out, fmt.Errorf("%w: %d bytes, want 65 (r‖s‖v)", ErrBadEthSignature, len(sig))
	}
	switch sig[64] {
	case 0, 1, 27, 28:
	default:
		return out, fmt.Errorf("%w: v = %d, want 27, 28, 0 or 1", ErrBadEthSignature, sig[64])
	}
	r := new(big.Int).SetBytes(sig[:32])
	s := new(big.Int).SetBytes(sig[32:64])
	if r.Sign() == 0 || r.Cmp(secp256k1N) >= 0 || s.Sign() == 0 || s.Cmp(secp256k1N) >= 0 {
		return out, fmt.Errorf("%w: r or s out of range", ErrBadEthSignature)
	}
	if s.Cmp(secp256k1HalfN) > 0 {
		s.Sub(secp256k1N, s)
	}
	copy(out[:32], sig[:32])
	s.FillBytes(out[32:])
	return out, nil
}

// KeySeed is HKDF-SHA256(ikm = normalised r‖s, salt = KeySeedSalt,
// info = KeySeedInfo, length 32).
func KeySeed(normalized [64]byte) ([KeySeedSize]byte, error) {
	var seed [KeySeedSize]byte
	b, err := hkdf.Key(sha256.New, normalized[:], KeySeedSalt, string(KeySeedInfo), KeySeedSize)
	if err != nil {
		return seed, fmt.Errorf("hkdf: %w", err)
	}
	copy(seed[:], b)
	return seed, nil
}

// KeyFromSeed is gnark-crypto's eddsa.GenerateKey reading the 32 seed bytes:
// h = BLAKE2b-512(seed); the secret scalar is h[0:32] read little-endian
// after RFC 8032 pruning (h[0] &= 0xf8, h[31] &= 0x7f, h[31] |= 0x40); the
// nonce source for signing is h[32:64]; the public key is [scalar]B.
func KeyFromSeed(seed [KeySeedSize]byte) (PrivateKey, error) {
	// GenerateKey makes exactly one Read of 32 bytes; a bytes.Reader returns
	// them all at once.
	return GenerateKey(bytes.NewReader(seed[:]))
}

// DeriveKeyFromSignature runs the whole derivation on an Ethereum
// signature of KeyTypedDataHash.
func DeriveKeyFromSignature(sig []byte) (PrivateKey, error) {
	n, err := NormalizeEthSignature(sig)
	if err != nil {
		return PrivateKey{}, err
	}
	seed, err := KeySeed(n)
	if err != nil {
		return PrivateKey{}, err
	}
	return KeyFromSeed(seed)
}
