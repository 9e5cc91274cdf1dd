package prover

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/sheafrollup/sheaf/db/pgtest"
	"github.com/sheafrollup/sheaf/protocol"
)

func TestConfigCheck(t *testing.T) {
	ok := Config{Circuits: []protocol.Config{testCfg}}
	if err := ok.Check(); err != nil {
		t.Fatal(err)
	}
	d := ok.withDefaults()
	if d.Workers != 1 || d.MaxAttempts != 3 || d.Backend != BackendCPU || d.RenewEvery != d.Lease/3 || !strings.Contains(d.Owner, "-") {
		t.Fatalf("defaults: %+v", d)
	}
	for name, c := range map[string]Config{
		"no circuits": {},
		"workers":     {Circuits: ok.Circuits, Workers: -1},
		"lease":       {Circuits: ok.Circuits, Lease: time.Millisecond},
		"renew":       {Circuits: ok.Circuits, Lease: time.Minute, RenewEvery: time.Minute},
		"attempts":    {Circuits: ok.Circuits, MaxAttempts: -2},
		"backend":     {Circuits: ok.Circuits, Backend: "tpu"},
		"twice":       {Circuits: []protocol.Config{testCfg, testCfg}},
		"bad circuit": {Circuits: []protocol.Config{{Depth: 1, Transfers: 1}}},
	} {
		if err := c.Check(); err == nil {
			t.Errorf("%s: accepted %+v", name, c)
		}
	}
}

func TestGPUBackendWithoutICICLE(t *testing.T) {
	if GPUSupported {
		t.Skip("built with -tags icicle")
	}
	_, err := NewBackend(BackendGPU, 0, &Circuit{Config: testCfg})
	if err == nil || !strings.Contains(err.Error(), "built without GPU support") || !strings.Contains(err.Error(), "-tags icicle") {
		t.Fatalf("gpu backend without ICICLE: %v", err)
	}
}

// TestLeaseProtocol exercises claim, renewal, takeover, guarded writes,
// retries, the attempt cap, release and the configuration filter on the
// SQL alone (no proving; runs in -short).
func TestLeaseProtocol(t *testing.T) {
	_, pool := openDB(t)
	ctx := context.Background()
	bts := makeBatches(t, 4)
	for _, b := range bts[:3] {
		insertBatch(t, pool, b, []byte("{}"))
	}
	other := protocol.Config{Depth: 8, Transfers: 4}
	insertBatchConfig(t, pool, bts[3], other, []byte("{}"))

	st, err := newStore(pool, 30*time.Second, 3, []protocol.Config{testCfg})
	if err != nil {
		t.Fatal(err)
	}
	status := func(n int64) (job, batch string, attempts int) {
		t.Helper()
		if err := pool.QueryRow(ctx, `SELECT j.status, b.status, j.attempts FROM proof_jobs j JOIN batches b ON b.number = j.batch_number WHERE j.batch_number = $1`, n).Scan(&job, &batch, &attempts); err != nil {
			t.Fatal(err)
		}
		return
	}
	// Oldest first; a claimed job is not claimed again.
	j1, err := st.claim(ctx, "A")
	if err != nil || j1 == nil || j1.Number != 1 || j1.Attempt != 1 || j1.Takeover || j1.Config != testCfg || string(j1.Witness) != "{}" {
		t.Fatalf("first claim: %+v, %v", j1, err)
	}
	if js, bs, _ := status(1); js != "running" || bs != "proving" {
		t.Fatalf("claimed batch 1: job %s, batch %s", js, bs)
	}
	j2, err := st.claim(ctx, "B")
	if err != nil || j2 == nil || j2.Number != 2 {
		t.Fatalf("second claim: %+v, %v", j2, err)
	}
	// Renewal and writes are guarded by the owner.
	if err := st.renew(ctx, 1, "A"); err != nil {
		t.Fatal(err)
	}
	if err := st.renew(ctx, 1, "B"); !errors.Is(err, errLeaseLost) {
		t.Fatalf("renewal by a non-owner: %v", err)
	}
	// An expired lease is taken over, with a new attempt.
	if _, err := pool.Exec(ctx, `UPDATE proof_jobs SET lease_expires_at = now() - interval '1 second' WHERE batch_number = 1`); err != nil {
		t.Fatal(err)
	}
	j1b, err := st.claim(ctx, "C")
	if err != nil || j1b == nil || j1b.Number != 1 || j1b.Attempt != 2 || !j1b.Takeover || j1b.PrevOwner != "A" {
		t.Fatalf("takeover: %+v, %v", j1b, err)
	}
	if err := st.complete(ctx, 1, "A", make([]byte, 256)); !errors.Is(err, errLeaseLost) {
		t.Fatalf("completion by the old owner: %v", err)
	}
	if err := st.renew(ctx, 1, "A"); !errors.Is(err, errLeaseLost) {
		t.Fatalf("renewal by the old owner: %v", err)
	}
	if err := st.complete(ctx, 1, "C", make([]byte, 256)); err != nil {
		t.Fatal(err)
	}
	if js, bs, _ := status(1); js != "done" || bs != "proven" {
		t.Fatalf("completed batch 1: job %s, batch %s", js, bs)
	}
	// A failed attempt requeues (batch back to sealed) until the cap.
	for i := 1; i <= 3; i++ {
		if i > 1 {
			j, err := st.claim(ctx, "B")
			if err != nil || j == nil || j.Number != 2 || j.Attempt != i {
				t.Fatalf("retry %d: %+v, %v", i, j, err)
			}
		}
		final, err := st.fail(ctx, 2, "B", errors.New("boom"))
		if err != nil || final != (i == 3) {
			t.Fatalf("fail %d: final %v, %v", i, final, err)
		}
	}
	var lastErr string
	if err := pool.QueryRow(ctx, `SELECT last_error FROM proof_jobs WHERE batch_number = 2`).Scan(&lastErr); err != nil || lastErr != "boom" {
		t.Fatalf("last_error %q, %v", lastErr, err)
	}
	if js, bs, n := status(2); js != "failed" || bs != "failed" || n != 3 {
		t.Fatalf("batch 2 after 3 failures: job %s, batch %s, attempts %d", js, bs, n)
	}
	// Release gives the job and its attempt back.
	j3, err := st.claim(ctx, "A")
	if err != nil || j3 == nil || j3.Number != 3 {
		t.Fatalf("claim 3: %+v, %v", j3, err)
	}
	if err := st.release(ctx, 3, "A"); err != nil {
		t.Fatal(err)
	}
	if js, bs, n := status(3); js != "queued" || bs != "sealed" || n != 0 {
		t.Fatalf("released batch 3: job %s, batch %s, attempts %d", js, bs, n)
	}
	// A holder that died on its last attempt: the reaper fails the job.
	if _, err := st.claim(ctx, "A"); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE proof_jobs SET attempts = 3, lease_expires_at = now() - interval '1 second' WHERE batch_number = 3`); err != nil {
		t.Fatal(err)
	}
	if j, err := st.claim(ctx, "B"); err != nil || j != nil {
		t.Fatalf("claimed a job out of attempts or of another configuration: %+v, %v", j, err)
	}
	reaped, err := st.reap(ctx)
	if err != nil || len(reaped) != 1 || reaped[0] != 3 {
		t.Fatalf("reap: %v, %v", reaped, err)
	}
	if js, bs, _ := status(3); js != "failed" || bs != "failed" {
		t.Fatalf("reaped batch 3: job %s, batch %s", js, bs)
	}
	// Batch 4 (another configuration) is left for a prover that has its keys.
	if js, bs, _ := status(4); js != "queued" || bs != "sealed" {
		t.Fatalf("batch 4 of another configuration: job %s, batch %s", js, bs)
	}
	q, f, err := st.counts(ctx)
	if err != nil || q != 1 || f != 2 {
		t.Fatalf("counts: queued %d failed %d, %v", q, f, err)
	}
}

// TestCorruptWitnessFails: a witness that does not decode and one that
// does not satisfy the circuit each end as a failed job and a failed
// batch, with the error, after max attempts; the alert gauge rises.
func TestCorruptWitnessFails(t *testing.T) {
	skipSlow(t)
	_, pool := openDB(t)
	bts := makeBatches(t, 2)
	insertBatch(t, pool, bts[0], []byte(`{"Config": {"depth": 4`))
	bad := *bts[1]
	bad.Pubdata = append([]byte(nil), bad.Pubdata...)
	bad.Pubdata[0] ^= 1 // an unused deposit slot's pubdata must be zero
	insertBatch(t, pool, bts[1], witnessJSON(t, &bad))
	reg := prometheus.NewRegistry()
	p := startPoolOn(t, Config{Circuits: []protocol.Config{testCfg}, PollInterval: 200 * time.Millisecond}, pool, reg)
	rs := waitJobs(t, pool, 60*time.Second)
	for _, r := range rs {
		if r.JobStatus != "failed" || r.BatchStatus != "failed" || r.Attempts != 3 || r.LastError == nil {
			t.Fatalf("batch %d: %+v, want failed after 3 attempts with an error", r.Number, r)
		}
		t.Logf("batch %d: %s", r.Number, *r.LastError)
	}
	if !strings.Contains(*rs[0].LastError, "corrupt witness") || !strings.Contains(*rs[1].LastError, "prove") {
		t.Fatalf("errors: %q, %q", *rs[0].LastError, *rs[1].LastError)
	}
	time.Sleep(500 * time.Millisecond) // a gauge refresh
	if g := toFloat64(t, p.m.failedBatches); g != 2 {
		t.Fatalf("failed batches gauge %v, want 2", g)
	}
	if n := toFloat64(t, p.m.proofs.WithLabelValues("failed", p.Owner(0))); n != 6 {
		t.Fatalf("failed attempts counted %v, want 6", n)
	}
}

// TestSurvivesPostgresRestart: PostgreSQL restarts while a batch is being
// proven; the pool reconnects, stores it, and a batch sealed after the
// restart is picked up through the re-established LISTEN (polling is set
// too slow to find it in time).
func TestSurvivesPostgresRestart(t *testing.T) {
	skipSlow(t)
	cl := pgtest.Cluster()
	if cl == nil {
		t.Skip("tests run against SHEAF_TEST_DATABASE_URL: cannot restart it")
	}
	_, pool := openDB(t)
	bts := makeBatches(t, 3)
	p := startPoolOn(t, Config{Circuits: []protocol.Config{testCfg}, Lease: 20 * time.Second, PollInterval: time.Minute}, pool, nil)
	insertBatch(t, pool, bts[0], witnessBytes(t, bts[0]))
	insertBatch(t, pool, bts[1], witnessJSON(t, bts[1])) // a row from an older sequencer
	deadline := time.Now().Add(30 * time.Second)
	for toFloat64(t, p.m.inFlight) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no proof started")
		}
		time.Sleep(10 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := cl.Crash(ctx); err != nil {
		t.Fatal(err)
	}
	for p.Ready() { // the listener's session died with the server
		if ctx.Err() != nil {
			t.Fatal("the pool stays ready without its database")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cl.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	// The sequencer seals another batch after the restart (with retries:
	// the pool's first connection attempts may meet the dying server).
	for i := 0; ; i++ {
		if err := pool.Ping(ctx); err == nil {
			break
		}
		if i > 100 {
			t.Fatal("database did not come back")
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Ready again means the listener is back (and the database answered).
	for !p.Ready() {
		if ctx.Err() != nil {
			t.Fatal("the pool did not become ready after the restart")
		}
		time.Sleep(10 * time.Millisecond)
	}
	insertBatch(t, pool, bts[2], witnessBytes(t, bts[2]))
	rs := waitJobs(t, pool, 50*time.Second)
	for _, r := range rs {
		if r.JobStatus != "done" || r.BatchStatus != "proven" || r.ProvenTimes != 1 || r.ProofLen != 256 {
			t.Errorf("batch %d: %+v, want proven once", r.Number, r)
		}
	}
}

// TestGracefulStop: Stop waits for the proof in progress to be stored; a
// Stop whose context ends first gives the job back.
func TestGracefulStop(t *testing.T) {
	skipSlow(t)
	_, pool := openDB(t)
	bts := makeBatches(t, 2)
	p := startPoolOn(t, Config{Circuits: []protocol.Config{testCfg}, PollInterval: 200 * time.Millisecond}, pool, nil)
	insertBatch(t, pool, bts[0], witnessJSON(t, bts[0]))
	waitInFlight(t, p)
	if err := p.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if rs := jobs(t, pool); rs[0].JobStatus != "done" {
		t.Fatalf("after a patient Stop: %+v", rs[0])
	}
	p2 := startPoolOn(t, Config{Circuits: []protocol.Config{testCfg}, PollInterval: 200 * time.Millisecond}, pool, nil)
	insertBatch(t, pool, bts[1], witnessJSON(t, bts[1]))
	waitInFlight(t, p2)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := p2.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if rs := jobs(t, pool); rs[1].JobStatus != "queued" || rs[1].BatchStatus != "sealed" || rs[1].Attempts != 0 {
		t.Fatalf("after an impatient Stop: %+v", rs[1])
	}
}

func waitInFlight(t *testing.T, p *Pool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for toFloat64(t, p.m.inFlight) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no proof started")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// toFloat64 reads a gauge's or counter's value.
func toFloat64(t *testing.T, m prometheus.Metric) float64 {
	t.Helper()
	var d dto.Metric
	if err := m.Write(&d); err != nil {
		t.Fatal(err)
	}
	switch {
	case d.Gauge != nil:
		return d.Gauge.GetValue()
	case d.Counter != nil:
		return d.Counter.GetValue()
	}
	t.Fatalf("metric %v is not a gauge or counter", m.Desc())
	return 0
}
