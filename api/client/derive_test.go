package client_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/protocol"
)

type deriveVectorFile struct {
	ChainID  uint64
	Contract string
	Cases    []struct {
		EthereumKey string
		KeyIndex    uint32
		Private     string
	}
}

func readDeriveVectors(t *testing.T) deriveVectorFile {
	t.Helper()
	raw, err := os.ReadFile("../../protocol/testdata/keyderivation.json")
	if err != nil {
		t.Fatal(err)
	}
	var v deriveVectorFile
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func ethKey(t *testing.T, h string) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.HexToECDSA(strings.TrimPrefix(h, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// DeriveKey with a local key gives the golden vectors' keys.
func TestDeriveKeyLocalSigner(t *testing.T) {
	v := readDeriveVectors(t)
	for _, c := range v.Cases {
		k, err := client.DeriveKey(context.Background(), client.LocalEthSigner{Key: ethKey(t, c.EthereumKey)},
			v.ChainID, common.HexToAddress(v.Contract), c.KeyIndex)
		if err != nil {
			t.Fatal(err)
		}
		if got := hexutil.Encode(k.Bytes()); got != c.Private {
			t.Fatalf("index %d: derived %s, vector %s", c.KeyIndex, got, c.Private)
		}
	}
}

// flakySigner returns a different valid signature each time, like an
// anti-klepto hardware wallet: both recover to its address.
type flakySigner struct {
	key *ecdsa.PrivateKey
	n   int
}

func (f *flakySigner) Address() common.Address { return crypto.PubkeyToAddress(f.key.PublicKey) }

func (f *flakySigner) SignTypedData(_ context.Context, _ map[string]any, d [32]byte) ([]byte, error) {
	f.n++
	// ECDSA over a nonce from crypto/rand: a fresh valid signature.
	r, s, err := ecdsa.Sign(bytes.NewReader(bytes.Repeat([]byte{byte(f.n)}, 128)), f.key, d[:])
	if err != nil {
		return nil, err
	}
	sig := make([]byte, 65)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:64])
	for v := byte(0); v < 2; v++ {
		sig[64] = v
		if pub, err := crypto.SigToPub(d[:], sig); err == nil && crypto.PubkeyToAddress(*pub) == f.Address() {
			sig[64] += 27
			return sig, nil
		}
	}
	return nil, errors.New("no recovery id")
}

// otherSigner signs with another key than the address it claims (a
// contract wallet's owner, or the wrong account).
type otherSigner struct{ client.LocalEthSigner }

func (otherSigner) Address() common.Address {
	return common.HexToAddress("0x00000000000000000000000000000000000000a1")
}

func TestDeriveKeyRefuses(t *testing.T) {
	v := readDeriveVectors(t)
	key := ethKey(t, v.Cases[0].EthereumKey)
	contract := common.HexToAddress(v.Contract)
	if _, err := client.DeriveKey(context.Background(), &flakySigner{key: key}, v.ChainID, contract, 0); !errors.Is(err, client.ErrNonDeterministicSigner) {
		t.Fatalf("non-deterministic signer: %v", err)
	}
	if _, err := client.DeriveKey(context.Background(), otherSigner{client.LocalEthSigner{Key: key}}, v.ChainID, contract, 0); !errors.Is(err, client.ErrSignerMismatch) {
		t.Fatalf("signature of another key: %v", err)
	}
}

// walletService answers eth_signTypedData_v4 like a browser wallet: it
// parses the typed data with go-ethereum's general EIP-712 code, so the
// request's JSON form is checked too.
type walletService struct{ key *ecdsa.PrivateKey }

func (w walletService) SignTypedData_v4(addr common.Address, td apitypes.TypedData) (hexutil.Bytes, error) {
	if addr != crypto.PubkeyToAddress(w.key.PublicKey) {
		return nil, errors.New("unknown account")
	}
	h, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		return nil, err
	}
	sig, err := crypto.Sign(h, w.key)
	if err != nil {
		return nil, err
	}
	sig[64] += 27
	return sig, nil
}

func TestDeriveKeyRPCSigner(t *testing.T) {
	v := readDeriveVectors(t)
	key := ethKey(t, v.Cases[0].EthereumKey)
	srv := rpc.NewServer()
	if err := srv.RegisterName("eth", walletService{key}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	c := rpc.DialInProc(srv)
	t.Cleanup(c.Close)
	s := client.RPCEthSigner{C: c, Account: crypto.PubkeyToAddress(key.PublicKey)}
	k, err := client.DeriveKey(context.Background(), s, v.ChainID, common.HexToAddress(v.Contract), v.Cases[0].KeyIndex)
	if err != nil {
		t.Fatal(err)
	}
	if got := hexutil.Encode(k.Bytes()); got != v.Cases[0].Private {
		t.Fatalf("derived %s over JSON-RPC, vector %s", got, v.Cases[0].Private)
	}
}

func TestEncryptedKeyFile(t *testing.T) {
	dir := t.TempDir()
	k, err := protocol.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "k.json")
	pw := []byte("correct horse")
	d := &client.Derivation{Scheme: "eip712-hkdf-v1", Address: "0xf39F", ChainID: 31337, Contract: "0x5eaf", KeyIndex: 2}
	if err := client.SaveEncryptedKeyFile(path, k, pw, client.LightScrypt, d, nil); err != nil {
		t.Fatal(err)
	}
	if err := client.SaveEncryptedKeyFile(path, k, pw, client.LightScrypt, nil, nil); err == nil || !strings.Contains(err.Error(), "refusing to overwrite") {
		t.Fatalf("overwrite: %v", err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode().Perm())
	}
	raw, _ := os.ReadFile(path)
	if bytes.Contains(raw, []byte(hexutil.Encode(k.Bytes())[2:20])) {
		t.Fatal("the private key is in the file in clear")
	}
	if enc, err := client.KeyFileEncrypted(path); err != nil || !enc {
		t.Fatalf("KeyFileEncrypted: %v %v", enc, err)
	}
	got, warnings, err := openKey(path, func() ([]byte, error) { return pw, nil })
	if err != nil || len(warnings) != 0 {
		t.Fatal(err, warnings)
	}
	if !bytes.Equal(got.Bytes(), k.Bytes()) {
		t.Fatal("decrypted another key")
	}
	if _, _, err := openKey(path, nil); !errors.Is(err, client.ErrPasswordNeeded) {
		t.Fatalf("no password: %v", err)
	}
	if _, _, err := openKey(path, func() ([]byte, error) { return []byte("wrong"), nil }); !errors.Is(err, client.ErrWrongPassword) {
		t.Fatalf("wrong password: %v", err)
	}
	// Edited files: another public key (bound as additional data), a
	// flipped ciphertext bit, an absurd scrypt cost.
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	other, _ := protocol.GenerateKey(nil)
	op := other.Public().Bytes()
	edits := map[string]func(map[string]any){
		"public key": func(m map[string]any) { m["publicKey"] = hexutil.Encode(op[:]) },
		"ciphertext": func(m map[string]any) {
			c := m["crypto"].(map[string]any)
			b, _ := hexutil.Decode(c["ciphertext"].(string))
			b[3] ^= 1
			c["ciphertext"] = hexutil.Encode(b)
		},
		"scrypt n": func(m map[string]any) { m["crypto"].(map[string]any)["kdfparams"].(map[string]any)["n"] = 1 << 30 },
		"cipher":   func(m map[string]any) { m["crypto"].(map[string]any)["cipher"] = "aes-128-ctr" },
	}
	for name, edit := range edits {
		var c map[string]any
		_ = json.Unmarshal(raw, &c)
		edit(c)
		b, _ := json.Marshal(c)
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".json")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, _, err := openKey(p, func() ([]byte, error) { return pw, nil }); err == nil {
			t.Fatalf("%s edited: loaded", name)
		}
	}
	if err := client.SaveEncryptedKeyFile(filepath.Join(dir, "e.json"), k, nil, client.LightScrypt, nil, nil); err == nil {
		t.Fatal("empty password accepted")
	}
}

// Plain development files, with and without the marker of this version,
// still load.
func TestPlainKeyFileCompat(t *testing.T) {
	dir := t.TempDir()
	k, _ := protocol.GenerateKey(nil)
	pub := k.Public().Bytes()
	old := filepath.Join(dir, "old.json")
	data, _ := json.Marshal(map[string]any{"version": 1, "privateKey": hexutil.Encode(k.Bytes()), "publicKey": hexutil.Encode(pub[:])})
	if err := os.WriteFile(old, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if got, _, err := openKey(old, nil); err != nil || !bytes.Equal(got.Bytes(), k.Bytes()) {
		t.Fatalf("old plain file: %v", err)
	}
	dev := filepath.Join(dir, "dev.json")
	if err := client.SaveKeyFile(dev, k, nil); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(dev)
	if !bytes.Contains(raw, []byte(`"development": true`)) {
		t.Fatalf("plain file not marked as a development key: %s", raw)
	}
	if enc, err := client.KeyFileEncrypted(dev); err != nil || enc {
		t.Fatalf("KeyFileEncrypted(plain) = %v, %v", enc, err)
	}
	called := false
	if got, _, err := openKey(dev, func() ([]byte, error) { called = true; return nil, nil }); err != nil || !bytes.Equal(got.Bytes(), k.Bytes()) || called {
		t.Fatalf("plain file: %v (password asked: %v)", err, called)
	}
}

// Key files written by the Go client and by the TypeScript SDK
// (sdk/ts/src/keystore.ts) open in Go; the SDK's tests open both too.
func TestKeystoreFixtures(t *testing.T) {
	for _, name := range []string{"keystore-v2-go.json", "keystore-v2-ts.json"} {
		path := filepath.Join("testdata", name)
		k, _, err := openKey(path, func() ([]byte, error) { return []byte("sheaf test password"), nil })
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var f struct {
			PublicKey string `json:"publicKey"`
		}
		raw, _ := os.ReadFile(path)
		_ = json.Unmarshal(raw, &f)
		if pub := k.Public().Bytes(); hexutil.Encode(pub[:]) != f.PublicKey {
			t.Fatalf("%s: opened another key", name)
		}
	}
}

// openKey opens a key file and returns its key and warnings.
func openKey(path string, password func() ([]byte, error)) (protocol.PrivateKey, []string, error) {
	kf, err := client.OpenKeyFile(path, password)
	if err != nil {
		return protocol.PrivateKey{}, nil, err
	}
	return kf.Key, kf.Warnings, nil
}
