package circuits

import (
	"context"
	"fmt"
	"log/slog"
	"syscall"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/frontend"

	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/blob"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// BenchResult is what `sheaf bench circuit` prints.
type BenchResult struct {
	Config                  protocol.Config `json:"config"`
	Constraints             int             `json:"constraints"`
	ConstraintsPerTransfer  float64         `json:"constraints_per_transfer"`
	PubdataBytesPerTransfer int             `json:"pubdata_bytes_per_transfer"`
	PubdataBytes            int             `json:"pubdata_bytes"`
	Sha256Blocks            int             `json:"sha256_blocks"`
	Commitments             int             `json:"commitments"`
	CompileSeconds          float64         `json:"compile_seconds"`
	SetupSeconds            float64         `json:"setup_seconds,omitempty"`
	ProveSeconds            float64         `json:"prove_seconds,omitempty"`
	VerifySeconds           float64         `json:"verify_seconds,omitempty"`
	ProofBytes              int             `json:"proof_bytes,omitempty"`
	PeakRSSBytes            int64           `json:"peak_rss_bytes,omitempty"`
	Breakdown               *Breakdown      `json:"breakdown,omitempty"`
}

// Bench compiles cfg's circuit and, when prove is set, runs a fresh
// single-party setup and proves a batch that fills every slot.
func Bench(ctx context.Context, cfg protocol.Config, prove bool, log *slog.Logger) (*BenchResult, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &BenchResult{Config: cfg, PubdataBytesPerTransfer: cfg.TransferBytes(), PubdataBytes: cfg.PubdataSize()}
	if !cfg.Blob() { // blob mode hashes nothing with SHA-256
		r.Sha256Blocks = (cfg.PreimageSize() + 9 + 63) / 64
	}
	log.Info("compiling circuit", "config", cfg.String())
	t0 := time.Now()
	ccs, err := Compile(cfg)
	if err != nil {
		return nil, err
	}
	r.CompileSeconds = time.Since(t0).Seconds()
	r.Constraints = ccs.GetNbConstraints()
	r.Commitments = len(ccs.GetCommitments().CommitmentIndexes())
	if cfg.Transfers > 0 {
		r.ConstraintsPerTransfer = float64(r.Constraints) / float64(cfg.Transfers)
	}
	log.Info("compiled", "constraints", r.Constraints, "seconds", r.CompileSeconds)
	if r.Breakdown, err = Measure(cfg, r.Constraints); err != nil {
		return nil, err
	}
	if !prove {
		return r, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	log.Warn("running a single-party setup for the benchmark (development keys)")
	t0 = time.Now()
	pk, vk, err := groth16.Setup(ccs)
	if err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}
	r.SetupSeconds = time.Since(t0).Seconds()
	log.Info("setup done", "seconds", r.SetupSeconds)

	b, err := protocoltest.FullBatch(cfg)
	if err != nil {
		return nil, fmt.Errorf("build batch: %w", err)
	}
	w, err := benchWitness(b)
	if err != nil {
		return nil, err
	}
	log.Info("proving")
	t0 = time.Now()
	proof, err := groth16.Prove(ccs, pk, w, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
	if err != nil {
		return nil, fmt.Errorf("prove: %w", err)
	}
	r.ProveSeconds = time.Since(t0).Seconds()
	pub, err := w.Public()
	if err != nil {
		return nil, err
	}
	t0 = time.Now()
	if err := groth16.Verify(proof, vk, pub, solidity.WithVerifierTargetSolidityVerifier(backend.GROTH16)); err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	r.VerifySeconds = time.Since(t0).Seconds()
	if m, ok := proof.(interface{ MarshalSolidity() []byte }); ok {
		r.ProofBytes = len(m.MarshalSolidity())
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		r.PeakRSSBytes = ru.Maxrss * 1024 // Linux reports KiB
	}
	log.Info("proved", "seconds", r.ProveSeconds, "peak_rss_bytes", r.PeakRSSBytes)
	return r, nil
}

// benchWitness is the witness of b; in blob mode with the versioned hash
// of the blob its transfer section packs into.
func benchWitness(b *protocol.Batch) (witness.Witness, error) {
	if !b.Config.Blob() {
		return Witness(b)
	}
	blobs, _, err := blob.Pack(protocol.TransferSection(b.Config, b.Pubdata))
	if err != nil {
		return nil, err
	}
	vh, err := blob.VersionedHash(&blobs[0])
	if err != nil {
		return nil, err
	}
	a, err := AssignBlob(b, vh)
	if err != nil {
		return nil, err
	}
	w, err := frontend.NewWitness(a, ecc.BN254.ScalarField())
	if err != nil {
		return nil, fmt.Errorf("witness: %w", err)
	}
	return w, nil
}
