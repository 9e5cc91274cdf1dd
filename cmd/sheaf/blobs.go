package main

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/sheafrollup/sheaf/db"
	"github.com/sheafrollup/sheaf/l1/blobs"
)

// blobsCommand holds the blob archive tools.
func blobsCommand() *cli.Command {
	return &cli.Command{
		Name:  "blobs",
		Usage: "the blobs of blob-mode batches: export the sequencer's stored blobs for auditors (--blobs.dir)",
		Subcommands: []*cli.Command{
			{
				Name: "export",
				Usage: "write the blobs the sequencer stored (PostgreSQL) into a directory, one <versioned hash>.blob file each, " +
					"for `sheaf audit --blobs.dir` and `sheaf exit --blobs.dir` once beacon nodes have pruned them",
				Description: "Each blob is verified against its versioned hash before it is written; files already there are kept.\n" +
					"Run it again (or from cron) to add new batches' blobs. Layout: docs/auditor.md, \"Where blobs come from\".",
				Flags: joinFlags(dbFlags(), []cli.Flag{
					&cli.StringFlag{Name: "blobs.dir", Required: true, Usage: "directory to write (created if missing)", EnvVars: env("blobs.dir")},
					&cli.Uint64Flag{Name: "blobs.from-batch", Usage: "first batch to export", EnvVars: env("blobs.from-batch")},
					&cli.Uint64Flag{Name: "blobs.to-batch", Usage: "last batch to export (0: every stored batch)", EnvVars: env("blobs.to-batch")},
				}),
				Action: func(c *cli.Context) error {
					log, err := newLogger(c)
					if err != nil {
						return err
					}
					cfg, err := dbConfig(c)
					if err != nil {
						return err
					}
					from, to := c.Uint64("blobs.from-batch"), c.Uint64("blobs.to-batch")
					if to != 0 && to < from {
						return errors.New("--blobs.to-batch is below --blobs.from-batch")
					}
					pool, err := db.Open(c.Context, cfg, log)
					if err != nil {
						return err
					}
					defer pool.Close()
					st, err := blobs.NewPostgres(pool).Export(c.Context, c.String("blobs.dir"), from, to)
					fmt.Fprintf(c.App.Writer, "exported %d blobs to %s (%d already there)\n", st.Written, c.String("blobs.dir"), st.Skipped)
					return err
				},
			},
		},
	}
}
