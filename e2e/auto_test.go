package e2e

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"log/slog"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sheafrollup/sheaf/l1/dafee"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
	"github.com/sheafrollup/sheaf/sequencer"
)

// autoCfg is testCfg as an auto deployment: its twins are testCfg and
// blobCfg, whose keys the other tests cache.
var autoCfg = testCfg.WithDA(protocol.DAAuto)

var _ sequencer.DAChooser = (*protocoltest.AlternatingDA)(nil)

// TestEndToEndAuto: an auto deployment on anvil (two verifiers, one
// contract): batches sealed in either mode are proven by their own
// circuit and sent as submitBatch from the sequencer key or as a blob
// transaction from the blob key (the rollup's blob sequencer), every batch
// is finalized once, `sheaf audit` with both
// verifying keys and the exported blobs passes, and fails naming the batch
// when a blob is missing or altered. The fee chooser, run on anvil's real
// fees, picks calldata for a batch this small.
func TestEndToEndAuto(t *testing.T) {
	if testing.Short() {
		t.Skip("starts anvil, proves batches in both modes and waits for L1 finality: skipped in -short")
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	t.Cleanup(cancel)
	log := slog.New(slog.NewTextHandler(tlog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	bin := buildSheaf(t)

	seqKey, blobKey := mustKey(t, "sheaf e2e auto sequencer"), mustKey(t, "sheaf e2e auto blob sequencer")
	userKeys := []*ecdsa.PrivateKey{mustKey(t, "sheaf e2e auto user 1"), mustKey(t, "sheaf e2e auto user 2")}
	funds := map[*ecdsa.PrivateKey]*big.Int{}
	for _, k := range append([]*ecdsa.PrivateKey{seqKey, blobKey}, userKeys...) {
		funds[k] = new(big.Int).Mul(big.NewInt(100), ether)
	}
	e := startDevnet(t, ctx, log, devnetConfig{circuit: autoCfg, batchDelay: 500 * time.Millisecond,
		seqKey: seqKey, blobKey: blobKey, funds: funds, l2Keys: protocoltest.Keys(31342, 2), daChooser: &protocoltest.AlternatingDA{}})
	if len(e.circuits) != 2 || e.dep.BlobVerifier == (common.Address{}) || e.dep.BlobVerifier == e.dep.Verifier {
		t.Fatalf("auto deployment with %d circuits, verifiers %s and %s", len(e.circuits), e.dep.Verifier, e.dep.BlobVerifier)
	}
	e.depositEach(userKeys)

	// Two rounds, so at least two batches carry transfers: the first a
	// blob, the second calldata.
	fee := big.NewInt(1_000_000_000_000)
	e.waitFinalized([]common.Hash{e.transfer(1, 0, wei(300), fee)}, finalizeDeadline)
	recipient := crypto.PubkeyToAddress(mustKey(t, "sheaf e2e auto recipient").PublicKey)
	e.waitFinalized([]common.Hash{e.transfer(0, 1, wei(100), fee), e.withdraw(1, recipient, wei(50), fee)}, finalizeDeadline)

	rows, err := e.pool.Query(ctx, `SELECT b.number, b.config, b.tx_count, b.new_root, s.blob_gas_used, s.gas_used, s.sender
		FROM batches b JOIN l1_submissions s ON s.batch_number = b.number AND s.status = 'finalized' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	modes := map[string]int{}
	var last int64
	var lastRoot []byte
	for rows.Next() {
		var n, txs, gas int64
		var blobGas *int64
		var cfgJSON, sender []byte
		if err := rows.Scan(&n, &cfgJSON, &txs, &lastRoot, &blobGas, &gas, &sender); err != nil {
			t.Fatal(err)
		}
		var c protocol.Config
		if err := json.Unmarshal(cfgJSON, &c); err != nil {
			t.Fatal(err)
		}
		if n != last+1 {
			t.Fatalf("finalized batches jump from %d to %d (or one was finalized twice)", last, n)
		}
		last = n
		if !autoCfg.Deployment(c) {
			t.Fatalf("batch %d sealed as %s, not a mode of %s", n, c, autoCfg)
		}
		sentAsBlob := blobGas != nil && *blobGas > 0
		if sentAsBlob != c.Blob() {
			t.Fatalf("batch %d of %s went out with %v blob gas", n, c, blobGas)
		}
		// Each kind from its own key: the contract takes blob batches
		// from its blob sequencer, calldata batches from its sequencer.
		want := crypto.PubkeyToAddress(seqKey.PublicKey)
		if c.Blob() {
			want = crypto.PubkeyToAddress(blobKey.PublicKey)
		}
		if common.BytesToAddress(sender) != want {
			t.Fatalf("batch %d of %s sent by %x, want %s", n, c, sender, want)
		}
		if txs > 0 {
			modes[c.String()]++
		}
		t.Logf("batch %d: %s, %d transfers and withdrawals, %d gas, blob gas %v", n, c, txs, gas, blobGas)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if modes[blobCfg.String()] == 0 || modes[testCfg.String()] == 0 {
		t.Fatalf("batches with transfers per mode: %v; want both", modes)
	}
	root, err := e.rollup.UnpackStateRoot(e.call(e.rollup.PackStateRoot()))
	if err != nil {
		t.Fatal(err)
	}
	if common.Hash(root) != common.BytesToHash(lastRoot) {
		t.Fatalf("contract stateRoot %x, last batch's new_root %x", root, lastRoot)
	}

	// The production chooser reads anvil's base fee and blob base fee and
	// prices a two-transfer section: calldata is cheaper.
	ch, err := dafee.New(e.client, dafee.DefaultConfig, log)
	if err != nil {
		t.Fatal(err)
	}
	section := make([]byte, 2*testCfg.TransferBytes())
	for i := range section {
		section[i] = byte(i + 1)
	}
	calldata, blob, ok := ch.Costs(ctx, 2, section)
	if !ok || calldata.Cmp(blob) >= 0 {
		t.Fatalf("fee chooser on anvil: calldata %v, blob %v, fees read %v", calldata, blob, ok)
	}
	if mode, err := ch.ChooseDA(ctx, autoCfg, 2, section); err != nil || mode == protocol.DABlob {
		t.Fatalf("fee chooser picked %q (%v) for two transfers", mode, err)
	}

	auditRun, blobDir := e.blobAuditor(bin)
	rep, err := auditRun()
	if err != nil || !rep.OK || rep.Circuit != autoCfg || rep.LastBatch != uint64(last) || rep.Root != rep.ContractRoot ||
		rep.Transfers != 2 || rep.Withdrawals != 1 || rep.Deposits != 2 {
		t.Fatalf("audit with every blob: %+v, %v", rep, err)
	}
	e.blobAuditFails(blobDir, auditRun)
	t.Logf("auto mode end to end in %v", time.Since(start).Round(time.Millisecond))
}
