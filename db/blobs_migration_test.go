package db

import (
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Migration 00016 (blobs): the blobs table of BLOBSPEC "Blob storage" (one
// row per versioned hash, one per blob index of a batch) and the blob
// bookkeeping columns of l1_submissions.
func init() { migrationTests[16] = testBlobs }

func testBlobs(t *testing.T, conn *pgx.Conn) {
	w := func(b string, n int) string { return "decode(repeat('" + b + "', " + strconv.Itoa(n) + "), 'hex')" }
	blob := func(over map[string]string) string {
		cols := []string{"versioned_hash", "batch", "idx", "blob", "commitment", "cell_proofs"}
		vals := map[string]string{"versioned_hash": w("01", 32), "batch": "1", "idx": "0", "blob": w("00", 131072),
			"commitment": w("c0", 48), "cell_proofs": w("ab", 128*48)}
		for k, v := range over {
			vals[k] = v
		}
		vs := make([]string, len(cols))
		for i, c := range cols {
			vs[i] = vals[c]
		}
		return "INSERT INTO blobs (" + strings.Join(cols, ", ") + ") VALUES (" + strings.Join(vs, ", ") + ")"
	}
	batch := `INSERT INTO batches (number, config, old_root, new_root, header, pubdata, public_input, witness, deposit_start, deposit_count, tx_count)
		VALUES (1, '{}', decode(repeat('00', 32), 'hex'), decode(repeat('11', 32), 'hex'), '\x01', '\x', decode(repeat('22', 32), 'hex'), '\x00', 0, 0, 0)`
	sub := func(blobFeeCap, blobGasUsed, blobGasPrice string) string {
		return `INSERT INTO l1_submissions (batch_number, nonce, tx_hash, raw_tx, gas_fee_cap, gas_tip_cap, blob_fee_cap, blob_gas_used, blob_gas_price)
			VALUES (1, 0, ` + w("aa", 32) + `, '\x03', 10, 1, ` + blobFeeCap + `, ` + blobGasUsed + `, ` + blobGasPrice + `)`
	}
	runConstraintCases(t, conn, []constraintCase{
		{name: "valid", stmts: []string{blob(nil)}},
		{name: "second blob of the batch", stmts: []string{blob(nil), blob(map[string]string{"versioned_hash": w("02", 32), "idx": "1"})}},
		{name: "same versioned hash", stmts: []string{blob(nil), blob(map[string]string{"batch": "2"})}, code: uniqueViolation},
		{name: "same batch and index", stmts: []string{blob(nil), blob(map[string]string{"versioned_hash": w("02", 32)})}, code: uniqueViolation},
		{name: "no blob", stmts: []string{blob(map[string]string{"blob": "NULL"})}, code: notNullViolation},
		{name: "no cell proofs", stmts: []string{blob(map[string]string{"cell_proofs": "NULL"})}, code: notNullViolation},
		{name: "calldata submission", stmts: []string{batch, sub("NULL", "NULL", "NULL")}},
		{name: "blob submission", stmts: []string{batch, sub("2", "131072", "1")}},
		{name: "negative blob fee cap", stmts: []string{batch, sub("-1", "NULL", "NULL")}, code: checkViolation},
		{name: "negative blob gas", stmts: []string{batch, sub("2", "-1", "1")}, code: checkViolation},
	})
}
