package db

import (
	"testing"

	"github.com/jackc/pgx/v5"
)

// Migration 00018 (submission sender): the signing address of a
// submission is 20 bytes or, for rows older than the migration, NULL until
// the submitter fills it; predecessor_missing defaults to false.
func init() { migrationTests[18] = testSubmissionSender }

func testSubmissionSender(t *testing.T, conn *pgx.Conn) {
	batch := `INSERT INTO batches (number, config, old_root, new_root, header, pubdata, public_input, witness, deposit_start, deposit_count, tx_count)
		VALUES (1, '{}', decode(repeat('00', 32), 'hex'), decode(repeat('11', 32), 'hex'), '\x01', '\x', decode(repeat('22', 32), 'hex'), '\x00', 0, 0, 0)`
	sub := func(hash, sender string) string {
		return `INSERT INTO l1_submissions (batch_number, nonce, tx_hash, raw_tx, gas_fee_cap, gas_tip_cap, sender)
			VALUES (1, 0, decode(repeat('` + hash + `', 32), 'hex'), '\x02', 10, 1, ` + sender + `)`
	}
	a, b := "decode(repeat('a1', 20), 'hex')", "decode(repeat('b2', 20), 'hex')"
	runConstraintCases(t, conn, []constraintCase{
		{name: "sender", stmts: []string{batch, sub("aa", a)}, check: func(t *testing.T, tx pgx.Tx) {
			var missing bool
			if err := tx.QueryRow(testCtx(t), `SELECT predecessor_missing FROM l1_submissions`).Scan(&missing); err != nil || missing {
				t.Fatalf("predecessor_missing = %v (%v), want false by default", missing, err)
			}
		}},
		{name: "row from before the migration", stmts: []string{batch, sub("aa", "NULL")}},
		// The same nonce from two senders: two independent sequences.
		{name: "same nonce, two senders", stmts: []string{batch, sub("aa", a), sub("bb", b)}},
		{name: "short sender", stmts: []string{batch, sub("aa", "decode(repeat('a1', 19), 'hex')")}, code: checkViolation},
		{name: "predecessor_missing NULL", stmts: []string{batch, sub("aa", a), "UPDATE l1_submissions SET predecessor_missing = NULL"}, code: notNullViolation},
	})
}
