package pgtest_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sheafrollup/sheaf/db/pgcluster"
	"github.com/sheafrollup/sheaf/db/pgtest"
)

const childNoBinaries = "PGTEST_CHILD_NO_BINARIES"

func TestMain(m *testing.M) {
	if os.Getenv(childNoBinaries) == "1" {
		pgcluster.FallbackGlob = "/nonexistent/postgresql/*/bin"
	}
	os.Exit(pgtest.Main(m))
}

func scalar[T any](t *testing.T, url, sql string) T {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var v T
	if err := conn.QueryRow(ctx, sql).Scan(&v); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return v
}

func TestNewDatabase(t *testing.T) {
	var first string
	t.Run("fresh", func(t *testing.T) {
		a, b := pgtest.NewDatabase(t), pgtest.NewDatabase(t)
		if a == b {
			t.Fatalf("same URL twice: %s", a)
		}
		first = scalar[string](t, a, "SELECT current_database()")
		if !strings.HasPrefix(first, "t_testnewdatabase_fresh_") {
			t.Errorf("database name %q", first)
		}
		if n := scalar[int](t, a, "SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public'"); n != 0 {
			t.Errorf("%d tables in a fresh database", n)
		}
		// A pool left open must not keep the database from being dropped.
		pool, err := pgxpool.New(context.Background(), a)
		if err != nil {
			t.Fatal(err)
		}
		if err := pool.Ping(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
	probe := pgtest.NewDatabase(t)
	if n := scalar[int](t, probe, "SELECT count(*)::int FROM pg_database WHERE datname = '"+first+"'"); n != 0 {
		t.Errorf("database %s not dropped after its test", first)
	}
}

func TestParallelDatabases(t *testing.T) {
	for _, name := range []string{"a", "b", "c", "d"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			url := pgtest.NewDatabase(t)
			if got := scalar[int](t, url, "SELECT 1"); got != 1 {
				t.Fatal(got)
			}
		})
	}
}

// TestRestartUnderPool is the shape of a "Postgres restarted under us"
// test: a pool survives a restart once its broken connections are replaced.
func TestRestartUnderPool(t *testing.T) {
	c := pgtest.Cluster()
	if c == nil {
		t.Skip("external server: cannot restart it")
	}
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (7)"); err != nil {
		t.Fatal(err)
	}
	if err := c.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	var v int
	deadline := time.Now().Add(10 * time.Second)
	for {
		err = pool.QueryRow(ctx, "SELECT v FROM kept").Scan(&v)
		if err == nil || time.Now().After(deadline) {
			break
		}
		t.Logf("after restart: %v (retrying)", err)
	}
	if err != nil || v != 7 {
		t.Fatalf("after restart: %v, %d", err, v)
	}
}

// TestMissingBinariesFailTheTests runs this test binary again with no
// PostgreSQL to be found: it must fail, saying how to install it, rather
// than skip.
func TestMissingBinariesFailTheTests(t *testing.T) {
	if os.Getenv(childNoBinaries) == "1" {
		t.Fatal("the child must not get this far")
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PATH=") && !strings.HasPrefix(kv, pgtest.EnvURL+"=") {
			env = append(env, kv)
		}
	}
	env = append(env, "PATH="+t.TempDir(), childNoBinaries+"=1")
	cmd := exec.Command(os.Args[0], "-test.run=^TestNewDatabase$", "-test.count=1")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 1 {
		t.Fatalf("child: %v (want exit status 1)\n%s", err, out)
	}
	for _, want := range []string{"cannot start the test PostgreSQL cluster", "initdb, pg_ctl", "apt-get install postgresql", pgtest.EnvURL} {
		if !strings.Contains(string(out), want) {
			t.Errorf("child output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "SKIP") || strings.Contains(string(out), "PASS") {
		t.Errorf("child skipped or passed:\n%s", out)
	}
}
