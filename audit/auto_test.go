package audit_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto/kzg4844"

	"github.com/sheafrollup/sheaf/audit"
	"github.com/sheafrollup/sheaf/audit/audittest"
	"github.com/sheafrollup/sheaf/exodus"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/blobs"
)

var (
	autoChainOnce sync.Once
	autoChain     *audittest.Chain
	autoChainErr  error
)

// getAutoChain builds the auto-mode history once per package: the four
// batches of getChain, 1 and 3 as calldata, 2 and 4 with a blob, each
// with a real proof of its own twin's circuit.
func getAutoChain(t *testing.T) *audittest.Chain {
	t.Helper()
	if testing.Short() {
		t.Skip("proves four batches of two circuits: skipped in -short")
	}
	autoChainOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		autoChain, autoChainErr = audittest.NewAuto(ctx, audittest.Options{Log: t.Logf})
	})
	if autoChainErr != nil {
		t.Fatal(autoChainErr)
	}
	return autoChain
}

// autoBlobs serves the blobs of the auto chain's blob batches, with batch
// n's replaced by alt[n] (a source that does not check them: the audit's
// own checks must).
func autoBlobs(ch *audittest.Chain, alt map[uint64]*kzg4844.Blob) rawSource {
	s := rawSource{}
	for _, b := range ch.Batches {
		if b.Blob == nil {
			continue
		}
		s[b.VersionedHash] = b.Blob
		if a, ok := alt[b.Number]; ok {
			s[b.VersionedHash] = a
		}
	}
	return s
}

func newAutoAuditor(t *testing.T, ch *audittest.Chain, src blobs.Source, mut func(*audit.Config)) *audit.Auditor {
	t.Helper()
	cfg := audit.DefaultConfig
	cfg.Contract, cfg.FromBlock, cfg.Finality, cfg.Blobs = ch.Deployment.Rollup, ch.Deployment.Block, l1.Finality{}, src
	cfg.BlobVerifyingKey = ch.BlobKeys.VK
	vk := ch.Keys.VK
	if mut != nil {
		mut(&cfg)
	}
	a, err := audit.New(cfg, ch.Client, vk, logger(t))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestAuditAutoPasses: an auto deployment's mixed history audits clean,
// each batch decoded by its function selector and its proof verified
// with its own twin's key; the blobs of the blob batches are all it reads
// from the blob source. exit's rebuild (no keys) reaches the same root.
func TestAuditAutoPasses(t *testing.T) {
	ch := getAutoChain(t)
	var blobBatches int
	for _, b := range ch.Batches {
		if (b.Blob != nil) != (b.Number%2 == 0) {
			t.Fatalf("batch %d: blob %v; the chain alternates, calldata first", b.Number, b.Blob != nil)
		}
		if b.Blob != nil {
			blobBatches++
		}
	}
	src := autoBlobs(ch, nil)
	if len(src) != blobBatches {
		t.Fatalf("%d blobs for %d blob batches", len(src), blobBatches)
	}
	rep, err := newAutoAuditor(t, ch, src, nil).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	last := ch.Batches[len(ch.Batches)-1]
	if !rep.OK || rep.Circuit != audittest.AutoConfig || rep.LastBatch != 4 || rep.Checked != 4 || rep.Root != rep.ContractRoot ||
		rep.Root != rootHex(last.Batch.Header.NewRoot.Bytes()) {
		t.Fatalf("report %+v", rep)
	}
	var deps, trs, wds int
	for _, b := range ch.Batches {
		deps, trs, wds = deps+len(b.Batch.Deposits), trs+len(b.Batch.Transfers), wds+len(b.Batch.Withdrawals)
	}
	if rep.Deposits != uint64(deps) || rep.Transfers != uint64(trs) || rep.Withdrawals != uint64(wds) || rep.Accounts != len(last.Accounts) {
		t.Fatalf("report %+v; the sequencer made %d deposits, %d transfers, %d withdrawals, %d accounts", rep, deps, trs, wds, len(last.Accounts))
	}

	e, err := exodus.New(exodus.Config{Contract: ch.Deployment.Rollup, FromBlock: ch.Deployment.Block, BatchBlocks: 2000, Blobs: src},
		ch.Client, logger(t))
	if err != nil {
		t.Fatal(err)
	}
	st, err := e.Rebuild(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r := st.Root(); r != last.Batch.Header.NewRoot || st.Batch() != last.Number {
		t.Fatalf("rebuilt batch %d root %x, want batch %d root %x", st.Batch(), r.Bytes(), last.Number, last.Batch.Header.NewRoot.Bytes())
	}
}

// TestAuditAutoFails: in a mixed history, a blob batch whose blob is not
// the one posted fails the audit at that batch (the calldata batch before
// it checks out); so does a missing blob; and the keys must be the twins'
// own.
func TestAuditAutoFails(t *testing.T) {
	ch := getAutoChain(t)
	b2, b4 := &ch.Batches[1], &ch.Batches[3]
	altered := *b2.Blob
	altered[1+2] ^= 1 // element 0: transfer 0's bytes
	cases := []struct {
		name   string
		src    blobs.Source
		mut    func(*audit.Config)
		batch  uint64
		reason string
		is     error
	}{
		{name: "batch 2's blob altered", src: autoBlobs(ch, map[uint64]*kzg4844.Blob{2: &altered}), batch: 2, reason: "dataHash"},
		{name: "batch 4's blob is batch 2's", src: autoBlobs(ch, map[uint64]*kzg4844.Blob{4: b2.Blob}), batch: 4, reason: "dataHash"},
		{name: "batch 4's blob missing", src: rawSource{b2.VersionedHash: b2.Blob}, batch: 4, reason: b4.VersionedHash.Hex(), is: blobs.ErrMissing},
		// The calldata twin's key for the blob batches: batch 1 checks
		// out, batch 2's two public inputs do not fit it.
		{name: "calldata key for blob batches", src: autoBlobs(ch, nil), batch: 2, reason: "public inputs", mut: func(c *audit.Config) {
			c.BlobVerifyingKey = ch.Keys.VK
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := newAutoAuditor(t, ch, tc.src, tc.mut).Run(context.Background())
			var be *audit.BatchError
			if !errors.As(err, &be) {
				t.Fatalf("err = %v, want a BatchError", err)
			}
			if be.Batch != tc.batch || rep.FailedBatch != tc.batch || rep.OK || rep.LastBatch != tc.batch-1 {
				t.Fatalf("failed at batch %d (report %d, last good %d), want %d: %v", be.Batch, rep.FailedBatch, rep.LastBatch, tc.batch, err)
			}
			if !strings.Contains(err.Error(), tc.reason) || (tc.is != nil && !errors.Is(err, tc.is)) {
				t.Fatalf("err = %v, want it to say %q", err, tc.reason)
			}
			t.Log(err)
		})
	}

	// Without the blob twin's key the audit does not start: it could not
	// check half the batches.
	if _, err := newAutoAuditor(t, ch, autoBlobs(ch, nil), func(c *audit.Config) { c.BlobVerifyingKey = nil }).Run(context.Background()); err == nil ||
		!strings.Contains(err.Error(), "blob twin's verifying key") {
		t.Fatalf("audit without the blob key: %v", err)
	}
}
