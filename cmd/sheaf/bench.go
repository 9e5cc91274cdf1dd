package main

import (
	"os"
	"runtime/pprof"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/sheafrollup/sheaf/bench"
	"github.com/sheafrollup/sheaf/circuits"
	"github.com/sheafrollup/sheaf/protocol"
)

func benchCommand() *cli.Command {
	return &cli.Command{
		Name:  "bench",
		Usage: "benchmarks that print one JSON object",
		Subcommands: []*cli.Command{benchIngestCommand(), benchRestartCommand(), benchProverCommand(), benchL1Command(), benchExitCommand(), benchCeremonyCommand(), {
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
				return printJSON(c.App.Writer, r, true)
			},
		}},
	}
}

func benchExitCommand() *cli.Command {
	return &cli.Command{
		Name:  "exit",
		Usage: "the exit circuit: constraints, proving time, proving key size and the verifier's gas with a real proof",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "circuit.depth", Aliases: []string{"depth"}, Value: 24, Usage: "account tree depth", EnvVars: env("circuit.depth")},
			&cli.IntFlag{Name: "prove-runs", Value: 5, Usage: "proofs to time (the median is reported)"},
			&cli.BoolFlag{Name: "gas", Value: true, Usage: "measure the verifier's gas on a simulated chain (needs Node.js and solc-js)"},
			&cli.BoolFlag{Name: "compare", Value: true, Usage: "with --gas, also measure one- and four-input verifiers and the SHA-256 alternative"},
		},
		Action: func(c *cli.Context) error {
			log, err := newLogger(c)
			if err != nil {
				return err
			}
			r, err := bench.Exit(c.Context, bench.ExitConfig{Depth: c.Int("circuit.depth"), ProveRuns: c.Int("prove-runs"),
				Gas: c.Bool("gas"), Compare: c.Bool("compare")}, log)
			if err != nil {
				return err
			}
			return printJSON(c.App.Writer, r, true)
		},
	}
}

func benchIngestCommand() *cli.Command {
	return &cli.Command{
		Name:  "ingest",
		Usage: "drive the real JSON-RPC API with concurrent clients against PostgreSQL (a throw-away cluster unless --db.url)",
		Flags: append(circuitFlags(DefaultCircuit),
			&cli.StringFlag{Name: "db.url", Usage: "PostgreSQL to use instead of a throw-away cluster", EnvVars: env("db.url")},
			&cli.IntFlag{Name: "clients", Value: 64, Usage: "concurrent clients"},
			&cli.IntFlag{Name: "tx-per-client", Value: 200, Usage: "transfers each client sends"},
			&cli.IntFlag{Name: "accounts", Value: 0, Usage: "accounts in the tree, seeded as genesis; transfers go to any of them (0: only the fee account and the clients', made by deposits)"},
			&cli.DurationFlag{Name: "batch-delay", Value: time.Second, Usage: "sequencer batch delay during the run"},
			&cli.DurationFlag{Name: "seal-interval", Value: 0, Usage: "sequencer seal interval during the sustained phase (0: seal as fast as batches fill)"},
			&cli.DurationFlag{Name: "accept-only-seal-interval", Value: time.Second, Usage: "seal interval of a second, acceptance-only phase on a fresh database, for comparison (0: skip it; skipped with --db.url)"},
			&cli.StringFlag{Name: "cpuprofile", Usage: "write a CPU profile of the run to this file"},
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
			if p := c.String("cpuprofile"); p != "" {
				f, err := os.Create(p)
				if err != nil {
					return err
				}
				defer f.Close()
				if err := pprof.StartCPUProfile(f); err != nil {
					return err
				}
				defer pprof.StopCPUProfile()
			}
			r, err := bench.Ingest(c.Context, bench.IngestConfig{DBURL: c.String("db.url"), Clients: c.Int("clients"),
				TxPerClient: c.Int("tx-per-client"), Accounts: c.Int("accounts"), Circuit: circuit, BatchDelay: c.Duration("batch-delay"),
				SealInterval: c.Duration("seal-interval"), AcceptOnlySealInterval: c.Duration("accept-only-seal-interval")}, log)
			if err != nil {
				return err
			}
			return printJSON(c.App.Writer, r, true)
		},
	}
}

func benchRestartCommand() *cli.Command {
	return &cli.Command{
		Name:  "restart",
		Usage: "time for a sequencer to become active on a database holding N accounts",
		Flags: append(circuitFlags(DefaultCircuit),
			&cli.StringFlag{Name: "db.url", Usage: "PostgreSQL to use instead of a throw-away cluster", EnvVars: env("db.url")},
			&cli.IntFlag{Name: "accounts", Value: 100_000, Usage: "accounts in the database"},
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
			r, err := bench.Restart(c.Context, c.String("db.url"), c.Int("accounts"), circuit, log)
			if err != nil {
				return err
			}
			return printJSON(c.App.Writer, r, true)
		},
	}
}

func benchProverCommand() *cli.Command {
	return &cli.Command{
		Name:  "prover",
		Usage: "prove the same batches with bare groth16.Prove (witness solve and proof timed apart, each proof verified) and through the prover pool (PostgreSQL: a throw-away cluster unless --db.url; --pool=false skips it)",
		Flags: append(circuitFlags(protocol.Config{Depth: 24, Transfers: 8}),
			&cli.StringFlag{Name: "db.url", Usage: "PostgreSQL to use instead of a throw-away cluster", EnvVars: env("db.url")},
			&cli.IntFlag{Name: "batches", Value: 4, Usage: "batches to prove each way"},
			&cli.StringFlag{Name: "prover.keys-dir", Usage: "keys written by `sheaf setup` (default: development keys from the local cache, set up on first use)", EnvVars: env("prover.keys-dir")},
			&cli.StringFlag{Name: "prover.backend", Value: "cpu", Usage: "cpu, or gpu (a binary built with -tags icicle)", EnvVars: env("prover.backend")},
			&cli.IntFlag{Name: "prover.gpu-device", Usage: "CUDA device id of the gpu backend", EnvVars: env("prover.gpu-device")},
			&cli.BoolFlag{Name: "pool", Value: true, Usage: "also prove through the prover pool (needs PostgreSQL); false: bare proofs only"},
			&cli.BoolFlag{Name: "compact", Usage: "print the JSON on one line"},
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
			r, err := bench.Prover(c.Context, bench.ProverConfig{DBURL: c.String("db.url"), Circuit: circuit,
				Batches: c.Int("batches"), KeysDir: c.String("prover.keys-dir"), Backend: c.String("prover.backend"),
				GPUDevice: c.Int("prover.gpu-device"), NoPool: !c.Bool("pool")}, log)
			if err != nil {
				return err
			}
			return printJSON(c.App.Writer, r, !c.Bool("compact"))
		},
	}
}

func benchL1Command() *cli.Command {
	return &cli.Command{
		Name: "l1",
		Usage: "gas of submitBatch on a simulated chain (mainnet-like gas) for real proven batches of each size, " +
			"with the fixed and per-transfer parts fitted (no PostgreSQL)",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "depth", Value: 24, Usage: "account tree depth"},
			&cli.IntSliceFlag{Name: "transfers", Value: cli.NewIntSlice(1, 2, 4, 8),
				Usage: "batch sizes (transfer slots, all used): a comma list or the flag repeated"},
			&cli.IntFlag{Name: "deposits", Value: 0, Usage: "deposit slots per batch (all used)"},
			&cli.IntFlag{Name: "withdrawals", Value: 0, Usage: "withdrawal slots per batch (all used)"},
			&cli.StringFlag{Name: "da", Value: "calldata",
				Usage: "data-availability mode: calldata (submitBatch) or blob (submitBlobBatch in blob transactions; " +
					"also measures calldata mode at the same sizes unless --compare=false, and prints both)"},
			&cli.BoolFlag{Name: "compare", Value: true, Usage: "with --da blob: measure calldata mode too, in the same run"},
		},
		Action: func(c *cli.Context) error {
			log, err := newLogger(c)
			if err != nil {
				return err
			}
			cfg := bench.L1Config{Depth: c.Int("depth"), Transfers: c.IntSlice("transfers"),
				Deposits: c.Int("deposits"), Withdrawals: c.Int("withdrawals"), DA: c.String("da")}
			if cfg.DA == "blob" {
				r, err := bench.L1Compare(c.Context, cfg, c.Bool("compare"), log)
				if err != nil {
					return err
				}
				return printJSON(c.App.Writer, r, true)
			}
			r, err := bench.L1(c.Context, cfg, log)
			if err != nil {
				return err
			}
			return printJSON(c.App.Writer, r, true)
		},
	}
}
