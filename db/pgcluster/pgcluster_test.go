//go:build unix

package pgcluster

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// These tests start their own clusters (the shared one of pgtest is built
// on this package). Every cluster runs with NoFsync.

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// reachableDir returns an empty directory that the server's OS user can
// reach (t.TempDir's parent is private to this user, which matters when
// tests run as root and the server as "postgres").
func reachableDir(t *testing.T) string {
	t.Helper()
	d, err := os.MkdirTemp("", "pgcluster-test-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(d, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}

func start(t *testing.T, opt Options) *Cluster {
	t.Helper()
	opt.NoFsync = true
	if opt.Log == nil {
		opt.Log = testLogger(t)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	t0 := time.Now()
	c, err := Start(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("cluster started in %v", time.Since(t0))
	t.Cleanup(func() {
		if err := c.Stop(context.Background()); err != nil {
			t.Error(err)
		}
	})
	return c
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func queryString(t *testing.T, conn *pgx.Conn, sql string) string {
	t.Helper()
	var s string
	if err := conn.QueryRow(context.Background(), sql).Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return s
}

func TestStartStopTempDir(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := start(t, Options{})

	if !regexp.MustCompile(`^postgres://sheaf@127\.0\.0\.1:\d+/app\?sslmode=disable$`).MatchString(c.URL("app")) {
		t.Errorf("URL = %s", c.URL("app"))
	}
	if err := c.CreateDatabase(ctx, "app"); err != nil {
		t.Fatal(err)
	}
	conn := connect(t, c.URL("app"))
	for _, tc := range []struct{ sql, want string }{
		{"SELECT current_user", Superuser},
		{"SELECT current_database()", "app"},
		{"SHOW listen_addresses", "127.0.0.1"},
		{"SHOW fsync", "off"},
		{"SHOW synchronous_commit", "on"}, // see Options.NoFsync
		{"SHOW full_page_writes", "off"},
		{"SHOW unix_socket_directories", c.SocketDir()},
		{"SHOW server_encoding", "UTF8"},
		{"SHOW lc_collate", "C"},
	} {
		if got := queryString(t, conn, tc.sql); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.sql, got, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(c.SocketDir(), ".s.PGSQL."+strconv.Itoa(c.Port()))); err != nil {
		t.Errorf("unix socket: %v", err)
	}
	if fi, err := os.Stat(c.DataDir()); err != nil {
		t.Fatal(err)
	} else if st := fi.Sys().(*syscall.Stat_t); isRoot() && st.Uid == 0 {
		t.Errorf("running as root, data directory is owned by root")
	}

	if err := c.CreateDatabase(ctx, "app"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second CreateDatabase: %v", err)
	}
	if err := c.CreateDatabase(ctx, `we"ird name`); err != nil {
		t.Errorf("quoted name: %v", err)
	}
	if err := c.DropDatabase(ctx, "app"); err != nil { // closes conn's session
		t.Fatal(err)
	}
	if err := c.DropDatabase(ctx, "app"); err != nil {
		t.Errorf("dropping a missing database: %v", err)
	}

	dir := c.Dir()
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temp dir %s not removed: %v", dir, err)
	}
	if err := c.Stop(ctx); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	if _, err := pgx.Connect(ctx, c.URL("postgres")); err == nil {
		t.Error("server still accepts connections after Stop")
	}
}

func TestRestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := start(t, Options{})
	conn := connect(t, c.URL("postgres"))
	if _, err := conn.Exec(ctx, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)"); err != nil {
		t.Fatal(err)
	}
	port := c.Port()

	// A restart under a connected client: the client's session dies, a new
	// connection on the same URL sees the data.
	if err := c.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	if c.Port() != port {
		t.Errorf("port changed across restart: %d -> %d", port, c.Port())
	}
	if _, err := conn.Exec(ctx, "SELECT 1"); err == nil {
		t.Error("old session survived a restart")
	}
	conn = connect(t, c.URL("postgres"))
	if got := queryString(t, conn, "SELECT v::text FROM kept"); got != "42" {
		t.Errorf("after restart: %s", got)
	}

	// Restart also revives a killed server.
	pid, err := c.PID()
	if err != nil {
		t.Fatal(err)
	}
	killAndWait(t, c, pid)
	if err := c.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	conn = connect(t, c.URL("postgres"))
	if got := queryString(t, conn, "SELECT v::text FROM kept"); got != "42" {
		t.Errorf("after kill and restart: %s", got)
	}

	// Crash leaves the server down (committed data survives) until Restart.
	if err := c.Crash(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := pgx.Connect(ctx, c.URL("postgres")); err == nil {
		t.Error("server accepts connections after Crash")
	}
	if err := c.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	conn = connect(t, c.URL("postgres"))
	if got := queryString(t, conn, "SELECT v::text FROM kept"); got != "42" {
		t.Errorf("after crash and restart: %s", got)
	}
}

func killAndWait(t *testing.T, c *Cluster, pid int) {
	t.Helper()
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, live := c.serverPID(); !live {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("postmaster %d still alive 10s after SIGKILL", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSameDirSurvivesKill is the devnet's restart story: a cluster in a
// fixed directory keeps its data and port when the postmaster is killed
// with SIGKILL, when the owning process dies without Stop (the server is
// left running), and across a clean Stop.
func TestSameDirSurvivesKill(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := filepath.Join(reachableDir(t), "devnet", "pg") // parents created by Start
	c1 := start(t, Options{Dir: dir})
	port := c1.Port()
	if err := c1.CreateDatabase(ctx, "sheaf"); err != nil {
		t.Fatal(err)
	}
	conn := connect(t, c1.URL("sheaf"))
	if _, err := conn.Exec(ctx, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before kill')"); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	// A backend that is busy when the postmaster dies.
	busy := connect(t, c1.URL("sheaf"))
	go busy.Exec(context.Background(), "SELECT pg_sleep(0.3)")
	time.Sleep(50 * time.Millisecond)

	pid, err := c1.PID()
	if err != nil {
		t.Fatal(err)
	}
	killAndWait(t, c1, pid)
	if _, err := os.Stat(filepath.Join(c1.DataDir(), "postmaster.pid")); err != nil {
		t.Fatalf("expected a stale postmaster.pid after SIGKILL: %v", err)
	}

	check := func(step string, c *Cluster) {
		t.Helper()
		if c.Port() != port {
			t.Errorf("%s: port %d, want the previous %d", step, c.Port(), port)
		}
		conn := connect(t, c.URL("sheaf"))
		if got := queryString(t, conn, "SELECT v FROM kept"); got != "before kill" {
			t.Errorf("%s: kept = %q", step, got)
		}
		conn.Close(ctx)
	}

	c2 := start(t, Options{Dir: dir})
	check("after SIGKILL", c2)

	// The owner of c2 dies without Stop: its server keeps running and the
	// next Start takes the directory over.
	if _, err := c2.PID(); err != nil {
		t.Fatal(err)
	}
	c3 := start(t, Options{Dir: dir})
	check("after the owner died without Stop", c3)

	if err := c3.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	c4 := start(t, Options{Dir: dir})
	check("after a clean Stop", c4)
	if err := c4.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "PG_VERSION")); err != nil {
		t.Errorf("Stop removed a caller's directory: %v", err)
	}
}

func TestStartFailureShowsServerLog(t *testing.T) {
	t.Parallel()
	_, err := Start(context.Background(), Options{NoFsync: true, Settings: map[string]string{"shared_buffers": "lots"}})
	if err == nil {
		t.Fatal("started with an invalid setting")
	}
	for _, want := range []string{"pg_ctl start", "server log", `invalid value for parameter "shared_buffers"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	m := regexp.MustCompile(`server log (\S+):`).FindStringSubmatch(err.Error())
	if m == nil {
		t.Fatalf("no log path in %v", err)
	}
	if _, serr := os.Stat(m[1]); !errors.Is(serr, os.ErrNotExist) {
		t.Errorf("temporary directory of a failed start not removed: %v", serr)
	}
}

func TestUnreachableDirAsRoot(t *testing.T) {
	if !isRoot() {
		t.Skip("only root runs the server as another user")
	}
	private := t.TempDir() // 0700 parents, owned by root
	_, err := Start(context.Background(), Options{Dir: filepath.Join(private, "pg"), NoFsync: true})
	if err == nil || !strings.Contains(err.Error(), "not reachable by OS user postgres") {
		t.Fatalf("err = %v", err)
	}
}

func TestFindBinariesMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	defer func(g string) { FallbackGlob = g }(FallbackGlob)
	FallbackGlob = filepath.Join(t.TempDir(), "postgresql", "*", "bin")

	_, _, err := FindBinaries()
	if err == nil {
		t.Fatal("found binaries in an empty PATH and fallback")
	}
	for _, want := range []string{"initdb", "pg_ctl", "apt-get install postgresql", FallbackGlob, "PATH"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	// Start fails with the same message (pgtest turns it into a test failure).
	if _, serr := Start(context.Background(), Options{}); serr == nil || serr.Error() != err.Error() {
		t.Errorf("Start: %v", serr)
	}
}

func TestFindBinariesFallback(t *testing.T) {
	type inst map[string][]string // version -> programs present
	both := []string{"initdb", "pg_ctl"}
	for _, tc := range []struct {
		name    string
		onPath  []string // programs on PATH
		inst    inst
		want    string // "path", a version, or "" for an error
		wantErr string
	}{
		{name: "PATH first", onPath: both, inst: inst{"15": both}, want: "path"},
		{name: "highest version", inst: inst{"9.6": both, "10": both, "15": both, "13": both}, want: "15"},
		{name: "skips incomplete", inst: inst{"16": {"initdb"}, "15": both}, want: "15"},
		{name: "half on PATH", onPath: []string{"initdb"}, inst: inst{"14": both}, want: "14"},
		{name: "nothing", onPath: []string{"initdb"}, inst: inst{"16": {"pg_ctl"}}, wantErr: "not found: pg_ctl"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pathDir := t.TempDir()
			for _, p := range tc.onPath {
				writeExe(t, filepath.Join(pathDir, p))
			}
			t.Setenv("PATH", pathDir)
			root := t.TempDir()
			for v, progs := range tc.inst {
				for _, p := range progs {
					writeExe(t, filepath.Join(root, v, "bin", p))
				}
			}
			initdb, pgctl, err := findBinaries(filepath.Join(root, "*", "bin"))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			wantDir := pathDir
			if tc.want != "path" {
				wantDir = filepath.Join(root, tc.want, "bin")
			}
			if initdb != filepath.Join(wantDir, "initdb") || pgctl != filepath.Join(wantDir, "pg_ctl") {
				t.Errorf("got %s, %s; want them in %s", initdb, pgctl, wantDir)
			}
		})
	}
}

func writeExe(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
}

const childFlag = "PGCLUSTER_TEST_CHILD"

// TestWatchdogChild is the child of TestWatchdogStopsOrphanedCluster: it
// starts a temporary cluster and dies without Stop.
func TestWatchdogChild(t *testing.T) {
	if os.Getenv(childFlag) != "1" {
		t.Skip("helper process of TestWatchdogStopsOrphanedCluster")
	}
	c, err := Start(context.Background(), Options{NoFsync: true})
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("URL=" + c.URL("postgres") + "\nDIR=" + c.Dir() + "\n")
	os.Exit(3) // no Stop, no cleanups: as a panic or a -timeout would
}

func TestWatchdogStopsOrphanedCluster(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(os.Args[0], "-test.run=^TestWatchdogChild$")
	cmd.Env = append(os.Environ(), childFlag+"=1")
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
		t.Fatalf("child: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`(?m)^URL=(\S+)\nDIR=(\S+)$`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("child output: %s", out)
	}
	url, dir := m[1], m[2]
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, err := os.Stat(dir)
		if errors.Is(err, os.ErrNotExist) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("orphaned cluster's directory %s still there", dir)
		}
		time.Sleep(50 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if conn, err := pgx.Connect(ctx, url); err == nil {
		conn.Close(ctx)
		t.Errorf("orphaned cluster still accepts connections at %s", url)
	}
}
