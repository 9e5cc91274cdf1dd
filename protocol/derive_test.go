package protocol_test

import (
	"bytes"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/protocol"
)

// Key-derivation golden vectors (docs/api.md, "Keys from an Ethereum
// wallet"): the TypeScript SDK checks itself against this file. Regenerate
// only for an intended change: go test ./protocol -run TestKeyDerivationVectors -update
const derivePath = "testdata/keyderivation.json"

// anvil's first two development keys: public, for vectors only.
var vectorEthKeys = []string{
	"ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
	"59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
}

type deriveCase struct {
	EthereumKey     string // secp256k1 private key (test only)
	Address         string
	KeyIndex        uint32
	DomainSeparator string
	StructHash      string
	Digest          string // what the Ethereum key signs
	Signature       string // r‖s‖v as the signer returns it (v = 27 or 28)
	HighS           string // the same signature's high-s twin: derives the same key
	Normalized      string // r‖s, low s
	Seed            string // HKDF-SHA256 output
	Private         string // protocol.PrivateKey.Bytes (gnark-crypto serialization)
	PublicKey       string // compressed
}

type deriveVectors struct {
	Comment     string
	Name        string
	Version     string
	PrimaryType string
	Purpose     string
	Salt, Info  string // HKDF, ASCII
	ChainID     uint64
	Contract    string
	Cases       []deriveCase
	// Messages signed with the key of Cases[0].
	Transfer, Withdrawal struct {
		From, Nonce uint32
		Recipient   string
		Amount, Fee string
		DomainState string
		Hash        string
		Signature   string
	}
}

func ethSign(t *testing.T, k *ecdsa.PrivateKey, digest [32]byte) []byte {
	t.Helper()
	sig, err := crypto.Sign(digest[:], k) // RFC 6979: deterministic, low s
	if err != nil {
		t.Fatal(err)
	}
	sig[64] += 27 // as wallets return it
	return sig
}

func highS(sig []byte) []byte {
	n, _ := new(big.Int).SetString("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16)
	out := bytes.Clone(sig)
	s := new(big.Int).Sub(n, new(big.Int).SetBytes(sig[32:64]))
	s.FillBytes(out[32:64])
	out[64] = 55 - out[64] // 27 ↔ 28: the other recovery id
	return out
}

var vectorContract = [20]byte(common.HexToAddress("0x5eaf010000000000000000000000000000000000"))

func buildDeriveVectors(t *testing.T) *deriveVectors {
	t.Helper()
	v := &deriveVectors{
		Comment: "Sheaf key derivation from an Ethereum signature (docs/api.md). Hex is 0x-prefixed; keys are public test keys. " +
			"Regenerate only for an intended change: go test ./protocol -run TestKeyDerivationVectors -update",
		Name: protocol.KeyDomainName, Version: protocol.KeyDomainVersion, PrimaryType: protocol.KeyPrimaryType,
		Purpose: protocol.KeyPurpose, Salt: string(protocol.KeySeedSalt), Info: string(protocol.KeySeedInfo),
		ChainID: 31337, Contract: hexB(vectorContract[:]),
	}
	type kc struct {
		key   int
		index uint32
	}
	var first protocol.PrivateKey
	for i, c := range []kc{{0, 0}, {0, 1}, {1, 0}} {
		ek, err := crypto.HexToECDSA(vectorEthKeys[c.key])
		if err != nil {
			t.Fatal(err)
		}
		ds := protocol.KeyDomainSeparator(v.ChainID, vectorContract)
		sh := protocol.KeyStructHash(c.index)
		digest := protocol.KeyTypedDataHash(v.ChainID, vectorContract, c.index)
		sig := ethSign(t, ek, digest)
		norm, err := protocol.NormalizeEthSignature(sig)
		if err != nil {
			t.Fatal(err)
		}
		seed, err := protocol.KeySeed(norm)
		if err != nil {
			t.Fatal(err)
		}
		k, err := protocol.KeyFromSeed(seed)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = k
		}
		pub := k.Public().Bytes()
		v.Cases = append(v.Cases, deriveCase{
			EthereumKey: "0x" + vectorEthKeys[c.key], Address: crypto.PubkeyToAddress(ek.PublicKey).Hex(), KeyIndex: c.index,
			DomainSeparator: hexB(ds[:]), StructHash: hexB(sh[:]), Digest: hexB(digest[:]),
			Signature: hexB(sig), HighS: hexB(highS(sig)), Normalized: hexB(norm[:]), Seed: hexB(seed[:]),
			Private: hexB(k.Bytes()), PublicKey: hexB(pub[:]),
		})
	}
	dst := protocol.DomainState(v.ChainID, vectorContract)
	tr := &protocol.Transfer{From: 5, To: 9, Amount: *uint256.MustFromDecimal("1500000000000000000"), Fee: *uint256.MustFromDecimal("21000000000000"), Nonce: 3}
	if err := tr.Sign(first, dst); err != nil {
		t.Fatal(err)
	}
	trSig := tr.Sig.Bytes()
	v.Transfer.From, v.Transfer.Nonce, v.Transfer.Recipient = tr.From, tr.Nonce, "9"
	v.Transfer.Amount, v.Transfer.Fee = tr.Amount.Dec(), tr.Fee.Dec()
	v.Transfer.DomainState, v.Transfer.Hash, v.Transfer.Signature = hexE(dst), hexE(tr.Message(dst)), hexB(trSig[:])
	to := common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
	w := &protocol.Withdrawal{From: 5, To: to, Amount: *uint256.MustFromDecimal("250000000000000000"), Fee: *uint256.MustFromDecimal("50000000000000"), Nonce: 4}
	if err := w.Sign(first, dst); err != nil {
		t.Fatal(err)
	}
	wSig := w.Sig.Bytes()
	v.Withdrawal.From, v.Withdrawal.Nonce, v.Withdrawal.Recipient = w.From, w.Nonce, to.Hex()
	v.Withdrawal.Amount, v.Withdrawal.Fee = w.Amount.Dec(), w.Fee.Dec()
	v.Withdrawal.DomainState, v.Withdrawal.Hash, v.Withdrawal.Signature = hexE(dst), hexE(w.Message(dst)), hexB(wSig[:])
	return v
}

func TestKeyDerivationVectors(t *testing.T) {
	got := buildDeriveVectors(t)
	gotJSON, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	gotJSON = append(gotJSON, '\n')
	if *update {
		if err := os.WriteFile(derivePath, gotJSON, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", derivePath)
		return
	}
	want, err := os.ReadFile(derivePath)
	if err != nil {
		t.Fatalf("%v (generate with -update)", err)
	}
	if !bytes.Equal(gotJSON, want) {
		t.Fatalf("%s differs from the implementation (regenerate with -update only for an intended change):\ngot:\n%s", derivePath, gotJSON)
	}
}

// The hand-written EIP-712 encoding equals go-ethereum's general one on the
// typed data that wallets are asked to sign.
func TestKeyTypedDataMatchesGoEthereum(t *testing.T) {
	for _, c := range []struct {
		chain uint64
		addr  string
		index uint32
	}{{31337, "0x5eaf010000000000000000000000000000000000", 0}, {1, "0xffffffffffffffffffffffffffffffffffffffff", 7}, {17000, "0x00000000000000000000000000000000000000a1", 1<<32 - 1}} {
		contract := [20]byte(common.HexToAddress(c.addr))
		raw, err := json.Marshal(protocol.KeyTypedData(c.chain, contract, c.index))
		if err != nil {
			t.Fatal(err)
		}
		var td apitypes.TypedData
		if err := json.Unmarshal(raw, &td); err != nil {
			t.Fatal(err)
		}
		h, _, err := apitypes.TypedDataAndHash(td)
		if err != nil {
			t.Fatal(err)
		}
		want := protocol.KeyTypedDataHash(c.chain, contract, c.index)
		if !bytes.Equal(h, want[:]) {
			t.Fatalf("chain %d %s index %d: go-ethereum %x, ours %x", c.chain, c.addr, c.index, h, want)
		}
		ds, err := td.HashStruct("EIP712Domain", td.Domain.Map())
		if err != nil {
			t.Fatal(err)
		}
		if wantDS := protocol.KeyDomainSeparator(c.chain, contract); !bytes.Equal(ds, wantDS[:]) {
			t.Fatalf("domain separator: go-ethereum %x, ours %x", ds, wantDS)
		}
	}
}

// The derivation binds chain, contract and index; the same inputs always
// give the same key; the high-s twin and a v-less signature give the same key.
func TestDeriveKeyBinding(t *testing.T) {
	ek, err := crypto.HexToECDSA(vectorEthKeys[0])
	if err != nil {
		t.Fatal(err)
	}
	derive := func(chain uint64, contract [20]byte, index uint32) [protocol.PubKeySize]byte {
		sig := ethSign(t, ek, protocol.KeyTypedDataHash(chain, contract, index))
		k, err := protocol.DeriveKeyFromSignature(sig)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := protocol.ParsePublicKey(func() []byte { b := k.Public().Bytes(); return b[:] }()); err != nil {
			t.Fatalf("derived key is not a valid wallet key: %v", err)
		}
		for _, alt := range [][]byte{highS(sig), append(bytes.Clone(sig[:64]), sig[64]-27)} {
			k2, err := protocol.DeriveKeyFromSignature(alt)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(k2.Bytes(), k.Bytes()) {
				t.Fatal("high-s twin or v in 0/1 form derives another key")
			}
		}
		return k.Public().Bytes()
	}
	base := derive(31337, vectorContract, 0)
	if again := derive(31337, vectorContract, 0); again != base {
		t.Fatal("derivation is not deterministic")
	}
	other := vectorContract
	other[19] ^= 1
	seen := map[[32]byte]string{base: "base"}
	for name, k := range map[string][32]byte{
		"chain":    derive(31338, vectorContract, 0),
		"contract": derive(31337, other, 0),
		"index":    derive(31337, vectorContract, 1),
	} {
		if prev, dup := seen[k]; dup {
			t.Fatalf("changing the %s gives the same key as %s", name, prev)
		}
		seen[k] = name
	}
}

func TestNormalizeEthSignatureRejects(t *testing.T) {
	n := "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"
	one := strings.Repeat("00", 31) + "01"
	for name, h := range map[string]string{
		"64 bytes (EIP-2098)": one + one,
		"66 bytes":            one + one + "1b1b",
		"r zero":              strings.Repeat("00", 32) + one + "1b",
		"s zero":              one + strings.Repeat("00", 32) + "1b",
		"r = n":               n + one + "1c",
		"s = n":               one + n + "1b",
		"v = 29":              one + one + "1d",
	} {
		b, _ := hex.DecodeString(h)
		if _, err := protocol.NormalizeEthSignature(b); !errors.Is(err, protocol.ErrBadEthSignature) {
			t.Errorf("%s: got %v, want ErrBadEthSignature", name, err)
		}
	}
}

// KeyFromSeed follows the byte-level recipe documented for other languages:
// BLAKE2b-512 of the seed, pruned little-endian scalar, nonce source.
func TestKeyFromSeedRecipe(t *testing.T) {
	var seed [32]byte
	for i := range seed {
		seed[i] = byte(i * 7)
	}
	k, err := protocol.KeyFromSeed(seed)
	if err != nil {
		t.Fatal(err)
	}
	priv, scalar, nonceSrc := protocol.RecipeKey(seed)
	if !bytes.Equal(k.Bytes()[32:64], scalar[:]) || !bytes.Equal(k.Bytes()[64:], nonceSrc[:]) {
		t.Fatalf("gnark key %x, recipe scalar %x nonce source %x", k.Bytes(), scalar, nonceSrc)
	}
	if pub := k.Public().Bytes(); pub != priv.Bytes() {
		t.Fatalf("public key %x, recipe %x", pub, priv.Bytes())
	}
}
