package devnet

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/sheafrollup/sheaf/protocol"
)

// TestRunProvesBatches runs the devnet for two batches on the smallest
// circuit with every slot kind and checks each batch was proven.
func TestRunProvesBatches(t *testing.T) {
	if testing.Short() {
		t.Skip("proves batches: skipped in -short")
	}
	var out bytes.Buffer
	log := slog.New(slog.NewTextHandler(&out, nil))
	cfg := DefaultConfig
	cfg.Circuit = protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1}
	cfg.Wallets = 4
	cfg.Batches = 2
	cfg.Interval = 0
	if err := Run(context.Background(), cfg, log); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "batch proven and verified"); n != 2 {
		t.Fatalf("%d batches proven, want 2\n%s", n, out.String())
	}
}

func TestConfigCheck(t *testing.T) {
	bad := DefaultConfig
	bad.Wallets = 1
	if err := bad.Check(); err == nil {
		t.Fatal("1 wallet accepted")
	}
	bad = DefaultConfig
	bad.Circuit.Depth = 1
	if err := bad.Check(); err == nil {
		t.Fatal("depth 1 accepted")
	}
	if err := DefaultConfig.Check(); err != nil {
		t.Fatal(err)
	}
}
