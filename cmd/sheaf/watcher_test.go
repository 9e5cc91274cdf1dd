package main

import (
	"context"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/sheafrollup/sheaf/l1/watcher"
)

// TestWatcherConfirmationsFlag: "finalized" (the default) follows L1
// finality; a number is a fixed depth for devnets; anything else is refused.
func TestWatcherConfirmationsFlag(t *testing.T) {
	parse := func(args ...string) (watcher.Config, error) {
		var cfg watcher.Config
		var err error
		app := &cli.App{Flags: watcherFlags(), Action: func(c *cli.Context) error {
			cfg, err = watcherConfig(c)
			return nil
		}}
		base := []string{"watcher", "--l1.rpc", "http://127.0.0.1:1", "--l1.contract", "0x00000000000000000000000000000000005eaf01"}
		if rerr := app.RunContext(context.Background(), append(base, args...)); rerr != nil {
			t.Fatal(rerr)
		}
		return cfg, err
	}
	cfg, err := parse()
	if err != nil || !cfg.Finalized || cfg.Confirmations != watcher.FallbackConfirmations {
		t.Fatalf("default: %+v, %v", cfg, err)
	}
	cfg, err = parse("--watcher.confirmations", "2")
	if err != nil || cfg.Finalized || cfg.Confirmations != 2 {
		t.Fatalf("2: %+v, %v", cfg, err)
	}
	if _, err := parse("--watcher.confirmations", "soon"); err == nil || !strings.Contains(err.Error(), "finalized") {
		t.Fatalf("soon: %v", err)
	}
}
