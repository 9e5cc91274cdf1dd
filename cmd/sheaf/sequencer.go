package main

import (
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/urfave/cli/v2"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/dafee"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/sequencer"
)

func deploymentFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "deploy.file", Usage: "deployment file written by `sheaf deploy` (chain id, contract, circuit), checked against the contract at start", EnvVars: env("deploy.file")},
		&cli.StringFlag{Name: "l1.rpc", Usage: "L1 JSON-RPC endpoint: the contract's settings and fee account are read there", EnvVars: env("l1.rpc")},
		&cli.Uint64Flag{Name: "l1.chain-id", Usage: "L1 chain id (optional: must match the deployment file)", EnvVars: env("l1.chain-id")},
		&cli.StringFlag{Name: "l1.contract", Usage: "rollup contract address (optional: must match the deployment file)", EnvVars: env("l1.contract")},
	}
}

func apiFlags() []cli.Flag {
	d := api.DefaultConfig
	return []cli.Flag{
		&cli.StringFlag{Name: "rpc.addr", Value: d.HTTPAddr, Usage: "wallet JSON-RPC listen address (HTTP and WebSocket)", EnvVars: env("rpc.addr")},
		&cli.IntFlag{Name: "rpc.max-body-bytes", Value: d.MaxBodyBytes, Usage: "largest request body", EnvVars: env("rpc.max-body-bytes")},
		&cli.IntFlag{Name: "rpc.max-batch-items", Value: d.MaxBatchItems, Usage: "most calls in one JSON-RPC batch", EnvVars: env("rpc.max-batch-items")},
		&cli.StringSliceFlag{Name: "rpc.cors", Usage: "allowed browser origins", EnvVars: env("rpc.cors")},
	}
}

func apiConfig(c *cli.Context) (api.Config, error) {
	cfg := api.DefaultConfig
	cfg.HTTPAddr = c.String("rpc.addr")
	cfg.MaxBodyBytes = c.Int("rpc.max-body-bytes")
	cfg.MaxBatchItems = c.Int("rpc.max-batch-items")
	cfg.CORSOrigins = c.StringSlice("rpc.cors")
	return cfg, cfg.Check()
}

func metricsFlags() []cli.Flag {
	return []cli.Flag{&cli.StringFlag{Name: "metrics.addr", Value: "127.0.0.1:9645", Usage: "Prometheus /metrics, /healthz and /readyz (empty: off)", EnvVars: env("metrics.addr")}}
}

func sequencerFlags() []cli.Flag {
	d := sequencer.DefaultConfig
	dd := dafee.DefaultConfig
	return []cli.Flag{
		&cli.StringFlag{Name: "sequencer.l1-finality", Value: "finalized", Usage: "L1 block whose contract state the sequencer seals by: finalized, or a number of confirmations", EnvVars: env("sequencer.l1-finality")},
		&cli.DurationFlag{Name: "sequencer.l1-poll-interval", Value: d.L1PollInterval, Usage: "how often the contract's fee account is re-read", EnvVars: env("sequencer.l1-poll-interval")},
		&cli.DurationFlag{Name: "sequencer.batch-delay", Value: d.BatchDelay, Usage: "seal a batch at most this long after its first operation", EnvVars: env("sequencer.batch-delay")},
		&cli.DurationFlag{Name: "sequencer.seal-interval", Value: d.SealInterval, Usage: "least time between batches (set near the prover pool's pace)", EnvVars: env("sequencer.seal-interval")},
		&cli.IntFlag{Name: "sequencer.max-pending", Value: d.MaxPending, Usage: "accepted, unsealed transactions before new ones are refused", EnvVars: env("sequencer.max-pending")},
		&cli.IntFlag{Name: "sequencer.proof-rewind", Value: d.ProofRewind, Usage: "sheaf_getAccountProof serves an older batch while at most this many account states were written after it (0: latest batch only)", EnvVars: env("sequencer.proof-rewind")},
		&cli.StringFlag{Name: "sequencer.priority-margin", Value: "1/2", Usage: "seal a batch (an otherwise empty one too) once the oldest unsealed L1 queue entry (deposit, forced exit) is this close to its expiry: a duration, or a fraction of the deployment's priority expiry (a/b)", EnvVars: env("sequencer.priority-margin")},
		&cli.StringFlag{Name: "sequencer.min-transfer-fee", Value: "0", Usage: "smallest transfer fee accepted (must be a fee float)", EnvVars: env("sequencer.min-transfer-fee")},
		&cli.StringFlag{Name: "sequencer.min-withdrawal-fee", Value: "0", Usage: "smallest withdrawal fee accepted", EnvVars: env("sequencer.min-withdrawal-fee")},
		&cli.DurationFlag{Name: "sequencer.da-cache", Value: dd.TTL, Usage: "auto data-availability deployments: how long the L1 base fee and blob base fee read to choose each batch's mode are reused (docs/sequencer.md)", EnvVars: env("sequencer.da-cache")},
		&cli.Uint64Flag{Name: "sequencer.da-calldata-gas", Value: dd.CalldataFixedGas, Usage: "auto deployments: submitBatch's gas without its transfers (docs/benchmarks.md \"L1 gas in blob mode\")", EnvVars: env("sequencer.da-calldata-gas")},
		&cli.Uint64Flag{Name: "sequencer.da-blob-gas", Value: dd.BlobFixedGas, Usage: "auto deployments: submitBlobBatch's gas, without the blob", EnvVars: env("sequencer.da-blob-gas")},
		&cli.Uint64Flag{Name: "sequencer.da-switch-margin", Value: dd.SwitchMarginPercent, Usage: "auto deployments: how much cheaper (percent) the other mode must be before a batch leaves the previous batch's mode (each switch changes the sending key and waits for the predecessor's receipt)", EnvVars: env("sequencer.da-switch-margin")},
	}
}

// daChooser is the chooser of an auto deployment's batch modes: one
// reading src (the L1 client) with the --sequencer.da-* flags, or nil for
// a deployment of one mode.
func daChooser(c *cli.Context, circuit protocol.Config, src dafee.Source, log *slog.Logger) (sequencer.DAChooser, error) {
	if !circuit.Auto() {
		return nil, nil
	}
	ch, err := dafee.New(src, daFeeConfig(c), log)
	if err != nil {
		return nil, fmt.Errorf("--sequencer.da-*: %w", err)
	}
	return ch, nil
}

// daFeeConfig reads the --sequencer.da-* flags.
func daFeeConfig(c *cli.Context) dafee.Config {
	cfg := dafee.DefaultConfig
	cfg.TTL = c.Duration("sequencer.da-cache")
	cfg.CalldataFixedGas = c.Uint64("sequencer.da-calldata-gas")
	cfg.BlobFixedGas = c.Uint64("sequencer.da-blob-gas")
	cfg.SwitchMarginPercent = c.Uint64("sequencer.da-switch-margin")
	return cfg
}

// sequencerConfig builds the configuration from the deployment file and
// the flags; the caller sets Rollup.
func sequencerConfig(c *cli.Context, f *l1.DeploymentFile) (sequencer.Config, error) {
	cfg := sequencer.DefaultConfig
	if err := flagsAgree(c, f); err != nil {
		return cfg, err
	}
	cfg.Circuit, cfg.ChainID, cfg.Contract = f.Circuit, f.ChainID, f.Rollup
	cfg.L1PollInterval = c.Duration("sequencer.l1-poll-interval")
	cfg.BatchDelay = c.Duration("sequencer.batch-delay")
	cfg.SealInterval = c.Duration("sequencer.seal-interval")
	cfg.MaxPending = c.Int("sequencer.max-pending")
	cfg.ProofRewind = c.Int("sequencer.proof-rewind")
	margin, err := parsePriorityMargin(c.String("sequencer.priority-margin"), f.PriorityExpiry)
	if err != nil {
		return cfg, fmt.Errorf("--sequencer.priority-margin: %w", err)
	}
	cfg.PriorityMargin = margin
	if err := cfg.MinTransferFee.SetFromDecimal(c.String("sequencer.min-transfer-fee")); err != nil {
		return cfg, fmt.Errorf("--sequencer.min-transfer-fee: %w", err)
	}
	if err := cfg.MinWithdrawalFee.SetFromDecimal(c.String("sequencer.min-withdrawal-fee")); err != nil {
		return cfg, fmt.Errorf("--sequencer.min-withdrawal-fee: %w", err)
	}
	return cfg, cfg.Check()
}

// parsePriorityMargin reads a duration ("36h") or a fraction of the
// deployment's priority expiry ("1/2"). With no expiry in the deployment
// file a fraction gives 0: the sequencer then takes half the contract's.
func parsePriorityMargin(s string, expirySeconds uint64) (time.Duration, error) {
	expiry := time.Duration(expirySeconds) * time.Second
	if a, b, ok := strings.Cut(s, "/"); ok {
		n, err1 := strconv.ParseUint(strings.TrimSpace(a), 10, 32)
		d, err2 := strconv.ParseUint(strings.TrimSpace(b), 10, 32)
		if err1 != nil || err2 != nil || d == 0 || n == 0 || n >= d {
			return 0, fmt.Errorf("%q: want a fraction a/b with 0 < a < b, or a duration", s)
		}
		return expiry * time.Duration(n) / time.Duration(d), nil
	}
	m, err := time.ParseDuration(s)
	if err != nil || m <= 0 {
		return 0, fmt.Errorf("%q: want a positive duration or a fraction a/b", s)
	}
	if expiry > 0 && m >= expiry {
		return 0, fmt.Errorf("%v is not below the deployment's priority expiry %v: every queue entry would be overdue at once", m, expiry)
	}
	return m, nil
}

// sequencerDeployment reads --deploy.file and --sequencer.l1-finality.
func sequencerDeployment(c *cli.Context) (*l1.DeploymentFile, l1.Finality, error) {
	path := c.String("deploy.file")
	if path == "" {
		return nil, l1.Finality{}, errors.New("--deploy.file is required (SHEAF_DEPLOY_FILE): the deployment.json `sheaf deploy` wrote")
	}
	f, err := l1.ReadDeployment(path)
	if err != nil {
		return nil, l1.Finality{}, err
	}
	fin, err := l1.ParseFinality(c.String("sequencer.l1-finality"))
	if err != nil {
		return nil, fin, fmt.Errorf("--sequencer.l1-finality: %w", err)
	}
	return f, fin, nil
}

func sequencerCommand() *cli.Command {
	flags := joinFlags(dbFlags(), circuitFlags(DefaultCircuit), deploymentFlags(), sequencerFlags(), apiFlags(), metricsFlags())
	for _, f := range flags {
		if f, ok := f.(*cli.IntFlag); ok && strings.HasPrefix(f.Name, "circuit.") {
			f.Usage += " (optional: must match the deployment file)"
		}
	}
	return &cli.Command{
		Name:  "sequencer",
		Usage: "accept wallet transactions over JSON-RPC and seal batches into PostgreSQL (one active per database; others wait as hot standbys)",
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
			dep, fin, err := sequencerDeployment(c)
			if err != nil {
				return err
			}
			sc, err := sequencerConfig(c, dep)
			if err != nil {
				return err
			}
			ac, err := apiConfig(c)
			if err != nil {
				return err
			}
			oc, err := opsConfig(c)
			if err != nil {
				return err
			}
			if c.String("l1.rpc") == "" {
				return errors.New("--l1.rpc is required (SHEAF_L1_RPC): the sequencer reads the fee account from the contract")
			}
			client, err := ethclient.DialContext(c.Context, c.String("l1.rpc"))
			if err != nil {
				return fmt.Errorf("--l1.rpc: %w", err)
			}
			defer client.Close()
			if _, err := checkOnL1(c.Context, client, dep, c.String("deploy.file")); err != nil {
				return err
			}
			sc.Rollup = l1.NewReader(client, dep.Rollup, dep.Block, fin)
			if sc.DAChooser, err = daChooser(c, sc.Circuit, client, log.With("component", "dafee")); err != nil {
				return err
			}
			return serveComponent(c, log, dbc, oc, "sequencer", func(pool *pgxpool.Pool, reg prometheus.Registerer) (component, []service, error) {
				seq, err := sequencer.New(sc, pool, log.With("component", "sequencer"), reg)
				if err != nil {
					return nil, nil, err
				}
				srv, err := api.NewServer(ac, seq, log.With("component", "api"), reg)
				return seq, []service{srv}, err
			})
		},
	}
}
