package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/db/pgtest"
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
			"--l1.key", payer, "--wallet.file", kf}, extra...)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		err := app.RunContext(ctx, args)
		return out.String(), errOut.String(), err
	}

	if _, _, err := run("--exit.recipient", to.Hex(), "--wallet.rpc", "http://"+freeAddr(t)); err == nil || !strings.Contains(err.Error(), "--exit.nonce") {
		t.Fatalf("without an API or flags: %v, want an error naming --exit.index and --exit.nonce", err)
	}
	out, msg, err := run("--exit.recipient", to.Hex(), "--exit.index", "5", "--exit.nonce", "3", "--wallet.rpc", "http://"+freeAddr(t))
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

	// With the sequencer API: the account's index and sealed nonce come
	// from it (a deposit row, as the watcher stores one, opens account 2
	// for the key; no watcher runs, so L1's queue is not the table's).
	url := pgtest.NewDatabase(t)
	rpcAddr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		app := newApp()
		app.Writer, app.ErrWriter = io.Discard, io.Discard
		done <- app.RunContext(ctx, seqArgs(url, e, "--rpc.addr", rpcAddr, "--metrics.addr", ""))
	}()
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	c, err := client.Dial(ctx, "http://"+rpcAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	pub := k.Public().Bytes()
	deadline := time.Now().Add(30 * time.Second)
	inserted := false
	for {
		if !inserted { // once the sequencer has migrated the database
			_, err := pool.Exec(ctx, `INSERT INTO deposits (queue_index, pubkey, amount, l1_block) VALUES (0, $1, 1000, 1)`, pub[:])
			inserted = err == nil
		}
		if a, err := c.GetAccount(ctx, api.AccountByKey(k.Public())); err == nil && a.Index == 2 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("sequencer exited: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the deposit did not reach the sequencer's pending state")
		}
		time.Sleep(50 * time.Millisecond)
	}
	out, msg, err = run("--wallet.rpc", "http://"+rpcAddr)
	if err != nil {
		t.Fatalf("force-exit through the API: %v\n%s", err, msg)
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
	if res.QueueIndex != 1 || res.Account != 2 || res.Nonce != 0 || res.Recipient != crypto.PubkeyToAddress(mustTestKey(payer).PublicKey) {
		t.Fatalf("printed %+v, want queue index 1, account 2, nonce 0, the payer as recipient", res)
	}
}
