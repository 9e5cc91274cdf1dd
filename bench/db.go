package bench

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sheafrollup/sheaf/db"
	"github.com/sheafrollup/sheaf/db/pgcluster"
)

// database opens url, migrated, or a fresh database in a throw-away
// cluster when url is empty. closeAll releases the pool and the cluster.
func database(ctx context.Context, url, name string, maxConns int32, log *slog.Logger) (pool *pgxpool.Pool, closeAll func(), err error) {
	pool, closeAll, _, err = databaseCPU(ctx, url, name, maxConns, log)
	return pool, closeAll, err
}

// databaseCPU is database that also returns a reading of the throw-away
// cluster's CPU time, all its processes together (clusterCPU); with url
// set the server is not ours to measure and the reading fails.
func databaseCPU(ctx context.Context, url, name string, maxConns int32, log *slog.Logger) (pool *pgxpool.Pool, closeAll func(), cpu func() (time.Duration, error), err error) {
	var cl *pgcluster.Cluster
	cpu = func() (time.Duration, error) {
		if cl == nil {
			return 0, errors.New("bench: not our PostgreSQL server")
		}
		pid, err := cl.PID()
		if err != nil {
			return 0, err
		}
		return clusterCPU(pid)
	}
	stop := func() {
		if cl != nil {
			cl.Stop(context.Background())
		}
	}
	if url == "" {
		log.Info("starting a throw-away PostgreSQL cluster")
		if cl, err = pgcluster.Start(ctx, pgcluster.Options{Log: log}); err != nil {
			return nil, nil, nil, err
		}
		if err := cl.CreateDatabase(ctx, name); err != nil {
			stop()
			return nil, nil, nil, err
		}
		url = cl.URL(name)
	}
	pool, err = db.Open(ctx, db.Config{URL: url, MaxConns: maxConns, Migrate: true}, log)
	if err != nil {
		stop()
		return nil, nil, nil, err
	}
	return pool, func() { pool.Close(); stop() }, cpu, nil
}
