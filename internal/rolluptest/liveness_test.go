package rolluptest_test

import (
	"context"
	"math/big"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/db/pgtest"
	"github.com/sheafrollup/sheaf/internal/rolluptest"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/ops"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var milliEther = big.NewInt(1e15)

// TestLivenessReorgedDeposit (issue 10, item 1): a deposit that the
// watcher stored and a running sequencer applied is reorged away on L1 and
// replaced by another key's deposit at the same queue index. The sequencer
// rebuilds its pending state from the table without a restart, rejects
// (with a reason wallets read) the transfers that relied on the vanished
// deposit's account, and seals the next batch with the replacement; L1
// accepts it and the auditor, from L1 alone, agrees.
//
// The watcher here is a devnet's (one block deep): with the default,
// L1 finality, a reorged deposit never reaches the sequencer.
func TestLivenessReorgedDeposit(t *testing.T) {
	r := rolluptest.Start(t, rolluptest.Options{WatcherConfirmations: 1})
	ctx := context.Background()
	keys := protocoltest.Keys(1010, 3)
	// The harness's fee key holds account 1 from genesis; the deposit tops it up.
	feeKey, vanishing, replacing := rolluptest.FeeKey, keys[1], keys[2]

	// Batch 1: the fee account's deposit.
	r.Deposit(feeKey.Public(), milliEther)
	if idx := r.AccountIndex(feeKey.Public()); idx != 1 {
		t.Fatalf("fee account at index %d", idx)
	}
	if err := r.Sequencer.SealNow(ctx); err != nil {
		t.Fatal(err)
	}
	r.WaitFinalized(1, 2*time.Minute)

	// A deposit opens account 2 on L1 block b; the watcher stores it one
	// block deep and the sequencer applies it. Transfers use account 2.
	r.Miner.Pause()
	user := crypto.PubkeyToAddress(rolluptest.UserKey.PublicKey)
	nonce, err := r.Client.PendingNonceAt(ctx, user)
	if err != nil {
		t.Fatal(err)
	}
	orig := r.DepositTx(vanishing.Public(), milliEther, nonce, 1)
	if err := r.Client.SendTransaction(ctx, orig); err != nil {
		t.Fatal(err)
	}
	r.Chain.Commit()
	rc, err := r.Client.TransactionReceipt(ctx, orig.Hash())
	if err != nil || rc.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("deposit: %v %v", rc, err)
	}
	b := rc.BlockNumber.Uint64()
	r.Chain.Commit() // one confirmation
	if idx := r.AccountIndex(vanishing.Public()); idx != 2 {
		t.Fatalf("deposit opened account %d, want 2", idx)
	}
	spend, err := r.Transfer(vanishing, 2, 1, 1000, 10) // from the deposit's account
	if err != nil {
		t.Fatal(err)
	}
	credit, err := r.Transfer(feeKey, 1, 2, 500, 10) // to the deposit's account
	if err != nil {
		t.Fatal(err)
	}

	// L1 reorganises: block b is replaced by one where the same L1 sender
	// (same nonce, higher tip) deposits for another key, and the fork
	// becomes the longer chain.
	parent, err := r.Client.HeaderByNumber(ctx, new(big.Int).SetUint64(b-1))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Chain.Fork(parent.Hash()); err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := l1.SendAfterFork(sctx, r.Client, r.DepositTx(replacing.Public(), new(big.Int).Mul(milliEther, big.NewInt(2)), nonce, 50)); err != nil {
		t.Fatal(err)
	}
	for range 4 {
		r.Chain.Commit()
	}
	if h, _ := r.Client.HeaderByNumber(ctx, new(big.Int).SetUint64(b)); h.Hash() == rc.BlockHash {
		t.Fatal("the fork did not replace block b")
	}

	// The sequencer follows the table: account 2 is the replacement's, and
	// both transfers are rejected with a reason.
	r.WaitFor("account 2 owned by the replacement deposit's key", time.Minute, func() (bool, error) {
		a, err := r.Sequencer.Account(ctx, 2)
		if err != nil {
			return false, nil
		}
		pk := replacing.Public().Bytes()
		return string(a.PubKey) == string(pk[:]) && a.Pending.Balance == api.Decimal(new(big.Int).Mul(milliEther, big.NewInt(2)).String()), nil
	})
	c, err := client.Dial(ctx, "http://"+r.API.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, h := range []common.Hash{spend, credit} {
		info, err := c.GetTransaction(ctx, h) // what a wallet sees
		if err != nil {
			t.Fatal(err)
		}
		if info.Status != api.StatusRejected || !strings.Contains(info.Reason, "reorg") {
			t.Fatalf("transaction %s: %+v, want rejected with the reason", h, info)
		}
	}

	// The next batch consumes the replacement, never the vanished deposit,
	// and L1 accepts it.
	r.Miner.Resume()
	if err := r.Sequencer.SealNow(ctx); err != nil {
		t.Fatal(err)
	}
	r.WaitFinalized(2, 2*time.Minute)
	var key []byte
	var batch int64
	if err := r.Pool.QueryRow(ctx, `SELECT pubkey, batch_number FROM deposits WHERE queue_index = 1`).Scan(&key, &batch); err != nil {
		t.Fatal(err)
	}
	if want := replacing.Public().Bytes(); string(key) != string(want[:]) || batch != 2 {
		t.Fatalf("queue index 1 consumed by batch %d with key %x, want the replacement in batch 2", batch, key)
	}

	// The chain goes on: a transfer to the new account 2 in batch 3.
	if _, err := r.Transfer(feeKey, 1, 2, 700, 10); err != nil {
		t.Fatal(err)
	}
	if err := r.Sequencer.SealNow(ctx); err != nil {
		t.Fatal(err)
	}
	r.WaitFinalized(3, 2*time.Minute)
	rep := r.Audit()
	if rep.Deposits != 2 || rep.Transfers != 1 {
		t.Fatalf("audit saw %d deposits and %d transfers, want 2 and 1", rep.Deposits, rep.Transfers)
	}
}

// TestLivenessPostgresRestart (issue 10, item 5): PostgreSQL crashes
// under every service (watcher, sequencer with its API, prover,
// submitter). Within seconds each one either stops with an error (the
// watcher and the sequencer: their lock went with the session; a
// supervisor restarts them) or reports not ready until it has reconnected
// and taken its lock again (the prover, the submitter); readiness is never
// claimed by a service that lost its database. Once PostgreSQL is back and
// the supervisor has restarted what stopped, the chain advances: the next
// batch is accepted on L1, and the auditor agrees with it.
func TestLivenessPostgresRestart(t *testing.T) {
	cl := pgtest.Cluster()
	if cl == nil {
		t.Skip("tests run against SHEAF_TEST_DATABASE_URL: cannot restart it")
	}
	r := rolluptest.Start(t, rolluptest.Options{WatcherConfirmations: 1, BatchDelay: 300 * time.Millisecond})
	ctx := context.Background()
	keys := protocoltest.Keys(2020, 2)
	r.Deposit(keys[0].Public(), milliEther)
	r.AccountIndex(keys[0].Public())
	r.WaitFinalized(1, 2*time.Minute)
	ready := func() map[string]error {
		out := map[string]error{}
		for name, c := range r.Services() {
			out[name] = ops.Readiness(name, c)() // what /readyz answers
		}
		return out
	}
	for name, err := range ready() {
		if err != nil {
			t.Fatalf("%s not ready before the crash: %v", name, err)
		}
	}

	cctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := cl.Crash(cctx); err != nil {
		t.Fatal(err)
	}
	down := time.Now()
	// Within seconds no service claims to be ready.
	r.WaitFor("every service not ready while PostgreSQL is down", 20*time.Second, func() (bool, error) {
		for _, err := range ready() {
			if err == nil {
				return false, nil
			}
		}
		return true, nil
	})
	t.Logf("every service not ready %v after the crash: %v", time.Since(down).Round(time.Millisecond), ready())
	// The watcher and the sequencer stop with an error, the others wait.
	r.WaitFor("the watcher and the sequencer stopped", 20*time.Second, func() (bool, error) {
		for _, c := range []ops.Component{r.Watcher, r.Sequencer} {
			select {
			case <-c.Done():
			default:
				return false, nil
			}
		}
		return true, nil
	})
	if r.Watcher.Err() == nil || r.Sequencer.Err() == nil {
		t.Fatalf("stopped without an error: watcher %v, sequencer %v", r.Watcher.Err(), r.Sequencer.Err())
	}
	for _, c := range []ops.Component{r.Prover, r.Submitter} {
		select {
		case <-c.Done():
			t.Fatalf("%T stopped: it should reconnect", c)
		default:
		}
	}

	if err := cl.Restart(cctx); err != nil {
		t.Fatal(err)
	}
	restarted := r.Supervise()
	sort.Strings(restarted)
	if strings.Join(restarted, ",") != "sequencer,watcher" {
		t.Fatalf("supervisor restarted %v", restarted)
	}
	r.WaitFor("every service ready again", time.Minute, func() (bool, error) {
		for _, err := range ready() {
			if err != nil {
				return false, nil
			}
		}
		return true, nil
	})
	var locks int
	if err := r.Pool.QueryRow(ctx, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
		AND objid IN (x'5e4f0001'::int::oid, x'5e4f0003'::int::oid, x'5e4f0005'::int::oid)`).Scan(&locks); err != nil {
		t.Fatal(err)
	}
	if locks != 3 {
		t.Fatalf("%d of the sequencer, submitter and watcher locks held after the restart", locks)
	}

	// The chain advances: a deposit and a transfer, through the API.
	r.Deposit(keys[1].Public(), milliEther)
	to := r.AccountIndex(keys[1].Public())
	c, err := client.Dial(ctx, "http://"+r.API.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	h, err := r.Transfer(keys[0], r.AccountIndex(keys[0].Public()), to, 1000, 10)
	if err != nil {
		t.Fatal(err)
	}
	r.WaitFor("the transfer finalized", 3*time.Minute, func() (bool, error) {
		info, err := c.GetTransaction(ctx, h)
		if err != nil {
			return false, err
		}
		return info.Status == api.StatusFinalized, nil
	})
	n, err := c.BatchNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r.WaitFinalized(n.Finalized, time.Minute)
	if n.Finalized < 2 || r.ContractBatch() < n.Finalized {
		t.Fatalf("after the restart: finalized %d, contract at %d", n.Finalized, r.ContractBatch())
	}
	r.Audit()
}
