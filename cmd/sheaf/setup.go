package main

import (
	"fmt"
	"path/filepath"

	"github.com/consensys/gnark/constraint"
	"github.com/urfave/cli/v2"

	"github.com/sheafrollup/sheaf/circuits"
	"github.com/sheafrollup/sheaf/circuits/exit"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/protocol"
)

func setupCommand() *cli.Command {
	return &cli.Command{
		Name:  "setup",
		Usage: "generate Groth16 keys and the Solidity verifier for a circuit configuration or the exit circuit (single-party: DEVELOPMENT ONLY)",
		Flags: append(circuitFlags(DefaultCircuit),
			&cli.StringFlag{Name: "circuit.kind", Value: "batch", Usage: "batch (the configuration's batch circuit) or exit (the exodus exit circuit of --circuit.depth)", EnvVars: env("circuit.kind")},
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
			var ccs constraint.ConstraintSystem
			var name, kind string
			switch c.String("circuit.kind") {
			case "batch":
				name = cfg.String()
				log.Info("compiling circuit", "config", name)
				ccs, err = circuits.Compile(cfg)
			case "exit":
				// The exit circuit depends on the depth alone.
				cfg = protocol.Config{Depth: cfg.Depth}
				name, kind = fmt.Sprintf("exit-d%d", cfg.Depth), keys.CircuitExit
				log.Info("compiling the exit circuit", "depth", cfg.Depth)
				ccs, err = exit.Compile(cfg.Depth)
			default:
				return fmt.Errorf("--circuit.kind: %q is not batch or exit", c.String("circuit.kind"))
			}
			if err != nil {
				return err
			}
			dir := c.String("keys.dir")
			if dir == "" {
				dir = filepath.Join("keys", name)
			}
			set, err := keys.Setup(c.Context, cfg, ccs, dir, keys.SetupOptions{Circuit: kind, Force: c.Bool("force"), Log: log})
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
