package prover

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// TestBlobBatchProven: a blob-mode batch stored as the sequencer stores it
// (the binary witness, which does not record the data-availability mode;
// the row's configuration does) is proven at the first attempt with the
// blob-mode circuit, not refused as the calldata twin's witness.
func TestBlobBatchProven(t *testing.T) {
	skipSlow(t)
	cfg := testCfg
	cfg.DA = protocol.DABlob
	w, err := protocoltest.NewWorld(cfg, 4, 1_000_000_000)
	if err != nil {
		t.Fatal(err)
	}
	b, err := w.State.ApplyBatch(protocol.BatchInput{FeeAccount: 1, Transfers: []protocol.Transfer{
		w.Transfer(2, 3, 1000, 10, 0), w.Transfer(3, 4, 500, 10, 0)}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := LoadCircuit(context.Background(), cfg, "", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	_, pool := openDB(t)
	insertBatch(t, pool, b, witnessBytes(t, b))
	p, err := New(Config{Circuits: []protocol.Config{cfg}, PollInterval: 200 * time.Millisecond}, pool, []*Circuit{c},
		slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := p.Stop(ctx); err != nil {
			t.Error(err)
		}
	})
	rs := waitJobs(t, pool, time.Minute)
	if len(rs) != 1 || rs[0].JobStatus != "done" || rs[0].BatchStatus != "proven" || rs[0].Attempts != 1 || rs[0].ProofLen != 256 {
		var last string
		if len(rs) == 1 && rs[0].LastError != nil {
			last = *rs[0].LastError
		}
		t.Fatalf("blob batch: %+v (%s), want proven at the first attempt", rs, last)
	}
}
