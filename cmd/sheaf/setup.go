package main

import (
	"fmt"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/sheafrollup/sheaf/circuits"
	"github.com/sheafrollup/sheaf/circuits/keys"
)

func setupCommand() *cli.Command {
	return &cli.Command{
		Name:  "setup",
		Usage: "generate Groth16 keys and the Solidity verifier for a circuit configuration (single-party: DEVELOPMENT ONLY)",
		Flags: append(circuitFlags(DefaultCircuit),
			&cli.StringFlag{Name: "keys.dir", Usage: "output directory (default keys/<config>)", EnvVars: env("keys.dir")},
			&cli.BoolFlag{Name: "force", Usage: "overwrite existing keys", EnvVars: env("setup.force")},
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
			dir := c.String("keys.dir")
			if dir == "" {
				dir = filepath.Join("keys", cfg.String())
			}
			log.Info("compiling circuit", "config", cfg.String())
			ccs, err := circuits.Compile(cfg)
			if err != nil {
				return err
			}
			set, err := keys.Setup(c.Context, cfg, ccs, dir, keys.SetupOptions{Force: c.Bool("force"), Log: log})
			if err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "wrote %s/{%s,%s,%s,%s}\ncircuit %s, %d constraints, ceremony: %s\n",
				dir, keys.ProvingKeyFile, keys.VerifyingKeyFile, keys.VerifierFile, keys.MetaFile,
				set.Meta.CircuitHash[:16], set.Meta.Constraints, set.Meta.Ceremony)
			return nil
		},
	}
}
