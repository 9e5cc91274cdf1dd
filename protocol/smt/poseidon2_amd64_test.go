package smt

import (
	"testing"

	"github.com/consensys/gnark-crypto/utils/cpu"
)

// TestHashNodesGeneric repeats TestHashNodesMatchesHashNode with fr's
// vector multiplication on its plain loop, as on a CPU without AVX-512
// IFMA, so both paths are checked wherever the tests run. (Not parallel:
// it flips a process-wide switch.)
func TestHashNodesGeneric(t *testing.T) {
	if !cpu.SupportAVX512IFMA {
		t.Skip("this CPU has no AVX-512 IFMA: TestHashNodesMatchesHashNode already ran the plain loop")
	}
	cpu.SupportAVX512IFMA = false
	defer func() { cpu.SupportAVX512IFMA = true }()
	TestHashNodesMatchesHashNode(t)
}
