package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"github.com/jackc/pgx/v5"

	"github.com/sheafrollup/sheaf/internal/par"
	"github.com/sheafrollup/sheaf/l1"
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
	cfgJSON, _ := json.Marshal(circuit)
	if _, err := pool.Exec(ctx, `INSERT INTO sequencer_state (next_deposit, last_batch, chain_id, contract, config) VALUES ($1, 0, $2, $3, $4)`,
		int64(n), int64(protocoltest.ChainID), protocoltest.Contract[:], cfgJSON); err != nil {
		return nil, err
	}
	// Distinct valid keys cheaply: P_i = (i+1)·B by repeated addition.
	base := twistededwards.GetEdwardsCurve().Base
	var p twistededwards.PointAffine
	p.Set(&base)
	rows := make([][]any, 0, n)
	for i := 1; i <= n; i++ {
		a := protocol.Account{PubKey: protocol.PublicKey{X: p.X, Y: p.Y}, Nonce: uint32(i % 7)}
		a.Balance.SetUint64(uint64(1000 + i))
		pk, x := a.PubKey.Bytes(), a.PubKey.X.Bytes()
		rows = append(rows, []any{int64(i), pk[:], x[:], nil, a.Balance.Dec(), int64(a.Nonce), int64(0)})
		p.Add(&p, &base)
	}
	// Leaf hashes as the sequencer stores them when it seals.
	accs, leaves := make([]protocol.Account, n), make([]fr.Element, n)
	par.For(n, func(i int) {
		a := protocol.Account{PubKey: protocol.PublicKey{}, Nonce: uint32((i + 1) % 7)}
		x := rows[i][2].([]byte)
		k, err := protocol.PublicKeyFromParts(rows[i][1].([]byte), x)
		if err != nil {
			panic(err)
		}
		a.PubKey = k
		a.Balance.SetUint64(uint64(1000 + i + 1))
		l := protocol.LeafHash(a)
		b := l.Bytes()
		rows[i][3] = b[:]
		accs[i], leaves[i] = a, l
	})
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"accounts"}, []string{"idx", "pubkey", "pubkey_x", "leaf", "balance", "nonce", "updated_batch"}, pgx.CopyFromRows(rows)); err != nil {
		return nil, fmt.Errorf("seed accounts: %w", err)
	}
	res.SeedSeconds = time.Since(t0).Seconds()
	log.Info("accounts written", "accounts", n, "seconds", res.SeedSeconds)

	// A database seeded as genesis: the contract's genesis root is its root.
	st, err := protocol.LoadStateWithLeaves(circuit, protocoltest.ChainID, protocoltest.Contract, accs, leaves, uint64(n), 0)
	if err != nil {
		return nil, err
	}
	fixed, err := l1.NewFixed(circuit, protocoltest.ChainID, protocoltest.Contract, accs[0].PubKey)
	if err != nil {
		return nil, err
	}
	root := st.Root()
	fixed.SetGenesisRoot(root.Bytes())
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
