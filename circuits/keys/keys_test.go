package keys

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"

	"github.com/sheafrollup/sheaf/protocol"
)

// square proves knowledge of X with X·X = Y; cube is a different circuit.
type square struct {
	X frontend.Variable
	Y frontend.Variable `gnark:",public"`
}

func (c *square) Define(api frontend.API) error {
	api.AssertIsEqual(api.Mul(c.X, c.X), c.Y)
	return nil
}

type cube struct {
	X frontend.Variable
	Y frontend.Variable `gnark:",public"`
}

func (c *cube) Define(api frontend.API) error {
	api.AssertIsEqual(api.Mul(c.X, c.X, c.X), c.Y)
	return nil
}

func compile(t *testing.T, c frontend.Circuit) constraint.ConstraintSystem {
	t.Helper()
	cs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, c)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

var cfg = protocol.Config{Depth: 4, Transfers: 1}

func TestSetupWritesAndLoads(t *testing.T) {
	dir := t.TempDir()
	ccs := compile(t, &square{})
	set, err := Setup(context.Background(), cfg, ccs, dir, SetupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{ProvingKeyFile, VerifyingKeyFile, VerifierFile, MetaFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatalf("%s not written: %v", f, err)
		}
	}
	if set.Meta.Ceremony != DevCeremony || !strings.Contains(DevCeremony, "UNSAFE") {
		t.Fatalf("ceremony %q must say the keys are unsafe", set.Meta.Ceremony)
	}
	sol, _ := os.ReadFile(filepath.Join(dir, VerifierFile))
	if !strings.Contains(string(sol), "function verifyProof") {
		t.Fatal("Verifier.sol is not gnark's exported verifier")
	}

	loaded, err := Load(dir, ccs)
	if err != nil {
		t.Fatal(err)
	}
	// The loaded keys prove and verify.
	w, _ := frontend.NewWitness(&square{X: 3, Y: 9}, ecc.BN254.ScalarField())
	proof, err := groth16.Prove(ccs, loaded.PK, w)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := w.Public()
	if err := groth16.Verify(proof, loaded.VK, pub); err != nil {
		t.Fatal(err)
	}
	vk, err := LoadVerifyingKey(filepath.Join(dir, VerifyingKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := groth16.Verify(proof, vk, pub); err != nil {
		t.Fatal(err)
	}
}

func TestSetupRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	ccs := compile(t, &square{})
	if _, err := Setup(context.Background(), cfg, ccs, dir, SetupOptions{}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, MetaFile))
	if _, err := Setup(context.Background(), cfg, ccs, dir, SetupOptions{}); !errors.Is(err, ErrExists) {
		t.Fatalf("second setup: got %v, want ErrExists", err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, MetaFile))
	if string(before) != string(after) {
		t.Fatal("refused setup still changed meta.json")
	}
	if _, err := Setup(context.Background(), cfg, ccs, dir, SetupOptions{Force: true}); err != nil {
		t.Fatalf("forced setup: %v", err)
	}
}

func TestLoadDetectsWrongCircuit(t *testing.T) {
	dir := t.TempDir()
	if _, err := Setup(context.Background(), cfg, compile(t, &square{}), dir, SetupOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir, compile(t, &cube{})); !errors.Is(err, ErrMismatch) {
		t.Fatalf("loading square keys for cube: got %v, want ErrMismatch", err)
	}
}

func TestCachedReusesKeys(t *testing.T) {
	t.Setenv("SHEAF_KEY_CACHE", t.TempDir())
	ccs := compile(t, &square{})
	a, err := Cached(context.Background(), cfg, ccs, SetupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Cached(context.Background(), cfg, ccs, SetupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Meta.CreatedAt != b.Meta.CreatedAt || a.Meta.CircuitHash != b.Meta.CircuitHash {
		t.Fatal("second Cached call ran a new setup")
	}
	hash, _ := CircuitHash(ccs)
	if _, err := os.Stat(filepath.Join(CacheDir(), hash, MetaFile)); err != nil {
		t.Fatalf("cache not keyed by circuit hash: %v", err)
	}
	other, err := Cached(context.Background(), cfg, compile(t, &cube{}), SetupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if other.Meta.CircuitHash == a.Meta.CircuitHash {
		t.Fatal("different circuits share a cache entry")
	}
}
