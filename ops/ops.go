// Package ops serves what operators scrape and probe: Prometheus metrics,
// /healthz (the process is alive) and /readyz (it is doing its job).
package ops

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Config of the operations endpoint.
type Config struct {
	Addr string // host:port; empty disables the server
}

// Check validates the address.
func (c Config) Check() error {
	if c.Addr == "" {
		return nil
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("metrics.addr %q: %w", c.Addr, err)
	}
	return nil
}

// Server is the operations HTTP server.
type Server struct {
	cfg   Config
	srv   *http.Server
	ln    net.Listener
	log   *slog.Logger
	ready func() error
}

// New builds the server; ready reports why the component is not ready (nil
// when it is).
func New(cfg Config, gatherer prometheus.Gatherer, ready func() error, log *slog.Logger) *Server {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(gatherer, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, _ *http.Request) {
		if err := ready(); err != nil {
			http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	return &Server{cfg: cfg, log: log, ready: ready,
		srv: &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}}
}

// Start listens and serves in the background.
func (s *Server) Start(ctx context.Context) error {
	if s.cfg.Addr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("metrics listen: %w", err)
	}
	s.ln = ln
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("metrics server", "err", err)
		}
	}()
	s.log.Info("operations endpoint", "addr", ln.Addr().String(), "paths", "/metrics /healthz /readyz")
	return nil
}

// Addr is the listening address (after Start).
func (s *Server) Addr() string {
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// Stop shuts down gracefully.
func (s *Server) Stop(ctx context.Context) error {
	if s.ln == nil {
		return nil
	}
	return s.srv.Shutdown(ctx)
}

// Component is a service's long-running part: Done is closed when it
// stops; a Ready() bool method, if it has one, says whether it can make
// progress now (holds its lock, reaches its database).
type Component interface {
	Done() <-chan struct{}
}

// Readiness is the /readyz check of a component: not ready once it has
// stopped, nor while it says it is not (a standby waiting for its lock, a
// service that lost its database session and has not taken its lock again
// on a new one).
func Readiness(name string, c Component) func() error {
	return func() error {
		select {
		case <-c.Done():
			return fmt.Errorf("%s stopped", name)
		default:
		}
		if r, ok := c.(interface{ Ready() bool }); ok && !r.Ready() {
			return fmt.Errorf("%s not active (standby, or reconnecting to its database)", name)
		}
		return nil
	}
}
