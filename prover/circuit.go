package prover

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/constraint"

	"github.com/sheafrollup/sheaf/circuits"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/protocol"
)

// Circuit is a compiled configuration with its keys, loaded once per
// process and shared by its workers.
type Circuit struct {
	Config protocol.Config
	CCS    constraint.ConstraintSystem
	Keys   *keys.Set
}

// LoadCircuit compiles cfg and loads its keys from keysDir (KeysDir itself
// or KeysDir/<config>), checked against the circuit's hash; with an empty
// keysDir it uses the development key cache (keys.Cached).
func LoadCircuit(ctx context.Context, cfg protocol.Config, keysDir string, log *slog.Logger) (*Circuit, error) {
	t0 := time.Now()
	ccs, err := circuits.Compile(cfg)
	if err != nil {
		return nil, err
	}
	var set *keys.Set
	if keysDir == "" {
		set, err = keys.Cached(ctx, cfg, ccs, keys.SetupOptions{Log: log})
	} else {
		dir := keysDir
		if _, serr := os.Stat(filepath.Join(dir, keys.MetaFile)); serr != nil {
			dir = filepath.Join(keysDir, cfg.String())
		}
		set, err = keys.Load(dir, ccs)
	}
	if err != nil {
		return nil, fmt.Errorf("prover: keys for %s: %w", cfg, err)
	}
	if set.Meta.Config != cfg {
		return nil, fmt.Errorf("prover: keys were made for %s, not %s", set.Meta.Config, cfg)
	}
	log.Info("circuit loaded", "config", cfg.String(), "constraints", ccs.GetNbConstraints(),
		"ceremony", set.Meta.Ceremony, "seconds", time.Since(t0).Seconds())
	return &Circuit{Config: cfg, CCS: ccs, Keys: set}, nil
}

// A Backend proves full witnesses of one circuit. Its proofs are not
// trusted: the pool verifies each one (Verify) before storing it, since a
// faulty accelerator can return a proof that does not verify.
type Backend interface {
	Prove(w witness.Witness) (groth16.Proof, error)
}

// proveFunc adapts a function to Backend.
type proveFunc func(w witness.Witness) (groth16.Proof, error)

func (f proveFunc) Prove(w witness.Witness) (groth16.Proof, error) { return f(w) }

// ErrInvalidProof marks a proof that a backend returned without error but
// that does not verify against the batch's public input.
var ErrInvalidProof = errors.New("the proof does not verify")

// Every proof targets the Solidity verifier (gnark's exported contract).
var (
	proverOpts   = []backend.ProverOption{solidity.WithProverTargetSolidityVerifier(backend.GROTH16)}
	verifierOpts = []backend.VerifierOption{solidity.WithVerifierTargetSolidityVerifier(backend.GROTH16)}
)

// NewBackend returns the named backend's prover for c (BackendCPU, or
// BackendGPU on CUDA device `device` in a binary built with -tags icicle).
func NewBackend(name string, device int, c *Circuit) (Backend, error) {
	switch name {
	case BackendCPU, "":
		return proveFunc(func(w witness.Witness) (groth16.Proof, error) {
			return groth16.Prove(c.CCS, c.Keys.PK, w, proverOpts...)
		}), nil
	case BackendGPU:
		return newGPUProver(device, c)
	default:
		return nil, fmt.Errorf("prover: unknown backend %q", name)
	}
}

// Verify checks a proof against the batch's public input as the contract
// will (natively, on the CPU) and returns its Solidity encoding; a proof
// that does not verify is an error wrapping ErrInvalidProof.
func Verify(c *Circuit, proof groth16.Proof, w witness.Witness) ([]byte, error) {
	pub, err := w.Public()
	if err != nil {
		return nil, err
	}
	if err := groth16.Verify(proof, c.Keys.VK, pub, verifierOpts...); err != nil {
		return nil, fmt.Errorf("local verification: %w: %w", ErrInvalidProof, err)
	}
	type solidityProof interface{ MarshalSolidity() []byte }
	sp, ok := proof.(solidityProof)
	if !ok {
		return nil, fmt.Errorf("proof type %T has no Solidity encoding", proof)
	}
	return sp.MarshalSolidity(), nil
}
