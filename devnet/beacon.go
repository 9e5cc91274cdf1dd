package devnet

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/sheafrollup/sheaf/l1/blobs"
)

// beaconServer serves the devnet's blobs over the Beacon API's blob
// sidecars endpoint (blobs.Server, backed by the sequencer's PostgreSQL
// blobs table): the simulated L1 has no beacon node, and L1 nodes do not
// serve blobs of included transactions, so without it `sheaf audit` could
// not read a blob-mode devnet's batches. Slots are the chain's timestamps
// (1 s each), which `sheaf audit --l1.beacon` reads from the endpoint's
// /eth/v1/config/spec.
type beaconServer struct {
	addr string
	h    http.Handler
	log  *slog.Logger
	srv  *http.Server
	done chan error
}

func newBeaconServer(addr string, chain blobs.L1, store blobs.Store, log *slog.Logger) *beaconServer {
	return &beaconServer{addr: addr, h: blobs.NewServer(chain, store, 1, log), log: log}
}

func (b *beaconServer) Start(context.Context) error {
	l, err := net.Listen("tcp", b.addr)
	if err != nil {
		return fmt.Errorf("beacon endpoint: %w", err)
	}
	b.srv = &http.Server{Handler: b.h, ReadHeaderTimeout: 10 * time.Second}
	b.done = make(chan error, 1)
	go func() { b.done <- b.srv.Serve(l) }()
	b.log.Info("beacon API (blob sidecars) listening", "addr", l.Addr().String())
	return nil
}

func (b *beaconServer) Stop(ctx context.Context) error {
	if b.srv == nil {
		return nil
	}
	err := b.srv.Shutdown(ctx)
	if serr := <-b.done; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}
