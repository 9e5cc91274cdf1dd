package main

import (
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/sequencer"
)

func deploymentFlags() []cli.Flag {
	return []cli.Flag{
		&cli.Uint64Flag{Name: "l1.chain-id", Usage: "L1 chain id (bound into every signature)", EnvVars: env("l1.chain-id")},
		&cli.StringFlag{Name: "l1.contract", Usage: "rollup contract address (bound into every signature)", EnvVars: env("l1.contract")},
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
	return []cli.Flag{
		&cli.UintFlag{Name: "sequencer.fee-account", Value: 1, Usage: "account index that collects fees", EnvVars: env("sequencer.fee-account")},
		&cli.DurationFlag{Name: "sequencer.batch-delay", Value: d.BatchDelay, Usage: "seal a batch at most this long after its first operation", EnvVars: env("sequencer.batch-delay")},
		&cli.DurationFlag{Name: "sequencer.seal-interval", Value: d.SealInterval, Usage: "least time between batches (set near the prover pool's pace)", EnvVars: env("sequencer.seal-interval")},
		&cli.IntFlag{Name: "sequencer.max-pending", Value: d.MaxPending, Usage: "accepted, unsealed transactions before new ones are refused", EnvVars: env("sequencer.max-pending")},
		&cli.IntFlag{Name: "sequencer.proof-rewind", Value: d.ProofRewind, Usage: "sheaf_getAccountProof serves an older batch while at most this many account states were written after it (0: latest batch only)", EnvVars: env("sequencer.proof-rewind")},
		&cli.StringFlag{Name: "sequencer.min-transfer-fee", Value: "0", Usage: "smallest transfer fee accepted (must be a fee float)", EnvVars: env("sequencer.min-transfer-fee")},
		&cli.StringFlag{Name: "sequencer.min-withdrawal-fee", Value: "0", Usage: "smallest withdrawal fee accepted", EnvVars: env("sequencer.min-withdrawal-fee")},
	}
}

func sequencerConfig(c *cli.Context) (sequencer.Config, error) {
	cfg := sequencer.DefaultConfig
	circuit, err := circuitConfig(c)
	if err != nil {
		return cfg, err
	}
	cfg.Circuit = circuit
	cfg.ChainID = c.Uint64("l1.chain-id")
	if cfg.ChainID == 0 {
		return cfg, errors.New("--l1.chain-id is required")
	}
	if !common.IsHexAddress(c.String("l1.contract")) {
		return cfg, fmt.Errorf("--l1.contract %q is not an address", c.String("l1.contract"))
	}
	cfg.Contract = common.HexToAddress(c.String("l1.contract"))
	cfg.FeeAccount = uint32(c.Uint("sequencer.fee-account"))
	cfg.BatchDelay = c.Duration("sequencer.batch-delay")
	cfg.SealInterval = c.Duration("sequencer.seal-interval")
	cfg.MaxPending = c.Int("sequencer.max-pending")
	cfg.ProofRewind = c.Int("sequencer.proof-rewind")
	if err := cfg.MinTransferFee.SetFromDecimal(c.String("sequencer.min-transfer-fee")); err != nil {
		return cfg, fmt.Errorf("--sequencer.min-transfer-fee: %w", err)
	}
	if err := cfg.MinWithdrawalFee.SetFromDecimal(c.String("sequencer.min-withdrawal-fee")); err != nil {
		return cfg, fmt.Errorf("--sequencer.min-withdrawal-fee: %w", err)
	}
	return cfg, cfg.Check()
}

func sequencerCommand() *cli.Command {
	flags := joinFlags(dbFlags(), circuitFlags(DefaultCircuit), deploymentFlags(), sequencerFlags(), apiFlags(), metricsFlags())
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
			sc, err := sequencerConfig(c)
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
