package main

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/urfave/cli/v2"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/submitter"
	"github.com/sheafrollup/sheaf/protocol"
)

func submitterFlags() []cli.Flag {
	d := submitter.DefaultConfig
	return []cli.Flag{
		&cli.StringFlag{Name: "l1.rpc", Usage: "L1 JSON-RPC endpoint (http, ws or ipc)", EnvVars: env("l1.rpc")},
		&cli.StringFlag{Name: "l1.key", Usage: "sequencer private key that signs submitBatch (calldata and auto mode), hex (prefer --l1.key-file or the environment)", EnvVars: env("l1.key")},
		&cli.StringFlag{Name: "l1.key-file", Usage: "file holding the sequencer private key, hex", EnvVars: env("l1.key-file")},
		&cli.StringFlag{Name: "l1.blob-key", Usage: "blob and auto mode: private key dedicated to blob transactions (submitBlobBatch), hex, not the --l1.key account (prefer --l1.blob-key-file or the environment)", EnvVars: env("l1.blob-key")},
		&cli.StringFlag{Name: "l1.blob-key-file", Usage: "blob and auto mode: file holding the dedicated blob-transaction key, hex", EnvVars: env("l1.blob-key-file")},
		&cli.StringFlag{Name: "submitter.da", Usage: "data-availability mode, calldata, blob or auto (default: the deployment file's circuit; calldata with --l1.contract; it must be the contract's)", EnvVars: env("submitter.da")},
		&cli.StringFlag{Name: "deploy.file", Usage: "deployment file written by `sheaf deploy` (contract and chain id)", EnvVars: env("deploy.file")},
		&cli.StringFlag{Name: "l1.contract", Usage: "rollup contract address (instead of --deploy.file)", EnvVars: env("l1.contract")},
		&cli.Uint64Flag{Name: "submitter.confirmations", Value: d.Confirmations, Usage: "blocks on top of a batch's block before it counts as finalized", EnvVars: env("submitter.confirmations")},
		&cli.Uint64Flag{Name: "submitter.fee-bump-percent", Value: d.FeeBumpPercent, Usage: "least fee raise of a replacement transaction (≥ 10)", EnvVars: env("submitter.fee-bump-percent")},
		&cli.StringFlag{Name: "submitter.max-fee-cap", Value: d.MaxFeeCap.String(), Usage: "highest max-fee-per-gas ever signed, in wei", EnvVars: env("submitter.max-fee-cap")},
		&cli.StringFlag{Name: "submitter.max-blob-fee-cap", Value: d.MaxBlobFeeCap.String(), Usage: "blob and auto mode: highest max-fee-per-blob-gas ever signed, in wei", EnvVars: env("submitter.max-blob-fee-cap")},
		&cli.DurationFlag{Name: "submitter.resubmit-after", Value: d.ResubmitAfter, Usage: "how long a transaction may stay unmined before it is re-sent or replaced", EnvVars: env("submitter.resubmit-after")},
		&cli.DurationFlag{Name: "submitter.poll-interval", Value: d.PollInterval, Usage: "L1 and database poll interval", EnvVars: env("submitter.poll-interval")},
		&cli.Float64Flag{Name: "submitter.gas-limit-margin", Value: d.GasLimitMargin, Usage: "gas limit = estimate × this", EnvVars: env("submitter.gas-limit-margin")},
	}
}

// submitterConfig builds the configuration from the flags; chainID is the
// node's, checked against the deployment file's.
func submitterConfig(c *cli.Context, chainID uint64) (submitter.Config, error) {
	cfg := submitter.DefaultConfig
	cfg.ChainID = chainID
	switch path, addr := c.String("deploy.file"), c.String("l1.contract"); {
	case path != "" && addr != "":
		return cfg, errors.New("give --deploy.file or --l1.contract, not both")
	case path != "":
		d, err := l1.ReadDeployment(path)
		if err != nil {
			return cfg, err
		}
		if chainID != 0 && d.ChainID != chainID {
			return cfg, fmt.Errorf("%s is for chain %d, the node is on chain %d", path, d.ChainID, chainID)
		}
		cfg.Contract, cfg.ChainID = d.Rollup, d.ChainID
		cfg.DA = d.Circuit.DA
	case common.IsHexAddress(addr):
		cfg.Contract = common.HexToAddress(addr)
	default:
		return cfg, fmt.Errorf("--deploy.file or --l1.contract is required (%q is not an address)", addr)
	}
	switch da := c.String("submitter.da"); {
	case da == "":
	case da != protocol.DACalldata && da != protocol.DABlob && da != protocol.DAAuto:
		return cfg, fmt.Errorf("--submitter.da %q is not %q, %q or %q", da, protocol.DACalldata, protocol.DABlob, protocol.DAAuto)
	case c.String("deploy.file") != "" && concreteDA(da) != concreteDA(cfg.DA):
		return cfg, fmt.Errorf("--submitter.da %s: the deployment file's circuit is in mode %q", da, cfg.DA)
	default:
		cfg.DA = da
	}
	if cfg.DA == protocol.DACalldata {
		cfg.DA = ""
	}
	maxBlobFee, ok := new(big.Int).SetString(c.String("submitter.max-blob-fee-cap"), 10)
	if !ok {
		return cfg, fmt.Errorf("--submitter.max-blob-fee-cap %q is not a wei amount", c.String("submitter.max-blob-fee-cap"))
	}
	cfg.MaxBlobFeeCap = maxBlobFee
	cfg.Confirmations = c.Uint64("submitter.confirmations")
	cfg.FeeBumpPercent = c.Uint64("submitter.fee-bump-percent")
	maxFee, ok := new(big.Int).SetString(c.String("submitter.max-fee-cap"), 10)
	if !ok {
		return cfg, fmt.Errorf("--submitter.max-fee-cap %q is not a wei amount", c.String("submitter.max-fee-cap"))
	}
	cfg.MaxFeeCap = maxFee
	cfg.ResubmitAfter = c.Duration("submitter.resubmit-after")
	cfg.PollInterval = c.Duration("submitter.poll-interval")
	cfg.GasLimitMargin = c.Float64("submitter.gas-limit-margin")
	if cfg.ChainID == 0 { // checking the flags before the node is asked for its chain id
		v := cfg
		v.ChainID = 1
		return cfg, v.Check()
	}
	return cfg, cfg.Check()
}

func submitterCommand() *cli.Command {
	flags := joinFlags(dbFlags(), submitterFlags(), metricsFlags())
	return &cli.Command{
		Name:  "submitter",
		Usage: "post proven batches to the L1 rollup contract in order and follow them to finality (one active per database; others wait as standbys)",
		Flags: flags,
		Action: func(c *cli.Context) error {
			log, err := newLogger(c)
			if err != nil {
				return err
			}
			dbc, err := dbConfig(c)
			if err != nil {
				return err
			}
			pre, err := submitterConfig(c, 0) // flag errors before dialling
			if err != nil {
				return err
			}
			keys, err := readSubmitterKeys(c, pre.DA)
			if err != nil {
				return err
			}
			oc, err := opsConfig(c)
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
			ctx, cancel := context.WithTimeout(c.Context, 30*time.Second)
			id, err := client.ChainID(ctx)
			cancel()
			if err != nil {
				return fmt.Errorf("--l1.rpc: chain id: %w", err)
			}
			sc, err := submitterConfig(c, id.Uint64())
			if err != nil {
				return err
			}
			if path := c.String("deploy.file"); path != "" {
				dep, err := l1.ReadDeployment(path)
				if err != nil {
					return err
				}
				if _, err := checkOnL1(c.Context, client, dep, path); err != nil {
					return err
				}
			} else if err := checkContractDA(c.Context, l1.NewReader(client, sc.Contract, 0, l1.Finality{}), sc.DA); err != nil {
				// With --l1.contract alone the mode comes from --submitter.da
				// (calldata by default): the contract's must be the same.
				return err
			}
			// Only the contract's sequencer may submit: refuse a key whose
			// every transaction would revert.
			ctx, cancel = context.WithTimeout(c.Context, 30*time.Second)
			err = checkSubmitterSenders(ctx, l1.NewReader(client, sc.Contract, 0, l1.Finality{}), keys, sc.DA)
			cancel()
			if err != nil {
				return err
			}
			return serveComponent(c, log, dbc, oc, "submitter", func(pool *pgxpool.Pool, reg prometheus.Registerer) (component, []service, error) {
				s, err := submitter.NewWithKeys(sc, pool, client, keys.submitter(sc.DA), log.With("component", "submitter"), reg)
				if err != nil {
					return nil, nil, err
				}
				log.Info("submitter", "addresses", s.Addresses(), "contract", sc.Contract, "chain", sc.ChainID, "da", concreteDA(sc.DA))
				return s, nil, nil
			})
		},
	}
}

// concreteDA names a data-availability mode for comparisons and logs:
// "calldata" for "" too.
// settingsReader reads the contract's immutable settings.
type settingsReader interface {
	Settings(ctx context.Context) (*l1.Settings, error)
}

var _ settingsReader = (*l1.Reader)(nil)

// checkContractDA refuses a submitter whose data-availability mode is not
// the contract's: every batch it sent would revert.
func checkContractDA(ctx context.Context, r settingsReader, da string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	s, err := r.Settings(ctx)
	if err != nil {
		return fmt.Errorf("read the rollup's settings: %w", err)
	}
	if concreteDA(da) != concreteDA(s.Circuit.DA) {
		return fmt.Errorf("%w: --submitter.da is %s, the rollup at %s posts in mode %s (give --submitter.da %s, or --deploy.file)",
			l1.ErrMismatch, concreteDA(da), s.Rollup, concreteDA(s.Circuit.DA), concreteDA(s.Circuit.DA))
	}
	return nil
}

func concreteDA(da string) string {
	if da == "" {
		return protocol.DACalldata
	}
	return da
}

// submitterKeys are the submitter's keys: the sequencer key (--l1.key),
// which signs submitBatch in calldata and auto mode, and the key dedicated
// to blob transactions (--l1.blob-key), which signs submitBlobBatch in
// blob and auto mode. An address cannot have blob and non-blob
// transactions pending at once (nodes refuse the second kind), so the
// blob key must sign nothing else.
type submitterKeys struct {
	Calldata, Blob *ecdsa.PrivateKey
}

// Check refuses a set of keys the mode cannot run with: blob mode needs
// the blob key, and one that is not the sequencer key; auto mode needs
// both, at distinct addresses; calldata mode needs the sequencer key and
// has no use for a blob key.
func (k submitterKeys) Check(da string) error {
	blobKey := da == protocol.DABlob || da == protocol.DAAuto
	switch {
	case blobKey && k.Blob == nil:
		return fmt.Errorf("%s mode: --l1.blob-key or --l1.blob-key-file is required (a key dedicated to blob transactions)", da)
	case da == protocol.DAAuto && k.Calldata == nil:
		return errors.New("auto mode: --l1.key or --l1.key-file is required (it signs the calldata batches; --l1.blob-key the blob batches)")
	case blobKey && k.Calldata != nil && crypto.PubkeyToAddress(k.Calldata.PublicKey) == crypto.PubkeyToAddress(k.Blob.PublicKey):
		return fmt.Errorf("%s mode: --l1.blob-key must be dedicated to blob transactions, not the --l1.key account (an address cannot have blob and non-blob transactions pending at once)", da)
	case !blobKey && k.Calldata == nil:
		return errors.New("--l1.key or --l1.key-file is required")
	case !blobKey && k.Blob != nil:
		return errors.New("--l1.blob-key is for blob-mode and auto-mode deployments; this one posts calldata")
	}
	return nil
}

// submitter is the keys the submitter signs with in mode da: in blob mode
// the blob key alone (--l1.key, if given, is only checked to differ), in
// auto mode both.
func (k submitterKeys) submitter(da string) submitter.Keys {
	switch da {
	case protocol.DABlob:
		return submitter.Keys{Blob: k.Blob}
	case protocol.DAAuto:
		return submitter.Keys{Calldata: k.Calldata, Blob: k.Blob}
	}
	return submitter.Keys{Calldata: k.Calldata}
}

// sequencerReader reads the rollup's two senders (*l1.Reader).
type sequencerReader interface {
	Sequencer(ctx context.Context) (common.Address, error)
	BlobSequencer(ctx context.Context) (common.Address, error)
}

// checkSubmitterSenders refuses keys whose every transaction would revert.
// Calldata mode signs with --l1.key and blob mode with --l1.blob-key, each
// the rollup's sequencer. Auto mode signs calldata batches with --l1.key,
// the rollup's sequencer, and blob batches with --l1.blob-key, its blob
// sequencer (blobSequencerAddress: a second sender, for blob batches only,
// since node pools keep an address to blob or to other transactions).
func checkSubmitterSenders(ctx context.Context, r sequencerReader, k submitterKeys, da string) error {
	seqAddr, err := r.Sequencer(ctx)
	if err != nil {
		return err
	}
	type signer struct {
		flag, role, setter string
		key                *ecdsa.PrivateKey
		want               common.Address
	}
	seq := func(flag string, key *ecdsa.PrivateKey) signer {
		return signer{flag, "sequencer", "setSequencer", key, seqAddr}
	}
	var signers []signer
	switch da {
	case protocol.DABlob:
		signers = []signer{seq("--l1.blob-key", k.Blob)}
	case protocol.DAAuto:
		blobAddr, err := r.BlobSequencer(ctx)
		if err != nil {
			return err
		}
		signers = []signer{seq("--l1.key", k.Calldata), {"--l1.blob-key", "blob sequencer", "setBlobSequencerAddress", k.Blob, blobAddr}}
	default:
		signers = []signer{seq("--l1.key", k.Calldata)}
	}
	for _, sg := range signers {
		if addr := crypto.PubkeyToAddress(sg.key.PublicKey); addr != sg.want {
			return fmt.Errorf("%w: the submitter key's (%s) address is %s, the rollup's %s is %s (the owner changes it with %s)",
				l1.ErrMismatch, sg.flag, addr, sg.role, sg.want, sg.setter)
		}
	}
	return nil
}

// readSubmitterKeys reads --l1.key(-file) and --l1.blob-key(-file) and
// checks them for the mode (never echoing a key).
func readSubmitterKeys(c *cli.Context, da string) (submitterKeys, error) {
	var k submitterKeys
	var err error
	if c.String("l1.key") != "" || c.String("l1.key-file") != "" || (da != protocol.DABlob && da != protocol.DAAuto) {
		if k.Calldata, err = l1Key(c); err != nil {
			return k, err
		}
	}
	if c.String("l1.blob-key") != "" || c.String("l1.blob-key-file") != "" {
		keyHex := c.String("l1.blob-key")
		if f := c.String("l1.blob-key-file"); f != "" {
			if keyHex != "" {
				return k, errors.New("give --l1.blob-key or --l1.blob-key-file, not both")
			}
			b, err := os.ReadFile(f)
			if err != nil {
				return k, fmt.Errorf("--l1.blob-key-file: %w", err)
			}
			keyHex = string(b)
		}
		if k.Blob, err = crypto.HexToECDSA(strings.TrimPrefix(strings.TrimSpace(keyHex), "0x")); err != nil {
			return k, errors.New("--l1.blob-key: not a hex secp256k1 private key")
		}
	}
	return k, k.Check(da)
}
