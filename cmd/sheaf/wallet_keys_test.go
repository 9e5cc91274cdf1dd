package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/protocol"
)

func writePassword(t *testing.T, dir, pw string) string {
	t.Helper()
	p := filepath.Join(dir, "password")
	if err := os.WriteFile(p, []byte(pw+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// sheaf wallet new writes an encrypted key file by default; every command
// that signs opens it with the password file.
func TestWalletNewEncrypted(t *testing.T) {
	e := newWalletEnv(t)
	pw := writePassword(t, e.dir, "hunter2")
	f := filepath.Join(e.dir, "enc.json")
	out := strings.TrimSpace(mustRun(t, "new", "--wallet.file", f, "--wallet.password-file", pw, "--wallet.scrypt-n", "4096",
		"--wallet.chain-id", strconv.FormatUint(testDomain.ChainID, 10), "--wallet.contract", testDomain.Contract.Hex()))
	raw, _ := os.ReadFile(f)
	var kf struct {
		Version   int    `json:"version"`
		PublicKey string `json:"publicKey"`
		Crypto    struct {
			KDF    string `json:"kdf"`
			Cipher string `json:"cipher"`
		} `json:"crypto"`
	}
	if err := json.Unmarshal(raw, &kf); err != nil || kf.Version != 2 || kf.PublicKey != out || kf.Crypto.KDF != "scrypt" ||
		kf.Crypto.Cipher != "aes-256-gcm" || strings.Contains(string(raw), "privateKey") {
		t.Fatalf("key file %s (%v)", raw, err)
	}
	// Without a password (no terminal in tests) and with a wrong one: refused.
	if _, err := runWallet(t, "show", "--rpc", e.url, "--wallet.file", f); err == nil || !strings.Contains(err.Error(), "password-file") {
		t.Fatalf("no password: %v", err)
	}
	bad := writePassword(t, t.TempDir(), "wrong")
	if _, err := runWallet(t, "show", "--rpc", e.url, "--wallet.file", f, "--wallet.password-file", bad); err == nil || !strings.Contains(err.Error(), "wrong password") {
		t.Fatalf("wrong password: %v", err)
	}
	// With it, the key signs: the fake sequencer has no account for it.
	if _, err := runWallet(t, "transfer", "--rpc", e.url, "--wallet.file", f, "--wallet.password-file", pw, "--to", "2", "--amount", "1000"); err == nil ||
		!strings.Contains(err.Error(), "not found") {
		t.Fatalf("transfer with a new key: %v", err)
	}
	// An encrypted file of an existing account transfers.
	g := filepath.Join(e.dir, "acct1.json")
	if err := client.SaveEncryptedKeyFile(g, e.b.Keys()[0], []byte("hunter2"), client.LightScrypt, nil, &testDomain); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SHEAF_WALLET_PASSWORD_FILE", pw)
	if out := mustRun(t, "transfer", "--rpc", e.url, "--wallet.file", g, "--to", "2", "--amount", "1000"); !strings.HasPrefix(out, "0x") {
		t.Fatalf("transfer: %q", out)
	}
}

// sheaf wallet derive writes the golden vectors' key for anvil's first
// account; the fake deployment is the vectors' (chain 31337, 0x5eaf01…).
func TestWalletDerive(t *testing.T) {
	e := newWalletEnv(t)
	chain := e.b.ChainInfo()
	raw, err := os.ReadFile("../../protocol/testdata/keyderivation.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		ChainID  uint64
		Contract string
		Cases    []struct {
			EthereumKey, Private, PublicKey string
			KeyIndex                        uint32
		}
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	if uint64(chain.ChainID) != v.ChainID || chain.Contract != common.HexToAddress(v.Contract) {
		t.Fatalf("the fake deployment (%d, %s) is not the vectors' (%d, %s)", chain.ChainID, chain.Contract, v.ChainID, v.Contract)
	}
	keyFile := filepath.Join(e.dir, "eth.key")
	for i, c := range v.Cases {
		os.Remove(keyFile)
		if err := os.WriteFile(keyFile, []byte(c.EthereumKey+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(e.dir, "derived"+string(rune('a'+i))+".json")
		out := strings.TrimSpace(mustRun(t, "derive", "--rpc", e.url, "--wallet.file", f, "--wallet.plain",
			"--l1.key-file", keyFile, "--wallet.key-index", strconv.Itoa(int(c.KeyIndex))))
		if out != c.PublicKey {
			t.Fatalf("case %d: printed %s, want %s", i, out, c.PublicKey)
		}
		k, _, err := openKey(f, nil)
		if err != nil || hexutil.Encode(k.Bytes()) != c.Private {
			t.Fatalf("case %d: key file %v", i, err)
		}
	}
	// Encrypted, with the derivation recorded.
	pw := writePassword(t, e.dir, "pw")
	f := filepath.Join(e.dir, "derived-enc.json")
	mustRun(t, "derive", "--rpc", e.url, "--wallet.file", f, "--wallet.password-file", pw, "--wallet.scrypt-n", "4096", "--l1.key", v.Cases[0].EthereumKey)
	raw, _ = os.ReadFile(f)
	var kf struct {
		Derivation client.Derivation `json:"derivation"`
	}
	ek, _ := crypto.HexToECDSA(v.Cases[0].EthereumKey[2:])
	if err := json.Unmarshal(raw, &kf); err != nil || kf.Derivation.Address != crypto.PubkeyToAddress(ek.PublicKey).Hex() ||
		uint64(kf.Derivation.ChainID) != v.ChainID || kf.Derivation.Scheme != "eip712-hkdf-v1" {
		t.Fatalf("%s %v", raw, err)
	}
	k, _, err := openKey(f, func() ([]byte, error) { return []byte("pw"), nil })
	if err != nil || hexutil.Encode(k.Bytes()) != v.Cases[0].Private {
		t.Fatalf("encrypted derived key: %v", err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"derive", "--rpc", e.url, "--wallet.file", filepath.Join(e.dir, "x.json"), "--wallet.plain"}, "--l1.key"},
		{[]string{"derive", "--rpc", e.url, "--wallet.file", filepath.Join(e.dir, "x.json"), "--wallet.plain", "--l1.key", "0x12"}, "not a hex"},
		{[]string{"derive", "--rpc", e.url, "--wallet.file", f, "--wallet.plain", "--l1.key", v.Cases[0].EthereumKey}, "refusing to overwrite"},
		{[]string{"derive", "--rpc", e.url, "--wallet.file", filepath.Join(e.dir, "x.json"), "--wallet.plain", "--l1.account", "0x00000000000000000000000000000000000000a1"}, "--l1.rpc"},
	} {
		if _, err := runWallet(t, c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
}

// history pages through the account's transactions; deposit-status reads
// a deposit by queue index or L1 transaction.
func TestWalletHistoryAndDepositStatus(t *testing.T) {
	e := newWalletEnv(t)
	f := e.keyFor(t, 0)
	var sent []string
	for range 3 {
		sent = append(sent, strings.TrimSpace(mustRun(t, "transfer", "--rpc", e.url, "--wallet.file", f, "--to", "2", "--amount", "0.0000000000001eth")))
	}
	lines := strings.Split(strings.TrimSpace(mustRun(t, "history", "--rpc", e.url, "--wallet.file", f, "--history.limit", "2")), "\n")
	if len(lines) != 2 {
		t.Fatalf("%q", lines)
	}
	all := strings.Split(strings.TrimSpace(mustRun(t, "history", "--rpc", e.url, "--index", "2")), "\n")
	if len(all) != 3 || !strings.Contains(all[0], sent[2]) || !strings.Contains(all[2], sent[0]) || !strings.Contains(all[0], `"amount":"100000"`) {
		t.Fatalf("recipient's history, newest first: %q", all)
	}
	h := common.Hash{0xd1}
	acc := uint32(3)
	e.b.AddDeposit(api.DepositInfo{QueueIndex: 4, L1TxHash: &h, Status: api.DepositSealed, Account: &acc, Amount: "5"})
	for _, ref := range []string{"4", h.Hex()} {
		var d api.DepositInfo
		if err := json.Unmarshal([]byte(mustRun(t, "deposit-status", "--rpc", e.url, "--deposit", ref)), &d); err != nil || d.QueueIndex != 4 || *d.Account != 3 {
			t.Fatalf("%s: %+v %v", ref, d, err)
		}
	}
	if _, err := runWallet(t, "deposit-status", "--rpc", e.url, "--deposit", "5"); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Fatalf("unknown deposit: %v", err)
	}
	if _, err := runWallet(t, "deposit-status", "--rpc", e.url, "--deposit", "x"); err == nil {
		t.Fatal("bad reference accepted")
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
