package bench

import (
	"context"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sheafrollup/sheaf/db"
	"github.com/sheafrollup/sheaf/db/pgcluster"
)

// database opens url, migrated, or a fresh database in a throw-away
// cluster when url is empty. closeAll releases the pool and the cluster.
func database(ctx context.Context, url, name string, maxConns int32, log *slog.Logger) (pool *pgxpool.Pool, closeAll func(), err error) {
	var cl *pgcluster.Cluster
	stop := func() {
		if cl != nil {
			cl.Stop(context.Background())
		}
	}
	if url == "" {
		log.Info("starting a throw-away PostgreSQL cluster")
		if cl, err = pgcluster.Start(ctx, pgcluster.Options{Log: log}); err != nil {
			return nil, nil, err
		}
		if err := cl.CreateDatabase(ctx, name); err != nil {
			stop()
			return nil, nil, err
		}
		url = cl.URL(name)
	}
	pool, err = db.Open(ctx, db.Config{URL: url, MaxConns: maxConns, Migrate: true}, log)
	if err != nil {
		stop()
		return nil, nil, err
	}
	return pool, func() { pool.Close(); stop() }, nil
}
