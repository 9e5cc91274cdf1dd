package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/sheafrollup/sheaf/db"
	"github.com/sheafrollup/sheaf/ops"
	"github.com/urfave/cli/v2"
)

// service is what every long-running component implements.
type service interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
}

// run starts services in order, waits for ctx (SIGINT/SIGTERM) or for any
// of the fatal channels, then stops them in reverse order.
func run(ctx context.Context, log *slog.Logger, fatal []<-chan struct{}, services ...service) error {
	var started []service
	stopAll := func() error {
		sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		var errs []error
		for i := len(started) - 1; i >= 0; i-- {
			errs = append(errs, started[i].Stop(sctx))
		}
		return errors.Join(errs...)
	}
	for _, s := range services {
		if err := s.Start(ctx); err != nil {
			if ctx.Err() != nil { // interrupted while starting (a standby waiting for its lock)
				log.Info("shutting down")
				return stopAll()
			}
			return errors.Join(err, stopAll())
		}
		started = append(started, s)
	}
	died := make(chan struct{})
	for _, f := range fatal {
		go func(f <-chan struct{}) {
			select {
			case <-f:
				select {
				case <-died:
				default:
					close(died)
				}
			case <-ctx.Done():
			}
		}(f)
	}
	select {
	case <-ctx.Done():
		log.Info("shutting down")
	case <-died:
		log.Error("a component stopped; shutting down")
	}
	return stopAll()
}

func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// component is the long-running part of a service command.
type component interface {
	service
	Done() <-chan struct{}
}

// serveComponent is the tail every service command shares: open the
// database, build the component (and any services beside it) with one
// metrics registry, serve /metrics, /healthz and /readyz, and run until a
// signal or until the component stops. name labels the readiness message.
func serveComponent(c *cli.Context, log *slog.Logger, dbc db.Config, oc ops.Config, name string,
	build func(pool *pgxpool.Pool, reg prometheus.Registerer) (component, []service, error)) error {
	pool, err := db.Open(c.Context, dbc, log)
	if err != nil {
		return err
	}
	defer pool.Close()
	reg := newRegistry()
	comp, extra, err := build(pool, reg)
	if err != nil {
		return err
	}
	opsSrv := ops.New(oc, reg, ops.Readiness(name, comp), log)
	// The ops endpoint starts first so a standby is observable.
	services := append([]service{opsSrv, comp}, extra...)
	if err := run(c.Context, log, []<-chan struct{}{comp.Done()}, services...); err != nil {
		return err
	}
	if e, ok := comp.(interface{ Err() error }); ok {
		return e.Err()
	}
	return nil
}
