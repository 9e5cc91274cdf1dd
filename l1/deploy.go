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
	// GenesisRoot is the root the first batch starts from; nil means the
	// empty tree of Circuit.Depth.
	GenesisRoot *[32]byte
	// GenesisNextIndex is the first free account index (0 means 1, an empty tree).
	GenesisNextIndex uint32
	Sequencer        common.Address
	// FeeAccount is the L2 account that receives batch fees (≥ 1, < 2^depth).
	// On an empty tree it must be opened by a deposit in the first batch.
	FeeAccount uint32
	// DepositCap is the largest single deposit in wei (nil: 2^128 - 1).
	DepositCap *big.Int
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

// EmptyRoot is the root of an empty account tree of the configuration.
func EmptyRoot(cfg protocol.Config) ([32]byte, error) {
	st, err := protocol.NewState(cfg, 0, [20]byte{})
	if err != nil {
		return [32]byte{}, err
	}
	r := st.Root()
	return r.Bytes(), nil
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
	root := cfg.GenesisRoot
	if root == nil {
		r, err := EmptyRoot(cfg.Circuit)
		if err != nil {
			return nil, err
		}
		root = &r
	}
	next := cfg.GenesisNextIndex
	if next == 0 {
		next = 1
	}
	depositCap := cfg.DepositCap
	if depositCap == nil {
		depositCap = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
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
	args := bindings.NewRollup().PackConstructor(vAddr, uint8(cfg.Circuit.Depth),
		uint16(cfg.Circuit.Deposits), uint16(cfg.Circuit.Transfers), uint16(cfg.Circuit.Withdrawals),
		*root, next, cfg.Sequencer, cfg.FeeAccount, depositCap)
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
