package devnet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testConfig is a devnet on circ with demo traffic, two wallets, fast
// blocks and free local ports, in a test folder.
func testConfig(t *testing.T, circ protocol.Config) Config {
	t.Helper()
	cfg := DefaultConfig
	cfg.Circuit = circ
	cfg.Dir = t.TempDir()
	// As root the cluster runs as the postgres user, which must reach it.
	for _, d := range []string{filepath.Dir(cfg.Dir), cfg.Dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cfg.L1Addr, cfg.RPCAddr, cfg.MetricsAddr, cfg.BeaconAddr = freeAddr(t), freeAddr(t), freeAddr(t), freeAddr(t)
	cfg.BlockTime = 200 * time.Millisecond
	cfg.Wallets = 2
	cfg.Demo = true
	return cfg
}

// TestDevnetFinalizesBatches runs the whole devnet (PostgreSQL, simulated
// L1 over HTTP, contracts, watcher, sequencer, prover, submitter, API) on
// the smallest circuit with every slot kind until a batch is finalized on
// L1, with the demo traffic on.
func TestDevnetFinalizesBatches(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every service and proves batches: skipped in -short")
	}
	var out syncBuf
	log := slog.New(slog.NewTextHandler(&out, nil))
	cfg := testConfig(t, protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1})
	cfg.StopAfter = 2
	// The printed audit command's --l1.beacon answers once the devnet runs.
	beaconErr := errors.New("OnReady not called")
	cfg.OnReady = func() {
		resp, err := http.Get("http://" + cfg.BeaconAddr + "/eth/v1/beacon/genesis")
		if err != nil {
			beaconErr = err
			return
		}
		resp.Body.Close()
		beaconErr = nil
		if resp.StatusCode != http.StatusOK {
			beaconErr = fmt.Errorf("HTTP %d", resp.StatusCode)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	if err := Run(ctx, cfg, log); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if ctx.Err() != nil {
		t.Fatalf("no batch finalized in time\n%s", out.String())
	}
	if beaconErr != nil {
		t.Fatalf("beacon endpoint: %v", beaconErr)
	}
	if _, err := l1.ReadDeployment(filepath.Join(cfg.Dir, "deployment.json")); err != nil {
		t.Fatal(err)
	}
	if _, err := keys.LoadVerifyingKey(filepath.Join(cfg.Dir, "verifying.key")); err != nil {
		t.Fatalf("verifying key for auditors: %v", err)
	}
	wallets, _ := filepath.Glob(filepath.Join(cfg.Dir, "wallets", "wallet-*.json"))
	if len(wallets) != 2 {
		t.Fatalf("%d wallet files, want 2", len(wallets))
	}
	if st, err := os.Stat(wallets[0]); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("wallet file mode: %v %v", st.Mode(), err)
	}
	if !strings.Contains(out.String(), "contracts deployed") {
		t.Fatalf("no deployment in the log\n%s", out.String())
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
	bad = DefaultConfig
	bad.L1Addr = "nonsense"
	if err := bad.Check(); err == nil {
		t.Fatal("bad L1 address accepted")
	}
	if err := DefaultConfig.Check(); err != nil {
		t.Fatal(err)
	}
}
