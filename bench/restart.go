package bench

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
	"github.com/sheafrollup/sheaf/sequencer"
)

// RestartResult is what `sheaf bench restart` prints.
type RestartResult struct {
	Accounts     int     `json:"accounts"`
	Depth        int     `json:"depth"`
	StartSeconds float64 `json:"start_seconds"` // lock, read accounts, rebuild tree and pending state
	SeedSeconds  float64 `json:"seed_seconds"`  // writing the accounts (not part of a restart)
}

// Restart measures how long a sequencer takes to become active on a
// database that holds n accounts.
func Restart(ctx context.Context, dbURL string, n int, circuit protocol.Config, log *slog.Logger) (*RestartResult, error) {
	if n < 1 || uint64(n) >= circuit.MaxAccounts() {
		return nil, fmt.Errorf("bench restart: %d accounts do not fit depth %d", n, circuit.Depth)
	}
	pool, closeDB, err := database(ctx, dbURL, "restart", 8, log)
	if err != nil {
		return nil, err
	}
	defer closeDB()
	res := &RestartResult{Accounts: n, Depth: circuit.Depth}
	t0 := time.Now()
	accs := make([]protocol.Account, n)
	for i, k := range fillerKeys(0, n) {
		accs[i] = protocol.Account{PubKey: k, Nonce: uint32((i + 1) % 7)}
		accs[i].Balance.SetUint64(uint64(1000 + i + 1))
	}
	fixed, err := seedGenesis(ctx, pool, circuit, accs, n)
	if err != nil {
		return nil, err
	}
	res.SeedSeconds = time.Since(t0).Seconds()
	log.Info("accounts written", "accounts", n, "seconds", res.SeedSeconds)

	sc := sequencer.DefaultConfig
	sc.Circuit, sc.ChainID, sc.Contract, sc.Rollup = circuit, protocoltest.ChainID, protocoltest.Contract, fixed
	seq, err := sequencer.New(sc, pool, log, nil)
	if err != nil {
		return nil, err
	}
	t0 = time.Now()
	if err := seq.Start(ctx); err != nil {
		return nil, err
	}
	res.StartSeconds = time.Since(t0).Seconds()
	if err := seq.Stop(context.Background()); err != nil {
		return nil, err
	}
	return res, nil
}
