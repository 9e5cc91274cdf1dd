package main

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/sheafrollup/sheaf/db"
)

func dbFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "db.url", Usage: "PostgreSQL URL (postgres://user@host:port/db)", EnvVars: env("db.url")},
		&cli.IntFlag{Name: "db.max-conns", Value: 16, Usage: "connection pool size", EnvVars: env("db.max-conns")},
		&cli.BoolFlag{Name: "db.migrate", Value: true, Usage: "apply schema migrations at start (under an advisory lock)", EnvVars: env("db.migrate")},
	}
}

func dbConfig(c *cli.Context) (db.Config, error) {
	cfg := db.Config{URL: c.String("db.url"), MaxConns: int32(c.Int("db.max-conns")), Migrate: c.Bool("db.migrate")}
	if cfg.URL == "" {
		return cfg, errors.New("--db.url is required (postgres://user@host:port/database)")
	}
	if err := cfg.Check(); err != nil {
		return cfg, fmt.Errorf("--db.url / --db.max-conns: %w", err)
	}
	return cfg, nil
}

func migrateCommand() *cli.Command {
	return &cli.Command{
		Name:  "migrate",
		Usage: "apply the database schema migrations (safe to run from several processes at once)",
		Flags: dbFlags(),
		Action: func(c *cli.Context) error {
			log, err := newLogger(c)
			if err != nil {
				return err
			}
			cfg, err := dbConfig(c)
			if err != nil {
				return err
			}
			n, err := db.Migrate(c.Context, cfg.URL, log)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "applied %d migrations\n", n)
			return nil
		},
	}
}
