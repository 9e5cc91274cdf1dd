package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sheafrollup/sheaf/circuits/ceremony"
	"github.com/sheafrollup/sheaf/circuits/exit"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// exitCeremonyDepth keeps the exit circuit at ≈9.2k constraints (domain
// 2^14): its phase-2 evaluation takes about a minute of CPU, the other
// steps seconds.
const exitCeremonyDepth = 4

// writeTestPtau writes a Powers-of-Tau file of 2^power powers whose τ is
// public (the insecure phase 1): a stand-in for a public ceremony's file,
// large enough for the exit circuit (the committed fixture holds 2^11).
func writeTestPtau(t *testing.T, power int) (path, sha string) {
	t.Helper()
	c, err := ceremony.InsecurePhase1(1 << power)
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(t.TempDir(), "test.ptau")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := ceremony.WritePtau(f, c); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if sha, err = ceremony.FileSHA256(path); err != nil {
		t.Fatal(err)
	}
	return path, sha
}

// TestCeremonyExitCommand: the exit circuit gets its own ceremony through
// the command (`--circuit.kind exit`): phase 1 from a .ptau file, two
// contributions, verify, finalize. The keys are marked as the exit
// circuit's, pass the deploy check, prove an exit that groth16.Verify and
// the exported Solidity verifier accept, and refuse another balance.
func TestCeremonyExitCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("phase 2 of a 2^14 circuit, proving and a Solidity verifier: skipped in -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	ptau, ptauHash := writeTestPtau(t, 14)
	dir, keysDir := filepath.Join(t.TempDir(), "exit"), filepath.Join(t.TempDir(), "keys")
	cd := []string{"--ceremony.dir", dir}
	// The phase-2 evaluation (the long step) is computed once, by init.
	cache := []string{"--ceremony.cache", filepath.Join(keys.CacheDir(), "ceremony")}
	step := func(args ...string) string { t.Helper(); return mustRunSheaf(ctx, t, args...) }
	out := step(append([]string{"ceremony", "import-ptau", "--circuit.kind", "exit", "--circuit.depth", "4", "--ptau.file", ptau, "--ptau.hash", ptauHash}, cd...)...)
	if !strings.Contains(out, "exit-d4") {
		t.Fatalf("import-ptau does not name the exit circuit:\n%s", out)
	}
	// A batch flag on the exit ceremony's directory is another circuit.
	if _, err := runSheaf(ctx, append([]string{"ceremony", "init", "--circuit.kind", "batch"}, cd...)...); err == nil {
		t.Fatal("init accepted --circuit.kind batch for an exit ceremony")
	}
	step(append(append([]string{"ceremony", "init"}, cd...), cache...)...)
	var hashes []string
	for range 2 {
		m := sha256Line.FindStringSubmatch(step(append([]string{"ceremony", "contribute"}, cd...)...))
		if m == nil {
			t.Fatal("contribute printed no hash")
		}
		hashes = append(hashes, m[1])
	}
	out = step(append(append([]string{"ceremony", "verify", "--ptau.file", ptau, "--ptau.hash", ptauHash}, cd...), cache...)...)
	for i, h := range hashes {
		if !strings.Contains(out, ceremony.Phase2File(i+1)+" sha256 "+h+"  ok") {
			t.Fatalf("verify does not list contribution %d:\n%s", i+1, out)
		}
	}
	step(append(append([]string{"ceremony", "finalize", "--beacon", "0badbeac0e", "--keys.dir", keysDir}, cd...), cache...)...)
	step(append(append([]string{"ceremony", "verify", "--keys.dir", keysDir, "--ptau.file", ptau}, cd...), cache...)...)

	meta, err := keys.ReadMeta(keysDir)
	if err != nil {
		t.Fatal(err)
	}
	if meta.Circuit != keys.CircuitExit || meta.Config != (protocol.Config{Depth: exitCeremonyDepth}) || !strings.HasPrefix(meta.Ceremony, ceremony.LabelPrefix) {
		t.Fatalf("meta.json %+v: want the exit circuit of depth 4 from a ceremony", meta)
	}
	if _, err := ceremony.CheckKeys(keysDir); err != nil {
		t.Fatalf("the deploy check refuses the exit ceremony's keys: %v", err)
	}

	// The keys prove an exit; Go and the Solidity verifier accept it.
	ccs, err := exit.Compile(exitCeremonyDepth)
	if err != nil {
		t.Fatal(err)
	}
	w, err := protocoltest.NewWorld(protocol.Config{Depth: exitCeremonyDepth, Transfers: 1}, 2, 5_000)
	if err != nil {
		t.Fatal(err)
	}
	to := [20]byte{0xe1, 19: 7}
	sig, err := protocol.SignExodus(w.Keys[1], w.State.DomainState(), 2, to)
	if err != nil {
		t.Fatal(err)
	}
	claim, err := w.State.ExitClaim(2, to, sig)
	if err != nil {
		t.Fatal(err)
	}
	wit, err := exit.Witness(claim, exitCeremonyDepth)
	if err != nil {
		t.Fatal(err)
	}
	in := claim.PublicInputs() // the balance last: another balance is refused
	checkCeremonyProof(ctx, t, ccs, keysDir, wit, in[:])
}

// TestCeremonyBenchExit: `sheaf bench ceremony` prints the fields
// (each step a child process: the test binary stands in for sheaf).
func TestCeremonyBenchExit(t *testing.T) {
	if testing.Short() {
		t.Skip("a ceremony on a 2^14 circuit in child processes: skipped in -short")
	}
	t.Setenv(runMainEnv, "1")
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	out, err := runSheaf(ctx, "bench", "ceremony", "--circuit.kind", "exit", "--circuit.depth", "4")
	if err != nil {
		t.Fatalf("bench ceremony: %v\n%s", err, out)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if r["circuit"] != "exit" || r["domain"] != float64(1<<14) {
		t.Fatalf("circuit %v, domain %v: want exit, 2^14", r["circuit"], r["domain"])
	}
	for _, k := range []string{"constraints", "contribute_seconds", "verify_seconds", "file_bytes", "peak_rss_bytes", "init_seconds", "phase1_bytes"} {
		if v, ok := r[k].(float64); !ok || v <= 0 {
			t.Fatalf("%s = %v, want a positive number\n%s", k, r[k], out)
		}
	}
	if r["peak_rss_bytes"].(float64) < r["verify_peak_rss_bytes"].(float64) {
		t.Fatalf("peak_rss_bytes below a step's peak:\n%s", out)
	}
	t.Log(out)
}
