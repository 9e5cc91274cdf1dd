package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/l1/watcher"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// TestWalletForceExit: `sheaf wallet force-exit` signs the request with
// the key file's L2 key in the deployment's domain (read from L1), pays
// the contract's fee and prints the queue index and expiry; the request on
// L1 verifies under the key. Without the sequencer API it needs the index
// and nonce as flags, and says so.
func TestWalletForceExit(t *testing.T) {
	const fee = 12345
	e := newTestL1(t, protocol.Config{Depth: 8, Deposits: 2, ForcedExits: 1, Transfers: 4, Withdrawals: 1}, func(c *l1.DeployConfig) {
		c.ForcedExitFee, c.PriorityExpiry = big.NewInt(fee), time.Hour
	})
	k := protocoltest.Keys(41, 1)[0]
	kf := filepath.Join(t.TempDir(), "key.json")
	if err := client.SaveKeyFile(kf, k, nil); err != nil {
		t.Fatal(err)
	}
	payer := "0x" + strings.Repeat("0", 62) + "09" // the deployer: funded
	to := common.HexToAddress("0x00000000000000000000000000000000000000e1")
	run := func(extra ...string) (string, string, error) {
		var out, errOut bytes.Buffer
		app := newApp()
		app.Writer, app.ErrWriter = &out, &errOut
		args := append([]string{"sheaf", "wallet", "force-exit", "--l1.rpc", e.url, "--deploy.file", e.depFile,
			"--l1.key", payer, "--wallet.file", kf, "--wallet.rpc", "http://" + freeAddr(t)}, extra...)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		err := app.RunContext(ctx, args)
		return out.String(), errOut.String(), err
	}

	if _, _, err := run("--exit.to", to.Hex()); err == nil || !strings.Contains(err.Error(), "--exit.nonce") {
		t.Fatalf("without an API or flags: %v, want an error naming --exit.account and --exit.nonce", err)
	}
	out, msg, err := run("--exit.to", to.Hex(), "--exit.account", "5", "--exit.nonce", "3")
	if err != nil {
		t.Fatalf("force-exit: %v\n%s", err, msg)
	}
	var res struct {
		L1TxHash   common.Hash `json:"l1TxHash"`
		QueueIndex uint64      `json:"queueIndex"`
		Expiry     uint64      `json:"expiry"`
		Account    uint32      `json:"account"`
		Nonce      uint32      `json:"nonce"`
		Recipient  common.Address
		Fee        string `json:"fee"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
	if res.QueueIndex != 0 || res.Account != 5 || res.Nonce != 3 || res.Recipient != to || res.Fee != "12345" || res.Expiry == 0 {
		t.Fatalf("printed %+v", res)
	}
	if !strings.Contains(msg, "queue index 0") {
		t.Fatalf("message %q names no queue index", msg)
	}

	// The request on L1: the event's fields verify under the key, by the
	// circuit's rule, in this deployment's domain; the fee was paid.
	ec := e.sim.Client()
	rb := bindings.NewRollup()
	r, err := ec.TransactionReceipt(context.Background(), res.L1TxHash)
	if err != nil {
		t.Fatal(err)
	}
	var ev *bindings.RollupForcedExitRequested
	for _, lg := range r.Logs {
		if x, err := rb.UnpackForcedExitRequestedEvent(lg); err == nil {
			ev = x
		}
	}
	if ev == nil || ev.Expiry != res.Expiry {
		t.Fatalf("event %+v, printed expiry %d", ev, res.Expiry)
	}
	f, err := watcher.ForcedExitFromEvent(ev)
	if err != nil {
		t.Fatal(err)
	}
	if !protocol.VerifyCofactored(k.Public(), f.Message(protocol.DomainState(1337, e.dep.Rollup)), f.Sig) {
		t.Fatal("the request's signature does not verify under the key file's key")
	}
	tx, _, err := ec.TransactionByHash(context.Background(), res.L1TxHash)
	if err != nil || tx.Value().Int64() != fee {
		t.Fatalf("paid %v (%v), want the contract's fee %d", tx.Value(), err, fee)
	}
}
