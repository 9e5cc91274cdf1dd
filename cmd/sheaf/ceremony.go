package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/sheafrollup/sheaf/circuits"
	"github.com/sheafrollup/sheaf/circuits/ceremony"
	"github.com/sheafrollup/sheaf/circuits/exit"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/protocol"
)

// Flags shared by the ceremony commands (fresh values per command: cli
// flags keep state).
func ceremonyDirFlag() cli.Flag {
	return &cli.StringFlag{Name: "ceremony.dir", Usage: "the ceremony's directory (one per circuit)", EnvVars: env("ceremony.dir"), Required: true}
}

func ceremonyCacheFlag() cli.Flag {
	return &cli.StringFlag{Name: "ceremony.cache", EnvVars: env("ceremony.cache"),
		Usage: "keep the circuit's phase-2 evaluation (the long step) here, so that this machine computes it once for init, verify and finalize; leave unset for an independent verification"}
}

func ptauFileFlag() cli.Flag {
	return &cli.StringFlag{Name: "ptau.file", Aliases: []string{"ptau"}, Usage: "Powers-of-Tau file (.ptau, snarkjs format)", EnvVars: env("ptau.file")}
}

func keysDirFlag(usage string) cli.Flag {
	return &cli.StringFlag{Name: "keys.dir", Usage: usage, EnvVars: env("keys.dir")}
}

func ceremonyCommand() *cli.Command {
	return &cli.Command{
		Name:  "ceremony",
		Usage: "multi-party Groth16 setup: production keys that no single party can forge proofs for (docs/ceremony.md)",
		Subcommands: []*cli.Command{
			ceremonyImportCommand(), ceremonyInitCommand(), ceremonyContributeCommand(),
			ceremonyVerifyCommand(), ceremonyFinalizeCommand(),
		},
	}
}

func ceremonyOptions(c *cli.Context) (ceremony.Options, error) {
	log, err := newLogger(c)
	if err != nil {
		return ceremony.Options{}, err
	}
	return ceremony.Options{Log: log, Cache: c.String("ceremony.cache")}, nil
}

// compileCeremonyCircuit compiles the circuit of a ceremony: the batch
// circuit of cfg, or (kind keys.CircuitExit) the exit circuit of cfg's
// depth, named as `sheaf setup --circuit.kind exit` names its directory.
func compileCeremonyCircuit(cfg protocol.Config, kind string) (*ceremony.Circuit, error) {
	switch kind {
	case keys.CircuitBatch:
		if cfg.Auto() {
			return nil, fmt.Errorf("an auto configuration proves with two circuits: run one ceremony for each of %s and %s (--circuit.da calldata and blob)", cfg.Modes()[0], cfg.Modes()[1])
		}
		ccs, err := circuits.Compile(cfg)
		if err != nil {
			return nil, err
		}
		return ceremony.NewCircuit(cfg.String(), cfg, ccs)
	case keys.CircuitExit:
		cfg = protocol.Config{Depth: cfg.Depth}
		ccs, err := exit.Compile(cfg.Depth)
		if err != nil {
			return nil, err
		}
		c, err := ceremony.NewCircuit(fmt.Sprintf("exit-d%d", cfg.Depth), cfg, ccs)
		if err != nil {
			return nil, err
		}
		c.Kind = keys.CircuitExit
		return c, nil
	default:
		return nil, fmt.Errorf("--circuit.kind: %q is not batch or exit", kind)
	}
}

// ceremonyKind reads --circuit.kind ("batch" is keys.CircuitBatch).
func ceremonyKind(c *cli.Context) string {
	if k := c.String("circuit.kind"); k != "batch" {
		return k
	}
	return keys.CircuitBatch
}

func circuitKindFlag() cli.Flag {
	return &cli.StringFlag{Name: "circuit.kind", Value: "batch", Usage: "batch (the configuration's batch circuit) or exit (the exodus exit circuit of --circuit.depth): one ceremony each", EnvVars: env("circuit.kind")}
}

// manifestCircuit reads dir's manifest and returns it with a function
// compiling its circuit (called only once the cheap checks passed).
// Circuit flags given explicitly must agree with the manifest.
func manifestCircuit(c *cli.Context, dir string) (*ceremony.Manifest, ceremony.CircuitFunc, error) {
	m, err := ceremony.ReadManifest(dir)
	if err != nil {
		return nil, nil, err
	}
	mc := m.Circuit.Config
	for _, f := range []struct {
		name string
		want int
	}{{"circuit.depth", mc.Depth}, {"circuit.deposits", mc.Deposits}, {"circuit.transfers", mc.Transfers}, {"circuit.withdrawals", mc.Withdrawals}} {
		if c.IsSet(f.name) && c.Int(f.name) != f.want {
			return nil, nil, fmt.Errorf("%w: %s is a ceremony for %s, --%s is %d", ceremony.ErrCircuit, dir, mc, f.name, c.Int(f.name))
		}
	}
	if c.IsSet("circuit.kind") && ceremonyKind(c) != m.Circuit.Kind {
		return nil, nil, fmt.Errorf("%w: %s is a ceremony for %s, --circuit.kind is %s", ceremony.ErrCircuit, dir, m.Circuit.Name, c.String("circuit.kind"))
	}
	return m, func(info ceremony.CircuitInfo) (*ceremony.Circuit, error) {
		return compileCeremonyCircuit(info.Config, info.Kind)
	}, nil
}

func ceremonyImportCommand() *cli.Command {
	return &cli.Command{
		Name:  "import-ptau",
		Usage: "start a ceremony: phase 1 from a Powers-of-Tau file, checked against its published hash and truncated to the circuit's domain",
		Flags: append(circuitFlags(DefaultCircuit), circuitKindFlag(), ceremonyDirFlag(), ptauFileFlag(),
			&cli.StringFlag{Name: "ptau.hash", Usage: "the file's published hash, hex: SHA-256 (64 digits) or BLAKE2b-512 (128 digits, as snarkjs lists them)", EnvVars: env("ptau.hash")},
		),
		Action: func(c *cli.Context) error {
			opt, err := ceremonyOptions(c)
			if err != nil {
				return err
			}
			if c.String("ptau.file") == "" || c.String("ptau.hash") == "" {
				return errors.New("--ptau.file and --ptau.hash are required")
			}
			cfg, err := circuitConfig(c)
			if err != nil {
				return err
			}
			opt.Log.Info("compiling circuit", "config", cfg.String(), "kind", c.String("circuit.kind"))
			circ, err := compileCeremonyCircuit(cfg, ceremonyKind(c))
			if err != nil {
				return err
			}
			dir := c.String("ceremony.dir")
			m, err := ceremony.ImportPtau(c.Context, dir, circ, c.String("ptau.file"), c.String("ptau.hash"), opt)
			if err != nil {
				return err
			}
			p := m.Phase1.Ptau
			w := c.App.Writer
			fmt.Fprintf(w, "phase 1: Powers of Tau of power %d (ceremony power %d, %d contributions)\n  sha256      %s\n  blake2b-512 %s\n",
				p.Power, p.CeremonyPower, p.Contributions, p.SHA256, p.BLAKE2b)
			fmt.Fprintf(w, "truncated to 2^%d for %s (%d constraints): %s sha256 %s\n",
				log2(m.Circuit.Domain), m.Circuit.Name, m.Circuit.Constraints, filepath.Join(dir, ceremony.Phase1File), m.Phase1.SHA256)
			fmt.Fprintf(w, "next: sheaf ceremony init --ceremony.dir %s\n", dir)
			return nil
		},
	}
}

func ceremonyInitCommand() *cli.Command {
	return &cli.Command{
		Name:  "init",
		Usage: "write the initial phase-2 state of the ceremony's circuit (phase2.0000)",
		Flags: append(circuitFlags(DefaultCircuit), circuitKindFlag(), ceremonyDirFlag(), ceremonyCacheFlag(),
			&cli.BoolFlag{Name: "ceremony.insecure-phase1", Aliases: []string{"insecure-phase1"}, EnvVars: env("ceremony.insecure-phase1"),
				Usage: "start the ceremony on a test-only phase 1 whose secrets are PUBLIC (tests, devnet; `sheaf deploy` refuses its keys without --dev)"},
		),
		Action: func(c *cli.Context) error {
			opt, err := ceremonyOptions(c)
			if err != nil {
				return err
			}
			dir := c.String("ceremony.dir")
			var circ *ceremony.Circuit
			if c.Bool("ceremony.insecure-phase1") {
				cfg, err := circuitConfig(c)
				if err != nil {
					return err
				}
				opt.Log.Info("compiling circuit", "config", cfg.String(), "kind", c.String("circuit.kind"))
				if circ, err = compileCeremonyCircuit(cfg, ceremonyKind(c)); err != nil {
					return err
				}
				if _, err := ceremony.NewInsecure(c.Context, dir, circ, opt); err != nil {
					return err
				}
			} else {
				m, compile, err := manifestCircuit(c, dir)
				if err != nil {
					return err
				}
				if circ, err = compile(m.Circuit); err != nil {
					return err
				}
			}
			h, err := ceremony.Init(c.Context, dir, circ, opt)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "phase 2 initialized for %s (%d constraints, domain 2^%d)\n%s sha256 %s\nnext: each contributor in turn runs `sheaf ceremony contribute --ceremony.dir DIR` on the latest file\n",
				circ.Name, circ.R1CS.GetNbConstraints(), log2(circ.Domain()), filepath.Join(dir, ceremony.Phase2File(0)), h)
			return nil
		},
	}
}

func ceremonyContributeCommand() *cli.Command {
	return &cli.Command{
		Name:  "contribute",
		Usage: "add your randomness to the latest phase-2 file in the directory and write the next one (needs no circuit, only that file)",
		Flags: []cli.Flag{ceremonyDirFlag()},
		Action: func(c *cli.Context) error {
			opt, err := ceremonyOptions(c)
			if err != nil {
				return err
			}
			dir := c.String("ceremony.dir")
			n, h, err := ceremony.Contribute(c.Context, dir, opt)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "contribution %d: %s\nsha256 %s\npublish this hash and send the file to the coordinator; the randomness used is gone with this process\n",
				n, filepath.Join(dir, ceremony.Phase2File(n)), h)
			return nil
		},
	}
}

func ceremonyVerifyCommand() *cli.Command {
	return &cli.Command{
		Name:  "verify",
		Usage: "check a ceremony: phase 1 against its source, phase 2's initial state against the circuit, every contribution, and (with --keys.dir) the finalized keys",
		Flags: append(circuitFlags(DefaultCircuit), circuitKindFlag(), ceremonyDirFlag(), ceremonyCacheFlag(), ptauFileFlag(),
			&cli.StringFlag{Name: "ptau.hash", Usage: "the published hash of the Powers-of-Tau file the ceremony must use, hex SHA-256 or BLAKE2b-512", EnvVars: env("ptau.hash")},
			keysDirFlag("finalized keys to check against the ceremony (sealed again with the transcript's beacon)"),
			&cli.StringFlag{Name: "ceremony.beacon", Aliases: []string{"beacon"}, Usage: "check the keys against this beacon (hex) instead of the transcript's", EnvVars: env("ceremony.beacon")},
		),
		Action: func(c *cli.Context) error {
			opt, err := ceremonyOptions(c)
			if err != nil {
				return err
			}
			dir := c.String("ceremony.dir")
			_, compile, err := manifestCircuit(c, dir)
			if err != nil {
				return err
			}
			vo := ceremony.VerifyOptions{Ptau: c.String("ptau.file"), PtauHash: c.String("ptau.hash"), KeysDir: c.String("keys.dir")}
			if s := c.String("ceremony.beacon"); s != "" {
				if vo.Beacon, err = parseBeacon(s); err != nil {
					return err
				}
			}
			chain, tr, err := ceremony.Verify(c.Context, dir, compile, vo, opt)
			if err != nil {
				return err
			}
			printChain(c.App.Writer, chain)
			if tr != nil {
				beacon := tr.Beacon
				if vo.Beacon != nil {
					beacon = hex.EncodeToString(vo.Beacon)
				}
				fmt.Fprintf(c.App.Writer, "keys in %s: sealed from this ceremony with beacon %s  ok\n  proving key   sha256 %s\n  verifying key sha256 %s\n  Verifier.sol  sha256 %s\n",
					vo.KeysDir, beacon, tr.Keys.ProvingKey, tr.Keys.VerifyingKey, tr.Keys.Verifier)
			}
			return nil
		},
	}
}

func printChain(w io.Writer, ch *ceremony.Chain) {
	m := ch.Manifest
	fmt.Fprintf(w, "circuit %s: hash %s, %d constraints, domain 2^%d\n", m.Circuit.Name, m.Circuit.Hash, m.Circuit.Constraints, log2(m.Circuit.Domain))
	if p := m.Phase1.Ptau; p != nil {
		fmt.Fprintf(w, "phase 1: Powers of Tau of power %d (%d contributions)\n  sha256      %s\n  blake2b-512 %s\n", p.Power, p.Contributions, p.SHA256, p.BLAKE2b)
	} else {
		fmt.Fprintf(w, "phase 1: %s (INSECURE: test only)\n", m.Phase1.Source)
	}
	fmt.Fprintf(w, "  %s sha256 %s  ok\n", ceremony.Phase1File, m.Phase1.SHA256)
	fmt.Fprintf(w, "phase 2: %s sha256 %s  ok\n", ceremony.Phase2File(0), ch.Init)
	for i, h := range ch.Contributions {
		fmt.Fprintf(w, "  contribution %d: %s sha256 %s  ok\n", i+1, ceremony.Phase2File(i+1), h)
	}
	if len(ch.Contributions) == 0 {
		fmt.Fprintln(w, "  no contributions yet")
	}
}

func ceremonyFinalizeCommand() *cli.Command {
	return &cli.Command{
		Name:  "finalize",
		Usage: "verify the ceremony, apply the public random beacon and write the keys, Verifier.sol, meta.json and transcript.json (the `sheaf setup` layout)",
		Flags: append(circuitFlags(DefaultCircuit), circuitKindFlag(), ceremonyDirFlag(), ceremonyCacheFlag(), ptauFileFlag(),
			keysDirFlag("output directory (default keys/<config>, or keys/exit-d<depth> for the exit circuit)"),
			&cli.StringFlag{Name: "ceremony.beacon", Aliases: []string{"beacon"}, Usage: "public random beacon, hex, announced before the last contribution and published after it (e.g. a drand round's randomness)", EnvVars: env("ceremony.beacon")},
			&cli.StringFlag{Name: "ceremony.beacon-note", Aliases: []string{"beacon-note"}, Usage: "where the beacon comes from, recorded in the transcript (e.g. \"drand quicknet round 12345678\")", EnvVars: env("ceremony.beacon-note")},
			&cli.BoolFlag{Name: "force", Usage: "overwrite existing keys", EnvVars: env("ceremony.force")},
		),
		Action: func(c *cli.Context) error {
			opt, err := ceremonyOptions(c)
			if err != nil {
				return err
			}
			beacon, err := parseBeacon(c.String("ceremony.beacon"))
			if err != nil {
				return err
			}
			dir := c.String("ceremony.dir")
			m, compile, err := manifestCircuit(c, dir)
			if err != nil {
				return err
			}
			out := c.String("keys.dir")
			if out == "" {
				out = filepath.Join("keys", m.Circuit.Name)
			}
			// The coordinator derived phase1.srs; without the ptau file its
			// hash in the manifest is trusted (`verify --ptau` checks it).
			vo := ceremony.VerifyOptions{Ptau: c.String("ptau.file"), TrustPhase1: true}
			set, tr, err := ceremony.Finalize(c.Context, dir, compile, beacon, c.String("ceremony.beacon-note"), out, c.Bool("force"), vo, opt)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "wrote %s/{%s,%s,%s,%s,%s}\nceremony: %s\nverifying key sha256 %s\npublish %s and the ceremony directory; anyone can check them with `sheaf ceremony verify --keys.dir`\n",
				out, keys.ProvingKeyFile, keys.VerifyingKeyFile, keys.VerifierFile, keys.MetaFile, ceremony.TranscriptFile,
				set.Meta.Ceremony, tr.Keys.VerifyingKey, ceremony.TranscriptFile)
			return nil
		},
	}
}

func parseBeacon(s string) ([]byte, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "0x")
	if s == "" {
		return nil, errors.New("--ceremony.beacon is required: the public random beacon, hex")
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("--ceremony.beacon: %w", err)
	}
	return b, nil
}

func log2(n uint64) int {
	k := 0
	for n > 1 {
		n >>= 1
		k++
	}
	return k
}
