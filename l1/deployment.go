package l1

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/sheafrollup/sheaf/protocol"
)

// DataAvailabilityCalldata: batches post their pubdata in calldata.
const DataAvailabilityCalldata = "calldata"

// DataAvailabilityBlob: the transfer section of every batch is in a blob
// (a blob-mode circuit, protocol.DABlob; docs/contracts.md "Blob mode").
const DataAvailabilityBlob = "blob"

// DataAvailabilityAuto: each batch goes as calldata or with a blob,
// whichever its sequencer found cheaper (protocol.DAAuto: two circuits,
// two verifiers).
const DataAvailabilityAuto = "auto"

// dataAvailability is the mode a deployment of cfg posts batches in: the
// circuit's, since its verifiers fix it.
func dataAvailability(cfg protocol.Config) string {
	switch {
	case cfg.Blob():
		return DataAvailabilityBlob
	case cfg.Auto():
		return DataAvailabilityAuto
	}
	return DataAvailabilityCalldata
}

// DeploymentFile is what `sheaf deploy` writes (deployment.json) and the
// other services read: where the contracts are, on which chain, and the
// settings they were deployed with. Services check it against the contract
// at start (CheckDeployment). The fee account and the deposit limits can
// change later; the contract, not this file, has their current values.
type DeploymentFile struct {
	ChainID  uint64         `json:"chain_id"`
	Rollup   common.Address `json:"rollup"`
	Verifier common.Address `json:"verifier"`
	// ExitVerifier verifies exit proofs (circuits/exit) in exodus mode.
	ExitVerifier common.Address `json:"exit_verifier"`
	// BlobVerifier verifies the blob batches of an auto deployment (Verifier
	// then verifies its calldata batches); absent otherwise.
	BlobVerifier common.Address  `json:"blob_verifier,omitzero"`
	Owner        common.Address  `json:"owner"`
	RollupTx     common.Hash     `json:"rollup_tx"`
	VerifierTx   common.Hash     `json:"verifier_tx"`
	Block        uint64          `json:"block"` // the rollup's deployment block: watchers start there
	Circuit      protocol.Config `json:"circuit"`
	// DataAvailability is where batch data goes: "calldata", "blob" for
	// a blob-mode circuit, or "auto" (either, per batch).
	DataAvailability string         `json:"data_availability"`
	Sequencer        common.Address `json:"sequencer"`
	// BlobSequencer is the sender of an auto deployment's blob batches as
	// deployed (the owner may change it, as the sequencer); absent otherwise.
	BlobSequencer common.Address `json:"blob_sequencer,omitzero"`
	// FeeKey is the compressed L2 key of account 1, the fee account at genesis.
	FeeKey      hexutil.Bytes `json:"fee_key"`
	GenesisRoot common.Hash   `json:"genesis_root"`
	ChangeDelay uint64        `json:"change_delay"`
	MinDeposit  *big.Int      `json:"min_deposit"`
	DepositCap  *big.Int      `json:"deposit_cap"`
	// PriorityExpiry is how long, in seconds, a queue entry may wait
	// before anyone may start exodus mode.
	PriorityExpiry uint64 `json:"priority_expiry"`
}

// NewDeploymentFile describes a deployment made by Deploy with cfg.
func NewDeploymentFile(d *Deployment, cfg DeployConfig) *DeploymentFile {
	cfg, err := cfg.withDefaults()
	if err != nil { // an invalid fee key (Deploy refuses it): no genesis root, and Check refuses the file
		cfg.GenesisRoot = new([32]byte)
	}
	key := cfg.FeeKey.Bytes()
	return &DeploymentFile{
		ChainID: d.ChainID, Rollup: d.Rollup, Verifier: d.Verifier, ExitVerifier: d.ExitVerifier, BlobVerifier: d.BlobVerifier, Owner: d.Owner,
		PriorityExpiry: uint64(cfg.PriorityExpiry / time.Second),
		RollupTx:       d.RollupTx, VerifierTx: d.VerifierTx, Block: d.Block,
		Circuit: cfg.Circuit, DataAvailability: dataAvailability(cfg.Circuit), Sequencer: cfg.Sequencer, BlobSequencer: cfg.BlobSequencer,
		FeeKey: key[:], GenesisRoot: *cfg.GenesisRoot, ChangeDelay: cfg.ChangeDelay,
		MinDeposit: new(big.Int).Set(cfg.MinDeposit), DepositCap: new(big.Int).Set(cfg.DepositCap),
	}
}

// Deployment returns the addresses part.
func (f *DeploymentFile) Deployment() *Deployment {
	return &Deployment{ChainID: f.ChainID, Owner: f.Owner, Verifier: f.Verifier, ExitVerifier: f.ExitVerifier, BlobVerifier: f.BlobVerifier, Rollup: f.Rollup,
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
	case f.ExitVerifier == (common.Address{}):
		return errors.New("deployment: no exit verifier address")
	case f.PriorityExpiry == 0:
		return errors.New("deployment: no priority expiry")
	case f.Circuit.Auto() && f.BlobVerifier == (common.Address{}):
		return errors.New("deployment: an auto deployment needs a blob_verifier address")
	case !f.Circuit.Auto() && f.BlobVerifier != (common.Address{}):
		return fmt.Errorf("deployment: blob_verifier is for auto deployments, the circuit %s posts batches in %q", f.Circuit, dataAvailability(f.Circuit))
	case f.Circuit.Auto() && (f.BlobSequencer == (common.Address{}) || f.BlobSequencer == f.Sequencer):
		return errors.New("deployment: an auto deployment needs a blob_sequencer address, not the sequencer's")
	case !f.Circuit.Auto() && f.BlobSequencer != (common.Address{}):
		return fmt.Errorf("deployment: blob_sequencer is for auto deployments, the circuit %s posts batches in %q", f.Circuit, dataAvailability(f.Circuit))
	case f.DataAvailability != dataAvailability(f.Circuit):
		return fmt.Errorf("deployment: data_availability %q, the circuit %s posts batches in %q", f.DataAvailability, f.Circuit, dataAvailability(f.Circuit))
	}
	if err := f.Circuit.Check(); err != nil {
		return fmt.Errorf("deployment: circuit: %w", err)
	}
	if _, err := f.FeeAccountKey(); err != nil {
		return err
	}
	return nil
}

// FeeAccountKey decodes FeeKey.
func (f *DeploymentFile) FeeAccountKey() (protocol.PublicKey, error) {
	pk, err := protocol.DecompressPublicKey(f.FeeKey)
	if err == nil {
		err = pk.ValidateDepositKey()
	}
	if err != nil {
		return pk, fmt.Errorf("deployment: fee_key: %w", err)
	}
	return pk, nil
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

// CheckDeployment compares a deployment file with the L1 node it is used
// with (chain id) and with the rollup contract it names (every fixed
// setting), and returns the contract's settings. Each mismatch is an
// ErrMismatch naming both values: a service must not run against a
// contract it would build invalid batches for.
func CheckDeployment(ctx context.Context, c ReadBackend, f *DeploymentFile) (*Settings, error) {
	id, err := c.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("L1 chain id: %w", err)
	}
	if !id.IsUint64() || id.Uint64() != f.ChainID {
		return nil, fmt.Errorf("%w: the deployment file is for chain %d, the L1 node is on chain %s", ErrMismatch, f.ChainID, id)
	}
	s, err := NewReader(c, f.Rollup, f.Block, DefaultFinality).Settings(ctx)
	if err != nil {
		return nil, err
	}
	feeKey, err := f.FeeAccountKey()
	if err != nil {
		return nil, err
	}
	switch {
	case s.Circuit != calldataAsDefault(f.Circuit):
		return nil, fmt.Errorf("%w: the deployment file says circuit %s, the rollup %s has circuit %s", ErrMismatch, f.Circuit, f.Rollup, s.Circuit)
	case s.Verifier != f.Verifier:
		return nil, fmt.Errorf("%w: the deployment file says verifier %s, the rollup %s uses %s", ErrMismatch, f.Verifier, f.Rollup, s.Verifier)
	case s.FeeKey != feeKey:
		fk := s.FeeKey.Bytes()
		return nil, fmt.Errorf("%w: the deployment file says fee key %s, the rollup %s has %s", ErrMismatch, f.FeeKey, f.Rollup, hexutil.Encode(fk[:]))
	case s.GenesisRoot != f.GenesisRoot:
		return nil, fmt.Errorf("%w: the deployment file says genesis root %s, the rollup %s has %x", ErrMismatch, f.GenesisRoot, f.Rollup, s.GenesisRoot)
	case f.Circuit.Auto() && s.BlobVerifier != f.BlobVerifier:
		return nil, fmt.Errorf("%w: the deployment file says blob verifier %s, the rollup %s uses %s", ErrMismatch, f.BlobVerifier, f.Rollup, s.BlobVerifier)
	case s.ExitVerifier != f.ExitVerifier:
		return nil, fmt.Errorf("%w: the deployment file says exit verifier %s, the rollup %s uses %s", ErrMismatch, f.ExitVerifier, f.Rollup, s.ExitVerifier)
	case s.PriorityExpiry != f.PriorityExpiry:
		return nil, fmt.Errorf("%w: the deployment file says priority expiry %ds, the rollup %s has %ds", ErrMismatch, f.PriorityExpiry, f.Rollup, s.PriorityExpiry)
	case s.ChangeDelay != f.ChangeDelay:
		return nil, fmt.Errorf("%w: the deployment file says change delay %d, the rollup %s has %d", ErrMismatch, f.ChangeDelay, f.Rollup, s.ChangeDelay)
	}
	return s, nil
}

// calldataAsDefault writes calldata mode as the empty DA, the way the
// contract's settings read back (and calldata configurations serialise).
func calldataAsDefault(c protocol.Config) protocol.Config {
	if c.DA == protocol.DACalldata {
		c.DA = ""
	}
	return c
}
