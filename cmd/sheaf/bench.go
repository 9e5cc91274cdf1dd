package main

import (
	"encoding/json"

	"github.com/urfave/cli/v2"

	"github.com/sheafrollup/sheaf/circuits"
	"github.com/sheafrollup/sheaf/protocol"
)

func benchCommand() *cli.Command {
	return &cli.Command{
		Name:  "bench",
		Usage: "benchmarks that print one JSON object",
		Subcommands: []*cli.Command{{
			Name:  "circuit",
			Usage: "constraints per transfer and pubdata bytes; with --prove also setup and prove time and peak memory",
			// Transfer slots only by default, so constraints_per_transfer
			// carries the whole batch overhead (header hash, fee credit).
			Flags: append(circuitFlags(protocol.Config{Depth: 24, Transfers: 32}),
				&cli.BoolFlag{Name: "prove", Usage: "also run a setup and prove a full batch"},
			),
			Action: func(c *cli.Context) error {
				log, err := newLogger(c)
				if err != nil {
					return err
				}
				cfg, err := circuitConfig(c)
				if err != nil {
					return err
				}
				r, err := circuits.Bench(c.Context, cfg, c.Bool("prove"), log)
				if err != nil {
					return err
				}
				e := json.NewEncoder(c.App.Writer)
				e.SetIndent("", "  ")
				return e.Encode(r)
			},
		}},
	}
}
