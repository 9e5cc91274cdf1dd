package audit_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sheafrollup/sheaf/audit"
	"github.com/sheafrollup/sheaf/audit/audittest"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/bindings"
)

var (
	exOnce  sync.Once
	exChain *audittest.ExodusChain
	exErr   error
)

func getExodusChain(t *testing.T) *audittest.ExodusChain {
	t.Helper()
	if testing.Short() {
		t.Skip("proves three batches with forced-exit slots: skipped in -short")
	}
	exOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
		defer cancel()
		exChain, exErr = audittest.NewExodus(ctx, audittest.Options{Log: t.Logf})
	})
	if exErr != nil {
		t.Fatal(exErr)
	}
	return exChain
}

func exodusAuditor(t *testing.T, x *audittest.ExodusChain, c audit.Client) *audit.Auditor {
	t.Helper()
	cfg := audit.DefaultConfig
	cfg.Contract, cfg.FromBlock, cfg.Finality = x.Deployment.Rollup, x.Deployment.Block, l1.Finality{}
	a, err := audit.New(cfg, c, x.Keys.VK, logger(t))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// logTamper rewrites the data of logs the auditor reads.
type logTamper struct {
	audit.Client
	edit func(l *types.Log)
}

func (c *logTamper) FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	logs, err := c.Client.FilterLogs(ctx, q)
	for i := range logs {
		c.edit(&logs[i])
	}
	return logs, err
}

// TestAuditForcedExitsAndExodus: a batch with a valid and an invalid
// forced exit replays to the contract's root; a batch whose pubdata
// records the valid one as a no-op, or a request log that was altered, is
// flagged; after exodus, exits of exactly the frozen balances and a refund
// check out, and an Exited log with another balance or a second refund
// does not.
func TestAuditForcedExitsAndExodus(t *testing.T) {
	x := getExodusChain(t)
	ctx := context.Background()
	rep, err := exodusAuditor(t, x, x.Client).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.LastBatch != 3 || rep.ForcedExits != 2 || rep.ForcedValid != 1 || rep.Frozen || rep.DepositsQueued != 5 || rep.DepositHead != 4 {
		t.Fatalf("report %+v", rep)
	}
	// Account 3 withdrew 501,000 by its forced exit; account 2 kept its
	// balance and nonce (the no-op).
	if rep.Withdrawn != "501000" || rep.TotalBalance != "999000" {
		t.Fatalf("totals %+v", rep)
	}
	b3 := &x.Batches[2]
	st := exodusAuditorState(t, x)
	for i, want := range b3.Accounts {
		acc, ok := st.Account(uint32(i + 1))
		if !ok || acc != want {
			t.Fatalf("account %d: %+v, sequencer has %+v", i+1, acc, want)
		}
	}

	// Batch 3 with the valid forced exit's flag and amount cleared.
	cfg := audittest.FxConfig
	pd := b3.Batch.Compact()
	slot := pd[cfg.DepositBytes()*len(b3.Batch.Deposits):]
	n := cfg.IndexBytes()
	for i := n + 20; i < n+37; i++ {
		slot[i] = 0
	}
	h := b3.Batch.Header
	bad := bindings.NewRollup().PackSubmitBatch(h.Number, h.OldRoot.Bytes(), h.NewRoot.Bytes(), 0, 2, 1, 0, pd, []byte{}, b3.Proof)
	_, err = exodusAuditor(t, x, &tamperClient{Client: x.Client, txs: map[common.Hash][]byte{b3.Tx: bad}}).Run(ctx)
	var be *audit.BatchError
	if !errors.As(err, &be) || be.Batch != 3 {
		t.Fatalf("valid forced exit posted as a no-op: %v, want batch 3 flagged", err)
	}
	t.Log(err)
	// The invalid request's nonce altered in its log: its chain value no
	// longer hashes the logged request.
	rollup := bindings.NewRollup()
	fxID := rollup.GetABI().Events["ForcedExitRequested"].ID
	_, err = exodusAuditor(t, x, &logTamper{Client: x.Client, edit: func(l *types.Log) {
		if l.Topics[0] == fxID && len(l.Data) >= 64 {
			l.Data[63] ^= 1 // nonce (the word after the recipient)
		}
	}}).Run(ctx)
	if err == nil {
		t.Fatal("an altered ForcedExitRequested log passed")
	}
	t.Log(err)

	// Exodus: the deposit left in the queue expires; account 2 exits with
	// its frozen balance, the deposit is refunded.
	if _, err := x.Freeze(); err != nil {
		t.Fatal(err)
	}
	acc2, _ := x.State.Account(2)
	claim, proof, err := x.ExitProof(x.L2Keys[1], 2, audittest.UserAddr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.Send(audittest.UserKey, rollup.PackExit(2, audittest.UserAddr, claim.Account.Balance.ToBig(), proof), nil); err != nil {
		t.Fatalf("exit: %v", err)
	}
	d := x.Unconsumed
	if _, err := x.Send(audittest.SeqKey, rollup.PackRefundDeposit(d.QueueIndex, d.PubKey.Bytes(), d.Amount.ToBig(), audittest.UserAddr), nil); err != nil {
		t.Fatalf("refund: %v", err)
	}
	rep, err = exodusAuditor(t, x, x.Client).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Frozen || rep.Exits != 1 || rep.Exited != acc2.Balance.Dec() || rep.Refunds != 1 || rep.Refunded != "42000" {
		t.Fatalf("exodus report %+v", rep)
	}
	exitedID := rollup.GetABI().Events["Exited"].ID
	_, err = exodusAuditor(t, x, &logTamper{Client: x.Client, edit: func(l *types.Log) {
		if l.Topics[0] == exitedID {
			l.Data[31]++ // the balance
		}
	}}).Run(ctx)
	var xe *audit.ExodusError
	if !errors.As(err, &xe) {
		t.Fatalf("an exit of another balance: %v, want an ExodusError", err)
	}
	t.Log(err)
	refundID := rollup.GetABI().Events["DepositRefunded"].ID
	_, err = exodusAuditor(t, x, &logTamper{Client: x.Client, edit: func(l *types.Log) {
		if l.Topics[0] == refundID {
			l.Data[31]-- // the amount
		}
	}}).Run(ctx)
	if !errors.As(err, &xe) {
		t.Fatalf("a refund of another amount: %v, want an ExodusError", err)
	}
	t.Log(err)
}

func exodusAuditorState(t *testing.T, x *audittest.ExodusChain) *audit.State {
	t.Helper()
	a := exodusAuditor(t, x, x.Client)
	if _, err := a.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return a.State()
}
