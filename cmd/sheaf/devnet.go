package main

import (
	"github.com/urfave/cli/v2"

	"github.com/sheafrollup/sheaf/devnet"
)

func devnetCommand() *cli.Command {
	d := devnet.DefaultConfig
	return &cli.Command{
		Name:  "devnet",
		Usage: "run the rollup in one process on embedded development defaults",
		Flags: append(circuitFlags(d.Circuit),
			&cli.IntFlag{Name: "devnet.wallets", Value: d.Wallets, Usage: "funded development wallets", EnvVars: env("devnet.wallets")},
			&cli.IntFlag{Name: "devnet.batches", Value: d.Batches, Usage: "stop after this many batches (0: until interrupted)", EnvVars: env("devnet.batches")},
			&cli.DurationFlag{Name: "devnet.interval", Value: d.Interval, Usage: "pause between batches", EnvVars: env("devnet.interval")},
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
			cfg := devnet.Config{Circuit: circuit, Wallets: c.Int("devnet.wallets"), Batches: c.Int("devnet.batches"),
				Interval: c.Duration("devnet.interval"), Seed: d.Seed}
			return devnet.Run(c.Context, cfg, log)
		},
	}
}
