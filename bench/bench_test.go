package bench

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/sheafrollup/sheaf/protocol"
)

// The benchmarks run end to end at a tiny size so they cannot rot.

func TestIngestSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL: skipped in -short")
	}
	r, err := Ingest(context.Background(), IngestConfig{Clients: 3, TxPerClient: 5,
		Circuit: protocol.Config{Depth: 8, Deposits: 2, Transfers: 4, Withdrawals: 1}, BatchDelay: 50 * time.Millisecond},
		slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if r.Accepted != 15 || r.Rejected != 0 || r.TxPerSecond <= 0 || r.P99Ms < r.P50Ms || r.EdDSAVerifiesPerSec <= 0 {
		t.Fatalf("implausible result %+v", r)
	}
}

func TestRestartSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL: skipped in -short")
	}
	r, err := Restart(context.Background(), "", 200, protocol.Config{Depth: 10, Transfers: 2}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if r.Accounts != 200 || r.StartSeconds <= 0 {
		t.Fatalf("implausible result %+v", r)
	}
}

func TestProverSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL and proves: skipped in -short")
	}
	cfg := protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1} // keys cached by the circuits tests
	r, err := Prover(context.Background(), ProverConfig{Circuit: cfg, Batches: 2}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if r.Batches != 2 || r.PoolSecondsPerBatch <= 0 || r.BareSecondsPerBatch <= 0 || r.OverheadRatio <= 0 || r.TransfersPerSecond <= 0 {
		t.Fatalf("implausible result %+v", r)
	}
}
