package db

import (
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Migration 00017 (cheaper batch stores): pending rows are found through
// the partial index, sealed ones leave it; updated_at still advances for
// an UPDATE that does not set it and keeps what one that does set; the
// witness is compressed with lz4 where the server has it.
func init() { migrationTests[17] = testStoreCost }

func testStoreCost(t *testing.T, conn *pgx.Conn) {
	ctx := testCtx(t)
	for _, sql := range []string{
		`SELECT min(id) FROM transactions WHERE status = 'pending'`,
		`SELECT id FROM transactions WHERE status = 'pending' ORDER BY id`,
	} {
		if p := plan(t, conn, sql); !strings.Contains(p, "transactions_pending_id_idx") {
			t.Errorf("%s\nplan does not use transactions_pending_id_idx:\n%s", sql, p)
		}
	}

	if _, err := conn.Exec(ctx, `INSERT INTO batches (number, config, old_root, new_root, header, pubdata, public_input, witness, deposit_start, deposit_count, tx_count)
		VALUES (1, '{}', decode(repeat('00', 32), 'hex'), decode(repeat('11', 32), 'hex'), '\x01', '\x02', decode(repeat('22', 32), 'hex'),
		        decode(repeat('0123456789abcdef', 4096), 'hex'), 0, 0, 1)`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, tx(map[string]string{"updated_at": "now() - interval '1 hour'"})); err != nil {
		t.Fatal(err)
	}
	updatedAt := func() time.Time {
		var ts time.Time
		if err := conn.QueryRow(ctx, `SELECT updated_at FROM transactions WHERE nonce = 7`).Scan(&ts); err != nil {
			t.Fatal(err)
		}
		return ts
	}
	pending := func() int {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM transactions WHERE status = 'pending'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := updatedAt()
	if pending() != 1 {
		t.Fatal("the pending row is not counted")
	}
	// A writer that forgets updated_at: the trigger sets it.
	if _, err := conn.Exec(ctx, `UPDATE transactions SET deposit_watermark = 3 WHERE nonce = 7`); err != nil {
		t.Fatal(err)
	}
	forgot := updatedAt()
	if !forgot.After(before) {
		t.Errorf("an UPDATE that leaves updated_at alone kept %v (was %v)", forgot, before)
	}
	// Sealing sets it itself: the value written is kept.
	want := forgot.Add(time.Minute).Truncate(time.Microsecond)
	if _, err := conn.Exec(ctx, `UPDATE transactions SET status = 'sealed', batch_number = 1, batch_position = 0, updated_at = $1 WHERE nonce = 7`, want); err != nil {
		t.Fatal(err)
	}
	if got := updatedAt(); !got.Equal(want) {
		t.Errorf("updated_at = %v after an UPDATE that set it to %v", got, want)
	}
	if n := pending(); n != 0 {
		t.Errorf("%d pending rows after sealing the only one", n)
	}

	// lz4 where this server supports it (a column of a scratch table says).
	lz4 := true
	if _, err := conn.Exec(ctx, `CREATE TEMP TABLE lz4_probe (b bytea COMPRESSION lz4)`); err != nil {
		lz4 = false
	}
	var method string
	if err := conn.QueryRow(ctx, `SELECT attcompression::text FROM pg_attribute WHERE attrelid = 'batches'::regclass AND attname = 'witness'`).Scan(&method); err != nil && lz4 {
		t.Fatal(err)
	}
	if lz4 && method != "l" {
		t.Errorf("batches.witness compression %q, want lz4 (l)", method)
	}
	if lz4 {
		var stored string
		if err := conn.QueryRow(ctx, `SELECT coalesce(pg_column_compression(witness), 'none') FROM batches WHERE number = 1`).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored != "lz4" {
			t.Errorf("a stored witness is compressed with %q, want lz4", stored)
		}
	}
}
