package l1

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/protocol"
)

// Backend is what Deploy needs from an L1 client: contract transactions,
// receipts and the chain id. *ethclient.Client and the simulated backend's
// client implement it.
type Backend interface {
	bind.ContractBackend
	bind.DeployBackend
	ChainID(ctx context.Context) (*big.Int, error)
}

// DeployConfig describes one rollup deployment.
type DeployConfig struct {
	Circuit protocol.Config
	// VerifierBytecode is the creation code of gnark's exported verifier for
	// Circuit's verifying key (CompileVerifier). A blob-mode circuit
	// (Circuit.DA = protocol.DABlob) has two public inputs, so its
	// exported verifier takes uint256[3]: the rollup is deployed in blob
	// mode and calls it that way. An auto deployment (protocol.DAAuto)
	// takes the verifier of its calldata twin (Circuit.Modes()[0]) here.
	VerifierBytecode []byte
	// BlobVerifierBytecode is the creation code of the blob twin's
	// verifier (Circuit.Modes()[1], two public inputs): required for an
	// auto deployment, whose blob batches it verifies, and refused
	// otherwise (blob mode's verifier is VerifierBytecode).
	BlobVerifierBytecode []byte
	// ExitVerifierBytecode is the creation code of gnark's exported verifier
	// for the exit circuit's verifying key at Circuit.Depth (`sheaf setup
	// --circuit.kind exit`). Required: exits must always be possible.
	ExitVerifierBytecode []byte
	// FeeKey is the operator's L2 key: it holds account 1 of the genesis
	// state, the fee account, so no depositor can take that account.
	FeeKey protocol.PublicKey
	// GenesisRoot is the root the first batch starts from; nil means
	// protocol.GenesisState of FeeKey (only the fee account). A custom
	// genesis must hold FeeKey at index 1.
	GenesisRoot *[32]byte
	// GenesisNextIndex is the first free account index (0 means 2: only
	// the fee account exists).
	GenesisNextIndex uint32
	Sequencer        common.Address
	// BlobSequencer is the second address the rollup takes batches from,
	// for blob batches only: required for an auto deployment, whose
	// submitter sends its blob batches from a key of their own (node
	// pools keep an address to blob or to other transactions), distinct
	// from Sequencer; refused otherwise.
	BlobSequencer common.Address
	// MinDeposit is the smallest single deposit in wei (nil: 1 wei).
	MinDeposit *big.Int
	// DepositCap is the largest single deposit in wei (nil: 2^128 - 1).
	DepositCap *big.Int
	// ChangeDelay is how many batches after its announcement a fee-account
	// change takes effect (0: DefaultChangeDelay); the sequencer seals at
	// most this many batches beyond the last one final on L1.
	ChangeDelay uint64
	// PriorityExpiry is how long a queue entry (deposit or forced exit)
	// may wait before anyone may start exodus mode (0: DefaultPriorityExpiry).
	PriorityExpiry time.Duration
	// ForcedExitFee is the wei a forced-exit request pays (nil: 0).
	ForcedExitFee *big.Int
	// MaxOpenForcedExits caps queued, unconsumed forced exits (0:
	// DefaultMaxOpenForcedExits).
	MaxOpenForcedExits uint32
}

// DefaultPriorityExpiry is the production deadline for queue entries.
const DefaultPriorityExpiry = 7 * 24 * time.Hour

// DefaultMaxOpenForcedExits bounds the forced exits the sequencer may owe at
// once (each costs a slot in some batch before its expiry).
const DefaultMaxOpenForcedExits = 1024

// DefaultChangeDelay leaves room for the batches between sealing and L1
// finality (≈13 minutes on Ethereum) at several batches a second.
const DefaultChangeDelay = 256

// withDefaults fills the zero values. The error (an invalid fee key, when
// the genesis root is to be computed from it) comes with every other
// default filled.
func (cfg DeployConfig) withDefaults() (DeployConfig, error) {
	if cfg.GenesisNextIndex == 0 {
		cfg.GenesisNextIndex = protocol.GenesisNextIndex
	}
	if cfg.MinDeposit == nil {
		cfg.MinDeposit = big.NewInt(1)
	}
	if cfg.DepositCap == nil {
		cfg.DepositCap = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	}
	if cfg.ChangeDelay == 0 {
		cfg.ChangeDelay = DefaultChangeDelay
	}
	if cfg.GenesisRoot == nil {
		r, err := protocol.GenesisRoot(cfg.Circuit, cfg.FeeKey)
		if err != nil {
			return cfg, fmt.Errorf("deploy: %w", err)
		}
		b := r.Bytes()
		cfg.GenesisRoot = &b
	}
	if cfg.PriorityExpiry == 0 {
		cfg.PriorityExpiry = DefaultPriorityExpiry
	}
	if cfg.ForcedExitFee == nil {
		cfg.ForcedExitFee = new(big.Int)
	}
	if cfg.MaxOpenForcedExits == 0 {
		cfg.MaxOpenForcedExits = DefaultMaxOpenForcedExits
	}
	return cfg, nil
}

// Deployment is where the contracts live.
type Deployment struct {
	ChainID  uint64
	Owner    common.Address
	Verifier common.Address
	Rollup   common.Address
	// ExitVerifier verifies exit proofs (circuits/exit) in exodus mode.
	ExitVerifier common.Address
	// BlobVerifier verifies the blob batches of an auto deployment (zero
	// otherwise: a blob-mode deployment's is Verifier).
	BlobVerifier common.Address
	VerifierTx   common.Hash
	RollupTx     common.Hash
	// Block is the rollup's deployment block: watchers start there.
	Block uint64
}

// Deploy deploys the verifier and then the rollup (the rollup's constructor
// checks that the verifier has code), each waited for until mined. The
// deployer key becomes the rollup's owner.
func Deploy(ctx context.Context, backend Backend, key *ecdsa.PrivateKey, cfg DeployConfig) (*Deployment, error) {
	if err := cfg.Circuit.Check(); err != nil {
		return nil, err
	}
	if len(cfg.VerifierBytecode) == 0 {
		return nil, errors.New("deploy: no verifier bytecode")
	}
	if len(cfg.ExitVerifierBytecode) == 0 {
		return nil, errors.New("deploy: no exit verifier bytecode")
	}
	switch auto := cfg.Circuit.Auto(); {
	case auto && len(cfg.BlobVerifierBytecode) == 0:
		return nil, errors.New("deploy: an auto deployment needs the blob twin's verifier bytecode")
	case !auto && len(cfg.BlobVerifierBytecode) != 0:
		return nil, fmt.Errorf("deploy: a blob verifier bytecode is for auto deployments only, not %q", dataAvailability(cfg.Circuit))
	}
	if cfg.Sequencer == (common.Address{}) {
		return nil, errors.New("deploy: no sequencer address")
	}
	switch auto := cfg.Circuit.Auto(); {
	case auto && cfg.BlobSequencer == (common.Address{}):
		return nil, errors.New("deploy: an auto deployment needs a blob sequencer address (the sender of its blob batches)")
	case auto && cfg.BlobSequencer == cfg.Sequencer:
		return nil, fmt.Errorf("deploy: the blob sequencer must differ from the sequencer %s (one address cannot carry blob and other transactions)", cfg.Sequencer)
	case !auto && cfg.BlobSequencer != (common.Address{}):
		return nil, fmt.Errorf("deploy: a blob sequencer is for auto deployments only, not %q", dataAvailability(cfg.Circuit))
	}
	if err := cfg.FeeKey.ValidateDepositKey(); err != nil {
		return nil, fmt.Errorf("deploy: fee key: %w", err)
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if cfg.MinDeposit.Sign() <= 0 || cfg.MinDeposit.Cmp(cfg.DepositCap) > 0 || cfg.DepositCap.BitLen() > 128 {
		return nil, fmt.Errorf("deploy: want 1 ≤ minimum deposit (%s) ≤ deposit cap (%s) < 2^128", cfg.MinDeposit, cfg.DepositCap)
	}
	if cfg.PriorityExpiry < time.Second || cfg.ForcedExitFee.Sign() < 0 || cfg.ForcedExitFee.BitLen() > 128 {
		return nil, fmt.Errorf("deploy: want a priority expiry of at least 1s (%v) and 0 ≤ forced-exit fee (%s) < 2^128", cfg.PriorityExpiry, cfg.ForcedExitFee)
	}
	chainID, err := backend.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("deploy: chain id: %w", err)
	}
	opts := bind.NewKeyedTransactor(key, chainID)
	opts.Context = ctx
	d := &Deployment{ChainID: chainID.Uint64(), Owner: crypto.PubkeyToAddress(key.PublicKey)}

	vAddr, vTx, err := bind.DeployContract(opts, cfg.VerifierBytecode, backend, nil)
	if err != nil {
		return nil, fmt.Errorf("deploy verifier: %w", err)
	}
	if _, err := waitDeployed(ctx, backend, vTx); err != nil {
		return nil, fmt.Errorf("deploy verifier: %w", err)
	}
	d.Verifier, d.VerifierTx = vAddr, vTx.Hash()
	eAddr, eTx, err := bind.DeployContract(opts, cfg.ExitVerifierBytecode, backend, nil)
	if err != nil {
		return nil, fmt.Errorf("deploy exit verifier: %w", err)
	}
	if _, err := waitDeployed(ctx, backend, eTx); err != nil {
		return nil, fmt.Errorf("deploy exit verifier: %w", err)
	}
	d.ExitVerifier = eAddr
	if cfg.Circuit.Auto() {
		bAddr, bTx, err := bind.DeployContract(opts, cfg.BlobVerifierBytecode, backend, nil)
		if err != nil {
			return nil, fmt.Errorf("deploy blob verifier: %w", err)
		}
		if _, err := waitDeployed(ctx, backend, bTx); err != nil {
			return nil, fmt.Errorf("deploy blob verifier: %w", err)
		}
		d.BlobVerifier = bAddr
	}

	rollup, err := LoadArtifact("Rollup")
	if err != nil {
		return nil, err
	}
	args := bindings.NewRollup().PackConstructor(bindings.RollupSettings{
		Verifier: vAddr, Depth: uint8(cfg.Circuit.Depth), DepositSlots: uint16(cfg.Circuit.Deposits),
		TransferSlots: uint16(cfg.Circuit.Transfers), WithdrawalSlots: uint16(cfg.Circuit.Withdrawals),
		GenesisRoot: *cfg.GenesisRoot, GenesisNextIndex: cfg.GenesisNextIndex,
		FeeKeyX: protocol.FrToBig(cfg.FeeKey.X), FeeKeyY: protocol.FrToBig(cfg.FeeKey.Y),
		Sequencer: cfg.Sequencer, MinDeposit: cfg.MinDeposit, DepositCap: cfg.DepositCap, ChangeDelay: cfg.ChangeDelay,
		ForcedExitSlots: uint16(cfg.Circuit.ForcedExits), ExitVerifier: eAddr,
		PriorityExpiry: uint64(cfg.PriorityExpiry / time.Second), ForcedExitFee: cfg.ForcedExitFee,
		MaxOpenForcedExits: cfg.MaxOpenForcedExits,
		// The data-availability mode is part of the circuit
		// configuration: a blob verifier takes two public inputs and
		// its batches come through submitBlobBatch; auto takes both
		// kinds, each with its own verifier (docs/contracts.md, "Blob
		// mode").
		DaMode: daMode(cfg.Circuit), BlobVerifier: d.BlobVerifier, BlobSequencer: cfg.BlobSequencer,
	})
	rAddr, rTx, err := bind.DeployContract(opts, rollup.Bytecode, backend, args)
	if err != nil {
		return nil, fmt.Errorf("deploy rollup: %w", err)
	}
	rcpt, err := waitDeployed(ctx, backend, rTx)
	if err != nil {
		return nil, fmt.Errorf("deploy rollup: %w", err)
	}
	d.Rollup, d.RollupTx, d.Block = rAddr, rTx.Hash(), rcpt.BlockNumber.Uint64()
	return d, nil
}

// The rollup's daMode values.
const (
	daModeCalldata uint8 = 0
	daModeBlob     uint8 = 1
	daModeAuto     uint8 = 2
)

// daMode is the rollup's daMode setting for circuit configuration c.
func daMode(c protocol.Config) uint8 {
	switch {
	case c.Blob():
		return daModeBlob
	case c.Auto():
		return daModeAuto
	}
	return daModeCalldata
}

func waitDeployed(ctx context.Context, b Backend, tx *types.Transaction) (*types.Receipt, error) {
	rcpt, err := bind.WaitMined(ctx, b, tx.Hash())
	if err != nil {
		return nil, err
	}
	if rcpt.Status != types.ReceiptStatusSuccessful {
		return nil, fmt.Errorf("creation transaction %s reverted", tx.Hash())
	}
	if code, err := b.CodeAt(ctx, rcpt.ContractAddress, nil); err != nil {
		return nil, err
	} else if len(code) == 0 {
		return nil, bind.ErrNoCodeAfterDeploy
	}
	return rcpt, nil
}

// RefuseAllVerifier is the creation code of a contract whose every call
// reverts: a stand-in exit verifier for tests and benchmarks that never
// reach exodus mode (with it, no exit can ever be paid).
var RefuseAllVerifier = common.FromHex("0x6005600c60003960056000f360006000fd")
