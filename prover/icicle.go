//go:build icicle

package prover

import (
	"fmt"
	"io"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/accelerated/icicle"
	icicle_groth16 "github.com/consensys/gnark/backend/accelerated/icicle/groth16"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/witness"
)

// GPUSupported reports whether this binary was built with ICICLE.
const GPUSupported = true

// newGPUProver converts the loaded proving key into ICICLE's proving key
// (same serialization, plus device pointers set up on first use) and
// proves on the given CUDA device, keeping the key pinned in GPU memory
// (a prover process proves many batches with one key).
func newGPUProver(device int, c *Circuit) (proveFunc, error) {
	pk := icicle_groth16.NewProvingKey(ecc.BN254)
	r, w := io.Pipe()
	go func() {
		_, err := c.Keys.PK.WriteRawTo(w)
		w.CloseWithError(err)
	}()
	if _, err := pk.UnsafeReadFrom(r); err != nil {
		r.CloseWithError(err)
		return nil, fmt.Errorf("prover: ICICLE proving key: %w", err)
	}
	opts := []icicle.Option{
		icicle.WithDeviceID(device),
		icicle.WithPinKeysToGPU(true),
		icicle.WithProverOptions(proverOpts...),
	}
	return func(wit witness.Witness) (groth16.Proof, error) {
		return icicle_groth16.Prove(c.CCS, pk, wit, opts...)
	}, nil
}
