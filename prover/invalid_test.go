package prover

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consensys/gnark/backend/groth16"
	groth16_bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/backend/witness"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sheafrollup/sheaf/circuits"
	"github.com/sheafrollup/sheaf/protocol"
)

// corruptBackend proves with the CPU backend and then damages the proof,
// as a faulty accelerator might: the proof comes back without an error.
type corruptBackend struct {
	inner Backend
	calls atomic.Int32
}

func (b *corruptBackend) Prove(w witness.Witness) (groth16.Proof, error) {
	b.calls.Add(1)
	proof, err := b.inner.Prove(w)
	if err != nil {
		return nil, err
	}
	p, ok := proof.(*groth16_bn254.Proof)
	if !ok {
		return nil, errors.New("not a BN254 proof")
	}
	p.Ar, p.Krs = p.Krs, p.Ar // still points on the curve, no longer a proof
	return p, nil
}

// TestInvalidProofCountedNotStored: a backend whose proofs do not verify
// has every attempt counted in sheaf_prover_invalid_proofs_total and
// failed; no proof is stored and the batch ends failed.
func TestInvalidProofCountedNotStored(t *testing.T) {
	skipSlow(t)
	_, pool := openDB(t)
	b := makeBatches(t, 1)[0]
	insertBatch(t, pool, b, witnessJSON(t, b))
	c := testCircuit(t)
	reg := prometheus.NewRegistry()
	p, err := New(Config{Circuits: []protocol.Config{testCfg}, PollInterval: 200 * time.Millisecond, MaxAttempts: 2},
		pool, []*Circuit{c}, slog.New(slog.DiscardHandler), reg)
	if err != nil {
		t.Fatal(err)
	}
	bad := &corruptBackend{inner: p.provers[testCfg]}
	p.provers[testCfg] = bad // before Start: the workers read the map only
	if err := p.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		p.Stop(ctx) //nolint:errcheck
	})
	rs := waitJobs(t, pool, 120*time.Second)
	if len(rs) != 1 {
		t.Fatalf("jobs %+v", rs)
	}
	r := rs[0]
	if r.JobStatus != "failed" || r.BatchStatus != "failed" || r.Attempts != 2 || r.ProofLen != 0 || r.ProvenTimes != 0 {
		t.Fatalf("job %+v: want failed after 2 attempts with no proof stored", r)
	}
	if r.LastError == nil || !strings.Contains(*r.LastError, "does not verify") {
		t.Fatalf("last error %v", r.LastError)
	}
	if n := bad.calls.Load(); n != 2 {
		t.Fatalf("backend called %d times, want 2", n)
	}
	if n := toFloat64(t, p.m.invalidProofs.WithLabelValues(BackendCPU)); n != 2 {
		t.Fatalf("sheaf_prover_invalid_proofs_total{backend=cpu} = %v, want 2", n)
	}
	// Registered on the injected registerer under its documented name.
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, mf := range mfs {
		if mf.GetName() == "sheaf_prover_invalid_proofs_total" {
			found = len(mf.GetMetric()) == 1 && mf.GetMetric()[0].GetLabel()[0].GetValue() == BackendCPU
		}
	}
	if !found {
		t.Fatal("sheaf_prover_invalid_proofs_total{backend=\"cpu\"} not registered")
	}
}

// TestVerifyRejectsCorruptProof: Verify wraps ErrInvalidProof, so callers
// (the pool, the benchmark) can tell a bad proof from other errors.
func TestVerifyRejectsCorruptProof(t *testing.T) {
	skipSlow(t)
	c := testCircuit(t)
	b := makeBatches(t, 1)[0]
	w, err := circuits.Witness(b)
	if err != nil {
		t.Fatal(err)
	}
	cpu, err := NewBackend(BackendCPU, 0, c)
	if err != nil {
		t.Fatal(err)
	}
	proof, err := cpu.Prove(w)
	if err != nil {
		t.Fatal(err)
	}
	if enc, err := Verify(c, proof, w); err != nil || len(enc) != 256 {
		t.Fatalf("good proof: %d bytes, %v", len(enc), err)
	}
	bad, err := (&corruptBackend{inner: cpu}).Prove(w)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(c, bad, w); !errors.Is(err, ErrInvalidProof) {
		t.Fatalf("corrupt proof: %v, want ErrInvalidProof", err)
	}
}
