package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	curve "github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/groth16/bn254/mpcsetup"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sheafrollup/sheaf/circuits"
	"github.com/sheafrollup/sheaf/circuits/ceremony"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/internal/soltest"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// ceremonyCfg is the smallest batch configuration: ≈87k constraints,
// domain 2^17.
var ceremonyCfg = protocol.Config{Depth: 4, Transfers: 1}

// runSheaf runs the sheaf command line in process and returns its output.
func runSheaf(ctx context.Context, args ...string) (string, error) {
	var out bytes.Buffer
	app := newApp()
	app.Writer, app.ErrWriter = &out, io.Discard
	err := app.RunContext(ctx, append([]string{"sheaf", "--log.level", "warn"}, args...))
	return out.String(), err
}

// mustRunSheaf runs the command line in process, fails the test on an
// error and logs the step's time.
func mustRunSheaf(ctx context.Context, t *testing.T, args ...string) string {
	t.Helper()
	start := time.Now()
	out, err := runSheaf(ctx, args...)
	if err != nil {
		t.Fatalf("sheaf %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	t.Logf("sheaf %s %s: %v", args[0], args[1], time.Since(start).Round(time.Millisecond))
	return out
}

var sha256Line = regexp.MustCompile(`(?m)^sha256 ([0-9a-f]{64})$`)

func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// TestCeremonyCommand runs a three-contributor ceremony on a batch circuit
// through `sheaf ceremony` (test-only phase 1, init, three contributions,
// verify, finalize with a beacon), proves a batch with the keys and checks
// the proof with groth16.Verify and with the exported Solidity verifier on
// a simulated chain. A tampered contribution, contributions out of order
// and a wrong beacon are each rejected by `sheaf ceremony verify`.
//
// The test-only phase 1 and the phase-2 evaluation (minutes on 2 cores)
// are cached beside the development keys, keyed by domain, circuit and
// phase 1: a first run on a machine takes a few minutes more.
func TestCeremonyCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("phase 2 of a 2^17 circuit, proving and a Solidity verifier: skipped in -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	dir, keysDir := t.TempDir(), filepath.Join(t.TempDir(), "keys")
	cache := []string{"--ceremony.cache", filepath.Join(keys.CacheDir(), "ceremony")}
	circuit := []string{"--circuit.depth", "4", "--circuit.deposits", "0", "--circuit.transfers", "1", "--circuit.withdrawals", "0"}
	cd := []string{"--ceremony.dir", dir}
	step := func(args ...string) string { t.Helper(); return mustRunSheaf(ctx, t, args...) }

	step(append(append(append([]string{"ceremony", "init", "--insecure-phase1"}, cd...), cache...), circuit...)...)
	var hashes []string
	for i := 1; i <= 3; i++ {
		out := step(append([]string{"ceremony", "contribute"}, cd...)...)
		m := sha256Line.FindStringSubmatch(out)
		if m == nil || !strings.Contains(out, "contribution "+string(rune('0'+i))) {
			t.Fatalf("contribute %d printed no hash:\n%s", i, out)
		}
		hashes = append(hashes, m[1])
	}

	// Rejections first: they fail on the contribution chain, before the
	// long step, so each costs seconds.
	verifyIn := func(d string, extra ...string) (string, error) {
		return runSheaf(ctx, append(append([]string{"ceremony", "verify", "--ceremony.dir", d}, cache...), extra...)...)
	}
	tampered := copyTree(t, dir)
	tamperDelta(t, filepath.Join(tampered, ceremony.Phase2File(3)))
	if _, err := verifyIn(tampered); !errors.Is(err, ceremony.ErrChain) || !strings.Contains(err.Error(), "contribution 3") {
		t.Fatalf("verify of a tampered contribution: %v", err)
	}
	swapped := copyTree(t, dir)
	a, b := filepath.Join(swapped, ceremony.Phase2File(2)), filepath.Join(swapped, ceremony.Phase2File(3))
	if err := os.Rename(a, a+".x"); err != nil {
		t.Fatal(err)
	}
	os.Rename(b, a)
	os.Rename(a+".x", b)
	if _, err := verifyIn(swapped); !errors.Is(err, ceremony.ErrChain) || !strings.Contains(err.Error(), "not made on") {
		t.Fatalf("verify of contributions out of order: %v", err)
	}

	if _, err := verifyIn(dir, "--circuit.transfers", "2"); !errors.Is(err, ceremony.ErrCircuit) {
		t.Fatalf("verify with flags naming another circuit: %v", err)
	}

	out := step(append(append([]string{"ceremony", "verify"}, cd...), cache...)...)
	for i, h := range hashes {
		if !strings.Contains(out, ceremony.Phase2File(i+1)+" sha256 "+h+"  ok") {
			t.Fatalf("verify does not list contribution %d (%s):\n%s", i+1, h, out)
		}
	}
	const beacon = "6a5e11e0c5cf3bca2b9d41d2c0d6e4b7b8e3f1a2c4d5e6f708192a3b4c5d6e7f"
	out = step(append(append([]string{"ceremony", "finalize", "--beacon", beacon, "--beacon-note", "test", "--keys.dir", keysDir}, cd...), cache...)...)
	if !strings.Contains(out, ceremony.InsecureLabel) {
		t.Fatalf("finalize output:\n%s", out)
	}
	// Checking keys seals the chain again (seconds at this size), so one run
	// here: the wrong beacon. The package tests verify published keys
	// successfully (TestCeremonyPtauFixture, TestCeremonyVerifyRejects).
	if _, err := verifyIn(dir, "--keys.dir", keysDir, "--beacon", strings.Replace(beacon, "6a", "6b", 1)); !errors.Is(err, ceremony.ErrKeys) {
		t.Fatalf("verify with a wrong beacon: %v", err)
	}

	// The keys prove a batch; Go and the Solidity verifier accept it.
	ccs, err := circuits.Compile(ceremonyCfg)
	if err != nil {
		t.Fatal(err)
	}
	batch, err := protocoltest.FullBatch(ceremonyCfg)
	if err != nil {
		t.Fatal(err)
	}
	w, err := circuits.Witness(batch)
	if err != nil {
		t.Fatal(err)
	}
	checkCeremonyProof(ctx, t, ccs, keysDir, w, []*big.Int{protocol.FrToBig(batch.PublicInput())})
}

// checkCeremonyProof proves w with the keys in keysDir (a ceremony's) and
// checks that groth16.Verify and the exported Solidity verifier accept the
// proof for the public inputs in, and that the Solidity verifier refuses
// it once the last input is changed.
func checkCeremonyProof(ctx context.Context, t *testing.T, ccs constraint.ConstraintSystem, keysDir string, w witness.Witness, in []*big.Int) {
	t.Helper()
	set, err := keys.Load(keysDir, ccs)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := w.Public()
	if err != nil {
		t.Fatal(err)
	}
	proof, err := groth16.Prove(ccs, set.PK, w, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
	if err != nil {
		t.Fatal(err)
	}
	if err := groth16.Verify(proof, set.VK, pub, solidity.WithVerifierTargetSolidityVerifier(backend.GROTH16)); err != nil {
		t.Fatalf("groth16.Verify rejected a proof made with ceremony keys: %v", err)
	}
	v, err := soltest.Deploy(ctx, filepath.Join(keysDir, keys.VerifierFile), len(in))
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	sp := proof.(interface{ MarshalSolidity() []byte }).MarshalSolidity()
	if err := v.Verify(ctx, sp, in); err != nil {
		t.Fatalf("the Solidity verifier rejected the proof: %v", err)
	}
	other := slices.Clone(in)
	other[len(other)-1] = new(big.Int).Add(other[len(other)-1], big.NewInt(1))
	if err := v.Verify(ctx, sp, other); err == nil {
		t.Fatal("the Solidity verifier accepted the proof under another public input")
	}
}

// TestCeremonyImportTooSmall: `sheaf ceremony import-ptau` with the 2^11
// fixture for a batch circuit (domain 2^17) fails clearly and writes
// nothing.
func TestCeremonyImportTooSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles a batch circuit: skipped in -short")
	}
	dir := filepath.Join(t.TempDir(), "c")
	_, err := runSheaf(context.Background(), "ceremony", "import-ptau", "--ceremony.dir", dir,
		"--circuit.depth", "4", "--circuit.deposits", "0", "--circuit.transfers", "1", "--circuit.withdrawals", "0",
		"--ptau.file", "../../circuits/ceremony/testdata/pot11_beacon.ptau",
		"--ptau.hash", "a5c1f40bf02ad8a12e84a71cdf062cdfe5888aa883d7bcb98314f1062aa77415")
	if !errors.Is(err, ceremony.ErrPtauTooSmall) || !strings.Contains(err.Error(), "2^11 powers, the circuit's domain is 2^17") {
		t.Fatalf("got %v, want ErrPtauTooSmall naming 2^11 and 2^17", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a refused import created %s", dir)
	}
}

// tamperDelta rewrites a contribution with δ changed and its challenge and
// proof kept.
func tamperDelta(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var p mpcsetup.Phase2
	_, err = p.ReadFrom(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	_, _, g1, _ := curve.Generators()
	p.Parameters.G1.Delta.Add(&p.Parameters.G1.Delta, &g1)
	var buf bytes.Buffer
	if _, err := p.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// tinyCircuit is a circuit small enough for the committed 2^11 ptau
// fixture: Y = X^(2^10).
type tinyCircuit struct {
	X frontend.Variable
	Y frontend.Variable `gnark:",public"`
}

func (c *tinyCircuit) Define(api frontend.API) error {
	v := c.X
	for range 10 {
		v = api.Mul(v, v)
	}
	api.AssertIsEqual(v, c.Y)
	return nil
}

// ceremonyKeys runs a ceremony for the tiny circuit on the committed ptau
// fixture and returns the keys directory; the keys' meta names cfg.
func ceremonyKeys(t *testing.T, cfg protocol.Config, kind string) string {
	t.Helper()
	ctx := context.Background()
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &tinyCircuit{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := ceremony.NewCircuit(cfg.String(), cfg, ccs)
	if err != nil {
		t.Fatal(err)
	}
	c.Kind = kind
	dir, keysDir := t.TempDir(), t.TempDir()
	const fixture = "../../circuits/ceremony/testdata/pot11_beacon.ptau"
	const fixtureSHA256 = "a5c1f40bf02ad8a12e84a71cdf062cdfe5888aa883d7bcb98314f1062aa77415"
	if _, err := ceremony.ImportPtau(ctx, dir, c, fixture, fixtureSHA256, ceremony.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := ceremony.Init(ctx, dir, c, ceremony.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ceremony.Contribute(ctx, dir, ceremony.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ceremony.Finalize(ctx, dir, ceremony.Fixed(c), []byte{1, 2, 3}, "", keysDir, false, ceremony.VerifyOptions{TrustPhase1: true}, ceremony.Options{}); err != nil {
		t.Fatal(err)
	}
	return keysDir
}

// TestCeremonyDeployRefuses: `sheaf deploy` without --dev refuses
// single-party keys, keys on the insecure phase 1 and a verifier that is
// not the export of the verifying key beside it; it deploys keys from a
// ceremony on a Powers-of-Tau file. Nothing is written when it refuses.
func TestCeremonyDeployRefuses(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cfg := protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1}
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &tinyCircuit{})
	if err != nil {
		t.Fatal(err)
	}
	dev, devExit := t.TempDir(), t.TempDir()
	if _, err := keys.Setup(ctx, cfg, ccs, dev, keys.SetupOptions{}); err != nil {
		t.Fatal(err)
	}
	exitCfg := protocol.Config{Depth: cfg.Depth}
	if _, err := keys.Setup(ctx, exitCfg, ccs, devExit, keys.SetupOptions{Circuit: keys.CircuitExit}); err != nil {
		t.Fatal(err)
	}
	good, goodExit := ceremonyKeys(t, cfg, keys.CircuitBatch), ceremonyKeys(t, exitCfg, keys.CircuitExit)

	// Verifier.sol exported from another key, beside this verifying key.
	badSol := copyTree(t, good)
	other, _ := os.ReadFile(filepath.Join(dev, keys.VerifierFile))
	os.WriteFile(filepath.Join(badSol, keys.VerifierFile), other, 0o644)
	devBadSol := copyTree(t, dev)
	mine, _ := os.ReadFile(filepath.Join(good, keys.VerifierFile))
	os.WriteFile(filepath.Join(devBadSol, keys.VerifierFile), mine, 0o644)

	insecure := t.TempDir()
	{
		c, err := ceremony.NewCircuit(cfg.String(), cfg, ccs)
		if err != nil {
			t.Fatal(err)
		}
		d := t.TempDir()
		if _, err := ceremony.NewInsecure(ctx, d, c, ceremony.Options{}); err != nil {
			t.Fatal(err)
		}
		if _, err := ceremony.Init(ctx, d, c, ceremony.Options{}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := ceremony.Contribute(ctx, d, ceremony.Options{}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := ceremony.Finalize(ctx, d, ceremony.Fixed(c), []byte{1}, "", insecure, false, ceremony.VerifyOptions{}, ceremony.Options{}); err != nil {
			t.Fatal(err)
		}
	}

	key, _ := crypto.ToECDSA(common.LeftPadBytes([]byte{9}, 32))
	alloc := types.GenesisAlloc{crypto.PubkeyToAddress(key.PublicKey): {Balance: new(big.Int).Lsh(big.NewInt(1), 70)}}
	sim := l1.NewSimulatedChain(alloc)
	defer sim.Close() // stops the miner and waits for it first
	sim.Mine(10 * time.Millisecond)
	// exitDir "" stands in a verifier for the exit circuit, so that the
	// batch keys alone are checked.
	params := func(keysDir, exitDir string, isDev bool) deployParams {
		p := deployParams{Key: key, KeysDir: keysDir, ExitKeysDir: exitDir, Dev: isDev, Out: filepath.Join(t.TempDir(), "deployment.json"),
			Config: l1.DeployConfig{Circuit: cfg, Sequencer: common.HexToAddress("0x5e9"), FeeKey: protocoltest.Keys(99, 1)[0].Public(),
				DepositCap: big.NewInt(1e18)}}
		if exitDir == "" {
			p.Config.ExitVerifierBytecode = l1.RefuseAllVerifier
		}
		return p
	}
	for _, tc := range []struct {
		name    string
		dir     string
		exitDir string
		dev     bool
		want    error
	}{
		{"single-party keys", dev, "", false, ceremony.ErrNotCeremony},
		{"ceremony on the insecure phase 1", insecure, "", false, ceremony.ErrInsecurePhase1},
		{"ceremony keys with another Verifier.sol", badSol, "", false, ceremony.ErrKeys},
		{"--dev, Verifier.sol not from the verifying key", devBadSol, "", true, keys.ErrVerifierMismatch},
		{"ceremony batch keys, single-party exit keys", good, devExit, false, ceremony.ErrNotCeremony},
		{"ceremony exit keys given as the batch keys", goodExit, goodExit, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := params(tc.dir, tc.exitDir, tc.dev)
			if tc.want == nil {
				// The exit circuit's keys are not a batch circuit's: the
				// kind in meta.json says so.
				if _, err := deploy(ctx, sim.Client(), p, nil); err == nil || !strings.Contains(err.Error(), `circuit "exit"`) {
					t.Fatalf("exit keys deployed as batch keys: %v", err)
				}
				return
			}
			_, err := deploy(ctx, sim.Client(), p, nil)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if _, err := os.Stat(p.Out); !errors.Is(err, os.ErrNotExist) {
				t.Fatal("a refused deploy wrote the deployment file")
			}
		})
	}
	if testing.Short() {
		return // the deployment itself compiles a verifier with solc-js
	}
	p := params(good, goodExit, false)
	f, err := deploy(ctx, sim.Client(), p, nil)
	if err != nil {
		t.Fatalf("deploy of ceremony keys: %v", err)
	}
	for _, a := range []common.Address{f.Verifier, f.ExitVerifier} {
		if code, err := sim.Client().CodeAt(ctx, a, nil); err != nil || len(code) == 0 {
			t.Fatalf("no verifier code at %s: %v", a, err)
		}
	}
}
