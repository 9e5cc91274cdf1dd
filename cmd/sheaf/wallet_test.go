package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/api/apitest"
	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

type walletEnv struct {
	b   *apitest.Backend
	url string
	dir string
}

func newWalletEnv(t *testing.T) *walletEnv {
	t.Helper()
	b := apitest.New(3, 1_000_000)
	srv, err := api.NewServer(api.DefaultConfig, b, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ts.Close()
		_ = srv.Stop(context.Background())
	})
	return &walletEnv{b: b, url: ts.URL, dir: t.TempDir()}
}

// testDomain is the fake's deployment.
var testDomain = client.Domain{ChainID: protocoltest.ChainID, Contract: protocoltest.Contract}

// keyFor writes a key file for the fake's i-th key (account i+1), pinned
// to the fake's deployment.
func (e *walletEnv) keyFor(t *testing.T, i int) string {
	t.Helper()
	f := filepath.Join(e.dir, "key"+string(rune('a'+i))+".json")
	if err := client.SaveKeyFile(f, e.b.Keys()[i], &testDomain); err != nil {
		t.Fatal(err)
	}
	return f
}

func runWallet(t *testing.T, args ...string) (string, error) {
	t.Helper()
	app := newApp()
	var out bytes.Buffer
	app.Writer = &out
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := app.RunContext(ctx, append([]string{"sheaf", "--log.level", "error", "wallet"}, args...))
	return out.String(), err
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, err := runWallet(t, args...)
	if err != nil {
		t.Fatalf("wallet %v: %v", args, err)
	}
	return out
}

func TestWalletNew(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "w.json")
	out := strings.TrimSpace(mustRun(t, "new", "--wallet.file", f, "--wallet.plain"))
	st, err := os.Stat(f)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode().Perm())
	}
	raw, _ := os.ReadFile(f)
	var kf struct {
		Version    int    `json:"version"`
		PrivateKey string `json:"privateKey"`
		PublicKey  string `json:"publicKey"`
	}
	if err := json.Unmarshal(raw, &kf); err != nil || kf.Version != 1 || kf.PublicKey != out || !strings.HasPrefix(kf.PrivateKey, "0x") {
		t.Fatalf("key file %s (%v), printed %s", raw, err, out)
	}
	kf2, err := client.LoadKeyFile(f)
	if err != nil || len(kf2.Warnings) != 0 || kf2.Domain != nil {
		t.Fatal(err, kf2)
	}
	pub := kf2.Key.Public().Bytes()
	if hexutil.Encode(pub[:]) != out {
		t.Fatal("printed key is not the file's")
	}
	if _, err := protocol.ParsePublicKey(pub[:]); err != nil {
		t.Fatal(err)
	}
	// Never overwritten.
	if _, err := runWallet(t, "new", "--wallet.file", f, "--wallet.plain"); err == nil || !strings.Contains(err.Error(), "refusing to overwrite") {
		t.Fatalf("overwrite: %v", err)
	}
	if again, _ := os.ReadFile(f); !bytes.Equal(again, raw) {
		t.Fatal("key file changed")
	}
	if _, err := runWallet(t, "new"); err == nil {
		t.Fatal("new without --wallet.file")
	}
	// A readable key file still loads, with a warning.
	if err := os.Chmod(f, 0o644); err != nil {
		t.Fatal(err)
	}
	if kf, err := client.LoadKeyFile(f); err != nil || len(kf.Warnings) != 1 {
		t.Fatal(err, kf)
	}
	// A file whose public key is not the private key's is refused.
	kf.PublicKey = "0x" + strings.Repeat("00", 31) + "01"
	bad, _ := json.Marshal(kf)
	g := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(g, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := client.LoadKeyFile(g); err == nil {
		t.Fatal("mismatched public key accepted")
	}
}

func TestWalletTransferWithdrawShow(t *testing.T) {
	e := newWalletEnv(t)
	f := e.keyFor(t, 0)
	ctx := context.Background()

	out := strings.TrimSpace(mustRun(t, "transfer", "--rpc", e.url, "--wallet.file", f, "--to", "2", "--amount", "1000"))
	h := common.HexToHash(out)
	tx, err := e.b.Transaction(ctx, h)
	if err != nil {
		t.Fatalf("%q: %v", out, err)
	}
	if tx.Kind != api.KindTransfer || tx.From != 1 || *tx.To != 2 || tx.Amount != "1000" || tx.Fee != "10" || tx.Nonce != 0 {
		t.Fatalf("%+v", tx)
	}
	// The next one fetches the next nonce; an explicit fee is used.
	out = strings.TrimSpace(mustRun(t, "transfer", "--wallet.rpc", e.url, "--wallet.file", f, "--tx.to", "3", "--tx.amount", "2000", "--tx.fee", "20"))
	if tx, err = e.b.Transaction(ctx, common.HexToHash(out)); err != nil || tx.Nonce != 1 || tx.Fee != "20" || *tx.To != 3 {
		t.Fatalf("%+v %v", tx, err)
	}
	l1 := "0x00000000000000000000000000000000000000a1"
	out = strings.TrimSpace(mustRun(t, "withdraw", "--rpc", e.url, "--wallet.file", f, "--l1-address", l1, "--amount", "5000"))
	if tx, err = e.b.Transaction(ctx, common.HexToHash(out)); err != nil || tx.Kind != api.KindWithdrawal || tx.Nonce != 2 ||
		tx.Fee != "100" || tx.L1Address.Hex() != common.HexToAddress(l1).Hex() {
		t.Fatalf("%+v %v", tx, err)
	}

	var acc api.AccountInfo
	if err := json.Unmarshal([]byte(mustRun(t, "show", "--rpc", e.url, "--wallet.file", f)), &acc); err != nil {
		t.Fatal(err)
	}
	if acc.Index != 1 || acc.Pending.Nonce != 3 || acc.Pending.Balance != "991870" {
		t.Fatalf("%+v", acc)
	}
	if err := json.Unmarshal([]byte(mustRun(t, "show", "--rpc", e.url, "--index", "2")), &acc); err != nil {
		t.Fatal(err)
	}
	if acc.Index != 2 || acc.Pending.Balance != "1001000" {
		t.Fatalf("%+v", acc)
	}
	// Environment variables, one per flag.
	t.Setenv("SHEAF_WALLET_RPC", e.url)
	t.Setenv("SHEAF_WALLET_FILE", f)
	if err := json.Unmarshal([]byte(mustRun(t, "show")), &acc); err != nil || acc.Index != 1 {
		t.Fatalf("%+v %v", acc, err)
	}
	if e.b.Sends() != 3 {
		t.Fatalf("%d sends", e.b.Sends())
	}
}

func TestWalletErrors(t *testing.T) {
	e := newWalletEnv(t)
	f := e.keyFor(t, 0)
	stranger := filepath.Join(e.dir, "stranger.json")
	mustRun(t, "new", "--wallet.file", stranger, "--wallet.plain", "--wallet.chain-id", "31337", "--wallet.contract", common.Address(protocoltest.Contract).Hex())
	snap := e.b.Snapshot()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"transfer", "--rpc", e.url, "--wallet.file", f, "--to", "2", "--amount", "4294967297"}, "4294967295 and 4294967300"},
		{[]string{"transfer", "--rpc", e.url, "--wallet.file", f, "--to", "2", "--amount", "1000", "--fee", "65"}, "63 and 70"},
		{[]string{"transfer", "--rpc", e.url, "--wallet.file", f, "--to", "2", "--amount", "1e3"}, "want e.g."},
		{[]string{"transfer", "--rpc", e.url, "--wallet.file", f, "--to", "2", "--amount", "2000000"}, "insufficient balance"},
		{[]string{"transfer", "--rpc", e.url, "--wallet.file", f, "--to", "0", "--amount", "1000"}, "reserved"},
		{[]string{"transfer", "--rpc", e.url, "--wallet.file", f, "--to", "9", "--amount", "1000"}, "unknown account"},
		{[]string{"transfer", "--rpc", e.url, "--wallet.file", f, "--to", "2", "--amount", "1000", "--fee", "1"}, "minimum"},
		{[]string{"transfer", "--rpc", e.url, "--wallet.file", f, "--amount", "1000"}, "to"},
		{[]string{"transfer", "--rpc", e.url, "--wallet.file", f, "--to", "2", "--amount", "1000", "--index", "2"}, "not to this key"},
		{[]string{"transfer", "--rpc", e.url, "--wallet.file", stranger, "--to", "2", "--amount", "1000"}, "not found"},
		{[]string{"transfer", "--rpc", e.url, "--wallet.file", filepath.Join(e.dir, "missing.json"), "--to", "2", "--amount", "1000"}, "no such file"},
		{[]string{"withdraw", "--rpc", e.url, "--wallet.file", f, "--l1-address", "0x12", "--amount", "1000"}, "l1-address"},
		{[]string{"withdraw", "--rpc", e.url, "--wallet.file", f, "--l1-address", "0x0000000000000000000000000000000000000000", "--amount", "1000"}, "zero address"},
		{[]string{"status", "--rpc", e.url, "--tx", "0x1234"}, "64 hex digits"},
		{[]string{"status", "--rpc", e.url, "--tx", common.Hash{5}.Hex()}, "not found"},
		{[]string{"status", "--rpc", e.url, "--tx", common.Hash{5}.Hex(), "--wait", "--tx.until", "pending"}, "tx.until"},
		{[]string{"show", "--rpc", e.url}, "--wallet.file or --wallet.index"},
	}
	for _, c := range cases {
		_, err := runWallet(t, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
	if e.b.Snapshot() != snap {
		t.Fatal("state changed")
	}
}

func TestWalletStatus(t *testing.T) {
	e := newWalletEnv(t)
	f := e.keyFor(t, 0)
	h := strings.TrimSpace(mustRun(t, "transfer", "--rpc", e.url, "--wallet.file", f, "--to", "2", "--amount", "1000"))
	var tx api.TxInfo
	if err := json.Unmarshal([]byte(mustRun(t, "status", "--rpc", e.url, "--tx", h)), &tx); err != nil || tx.Status != api.StatusPending {
		t.Fatalf("%+v %v", tx, err)
	}

	// --wait over WebSocket: one JSON line per status.
	ws := "ws" + strings.TrimPrefix(e.url, "http")
	type result struct {
		out string
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := runWallet(t, "status", "--rpc", ws, "--tx", h, "--wait")
		done <- result{out, err}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for e.b.Subscribers() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no subscription")
		}
		time.Sleep(5 * time.Millisecond)
	}
	e.b.Seal()
	e.b.SetBatchStatus(1, api.BatchProven)
	e.b.SetBatchStatus(1, api.BatchFinalized)
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	var statuses []string
	for _, line := range strings.Split(strings.TrimSpace(r.out), "\n") {
		if err := json.Unmarshal([]byte(line), &tx); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		statuses = append(statuses, tx.Status)
	}
	if strings.Join(statuses, ",") != "pending,sealed,proven,finalized" {
		t.Fatalf("statuses %v", statuses)
	}

	// --wait over HTTP polls; a rejected transaction is an error.
	h2 := strings.TrimSpace(mustRun(t, "transfer", "--rpc", e.url, "--wallet.file", f, "--to", "2", "--amount", "1000"))
	e.b.Reject(common.HexToHash(h2), "test")
	out, err := runWallet(t, "status", "--rpc", e.url, "--tx", h2, "--wait", "--tx.poll", "10ms")
	if err == nil || !strings.Contains(err.Error(), "rejected") || !strings.Contains(out, `"rejected"`) {
		t.Fatalf("%q %v", out, err)
	}
	// transfer --wait --tx.until sealed over HTTP.
	go func() {
		out, err := runWallet(t, "transfer", "--rpc", e.url, "--wallet.file", f, "--to", "2", "--amount", "1000",
			"--wait", "--tx.until", "sealed", "--tx.poll", "10ms")
		done <- result{out, err}
	}()
	for e.b.Sends() < 3 {
		time.Sleep(5 * time.Millisecond)
	}
	e.b.Seal()
	r = <-done
	if r.err != nil || !strings.Contains(r.out, `"sealed"`) {
		t.Fatalf("%q %v", r.out, r.err)
	}
}

// TestLivenessWalletDomainPinning: a wallet signs only for the deployment
// its key file (or its flags) pins; a server that reports another chain
// id or contract is refused before anything is signed, and an unpinned
// key file is refused rather than trusting the server.
func TestLivenessWalletDomainPinning(t *testing.T) {
	e := newWalletEnv(t)
	contract := common.Address(protocoltest.Contract).Hex()
	other := "0x00000000000000000000000000000000000000c0"
	pinned := e.keyFor(t, 0)
	unpinned := filepath.Join(e.dir, "unpinned.json")
	if err := client.SaveKeyFile(unpinned, e.b.Keys()[0], nil); err != nil {
		t.Fatal(err)
	}
	wrong := filepath.Join(e.dir, "wrong.json")
	if err := client.SaveKeyFile(wrong, e.b.Keys()[0], &client.Domain{ChainID: 1, Contract: common.HexToAddress(contract)}); err != nil {
		t.Fatal(err)
	}
	// `wallet new` pins what it is given, and the file says so.
	created := filepath.Join(e.dir, "created.json")
	mustRun(t, "new", "--wallet.file", created, "--wallet.plain", "--wallet.chain-id", "31337", "--wallet.contract", contract)
	if kf, err := client.LoadKeyFile(created); err != nil || kf.Domain == nil || *kf.Domain != testDomain {
		t.Fatalf("new pinned %+v (%v)", kf, err)
	}
	if _, err := runWallet(t, "new", "--wallet.file", filepath.Join(e.dir, "half.json"), "--wallet.plain", "--wallet.chain-id", "5"); err == nil {
		t.Fatal("a chain id without a contract was accepted")
	}
	snap := e.b.Snapshot()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--wallet.file", wrong}, "pinned to chain 1"},
		{[]string{"--wallet.file", unpinned}, "pins no deployment"},
		{[]string{"--wallet.file", unpinned, "--wallet.chain-id", "31337", "--wallet.contract", other}, "pinned to chain 31337, contract " + common.HexToAddress(other).Hex()},
		{[]string{"--wallet.file", pinned, "--wallet.chain-id", "1", "--wallet.contract", contract}, "the key file is pinned to chain 31337"},
	} {
		args := append([]string{"transfer", "--rpc", e.url, "--to", "2", "--amount", "1000"}, c.args...)
		_, err := runWallet(t, args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
	if e.b.Snapshot() != snap || e.b.Sends() != 0 {
		t.Fatal("a refused wallet sent something")
	}
	// The pinned file, and the unpinned one with the right flags, sign.
	mustRun(t, "transfer", "--rpc", e.url, "--wallet.file", pinned, "--to", "2", "--amount", "1000")
	mustRun(t, "withdraw", "--rpc", e.url, "--wallet.file", unpinned, "--wallet.chain-id", "31337", "--wallet.contract", contract,
		"--l1-address", "0x00000000000000000000000000000000000000a1", "--amount", "1000")
	if e.b.Sends() != 2 {
		t.Fatalf("%d sends, want 2", e.b.Sends())
	}
}

// TestWalletAddress: the L2 public key of a wallet key file, the L1
// address of a hex secp256k1 key file.
func TestWalletAddress(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "w.json")
	pub := strings.TrimSpace(mustRun(t, "new", "--wallet.file", f, "--wallet.plain"))
	if got := strings.TrimSpace(mustRun(t, "address", "--wallet.file", f)); got != pub {
		t.Fatalf("address of a wallet file: %s, want %s", got, pub)
	}
	l1File := filepath.Join(dir, "sequencer.key")
	if err := os.WriteFile(l1File, []byte("0x"+strings.Repeat("11", 32)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	k, _ := crypto.HexToECDSA(strings.Repeat("11", 32))
	if got := strings.TrimSpace(mustRun(t, "address", "--wallet.file", l1File)); got != crypto.PubkeyToAddress(k.PublicKey).Hex() {
		t.Fatalf("address of an L1 key file: %s", got)
	}
	junk := filepath.Join(dir, "junk")
	os.WriteFile(junk, []byte("not a key "+strings.Repeat("22", 32)), 0o600)
	if _, err := runWallet(t, "address", "--wallet.file", junk); err == nil || strings.Contains(err.Error(), "2222") {
		t.Fatalf("junk file: %v", err)
	}
}
