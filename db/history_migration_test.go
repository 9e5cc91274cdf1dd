package db

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Migrations 00013 and 00014 (account history, deposits by L1
// transaction): the planner serves the wallet queries from the new
// indexes, walking them backwards from the cursor.
func init() {
	migrationTests[13] = testHistoryIndexes
	migrationTests[14] = testDepositTxIndex
}

// plan explains sql with sequential scans disabled (a tiny table would
// rather be read whole) and returns the plan's text.
func plan(t *testing.T, conn *pgx.Conn, sql string, args ...any) string {
	t.Helper()
	ctx := context.Background()
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
		t.Fatal(err)
	}
	rows, err := tx.Query(ctx, "EXPLAIN "+sql, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var line string
		_ = rows.Scan(&line)
		b.WriteString(line + "\n")
	}
	return b.String()
}

func testHistoryIndexes(t *testing.T, conn *pgx.Conn) {
	for _, c := range []struct {
		sql, index string
	}{
		{`SELECT id FROM transactions WHERE from_idx = 5 AND id < 100 ORDER BY id DESC LIMIT 51`, "transactions_from_id_idx"},
		{`SELECT id FROM transactions WHERE to_idx = 5 AND from_idx <> 5 AND id < 100 ORDER BY id DESC LIMIT 51`, "transactions_to_id_idx"},
		{`SELECT id FROM transactions WHERE from_idx = 5 AND status IN ('rejected') ORDER BY id DESC LIMIT 51`, "transactions_from_open_idx"},
		{`SELECT id FROM transactions WHERE to_idx = 5 AND status IN ('pending') ORDER BY id DESC LIMIT 51`, "transactions_to_pending_idx"},
	} {
		if p := plan(t, conn, c.sql); !strings.Contains(p, c.index) {
			t.Errorf("%s\nplan does not use %s:\n%s", c.sql, c.index, p)
		}
	}
}

func testDepositTxIndex(t *testing.T, conn *pgx.Conn) {
	if p := plan(t, conn, `SELECT queue_index FROM deposits WHERE l1_tx_hash = decode(repeat('ab', 32), 'hex') ORDER BY queue_index LIMIT 1`); !strings.Contains(p, "deposits_l1_tx_hash_idx") {
		t.Errorf("deposit by L1 transaction does not use deposits_l1_tx_hash_idx:\n%s", p)
	}
}
