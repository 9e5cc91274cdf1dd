//go:build !icicle

package prover

import "errors"

// GPUSupported reports whether this binary was built with ICICLE.
const GPUSupported = false

// ErrNoGPU is returned for backend gpu in a binary built without ICICLE.
var ErrNoGPU = errors.New("this binary was built without GPU support; build with -tags icicle (see docs/prover.md)")

func newGPUProver(int, *Circuit) (proveFunc, error) { return nil, ErrNoGPU }
