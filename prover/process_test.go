package prover

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sheafrollup/sheaf/db"
	"github.com/sheafrollup/sheaf/internal/childtest"
	"github.com/sheafrollup/sheaf/protocol"
)

// childEnv makes the test binary run a prover process instead of tests
// (see TestMain): the tests need real processes to SIGKILL.
const (
	childEnv      = "SHEAF_TEST_PROVER_CHILD"
	childOwnerEnv = "SHEAF_TEST_PROVER_OWNER"
	childLeaseEnv = "SHEAF_TEST_PROVER_LEASE"
)

var (
	circuitOnce sync.Once
	circuitVal  *Circuit
	circuitErr  error
)

// testCircuit loads testCfg once per process (keys from the machine's
// development key cache: the setup runs once per machine).
func testCircuit(tb testing.TB) *Circuit {
	tb.Helper()
	circuitOnce.Do(func() {
		circuitVal, circuitErr = LoadCircuit(context.Background(), testCfg, "", slog.New(slog.DiscardHandler))
	})
	if circuitErr != nil {
		tb.Fatal(circuitErr)
	}
	return circuitVal
}

func runChild(url string) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	lease, err := time.ParseDuration(os.Getenv(childLeaseEnv))
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	pool, err := db.Open(ctx, db.Config{URL: url, MaxConns: 4}, nil)
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	defer pool.Close()
	c, err := LoadCircuit(ctx, testCfg, "", slog.New(slog.DiscardHandler))
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	cfg := Config{Circuits: []protocol.Config{testCfg}, Lease: lease, RenewEvery: lease / 4,
		PollInterval: 500 * time.Millisecond, Owner: os.Getenv(childOwnerEnv)}
	p, err := New(cfg, pool, []*Circuit{c}, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})), nil)
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	if err := p.Start(ctx); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("ready")
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.Stop(sctx); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	return 0
}

func skipSlow(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("real Groth16 proving: skipped in -short")
	}
}

// TestTwoProcessesProveEachBatchOnce: two prover processes share a stream
// of batches through PostgreSQL alone; every batch is proven exactly once,
// at the first attempt, and its stored proof is the 256-byte Solidity one.
func TestTwoProcessesProveEachBatchOnce(t *testing.T) {
	skipSlow(t)
	url, pool := openDB(t)
	a := startChild(t, url, "A", 20*time.Second)
	b := startChild(t, url, "B", 20*time.Second)
	a.Await(t, "ready", 2*time.Minute)
	b.Await(t, "ready", 2*time.Minute)
	for _, bt := range makeBatches(t, 4) {
		insertBatch(t, pool, bt, witnessBytes(t, bt))
		time.Sleep(300 * time.Millisecond) // a stream, not a burst
	}
	rs := waitJobs(t, pool, 90*time.Second)
	owners := map[string]int{}
	for _, r := range rs {
		if r.JobStatus != "done" || r.BatchStatus != "proven" || r.Attempts != 1 || r.ProvenTimes != 1 || r.ProofLen != 256 {
			t.Errorf("batch %d: %+v, want done/proven at attempt 1, proven once, 256-byte proof", r.Number, r)
		}
		if r.Owner != nil {
			owners[strings.SplitN(*r.Owner, "-", 2)[0]]++
		}
	}
	t.Logf("batches proven per process: %v", owners)
}

// TestKilledWorkerBatchProvenOnce: a prover SIGKILLed in the middle of a
// proof leaves a lease that expires; the other process takes the batch
// over and every batch ends proven exactly once.
func TestKilledWorkerBatchProvenOnce(t *testing.T) {
	skipSlow(t)
	url, pool := openDB(t)
	const lease = 2 * time.Second
	a := startChild(t, url, "A", lease)
	a.Await(t, "ready", 2*time.Minute)
	bts := makeBatches(t, 3)
	for _, bt := range bts {
		insertBatch(t, pool, bt, witnessBytes(t, bt))
	}
	// Wait until A holds batch 1 and is proving, then kill it.
	deadline := time.Now().Add(30 * time.Second)
	for {
		var n int
		if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM proof_jobs WHERE batch_number = 1 AND status = 'running' AND lease_owner LIKE 'A-%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("A never claimed batch 1")
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // inside groth16.Prove
	a.Kill()
	b := startChild(t, url, "B", lease)
	b.Await(t, "ready", 2*time.Minute)
	rs := waitJobs(t, pool, 90*time.Second)
	for _, r := range rs {
		if r.JobStatus != "done" || r.BatchStatus != "proven" || r.ProvenTimes != 1 || r.ProofLen != 256 {
			t.Errorf("batch %d: %+v, want done/proven once", r.Number, r)
		}
		if r.Number == 1 && (r.Attempts != 2 || r.Owner == nil || !strings.HasPrefix(*r.Owner, "B-")) {
			t.Errorf("batch 1: %+v, want taken over by B at attempt 2", r)
		}
	}
}

func startChild(t *testing.T, url, owner string, lease time.Duration) *childtest.Child {
	t.Helper()
	return childtest.Start(t, childEnv+"="+url, childOwnerEnv+"="+owner, childLeaseEnv+"="+lease.String())
}
