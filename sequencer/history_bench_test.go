package sequencer

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/db"
	"github.com/sheafrollup/sheaf/db/pgtest"
)

// TestHistoryAtScale measures sheaf_getTransactions (the backend query)
// on SHEAF_BENCH_HISTORY stored transactions (e.g. 10000000): one hot
// account in a tenth of them, the rest spread over a million accounts;
// 0.1 % rejected, the newest 10,000 pending, the rest finalized. It prints
// p50/p99 per query kind as JSON (docs/benchmarks.md). Not a pass/fail
// test: skipped unless the variable is set.
func TestHistoryAtScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SHEAF_BENCH_HISTORY"))
	if n <= 0 {
		t.Skip("set SHEAF_BENCH_HISTORY=10000000 to run")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Hour)
	defer cancel()
	// SHEAF_BENCH_HISTORY_URL measures again on a database an earlier run loaded.
	url, reuse := os.LookupEnv("SHEAF_BENCH_HISTORY_URL")
	if !reuse {
		url = pgtest.NewDatabase(t)
	}
	pool, err := db.Open(ctx, db.Config{URL: url, MaxConns: 4, Migrate: !reuse}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if !reuse {
		start := time.Now()
		loadHistory(t, ctx, pool, n)
		t.Logf("loaded %d transactions in %v (reuse it: SHEAF_BENCH_HISTORY_URL=%s)", n, time.Since(start).Round(time.Second), url)
	}

	s := &Sequencer{pool: pool}
	const accounts = 1_000_000
	r := rand.New(rand.NewPCG(1, 2))
	type result struct {
		Kind     string  `json:"kind"`
		Samples  int     `json:"samples"`
		P50ms    float64 `json:"p50_ms"`
		P99ms    float64 `json:"p99_ms"`
		MaxMs    float64 `json:"max_ms"`
		AvgItems float64 `json:"avg_items"`
	}
	measure := func(kind string, samples int, q func() (int, error)) result {
		var d []time.Duration
		items := 0
		for range samples {
			t0 := time.Now()
			k, err := q()
			if err != nil {
				t.Fatal(err)
			}
			d = append(d, time.Since(t0))
			items += k
		}
		slices.Sort(d)
		ms := func(x time.Duration) float64 { return float64(x.Microseconds()) / 1000 }
		return result{Kind: kind, Samples: samples, P50ms: ms(d[len(d)/2]), P99ms: ms(d[len(d)*99/100]), MaxMs: ms(d[len(d)-1]),
			AvgItems: float64(items) / float64(samples)}
	}
	page := func(acc uint32, q api.TxQuery) (int, error) {
		txs, _, _, err := s.Transactions(ctx, acc, q)
		return len(txs), err
	}
	// Cursors deep in the hot account's history.
	var deep []uint64
	rows, err := pool.Query(ctx, `SELECT id FROM transactions WHERE from_idx = 1 ORDER BY random() LIMIT 200`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		_ = rows.Scan(&id)
		deep = append(deep, uint64(id))
	}
	rows.Close()
	var out []result
	out = append(out,
		measure("typical account, first page of 50", 2000, func() (int, error) {
			return page(uint32(2+r.IntN(accounts)), api.TxQuery{Limit: 50})
		}),
		measure("hot account (10% of all), first page of 50", 1000, func() (int, error) {
			return page(1, api.TxQuery{Limit: 50})
		}),
		measure("hot account, page of 50 at a random depth", 1000, func() (int, error) {
			return page(1, api.TxQuery{Limit: 50, Before: deep[r.IntN(len(deep))]})
		}),
		measure("hot account, page of 1000", 200, func() (int, error) {
			return page(1, api.TxQuery{Limit: 1000, Before: deep[r.IntN(len(deep))]})
		}),
		measure("hot account, status finalized, first page of 50", 500, func() (int, error) {
			return page(1, api.TxQuery{Limit: 50, Statuses: []string{api.StatusFinalized}})
		}),
		measure("hot account, status rejected (0.1%), first page of 50", 100, func() (int, error) {
			return page(1, api.TxQuery{Limit: 50, Statuses: []string{api.StatusRejected}})
		}),
		measure("hot account, status pending, first page of 50", 500, func() (int, error) {
			return page(1, api.TxQuery{Limit: 50, Statuses: []string{api.StatusPending}})
		}),
		measure("hot account, status proven (none), first page of 50", 500, func() (int, error) {
			return page(1, api.TxQuery{Limit: 50, Statuses: []string{api.StatusProven}})
		}),
		measure("deposit by queue index", 2000, func() (int, error) {
			_, err := s.Deposit(ctx, api.DepositRef{QueueIndex: uint64(r.IntN(min((n+999)/1000*10, 100_000)))})
			return 1, err
		}),
	)
	b, _ := json.MarshalIndent(map[string]any{"transactions": n, "results": out}, "", "  ")
	fmt.Println(string(b))
}

// loadHistory fills transactions, batches and deposits with generate_series,
// building the secondary indexes after the rows (as a restore would).
func loadHistory(t *testing.T, ctx context.Context, pool *pgxpool.Pool, n int) {
	t.Helper()
	type idx struct{ name, def string }
	var idxs []idx
	rows, err := pool.Query(ctx, `SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('transactions', 'deposits')
		AND indexname NOT IN (SELECT conname FROM pg_constraint)`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var i idx
		_ = rows.Scan(&i.name, &i.def)
		idxs = append(idxs, i)
	}
	rows.Close()
	exec := func(sql string, args ...any) {
		t.Helper()
		t0 := time.Now()
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		t.Logf("%.60s… %v", sql, time.Since(t0).Round(time.Millisecond))
	}
	for _, i := range idxs {
		exec(`DROP INDEX ` + i.name)
	}
	exec(`ALTER TABLE transactions SET (autovacuum_enabled = false)`)
	nb := (n + 999) / 1000
	exec(`INSERT INTO batches (number, config, old_root, new_root, header, pubdata, public_input, witness, deposit_start, deposit_count,
		tx_count, status, proof, proven_at, submitted_at, finalized_at)
		SELECT b, '{}', decode(repeat('00', 32), 'hex'), decode(repeat('00', 32), 'hex'), '\x00', '\x00', decode(repeat('00', 32), 'hex'), '\x00',
		       b * 10, 10, 1000, 'finalized', '\x00', now(), now(), now()
		FROM generate_series(1, $1::int) b`, nb)
	exec(`INSERT INTO deposits (queue_index, pubkey, amount, l1_block, l1_tx_hash, account_idx, batch_number)
		SELECT q, decode(repeat('ab', 32), 'hex'), 1000, q, sha256(int8send(q)), 1 + q % 1000000, 1 + q / 10
		FROM generate_series(0, least($1::int * 10, 100000) - 1) q`, nb)
	// One account in ten transactions (sender of i%10 = 0, recipient of
	// i%10 = 5); the others from a million accounts.
	exec(`INSERT INTO transactions (hash, kind, from_idx, to_idx, amount, fee, nonce, signature, status, reason, batch_number, batch_position, received_at)
		SELECT sha256(int8send(i)), 1,
		       CASE WHEN i % 10 = 0 THEN 1 ELSE 2 + (i * 7919) % 1000000 END,
		       CASE WHEN i % 10 = 5 THEN 1 ELSE 2 + (i * 104729) % 1000000 END,
		       1000, 1, i, decode(repeat('00', 64), 'hex'),
		       CASE WHEN i > $1::bigint - 10000 THEN 'pending' WHEN i % 1000 = 0 THEN 'rejected' ELSE 'finalized' END,
		       CASE WHEN i % 1000 = 0 AND i <= $1::bigint - 10000 THEN 'test' END,
		       CASE WHEN i > $1::bigint - 10000 OR i % 1000 = 0 THEN NULL ELSE 1 + (i - 1) / 1000 END,
		       CASE WHEN i > $1::bigint - 10000 OR i % 1000 = 0 THEN NULL ELSE (i - 1) % 1000 END,
		       now()
		FROM generate_series(1, $1::bigint) i`, n)
	for _, i := range idxs {
		exec(i.def)
	}
	exec(`ALTER TABLE transactions RESET (autovacuum_enabled)`)
	exec(`VACUUM ANALYZE transactions`)
	exec(`ANALYZE batches`)
	exec(`ANALYZE deposits`)
}
