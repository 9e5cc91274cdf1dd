package l1

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/abigen"
)

// contractSources are the committed contracts, in `make contracts` order.
var contractSources = []string{"contracts/Rollup.sol", "contracts/Poseidon2.sol"}

// boundTypes are the contracts with committed Go bindings (file name = lower case).
var boundTypes = []string{"Rollup"}

// TestArtifactsUpToDate recompiles the sources into a temporary directory and
// regenerates the bindings exactly as `make contracts` does (abigen --v2 is
// abigen.BindV2 on the .abi/.bin files): the committed files must be equal
// byte for byte. Run `make contracts` after editing a contract.
func TestArtifactsUpToDate(t *testing.T) {
	out, split := t.TempDir(), t.TempDir()
	if err := Compile(context.Background(), out, split, contractSources...); err != nil {
		t.Fatalf("%v\n(tests that compile Solidity need Node.js and `npm ci` at the repository root)", err)
	}
	got, err := filepath.Glob(filepath.Join(out, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := filepath.Glob(filepath.Join("artifacts", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	names := func(ps []string) []string {
		var n []string
		for _, p := range ps {
			n = append(n, filepath.Base(p))
		}
		sort.Strings(n)
		return n
	}
	if g, w := names(got), names(want); !equalStrings(g, w) {
		t.Fatalf("artifacts: compiler writes %v, committed %v: run `make contracts`", g, w)
	}
	for _, p := range got {
		fresh, _ := os.ReadFile(p)
		committed, err := os.ReadFile(filepath.Join("artifacts", filepath.Base(p)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fresh, committed) {
			t.Errorf("l1/artifacts/%s differs from a fresh compile: run `make contracts`", filepath.Base(p))
		}
	}
	for _, typ := range boundTypes {
		abiJSON, err := os.ReadFile(filepath.Join(split, typ+".abi"))
		if err != nil {
			t.Fatal(err)
		}
		bin, err := os.ReadFile(filepath.Join(split, typ+".bin"))
		if err != nil {
			t.Fatal(err)
		}
		code, err := abigen.BindV2([]string{typ}, []string{string(abiJSON)}, []string{string(bin)}, "bindings", map[string]string{}, map[string]string{})
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join("bindings", toLower(typ)+".go")
		committed, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if code != string(committed) {
			t.Errorf("l1/%s differs from freshly generated bindings: run `make contracts`", file)
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func toLower(s string) string { return string(bytes.ToLower([]byte(s))) }
