// Package pgcluster starts and stops a private PostgreSQL cluster from Go,
// for tests and for the devnet.
//
// A cluster lives in a directory of its own (Options.Dir, or a temporary
// directory removed on Stop): data/ is the data directory (initdb'd on the
// first start and kept across restarts), run/ the private Unix socket
// directory, and data/server.log the server's log. The server listens on
// 127.0.0.1 only and trusts every local connection; its superuser is
// "sheaf" everywhere, so URLs look the same on a laptop and in CI.
//
// initdb and postgres refuse to run as root. When this process is root (CI
// machines), both run as an unprivileged OS user (Options.RunAs, default
// "postgres") through SysProcAttr.Credential, and the directories are
// chowned to that user; as an ordinary user they simply run as that user.
//
// The server is started with pg_ctl, which detaches it. A temporary
// cluster gets a watchdog process that stops it and removes its directory
// if this process dies without calling Stop (a panicking test binary). A
// cluster in Options.Dir outlives a process that dies without Stop; the
// next Start on that Dir takes such a leftover server over (and clears the
// stale postmaster.pid of a killed one), so a devnet restarts after SIGKILL.
package pgcluster

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Superuser is the name of the cluster's superuser (initdb -U).
const Superuser = "sheaf"

// DefaultRunAs is the OS user that runs the server when this process is root.
const DefaultRunAs = "postgres"

// Options configure Start.
type Options struct {
	// Dir is the cluster's directory; created if missing. A cluster found
	// there is reused, with its data. Empty: a new temporary directory,
	// removed on Stop.
	Dir string
	// Port on 127.0.0.1. 0: the port of the previous run in Dir if it is
	// still free, else a free port.
	Port int
	// Log receives progress messages; may be nil.
	Log *slog.Logger
	// NoFsync trades durability for speed (tests): fsync and
	// full_page_writes off, and initdb --no-sync. A crash of the machine
	// may then corrupt the cluster; a crash of the server (SIGKILL) loses
	// nothing. synchronous_commit stays on: with fsync off it costs nothing
	// measurable (≈0.1 ms per commit either way), while off it would lose
	// the last commits when a test kills the server, which crash-recovery
	// tests must not see. Settings can still turn it off.
	NoFsync bool
	// RunAs names the OS user that runs initdb and the server when this
	// process is root. Default "postgres". Ignored for other users.
	RunAs string
	// Settings are extra postgresql.conf parameters (e.g. "max_connections": "200").
	Settings map[string]string
	// StartTimeout bounds pg_ctl start -w. Default 60s.
	StartTimeout time.Duration
}

// Cluster is a running private PostgreSQL cluster.
type Cluster struct {
	initdb, pgctl string
	dir           string // cluster directory (Options.Dir or a temp dir)
	dataDir       string
	sockDir       string
	logPath       string
	ownDir        bool // remove dir on Stop
	ownSock       bool // remove sockDir on Stop (socket path would be too long under dir)
	run           *runAs
	dog           *watchdog // stops a temporary cluster if this process dies
	opt           Options
	log           *slog.Logger

	mu      sync.Mutex
	port    int
	stopped bool
}

const (
	confFile      = "sheaf.conf"
	logFile       = "server.log"
	maxLogSize    = 16 << 20
	maxSocketPath = 100 // sun_path is 108 bytes, PostgreSQL allows 107; leave room for ".s.PGSQL.NNNNN.lock"
)

// Start initialises the cluster if Dir holds none yet, then starts it with
// pg_ctl start -w. The returned cluster accepts connections at URL.
func Start(ctx context.Context, opt Options) (_ *Cluster, err error) {
	t0 := time.Now()
	c := &Cluster{opt: opt, log: opt.Log}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.initdb, c.pgctl, err = FindBinaries(); err != nil {
		return nil, err
	}
	if isRoot() {
		if c.run, err = lookupRunAs(cmp.Or(opt.RunAs, DefaultRunAs)); err != nil {
			return nil, err
		}
	}
	if opt.Port < 0 || opt.Port > 65535 {
		return nil, fmt.Errorf("pgcluster: invalid port %d", opt.Port)
	}

	if opt.Dir == "" {
		if c.dir, err = c.makeTempDir(os.TempDir(), "sheaf-pg-"); err != nil {
			return nil, err
		}
		c.ownDir = true
	} else {
		if c.dir, err = filepath.Abs(opt.Dir); err != nil {
			return nil, err
		}
		if strings.ContainsAny(c.dir, "\"'\\$`\n\r") {
			// pg_ctl hands paths to /bin/sh in double quotes.
			return nil, fmt.Errorf("pgcluster: directory %q contains a quote, backslash, $, ` or newline, which pg_ctl cannot pass through its shell", c.dir)
		}
		if err := os.MkdirAll(c.dir, 0o755); err != nil {
			return nil, fmt.Errorf("pgcluster: %w", err)
		}
	}
	defer func() {
		if err != nil {
			if c.dataDir != "" {
				c.stopServer(context.WithoutCancel(ctx)) // e.g. pg_ctl -w timed out on a slow start
			}
			c.removeOwned()
		}
	}()
	if c.run != nil {
		if err := c.run.checkTraversable(c.dir); err != nil {
			return nil, err
		}
	}

	c.dataDir = filepath.Join(c.dir, "data")
	c.logPath = filepath.Join(c.dataDir, logFile)
	c.sockDir = filepath.Join(c.dir, "run")
	if len(c.sockDir) > maxSocketPath {
		if c.sockDir, err = c.makeTempDir("/tmp", "sheaf-pgs-"); err != nil {
			return nil, err
		}
		c.ownSock = true
	} else if err := c.mkdirOwned(c.sockDir); err != nil {
		return nil, err
	}

	if _, err := os.Stat(filepath.Join(c.dataDir, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := c.initDB(ctx); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, fmt.Errorf("pgcluster: %w", err)
	} else if err := c.checkVersion(ctx); err != nil {
		return nil, err
	}

	// Deal with a leftover server first: it may hold the previous port.
	if err := c.clearStale(ctx); err != nil {
		return nil, err
	}
	auto := opt.Port == 0
	c.port = opt.Port
	if auto {
		if p := previousPort(filepath.Join(c.dataDir, confFile)); p != 0 && portFree(p) {
			c.port = p
		} else if c.port, err = freePort(); err != nil {
			return nil, err
		}
	}
	if err := c.start(ctx, auto); err != nil {
		return nil, err
	}
	if c.ownDir {
		remove := []string{c.dir}
		if c.ownSock {
			remove = append(remove, c.sockDir)
		}
		if c.dog, err = startWatchdog(c.dataDir, remove...); err != nil {
			c.log.Warn("postgres: no watchdog; the server outlives this process if it dies without Stop", "err", err)
			err = nil
		}
	}
	c.log.Info("postgres started", "dir", c.dir, "port", c.port, "run_as", c.runAsName(), "took", time.Since(t0).Round(time.Millisecond))
	return c, nil
}

// URL returns the connection URL of database dbname as the superuser.
func (c *Cluster) URL(dbname string) string {
	c.mu.Lock()
	port := c.port
	c.mu.Unlock()
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User(Superuser),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		Path:     "/" + dbname,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// Port returns the TCP port on 127.0.0.1.
func (c *Cluster) Port() int { c.mu.Lock(); defer c.mu.Unlock(); return c.port }

// Dir returns the cluster directory.
func (c *Cluster) Dir() string { return c.dir }

// DataDir returns the PostgreSQL data directory (PGDATA).
func (c *Cluster) DataDir() string { return c.dataDir }

// SocketDir returns the directory of the server's Unix socket.
func (c *Cluster) SocketDir() string { return c.sockDir }

// LogPath returns the server log file.
func (c *Cluster) LogPath() string { return c.logPath }

// PID returns the process id of the running postmaster.
func (c *Cluster) PID() (int, error) {
	pid, live := c.serverPID()
	if !live {
		return 0, errors.New("pgcluster: server is not running")
	}
	return pid, nil
}

// CreateDatabase creates an empty database.
func (c *Cluster) CreateDatabase(ctx context.Context, name string) error {
	if name == "" {
		return errors.New("pgcluster: empty database name")
	}
	return c.adminExec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
}

// DropDatabase drops a database, closing its connections; a missing
// database is not an error.
func (c *Cluster) DropDatabase(ctx context.Context, name string) error {
	if name == "" {
		return errors.New("pgcluster: empty database name")
	}
	return c.adminExec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
}

func (c *Cluster) adminExec(ctx context.Context, sql string) error {
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("pgcluster: %s: %w", sql, err)
	}
	return nil
}

// Stop shuts the server down (pg_ctl stop -m fast) and removes the
// temporary directory if Start made one. Stopping twice is a no-op.
func (c *Cluster) Stop(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return nil
	}
	if err := c.stopServer(ctx); err != nil {
		return err // keep the files of a server that may still run
	}
	c.stopped = true
	c.removeOwned()
	c.dog.release()
	c.log.Info("postgres stopped", "dir", c.dir)
	return nil
}

// Restart stops the server and starts it again on the same port and data,
// as an operator restarting Postgres under a running service would. It
// also revives a server that died or was killed.
func (c *Cluster) Restart(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return errors.New("pgcluster: restart of a stopped cluster")
	}
	if err := c.stopServer(ctx); err != nil {
		return err
	}
	return c.start(ctx, false)
}

// Crash stops the server the way a crash would (pg_ctl stop -m
// immediate: no checkpoint, every session cut) and leaves it down until
// Restart, so tests can watch services while PostgreSQL is unreachable.
func (c *Cluster) Crash(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return errors.New("pgcluster: crash of a stopped cluster")
	}
	if _, live := c.serverPID(); !live {
		return nil
	}
	out, err := c.pgCtl(ctx, "stop", "-w", "-s", "-m", "immediate", "-t", "60", "-D", c.dataDir)
	if _, live := c.serverPID(); err != nil && live {
		return fmt.Errorf("pgcluster: pg_ctl stop -m immediate %s: %v: %s", c.dataDir, err, out)
	}
	return nil
}

// --- internals ---

func (c *Cluster) runAsName() string {
	if c.run == nil {
		return ""
	}
	return c.run.name
}

// command runs a PostgreSQL program as the server's user, in the cluster
// directory (a cwd that user can enter), with a predictable environment.
func (c *Cluster) command(ctx context.Context, bin string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = c.dir
	cmd.Env = childEnv()
	if c.run != nil {
		cmd.SysProcAttr = c.run.sysProcAttr()
	}
	return cmd
}

// childEnv drops PG* variables (PGDATA, PGPORT… would override our flags)
// and locale settings (messages in English: errors are matched on them).
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "PG") || strings.HasPrefix(k, "LC_") || k == "LANG" || k == "LANGUAGE" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "LC_ALL=C")
}

func (c *Cluster) pgCtl(ctx context.Context, args ...string) (string, error) {
	out, err := c.command(ctx, c.pgctl, args...).CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

func (c *Cluster) makeTempDir(base, pattern string) (string, error) {
	bases := []string{base}
	if c.run != nil && base != "/tmp" {
		bases = append(bases, "/tmp") // TMPDIR may be private to root
	}
	var firstErr error
	for _, b := range bases {
		if c.run != nil {
			if err := c.run.checkTraversable(b); err != nil {
				firstErr = cmp.Or(firstErr, err)
				continue
			}
		}
		d, err := os.MkdirTemp(b, pattern)
		if err != nil {
			firstErr = cmp.Or(firstErr, err)
			continue
		}
		if c.run != nil {
			if err := c.run.chown(d); err != nil {
				os.RemoveAll(d)
				return "", err
			}
		}
		return d, nil
	}
	return "", fmt.Errorf("pgcluster: temporary directory: %w", firstErr)
}

// mkdirOwned creates dir (mode 0700) for the server's user.
func (c *Cluster) mkdirOwned(dir string) error {
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("pgcluster: %w", err)
	}
	if c.run != nil {
		return c.run.chown(dir)
	}
	return nil
}

func (c *Cluster) removeOwned() {
	if c.ownSock {
		os.RemoveAll(c.sockDir)
	}
	if c.ownDir {
		os.RemoveAll(c.dir)
	}
}

func (c *Cluster) initDB(ctx context.Context) error {
	t0 := time.Now()
	if ents, err := os.ReadDir(c.dataDir); err == nil && len(ents) > 0 {
		return fmt.Errorf("pgcluster: %s is not empty but holds no cluster (no PG_VERSION); "+
			"an earlier initdb may have been interrupted: remove it to start afresh", c.dataDir)
	}
	if err := c.mkdirOwned(c.dataDir); err != nil {
		return err
	}
	args := []string{"-D", c.dataDir, "-U", Superuser, "--auth=trust", "--encoding=UTF8", "--locale=C"}
	if c.opt.NoFsync {
		args = append(args, "--no-sync")
	}
	out, err := c.command(ctx, c.initdb, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pgcluster: initdb %s: %v\n%s", c.dataDir, err, tail(string(out), 30))
	}
	// Settings live in sheaf.conf, rewritten on every start; postgresql.conf
	// just includes it.
	f, err := os.OpenFile(filepath.Join(c.dataDir, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	_, err = fmt.Fprintf(f, "\n# Added by sheaf pgcluster: per-start settings.\ninclude_if_exists = '%s'\n", confFile)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	c.log.Info("initdb done", "data", c.dataDir, "took", time.Since(t0).Round(time.Millisecond))
	return nil
}

var versionRE = regexp.MustCompile(`\(PostgreSQL\) (\d+)`)

// checkVersion makes sure the binaries match an existing data directory's
// major version, switching to the matching installation if one exists.
func (c *Cluster) checkVersion(ctx context.Context) error {
	b, err := os.ReadFile(filepath.Join(c.dataDir, "PG_VERSION"))
	if err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	want := strings.TrimSpace(string(b))
	out, err := c.command(ctx, c.pgctl, "--version").Output()
	if err != nil {
		return fmt.Errorf("pgcluster: %s --version: %w", c.pgctl, err)
	}
	m := versionRE.FindSubmatch(out)
	if m == nil || string(m[1]) == want {
		return nil
	}
	if d := fallbackDirForVersion(FallbackGlob, want); d != "" {
		c.initdb, c.pgctl = filepath.Join(d, "initdb"), filepath.Join(d, "pg_ctl")
		return nil
	}
	return fmt.Errorf("pgcluster: %s was created by PostgreSQL %s, but %s is version %s and no PostgreSQL %s "+
		"binaries were found; install them or remove the directory to start afresh", c.dataDir, want, c.pgctl, m[1], want)
}

// writeConf (re)writes the settings file read at server start.
func (c *Cluster) writeConf() error {
	set := map[string]string{
		"listen_addresses":        "127.0.0.1",
		"port":                    strconv.Itoa(c.port),
		"unix_socket_directories": c.sockDir,
	}
	if c.opt.NoFsync {
		set["fsync"] = "off"
		set["full_page_writes"] = "off"
	}
	for k, v := range c.opt.Settings {
		set[k] = v
	}
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var buf bytes.Buffer
	buf.WriteString("# Written by sheaf pgcluster on every start; edits are overwritten.\n")
	for _, k := range keys {
		fmt.Fprintf(&buf, "%s = '%s'\n", k, strings.ReplaceAll(set[k], "'", "''"))
	}
	path := filepath.Join(c.dataDir, confFile)
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	if c.run != nil {
		return c.run.chown(path)
	}
	return nil
}

var portRE = regexp.MustCompile(`(?m)^port = '(\d+)'$`)

func previousPort(conf string) int {
	b, err := os.ReadFile(conf)
	if err != nil {
		return 0
	}
	m := portRE.FindSubmatch(b)
	if m == nil {
		return 0
	}
	p, _ := strconv.Atoi(string(m[1]))
	return p
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgcluster: pick a port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func portFree(p int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// start runs pg_ctl start -w, retrying where a retry helps: another
// process took an automatically chosen port, or the backends of a killed
// postmaster are still exiting.
func (c *Cluster) start(ctx context.Context, autoPort bool) error {
	timeout := cmp.Or(c.opt.StartTimeout, 60*time.Second)
	deadline := time.Now().Add(timeout)
	staleUntil := time.Now().Add(15 * time.Second)
	for attempt := 1; ; attempt++ {
		if err := c.clearStale(ctx); err != nil {
			return err
		}
		if err := c.writeConf(); err != nil {
			return err
		}
		c.rotateLog()
		off := fileSize(c.logPath)
		secs := int(time.Until(deadline).Seconds())
		if secs < 1 {
			secs = 1
		}
		out, err := c.pgCtl(ctx, "start", "-w", "-s", "-t", strconv.Itoa(secs), "-D", c.dataDir, "-l", c.logPath)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("pgcluster: start: %w", ctx.Err())
		}
		logTail := readFrom(c.logPath, off)
		switch {
		case attempt < 5 && autoPort && (strings.Contains(logTail, "Address already in use") || strings.Contains(logTail, "could not bind")):
			p, perr := freePort()
			if perr != nil {
				return perr
			}
			c.log.Warn("postgres port taken, retrying", "port", c.port, "new_port", p)
			c.port = p
			continue
		case time.Now().Before(staleUntil) && (strings.Contains(logTail, "pre-existing shared memory block") || strings.Contains(logTail, "already exists")):
			c.log.Warn("postgres: processes of a previous server still exit, retrying", "attempt", attempt)
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(200 * time.Millisecond):
			}
			continue
		}
		return fmt.Errorf("pgcluster: pg_ctl start (data %s, port %d): %v: %s\nserver log %s:\n%s",
			c.dataDir, c.port, err, out, c.logPath, tail(logTail, 30))
	}
}

// serverPID returns the postmaster pid recorded in postmaster.pid and
// whether that process is a live server of this data directory.
func (c *Cluster) serverPID() (int, bool) {
	b, err := os.ReadFile(filepath.Join(c.dataDir, "postmaster.pid"))
	if err != nil {
		return 0, false
	}
	line, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || pid <= 0 {
		return 0, false
	}
	if pids, ok := processesInDir(c.dataDir); ok {
		for _, p := range pids {
			if p == pid {
				return pid, true
			}
		}
		return pid, false
	}
	return pid, processAlive(pid)
}

// clearStale prepares the data directory for a start after an unclean end:
//   - a live server of this directory (left by a process that died without
//     Stop) is stopped, so the new one runs with this process's settings;
//   - backends orphaned by a killed postmaster are given time to exit;
//   - a postmaster.pid naming a process that is not our server (a zombie,
//     or an id reused by another program) is removed, since PostgreSQL
//     would otherwise refuse to start; so are stale socket lock files.
func (c *Cluster) clearStale(ctx context.Context) error {
	pidFile := filepath.Join(c.dataDir, "postmaster.pid")
	pid, live := c.serverPID()
	if pid == 0 {
		return nil
	}
	if live {
		c.log.Warn("postgres: a server left by an earlier run is still running on this data directory; stopping it", "pid", pid, "data", c.dataDir)
		if out, err := c.pgCtl(ctx, "stop", "-w", "-s", "-m", "fast", "-t", "60", "-D", c.dataDir); err != nil {
			return fmt.Errorf("pgcluster: stop leftover server (pid %d) on %s: %v: %s", pid, c.dataDir, err, out)
		}
		return nil
	}
	pids, ok := processesInDir(c.dataDir)
	if !ok {
		return nil // PostgreSQL checks the pid and shared memory itself
	}
	for deadline := time.Now().Add(30 * time.Second); len(pids) > 0; pids, _ = processesInDir(c.dataDir) {
		if time.Now().After(deadline) {
			return fmt.Errorf("pgcluster: processes %v of a dead server still run in %s", pids, c.dataDir)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	if processAlive(pid) {
		// Nothing runs in the data directory, so this pid is not ours.
		c.log.Warn("postgres: removing stale postmaster.pid", "pid", pid)
		if err := os.Remove(pidFile); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("pgcluster: %w", err)
		}
		locks, _ := filepath.Glob(filepath.Join(c.sockDir, ".s.PGSQL.*"))
		for _, l := range locks {
			os.Remove(l)
		}
	}
	return nil
}

// stopServer stops the server if it runs; a dead one counts as stopped.
func (c *Cluster) stopServer(ctx context.Context) error {
	if _, live := c.serverPID(); !live {
		return nil
	}
	out, err := c.pgCtl(ctx, "stop", "-w", "-s", "-m", "fast", "-t", "60", "-D", c.dataDir)
	if err != nil {
		if _, live := c.serverPID(); !live {
			return nil
		}
		return fmt.Errorf("pgcluster: pg_ctl stop %s: %v: %s", c.dataDir, err, out)
	}
	return nil
}

// rotateLog keeps one previous log once the log grows past maxLogSize
// (a devnet restarts on the same directory for weeks).
func (c *Cluster) rotateLog() {
	if fileSize(c.logPath) > maxLogSize {
		os.Rename(c.logPath, c.logPath+".1")
	}
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// readFrom returns the file's content from offset off (at most its last 64 KiB).
func readFrom(path string, off int64) string {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Sprintf("(cannot read log: %v)", err)
	}
	defer f.Close()
	if size := fileSize(path); size-off > 64<<10 {
		off = size - 64<<10
	}
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		return ""
	}
	b, _ := io.ReadAll(f)
	return string(b)
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
