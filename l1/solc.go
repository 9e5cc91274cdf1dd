package l1

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed" // compile.js
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/consensys/gnark/backend/groth16"

	"github.com/sheafrollup/sheaf/circuits/keys"
)

// ErrNoSolc: node or the solc npm package is missing.
var ErrNoSolc = errors.New("solc-js is not available: install Node.js and the solc npm package (`npm ci` in a checkout, or `npm install solc@0.8.37` in the working directory, or point NODE_PATH at a node_modules that has it)")

// compileJS is scripts/compile.js, built into the binary: a `sheaf deploy`
// copied anywhere needs no checkout, only Node.js and solc-js.
//
//go:embed scripts/compile.js
var compileJS []byte

// Compile runs scripts/compile.js on the sources, writing artifacts to
// outDir and, when splitDir is set, abigen's .abi/.bin inputs there. The
// script is the embedded copy, fed to node on standard input, so node
// finds the solc package the way it would for a script in the working
// directory: in node_modules there or in a folder above, or through
// NODE_PATH. SHEAF_COMPILE_SCRIPT names another script file instead.
func Compile(ctx context.Context, outDir, splitDir string, sources ...string) error {
	if _, err := exec.LookPath("node"); err != nil {
		return fmt.Errorf("%w (node: %v)", ErrNoSolc, err)
	}
	script, stdin := "-", bytes.NewReader(compileJS)
	if p := os.Getenv("SHEAF_COMPILE_SCRIPT"); p != "" {
		script, stdin = p, nil
	}
	args := []string{script, "--out", outDir}
	if splitDir != "" {
		args = append(args, "--split", splitDir)
	}
	args = append(args, sources...)
	cmd := exec.CommandContext(ctx, "node", args...)
	if stdin != nil {
		cmd.Stdin = stdin
	}
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
// it returns the contract's creation bytecode. Development builds (tests,
// the devnet, benchmarks) compile the same few verifiers over and over, a
// few seconds of solc each, so the bytecode is cached beside the
// development keys (keys.CacheDir()/verifiers), keyed by the exported
// source, the compile script and the solc-js version.
func CompileVerifier(ctx context.Context, vk groth16.VerifyingKey) ([]byte, error) {
	var sol bytes.Buffer
	if err := vk.ExportSolidity(&sol); err != nil {
		return nil, fmt.Errorf("export verifier: %w", err)
	}
	cached := verifierCachePath(ctx, sol.Bytes())
	if cached != "" {
		if b, err := os.ReadFile(cached); err == nil && len(b) > 0 {
			return b, nil
		}
	}
	dir, err := os.MkdirTemp("", "sheaf-verifier-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "Verifier.sol")
	if err := os.WriteFile(src, sol.Bytes(), 0o644); err != nil {
		return nil, err
	}
	code, err := CompileVerifierSource(ctx, src)
	if err != nil {
		return nil, err
	}
	if cached != "" { // best effort: a cache that cannot be written only costs time
		if err := os.MkdirAll(filepath.Dir(cached), 0o755); err == nil {
			tmp := cached + fmt.Sprintf(".%d.tmp", os.Getpid())
			if os.WriteFile(tmp, code, 0o644) == nil {
				os.Rename(tmp, cached) //nolint:errcheck
			}
		}
	}
	return code, nil
}

// verifierCachePath is where CompileVerifier caches the bytecode of a
// verifier source ("" when solc-js's version cannot be read: no cache).
func verifierCachePath(ctx context.Context, source []byte) string {
	if _, err := exec.LookPath("node"); err != nil {
		return ""
	}
	cmd := exec.CommandContext(ctx, "node", "-p", "require('solc/package.json').version")
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	h := sha256.New()
	for _, part := range [][]byte{source, compileJS, bytes.TrimSpace(out)} {
		fmt.Fprintf(h, "%d:", len(part))
		h.Write(part)
	}
	return filepath.Join(keys.CacheDir(), "verifiers", hex.EncodeToString(h.Sum(nil))+".bin")
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
