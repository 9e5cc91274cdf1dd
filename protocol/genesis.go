package protocol

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// FeeAccountIndex is the operator's fee account at genesis. It exists in the
// genesis state, so no depositor can take it by depositing first.
const FeeAccountIndex = 1

// GenesisNextIndex is the first index a deposit can open: every index below
// it exists at genesis.
const GenesisNextIndex = FeeAccountIndex + 1

// GenesisAccounts are the accounts of the genesis state (indexes 1..len):
// account 1 holds the operator's fee key with balance and nonce 0.
func GenesisAccounts(feeKey PublicKey) []Account {
	return []Account{{PubKey: feeKey}}
}

// GenesisState is the state every rollup starts from: the tree with only
// the fee account (GenesisAccounts). The rollup contract's constructor takes
// its root and the fee key; sequencer and auditor start from it.
func GenesisState(cfg Config, chainID uint64, contract [20]byte, feeKey PublicKey) (*State, error) {
	if err := feeKey.ValidateDepositKey(); err != nil {
		return nil, fmt.Errorf("genesis fee key: %w", err)
	}
	return LoadState(cfg, chainID, contract, GenesisAccounts(feeKey), 0, 0)
}

// GenesisRoot is GenesisState's root (the tree does not depend on the chain
// id or the contract).
func GenesisRoot(cfg Config, feeKey PublicKey) (fr.Element, error) {
	st, err := GenesisState(cfg, 0, [20]byte{}, feeKey)
	if err != nil {
		return fr.Element{}, err
	}
	return st.Root(), nil
}
