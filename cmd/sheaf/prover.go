package main

import (
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/urfave/cli/v2"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/prover"
)

var _ service = (*prover.Pool)(nil)

func proverFlags() []cli.Flag {
	d := prover.DefaultConfig
	return []cli.Flag{
		&cli.IntFlag{Name: "prover.workers", Value: d.Workers, Usage: "concurrent proofs in this process (one proof already uses every core; see docs/prover.md)", EnvVars: env("prover.workers")},
		&cli.StringFlag{Name: "prover.backend", Value: d.Backend, Usage: "cpu, or gpu (a binary built with -tags icicle)", EnvVars: env("prover.backend")},
		&cli.IntFlag{Name: "prover.gpu-device", Value: 0, Usage: "CUDA device id for --prover.backend=gpu", EnvVars: env("prover.gpu-device")},
		&cli.StringFlag{Name: "prover.keys-dir", Value: "keys", Usage: "keys written by `sheaf setup`: the directory itself or <dir>/<config>", EnvVars: env("prover.keys-dir")},
		&cli.BoolFlag{Name: "prover.dev-keys", Usage: "use (and if needed create) development keys in the local key cache instead of --prover.keys-dir (UNSAFE: single-party setup)", EnvVars: env("prover.dev-keys")},
		&cli.DurationFlag{Name: "prover.lease", Value: d.Lease, Usage: "how long a claimed batch stays ours without renewal", EnvVars: env("prover.lease")},
		&cli.IntFlag{Name: "prover.max-attempts", Value: d.MaxAttempts, Usage: "attempts per batch before it is marked failed", EnvVars: env("prover.max-attempts")},
		&cli.DurationFlag{Name: "prover.poll-interval", Value: d.PollInterval, Usage: "look for work this often without a notification", EnvVars: env("prover.poll-interval")},
		&cli.StringFlag{Name: "prover.owner", Usage: "lease owner id (default hostname-pid)", EnvVars: env("prover.owner")},
		&cli.StringFlag{Name: "deploy.file", Usage: "deployment file written by `sheaf deploy`: the circuit to prove (the --circuit.* flags, if given, must match it)", EnvVars: env("deploy.file")},
		&cli.StringFlag{Name: "l1.rpc", Usage: "L1 JSON-RPC endpoint (optional): with --deploy.file, checks it against the contract at start", EnvVars: env("l1.rpc")},
	}
}

func proverConfig(c *cli.Context) (prover.Config, error) {
	var dep *l1.DeploymentFile
	if path := c.String("deploy.file"); path != "" {
		var err error
		if dep, err = l1.ReadDeployment(path); err != nil {
			return prover.Config{}, err
		}
	}
	circuit, err := circuitFrom(c, dep)
	if err != nil {
		return prover.Config{}, err
	}
	cfg := prover.Config{
		Circuits:     circuit.Modes(), // both circuits of an auto deployment: each batch names its own
		KeysDir:      c.String("prover.keys-dir"),
		Workers:      c.Int("prover.workers"),
		Lease:        c.Duration("prover.lease"),
		MaxAttempts:  c.Int("prover.max-attempts"),
		PollInterval: c.Duration("prover.poll-interval"),
		Backend:      c.String("prover.backend"),
		GPUDevice:    c.Int("prover.gpu-device"),
		Owner:        c.String("prover.owner"),
	}
	if c.Bool("prover.dev-keys") {
		cfg.KeysDir = ""
	} else if cfg.KeysDir == "" {
		return cfg, errors.New("--prover.keys-dir is required (or --prover.dev-keys for development)")
	}
	if cfg.Backend == prover.BackendGPU && !prover.GPUSupported {
		return cfg, prover.ErrNoGPU
	}
	return cfg, cfg.Check()
}

func proverCommand() *cli.Command {
	flags := joinFlags(dbFlags(), circuitFlags(DefaultCircuit), proverFlags(), metricsFlags())
	return &cli.Command{
		Name:  "prover",
		Usage: "prove sealed batches from PostgreSQL (run any number, on any machines)",
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
			pc, err := proverConfig(c)
			if err != nil {
				return err
			}
			if path, rpc := c.String("deploy.file"), c.String("l1.rpc"); path != "" && rpc != "" {
				dep, err := l1.ReadDeployment(path)
				if err != nil {
					return err
				}
				client, err := ethclient.DialContext(c.Context, rpc)
				if err != nil {
					return fmt.Errorf("--l1.rpc: %w", err)
				}
				_, err = checkOnL1(c.Context, client, dep, path)
				client.Close()
				if err != nil {
					return err
				}
			}
			oc, err := opsConfig(c)
			if err != nil {
				return err
			}
			var loaded []*prover.Circuit
			for _, cc := range pc.Circuits {
				ci, err := prover.LoadCircuit(c.Context, cc, pc.KeysDir, log)
				if err != nil {
					return err
				}
				loaded = append(loaded, ci)
			}
			return serveComponent(c, log, dbc, oc, "prover", func(pool *pgxpool.Pool, reg prometheus.Registerer) (component, []service, error) {
				p, err := prover.New(pc, pool, loaded, log.With("component", "prover"), reg)
				return p, nil, err
			})
		},
	}
}
