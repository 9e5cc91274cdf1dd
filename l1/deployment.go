package l1

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sheafrollup/sheaf/protocol"
)

// DeploymentFile is what `sheaf deploy` writes (deployment.json) and the
// other services read: where the contracts are, on which chain, and the
// settings they were deployed with.
type DeploymentFile struct {
	ChainID    uint64          `json:"chain_id"`
	Rollup     common.Address  `json:"rollup"`
	Verifier   common.Address  `json:"verifier"`
	Owner      common.Address  `json:"owner"`
	RollupTx   common.Hash     `json:"rollup_tx"`
	VerifierTx common.Hash     `json:"verifier_tx"`
	Block      uint64          `json:"block"` // the rollup's deployment block: watchers start there
	Circuit    protocol.Config `json:"circuit"`
	Sequencer  common.Address  `json:"sequencer"`
	FeeAccount uint32          `json:"fee_account"`
	DepositCap *big.Int        `json:"deposit_cap"`
}

// NewDeploymentFile describes a deployment made by Deploy with cfg.
func NewDeploymentFile(d *Deployment, cfg DeployConfig) *DeploymentFile {
	depositCap := cfg.DepositCap
	if depositCap == nil {
		depositCap = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	}
	return &DeploymentFile{
		ChainID: d.ChainID, Rollup: d.Rollup, Verifier: d.Verifier, Owner: d.Owner,
		RollupTx: d.RollupTx, VerifierTx: d.VerifierTx, Block: d.Block,
		Circuit: cfg.Circuit, Sequencer: cfg.Sequencer, FeeAccount: cfg.FeeAccount,
		DepositCap: new(big.Int).Set(depositCap),
	}
}

// Deployment returns the addresses part.
func (f *DeploymentFile) Deployment() *Deployment {
	return &Deployment{ChainID: f.ChainID, Owner: f.Owner, Verifier: f.Verifier, Rollup: f.Rollup,
		VerifierTx: f.VerifierTx, RollupTx: f.RollupTx, Block: f.Block}
}

// Check refuses a file that cannot describe a deployment.
func (f *DeploymentFile) Check() error {
	switch {
	case f.ChainID == 0:
		return errors.New("deployment: no chain id")
	case f.Rollup == (common.Address{}):
		return errors.New("deployment: no rollup address")
	case f.Verifier == (common.Address{}):
		return errors.New("deployment: no verifier address")
	}
	if err := f.Circuit.Check(); err != nil {
		return fmt.Errorf("deployment: circuit: %w", err)
	}
	return nil
}

// WriteDeployment writes f as indented JSON to path, atomically (a reader
// never sees half a file).
func WriteDeployment(path string, f *DeploymentFile) error {
	if err := f.Check(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write deployment: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("write deployment: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write deployment: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write deployment: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write deployment: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write deployment: %w", err)
	}
	return nil
}

// ReadDeployment reads and checks a file written by WriteDeployment
// (`sheaf deploy --deploy.out`). Unknown fields are refused, so a typo in a
// hand-edited file does not pass silently.
func ReadDeployment(path string) (*DeploymentFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read deployment: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var f DeploymentFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("read deployment %s: %w", path, err)
	}
	if err := f.Check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &f, nil
}
