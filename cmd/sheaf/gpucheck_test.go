package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
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

// TestGPUCheckScriptGPUPathStubbed runs the script's GPU path with stand-ins
// for nvidia-smi, nvcc, cmake and sheaf (shell scripts printing canned
// output), so that everything but the real build and proofs is checked
// without a GPU: the ICICLE build steps and their cache, the two runs per
// size with the right flags, the JSON line with speedups and GPU memory,
// and exit status 1 when a GPU proof does not verify.
func TestGPUCheckScriptGPUPathStubbed(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	script, err := filepath.Abs("../../scripts/gpu-check.sh")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	calls := filepath.Join(dir, "calls")
	stub := func(name, body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/usr/bin/env bash\n"+body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	stub("nvidia-smi", `echo "nvidia-smi $*" >>`+calls+`
case "$*" in
-L) echo "GPU 0: Stub GPU (UUID: GPU-0)" ;;
*name,memory.total*) echo "Stub GPU, 81920 MiB" ;;
*memory.used*) printf '100\n300\n200\n'; exec sleep 30 ;;
esac
`)
	stub("nvcc", "exit 0\n")
	stub("cmake", `echo "cmake $*" >>`+calls+"\n")
	// sheaf: bench circuit prints constraints (1000 + 500 per transfer);
	// bench prover prints one compact line, the gpu 8 times faster at
	// proving, and an invalid gpu proof when STUB_BAD_GPU is set.
	stub("sheaf", `echo "sheaf $*" >>`+calls+`
t=0; be=cpu
while [ $# -gt 0 ]; do
	case "$1" in
	--transfers) t=$2; shift ;;
	--prover.backend) be=$2; shift ;;
	esac
	shift
done
c=$((1000 + 500 * t))
case "$be" in
cpu) echo "{\"config\":{\"depth\":24},\"constraints\":$c,\"backend\":\"cpu\",\"load_seconds\":1.5,\"bare_seconds_per_batch\":5,\"solve_seconds\":1,\"prove_seconds\":4,\"verified\":true,\"invalid_proofs\":0,\"peak_rss_bytes\":2000000}" ;;
gpu) v=true; n=0; if [ -n "$STUB_BAD_GPU" ]; then v=false; n=1; fi
	echo "{\"config\":{\"depth\":24},\"constraints\":$c,\"backend\":\"gpu\",\"load_seconds\":1.5,\"bare_seconds_per_batch\":1.5,\"solve_seconds\":1,\"prove_seconds\":0.5,\"verified\":$v,\"invalid_proofs\":$n,\"peak_rss_bytes\":3000000,\"warmup_seconds\":2}" ;;
esac
`)
	prefix := filepath.Join(dir, "icicle")
	run := func(extraEnv ...string) (string, string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "bash", script)
		cmd.Env = append(os.Environ(), "PATH="+dir+":"+os.Getenv("PATH"), "GPU_CHECK_BIN="+filepath.Join(dir, "sheaf"),
			"GPU_CHECK_ICICLE_PREFIX="+prefix, "GPU_CHECK_SIZES=13 t4", "GPU_CHECK_CPU_ONLY=")
		cmd.Env = append(cmd.Env, extraEnv...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		return stdout.String(), stderr.String(), err
	}
	stdout, stderr, err := run()
	if err != nil {
		t.Fatalf("gpu-check.sh: %v\nstderr:\n%s", err, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got:\n%s\nstderr:\n%s", stdout, stderr)
	}
	var first struct {
		Size              string  `json:"size"`
		TargetConstraints int     `json:"target_constraints"`
		Transfers         int     `json:"transfers"`
		Constraints       int     `json:"constraints"`
		GPUName           string  `json:"gpu_name"`
		SpeedupProve      float64 `json:"speedup_prove"`
		SpeedupTotal      float64 `json:"speedup_total"`
		GPUSkipped        *string `json:"gpu_skipped"`
		GPU               struct {
			ProveSeconds  float64 `json:"prove_seconds"`
			WarmupSeconds float64 `json:"warmup_seconds"`
			Verified      bool    `json:"verified"`
			GPUMemory     int64   `json:"gpu_memory_used_max_bytes"`
		} `json:"gpu"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatalf("not JSON: %v: %s", err, lines[0])
	}
	// 2^13 = 8192 constraints at 500 per transfer and 1000 fixed: 14 transfers.
	if first.Size != "2^13" || first.TargetConstraints != 8192 || first.Transfers != 14 || first.Constraints != 8000 {
		t.Errorf("size: %s", lines[0])
	}
	if first.GPUName != "Stub GPU, 81920 MiB" || first.SpeedupProve != 8 || first.SpeedupTotal < 3.33 || first.SpeedupTotal > 3.34 ||
		first.GPUSkipped != nil || !first.GPU.Verified || first.GPU.ProveSeconds != 0.5 || first.GPU.WarmupSeconds != 2 ||
		first.GPU.GPUMemory != 300<<20 {
		t.Errorf("gpu fields: %s", lines[0])
	}
	log, err := os.ReadFile(calls)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"-DCURVE=bn254", "-DCUDA_BACKEND=ON", "-DCMAKE_INSTALL_PREFIX=" + prefix, "--target install",
		"bench prover --depth 24 --transfers 14 --batches 1 --pool=false --compact --prover.backend gpu --prover.gpu-device 0",
		"bench prover --depth 24 --transfers 4 --batches 1 --pool=false --compact --prover.backend cpu"} {
		if !strings.Contains(string(log), want) {
			t.Errorf("no call with %q:\n%s", want, log)
		}
	}

	// A second run reuses the ICICLE build; a GPU proof that does not
	// verify is reported in the line and fails the check.
	if err := os.Remove(calls); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err = run("STUB_BAD_GPU=1")
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(stderr, "did not verify") {
		t.Fatalf("want exit 1 for an invalid GPU proof, got %v\nstderr:\n%s", err, stderr)
	}
	if !strings.Contains(stdout, `"verified":false`) || strings.Count(strings.TrimSpace(stdout), "\n") != 1 {
		t.Errorf("lines of the failing run:\n%s", stdout)
	}
	log, err = os.ReadFile(calls)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(log), "cmake") || !strings.Contains(stderr, "reusing") {
		t.Errorf("ICICLE rebuilt:\n%s\n%s", log, stderr)
	}
}
