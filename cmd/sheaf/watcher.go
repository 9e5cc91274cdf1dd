package main

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/urfave/cli/v2"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/watcher"
)

func watcherFlags() []cli.Flag {
	d := watcher.DefaultConfig
	return []cli.Flag{
		&cli.StringFlag{Name: "l1.rpc", Usage: "L1 JSON-RPC endpoint (http, ws or ipc)", EnvVars: env("l1.rpc")},
		&cli.StringFlag{Name: "deploy.file", Usage: "deployment file written by `sheaf deploy` (contract and start block)", EnvVars: env("deploy.file")},
		&cli.StringFlag{Name: "l1.contract", Usage: "rollup contract address (instead of --deploy.file)", EnvVars: env("l1.contract")},
		&cli.Uint64Flag{Name: "watcher.from-block", Usage: "first L1 block to scan on an empty database (default: the deployment block from --deploy.file)", EnvVars: env("watcher.from-block")},
		&cli.StringFlag{Name: "watcher.confirmations", Value: "finalized", Usage: fmt.Sprintf("when a deposit is stored: \"finalized\" (its block is at or below the node's finalized block; a node without that tag is followed %d blocks deep), or a number of blocks on top of its block (devnets)", d.Confirmations), EnvVars: env("watcher.confirmations")},
		&cli.DurationFlag{Name: "watcher.poll-interval", Value: d.PollInterval, Usage: "L1 poll interval", EnvVars: env("watcher.poll-interval")},
		&cli.Uint64Flag{Name: "watcher.batch-blocks", Value: d.BatchBlocks, Usage: "most blocks per eth_getLogs", EnvVars: env("watcher.batch-blocks")},
	}
}

func watcherConfig(c *cli.Context) (watcher.Config, error) {
	cfg := watcher.DefaultConfig
	if c.String("l1.rpc") == "" {
		return cfg, errors.New("--l1.rpc is required")
	}
	switch path, addr := c.String("deploy.file"), c.String("l1.contract"); {
	case path != "" && addr != "":
		return cfg, errors.New("give --deploy.file or --l1.contract, not both")
	case path != "":
		d, err := l1.ReadDeployment(path)
		if err != nil {
			return cfg, err
		}
		cfg.Contract, cfg.FromBlock = d.Rollup, d.Block
	case common.IsHexAddress(addr):
		cfg.Contract = common.HexToAddress(addr)
	default:
		return cfg, fmt.Errorf("--deploy.file or --l1.contract is required (%q is not an address)", addr)
	}
	if c.IsSet("watcher.from-block") {
		cfg.FromBlock = c.Uint64("watcher.from-block")
	}
	if v := c.String("watcher.confirmations"); v != "finalized" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return cfg, fmt.Errorf("--watcher.confirmations %q: want \"finalized\" or a number of blocks", v)
		}
		cfg.Finalized, cfg.Confirmations = false, n
	}
	cfg.PollInterval = c.Duration("watcher.poll-interval")
	cfg.BatchBlocks = c.Uint64("watcher.batch-blocks")
	return cfg, cfg.Check()
}

func watcherCommand() *cli.Command {
	flags := joinFlags(dbFlags(), watcherFlags(), metricsFlags())
	return &cli.Command{
		Name:  "watcher",
		Usage: "store the rollup's confirmed L1 deposits in PostgreSQL (one active per database; others wait as standbys)",
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
			wc, err := watcherConfig(c)
			if err != nil {
				return err
			}
			oc, err := opsConfig(c)
			if err != nil {
				return err
			}
			client, err := ethclient.DialContext(c.Context, c.String("l1.rpc"))
			if err != nil {
				return fmt.Errorf("--l1.rpc: %w", err)
			}
			defer client.Close()
			if path := c.String("deploy.file"); path != "" {
				dep, err := l1.ReadDeployment(path)
				if err != nil {
					return err
				}
				if _, err := checkOnL1(c.Context, client, dep, path); err != nil {
					return err
				}
			}
			return serveComponent(c, log, dbc, oc, "watcher", func(pool *pgxpool.Pool, reg prometheus.Registerer) (component, []service, error) {
				w, err := watcher.New(wc, client, pool, log.With("component", "watcher"), reg)
				return w, nil, err
			})
		},
	}
}
