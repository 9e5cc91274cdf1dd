package audit_test

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/audit"
	"github.com/sheafrollup/sheaf/audit/audittest"
	"github.com/sheafrollup/sheaf/exodus"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/l1/blobs"
	"github.com/sheafrollup/sheaf/protocol/blob"
)

var (
	blobChainOnce sync.Once
	blobChain     *audittest.Chain
	blobChainErr  error
)

// getBlobChain builds the blob-mode history once per package: the four
// batches of getChain, each in a blob transaction with a real proof of
// the blob-mode circuit.
func getBlobChain(t *testing.T) *audittest.Chain {
	t.Helper()
	if testing.Short() {
		t.Skip("proves four blob-mode batches: skipped in -short")
	}
	blobChainOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		blobChain, blobChainErr = audittest.NewBlob(ctx, audittest.Options{Log: t.Logf})
	})
	if blobChainErr != nil {
		t.Fatal(blobChainErr)
	}
	return blobChain
}

// blobDir is a blob directory (the --blobs.dir layout) holding the blobs
// of the batches named (all when none is).
func blobDir(t *testing.T, ch *audittest.Chain, batches ...uint64) blobs.Source {
	t.Helper()
	dir := t.TempDir()
	for _, b := range ch.Batches {
		if len(batches) > 0 && !contains(batches, b.Number) {
			continue
		}
		if err := blobs.WriteFile(dir, b.VersionedHash, b.Blob); err != nil {
			t.Fatal(err)
		}
	}
	src, err := blobs.NewDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func contains(s []uint64, v uint64) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func newBlobAuditor(t *testing.T, c audit.Client, src blobs.Source, statePath ...string) *audit.Auditor {
	t.Helper()
	ch := getBlobChain(t)
	cfg := audit.DefaultConfig
	cfg.Contract = ch.Deployment.Rollup
	cfg.FromBlock = ch.Deployment.Block
	cfg.Finality = l1.Finality{}
	cfg.Blobs = src
	if len(statePath) > 0 {
		cfg.StatePath = statePath[0]
	}
	a, err := audit.New(cfg, c, ch.Keys.VK, logger(t))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestAuditBlobPasses: a blob-mode rollup audits clean from L1 and a blob
// directory, with the same totals and accounts as the calldata-mode
// history of the same batches (the transfer count comes from the blobs);
// a run resumed from a saved point reads only the later batches' blobs.
func TestAuditBlobPasses(t *testing.T) {
	ch := getBlobChain(t)
	rep, err := newBlobAuditor(t, ch.Client, blobDir(t, ch)).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	last := ch.Batches[len(ch.Batches)-1]
	if !rep.OK || rep.Circuit != audittest.BlobConfig || rep.LastBatch != 4 || rep.Checked != 4 {
		t.Fatalf("report %+v", rep)
	}
	if rep.Root != rootHex(last.Batch.Header.NewRoot.Bytes()) || rep.Root != rep.ContractRoot {
		t.Fatalf("root %s, want %x (contract %s)", rep.Root, last.Batch.Header.NewRoot.Bytes(), rep.ContractRoot)
	}
	var deps, trs, wds int
	for _, b := range ch.Batches {
		deps, trs, wds = deps+len(b.Batch.Deposits), trs+len(b.Batch.Transfers), wds+len(b.Batch.Withdrawals)
	}
	if rep.Deposits != uint64(deps) || rep.Transfers != uint64(trs) || rep.Withdrawals != uint64(wds) || rep.Accounts != len(last.Accounts) {
		t.Fatalf("report %+v; the sequencer made %d deposits, %d transfers, %d withdrawals, %d accounts", rep, deps, trs, wds, len(last.Accounts))
	}
	a := newBlobAuditor(t, ch.Client, blobDir(t, ch))
	if _, err := a.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i, want := range last.Accounts {
		if got, ok := a.State().Account(uint32(i + 1)); !ok || got != want {
			t.Fatalf("account %d: %+v, sequencer has %+v", i+1, got, want)
		}
	}

	// Resuming from a saved point needs only the later batches' blobs.
	path := filepath.Join(t.TempDir(), "audit.json")
	first := newBlobAuditor(t, &tamperClient{Client: ch.Client, head: ch.Batches[1].Block}, blobDir(t, ch, 1, 2), path)
	if r, err := first.Run(context.Background()); err != nil || r.LastBatch != 2 {
		t.Fatalf("first run to batch 2: %+v, %v", r, err)
	}
	r, err := newBlobAuditor(t, ch.Client, blobDir(t, ch, 3, 4), path).Run(context.Background())
	if err != nil || r.ResumedFrom != 2 || r.Checked != 2 || r.Root != rep.Root {
		t.Fatalf("resumed run: %+v, %v", r, err)
	}
}

// rawSource serves the blobs it holds without checking them against
// their versioned hashes (a source that broke its contract): the audit's
// own checks must still catch a wrong blob.
type rawSource map[common.Hash]*kzg4844.Blob

func (s rawSource) Blob(_ context.Context, ref blobs.Ref) (*kzg4844.Blob, error) {
	if b, ok := s[ref.VersionedHash]; ok {
		return b, nil
	}
	return nil, &blobs.Error{Ref: ref, Source: s.String(), Err: blobs.ErrMissing}
}

func (rawSource) String() string { return "unchecked test source" }

// blobTamper alters a blob transaction's calldata, keeping its blob
// hashes (or dropping them with noBlobs).
type blobTamper struct {
	audit.Client
	tx      common.Hash
	data    []byte
	noBlobs bool
}

func (c *blobTamper) TransactionByHash(ctx context.Context, h common.Hash) (*types.Transaction, bool, error) {
	tx, pending, err := c.Client.TransactionByHash(ctx, h)
	if err != nil || h != c.tx {
		return tx, pending, err
	}
	data := c.data
	if data == nil {
		data = tx.Data()
	}
	if c.noBlobs {
		return types.NewTx(&types.DynamicFeeTx{ChainID: tx.ChainId(), Nonce: tx.Nonce(), To: tx.To(), Gas: tx.Gas(),
			GasFeeCap: tx.GasFeeCap(), GasTipCap: tx.GasTipCap(), Data: data}), pending, nil
	}
	return types.NewTx(&types.BlobTx{ChainID: uint256.MustFromBig(tx.ChainId()), Nonce: tx.Nonce(), To: *tx.To(), Gas: tx.Gas(),
		GasFeeCap: uint256.MustFromBig(tx.GasFeeCap()), GasTipCap: uint256.MustFromBig(tx.GasTipCap()), Data: data,
		BlobFeeCap: uint256.MustFromBig(tx.BlobGasFeeCap()), BlobHashes: tx.BlobHashes()}), pending, nil
}

// repackBlob is batch b's submitBlobBatch calldata with mut applied to
// its decoded arguments.
func repackBlob(t *testing.T, ch *audittest.Chain, b *audittest.Batch, mut func(c *l1.BlobBatchCall)) []byte {
	t.Helper()
	ctx := context.Background()
	tx, _, err := ch.Client.TransactionByHash(ctx, b.Tx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := l1.DecodeBlobBatchCall(audittest.BlobConfig, tx.Data())
	if err != nil {
		t.Fatal(err)
	}
	mut(c)
	return bindings.NewRollup().PackSubmitBlobBatch(c.Head(), c.NewRoot, c.DataHash, c.V, c.Data())
}

// TestAuditBlobFails: each way a blob-mode batch can fail to check out
// fails the audit at that batch, with the blob named.
func TestAuditBlobFails(t *testing.T) {
	ch := getBlobChain(t)
	b2, b3 := &ch.Batches[1], &ch.Batches[2]
	cfg := audittest.BlobConfig
	k := cfg.BlobChunks()
	size := cfg.Transfers * cfg.TransferBytes()
	if size%blob.ChunkBytes == 0 {
		t.Fatalf("the transfer section fills its last chunk: no padding to alter")
	}
	all := rawSource{}
	for _, b := range ch.Batches {
		all[b.VersionedHash] = b.Blob
	}
	// with serves every blob, with batch b's replaced.
	with := func(b *audittest.Batch, bl *kzg4844.Blob) rawSource {
		s := rawSource{}
		for h, v := range all {
			s[h] = v
		}
		s[b.VersionedHash] = bl
		return s
	}
	edit := func(b *audittest.Batch, f func(*kzg4844.Blob)) *kzg4844.Blob {
		bl := *b.Blob
		f(&bl)
		return &bl
	}
	// Batch 3 uses one of its two transfer slots: slot 1 is padding.
	if len(b3.Batch.Transfers) != 1 {
		t.Fatalf("batch 3 has %d transfers, the test wants one", len(b3.Batch.Transfers))
	}
	slot1 := cfg.TransferBytes() + cfg.IndexBytes() // slot 1's recipient, in the section
	dirAltered := t.TempDir()
	// Batch 3's blob under batch 2's name: what the file claims to be is
	// checked against L1's versioned hash.
	if err := os.WriteFile(filepath.Join(dirAltered, blobs.FileName(b2.VersionedHash)), b3.Blob[:], 0o644); err != nil {
		t.Fatal(err)
	}
	altered, err := blobs.NewDir(dirAltered)
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name   string
		batch  *audittest.Batch
		src    blobs.Source
		client func() audit.Client
		is     error  // errors.Is target, if any
		reason string // in the error
	}{
		{name: "no blob source", batch: &ch.Batches[0], is: blobs.ErrMissing, reason: ch.Batches[0].VersionedHash.Hex()},
		{name: "blob missing from the directory", batch: b2, src: blobDir(t, ch, 1), is: blobs.ErrMissing, reason: b2.VersionedHash.Hex()},
		// The altered file first; the other blobs from a second directory,
		// which lacks batch 2's: both reasons are kept.
		{name: "altered blob in the directory", batch: b2, src: blobs.Chain{altered, blobDir(t, ch, 1, 3, 4)}, is: blobs.ErrMismatch, reason: b2.VersionedHash.Hex()},
		{name: "unchecked source: another batch's blob", batch: b2, src: with(b2, b3.Blob), reason: "dataHash"},
		{name: "unchecked source: data beyond the used elements", batch: b2,
			src: with(b2, edit(b2, func(b *kzg4844.Blob) { b[32*k+31] = 1 })), reason: fmt.Sprintf("element %d is not zero: data beyond", k)},
		{name: "unchecked source: last chunk's padding not zero", batch: b2,
			src: with(b2, edit(b2, func(b *kzg4844.Blob) { b[32*(k-1)+1+size%blob.ChunkBytes] = 1 })), reason: fmt.Sprintf("element %d: the zero padding", k-1)},
		{name: "unchecked source: non-zero top byte", batch: b2,
			src: with(b2, edit(b2, func(b *kzg4844.Blob) { b[0] = 1 })), reason: "top byte"},
		{name: "unchecked source: padding slot not zero", batch: b3,
			src: with(b3, edit(b3, func(b *kzg4844.Blob) { b[32*(slot1/31)+1+slot1%31] = 1 })), reason: "transfer slot 1 (after the 1 real ones) is not all zero"},
		{name: "calldata V is not the blob's", batch: b2, client: func() audit.Client {
			return &blobTamper{Client: ch.Client, tx: b2.Tx, data: repackBlob(t, ch, b2, func(c *l1.BlobBatchCall) { c.V = new(big.Int).Add(c.V, big.NewInt(1)) })}
		}, reason: "calldata V"},
		{name: "calldata dataHash is not the blob's", batch: b2, client: func() audit.Client {
			return &blobTamper{Client: ch.Client, tx: b2.Tx, data: repackBlob(t, ch, b2, func(c *l1.BlobBatchCall) { c.DataHash[31] ^= 1 })}
		}, reason: "calldata dataHash"},
		{name: "another batch's proof", batch: b3, client: func() audit.Client {
			return &blobTamper{Client: ch.Client, tx: b3.Tx, data: repackBlob(t, ch, b3, func(c *l1.BlobBatchCall) { c.Proof = b2.Proof })}
		}, reason: "two public inputs"},
		{name: "KZG proof bytes altered", batch: b3, client: func() audit.Client {
			return &blobTamper{Client: ch.Client, tx: b3.Tx, data: repackBlob(t, ch, b3, func(c *l1.BlobBatchCall) {
				kzg := append([]byte{}, c.KZG...)
				kzg[95] ^= 1
				c.KZG = kzg
			})}
		}, reason: "KZG opening"},
		{name: "transaction without a blob", batch: b2, client: func() audit.Client {
			return &blobTamper{Client: ch.Client, tx: b2.Tx, noBlobs: true}
		}, reason: "carries 0 blobs"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := tc.src
			if src == nil && tc.client != nil {
				src = all
			}
			var c audit.Client = ch.Client
			if tc.client != nil {
				c = tc.client()
			}
			rep, err := newBlobAuditor(t, c, src).Run(context.Background())
			var be *audit.BatchError
			if !errors.As(err, &be) {
				t.Fatalf("err = %v, want a BatchError", err)
			}
			if be.Batch != tc.batch.Number || rep.FailedBatch != tc.batch.Number || rep.OK || rep.LastBatch != tc.batch.Number-1 {
				t.Fatalf("failed at batch %d (report %d, last good %d), want %d: %v", be.Batch, rep.FailedBatch, rep.LastBatch, tc.batch.Number, err)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want errors.Is %v", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.reason) || !strings.Contains(err.Error(), fmt.Sprintf("batch %d", tc.batch.Number)) {
				t.Fatalf("err = %v, want it to name batch %d and say %q", err, tc.batch.Number, tc.reason)
			}
			t.Log(err)
		})
	}
}

// TestExitRebuildBlob: `sheaf exit`'s rebuild (exodus.Exiter.Rebuild, the
// audit engine without a verifying key) reads the blobs from
// exodus.Config.Blobs and reaches the contract's root; without a source
// it fails naming the first batch's blob.
func TestExitRebuildBlob(t *testing.T) {
	ch := getBlobChain(t)
	ctx := context.Background()
	rebuild := func(src blobs.Source) (*audit.State, error) {
		e, err := exodus.New(exodus.Config{Contract: ch.Deployment.Rollup, FromBlock: ch.Deployment.Block, BatchBlocks: 2000, Blobs: src},
			ch.Client, logger(t))
		if err != nil {
			t.Fatal(err)
		}
		return e.Rebuild(ctx)
	}
	st, err := rebuild(blobDir(t, ch))
	if err != nil {
		t.Fatal(err)
	}
	last := ch.Batches[len(ch.Batches)-1]
	if r := st.Root(); r != last.Batch.Header.NewRoot || st.Batch() != last.Number {
		t.Fatalf("rebuilt batch %d root %x, want batch %d root %x", st.Batch(), r.Bytes(), last.Number, last.Batch.Header.NewRoot.Bytes())
	}
	_, err = rebuild(nil)
	var be *audit.BatchError
	if !errors.As(err, &be) || be.Batch != 1 || !errors.Is(err, blobs.ErrMissing) {
		t.Fatalf("rebuild without a blob source: %v", err)
	}
}

// TestExitBlobChain: `sheaf exit` on a frozen blob-mode rollup. The
// exiter rebuilds the state from L1 and the blob directory, proves and
// sends account 2's exit and refunds the unconsumed deposit; the audit
// then checks the exodus events against the rebuilt state. Without a
// blob source the exit stops at batch 1's blob.
func TestExitBlobChain(t *testing.T) {
	if testing.Short() {
		t.Skip("proves four blob-mode batches and an exit: skipped in -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	x, err := audittest.NewBlobExodus(ctx, audittest.Options{Log: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if _, err := x.Freeze(); err != nil {
		t.Fatal(err)
	}
	keysDir := filepath.Join(t.TempDir(), "exit-keys")
	if err := x.ExitKeys.Write(keysDir); err != nil {
		t.Fatal(err)
	}
	src := blobDir(t, x.Chain)
	recipient := common.HexToAddress("0x00000000000000000000000000000000000e0e02")
	exit := func(src blobs.Source) (*exodus.Result, error) {
		e, err := exodus.New(exodus.Config{Contract: x.Deployment.Rollup, FromBlock: x.Deployment.Block, BatchBlocks: 2000, Blobs: src},
			x.Client, logger(t))
		if err != nil {
			t.Fatal(err)
		}
		return e.Run(ctx, exodus.Request{Key: &x.L2Keys[1], Recipient: recipient, Sender: audittest.UserKey, KeysDir: keysDir})
	}
	x.Sim.Mine(50 * time.Millisecond) // the exiter waits for its receipts
	defer x.Sim.StopMining()
	if _, err := exit(nil); !errors.Is(err, blobs.ErrMissing) {
		t.Fatalf("exit without a blob source: %v, want the first batch's blob missing", err)
	}
	res, err := exit(src)
	if err != nil {
		t.Fatal(err)
	}
	acc := x.Batches[len(x.Batches)-1].Accounts[1]
	if res.Index != 2 || res.Balance != acc.Balance.Dec() || len(res.Refunds) != 1 {
		t.Fatalf("exit %+v; want account 2's balance %s and one refund", res, acc.Balance.Dec())
	}
	cfg := audit.DefaultConfig
	cfg.Contract, cfg.FromBlock, cfg.Finality, cfg.Blobs = x.Deployment.Rollup, x.Deployment.Block, l1.Finality{}, src
	a, err := audit.New(cfg, x.Client, x.Keys.VK, logger(t))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := a.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK || !rep.Frozen || rep.Exits != 1 || rep.Exited != acc.Balance.Dec() || rep.Refunds != 1 {
		t.Fatalf("audit after the exit: %+v", rep)
	}
}
