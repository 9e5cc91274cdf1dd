package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sheafrollup/sheaf/internal/par"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// fillerKeys returns n distinct valid keys cheaply: (k+1)·B for k from
// `from`, by repeated addition (no one holds their secrets).
func fillerKeys(from, n int) []protocol.PublicKey {
	base := twistededwards.GetEdwardsCurve().Base
	var p, step twistededwards.PointAffine
	p.ScalarMultiplicationBase(big.NewInt(int64(from) + 1))
	step.Set(&base)
	keys := make([]protocol.PublicKey, n)
	for i := range keys {
		keys[i] = protocol.PublicKey{X: p.X, Y: p.Y}
		p.Add(&p, &step)
	}
	return keys
}

// seedGenesis writes accounts (indexes 1, 2, ...) to an empty database as
// its genesis state, as a rollup deployed with them would hold it, and
// returns a fixed L1 view whose genesis root is theirs. accounts[0] is the
// fee account.
func seedGenesis(ctx context.Context, pool *pgxpool.Pool, circuit protocol.Config, accounts []protocol.Account, nextDeposit int) (*l1.Fixed, error) {
	if uint64(len(accounts)) >= circuit.MaxAccounts() {
		return nil, fmt.Errorf("bench: %d accounts do not fit depth %d", len(accounts), circuit.Depth)
	}
	cfgJSON, err := json.Marshal(circuit)
	if err != nil {
		return nil, err
	}
	// With sequencer_state present, the sequencer does not write its own
	// genesis: it loads these accounts and checks them against the root.
	if _, err := pool.Exec(ctx, `INSERT INTO sequencer_state (next_deposit, last_batch, chain_id, contract, config) VALUES ($1, 0, $2, $3, $4)`,
		int64(nextDeposit), int64(protocoltest.ChainID), protocoltest.Contract[:], cfgJSON); err != nil {
		return nil, fmt.Errorf("seed state: %w", err)
	}
	// Leaf hashes as the sequencer stores them when it seals.
	rows, leaves := make([][]any, len(accounts)), make([]fr.Element, len(accounts))
	par.For(len(accounts), func(i int) {
		a := &accounts[i]
		pk, x := a.PubKey.Bytes(), a.PubKey.X.Bytes()
		leaves[i] = protocol.LeafHash(*a)
		lb := leaves[i].Bytes()
		rows[i] = []any{int64(i + 1), pk[:], x[:], lb[:], a.Balance.Dec(), int64(a.Nonce), int64(0)}
	})
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"accounts"}, []string{"idx", "pubkey", "pubkey_x", "leaf", "balance", "nonce", "updated_batch"}, pgx.CopyFromRows(rows)); err != nil {
		return nil, fmt.Errorf("seed accounts: %w", err)
	}
	st, err := protocol.LoadStateWithLeaves(circuit, protocoltest.ChainID, protocoltest.Contract, accounts, leaves, uint64(nextDeposit), 0)
	if err != nil {
		return nil, err
	}
	fixed, err := l1.NewFixed(circuit, protocoltest.ChainID, protocoltest.Contract, accounts[0].PubKey)
	if err != nil {
		return nil, err
	}
	root := st.Root()
	fixed.SetGenesisRoot(root.Bytes())
	return fixed, nil
}
