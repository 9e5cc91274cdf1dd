package l1

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"github.com/consensys/gnark/backend/groth16"
)

// ErrNoSolc: node or the solc npm package is missing.
var ErrNoSolc = errors.New("solc-js is not available: install Node.js and run `npm ci` at the repository root")

// CompileScript is scripts/compile.js of this source tree, located from this
// file's path (works in tests and `go run` from a checkout; set
// SHEAF_COMPILE_SCRIPT elsewhere).
func CompileScript() string {
	if p := os.Getenv("SHEAF_COMPILE_SCRIPT"); p != "" {
		return p
	}
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return filepath.Join("l1", "scripts", "compile.js")
	}
	return filepath.Join(filepath.Dir(file), "scripts", "compile.js")
}

// Compile runs scripts/compile.js on the sources, writing artifacts to
// outDir and, when splitDir is set, abigen's .abi/.bin inputs there.
func Compile(ctx context.Context, outDir, splitDir string, sources ...string) error {
	if _, err := exec.LookPath("node"); err != nil {
		return fmt.Errorf("%w (node: %v)", ErrNoSolc, err)
	}
	args := []string{CompileScript(), "--out", outDir}
	if splitDir != "" {
		args = append(args, "--split", splitDir)
	}
	args = append(args, sources...)
	cmd := exec.CommandContext(ctx, "node", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) && ee.ExitCode() == 2 {
			return fmt.Errorf("%w: %s", ErrNoSolc, stderr.String())
		}
		return fmt.Errorf("compile %v: %w: %s", sources, err, stderr.String())
	}
	return nil
}

// CompileVerifier exports gnark's Solidity verifier for vk and compiles it;
// it returns the contract's creation bytecode.
func CompileVerifier(ctx context.Context, vk groth16.VerifyingKey) ([]byte, error) {
	dir, err := os.MkdirTemp("", "sheaf-verifier-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "Verifier.sol")
	f, err := os.Create(src)
	if err != nil {
		return nil, err
	}
	if err := vk.ExportSolidity(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("export verifier: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return CompileVerifierSource(ctx, src)
}

// CompileVerifierSource compiles an exported Verifier.sol (for instance the
// one keys.Setup writes beside the keys) and returns its creation bytecode.
func CompileVerifierSource(ctx context.Context, path string) ([]byte, error) {
	out, err := os.MkdirTemp("", "sheaf-verifier-out-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(out)
	if err := Compile(ctx, out, "", path); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(filepath.Join(out, "Verifier.json"))
	if err != nil {
		return nil, fmt.Errorf("verifier artifact: %w", err)
	}
	a, err := ParseArtifact(b)
	if err != nil {
		return nil, err
	}
	return a.Bytecode, nil
}
