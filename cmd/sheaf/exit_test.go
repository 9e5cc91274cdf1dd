package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/audit"
	"github.com/sheafrollup/sheaf/audit/audittest"
	"github.com/sheafrollup/sheaf/exodus"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/bindings"
)

// TestExitCommandOnSimulatedChain: a rollup with three proven batches (a
// valid and an invalid forced exit in the last) and one deposit left in
// the queue. Before the deadline `sheaf exit` refuses and says when exodus
// can start; after it, `sheaf exodus activate` freezes the rollup; the
// owner of account 2 exits with its key file (paid exactly its last proven
// balance) and its unconsumed deposit is refunded; a third party exits
// account 1 with a detached signature `sheaf wallet sign-exodus` wrote,
// paying the recipient it names; a second exit and a second refund are
// refused; `sheaf audit` checks the exodus state.
func TestExitCommandOnSimulatedChain(t *testing.T) {
	if testing.Short() {
		t.Skip("proves three batches and two exits: skipped in -short")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	x, err := audittest.NewExodus(ctx, audittest.Options{HTTP: addr, Log: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()

	dir := t.TempDir()
	depFile := filepath.Join(dir, "deployment.json")
	if err := l1.WriteDeployment(depFile, x.File); err != nil {
		t.Fatal(err)
	}
	exitKeys, batchKeys := filepath.Join(dir, "keys", "exit-d4"), filepath.Join(dir, "keys", "batch")
	if err := x.ExitKeys.Write(exitKeys); err != nil {
		t.Fatal(err)
	}
	if err := x.Keys.Write(batchKeys); err != nil {
		t.Fatal(err)
	}
	dom := &client.Domain{ChainID: audittest.ChainID, Contract: x.Deployment.Rollup}
	wallet := func(name string, i int) string {
		p := filepath.Join(dir, name)
		if err := client.SaveKeyFile(p, x.L2Keys[i], dom); err != nil {
			t.Fatal(err)
		}
		return p
	}
	l1KeyFile := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(common.Bytes2Hex(b)), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	userL1 := l1KeyFile("user.hex", crypto.FromECDSA(audittest.UserKey))
	helperL1 := l1KeyFile("helper.hex", crypto.FromECDSA(audittest.SeqKey))
	owner2, owner1 := wallet("account2.json", 1), wallet("account1.json", 0)

	node := []string{"--l1.rpc", "http://" + addr, "--deploy.file", depFile}
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		app := newApp()
		app.Writer, app.ErrWriter = &out, io.Discard
		err := app.RunContext(ctx, append([]string{"sheaf", "--log.level", "warn"}, args...))
		return out.String(), err
	}
	rollup := bindings.NewRollup()
	pending := func(a common.Address) *big.Int {
		out, err := x.Client.CallContract(ctx, ethereum.CallMsg{To: &x.Deployment.Rollup, Data: rollup.PackPendingWithdrawals(a)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		v, err := rollup.UnpackPendingWithdrawals(out)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// The sends wait for receipts: mine in the background.
	x.Sim.Mine(50 * time.Millisecond)
	defer x.Sim.StopMining()

	exitOwner := append([]string{"exit", "--json", "--wallet.file", owner2, "--l1.key-file", userL1, "--exit.keys", exitKeys}, node...)
	// Not frozen, deadline not reached: a clear refusal.
	out, err := run(exitOwner...)
	if err == nil || !strings.Contains(err.Error(), "not in exodus mode") || !strings.Contains(err.Error(), "activate") {
		t.Fatalf("exit before exodus: %v\n%s", err, out)
	}
	out, err = run(append([]string{"exodus", "activate", "--l1.key-file", helperL1}, node...)...)
	if err == nil || !strings.Contains(err.Error(), "cannot activate exodus yet") {
		t.Fatalf("activate before the deadline: %v\n%s", err, out)
	}
	// Past the deadline anyone may freeze it.
	if err := x.Sim.AdjustTime(audittest.FxExpiry + time.Minute); err != nil {
		t.Fatal(err)
	}
	if out, err := run(append([]string{"exodus", "activate", "--l1.key-file", helperL1}, node...)...); err != nil {
		t.Fatalf("activate: %v\n%s", err, out)
	}

	// The owner: its key file signs, it pays its own gas, its deposit
	// left in the queue is refunded.
	acc2, _ := x.State.Account(2)
	acc1, _ := x.State.Account(1)
	before := pending(audittest.UserAddr)
	out, err = run(exitOwner...)
	if err != nil {
		t.Fatalf("exit: %v\n%s", err, out)
	}
	var res exodus.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if res.Index != 2 || res.Recipient != audittest.UserAddr || res.Balance != acc2.Balance.Dec() ||
		len(res.Refunds) != 1 || res.Refunds[0].QueueIndex != x.Unconsumed.QueueIndex || res.Refunds[0].Amount != "42000" {
		t.Fatalf("result %+v, want account 2's balance %s and one refund of 42000", res, acc2.Balance.Dec())
	}
	want := new(big.Int).Add(before, acc2.Balance.ToBig())
	want.Add(want, big.NewInt(42_000))
	if got := pending(audittest.UserAddr); got.Cmp(want) != 0 {
		t.Fatalf("claimable by the owner %s, want %s (balance + refund)", got, want)
	}

	// A helper exits account 1 for its owner with a detached signature;
	// it pays the gas, the recipient the signature names is paid.
	to := common.HexToAddress("0x00000000000000000000000000000000000f0e03")
	sigFile := filepath.Join(dir, "exodus-sig.json")
	out, err = run("wallet", "sign-exodus", "--wallet.file", owner1, "--wallet.index", "1", "--exit.recipient", to.Hex(), "--out", sigFile)
	if err != nil {
		t.Fatalf("sign-exodus: %v\n%s", err, out)
	}
	helper := append([]string{"exit", "--json", "--exit.signature", sigFile, "--l1.key-file", helperL1, "--exit.keys", exitKeys}, node...)
	out, err = run(helper...)
	if err != nil {
		t.Fatalf("third-party exit: %v\n%s", err, out)
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if res.Index != 1 || res.Recipient != to || len(res.Refunds) != 0 {
		t.Fatalf("result %+v", res)
	}
	if got := pending(to); got.Cmp(acc1.Balance.ToBig()) != 0 {
		t.Fatalf("recipient credited %s, account 1's last proven balance is %s", got, acc1.Balance.Dec())
	}

	// Once per account, once per deposit.
	out, err = run(helper...)
	if err == nil || !strings.Contains(err.Error(), "already exited") {
		t.Fatalf("second exit: %v\n%s", err, out)
	}
	d := x.Unconsumed
	if _, err := x.Send(audittest.SeqKey, rollup.PackRefundDeposit(d.QueueIndex, d.PubKey.Bytes(), d.Amount.ToBig(), audittest.UserAddr), nil); err == nil {
		t.Fatal("a second refund of the same deposit went through")
	}

	// The audit checks it all.
	out, err = run(append([]string{"audit", "--json", "--audit.confirmations", "0", "--audit.vk", batchKeys}, node...)...)
	if err != nil {
		t.Fatalf("audit: %v\n%s", err, out)
	}
	var rep audit.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !rep.OK || !rep.Frozen || rep.Exits != 2 || rep.Refunds != 1 || rep.ForcedExits != 2 || rep.ForcedValid != 1 {
		t.Fatalf("audit report %+v", rep)
	}
}
