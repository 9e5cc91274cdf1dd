// Package db holds Sheaf's PostgreSQL schema and connection pool.
//
// The schema is a list of numbered goose migrations in migrations/,
// embedded in the binary. Migrate applies them under a session-level
// Postgres advisory lock, so every process may call it at start: one
// applies, the others wait and find nothing left to do.
package db

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/*.sql
var embedded embed.FS

// Migrations is the embedded migrations directory (NNNNN_name.sql files).
var Migrations fs.FS = mustSub(embedded, "migrations")

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}

// Config configures the pool.
type Config struct {
	URL      string // postgres://user:pass@host:port/db?sslmode=...
	MaxConns int32  // pool size; 0: pgxpool's default (max(4, CPUs))
	Migrate  bool   // apply pending migrations in Open
}

// Check validates the configuration.
func (c Config) Check() error {
	if c.URL == "" {
		return errors.New("db: URL is required")
	}
	if _, err := pgxpool.ParseConfig(c.URL); err != nil {
		return fmt.Errorf("db: URL: %w", err)
	}
	if c.MaxConns < 0 {
		return fmt.Errorf("db: MaxConns must not be negative (got %d)", c.MaxConns)
	}
	return nil
}

// Open connects a pool, checks that the server answers, and applies
// pending migrations when cfg.Migrate is set. log may be nil.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*pgxpool.Pool, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	log = orDiscard(log)
	pc, err := pgxpool.ParseConfig(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("db: URL: %w", err)
	}
	if cfg.MaxConns > 0 {
		pc.MaxConns = cfg.MaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("db: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("db: connect to %s: %w", describe(pc.ConnConfig), err)
	}
	if cfg.Migrate {
		// Only the ping's connection exists yet, and it has prepared
		// nothing, so no pooled connection caches a pre-migration plan.
		if _, err := Migrate(ctx, cfg.URL, log); err != nil {
			pool.Close()
			return nil, err
		}
	}
	log.Info("database connected", "server", describe(pc.ConnConfig), "max_conns", pc.MaxConns)
	return pool, nil
}

// describe names a server without its password.
func describe(c *pgx.ConnConfig) string {
	return fmt.Sprintf("%s@%s:%d/%s", c.User, c.Host, c.Port, c.Database)
}

// migrationLockID is the Postgres advisory lock (scoped to the database)
// held while migrating: goose's default, crc32("goose").
const migrationLockID = lock.DefaultLockID

// Migrate applies every pending migration and returns how many it applied.
// It holds a session-level advisory lock while it reads and changes the
// schema, so concurrent callers (several sequencer or prover processes
// starting at once) serialise: one applies, the others then apply 0. A
// caller waits up to 5 minutes for the lock (or until ctx ends).
func Migrate(ctx context.Context, url string, log *slog.Logger) (applied int, err error) {
	p, closeDB, err := newProvider(url, log)
	if err != nil {
		return 0, err
	}
	defer closeDB()
	res, err := p.Up(ctx)
	if err != nil {
		var pe *goose.PartialError
		if errors.As(err, &pe) {
			logApplied(log, pe.Applied)
			return len(pe.Applied), fmt.Errorf("db: migration %s failed after %d applied: %w",
				path.Base(pe.Failed.Source.Path), len(pe.Applied), pe.Err)
		}
		return 0, fmt.Errorf("db: migrate: %w", err)
	}
	logApplied(log, res)
	return len(res), nil
}

// logApplied writes one INFO line per applied migration (goose's own
// lines, every statement included, go out at DEBUG).
func logApplied(log *slog.Logger, res []*goose.MigrationResult) {
	if log == nil {
		return
	}
	for _, r := range res {
		log.Info("migration applied", "file", path.Base(r.Source.Path), "version", r.Source.Version,
			"seconds", r.Duration.Seconds())
	}
}

// debugHandler passes every record on at DEBUG: goose logs each SQL
// statement at INFO, which buries a service's start in SQL.
type debugHandler struct{ slog.Handler }

func (h debugHandler) Enabled(ctx context.Context, _ slog.Level) bool {
	return h.Handler.Enabled(ctx, slog.LevelDebug)
}

func (h debugHandler) Handle(ctx context.Context, r slog.Record) error {
	r.Level = slog.LevelDebug
	return h.Handler.Handle(ctx, r)
}

func (h debugHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return debugHandler{h.Handler.WithAttrs(as)}
}

func (h debugHandler) WithGroup(name string) slog.Handler {
	return debugHandler{h.Handler.WithGroup(name)}
}

// MigrationInfo describes one migration.
type MigrationInfo struct {
	Version int64
	Name    string // file name, e.g. 00001_init.sql
	Applied bool
}

// MigrationStatus lists every embedded migration and whether the database
// at url has applied it. It waits for a migration in progress.
func MigrationStatus(ctx context.Context, url string) ([]MigrationInfo, error) {
	p, closeDB, err := newProvider(url, nil)
	if err != nil {
		return nil, err
	}
	defer closeDB()
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: migration status: %w", err)
	}
	out := make([]MigrationInfo, len(st))
	for i, s := range st {
		out[i] = MigrationInfo{Version: s.Source.Version, Name: path.Base(s.Source.Path), Applied: s.State == goose.StateApplied}
	}
	return out, nil
}

// newProvider opens a database/sql handle through pgx's driver (goose
// speaks database/sql) and a goose provider on the embedded migrations.
func newProvider(url string, log *slog.Logger) (*goose.Provider, func(), error) {
	cc, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, nil, fmt.Errorf("db: URL: %w", err)
	}
	sqlDB := stdlib.OpenDB(*cc)
	locker, err := lock.NewPostgresSessionLocker(
		lock.WithLockID(migrationLockID),
		lock.WithLockTimeout(1, 300), // poll every second, for up to 5 minutes
	)
	if err != nil {
		sqlDB.Close()
		return nil, nil, fmt.Errorf("db: %w", err)
	}
	opts := []goose.ProviderOption{
		goose.WithSessionLocker(locker),
		goose.WithDisableGlobalRegistry(true), // only our embedded SQL files
	}
	if log != nil {
		opts = append(opts, goose.WithSlog(slog.New(debugHandler{log.Handler()})), goose.WithVerbose(true))
	} else {
		opts = append(opts, goose.WithSlog(orDiscard(nil)))
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, Migrations, opts...)
	if err != nil {
		sqlDB.Close()
		return nil, nil, fmt.Errorf("db: %w", err)
	}
	return p, func() { sqlDB.Close() }, nil
}

func orDiscard(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return log
}
