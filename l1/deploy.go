package l1

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"

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
	// Circuit's verifying key (CompileVerifier).
	VerifierBytecode []byte
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
	// MinDeposit is the smallest single deposit in wei (nil: 1 wei).
	MinDeposit *big.Int
	// DepositCap is the largest single deposit in wei (nil: 2^128 - 1).
	DepositCap *big.Int
	// ChangeDelay is how many batches after its announcement a fee-account
	// change takes effect (0: DefaultChangeDelay); the sequencer seals at
	// most this many batches beyond the last one final on L1.
	ChangeDelay uint64
}

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
	return cfg, nil
}

// Deployment is where the contracts live.
type Deployment struct {
	ChainID    uint64
	Owner      common.Address
	Verifier   common.Address
	Rollup     common.Address
	VerifierTx common.Hash
	RollupTx   common.Hash
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
	if cfg.Sequencer == (common.Address{}) {
		return nil, errors.New("deploy: no sequencer address")
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
