package circuits

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"

	"github.com/sheafrollup/sheaf/protocol"
)

// Compile builds the R1CS of a configuration.
func Compile(cfg protocol.Config) (constraint.ConstraintSystem, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if !cfg.Concrete() {
		return nil, fmt.Errorf("compile %s: an auto deployment has two circuits (Config.Modes), compile each", cfg)
	}
	cs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, New(cfg))
	if err != nil {
		return nil, fmt.Errorf("compile %s: %w", cfg, err)
	}
	return cs, nil
}
