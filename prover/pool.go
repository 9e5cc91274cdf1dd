package prover

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sheafrollup/sheaf/circuits"
	"github.com/sheafrollup/sheaf/protocol"
)

// Pool is a process's prover workers.
type Pool struct {
	cfg      Config
	db       *pgxpool.Pool
	log      *slog.Logger
	m        *metrics
	st       *store
	circuits map[protocol.Config]*Circuit
	provers  map[protocol.Config]Backend

	mu      sync.Mutex
	started bool
	wakes   []chan struct{}
	cancel  context.CancelFunc // stops claiming
	abort   context.CancelFunc // stops proving: leases are released
	wg      sync.WaitGroup
	done    chan struct{}

	// Readiness: the notification listener holds its connection, and the
	// last database round trip of a worker or the gauges succeeded.
	listening atomic.Bool
	dbOK      atomic.Bool
}

// New builds a pool for the loaded circuits (LoadCircuit), one per
// configuration in cfg.Circuits. reg may be nil.
func New(cfg Config, db *pgxpool.Pool, loaded []*Circuit, log *slog.Logger, reg prometheus.Registerer) (*Pool, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p := &Pool{cfg: cfg, db: db, log: log, m: newMetrics(reg, cfg.Backend),
		circuits: map[protocol.Config]*Circuit{}, provers: map[protocol.Config]Backend{}, done: make(chan struct{})}
	for _, c := range loaded {
		p.circuits[c.Config] = c
	}
	for _, cc := range cfg.Circuits {
		c, ok := p.circuits[cc]
		if !ok {
			return nil, fmt.Errorf("prover: circuit %s is configured but not loaded", cc)
		}
		pf, err := NewBackend(cfg.Backend, cfg.GPUDevice, c)
		if err != nil {
			return nil, err
		}
		p.provers[cc] = pf
	}
	st, err := newStore(db, cfg.Lease, cfg.MaxAttempts, cfg.Circuits)
	if err != nil {
		return nil, err
	}
	p.st = st
	return p, nil
}

// Owner is worker i's lease owner id.
func (p *Pool) Owner(i int) string { return fmt.Sprintf("%s-w%d", p.cfg.Owner, i) }

// Done is closed when every worker has stopped.
func (p *Pool) Done() <-chan struct{} { return p.done }

// Ready reports whether the pool can take work: it runs, its listener
// holds a connection, and the database answered its last query. A pool
// that lost PostgreSQL is not ready until it has reconnected.
func (p *Pool) Ready() bool {
	select {
	case <-p.done:
		return false
	default:
	}
	return p.listening.Load() && p.dbOK.Load()
}

// Start launches the workers, the notification listener and the gauges.
func (p *Pool) Start(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.started {
		return errors.New("prover: already started")
	}
	p.started = true
	// Workers outlive Start's ctx: Stop ends them.
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	proveCtx, abort := context.WithCancel(context.WithoutCancel(ctx))
	p.cancel, p.abort = cancel, abort
	for i := 0; i < p.cfg.Workers; i++ {
		wake := make(chan struct{}, 1)
		p.wakes = append(p.wakes, wake)
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.worker(runCtx, proveCtx, i, wake)
		}()
	}
	p.wg.Add(2)
	go func() { defer p.wg.Done(); p.listen(runCtx) }()
	go func() { defer p.wg.Done(); p.gauges(runCtx) }()
	go func() { p.wg.Wait(); close(p.done) }()
	p.log.Info("prover started", "workers", p.cfg.Workers, "backend", p.cfg.Backend, "owner", p.cfg.Owner,
		"lease", p.cfg.Lease.String(), "max_attempts", p.cfg.MaxAttempts)
	return nil
}

// Stop stops claiming and waits for proofs in progress to be stored; if
// ctx ends first, the workers give their jobs back (release the leases)
// and Stop returns without waiting for the abandoned computations.
func (p *Pool) Stop(ctx context.Context) error {
	p.mu.Lock()
	started := p.started
	p.mu.Unlock()
	if !started {
		return nil
	}
	p.cancel()
	select {
	case <-p.done:
		return nil
	case <-ctx.Done():
	}
	p.abort()
	select {
	case <-p.done:
		return nil
	case <-time.After(10 * time.Second):
		return errors.New("prover: workers did not stop")
	}
}

func (p *Pool) wakeAll() {
	for _, w := range p.wakes {
		select {
		case w <- struct{}{}:
		default:
		}
	}
}

// backoff sleeps before retrying after a database error (jittered,
// capped); false when ctx ended.
func backoff(ctx context.Context, failures int) bool {
	d := 100 * time.Millisecond << min(failures, 6) // up to 6.4 s
	d = d/2 + time.Duration(rand.Int64N(int64(d/2)))
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func (p *Pool) worker(ctx, proveCtx context.Context, i int, wake <-chan struct{}) {
	owner := p.Owner(i)
	log := p.log.With("owner", owner)
	poll := time.NewTicker(p.cfg.PollInterval)
	defer poll.Stop()
	failures := 0
	for ctx.Err() == nil {
		if _, err := p.st.reap(ctx); err != nil && ctx.Err() == nil {
			log.Warn("reap failed jobs", "err", err)
		}
		j, err := p.st.claim(ctx, owner)
		if ctx.Err() == nil {
			p.dbOK.Store(err == nil)
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			failures++
			log.Warn("claim failed; retrying", "err", err, "failures", failures)
			backoff(ctx, failures)
			continue
		}
		failures = 0
		if j == nil {
			select {
			case <-ctx.Done():
				return
			case <-wake:
			case <-poll.C:
			}
			continue
		}
		p.handle(proveCtx, log, owner, j)
	}
}

// handle proves one claimed job and records the outcome.
func (p *Pool) handle(ctx context.Context, log *slog.Logger, owner string, j *job) {
	log = log.With("batch", j.Number, "attempt", j.Attempt)
	if j.Takeover {
		p.m.takeovers.Inc()
		log.Warn("took over an expired lease", "previous_owner", j.PrevOwner)
	}
	log.Info("proving")
	p.m.inFlight.Inc()
	defer p.m.inFlight.Dec()
	t0 := time.Now()
	proof, err := p.prove(ctx, owner, j)
	switch {
	case err == nil:
		err = p.retry(ctx, func(ctx context.Context) error { return p.st.complete(ctx, j.Number, owner, proof) })
		if err == nil {
			p.m.proofSeconds.Observe(time.Since(t0).Seconds())
			p.m.proofs.WithLabelValues("proven", owner).Inc()
			log.Info("batch proven", "seconds", time.Since(t0).Seconds())
			return
		}
	case errors.Is(err, errLeaseLost):
	case ctx.Err() != nil: // shutting down before the proof was done
		rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := p.st.release(rctx, j.Number, owner); err != nil {
			log.Warn("release at shutdown", "err", err)
		} else {
			log.Info("released the batch at shutdown")
		}
		p.m.proofs.WithLabelValues("released", owner).Inc()
		return
	default:
		log.Warn("proof attempt failed", "err", err)
		var final bool
		ferr := p.retry(ctx, func(ctx context.Context) error {
			var e error
			final, e = p.st.fail(ctx, j.Number, owner, err)
			return e
		})
		if ferr == nil {
			p.m.proofs.WithLabelValues("failed", owner).Inc()
			if final {
				p.m.failedBatches.Inc() // refreshed from the table by gauges
				log.Error("batch failed for good: out of attempts", "err", err)
			}
			return
		}
		err = ferr
	}
	if errors.Is(err, errLeaseLost) {
		p.m.proofs.WithLabelValues("lost", owner).Inc()
		log.Warn("lease lost: another worker owns the batch; result discarded")
		return
	}
	// The outcome could not be written: the lease will expire and the job
	// will be claimed again.
	log.Error("could not record the outcome", "err", err)
}

// retry runs a write until it succeeds, the lease is lost, or ctx ends
// (the database may be restarting).
func (p *Pool) retry(ctx context.Context, f func(context.Context) error) error {
	for n := 1; ; n++ {
		err := f(ctx)
		if err == nil || errors.Is(err, errLeaseLost) || ctx.Err() != nil || n >= 8 {
			return err
		}
		p.log.Warn("database write failed; retrying", "err", err)
		if !backoff(ctx, n) {
			return err
		}
	}
}

type proveResult struct {
	proof []byte
	err   error
}

// prove builds the witness, proves (renewing the lease meanwhile) and
// verifies. gnark cannot cancel a proof: if the lease is lost or ctx ends,
// the computation is abandoned and its result discarded.
func (p *Pool) prove(ctx context.Context, owner string, j *job) ([]byte, error) {
	c, ok := p.circuits[j.Config]
	if !ok {
		return nil, fmt.Errorf("no keys for configuration %s", j.Config)
	}
	// Binary (protocol.EncodeWitness), or JSON from an older sequencer.
	b, err := protocol.DecodeWitness(j.Witness)
	if err != nil {
		return nil, fmt.Errorf("corrupt witness: %w", err)
	}
	// A version-1 binary witness (rows sealed before version 2) does not
	// record the data-availability mode, so a blob-mode batch decodes as its
	// calldata twin; the row's configuration (the circuit the sequencer
	// sealed it for) says which.
	if b.Config.DA == "" {
		b.Config.DA = j.Config.DA
	}
	if b.Config != j.Config || b.Header.Number != uint64(j.Number) {
		return nil, fmt.Errorf("corrupt witness: it is batch %d of %s, the row is batch %d of %s",
			b.Header.Number, b.Config, j.Number, j.Config)
	}
	w, err := circuits.Witness(b)
	if err != nil {
		return nil, fmt.Errorf("corrupt witness: %w", err)
	}
	res := make(chan proveResult, 1)
	pf := p.provers[j.Config]
	go func() {
		var r proveResult
		defer func() {
			if e := recover(); e != nil {
				r = proveResult{err: fmt.Errorf("prover panicked: %v", e)}
			}
			res <- r
		}()
		proof, err := pf.Prove(w)
		if err != nil {
			r.err = fmt.Errorf("prove: %w", err)
			return
		}
		r.proof, r.err = Verify(c, proof, w)
		if errors.Is(r.err, ErrInvalidProof) {
			// Never stored: the attempt fails like any other and is retried.
			p.m.invalidProofs.WithLabelValues(p.cfg.Backend).Inc()
			p.log.Error("the backend returned a proof that does not verify", "backend", p.cfg.Backend,
				"batch", j.Number, "err", r.err)
		}
	}()
	renew := time.NewTicker(p.cfg.RenewEvery)
	defer renew.Stop()
	for {
		select {
		case r := <-res:
			return r.proof, r.err
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-renew.C:
			rctx, cancel := context.WithTimeout(ctx, p.cfg.RenewEvery)
			err := p.st.renew(rctx, j.Number, owner)
			cancel()
			if errors.Is(err, errLeaseLost) {
				return nil, err
			}
			if err != nil {
				// Keep proving: the final write is guarded, and the
				// database may be back before the lease runs out.
				p.log.Warn("lease renewal failed", "batch", j.Number, "err", err)
			}
		}
	}
}

// gauges refreshes the queue gauges.
func (p *Pool) gauges(ctx context.Context) {
	t := time.NewTicker(p.cfg.PollInterval)
	defer t.Stop()
	for {
		qctx, cancel := context.WithTimeout(ctx, p.cfg.PollInterval)
		q, f, err := p.st.counts(qctx)
		cancel()
		if ctx.Err() == nil {
			p.dbOK.Store(err == nil)
		}
		if err == nil {
			p.m.queueDepth.Set(float64(q))
			p.m.failedBatches.Set(float64(f))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// listen wakes the workers on every NOTIFY sheaf_batches, holding one
// connection that it re-establishes (with backoff) when it breaks, e.g.
// across a PostgreSQL restart. Workers poll as well: the table is the
// truth, notifications only cut latency.
func (p *Pool) listen(ctx context.Context) {
	failures := 0
	for ctx.Err() == nil {
		err := p.listenOnce(ctx, &failures)
		if ctx.Err() != nil {
			return
		}
		failures++
		p.log.Warn("notification listener lost its connection; reconnecting", "err", err, "failures", failures)
		backoff(ctx, failures)
	}
}

func (p *Pool) listenOnce(ctx context.Context, failures *int) error {
	conn, err := p.db.Acquire(ctx)
	if err != nil {
		return err
	}
	defer func() {
		// The connection carries a LISTEN: never hand it back to the pool.
		cctx, cancel := context.WithTimeout(context.Background(), time.Second)
		conn.Conn().Close(cctx) //nolint:errcheck
		cancel()
		conn.Release()
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		return err
	}
	*failures = 0
	p.listening.Store(true)
	defer p.listening.Store(false)
	p.wakeAll() // notifications sent while we were not listening are lost
	for {
		if _, err := conn.Conn().WaitForNotification(ctx); err != nil {
			return err
		}
		p.wakeAll()
	}
}
