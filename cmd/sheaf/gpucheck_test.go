package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runMainEnv makes the test binary run sheaf's main with its arguments.
const runMainEnv = "SHEAF_TEST_RUN_MAIN"

// TestGPUCheckScriptCPU runs scripts/gpu-check.sh's CPU path (the GPU is
// skipped: --cpu-only, or no nvidia-smi) at a tiny size given as a
// constraint target, so the calibration from constraints per transfer runs
// too, and checks its JSON line. The configuration is the one whose keys
// the circuits and prover tests cache: no setup here.
func TestGPUCheckScriptCPU(t *testing.T) {
	if testing.Short() {
		t.Skip("proves: skipped in -short")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	script, err := filepath.Abs("../../scripts/gpu-check.sh")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	args := []string{script}
	if _, err := exec.LookPath("nvidia-smi"); err == nil {
		args = append(args, "--cpu-only")
	}
	cmd := exec.CommandContext(ctx, "bash", args...)
	cmd.Env = append(os.Environ(), runMainEnv+"=1", "GPU_CHECK_BIN="+self,
		"GPU_CHECK_DEPTH=4", "GPU_CHECK_EXTRA=--deposits 1 --withdrawals 1",
		// {depth 4, 1 deposit, 2 transfers, 1 withdrawal} has 146,247
		// constraints; 2 transfers is the nearest to this target.
		"GPU_CHECK_SIZES=c146000")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("gpu-check.sh: %v\nstderr:\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "skipping the GPU") {
		t.Errorf("stderr does not say the GPU was skipped:\n%s", stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("want one JSON line per size (1), got %d:\n%s", len(lines), stdout.String())
	}
	type part struct {
		SolveSeconds  *float64 `json:"solve_seconds"`
		ProveSeconds  *float64 `json:"prove_seconds"`
		PeakRSSBytes  *int64   `json:"peak_rss_bytes"`
		Verified      *bool    `json:"verified"`
		InvalidProofs *int     `json:"invalid_proofs"`
	}
	var line struct {
		Size              string          `json:"size"`
		TargetConstraints int             `json:"target_constraints"`
		Depth             int             `json:"depth"`
		Transfers         int             `json:"transfers"`
		Constraints       int             `json:"constraints"`
		CPU               *part           `json:"cpu"`
		GPU               json.RawMessage `json:"gpu"`
		SpeedupProve      json.RawMessage `json:"speedup_prove"`
		GPUSkipped        string          `json:"gpu_skipped"`
	}
	// Presence from a map (a zero value would hide a missing field), values
	// from the struct.
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(lines[0]), &m); err != nil {
		t.Fatalf("not JSON: %v: %s", err, lines[0])
	}
	for _, k := range []string{"size", "target_constraints", "depth", "transfers", "constraints", "batches", "cpu", "gpu",
		"speedup_prove", "speedup_total", "gpu_skipped"} {
		if _, ok := m[k]; !ok {
			t.Errorf("field %q missing: %s", k, lines[0])
		}
	}
	if err := json.Unmarshal([]byte(lines[0]), &line); err != nil {
		t.Fatal(err)
	}
	if line.Size != "c146000" || line.TargetConstraints != 146000 || line.Depth != 4 || line.Transfers != 2 || line.Constraints <= 0 {
		t.Errorf("size fields: %s", lines[0])
	}
	c := line.CPU
	if c == nil || c.SolveSeconds == nil || c.ProveSeconds == nil || c.PeakRSSBytes == nil || c.Verified == nil || c.InvalidProofs == nil {
		t.Fatalf("cpu part incomplete: %s", lines[0])
	}
	if !*c.Verified || *c.InvalidProofs != 0 || *c.SolveSeconds <= 0 || *c.ProveSeconds <= 0 || *c.PeakRSSBytes < 1<<20 {
		t.Errorf("cpu part: %s", lines[0])
	}
	if string(line.GPU) != "null" || string(line.SpeedupProve) != "null" || line.GPUSkipped == "" {
		t.Errorf("the GPU part of a CPU-only run: %s", lines[0])
	}
}
