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
			&cli.StringFlag{Name: "keys.dir", Usage: "output directory (default keys/<config>; with --circuit.da auto, both circuits: <dir>/<config> each, default keys/<config>)", EnvVars: env("keys.dir")},
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
			targets, err := setupTargets(cfg, c.String("circuit.kind"), c.String("keys.dir"))
			if err != nil {
				return err
			}
			for _, tg := range targets {
				var ccs constraint.ConstraintSystem
				switch tg.kind {
				case keys.CircuitExit:
					log.Info("compiling the exit circuit", "depth", tg.cfg.Depth)
					ccs, err = exit.Compile(tg.cfg.Depth)
				default:
					log.Info("compiling circuit", "config", tg.cfg.String())
					ccs, err = circuits.Compile(tg.cfg)
				}
				if err != nil {
					return err
				}
				set, err := keys.Setup(c.Context, tg.cfg, ccs, tg.dir, keys.SetupOptions{Circuit: tg.kind, Force: c.Bool("force"), Log: log})
				if err != nil {
					return err
				}
				fmt.Fprintf(c.App.Writer, "wrote %s/{%s,%s,%s,%s}\ncircuit %s, %d constraints, ceremony: %s\n",
					tg.dir, keys.ProvingKeyFile, keys.VerifyingKeyFile, keys.VerifierFile, keys.MetaFile,
					set.Meta.CircuitHash[:16], set.Meta.Constraints, set.Meta.Ceremony)
			}
			return nil
		},
	}
}

// setupTarget is one circuit `sheaf setup` makes keys for.
type setupTarget struct {
	cfg  protocol.Config
	kind string // keys.SetupOptions.Circuit: "" (batch) or keys.CircuitExit
	dir  string
}

// setupTargets lists the circuits of a setup: the batch circuit of cfg,
// or of each of its modes for an auto configuration (an auto deployment
// proves with both; each gets <dir>/<config>, the layout the prover's
// --prover.keys-dir reads), or the exit circuit of cfg's depth.
func setupTargets(cfg protocol.Config, kind, dir string) ([]setupTarget, error) {
	switch kind {
	case "batch":
		if !cfg.Auto() {
			if dir == "" {
				dir = filepath.Join("keys", cfg.String())
			}
			return []setupTarget{{cfg: cfg, dir: dir}}, nil
		}
		if dir == "" {
			dir = "keys"
		}
		var out []setupTarget
		for _, m := range cfg.Modes() {
			out = append(out, setupTarget{cfg: m, dir: filepath.Join(dir, m.String())})
		}
		return out, nil
	case "exit":
		// The exit circuit depends on the depth alone.
		cfg = protocol.Config{Depth: cfg.Depth}
		if dir == "" {
			dir = filepath.Join("keys", fmt.Sprintf("exit-d%d", cfg.Depth))
		}
		return []setupTarget{{cfg: cfg, kind: keys.CircuitExit, dir: dir}}, nil
	default:
		return nil, fmt.Errorf("--circuit.kind: %q is not batch or exit", kind)
	}
}
