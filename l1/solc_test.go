package l1

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestCompileNeedsNoCheckout: Compile carries its script, so it works from
// any working directory (a binary copied out of the checkout) as long as
// node finds solc-js, here through NODE_PATH; without solc-js it says
// what is missing.
func TestCompileNeedsNoCheckout(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("no node")
	}
	nodeModules, err := filepath.Abs(filepath.Join("..", "node_modules"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(nodeModules, "solc")); err != nil {
		t.Skip("solc-js not installed (npm ci)")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "Tiny.sol")
	if err := os.WriteFile(src, []byte("// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0;\ncontract Tiny { function f() external pure returns (uint256) { return 7; } }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir) // outside the checkout: no node_modules above
	t.Setenv("SHEAF_COMPILE_SCRIPT", "")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	t.Setenv("NODE_PATH", "")
	if err := Compile(ctx, filepath.Join(dir, "none"), "", src); !errors.Is(err, ErrNoSolc) {
		t.Fatalf("without solc-js: %v, want ErrNoSolc", err)
	}
	t.Setenv("NODE_PATH", nodeModules)
	out := filepath.Join(dir, "out")
	if err := Compile(ctx, out, "", src); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "Tiny.json"))
	if err != nil {
		t.Fatal(err)
	}
	if a, err := ParseArtifact(b); err != nil || len(a.Bytecode) == 0 {
		t.Fatalf("artifact: %v", err)
	}
}
