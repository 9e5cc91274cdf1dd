package main

import (
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"

	gnarklog "github.com/consensys/gnark/logger"
	"github.com/urfave/cli/v2"

	"github.com/sheafrollup/sheaf/l1/blobs"
	"github.com/sheafrollup/sheaf/ops"
	"github.com/sheafrollup/sheaf/protocol"
)

// env maps a dotted flag name to its one SHEAF_ environment variable.
func env(name string) []string {
	return []string{"SHEAF_" + strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(name))}
}

func logFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "log.level", Value: "info", Usage: "debug, info, warn or error", EnvVars: env("log.level")},
		&cli.StringFlag{Name: "log.format", Value: "text", Usage: "text or json", EnvVars: env("log.format")},
	}
}

func newLogger(c *cli.Context) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.String("log.level"))); err != nil {
		return nil, fmt.Errorf("--log.level: %w", err)
	}
	if lvl > slog.LevelDebug {
		gnarklog.Disable() // gnark logs through its own global logger
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch c.String("log.format") {
	case "text":
		return slog.New(slog.NewTextHandler(os.Stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(os.Stderr, opts)), nil
	default:
		return nil, fmt.Errorf("--log.format: %q is not text or json", c.String("log.format"))
	}
}

// circuitFlags are the circuit configuration; defaults differ per command.
func circuitFlags(def protocol.Config) []cli.Flag {
	return []cli.Flag{
		&cli.IntFlag{Name: "circuit.depth", Aliases: []string{"depth"}, Value: def.Depth, Usage: "account tree depth", EnvVars: env("circuit.depth")},
		&cli.IntFlag{Name: "circuit.deposits", Aliases: []string{"deposits"}, Value: def.Deposits, Usage: "deposit slots per batch", EnvVars: env("circuit.deposits")},
		&cli.IntFlag{Name: "circuit.transfers", Aliases: []string{"transfers"}, Value: def.Transfers, Usage: "transfer slots per batch", EnvVars: env("circuit.transfers")},
		&cli.IntFlag{Name: "circuit.withdrawals", Aliases: []string{"withdrawals"}, Value: def.Withdrawals, Usage: "withdrawal slots per batch", EnvVars: env("circuit.withdrawals")},
		&cli.IntFlag{Name: "circuit.forced-exits", Aliases: []string{"forced-exits"}, Value: def.ForcedExits, Usage: "forced-exit slots per batch (0: a configuration without forced exits)", EnvVars: env("circuit.forced-exits")},
		&cli.StringFlag{Name: "circuit.da", Aliases: []string{"da"}, Value: def.DA, Usage: "data-availability mode: calldata (default), blob (transfers in an EIP-4844 blob, bound to the proof; docs/protocol.md \"Blob mode\") or auto (each batch in the cheaper of the two at L1 prices when sealed: two circuits; docs/sequencer.md)", EnvVars: env("circuit.da")},
	}
}

func circuitConfig(c *cli.Context) (protocol.Config, error) {
	cfg := protocol.Config{
		Depth:       c.Int("circuit.depth"),
		Deposits:    c.Int("circuit.deposits"),
		Transfers:   c.Int("circuit.transfers"),
		Withdrawals: c.Int("circuit.withdrawals"),
		ForcedExits: c.Int("circuit.forced-exits"),
		DA:          c.String("circuit.da"),
	}
	if cfg.DA == protocol.DACalldata {
		cfg.DA = "" // one spelling, so calldata configurations compare, name and hash as before
	}
	return cfg, cfg.Check()
}

// circuitArgs is cfg as the flags circuitFlags reads, for child processes
// that must build the same circuit.
func circuitArgs(cfg protocol.Config) []string {
	return []string{"--circuit.depth", strconv.Itoa(cfg.Depth), "--circuit.deposits", strconv.Itoa(cfg.Deposits),
		"--circuit.transfers", strconv.Itoa(cfg.Transfers), "--circuit.withdrawals", strconv.Itoa(cfg.Withdrawals),
		"--circuit.forced-exits", strconv.Itoa(cfg.ForcedExits), "--circuit.da", cfg.DA}
}

// DefaultCircuit is the production configuration.
var DefaultCircuit = protocol.Config{Depth: 24, Deposits: 4, Transfers: 32, Withdrawals: 4}

// joinFlags concatenates flag groups for a command.
func joinFlags(groups ...[]cli.Flag) []cli.Flag {
	var out []cli.Flag
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// opsConfig reads --metrics.addr for a service's operations endpoint.
func opsConfig(c *cli.Context) (ops.Config, error) {
	oc := ops.Config{Addr: c.String("metrics.addr")}
	return oc, oc.Check()
}

// blobFlags locate the blobs of blob-mode batches after inclusion (L1
// nodes do not serve them): `sheaf audit` and `sheaf exit` read them.
func blobFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "l1.beacon", Usage: "beacon node API URL (http://host:5052): blobs of blob-mode batches from /eth/v1/beacon/blob_sidecars (kept about 18 days)", EnvVars: env("l1.beacon")},
		&cli.Uint64Flag{Name: "l1.beacon-slot-seconds", Usage: "seconds per slot, to find a block's slot from its timestamp (0: the node's SECONDS_PER_SLOT, else 12)", EnvVars: env("l1.beacon-slot-seconds")},
		&cli.StringFlag{Name: "blobs.dir", Usage: "directory of exported blobs (`sheaf blobs export`; one <versioned hash>.blob file each), tried before --l1.beacon", EnvVars: env("blobs.dir")},
	}
}

// blobSource reads blobFlags: a chain of the configured sources, or nil.
func blobSource(c *cli.Context) (blobs.Source, error) {
	cfg := blobs.Config{Dir: c.String("blobs.dir"), Beacon: c.String("l1.beacon"), SecondsPerSlot: c.Uint64("l1.beacon-slot-seconds")}
	if err := cfg.Check(); err != nil {
		return nil, fmt.Errorf("--blobs.dir / --l1.beacon: %w", err)
	}
	return blobs.Open(cfg)
}
