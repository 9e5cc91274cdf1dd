package e2e

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"log/slog"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// blobCfg is testCfg in blob mode: the transfer section goes in a blob
// (its keys are cached on disk like testCfg's).
var blobCfg = func() protocol.Config {
	c := testCfg
	c.DA = protocol.DABlob
	return c
}()

// TestEndToEndBlob: the rollup in blob mode on anvil (whose version-1
// sidecar support this is the test of): deposits, transfers and a
// withdrawal are proven with the blob-mode circuit and every batch goes to
// L1 as a blob transaction (submitBlobBatch, blob gas paid) and is
// finalized. Then `sheaf blobs export` writes the sequencer's stored
// blobs to a directory and `sheaf audit --blobs.dir` rebuilds the state
// from L1 and that directory and passes; with one batch's blob file
// removed, and then altered, the audit fails naming that batch.
func TestEndToEndBlob(t *testing.T) {
	if testing.Short() {
		t.Skip("starts anvil, proves blob-mode batches and waits for L1 finality: skipped in -short")
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	t.Cleanup(cancel)
	log := slog.New(slog.NewTextHandler(tlog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	bin := buildSheaf(t)
	t.Logf("built sheaf (%v)", time.Since(start).Round(time.Millisecond))

	seqKey := mustKey(t, "sheaf e2e blob sequencer")
	userKeys := []*ecdsa.PrivateKey{mustKey(t, "sheaf e2e blob user 1"), mustKey(t, "sheaf e2e blob user 2")}
	funds := map[*ecdsa.PrivateKey]*big.Int{}
	for _, k := range append([]*ecdsa.PrivateKey{seqKey}, userKeys...) {
		funds[k] = new(big.Int).Mul(big.NewInt(100), ether)
	}
	e := startDevnet(t, ctx, log, devnetConfig{circuit: blobCfg, batchDelay: 500 * time.Millisecond,
		seqKey: seqKey, funds: funds, l2Keys: protocoltest.Keys(31341, 2)})
	if !e.circuit.Config.Blob() {
		t.Fatalf("circuit %s is not in blob mode", e.circuit.Config)
	}

	e.depositEach(userKeys)
	fee := big.NewInt(1_000_000_000_000)
	recipient := crypto.PubkeyToAddress(mustKey(t, "sheaf e2e blob recipient").PublicKey)
	e.waitFinalized([]common.Hash{
		e.transfer(1, 0, wei(300), fee),
		e.transfer(0, 1, wei(100), fee),
		e.withdraw(1, recipient, wei(50), fee),
	}, finalizeDeadline)
	var nBatches int64
	var lastRoot []byte
	if err := e.pool.QueryRow(ctx, `SELECT number, new_root FROM batches ORDER BY number DESC LIMIT 1`).Scan(&nBatches, &lastRoot); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d batches finalized on L1 (%v)", nBatches, time.Since(start).Round(time.Millisecond))
	root, err := e.rollup.UnpackStateRoot(e.call(e.rollup.PackStateRoot()))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(root[:], lastRoot) {
		t.Fatalf("contract stateRoot %x, last batch's new_root %x", root, lastRoot)
	}
	// Every batch went as a blob transaction, its blob gas paid.
	var blobTxs int64
	if err := e.pool.QueryRow(ctx, `SELECT count(DISTINCT batch_number) FROM l1_submissions
		WHERE status = 'finalized' AND blob_gas_used > 0`).Scan(&blobTxs); err != nil {
		t.Fatal(err)
	}
	if blobTxs != nBatches {
		t.Fatalf("%d batches finalized by a blob transaction, want all %d", blobTxs, nBatches)
	}
	gas, err := e.pool.Query(ctx, `SELECT s.batch_number, s.gas_used, s.blob_gas_used, b.deposit_count, b.tx_count
		FROM l1_submissions s JOIN batches b ON b.number = s.batch_number WHERE s.status = 'finalized' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	for gas.Next() {
		var n, used, blobGas, deposits, txs int64
		if err := gas.Scan(&n, &used, &blobGas, &deposits, &txs); err != nil {
			t.Fatal(err)
		}
		t.Logf("batch %d (%d deposits, %d transfers and withdrawals): submitBlobBatch used %d gas and %d blob gas", n, deposits, txs, used, blobGas)
	}
	if err := gas.Err(); err != nil {
		t.Fatal(err)
	}

	auditRun, blobDir := e.blobAuditor(bin)
	rep, err := auditRun()
	if err != nil || !rep.OK || rep.Circuit != blobCfg || rep.LastBatch != uint64(nBatches) || rep.Root != rep.ContractRoot ||
		rep.Transfers != 2 || rep.Withdrawals != 1 || rep.Deposits != 2 {
		t.Fatalf("audit with every blob: %+v, %v", rep, err)
	}

	e.blobAuditFails(blobDir, auditRun)
	t.Logf("blob mode end to end in %v", time.Since(start).Round(time.Millisecond))
}
