package e2e

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// buildSheaf builds the sheaf command into a temporary folder.
func buildSheaf(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..")
	bin := filepath.Join(t.TempDir(), "sheaf")
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	cmd := exec.Command(goBin, "build", "-o", bin, "./cmd/sheaf")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/sheaf: %v\n%s", err, out)
	}
	return bin
}

// TestWalletCLI drives `sheaf wallet` as a user would, against anvil and
// the whole rollup: derive a Sheaf key from an Ethereum key, deposit on L1
// (waiting until L2 has it), withdraw on L2, follow the withdrawal to
// finalized and claimable on L1, claim it; balances add up on both layers.
func TestWalletCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("starts anvil, proves batches and waits for L1 finality: skipped in -short")
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 7*time.Minute)
	t.Cleanup(cancel)
	log := slog.New(slog.NewTextHandler(tlog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	bin := buildSheaf(t)
	t.Logf("built sheaf (%v)", time.Since(start).Round(time.Millisecond))

	seqKey := mustKey(t, "sheaf e2e wallet sequencer")
	userKey := mustKey(t, "sheaf e2e wallet user")
	user := crypto.PubkeyToAddress(userKey.PublicKey)
	funds := map[*ecdsa.PrivateKey]*big.Int{seqKey: new(big.Int).Mul(big.NewInt(100), ether), userKey: new(big.Int).Mul(big.NewInt(10), ether)}
	e := startDevnet(t, ctx, log, devnetConfig{circuit: testCfg, batchDelay: 500 * time.Millisecond,
		seqKey: seqKey, funds: funds, l2Keys: protocoltest.Keys(31337, 1)})
	acfg := api.DefaultConfig
	acfg.HTTPAddr = "127.0.0.1:0"
	srv, err := api.NewServer(acfg, e.seq, log, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	e.stopAtEnd(srv)
	apiURL := "http://" + srv.Addr()

	dir := t.TempDir()
	ethKeyFile := filepath.Join(dir, "eth.key")
	if err := os.WriteFile(ethKeyFile, []byte(hex.EncodeToString(crypto.FromECDSA(userKey))), 0o600); err != nil {
		t.Fatal(err)
	}
	pwFile := filepath.Join(dir, "password")
	if err := os.WriteFile(pwFile, []byte("e2e password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	walletFile := filepath.Join(dir, "wallet.json")
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(ctx, bin, append([]string{"--log.level", "warn", "wallet"}, args...)...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		cmd.Env = append(os.Environ(), "SHEAF_WALLET_RPC="+apiURL, "SHEAF_L1_RPC="+e.url, "SHEAF_L1_CONTRACT="+e.dep.Rollup.Hex(),
			"SHEAF_L1_KEY_FILE="+ethKeyFile, "SHEAF_WALLET_PASSWORD_FILE="+pwFile, "SHEAF_WALLET_SCRYPT_N=4096")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("sheaf wallet %v: %v\n%s%s", args, err, out, stderr.String())
		}
		t.Logf("sheaf wallet %s:\n%s%s", args[0], stderr.String(), out)
		return string(out)
	}

	// The key, derived from the Ethereum key (encrypted key file).
	pub := strings.TrimSpace(run("derive", "--wallet.file", walletFile))
	k, _, err := openKey(walletFile, func() ([]byte, error) { return []byte("e2e password"), nil })
	if err != nil {
		t.Fatal(err)
	}
	if b := k.Public().Bytes(); "0x"+hex.EncodeToString(b[:]) != pub {
		t.Fatal("printed key is not the key file's")
	}

	// Deposit 1 ETH: waits until L2 has it (it opens account 2: 1 is the fee account).
	l1Before := e.balance(user, nil)
	var dep api.DepositInfo
	if err := json.Unmarshal([]byte(run("deposit", "--wallet.file", walletFile, "--amount", "1eth", "--tx.poll", "200ms")), &dep); err != nil {
		t.Fatal(err)
	}
	if !api.DepositReached(dep.Status) || dep.QueueIndex != 0 || dep.Amount != api.Decimal(ether.String()) {
		t.Fatalf("deposit: %+v", dep)
	}
	t.Logf("deposit on L2 (%v)", time.Since(start).Round(time.Millisecond))

	// Withdraw 0.25 ETH to the same L1 address and wait for finality.
	withdrawn := wei(250)
	hash := strings.TrimSpace(strings.SplitN(run("withdraw", "--wallet.file", walletFile, "--l1-address", user.Hex(),
		"--amount", "0.25eth", "--fee", "1000000000000", "--wait", "--tx.poll", "200ms"), "\n", 2)[0])
	var ws struct {
		L2 api.TxInfo                `json:"l2"`
		L1 client.WithdrawalL1Status `json:"l1"`
	}
	if err := json.Unmarshal([]byte(run("withdrawal", "--tx", hash)), &ws); err != nil {
		t.Fatal(err)
	}
	if ws.L2.Status != api.StatusFinalized || ws.L1.Status != client.WithdrawalClaimable || ws.L1.Claimable.Cmp(withdrawn) != 0 {
		t.Fatalf("withdrawal before the claim: %+v", ws)
	}
	// History: the withdrawal, finalized.
	hist := strings.Split(strings.TrimSpace(run("history", "--wallet.file", walletFile)), "\n")
	var h0 api.TxInfo
	if len(hist) != 1 || json.Unmarshal([]byte(hist[0]), &h0) != nil || h0.Hash != common.HexToHash(hash) {
		t.Fatalf("history: %q", hist)
	}
	var d api.DepositInfo
	if err := json.Unmarshal([]byte(run("deposit-status", "--deposit", "0")), &d); err != nil || d.Status != api.DepositFinalized || d.Account == nil || *d.Account != 2 { // account 1 is the fee account from genesis
		t.Fatalf("deposit status: %+v %v", d, err)
	}

	// Claim: the L1 address gets the withdrawal, less the claim's gas.
	var claim struct {
		L1TxHash common.Hash `json:"l1TxHash"`
		Amount   string      `json:"amount"`
	}
	if err := json.Unmarshal([]byte(run("claim")), &claim); err != nil || claim.Amount != withdrawn.String() {
		t.Fatalf("claim: %+v %v", claim, err)
	}
	if err := json.Unmarshal([]byte(run("withdrawal", "--tx", hash)), &ws); err != nil || ws.L1.Status != client.WithdrawalClaimed {
		t.Fatalf("withdrawal after the claim: %+v %v", ws, err)
	}
	// L1: the user paid 1 ETH and got 0.25 ETH back, less gas (derive
	// costs nothing; deposit and claim pay gas).
	l1After := e.balance(user, nil)
	spent := new(big.Int).Sub(l1Before, l1After)
	net := new(big.Int).Sub(ether, withdrawn)
	if spent.Cmp(net) < 0 || new(big.Int).Sub(spent, net).Cmp(wei(10)) > 0 {
		t.Fatalf("L1 balance moved by %s, want 0.75 ETH plus a little gas", spent)
	}
	// L2: 1 ETH − 0.25 ETH − the withdrawal's fee, which went to account 1
	// (the operator's fee account from genesis); the user holds account 2.
	feeAcc, err := e.seq.Account(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	fee, ok := new(big.Int).SetString(string(feeAcc.Sealed.Balance), 10)
	if !ok || fee.Sign() <= 0 {
		t.Fatalf("fee account 1: %+v", feeAcc)
	}
	acc, err := e.seq.Account(ctx, 2)
	if want := new(big.Int).Sub(net, fee); err != nil || string(acc.Sealed.Balance) != want.String() {
		t.Fatalf("L2 account 2: %+v %v, want balance %s", acc, err, want)
	}
	if got := e.balance(e.dep.Rollup, nil); got.Cmp(net) != 0 {
		t.Fatalf("contract holds %s, want %s", got, net)
	}
	t.Logf("wallet CLI end to end in %v", time.Since(start).Round(time.Millisecond))
}

// openKey opens a key file and returns its key and warnings.
func openKey(path string, password func() ([]byte, error)) (protocol.PrivateKey, []string, error) {
	kf, err := client.OpenKeyFile(path, password)
	if err != nil {
		return protocol.PrivateKey{}, nil, err
	}
	return kf.Key, kf.Warnings, nil
}
