package e2e

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/audit"
	"github.com/sheafrollup/sheaf/l1/blobs"
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

	for i, k := range userKeys {
		pk := e.l2Keys[i].Public()
		e.transact(k, ether, e.rollup.PackDeposit(protocol.FrToBig(pk.X), protocol.FrToBig(pk.Y)))
	}
	e.waitFor("both deposits on L2", time.Minute, func() (bool, error) {
		e.indexes = e.indexes[:0]
		for _, k := range e.l2Keys {
			idx, err := e.seq.AccountIndex(ctx, k.Public())
			if errors.Is(err, api.ErrNotFound) {
				return false, nil
			} else if err != nil {
				return false, err
			}
			e.indexes = append(e.indexes, idx)
		}
		return true, nil
	})
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

	// The auditor's blob source: the sequencer's blobs, exported.
	dir := t.TempDir()
	blobDir := filepath.Join(dir, "blobs")
	sheaf := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, bin, append([]string{"--log.level", "warn"}, args...)...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		cmd.Env = append(os.Environ(), "SHEAF_L1_RPC="+e.url, "SHEAF_L1_CONTRACT="+e.dep.Rollup.Hex(),
			"SHEAF_AUDIT_FROM_BLOCK="+strconv.FormatUint(e.dep.Block, 10))
		out, err := cmd.Output()
		t.Logf("sheaf %s: %s%s", args[0], stderr.String(), out)
		if err != nil {
			return string(out), &cliError{err, stderr.String()}
		}
		return string(out), nil
	}
	if _, err := sheaf("blobs", "export", "--db.url", e.dbURL, "--blobs.dir", blobDir); err != nil {
		t.Fatal(err)
	}
	keysDir := filepath.Join(dir, "batch-keys")
	if err := e.circuit.Keys.Write(keysDir); err != nil {
		t.Fatal(err)
	}
	auditRun := func() (*audit.Report, error) {
		out, err := sheaf("audit", "--json", "--audit.confirmations", "0", "--audit.vk", keysDir, "--blobs.dir", blobDir)
		var rep audit.Report
		if jerr := json.Unmarshal([]byte(out), &rep); jerr != nil {
			t.Fatalf("audit printed no report: %v (%v)\n%s", jerr, err, out)
		}
		return &rep, err
	}
	rep, err := auditRun()
	if err != nil || !rep.OK || rep.Circuit != blobCfg || rep.LastBatch != uint64(nBatches) || rep.Root != rep.ContractRoot ||
		rep.Transfers != 2 || rep.Withdrawals != 1 || rep.Deposits != 2 {
		t.Fatalf("audit with every blob: %+v, %v", rep, err)
	}

	// The victim: the last batch whose blob holds transfers (one blob of
	// its own; a batch without transfers has the all-zero blob, which
	// other batches share).
	var victim uint64
	var vh common.Hash
	rows, err := e.pool.Query(ctx, `SELECT batch, versioned_hash, blob FROM blobs ORDER BY batch`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n int64
		var h, blob []byte
		if err := rows.Scan(&n, &h, &blob); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(blob, make([]byte, len(blob))) {
			victim, vh = uint64(n), common.BytesToHash(h)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if victim == 0 {
		t.Fatal("no stored blob holds transfers")
	}
	file := filepath.Join(blobDir, blobs.FileName(vh))
	good, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("the export has no file for batch %d's blob: %v", victim, err)
	}
	altered := bytes.Clone(good)
	altered[1] ^= 1 // element 0's second byte: still a field element, another blob
	for _, tc := range []struct {
		name   string
		change func() error
		want   string
	}{
		{"blob file removed", func() error { return os.Remove(file) }, blobs.ErrMissing.Error()},
		{"blob file altered", func() error { return os.WriteFile(file, altered, 0o644) }, blobs.ErrMismatch.Error()},
	} {
		if err := tc.change(); err != nil {
			t.Fatal(err)
		}
		rep, err := auditRun()
		if err == nil || rep.OK || rep.FailedBatch != victim {
			t.Fatalf("%s: audit %+v, %v; want it to fail at batch %d", tc.name, rep, err, victim)
		}
		msg := err.Error()
		for _, s := range []string{fmt.Sprintf("batch %d does not check out", victim), vh.Hex(), tc.want} {
			if !strings.Contains(msg, s) {
				t.Fatalf("%s: audit error %q does not say %q", tc.name, msg, s)
			}
		}
	}
	t.Logf("blob mode end to end in %v", time.Since(start).Round(time.Millisecond))
}
