package main

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/urfave/cli/v2"

	"github.com/sheafrollup/sheaf/circuits/ceremony"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
)

func deployFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "l1.rpc", Usage: "L1 JSON-RPC endpoint (http, ws or ipc)", EnvVars: env("l1.rpc")},
		&cli.StringFlag{Name: "l1.key", Usage: "deployer private key, hex (prefer --l1.key-file or the environment)", EnvVars: env("l1.key")},
		&cli.StringFlag{Name: "l1.key-file", Usage: "file holding the deployer private key, hex", EnvVars: env("l1.key-file")},
		&cli.StringFlag{Name: "keys.dir", Usage: "directory written by `sheaf setup` (default keys/<config>); with --circuit.da auto, the directory holding both twins' key directories <dir>/<config> (default keys)", EnvVars: env("keys.dir")},
		&cli.StringFlag{Name: "deploy.sequencer", Usage: "address allowed to submit batches (default: the deployer)", EnvVars: env("deploy.sequencer")},
		&cli.StringFlag{Name: "deploy.blob-sequencer", Usage: "with --circuit.da auto (required there, refused otherwise): the second address allowed to submit batches, blob batches only: the submitter's --l1.blob-key (not the sequencer)", EnvVars: env("deploy.blob-sequencer")},
		&cli.StringFlag{Name: "deploy.fee-key", Usage: "the operator's L2 public key (0x + 64 hex digits, `sheaf wallet address` prints it): account 1, the fee account, from genesis", EnvVars: env("deploy.fee-key")},
		&cli.StringFlag{Name: "deploy.min-deposit", Value: defaultMinDeposit, Usage: "smallest single deposit in wei (keeps deposit spam from filling the tree)", EnvVars: env("deploy.min-deposit")},
		&cli.StringFlag{Name: "deploy.deposit-cap", Usage: "largest single deposit in wei (default 2^128-1)", EnvVars: env("deploy.deposit-cap")},
		&cli.Uint64Flag{Name: "deploy.change-delay", Value: l1.DefaultChangeDelay, Usage: "batches between a fee-account change and its effect (≥ the batches between sealing and L1 finality)", EnvVars: env("deploy.change-delay")},
		&cli.StringFlag{Name: "exit-keys.dir", Usage: "directory written by `sheaf setup --circuit.kind exit` (default keys/exit-d<depth>): the exit verifier", EnvVars: env("exit-keys.dir")},
		&cli.DurationFlag{Name: "deploy.priority-expiry", Value: l1.DefaultPriorityExpiry, Usage: "how long a deposit or forced exit may wait in the L1 queue before anyone may start exodus mode", EnvVars: env("deploy.priority-expiry")},
		&cli.StringFlag{Name: "deploy.forced-exit-fee", Value: defaultForcedExitFee, Usage: "wei a forced-exit request pays (anti-spam; credited to the owner)", EnvVars: env("deploy.forced-exit-fee")},
		&cli.UintFlag{Name: "deploy.max-forced-exits", Value: l1.DefaultMaxOpenForcedExits, Usage: "cap on queued, unconsumed forced-exit requests", EnvVars: env("deploy.max-forced-exits")},
		&cli.StringFlag{Name: "deploy.out", Value: "deployment.json", Usage: "where to write the addresses and chain id", EnvVars: env("deploy.out")},
		&cli.BoolFlag{Name: "deploy.dev", Aliases: []string{"dev"}, Usage: "accept development keys (`sheaf setup`, or a ceremony on the insecure phase 1): test chains only", EnvVars: env("deploy.dev")},
	}
}

// defaultMinDeposit is 0.001 ETH.
const defaultMinDeposit = "1000000000000000"

// defaultForcedExitFee is 0.001 ETH.
const defaultForcedExitFee = "1000000000000000"

// deployParams is everything `sheaf deploy` needs besides the L1 client.
type deployParams struct {
	Key *ecdsa.PrivateKey
	// KeysDir holds the keys of the circuit (auto: of its calldata twin).
	KeysDir string
	// BlobKeysDir holds the keys of an auto deployment's blob twin (else "").
	BlobKeysDir string
	// ExitKeysDir holds the exit circuit's keys at the configuration's depth.
	ExitKeysDir string
	Config      l1.DeployConfig // VerifierBytecode (BlobVerifierBytecode, ExitVerifierBytecode) filled from KeysDir (BlobKeysDir, ExitKeysDir) when empty
	Out         string
	Dev         bool // accept keys that are not from a ceremony (test chains)
}

func deployParamsFrom(c *cli.Context) (deployParams, error) {
	var p deployParams
	circuit, err := circuitConfig(c)
	if err != nil {
		return p, err
	}
	keyHex := c.String("l1.key")
	if f := c.String("l1.key-file"); f != "" {
		if keyHex != "" {
			return p, errors.New("give --l1.key or --l1.key-file, not both")
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return p, fmt.Errorf("--l1.key-file: %w", err)
		}
		keyHex = string(b)
	}
	if keyHex == "" {
		return p, errors.New("--l1.key or --l1.key-file is required")
	}
	if p.Key, err = crypto.HexToECDSA(strings.TrimPrefix(strings.TrimSpace(keyHex), "0x")); err != nil {
		return p, fmt.Errorf("deployer key: %w", err) // never echo the key
	}
	p.Config = l1.DeployConfig{Circuit: circuit, ChangeDelay: c.Uint64("deploy.change-delay")}
	if p.Config.ChangeDelay == 0 {
		return p, errors.New("--deploy.change-delay must be at least 1")
	}
	if p.Config.FeeKey, err = parseL2Key(c.String("deploy.fee-key")); err != nil {
		return p, fmt.Errorf("--deploy.fee-key: %w", err)
	}
	if s := c.String("deploy.sequencer"); s != "" {
		if !common.IsHexAddress(s) {
			return p, fmt.Errorf("--deploy.sequencer %q is not an address", s)
		}
		p.Config.Sequencer = common.HexToAddress(s)
	} else {
		p.Config.Sequencer = crypto.PubkeyToAddress(p.Key.PublicKey)
	}
	// Auto mode's blob batches come from a key of their own (node pools
	// keep an address to blob or to other transactions): no default.
	switch s := c.String("deploy.blob-sequencer"); {
	case s != "" && !common.IsHexAddress(s):
		return p, fmt.Errorf("--deploy.blob-sequencer %q is not an address", s)
	case s != "" && !circuit.Auto():
		return p, fmt.Errorf("--deploy.blob-sequencer is for --circuit.da auto, not %q", circuit.DA)
	case s == "" && circuit.Auto():
		return p, errors.New("--circuit.da auto needs --deploy.blob-sequencer: the address of the submitter's --l1.blob-key")
	case s != "":
		p.Config.BlobSequencer = common.HexToAddress(s)
		if p.Config.BlobSequencer == p.Config.Sequencer {
			return p, fmt.Errorf("--deploy.blob-sequencer must differ from the sequencer %s", p.Config.Sequencer)
		}
	}
	if s := c.String("deploy.deposit-cap"); s != "" {
		v, ok := new(big.Int).SetString(s, 10)
		if !ok || v.Sign() <= 0 || v.BitLen() > 128 {
			return p, fmt.Errorf("--deploy.deposit-cap %q: want a decimal in [1, 2^128-1]", s)
		}
		p.Config.DepositCap = v
	}
	if s := c.String("deploy.min-deposit"); s != "" {
		v, ok := new(big.Int).SetString(s, 10)
		if !ok || v.Sign() <= 0 || v.BitLen() > 128 || p.Config.DepositCap != nil && v.Cmp(p.Config.DepositCap) > 0 {
			return p, fmt.Errorf("--deploy.min-deposit %q: want a decimal in [1, deposit cap]", s)
		}
		p.Config.MinDeposit = v
	}
	p.Config.PriorityExpiry = c.Duration("deploy.priority-expiry")
	if p.Config.PriorityExpiry < time.Second {
		return p, errors.New("--deploy.priority-expiry must be at least 1s")
	}
	if v, ok := new(big.Int).SetString(c.String("deploy.forced-exit-fee"), 10); !ok || v.Sign() < 0 || v.BitLen() > 128 {
		return p, fmt.Errorf("--deploy.forced-exit-fee %q: want a decimal in [0, 2^128-1]", c.String("deploy.forced-exit-fee"))
	} else {
		p.Config.ForcedExitFee = v
	}
	if m := c.Uint("deploy.max-forced-exits"); m == 0 || uint64(m) > 1<<32-1 {
		return p, errors.New("--deploy.max-forced-exits must be in [1, 2^32-1]")
	} else {
		p.Config.MaxOpenForcedExits = uint32(m)
	}
	p.ExitKeysDir = c.String("exit-keys.dir")
	if p.ExitKeysDir == "" {
		p.ExitKeysDir = filepath.Join("keys", fmt.Sprintf("exit-d%d", circuit.Depth))
	}
	p.KeysDir, p.BlobKeysDir = batchKeysDirs(circuit, c.String("keys.dir"))
	p.Dev = c.Bool("deploy.dev")
	p.Out = c.String("deploy.out")
	if p.Out == "" {
		return p, errors.New("--deploy.out is empty")
	}
	return p, nil
}

// batchKeysDirs are the key directories `sheaf deploy` reads for circuit
// with --keys.dir flag: flag itself (default keys/<config>), or for an
// auto deployment, which verifies each batch with its twin's verifier,
// <flag>/<twin> for the calldata and the blob twin (flag default keys).
func batchKeysDirs(circuit protocol.Config, flag string) (dir, blobDir string) {
	if !circuit.Auto() {
		if flag == "" {
			flag = filepath.Join("keys", circuit.String())
		}
		return flag, ""
	}
	if flag == "" {
		flag = "keys"
	}
	m := circuit.Modes()
	return filepath.Join(flag, m[0].String()), filepath.Join(flag, m[1].String())
}

// verifierBytecode compiles the verifier of a `sheaf setup` or `sheaf
// ceremony finalize` directory: its Verifier.sol, which must be the export
// of the verifying key beside it, or, without one, the Solidity exported
// from that key. The directory's circuit kind (keys.CircuitBatch or
// keys.CircuitExit) and configuration must be kind and cfg.
func verifierBytecode(ctx context.Context, dir, kind string, cfg protocol.Config) ([]byte, error) {
	meta, err := keys.ReadMeta(dir)
	if err != nil {
		return nil, err
	}
	if meta.Config != cfg || meta.Circuit != kind {
		return nil, fmt.Errorf("keys in %s are for circuit %q %s, not %q %s", dir, meta.Circuit, meta.Config, kind, cfg)
	}
	sol := filepath.Join(dir, keys.VerifierFile)
	if _, err := os.Stat(sol); err == nil {
		if err := keys.CheckVerifier(dir); err != nil {
			return nil, err
		}
		return l1.CompileVerifierSource(ctx, sol)
	}
	f, err := os.Open(filepath.Join(dir, keys.VerifyingKeyFile))
	if err != nil {
		return nil, fmt.Errorf("no %s nor verifying key: %w", keys.VerifierFile, err)
	}
	defer f.Close()
	vk := groth16.NewVerifyingKey(ecc.BN254)
	if _, err := vk.ReadFrom(f); err != nil {
		return nil, fmt.Errorf("read verifying key: %w", err)
	}
	return l1.CompileVerifier(ctx, vk)
}

// deploy is the command's core: compile the verifier if needed, deploy
// both contracts and write the deployment file.
func deploy(ctx context.Context, backend l1.Backend, p deployParams, log *slog.Logger) (*l1.DeploymentFile, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if _, err := os.Stat(p.Out); err == nil {
		return nil, fmt.Errorf("%s exists: a deployment is already recorded there (move it or choose --deploy.out)", p.Out)
	}
	// The batch verifiers: the circuit's, or an auto deployment's two
	// twins' (calldata, then blob).
	modes := p.Config.Circuit.Modes()
	batchVerifiers := []struct {
		dir  string
		cfg  protocol.Config
		code *[]byte
	}{{p.KeysDir, modes[0], &p.Config.VerifierBytecode}}
	if p.Config.Circuit.Auto() {
		batchVerifiers = append(batchVerifiers, struct {
			dir  string
			cfg  protocol.Config
			code *[]byte
		}{p.BlobKeysDir, modes[1], &p.Config.BlobVerifierBytecode})
	}
	if p.Dev {
		log.Warn("--dev: deploying without checking that the keys come from a ceremony (test chains only)")
	}
	for _, v := range batchVerifiers {
		if !p.Dev {
			if _, err := ceremony.CheckKeys(v.dir); err != nil {
				return nil, fmt.Errorf("refusing keys in %s: %w; production keys come from `sheaf ceremony` (docs/ceremony.md), or pass --dev on a test chain", v.dir, err)
			}
		}
		if len(*v.code) != 0 {
			continue
		}
		log.Info("compiling the verifier", "keys", v.dir, "circuit", v.cfg.String())
		code, err := verifierBytecode(ctx, v.dir, keys.CircuitBatch, v.cfg)
		if err != nil {
			return nil, err
		}
		*v.code = code
	}
	if len(p.Config.ExitVerifierBytecode) == 0 {
		if !p.Dev {
			if _, err := ceremony.CheckKeys(p.ExitKeysDir); err != nil {
				return nil, fmt.Errorf("refusing exit keys in %s: %w; production keys come from `sheaf ceremony` (docs/ceremony.md), or pass --dev on a test chain", p.ExitKeysDir, err)
			}
		}
		log.Info("compiling the exit verifier", "keys", p.ExitKeysDir)
		code, err := verifierBytecode(ctx, p.ExitKeysDir, keys.CircuitExit, protocol.Config{Depth: p.Config.Circuit.Depth})
		if err != nil {
			return nil, fmt.Errorf("exit verifier (run `sheaf setup --circuit.kind exit`): %w", err)
		}
		p.Config.ExitVerifierBytecode = code
	}
	log.Info("deploying", "circuit", p.Config.Circuit.String(), "deployer", crypto.PubkeyToAddress(p.Key.PublicKey), "sequencer", p.Config.Sequencer)
	d, err := l1.Deploy(ctx, backend, p.Key, p.Config)
	if err != nil {
		return nil, err
	}
	f := l1.NewDeploymentFile(d, p.Config)
	if err := l1.WriteDeployment(p.Out, f); err != nil {
		return nil, fmt.Errorf("deployed (rollup %s, verifier %s, chain %d, block %d) but: %w", d.Rollup, d.Verifier, d.ChainID, d.Block, err)
	}
	log.Info("deployed", "rollup", d.Rollup, "verifier", d.Verifier, "blob_verifier", d.BlobVerifier, "chain_id", d.ChainID, "block", d.Block, "out", p.Out)
	return f, nil
}

func deployCommand() *cli.Command {
	return &cli.Command{
		Name:  "deploy",
		Usage: "deploy the verifier of a circuit configuration and the rollup contract to L1; write the addresses to --deploy.out",
		Flags: append(circuitFlags(DefaultCircuit), deployFlags()...),
		Action: func(c *cli.Context) error {
			log, err := newLogger(c)
			if err != nil {
				return err
			}
			p, err := deployParamsFrom(c)
			if err != nil {
				return err
			}
			if c.String("l1.rpc") == "" {
				return errors.New("--l1.rpc is required")
			}
			client, err := ethclient.DialContext(c.Context, c.String("l1.rpc"))
			if err != nil {
				return fmt.Errorf("--l1.rpc: %w", err)
			}
			defer client.Close()
			f, err := deploy(c.Context, client, p, log)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "rollup %s\nverifier %s\nchain id %d, block %d\nfee account 1: key %s\nwrote %s\n", f.Rollup, f.Verifier, f.ChainID, f.Block, f.FeeKey, p.Out)
			return nil
		},
	}
}

// parseL2Key reads a compressed L2 public key (docs/protocol.md) that
// must be usable as a deposit key.
func parseL2Key(s string) (protocol.PublicKey, error) {
	if s == "" {
		return protocol.PublicKey{}, errors.New("required: the operator's L2 public key (`sheaf wallet new`, then `sheaf wallet address`)")
	}
	b, err := hexutil.Decode(s)
	if err != nil || len(b) != protocol.PubKeySize {
		return protocol.PublicKey{}, fmt.Errorf("%q: want 0x and 64 hex digits", s)
	}
	pk, err := protocol.DecompressPublicKey(b)
	if err == nil {
		err = pk.ValidateDepositKey()
	}
	return pk, err
}
