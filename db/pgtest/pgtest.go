// Package pgtest gives tests a fresh PostgreSQL database each, from one
// private cluster per test binary:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
//	func TestX(t *testing.T) {
//		url := pgtest.NewDatabase(t) // empty database, dropped after the test
//		...
//	}
//
// With SHEAF_TEST_DATABASE_URL set (a superuser URL of a server of your
// own, PostgreSQL 13 or later), tests use that server and nothing is
// started. Without it the cluster is started from the local PostgreSQL
// installation (see pgcluster); if none is found the tests fail with an
// error that says how to install it: they are never skipped.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sheafrollup/sheaf/db/pgcluster"
)

// EnvURL names the variable that points tests at an existing server.
const EnvURL = "SHEAF_TEST_DATABASE_URL"

var (
	mu       sync.Mutex
	mainRan  bool
	cluster  *pgcluster.Cluster
	adminURL string // URL of a database to run CREATE/DROP DATABASE from
	runID    = randomHex(3)
	seq      atomic.Int64
)

// Main starts one cluster for the whole test binary, runs the tests and
// stops the cluster; call it from TestMain: os.Exit(pgtest.Main(m)). With
// SHEAF_TEST_DATABASE_URL set it uses that server and starts nothing. If
// the cluster cannot start, Main prints why and fails the binary.
func Main(m *testing.M) int {
	if !flag.Parsed() {
		flag.Parse() // for testing.Verbose; m.Run would parse them anyway
	}
	mu.Lock()
	mainRan = true
	mu.Unlock()
	if u := os.Getenv(EnvURL); u != "" {
		if _, err := withDatabase(u, "x"); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
			return 1
		}
		mu.Lock()
		adminURL = u
		mu.Unlock()
		return m.Run()
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t0 := time.Now()
	c, err := pgcluster.Start(ctx, pgcluster.Options{
		NoFsync: true,
		// Parallel tests each hold a pool; the default 100 is tight.
		Settings: map[string]string{"max_connections": "300"},
	})
	cancel()
	if err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: cannot start the test PostgreSQL cluster (set %s to use a running server instead):\n%v\n", EnvURL, err)
		return 1
	}
	if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "pgtest: cluster on port %d started in %v\n", c.Port(), time.Since(t0).Round(time.Millisecond))
	}
	mu.Lock()
	cluster, adminURL = c, c.URL("postgres")
	mu.Unlock()

	// A binary that dies before this (panic, -timeout, ^C) leaves the
	// cluster to pgcluster's watchdog, which stops it and removes it.
	code := m.Run()
	if err := stop(c); err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

func stop(c *pgcluster.Cluster) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return c.Stop(ctx)
}

// Cluster returns the shared cluster, so that tests can Restart it; nil
// when the tests run against SHEAF_TEST_DATABASE_URL. A test that
// restarts the cluster must not run in parallel with others that use it.
func Cluster() *pgcluster.Cluster {
	mu.Lock()
	defer mu.Unlock()
	return cluster
}

// NewDatabase creates a fresh, empty database for one test, drops it when
// the test ends (closing leftover connections), and returns its URL.
func NewDatabase(t testing.TB) string {
	t.Helper()
	mu.Lock()
	ran, admin := mainRan, adminURL
	mu.Unlock()
	if !ran || admin == "" {
		t.Fatal("pgtest: no server: call os.Exit(pgtest.Main(m)) from TestMain")
	}
	name := dbName(t.Name())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := adminExec(ctx, admin, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// WITH (FORCE): a test that forgot to close its pool must not make
		// the drop fail.
		if err := adminExec(ctx, admin, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	u, err := withDatabase(admin, name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return u
}

var unsafeChars = regexp.MustCompile(`[^a-z0-9_]+`)

// dbName derives a readable, unique database name from the test name:
// t_<test>_<run>_<n>, within PostgreSQL's 63-byte identifier limit. The
// random run id keeps names apart when several test binaries share one
// external server.
func dbName(test string) string {
	s := unsafeChars.ReplaceAllString(strings.ToLower(test), "_")
	s = strings.Trim(s, "_")
	if len(s) > 40 {
		s = s[:40]
	}
	return fmt.Sprintf("t_%s_%s_%d", s, runID, seq.Add(1))
}

// withDatabase returns u with its database replaced by name.
func withDatabase(u, name string) (string, error) {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "postgres" && p.Scheme != "postgresql") {
		return "", fmt.Errorf("%s must be a postgres:// URL", EnvURL)
	}
	p.Path = "/" + name
	p.RawPath = ""
	return p.String(), nil
}

func adminExec(ctx context.Context, admin, sql string) error {
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
