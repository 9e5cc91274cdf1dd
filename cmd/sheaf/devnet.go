package main

import (
	"github.com/urfave/cli/v2"

	"github.com/sheafrollup/sheaf/devnet"
)

func devnetCommand() *cli.Command {
	d := devnet.DefaultConfig
	return &cli.Command{
		Name:  "devnet",
		Usage: "run the whole rollup in one process on embedded development defaults (PostgreSQL, an in-process L1, every service)",
		Flags: append(circuitFlags(d.Circuit),
			&cli.StringFlag{Name: "devnet.dir", Value: d.Dir, Usage: "working folder (wallets, deployment file)", EnvVars: env("devnet.dir")},
			&cli.StringFlag{Name: "devnet.datadir", Usage: "keep the devnet (L1 chain, PostgreSQL, keys, wallets, deployment) in this folder across restarts, instead of --devnet.dir; empty: a throw-away devnet", EnvVars: env("devnet.datadir")},
			&cli.StringFlag{Name: "devnet.l1-addr", Value: d.L1Addr, Usage: "L1 JSON-RPC listen address", EnvVars: env("devnet.l1-addr")},
			&cli.StringFlag{Name: "rpc.addr", Value: d.RPCAddr, Usage: "wallet JSON-RPC listen address", EnvVars: env("rpc.addr")},
			&cli.StringFlag{Name: "devnet.beacon-addr", Value: d.BeaconAddr, Usage: "Beacon API listen address: the devnet's blobs (/eth/v1/beacon/blob_sidecars) for sheaf audit --l1.beacon", EnvVars: env("devnet.beacon-addr")},
			&cli.StringFlag{Name: "metrics.addr", Value: d.MetricsAddr, Usage: "Prometheus /metrics, /healthz, /readyz", EnvVars: env("metrics.addr")},
			&cli.DurationFlag{Name: "devnet.block-time", Value: d.BlockTime, Usage: "L1 block interval", EnvVars: env("devnet.block-time")},
			&cli.IntFlag{Name: "devnet.wallets", Value: d.Wallets, Usage: "funded development wallets", EnvVars: env("devnet.wallets")},
			&cli.BoolFlag{Name: "demo", Usage: "keep deposits, transfers and withdrawals flowing", EnvVars: env("devnet.demo")},
		),
		Action: func(c *cli.Context) error {
			log, err := newLogger(c)
			if err != nil {
				return err
			}
			circuit, err := circuitConfig(c)
			if err != nil {
				return err
			}
			cfg := devnet.Config{Circuit: circuit, Dir: c.String("devnet.dir"), DataDir: c.String("devnet.datadir"), L1Addr: c.String("devnet.l1-addr"),
				RPCAddr: c.String("rpc.addr"), MetricsAddr: c.String("metrics.addr"), BeaconAddr: c.String("devnet.beacon-addr"), BlockTime: c.Duration("devnet.block-time"),
				Wallets: c.Int("devnet.wallets"), Demo: c.Bool("demo")}
			return devnet.Run(c.Context, cfg, log)
		},
	}
}
