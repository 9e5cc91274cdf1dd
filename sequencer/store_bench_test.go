package sequencer

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/holiman/uint256"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sheafrollup/sheaf/db"
	"github.com/sheafrollup/sheaf/db/pgtest"
	"github.com/sheafrollup/sheaf/internal/cputime"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// BenchmarkStoreBatch measures what storing sealed batches costs
// PostgreSQL and the writer, per sealed transfer: the writer's
// storeBatches call alone (batches applied and their transactions inserted
// as pending beforehand, untimed), as the sustained ingest path issues it.
// Metrics, each per sealed transfer:
//
//	wall-us/transfer    the store's wall time (DB round trips and work)
//	go-cpu-us/transfer  this process's CPU during the store
//	pg-cpu-us/transfer  the PostgreSQL backend's CPU during the store
//	                    (/proc/<pid>/schedstat; absent for a remote server)
//	wal-B/transfer      WAL the store wrote
//
// The test cluster runs with fsync off (pgtest), so wall time leaves out
// the commit's fsync; background work the store causes (autovacuum of
// dead row versions, the WAL writer, checkpoints) is not counted either,
// which is what the WAL volume stands for.
//
//	go test -run '^$' -bench BenchmarkStoreBatch -benchtime 200x ./sequencer/
func BenchmarkStoreBatch(b *testing.B) {
	for _, c := range []struct{ transfers, perStore int }{{32, 1}, {32, 8}, {256, 1}} {
		b.Run(fmt.Sprintf("transfers=%d/batches_per_store=%d", c.transfers, c.perStore), func(b *testing.B) {
			benchStore(b, c.transfers, c.perStore)
		})
	}
}

// storeBenchAccounts is how many funded accounts transfers pick from
// (bench ingest's 64 clients are a few dozen; a larger set spreads the
// account rows over more pages, as a live rollup would).
const storeBenchAccounts = 4096

// storeFixture is a sealed state of storeBenchAccounts funded accounts,
// mirrored in a fresh database, that makes batches of random transfers.
type storeFixture struct {
	pool   *pgxpool.Pool
	c      *pgx.Conn
	st     *protocol.State
	r      *rand.Rand
	nonces []uint32
}

func newStoreFixture(tb testing.TB, transfers int) *storeFixture {
	tb.Helper()
	ctx := context.Background()
	cfg := protocol.Config{Depth: 24, Deposits: 4, Transfers: transfers, Withdrawals: 4}
	pool, err := db.Open(ctx, db.Config{URL: pgtest.NewDatabase(tb), MaxConns: 2, Migrate: true}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(pool.Close)
	pc, err := pool.Acquire(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(pc.Release)

	// Accounts: one key for all (keys cost a scalar multiplication each
	// and play no part in what is stored per transfer).
	pk := protocoltest.Keys(3, 1)[0].Public()
	accounts := make([]protocol.Account, storeBenchAccounts)
	for i := range accounts {
		accounts[i] = protocol.Account{PubKey: pk, Balance: *uint256.NewInt(1 << 50)}
	}
	st, err := protocol.LoadState(cfg, protocoltest.ChainID, protocoltest.Contract, accounts, 0, 0)
	if err != nil {
		tb.Fatal(err)
	}
	if err := seedBenchAccounts(ctx, pc.Conn(), accounts); err != nil {
		tb.Fatal(err)
	}
	return &storeFixture{pool: pool, c: pc.Conn(), st: st, r: rand.New(rand.NewPCG(1, 2)), nonces: make([]uint32, storeBenchAccounts+1)}
}

// next applies n full batches of random transfers to the sealed state and
// returns them as the sealer hands them to the writer, with the accepted
// transactions' requests (not stored yet).
func (f *storeFixture) next(tb testing.TB, n int) ([]*storeItem, []*request) {
	tb.Helper()
	var items []*storeItem
	var reqs []*request
	for range n {
		in := protocol.BatchInput{FeeAccount: 1, SignaturesVerified: true}
		var txs []*pendingTx
		for range f.st.Config().Transfers {
			from := uint32(2 + f.r.IntN(storeBenchAccounts-1))
			to := uint32(1 + f.r.IntN(storeBenchAccounts))
			in.Transfers = append(in.Transfers, protocol.Transfer{From: from, To: to, Amount: *uint256.NewInt(1), Fee: *uint256.NewInt(1), Nonce: f.nonces[from]})
			f.nonces[from]++
			p := &pendingTx{receivedAt: time.Now()}
			for i := range p.hash {
				p.hash[i] = byte(f.r.Uint32())
			}
			txs = append(txs, p)
			reqs = append(reqs, &request{tx: p})
		}
		bt, err := f.st.ApplyBatch(in)
		if err != nil {
			tb.Fatal(err)
		}
		for i := range txs {
			txs[i].transfer = &bt.Transfers[i].Tx
		}
		items = append(items, &storeItem{b: bt, txs: txs, witness: protocol.EncodeWitness(bt), accounts: touchedAccounts(bt, f.st)})
	}
	return items, reqs
}

func benchStore(b *testing.B, transfers, perStore int) {
	ctx := context.Background()
	f := newStoreFixture(b, transfers)
	c := f.c
	pid := c.PgConn().PID()
	_, pgErr := backendCPU(pid)
	var wall, goCPU, pgCPU time.Duration
	var wal int64
	b.ResetTimer()
	b.StopTimer()
	for range b.N {
		items, reqs := f.next(b, perStore)
		if err := insertTxs(ctx, c, reqs); err != nil {
			b.Fatal(err)
		}
		lsn0 := walLSN(b, c)
		pg0, _ := backendCPU(pid)
		cpu0 := cputime.Process()
		t0 := time.Now()
		b.StartTimer()
		if err := storeBatches(ctx, c, items, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		wall += time.Since(t0)
		goCPU += cputime.Process() - cpu0
		pg1, _ := backendCPU(pid)
		pgCPU += pg1 - pg0
		var d int64
		if err := c.QueryRow(ctx, `SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1::pg_lsn)::bigint`, lsn0).Scan(&d); err != nil {
			b.Fatal(err)
		}
		wal += d
	}
	n := float64(b.N * transfers * perStore)
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 / n }
	b.ReportMetric(0, "ns/op") // the per-transfer figures below are the result
	b.ReportMetric(per(wall), "wall-us/transfer")
	b.ReportMetric(per(goCPU), "go-cpu-us/transfer")
	if pgErr == nil {
		b.ReportMetric(per(pgCPU), "pg-cpu-us/transfer")
	}
	b.ReportMetric(float64(wal)/n, "wal-B/transfer")
	// Row versions: a HOT update adds no index entries.
	rows, err := c.Query(ctx, `SELECT relname, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE n_tup_upd > 0 ORDER BY relname`)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var rel string
		var upd, hot int64
		if err := rows.Scan(&rel, &upd, &hot); err != nil {
			b.Fatal(err)
		}
		b.Logf("%s: %d updates, %d HOT", rel, upd, hot)
	}
}

// seedBenchAccounts writes the sealed state a benchmark starts from.
func seedBenchAccounts(ctx context.Context, c *pgx.Conn, accounts []protocol.Account) error {
	tx, err := c.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	if _, err := tx.Exec(ctx, `INSERT INTO sequencer_state (next_deposit, last_batch, chain_id, contract, config) VALUES (0, 0, $1, $2, '{}')`,
		int64(protocoltest.ChainID), protocoltest.Contract[:]); err != nil {
		return err
	}
	for i, a := range accounts {
		if err := upsertAccount(ctx, tx, uint32(i+1), a, 0); err != nil {
			return err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	_, err = c.Exec(ctx, `VACUUM ANALYZE accounts`)
	return err
}

func walLSN(b *testing.B, c *pgx.Conn) string {
	var s string
	if err := c.QueryRow(context.Background(), `SELECT pg_current_wal_insert_lsn()::text`).Scan(&s); err != nil {
		b.Fatal(err)
	}
	return s
}

// backendCPU reads the time a local PostgreSQL backend has run on a CPU
// (the first field of /proc/<pid>/schedstat, in nanoseconds).
func backendCPU(pid uint32) (time.Duration, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/schedstat", pid))
	if err != nil {
		return 0, err
	}
	f := strings.Fields(string(raw))
	if len(f) == 0 {
		return 0, fmt.Errorf("schedstat of %d: empty", pid)
	}
	ns, err := strconv.ParseInt(f[0], 10, 64)
	return time.Duration(ns), err
}
