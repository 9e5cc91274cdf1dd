// Package warm exists only so `go mod tidy` records every pinned dependency
// before the packages that use them are written. Removed once they exist.
package warm

import (
	_ "github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	_ "github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"
	_ "github.com/consensys/gnark/backend/groth16"
	_ "github.com/consensys/gnark/backend/solidity"
	_ "github.com/consensys/gnark/frontend/cs/r1cs"
	_ "github.com/consensys/gnark/std/algebra/native/twistededwards"
	_ "github.com/consensys/gnark/std/hash/poseidon2"
	_ "github.com/consensys/gnark/std/permutation/poseidon2"
	_ "github.com/consensys/gnark/std/signature/eddsa"
	_ "github.com/consensys/gnark/test"
	_ "github.com/ethereum/go-ethereum/ethclient/simulated"
	_ "github.com/ethereum/go-ethereum/rpc"
	_ "github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/prometheus/client_golang/prometheus"
)
