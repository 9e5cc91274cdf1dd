// Package keys generates, stores and loads Groth16 keys for batch circuits.
// Every key set records the hash of the constraint system it was made for,
// so a key that does not match its circuit is refused on load.
//
// The setup here is single-party: whoever runs it knows the toxic waste and
// could forge proofs. It is for development and tests only; production keys
// come from an MPC ceremony (gnark's backend/groth16/bn254/mpcsetup).
package keys

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"

	"github.com/sheafrollup/sheaf/protocol"
)

// File names inside a key directory.
const (
	ProvingKeyFile   = "proving.key"
	VerifyingKeyFile = "verifying.key"
	VerifierFile     = "Verifier.sol"
	MetaFile         = "meta.json"
)

// ErrExists: keys are never overwritten without Force.
var ErrExists = errors.New("keys already exist")

// ErrMismatch: the keys were made for a different circuit.
var ErrMismatch = errors.New("keys do not match the circuit")

// Circuit kinds a key set can be for.
const (
	CircuitBatch = ""     // the batch circuit of Config (older key sets record no kind)
	CircuitExit  = "exit" // the exit circuit of Config.Depth (circuits/exit)
)

// Meta describes a key set.
type Meta struct {
	Circuit     string          `json:"circuit,omitempty"` // CircuitBatch or CircuitExit
	Config      protocol.Config `json:"config"`
	CircuitHash string          `json:"circuit_hash"`
	Constraints int             `json:"constraints"`
	CreatedAt   time.Time       `json:"created_at"`
	Ceremony    string          `json:"ceremony"`
}

// DevCeremony marks keys from a single-party setup.
const DevCeremony = "single-party (UNSAFE: development only)"

// CircuitHash is SHA-256 of the serialized constraint system.
func CircuitHash(ccs constraint.ConstraintSystem) (string, error) {
	h := sha256.New()
	if _, err := ccs.WriteTo(h); err != nil {
		return "", fmt.Errorf("hash circuit: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Set is a loaded key set.
type Set struct {
	Meta Meta
	PK   groth16.ProvingKey
	VK   groth16.VerifyingKey
}

// SetupOptions control Setup.
type SetupOptions struct {
	Circuit  string        // kind recorded in meta.json (CircuitBatch, CircuitExit)
	Force    bool          // overwrite existing keys
	Log      *slog.Logger  // progress; nil for none
	Interval time.Duration // progress period (default 10 s)
}

// Setup runs a single-party Groth16 setup for ccs and writes the proving
// key (gnark raw format, fast to load), the verifying key, the exported
// Solidity verifier and meta.json into dir.
func Setup(ctx context.Context, cfg protocol.Config, ccs constraint.ConstraintSystem, dir string, opt SetupOptions) (*Set, error) {
	if _, err := os.Stat(filepath.Join(dir, MetaFile)); err == nil && !opt.Force {
		return nil, fmt.Errorf("%w in %s (use --force to replace them)", ErrExists, dir)
	}
	hash, err := CircuitHash(ccs)
	if err != nil {
		return nil, err
	}
	log := opt.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	interval := opt.Interval
	if interval <= 0 {
		interval = 10 * time.Second
	}
	log.Warn("running a single-party Groth16 setup: the keys are for development only", "circuit", opt.Circuit, "config", cfg.String(), "constraints", ccs.GetNbConstraints())
	start := time.Now()
	done := make(chan struct{})
	go func() { // progress: gnark's Setup has no callback, so report elapsed time
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				log.Info("setup in progress", "elapsed", time.Since(start).Round(time.Second).String())
			}
		}
	}()
	pk, vk, err := groth16.Setup(ccs)
	close(done)
	if err != nil {
		return nil, fmt.Errorf("groth16 setup: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	log.Info("setup done", "seconds", time.Since(start).Seconds())
	set := &Set{PK: pk, VK: vk, Meta: Meta{Circuit: opt.Circuit, Config: cfg, CircuitHash: hash, Constraints: ccs.GetNbConstraints(), CreatedAt: time.Now().UTC(), Ceremony: DevCeremony}}
	if err := set.Write(dir); err != nil {
		return nil, err
	}
	return set, nil
}

// Write stores the set in dir, meta.json last so a half-written set is
// never taken for a complete one.
func (s *Set) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("keys dir: %w", err)
	}
	if err := writeFile(filepath.Join(dir, ProvingKeyFile), func(w io.Writer) error { _, err := s.PK.WriteRawTo(w); return err }); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, VerifyingKeyFile), func(w io.Writer) error { _, err := s.VK.WriteTo(w); return err }); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, VerifierFile), func(w io.Writer) error { return s.VK.ExportSolidity(w) }); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, MetaFile), func(w io.Writer) error {
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		return e.Encode(s.Meta)
	})
}

func writeFile(path string, fill func(io.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := fill(bw); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return os.Rename(tmp, path)
}

// ReadMeta reads a key directory's meta.json.
func ReadMeta(dir string) (Meta, error) {
	var m Meta
	b, err := os.ReadFile(filepath.Join(dir, MetaFile))
	if err != nil {
		return m, fmt.Errorf("read key meta: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("parse %s: %w", MetaFile, err)
	}
	return m, nil
}

// Load reads a key set and checks it was made for ccs.
func Load(dir string, ccs constraint.ConstraintSystem) (*Set, error) {
	m, err := ReadMeta(dir)
	if err != nil {
		return nil, err
	}
	hash, err := CircuitHash(ccs)
	if err != nil {
		return nil, err
	}
	if m.CircuitHash != hash {
		return nil, fmt.Errorf("%w: %s has keys for circuit %s, this circuit is %s", ErrMismatch, dir, m.CircuitHash[:12], hash[:12])
	}
	return loadFiles(dir, m)
}

func loadFiles(dir string, m Meta) (*Set, error) {
	pk := groth16.NewProvingKey(ecc.BN254)
	if err := readFile(filepath.Join(dir, ProvingKeyFile), func(r io.Reader) error { _, err := pk.UnsafeReadFrom(r); return err }); err != nil {
		return nil, err
	}
	vk := groth16.NewVerifyingKey(ecc.BN254)
	if err := readFile(filepath.Join(dir, VerifyingKeyFile), func(r io.Reader) error { _, err := vk.ReadFrom(r); return err }); err != nil {
		return nil, err
	}
	return &Set{Meta: m, PK: pk, VK: vk}, nil
}

func readFile(path string, read func(io.Reader) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	if err := read(bufio.NewReaderSize(f, 1<<20)); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}

// LoadVerifyingKey reads only the verifying key (auditors need no more).
func LoadVerifyingKey(path string) (groth16.VerifyingKey, error) {
	vk := groth16.NewVerifyingKey(ecc.BN254)
	if err := readFile(path, func(r io.Reader) error { _, err := vk.ReadFrom(r); return err }); err != nil {
		return nil, err
	}
	return vk, nil
}

// ErrVerifierMismatch: Verifier.sol is not the Solidity exported from the
// verifying key beside it.
var ErrVerifierMismatch = errors.New("the Solidity verifier was not generated from the verifying key next to it")

// CheckVerifier exports the Solidity verifier of dir's verifying key again
// and compares it with dir's Verifier.sol byte for byte: a contract that
// does not match the key would accept other proofs than the provers make.
func CheckVerifier(dir string) error {
	vk, err := LoadVerifyingKey(filepath.Join(dir, VerifyingKeyFile))
	if err != nil {
		return err
	}
	var want bytes.Buffer
	if err := vk.ExportSolidity(&want); err != nil {
		return fmt.Errorf("export verifier: %w", err)
	}
	got, err := os.ReadFile(filepath.Join(dir, VerifierFile))
	if err != nil {
		return fmt.Errorf("read %s: %w", VerifierFile, err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		return fmt.Errorf("%w: %s in %s differs from the export of %s (regenerate it from the key, or delete it to compile from the key)",
			ErrVerifierMismatch, VerifierFile, dir, VerifyingKeyFile)
	}
	return nil
}
