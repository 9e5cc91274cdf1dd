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

// TestAutoDeploymentProvesBothModes: a pool for an auto deployment holds
// both of its circuits (Modes) and proves a batch sealed as calldata and
// the next sealed as a blob, each with its own circuit, at the first
// attempt; the deployment configuration itself is no circuit.
func TestAutoDeploymentProvesBothModes(t *testing.T) {
	auto := testCfg.WithDA(protocol.DAAuto)
	if err := (Config{Circuits: []protocol.Config{auto}}).Check(); err == nil {
		t.Fatal("a pool accepted the auto deployment as a circuit")
	}
	skipSlow(t)
	// Sealed as the sequencer seals an auto deployment: applied to the
	// deployment's state, then given the chosen mode.
	w, err := protocoltest.NewWorld(auto, 4, 1_000_000_000)
	if err != nil {
		t.Fatal(err)
	}
	_, pool := openDB(t)
	modes := auto.Modes()
	for i, mode := range modes {
		b, err := w.State.ApplyBatch(protocol.BatchInput{FeeAccount: 1, Transfers: []protocol.Transfer{
			w.Transfer(2, 3, uint64(1000+i), 10, 0), w.Transfer(3, 4, 500, 10, 0)}})
		if err != nil {
			t.Fatal(err)
		}
		b.Config = mode
		insertBatch(t, pool, b, witnessBytes(t, b))
	}
	var loaded []*Circuit
	for _, m := range modes {
		c, err := LoadCircuit(context.Background(), m, "", slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		loaded = append(loaded, c)
	}
	p, err := New(Config{Circuits: modes, PollInterval: 200 * time.Millisecond}, pool, loaded,
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
	rs := waitJobs(t, pool, 2*time.Minute)
	if len(rs) != len(modes) {
		t.Fatalf("%d jobs, want %d", len(rs), len(modes))
	}
	for i, r := range rs {
		if r.JobStatus != "done" || r.BatchStatus != "proven" || r.Attempts != 1 || r.ProofLen != 256 {
			var last string
			if r.LastError != nil {
				last = *r.LastError
			}
			t.Errorf("batch %d (%s): %+v (%s), want proven at the first attempt", r.Number, modes[i], r, last)
		}
	}
}
