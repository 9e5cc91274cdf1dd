package db

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sheafrollup/sheaf/db/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// sources lists the embedded migrations.
func sources(t *testing.T) []MigrationInfo {
	t.Helper()
	url := pgtest.NewDatabase(t)
	st, err := MigrationStatus(testCtx(t), url)
	if err != nil {
		t.Fatal(err)
	}
	if len(st) == 0 {
		t.Fatal("no migrations embedded")
	}
	return st
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(testCtx(t), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func dbVersion(t *testing.T, url string) int64 {
	t.Helper()
	var v int64
	if err := connect(t, url).QueryRow(testCtx(t), "SELECT max(version_id) FROM goose_db_version WHERE is_applied").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestConfigCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		err  string
	}{
		{"ok", Config{URL: "postgres://u@localhost/db"}, ""},
		{"ok with pool size", Config{URL: "postgres://u@localhost/db", MaxConns: 8, Migrate: true}, ""},
		{"keyword form", Config{URL: "host=localhost dbname=db"}, ""},
		{"no URL", Config{MaxConns: 4}, "URL is required"},
		{"bad URL", Config{URL: "postgres://u@localhost:notaport/db"}, "db: URL"},
		{"negative pool", Config{URL: "postgres://u@localhost/db", MaxConns: -1}, "MaxConns must not be negative"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Check()
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("Check() = %v, want %q", err, tc.err)
			}
		})
	}
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	url := pgtest.NewDatabase(t)
	before, err := MigrationStatus(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range before {
		if m.Applied {
			t.Errorf("%s applied on a fresh database", m.Name)
		}
	}

	n, err := Migrate(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(before) {
		t.Errorf("first Migrate applied %d, want %d", n, len(before))
	}
	if n, err := Migrate(ctx, url, nil); err != nil || n != 0 {
		t.Errorf("second Migrate: applied %d, %v; want 0, nil", n, err)
	}
	after, err := MigrationStatus(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range after {
		if !m.Applied || m.Version != before[i].Version || m.Name != before[i].Name {
			t.Errorf("after Migrate: %+v", m)
		}
	}
	if v, last := dbVersion(t, url), after[len(after)-1].Version; v != last {
		t.Errorf("database at version %d, want %d", v, last)
	}
}

// TestMigrateLogs: one INFO line per applied migration; goose's own
// lines (every SQL statement) only at DEBUG.
func TestMigrateLogs(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	for _, level := range []slog.Level{slog.LevelInfo, slog.LevelDebug} {
		url := pgtest.NewDatabase(t)
		var buf bytes.Buffer
		log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: level}))
		n, err := Migrate(ctx, url, log)
		if err != nil {
			t.Fatal(err)
		}
		var applied, statements, info int
		for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
			switch {
			case strings.Contains(line, `msg="migration applied"`):
				applied++
			case strings.Contains(line, "CREATE TABLE"):
				statements++
			}
			if strings.Contains(line, "level=INFO") {
				info++
			}
		}
		if applied != n || info != n {
			t.Errorf("at %v: %d migrations, %d 'migration applied' lines, %d INFO lines:\n%s", level, n, applied, info, buf.String())
		}
		if wantSQL := level == slog.LevelDebug; (statements > 0) != wantSQL {
			t.Errorf("at %v: %d lines with SQL statements:\n%s", level, statements, buf.String())
		}
	}
}

// TestMigrateConcurrent: processes starting together all call Migrate; the
// advisory lock lets exactly one apply while the others wait and apply 0.
func TestMigrateConcurrent(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	url := pgtest.NewDatabase(t)
	const callers = 4
	var (
		wg      sync.WaitGroup
		start   = make(chan struct{})
		applied [callers]int
		errs    [callers]error
	)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			applied[i], errs[i] = Migrate(ctx, url, nil) // each with its own connection
		}()
	}
	close(start)
	wg.Wait()
	want := len(sources(t))
	appliers := 0
	for i := range callers {
		if errs[i] != nil {
			t.Errorf("caller %d: %v", i, errs[i])
		}
		switch applied[i] {
		case 0:
		case want:
			appliers++
		default:
			t.Errorf("caller %d applied %d of %d", i, applied[i], want)
		}
	}
	if appliers != 1 {
		t.Errorf("%d callers applied the migrations (%v), want exactly 1", appliers, applied)
	}
	st, err := MigrationStatus(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if v, last := dbVersion(t, url), st[len(st)-1].Version; v != last {
		t.Errorf("database at version %d, want %d", v, last)
	}
	var rows int
	if err := connect(t, url).QueryRow(ctx, "SELECT count(*) FROM goose_db_version WHERE version_id > 0").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != want {
		t.Errorf("%d version rows, want %d (a migration recorded twice?)", rows, want)
	}
}

func TestOpen(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	url := pgtest.NewDatabase(t)

	pool, err := Open(ctx, Config{URL: url, MaxConns: 3, Migrate: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if got := pool.Config().MaxConns; got != 3 {
		t.Errorf("MaxConns = %d, want 3", got)
	}
	var n int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM accounts").Scan(&n); err != nil {
		t.Errorf("schema not migrated: %v", err)
	}

	// Without Migrate, Open leaves the schema alone.
	bare := pgtest.NewDatabase(t)
	p2, err := Open(ctx, Config{URL: bare}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p2.Close()
	if err := p2.QueryRow(ctx, "SELECT to_regclass('accounts') IS NULL").Scan(new(bool)); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name string
		cfg  Config
		err  string
	}{
		{"invalid config", Config{}, "URL is required"},
		{"no server", Config{URL: "postgres://sheaf@127.0.0.1:1/x?sslmode=disable&connect_timeout=2"}, "db: connect to sheaf@127.0.0.1:1/x"},
		{"no database", Config{URL: strings.Replace(url, "/t_", "/missing_t_", 1), Migrate: true}, "does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Open(ctx, tc.cfg, nil)
			if err == nil {
				p.Close()
				t.Fatal("Open succeeded")
			}
			if !strings.Contains(err.Error(), tc.err) {
				t.Errorf("err = %v, want %q", err, tc.err)
			}
		})
	}
}

// migrationTests holds a test for every migration: the schema it creates
// must accept representative rows and refuse bad ones.
var migrationTests = map[int64]func(t *testing.T, conn *pgx.Conn){
	1: testInitSchema,
	2: testDepositWatermark,
	3: testAccountLeaf,
	4: testWatcherState,
	9: testAccountHistory,
}

func TestEveryMigrationHasATest(t *testing.T) {
	t.Parallel()
	for _, m := range sources(t) {
		if migrationTests[m.Version] == nil {
			t.Errorf("migration %s has no entry in migrationTests", m.Name)
		}
	}
}

// TestMigrations brings a fresh database to each version in turn and runs
// that version's test; then checks that Down and Up again restore the
// schema exactly.
func TestMigrations(t *testing.T) {
	t.Parallel()
	for _, m := range sources(t) {
		t.Run(m.Name, func(t *testing.T) {
			t.Parallel()
			ctx := testCtx(t)
			url := pgtest.NewDatabase(t)
			p, closeDB, err := newProvider(url, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer closeDB()
			if m.Version > 1 {
				if _, err := p.UpTo(ctx, m.Version-1); err != nil {
					t.Fatal(err)
				}
			}
			conn := connect(t, url)
			before := schema(t, conn)
			if _, err := p.UpTo(ctx, m.Version); err != nil {
				t.Fatal(err)
			}
			after := schema(t, conn)
			if before == after {
				t.Errorf("%s changed nothing in the schema", m.Name)
			}

			t.Run("down", func(t *testing.T) {
				if _, err := p.DownTo(ctx, m.Version-1); err != nil {
					t.Fatal(err)
				}
				if got := schema(t, conn); got != before {
					t.Errorf("schema after Down differs from before Up:\n%s", diff(before, got))
				}
				if _, err := p.UpTo(ctx, m.Version); err != nil {
					t.Fatal(err)
				}
				if got := schema(t, conn); got != after {
					t.Errorf("schema after Down+Up differs:\n%s", diff(after, got))
				}
			})
			if f := migrationTests[m.Version]; f != nil {
				t.Run("constraints", func(t *testing.T) { f(t, conn) })
			}
		})
	}
}

// schema renders the public schema (goose's table aside) as text: columns
// from information_schema, and every constraint, index, trigger and
// function definition.
func schema(t *testing.T, conn *pgx.Conn) string {
	t.Helper()
	queries := []string{
		// The column's rank, not ordinal_position: a dropped column leaves
		// a hole in attnum, so Down+Up of an ADD COLUMN shifts the latter.
		`SELECT table_name, column_name,
		        (row_number() OVER (PARTITION BY table_name ORDER BY ordinal_position))::text,
		        data_type, is_nullable,
		        coalesce(column_default, ''), coalesce(numeric_precision::text, ''), coalesce(numeric_scale::text, '')
		   FROM information_schema.columns
		  WHERE table_schema = 'public' AND table_name <> 'goose_db_version'
		  ORDER BY table_name, ordinal_position`,
		`SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
		   FROM pg_constraint
		  WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'goose_db_version'
		  ORDER BY 1, 2`,
		`SELECT tablename, indexname, indexdef FROM pg_indexes
		  WHERE schemaname = 'public' AND tablename <> 'goose_db_version' ORDER BY 1, 2`,
		`SELECT event_object_table, trigger_name, event_manipulation, action_timing, action_statement
		   FROM information_schema.triggers WHERE trigger_schema = 'public' ORDER BY 1, 2, 3`,
		`SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p
		  WHERE p.pronamespace = 'public'::regnamespace ORDER BY 1`,
	}
	var b strings.Builder
	for _, q := range queries {
		rows, err := conn.Query(testCtx(t), q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		recs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([]string, error) {
			vals, err := r.Values()
			s := make([]string, len(vals))
			for i, v := range vals {
				s[i], _ = v.(string)
			}
			return s, err
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			b.WriteString(strings.Join(r, " | "))
			b.WriteByte('\n')
		}
		b.WriteString("--\n")
	}
	return b.String()
}

func diff(want, got string) string {
	w, g := map[string]bool{}, map[string]bool{}
	for _, l := range strings.Split(want, "\n") {
		w[l] = true
	}
	for _, l := range strings.Split(got, "\n") {
		g[l] = true
	}
	var b strings.Builder
	for _, l := range strings.Split(want, "\n") {
		if !g[l] {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if !w[l] {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}

// pgCode returns the SQLSTATE of a PostgreSQL error, or "".
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

const (
	uniqueViolation     = "23505"
	checkViolation      = "23514"
	foreignKeyViolation = "23503"
	notNullViolation    = "23502"
)

// constraintCase runs statements in a transaction that is rolled back,
// checking deferred constraints before the end.
type constraintCase struct {
	name  string
	stmts []string
	code  string                        // expected SQLSTATE; "" for success
	check func(t *testing.T, tx pgx.Tx) // optional, after success
}

func runConstraintCases(t *testing.T, conn *pgx.Conn, cases []constraintCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testCtx(t)
			tx, err := conn.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback(context.Background())
			var runErr error
			for _, s := range append(tc.stmts, "SET CONSTRAINTS ALL IMMEDIATE") {
				if _, runErr = tx.Exec(ctx, s); runErr != nil {
					break
				}
			}
			if got := pgCode(runErr); got != tc.code || (tc.code == "" && runErr != nil) {
				t.Fatalf("got %v (SQLSTATE %q), want SQLSTATE %q", runErr, got, tc.code)
			}
			if tc.check != nil && runErr == nil {
				tc.check(t, tx)
			}
		})
	}
}

// Representative rows, as a sequencer would write them.
const seedInit = `
INSERT INTO batches (number, config, old_root, new_root, header, pubdata, public_input, witness,
                     deposit_start, deposit_count, tx_count)
VALUES (1, '{"depth": 24, "deposits": 2, "transfers": 8, "withdrawals": 2}',
        decode(repeat('00', 32), 'hex'), decode(repeat('11', 32), 'hex'), '\x01', '\x0203', decode(repeat('22', 32), 'hex'),
        '\xdeadbeef', 0, 1, 2),
       (2, '{"depth": 24}', decode(repeat('11', 32), 'hex'), decode(repeat('33', 32), 'hex'), '\x01', '\x', decode(repeat('44', 32), 'hex'),
        '\x00', 1, 0, 0);
UPDATE batches SET status = 'proven', proof = '\xaa', proven_at = now() WHERE number = 1;

INSERT INTO accounts (idx, pubkey, balance, nonce, updated_batch)
VALUES (1, decode(repeat('a1', 32), 'hex'), 1000, 1, 1),
       (2, decode(repeat('a2', 32), 'hex'), 340282366920938463463374607431768211455, 0, 1), -- 2^128-1
       (3, decode(repeat('a1', 32), 'hex'), 0, 0, 0); -- a second account of key a1

INSERT INTO deposits (queue_index, pubkey, amount, l1_block, l1_block_hash, l1_tx_hash, account_idx, batch_number)
VALUES (0, decode(repeat('a1', 32), 'hex'), 1000, 10, decode(repeat('b0', 32), 'hex'), decode(repeat('c0', 32), 'hex'), 1, 1),
       (1, decode(repeat('a2', 32), 'hex'), 5, 11, NULL, NULL, NULL, NULL);

INSERT INTO transactions (hash, kind, from_idx, to_idx, l1_address, amount, fee, nonce, signature, status, batch_number, batch_position)
VALUES (decode(repeat('01', 32), 'hex'), 1, 1, 2, NULL, 10, 1, 0, decode(repeat('5a', 64), 'hex'), 'proven', 1, 0),
       (decode(repeat('02', 32), 'hex'), 2, 1, NULL, decode(repeat('e0', 20), 'hex'), 5, 1, 1, decode(repeat('5a', 64), 'hex'), 'proven', 1, 1),
       (decode(repeat('03', 32), 'hex'), 1, 1, 3, NULL, 7, 1, 2, decode(repeat('5a', 64), 'hex'), 'pending', NULL, NULL);

INSERT INTO proof_jobs (batch_number) VALUES (2);
INSERT INTO proof_jobs (batch_number, status, attempts, lease_owner, lease_expires_at)
VALUES (1, 'done', 1, 'prover-a', now());

INSERT INTO l1_submissions (batch_number, nonce, tx_hash, raw_tx, gas_fee_cap, gas_tip_cap, status, included_block, included_block_hash, gas_used)
VALUES (1, 0, decode(repeat('d0', 32), 'hex'), '\x02f8', 30000000000, 1000000000, 'replaced', NULL, NULL, NULL),
       (1, 0, decode(repeat('d1', 32), 'hex'), '\x02f9', 115792089237316195423570985008687907853269984665640564039457584007913129639935, 2000000000,
        'included', 100, decode(repeat('e1', 32), 'hex'), 250000);

INSERT INTO sequencer_state (next_deposit, last_batch, chain_id, contract, config)
VALUES (1, 2, 1337, decode(repeat('cc', 20), 'hex'), '{"depth": 24}');
`

// tx builds an INSERT into transactions with the given overrides of a
// valid pending transfer (from 2, nonce 7).
func tx(over map[string]string) string {
	cols := []string{"hash", "kind", "from_idx", "to_idx", "l1_address", "amount", "fee", "nonce", "signature", "status", "reason", "batch_number", "batch_position"}
	vals := map[string]string{
		"hash": `decode(repeat('77', 32), 'hex')`, "kind": "1", "from_idx": "2", "to_idx": "1", "l1_address": "NULL",
		"amount": "1", "fee": "0", "nonce": "7", "signature": `decode(repeat('5a', 64), 'hex')`,
		"status": "'pending'", "reason": "NULL", "batch_number": "NULL", "batch_position": "NULL",
	}
	for k, v := range over {
		if _, ok := vals[k]; !ok {
			cols = append(cols, k) // a column of a later migration
		}
		vals[k] = v
	}
	vs := make([]string, len(cols))
	for i, c := range cols {
		vs[i] = vals[c]
	}
	return "INSERT INTO transactions (" + strings.Join(cols, ", ") + ") VALUES (" + strings.Join(vs, ", ") + ")"
}

func testInitSchema(t *testing.T, conn *pgx.Conn) {
	ctx := testCtx(t)
	if _, err := conn.Exec(ctx, seedInit); err != nil {
		t.Fatalf("representative rows refused: %v", err)
	}
	const key32 = `decode(repeat('a1', 32), 'hex')`
	const two128 = "340282366920938463463374607431768211456"
	acct := func(idx, balance, nonce string) string {
		return "INSERT INTO accounts (idx, pubkey, balance, nonce, updated_batch) VALUES (" + idx + ", " + key32 + ", " + balance + ", " + nonce + ", 1)"
	}
	batch := func(number, status, extra string) string {
		return `INSERT INTO batches (number, config, old_root, new_root, header, pubdata, public_input, witness, deposit_start, deposit_count, tx_count, status` + extra + `)
		        SELECT ` + number + `, config, old_root, new_root, header, pubdata, public_input, witness, 0, 0, 0, '` + status + `'` +
			strings.Repeat(", now()", strings.Count(extra, ",")) + ` FROM batches WHERE number = 2`
	}
	deposit := func(cols, vals string) string {
		return "INSERT INTO deposits (queue_index, pubkey, amount, l1_block" + cols + ") VALUES (9, " + key32 + ", 1, 12" + vals + ")"
	}
	sub := func(cols, vals string) string {
		return `INSERT INTO l1_submissions (batch_number, nonce, tx_hash, raw_tx, gas_fee_cap, gas_tip_cap` + cols + `)
		        VALUES (2, 1, decode(repeat('d9', 32), 'hex'), '\x02', 10, 1` + vals + `)`
	}

	runConstraintCases(t, conn, []constraintCase{
		// accounts
		{name: "account ok", stmts: []string{acct("4", two128+"-1", "0")}},
		{name: "account idx 0", stmts: []string{acct("0", "1", "0")}, code: checkViolation},
		{name: "negative balance", stmts: []string{acct("4", "-1", "0")}, code: checkViolation},
		{name: "balance 2^128", stmts: []string{acct("4", two128, "0")}, code: checkViolation},
		{name: "negative nonce", stmts: []string{acct("4", "1", "-1")}, code: checkViolation},
		{name: "duplicate account idx", stmts: []string{acct("1", "1", "0")}, code: uniqueViolation},
		{name: "pubkey of 33 bytes", stmts: []string{"UPDATE accounts SET pubkey = pubkey || '\\x00' WHERE idx = 1"}, code: checkViolation},

		// transactions
		{name: "transfer ok", stmts: []string{tx(nil)}},
		{name: "withdrawal ok", stmts: []string{tx(map[string]string{"kind": "2", "to_idx": "NULL", "l1_address": `decode(repeat('e0', 20), 'hex')`})}},
		{name: "replayed nonce", stmts: []string{tx(map[string]string{"from_idx": "1", "nonce": "2"})}, code: uniqueViolation},
		{name: "replayed nonce of a proven tx", stmts: []string{tx(map[string]string{"from_idx": "1", "nonce": "0"})}, code: uniqueViolation},
		{name: "rejected duplicate allowed", stmts: []string{
			tx(map[string]string{"from_idx": "1", "nonce": "2", "status": "'rejected'", "reason": "'insufficient balance'"}),
			tx(map[string]string{"from_idx": "1", "nonce": "2", "status": "'rejected'", "reason": "'bad signature'", "hash": `decode(repeat('78', 32), 'hex')`}),
		}},
		{name: "nonce freed by a rejection", stmts: []string{
			"UPDATE transactions SET status = 'rejected', reason = 'expired' WHERE from_idx = 1 AND nonce = 2",
			tx(map[string]string{"from_idx": "1", "nonce": "2"}),
		}},
		{name: "duplicate hash", stmts: []string{tx(map[string]string{"hash": `decode(repeat('01', 32), 'hex')`})}, code: uniqueViolation},
		{name: "hash of 31 bytes", stmts: []string{tx(map[string]string{"hash": `decode(repeat('01', 31), 'hex')`})}, code: checkViolation},
		{name: "bad status", stmts: []string{tx(map[string]string{"status": "'mined'"})}, code: checkViolation},
		{name: "bad kind", stmts: []string{tx(map[string]string{"kind": "3"})}, code: checkViolation},
		{name: "transfer with l1 address", stmts: []string{tx(map[string]string{"l1_address": `decode(repeat('e0', 20), 'hex')`})}, code: checkViolation},
		{name: "withdrawal without l1 address", stmts: []string{tx(map[string]string{"kind": "2", "to_idx": "NULL"})}, code: checkViolation},
		{name: "negative amount", stmts: []string{tx(map[string]string{"amount": "-1"})}, code: checkViolation},
		{name: "fee 2^128", stmts: []string{tx(map[string]string{"fee": two128})}, code: checkViolation},
		{name: "signature missing", stmts: []string{tx(map[string]string{"signature": "NULL"})}, code: notNullViolation},
		{name: "signature of 65 bytes", stmts: []string{tx(map[string]string{"signature": `decode(repeat('5a', 65), 'hex')`})}, code: checkViolation},
		{name: "pending in a batch", stmts: []string{tx(map[string]string{"batch_number": "2", "batch_position": "0"})}, code: checkViolation},
		{name: "sealed without batch", stmts: []string{tx(map[string]string{"status": "'sealed'"})}, code: checkViolation},
		{name: "batch without position", stmts: []string{tx(map[string]string{"status": "'sealed'", "batch_number": "2"})}, code: checkViolation},
		{name: "sealed ok", stmts: []string{tx(map[string]string{"status": "'sealed'", "batch_number": "2", "batch_position": "0"})}},
		{name: "position taken", stmts: []string{tx(map[string]string{"status": "'sealed'", "batch_number": "1", "batch_position": "1"})}, code: uniqueViolation},
		{name: "unknown batch", stmts: []string{tx(map[string]string{"status": "'sealed'", "batch_number": "99", "batch_position": "0"})}, code: foreignKeyViolation},
		{name: "sealed before its batch row", stmts: []string{ // deferred foreign key
			tx(map[string]string{"status": "'sealed'", "batch_number": "3", "batch_position": "0"}),
			batch("3", "sealed", ""),
		}},
		{name: "rejected without reason", stmts: []string{tx(map[string]string{"status": "'rejected'"})}, code: checkViolation},
		{name: "updated_at kept by trigger", stmts: []string{"UPDATE transactions SET status = 'finalized' WHERE id = 1"},
			check: func(t *testing.T, tx pgx.Tx) {
				var received, updated time.Time
				if err := tx.QueryRow(context.Background(), "SELECT received_at, updated_at FROM transactions WHERE id = 1").Scan(&received, &updated); err != nil {
					t.Fatal(err)
				}
				if !updated.After(received) {
					t.Errorf("updated_at %v not after received_at %v", updated, received)
				}
			}},
		{name: "sealer query", check: func(t *testing.T, tx pgx.Tx) {
			rows, _ := tx.Query(context.Background(), "SELECT id FROM transactions WHERE status = 'pending' ORDER BY id LIMIT 10")
			ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
			if err != nil || len(ids) != 1 || ids[0] != 3 {
				t.Errorf("pending = %v, %v; want [3]", ids, err)
			}
		}},

		// batches
		{name: "batch number 0", stmts: []string{batch("0", "sealed", "")}, code: checkViolation},
		{name: "bad batch status", stmts: []string{batch("3", "lost", "")}, code: checkViolation},
		{name: "proven without proof", stmts: []string{batch("3", "proven", ", proven_at")}, code: checkViolation},
		{name: "finalized without time", stmts: []string{"UPDATE batches SET status = 'finalized', submitted_at = now() WHERE number = 1"}, code: checkViolation},
		{name: "finalized ok", stmts: []string{"UPDATE batches SET status = 'finalized', submitted_at = now(), finalized_at = now() WHERE number = 1"}},
		{name: "config not an object", stmts: []string{"UPDATE batches SET config = '[24]' WHERE number = 2"}, code: checkViolation},
		{name: "root of 31 bytes", stmts: []string{"UPDATE batches SET new_root = substring(new_root from 2) WHERE number = 2"}, code: checkViolation},
		{name: "repeated roots allowed", stmts: []string{"UPDATE batches SET old_root = new_root WHERE number = 2"}},

		// deposits
		{name: "deposit ok", stmts: []string{deposit("", "")}},
		{name: "deposit amount 2^128", stmts: []string{"INSERT INTO deposits (queue_index, pubkey, amount, l1_block) VALUES (9, " + key32 + ", " + two128 + ", 12)"}, code: checkViolation},
		{name: "deposit negative amount", stmts: []string{"INSERT INTO deposits (queue_index, pubkey, amount, l1_block) VALUES (9, " + key32 + ", -1, 12)"}, code: checkViolation},
		{name: "duplicate queue index", stmts: []string{"INSERT INTO deposits (queue_index, pubkey, amount, l1_block) VALUES (1, " + key32 + ", 1, 12)"}, code: uniqueViolation},
		{name: "sealed deposit without account", stmts: []string{deposit(", batch_number", ", 2")}, code: checkViolation},
		{name: "deposit in unknown batch", stmts: []string{deposit(", batch_number, account_idx", ", 99, 4")}, code: foreignKeyViolation},

		// proof_jobs
		{name: "job for unknown batch", stmts: []string{"INSERT INTO proof_jobs (batch_number) VALUES (99)"}, code: foreignKeyViolation},
		{name: "second job for a batch", stmts: []string{"INSERT INTO proof_jobs (batch_number) VALUES (2)"}, code: uniqueViolation},
		{name: "bad job status", stmts: []string{"UPDATE proof_jobs SET status = 'lost' WHERE batch_number = 2"}, code: checkViolation},
		{name: "running without lease", stmts: []string{"UPDATE proof_jobs SET status = 'running' WHERE batch_number = 2"}, code: checkViolation},
		{name: "claim query", check: func(t *testing.T, tx pgx.Tx) {
			ctx := context.Background()
			const claim = `SELECT batch_number FROM proof_jobs
			 WHERE (status = 'queued' OR (status = 'running' AND lease_expires_at < now())) AND attempts < max_attempts
			 ORDER BY batch_number LIMIT 1 FOR UPDATE SKIP LOCKED`
			var b int64
			if err := tx.QueryRow(ctx, claim).Scan(&b); err != nil || b != 2 {
				t.Fatalf("claim: %d, %v; want 2", b, err)
			}
			if _, err := tx.Exec(ctx, `UPDATE proof_jobs SET status = 'running', attempts = attempts + 1,
			    lease_owner = 'prover-b', lease_expires_at = now() - interval '1 second' WHERE batch_number = 2`); err != nil {
				t.Fatal(err)
			}
			if err := tx.QueryRow(ctx, claim).Scan(&b); err != nil || b != 2 {
				t.Fatalf("claim of an expired lease: %d, %v; want 2", b, err)
			}
		}},

		// l1_submissions
		{name: "submission ok", stmts: []string{sub("", "")}},
		{name: "tip above fee cap", stmts: []string{strings.Replace(sub("", ""), "10, 1)", "10, 11)", 1)}, code: checkViolation},
		{name: "tip above fee cap (update)", stmts: []string{"UPDATE l1_submissions SET gas_tip_cap = gas_fee_cap + 1 WHERE nonce = 0"}, code: checkViolation},
		{name: "bad submission status", stmts: []string{sub(", status", ", 'mined'")}, code: checkViolation},
		{name: "included without block", stmts: []string{sub(", status", ", 'included'")}, code: checkViolation},
		{name: "duplicate tx hash", stmts: []string{"UPDATE l1_submissions SET tx_hash = decode(repeat('d1', 32), 'hex') WHERE tx_hash = decode(repeat('d0', 32), 'hex')"}, code: uniqueViolation},
		{name: "submission for unknown batch", stmts: []string{"UPDATE l1_submissions SET batch_number = 99 WHERE nonce = 0"}, code: foreignKeyViolation},

		// sequencer_state
		{name: "second state row", stmts: []string{"INSERT INTO sequencer_state (next_deposit, last_batch, chain_id, contract, config) SELECT next_deposit, last_batch, chain_id, contract, config FROM sequencer_state"}, code: uniqueViolation},
		{name: "state row with id false", stmts: []string{"INSERT INTO sequencer_state (id, next_deposit, last_batch, chain_id, contract, config) SELECT false, next_deposit, last_batch, chain_id, contract, config FROM sequencer_state"}, code: checkViolation},
		{name: "contract of 32 bytes", stmts: []string{"UPDATE sequencer_state SET contract = decode(repeat('cc', 32), 'hex')"}, code: checkViolation},
	})
}

func testDepositWatermark(t *testing.T, conn *pgx.Conn) {
	runConstraintCases(t, conn, []constraintCase{
		{name: "defaults to 0", stmts: []string{tx(nil)}, check: func(t *testing.T, tx pgx.Tx) {
			var w int64
			if err := tx.QueryRow(context.Background(), "SELECT deposit_watermark FROM transactions").Scan(&w); err != nil || w != 0 {
				t.Errorf("deposit_watermark = %d, %v; want 0", w, err)
			}
		}},
		{name: "set", stmts: []string{tx(map[string]string{"deposit_watermark": "12"})}},
		{name: "negative", stmts: []string{tx(map[string]string{"deposit_watermark": "-1"})}, code: checkViolation},
		{name: "null", stmts: []string{tx(map[string]string{"deposit_watermark": "NULL"})}, code: notNullViolation},
	})
}

func testAccountLeaf(t *testing.T, conn *pgx.Conn) {
	row := func(x, leaf string) string {
		return "INSERT INTO accounts (idx, pubkey, balance, nonce, updated_batch, pubkey_x, leaf) VALUES (7, decode(repeat('a7', 32), 'hex'), 1, 0, 1, " + x + ", " + leaf + ")"
	}
	b32 := "decode(repeat('ab', 32), 'hex')"
	b31 := "decode(repeat('ab', 31), 'hex')"
	runConstraintCases(t, conn, []constraintCase{
		{name: "both set", stmts: []string{row(b32, b32)}},
		{name: "both null (older rows)", stmts: []string{row("NULL", "NULL")}},
		{name: "short x", stmts: []string{row(b31, b32)}, code: checkViolation},
		{name: "short leaf", stmts: []string{row(b32, b31)}, code: checkViolation},
	})
}

func testWatcherState(t *testing.T, conn *pgx.Conn) {
	row := func(id, contract, block, hash string) string {
		return "INSERT INTO watcher_state (id, contract, block, block_hash) VALUES (" + id + ", " + contract + ", " + block + ", " + hash + ")"
	}
	c20 := "decode(repeat('cc', 20), 'hex')"
	h32 := "decode(repeat('ab', 32), 'hex')"
	runConstraintCases(t, conn, []constraintCase{
		{name: "valid", stmts: []string{row("true", c20, "17", h32)}},
		{name: "second row", stmts: []string{row("true", c20, "17", h32), row("true", c20, "18", h32)}, code: uniqueViolation},
		{name: "id false", stmts: []string{row("false", c20, "17", h32)}, code: checkViolation},
		{name: "negative block", stmts: []string{row("true", c20, "-1", h32)}, code: checkViolation},
		{name: "short hash", stmts: []string{row("true", c20, "1", "decode(repeat('ab', 31), 'hex')")}, code: checkViolation},
		{name: "short contract", stmts: []string{row("true", "decode(repeat('cc', 19), 'hex')", "1", h32)}, code: checkViolation},
		{name: "null hash", stmts: []string{row("true", c20, "1", "NULL")}, code: notNullViolation},
	})
}

func testAccountHistory(t *testing.T, conn *pgx.Conn) {
	acct := func(idx, balance, nonce, batch string) string {
		return "INSERT INTO accounts (idx, pubkey, balance, nonce, updated_batch, leaf) VALUES (" + idx +
			", decode(repeat('a1', 32), 'hex'), " + balance + ", " + nonce + ", " + batch + ", decode(repeat('ab', 32), 'hex'))"
	}
	seal := func(idx, balance, nonce, batch string) string { // as storeBatch upserts
		return acct(idx, balance, nonce, batch) + " ON CONFLICT (idx) DO UPDATE SET balance = excluded.balance, nonce = excluded.nonce, updated_batch = excluded.updated_batch"
	}
	history := func(want string) func(t *testing.T, tx pgx.Tx) {
		return func(t *testing.T, tx pgx.Tx) {
			var got string
			if err := tx.QueryRow(context.Background(), `SELECT coalesce(string_agg(idx || '@' || batch_number || '=' || balance || '/' || nonce, ' ' ORDER BY idx, batch_number), '')
				FROM account_history`).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("history %q, want %q", got, want)
			}
		}
	}
	h := "decode(repeat('ab', 32), 'hex')"
	row := func(balance, leaf string) string {
		return "INSERT INTO account_history (idx, batch_number, balance, nonce, leaf) VALUES (5, 1, " + balance + ", 0, " + leaf + ")"
	}
	runConstraintCases(t, conn, []constraintCase{
		{name: "insert is recorded", stmts: []string{acct("1", "10", "0", "0")}, check: history("1@0=10/0")},
		{name: "each batch's state is kept", stmts: []string{
			seal("1", "10", "0", "1"), seal("2", "5", "0", "1"), seal("1", "7", "1", "2"), seal("1", "3", "2", "4"),
		}, check: history("1@1=10/0 1@2=7/1 1@4=3/2 2@1=5/0")},
		{name: "a rewrite in one batch keeps the last", stmts: []string{seal("1", "10", "0", "1"), seal("1", "9", "1", "1")},
			check: history("1@1=9/1")},
		{name: "one statement inserting and updating", stmts: []string{seal("1", "10", "0", "1"),
			`INSERT INTO accounts (idx, pubkey, balance, nonce, updated_batch)
			 SELECT i, decode(repeat('a1', 32), 'hex'), b, n, 2 FROM unnest('{1,2,3}'::bigint[], '{8,5,6}'::numeric[], '{1,0,0}'::bigint[]) AS u(i, b, n)
			 ON CONFLICT (idx) DO UPDATE SET balance = excluded.balance, nonce = excluded.nonce, updated_batch = excluded.updated_batch`,
		}, check: history("1@1=10/0 1@2=8/1 2@2=5/0 3@2=6/0")},
		{name: "rewind query", stmts: []string{
			seal("1", "10", "0", "1"), seal("2", "5", "0", "1"), seal("1", "7", "1", "2"), seal("3", "1", "0", "3"),
		}, check: func(t *testing.T, tx pgx.Tx) {
			// Accounts changed after batch 1 and their state at batch 1 (none: new since).
			rows, _ := tx.Query(context.Background(), `SELECT c.idx, coalesce(h.balance::text, '-')
				FROM (SELECT DISTINCT idx FROM account_history WHERE batch_number > 1) c
				LEFT JOIN LATERAL (SELECT balance FROM account_history WHERE idx = c.idx AND batch_number <= 1
					ORDER BY batch_number DESC LIMIT 1) h ON true ORDER BY c.idx`)
			got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
				var i int64
				var b string
				err := r.Scan(&i, &b)
				return fmt.Sprint(i, "=", b), err
			})
			if err != nil || strings.Join(got, " ") != "1=10 3=-" {
				t.Errorf("rewind rows %v, %v; want [1=10 3=-]", got, err)
			}
		}},
		{name: "history_from defaults to 0", check: func(t *testing.T, tx pgx.Tx) {
			ctx := context.Background()
			if _, err := tx.Exec(ctx, `INSERT INTO sequencer_state (next_deposit, last_batch, chain_id, contract, config)
				VALUES (0, 0, 1, decode(repeat('cc', 20), 'hex'), '{}')`); err != nil {
				t.Fatal(err)
			}
			var from int64
			if err := tx.QueryRow(ctx, "SELECT history_from FROM sequencer_state").Scan(&from); err != nil || from != 0 {
				t.Errorf("history_from = %d, %v", from, err)
			}
		}},
		{name: "history row ok", stmts: []string{row("1", h)}},
		{name: "history balance 2^128", stmts: []string{row("340282366920938463463374607431768211456", h)}, code: checkViolation},
		{name: "history short leaf", stmts: []string{row("1", "decode(repeat('ab', 31), 'hex')")}, code: checkViolation},
		{name: "history idx 0", stmts: []string{"INSERT INTO account_history (idx, batch_number, balance, nonce) VALUES (0, 1, 1, 0)"}, code: checkViolation},
	})
}

// TestAccountHistoryBackfill: a database that sealed batches before
// migration 9 gets each account's latest state as history, and
// history_from marks where its history becomes complete.
func TestAccountHistoryBackfill(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	url := pgtest.NewDatabase(t)
	p, closeDB, err := newProvider(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB()
	if _, err := p.UpTo(ctx, 8); err != nil {
		t.Fatal(err)
	}
	conn := connect(t, url)
	if _, err := conn.Exec(ctx, seedInit); err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 9); err != nil {
		t.Fatal(err)
	}
	var got string
	var from int64
	if err := conn.QueryRow(ctx, `SELECT string_agg(idx || '@' || batch_number || '=' || balance, ' ' ORDER BY idx),
		(SELECT history_from FROM sequencer_state) FROM account_history`).Scan(&got, &from); err != nil {
		t.Fatal(err)
	}
	if want := "1@1=1000 2@1=340282366920938463463374607431768211455 3@0=0"; got != want || from != 2 {
		t.Errorf("history %q from %d, want %q from 2", got, from, want)
	}
}
