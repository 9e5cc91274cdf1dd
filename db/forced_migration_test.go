package db

import (
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Migration 00015 (forced exits): the forced_exits table's constraints and
// the deposits' expiry column.
func init() { migrationTests[15] = testForcedExits }

func testForcedExits(t *testing.T, conn *pgx.Conn) {
	w := func(n int) string { return "decode(repeat('ab', " + strconv.Itoa(n) + "), 'hex')" }
	fx := func(over map[string]string) string {
		cols := []string{"queue_index", "account_idx", "recipient", "nonce", "sig_rx", "sig_ry", "sig_s", "prev_chain", "chain", "expiry", "l1_block", "batch_number", "valid", "amount"}
		vals := map[string]string{"queue_index": "3", "account_idx": "2", "recipient": w(20), "nonce": "0", "sig_rx": w(32), "sig_ry": w(32),
			"sig_s": w(32), "prev_chain": w(32), "chain": w(32), "expiry": "1800000000", "l1_block": "9",
			"batch_number": "NULL", "valid": "NULL", "amount": "NULL"}
		for k, v := range over {
			vals[k] = v
		}
		vs := make([]string, len(cols))
		for i, c := range cols {
			vs[i] = vals[c]
		}
		return "INSERT INTO forced_exits (" + strings.Join(cols, ", ") + ") VALUES (" + strings.Join(vs, ", ") + ")"
	}
	batch := `INSERT INTO batches (number, config, old_root, new_root, header, pubdata, public_input, witness, deposit_start, deposit_count, tx_count)
		VALUES (1, '{}', decode(repeat('00', 32), 'hex'), decode(repeat('11', 32), 'hex'), '\x01', '\x', decode(repeat('22', 32), 'hex'), '\x00', 0, 0, 0)`
	runConstraintCases(t, conn, []constraintCase{
		{name: "valid", stmts: []string{fx(nil)}},
		{name: "sealed valid", stmts: []string{batch, fx(map[string]string{"batch_number": "1", "valid": "true", "amount": "5"})}},
		{name: "sealed no-op", stmts: []string{batch, fx(map[string]string{"batch_number": "1", "valid": "false", "amount": "0"})}},
		{name: "sealed without outcome", stmts: []string{batch, fx(map[string]string{"batch_number": "1"})}, code: checkViolation},
		{name: "outcome without batch", stmts: []string{fx(map[string]string{"valid": "true", "amount": "5"})}, code: checkViolation},
		{name: "unknown batch", stmts: []string{fx(map[string]string{"batch_number": "7", "valid": "false", "amount": "0"})}, code: foreignKeyViolation},
		{name: "same queue index", stmts: []string{fx(nil), fx(nil)}, code: uniqueViolation},
		{name: "account 0", stmts: []string{fx(map[string]string{"account_idx": "0"})}, code: checkViolation},
		{name: "nonce 2^32", stmts: []string{fx(map[string]string{"nonce": "4294967296"})}, code: checkViolation},
		{name: "short recipient", stmts: []string{fx(map[string]string{"recipient": w(19)})}, code: checkViolation},
		{name: "short chain", stmts: []string{fx(map[string]string{"chain": w(31)})}, code: checkViolation},
		{name: "no expiry", stmts: []string{fx(map[string]string{"expiry": "NULL"})}, code: notNullViolation},
		{name: "deposit expiry", stmts: []string{`INSERT INTO deposits (queue_index, pubkey, amount, l1_block, expiry) VALUES (0, decode(repeat('a1', 32), 'hex'), 1, 1, 1800000000)`}},
		{name: "deposit negative expiry", stmts: []string{`INSERT INTO deposits (queue_index, pubkey, amount, l1_block, expiry) VALUES (0, decode(repeat('a1', 32), 'hex'), 1, 1, -1)`}, code: checkViolation},
	})
}
