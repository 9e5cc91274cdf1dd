// Command sheaf is the single binary of the Sheaf rollup. It stays thin:
// each subcommand parses flags into a component's config and runs it.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v2"
)

// version is set by the linker (-X main.version=...).
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	app := newApp()
	if err := app.RunContext(ctx, os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "sheaf:", explain(app, err))
		if isUsage(err) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

func newApp() *cli.App {
	return withConfig(withUsageHints(&cli.App{
		Name:    "sheaf",
		Usage:   "a ZK rollup for transfers",
		Version: version,
		Flags:   logFlags(),
		Commands: []*cli.Command{
			setupCommand(),
			ceremonyCommand(),
			benchCommand(),
			devnetCommand(),
			walletCommand(),
			migrateCommand(),
			sequencerCommand(),
			proverCommand(),
			deployCommand(),
			watcherCommand(),
			submitterCommand(),
			auditCommand(),
			exitCommand(),
			blobsCommand(),
			exodusCommand(),
			configCommand(),
		},
	}))
}
