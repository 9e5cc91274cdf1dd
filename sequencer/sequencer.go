package sequencer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
)

// ErrConfigMismatch: the database belongs to another deployment or circuit.
var ErrConfigMismatch = errors.New("database was initialised for a different chain, contract or circuit")

// ErrContractMismatch: the configuration is not the rollup contract's.
// ErrLockLost: the session holding the sequencer lock ended while batches
// were being stored; the store is rolled back and the sequencer stops.
var ErrLockLost = errors.New("sequencer lock lost")

var ErrContractMismatch = errors.New("sequencer configuration does not match the rollup contract")

// Sequencer is the single writer of a rollup's database.
type Sequencer struct {
	cfg  Config
	pool *pgxpool.Pool
	log  *slog.Logger
	m    *metrics
	hub  *hub
	// notified is the highest batch number the listener has published (or
	// that existed at start): after (re)connecting it publishes the ones
	// sealed while nobody listened, whose notifications are lost.
	notified atomic.Uint64

	mu       sync.RWMutex
	ledger   *protocol.Ledger // pending state: every accepted operation applied
	stateMu  sync.RWMutex     // guards sealed; only the sealer writes it
	sealed   *protocol.State  // state after the last sealed batch
	queue    []*pendingTx     // accepted, not sealed, in acceptance order
	deposits []entry          // priority-queue entries applied to the ledger, not sealed, in queue order
	oldest   time.Time        // when the oldest unsealed operation arrived

	keys        *protocol.KeyCache             // acceptance's signature checks: the senders' keys' share
	settings    *l1.Settings                   // the contract's fixed settings, read at start
	params      atomic.Pointer[l1.BatchParams] // the contract's batch parameters at a final block
	sealBlocked atomic.Uint64                  // batch number sealing last waited at (logged once)
	stuckAt     atomic.Uint64                  // 1 + queue index of a deposit that cannot be applied (logged once)
	sealCPU     atomic.Int64                   // nanoseconds of sealer CPU (SealCPU)
	sealedTxs   atomic.Uint64                  // transfers and withdrawals in the batches sealed

	reqs     chan *request   // submit → gather
	groups   chan []*request // gather → writer: groups with their signatures checked
	stores   chan *storeReq  // sealer → storer (its own connection)
	reloads  chan chan error // sealer → writer: reload the state after errDepositChanged
	sealReqs chan chan error
	sealErr  chan error
	ready    atomic.Bool
	cancel   context.CancelFunc
	done     chan struct{}
	runErr   error
	started  atomic.Bool

	storedMu  sync.Mutex
	stored    chan struct{} // closed when the writer stores a batch (storedSignal)
	rewinding chan struct{} // holds a token while a proof at an older batch is built
	// sealing is held from planning a batch to trimming the pending queue
	// after it is stored; the writer holds it to replace the pending state.
	sealing     chan struct{}
	depositWake chan struct{} // a deposits notification: compare with the table
	// sealPause, where a test sets it, holds each seal until the channel
	// closes, before the seal takes anything the writer may wait for.
	sealPause atomic.Pointer[chan struct{}]
}

type pendingTx struct {
	hash       common.Hash
	transfer   *protocol.Transfer
	withdrawal *protocol.Withdrawal
	watermark  uint64 // ledger.NextDeposit() at acceptance: deposits it may rely on
	receivedAt time.Time
}

func (p *pendingTx) from() uint32 {
	if p.transfer != nil {
		return p.transfer.From
	}
	return p.withdrawal.From
}

func (p *pendingTx) nonce() uint32 {
	if p.transfer != nil {
		return p.transfer.Nonce
	}
	return p.withdrawal.Nonce
}

type request struct {
	tx    *pendingTx
	sig   protocol.SigCheck // checked with its group's others (checkSignatures)
	reply chan error
}

// keyCacheSize is how many senders' keys acceptance keeps verification
// tables for (about 2 KB each).
const keyCacheSize = 4096

// minPoolConns is the least pool size Start accepts: the two connections
// the sequencer holds while active, and one its stores borrow.
const minPoolConns = 3

// New creates a sequencer; Start makes it active.
func New(cfg Config, pool *pgxpool.Pool, log *slog.Logger, reg prometheus.Registerer) (*Sequencer, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if cfg.Rollup == nil {
		return nil, errors.New("sequencer: no rollup contract to read the fee account from (Config.Rollup)")
	}
	if cfg.Circuit.Auto() && cfg.DAChooser == nil {
		return nil, errors.New("sequencer: an auto data-availability deployment needs a DAChooser to pick each batch's mode")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m, err := newMetrics(reg, cfg.Circuit)
	if err != nil {
		return nil, err
	}
	return &Sequencer{cfg: cfg, pool: pool, log: log, m: m, hub: newHub(), keys: protocol.NewKeyCache(keyCacheSize),
		reqs: make(chan *request, 4*cfg.GroupMax), groups: make(chan []*request), stores: make(chan *storeReq), reloads: make(chan chan error), sealReqs: make(chan chan error),
		sealErr: make(chan error, 1), done: make(chan struct{}), rewinding: make(chan struct{}, 1),
		sealing: make(chan struct{}, 1), depositWake: make(chan struct{}, 1)}, nil
}

var _ api.Backend = (*Sequencer)(nil)

// Start waits for the sequencer lock (a hot standby blocks here), loads the
// state from PostgreSQL and starts accepting. It returns once active.
func (s *Sequencer) Start(ctx context.Context) error {
	if !s.started.CompareAndSwap(false, true) {
		return errors.New("sequencer: already started")
	}
	// The writer and the notification listener each hold a connection for
	// as long as the sequencer runs; stores borrow a third.
	if n := s.pool.Config().MaxConns; n < minPoolConns {
		return fmt.Errorf("sequencer: the database pool has %d connections; it needs at least %d (writer, listener, stores) and more for the API's reads", n, minPoolConns)
	}
	if err := s.checkContract(ctx); err != nil {
		return err
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("sequencer: acquire connection: %w", err)
	}
	s.log.Info("waiting for the sequencer lock (hot standby until the active sequencer stops)", "lock", s.cfg.LockKey)
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", s.cfg.LockKey); err != nil {
		conn.Release()
		return fmt.Errorf("sequencer: advisory lock: %w", err)
	}
	s.log.Info("sequencer lock held: active")
	start := time.Now()
	if err := s.load(ctx, conn.Conn(), nil); err != nil {
		conn.Conn().Close(context.Background()) // drops the lock with the session
		conn.Release()
		return err
	}
	// Batches are stored on another connection, so that a store (tens of
	// milliseconds for several batches) does not hold up the group commits
	// of acceptance on the writer's; storeBatches fences it to the lock.
	fence := &lockFence{pid: conn.Conn().PgConn().PID(), key: s.cfg.LockKey}
	s.m.restart.Observe(time.Since(start).Seconds())
	s.log.Info("state loaded", "accounts", s.sealed.NumAccounts(), "batch", s.sealed.BatchNumber(),
		"pending", len(s.queue), "unsealed_deposits", len(s.deposits), "seconds", time.Since(start).Seconds())
	runCtx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.ready.Store(true)
	storeDone := make(chan struct{})
	go func() {
		defer close(storeDone)
		s.storeLoop(runCtx, fence)
	}()
	gatherDone := make(chan struct{})
	go func() {
		defer close(gatherDone)
		s.gather(runCtx)
	}()
	go func() {
		defer close(s.done)
		defer conn.Release()
		err := s.run(runCtx, conn.Conn())
		s.ready.Store(false)
		cancel() // the listener, the sealer and the storer end with the writer
		// A store in flight finishes (or fails) before the lock goes.
		<-storeDone
		<-gatherDone
		if err != nil {
			s.log.Error("sequencer stopped", "err", err)
			s.runErr = err
		}
		// Ending the session releases the lock so a standby takes over; a
		// pooled connection would keep holding it.
		conn.Conn().Close(context.Background())
	}()
	s.notified.Store(s.sealed.BatchNumber()) // before the sealer can seal
	go s.listen(runCtx)
	go s.paramsLoop(runCtx)
	go s.sealLoop(runCtx)
	s.wakeDeposits() // compare with the table once the writer runs
	return nil
}

// checkContract refuses a configuration that is not the contract's (the
// batches would never verify) and reads the batch parameters once.
func (s *Sequencer) checkContract(ctx context.Context) error {
	st, err := s.cfg.Rollup.Settings(ctx)
	if err != nil {
		return fmt.Errorf("sequencer: read the rollup contract: %w", err)
	}
	c := s.cfg
	switch {
	case st.ChainID != c.ChainID:
		return fmt.Errorf("%w: configured for chain %d, the L1 node is on chain %d", ErrContractMismatch, c.ChainID, st.ChainID)
	case st.Rollup != c.Contract:
		return fmt.Errorf("%w: configured for contract %s, reading %s", ErrContractMismatch, common.Address(c.Contract), st.Rollup)
	case st.Circuit != c.Circuit:
		return fmt.Errorf("%w: configured circuit %s, the rollup %s has circuit %s", ErrContractMismatch, c.Circuit, st.Rollup, st.Circuit)
	}
	s.settings = st
	p, err := s.cfg.Rollup.BatchParams(ctx)
	if err != nil {
		return fmt.Errorf("sequencer: read the rollup's batch parameters: %w", err)
	}
	s.params.Store(&p)
	return nil
}

// paramsLoop re-reads the batch parameters, at once (a standby that just
// took over holds the ones it read at start) and then every
// L1PollInterval. Older parameters are never wrong, only more cautious:
// what a final block settles does not change. An L1 error keeps the last
// ones.
func (s *Sequencer) paramsLoop(stop context.Context) {
	t := time.NewTicker(s.cfg.L1PollInterval)
	defer t.Stop()
	for {
		ctx, cancel := context.WithTimeout(stop, 30*time.Second)
		p, err := s.cfg.Rollup.BatchParams(ctx)
		cancel()
		switch {
		case err != nil && stop.Err() == nil:
			s.log.Warn("reading the rollup's batch parameters failed; keeping the last ones", "err", err)
		case err == nil && p.Block >= s.params.Load().Block:
			s.params.Store(&p)
		}
		select {
		case <-stop.Done():
			return
		case <-t.C:
		}
	}
}

// Stop stops accepting, finishes the group in flight and releases the lock.
func (s *Sequencer) Stop(ctx context.Context) error {
	if s.cancel == nil {
		return nil
	}
	s.ready.Store(false)
	s.cancel()
	select {
	case <-s.done:
	case <-ctx.Done():
		return ctx.Err()
	}
	return s.runErr
}

// Done is closed when the sequencer stops (after Stop or a fatal error).
func (s *Sequencer) Done() <-chan struct{} { return s.done }

// Err is the fatal error that stopped the sequencer, if any.
func (s *Sequencer) Err() error {
	select {
	case <-s.done:
		return s.runErr
	default:
		return nil
	}
}

// Ready reports whether the sequencer is active and accepting.
func (s *Sequencer) Ready() bool { return s.ready.Load() }

// load initialises or checks sequencer_state, rebuilds the sealed state
// from accounts and replays the unsealed deposits and transactions. prev
// is the unsealed deposits the pending transactions were accepted with, if
// known (a reload while running): transactions are re-checked without the
// deposits that changed since, and those that no longer apply are
// rejected; on a fresh start (nil) each is re-checked with the deposits up
// to its watermark.
func (s *Sequencer) load(ctx context.Context, c *pgx.Conn, prev []entry) error {
	cfgJSON, err := json.Marshal(s.cfg.Circuit)
	if err != nil {
		return err
	}
	if err := initState(ctx, c, s.cfg, cfgJSON, s.settings.GenesisState); err != nil {
		return fmt.Errorf("sequencer: init state: %w", err)
	}
	var (
		nextDeposit, lastBatch, chainID int64
		contract                        []byte
		dbCfg                           protocol.Config
	)
	// FOR SHARE: a store of the sequencer this one takes over from holds the
	// row until it commits or rolls back (storeBatches); wait for it.
	if err := c.QueryRow(ctx, `SELECT next_deposit, last_batch, chain_id, contract, config FROM sequencer_state FOR SHARE`).
		Scan(&nextDeposit, &lastBatch, &chainID, &contract, &dbCfg); err != nil {
		return fmt.Errorf("sequencer: read state: %w", err)
	}
	if uint64(chainID) != s.cfg.ChainID || [20]byte(contract) != s.cfg.Contract || dbCfg != s.cfg.Circuit {
		return fmt.Errorf("%w: database has chain %d contract %x circuit %s", ErrConfigMismatch, chainID, contract, dbCfg)
	}
	accounts, leaves, err := loadAccounts(ctx, c)
	if err != nil {
		return err
	}
	st, err := protocol.LoadStateWithLeaves(s.cfg.Circuit, s.cfg.ChainID, s.cfg.Contract, accounts, leaves, uint64(nextDeposit), uint64(lastBatch))
	if err != nil {
		return fmt.Errorf("sequencer: rebuild state: %w", err)
	}
	if lastBatch == 0 {
		if r := st.Root(); r.Bytes() != s.settings.GenesisRoot {
			return fmt.Errorf("%w: the accounts table is not the rollup's genesis state (root %x, the contract's genesis root %x)", ErrConfigMismatch, r.Bytes(), s.settings.GenesisRoot)
		}
	} else {
		var root []byte
		if err := c.QueryRow(ctx, `SELECT new_root FROM batches WHERE number = $1`, lastBatch).Scan(&root); err != nil {
			return fmt.Errorf("sequencer: last batch %d: %w", lastBatch, err)
		}
		if r := st.Root(); [32]byte(root) != r.Bytes() {
			return fmt.Errorf("sequencer: accounts table does not match batch %d's root", lastBatch)
		}
	}
	deposits, err := loadEntries(ctx, c, uint64(nextDeposit), len(prev)+depositBatch)
	if err != nil {
		return err
	}
	pending, err := loadPending(ctx, c)
	if err != nil {
		return err
	}
	marks := make([]uint64, len(pending))
	for i, p := range pending {
		marks[i] = p.watermark
	}
	s.mu.RLock()
	var accepted *protocol.Ledger // the pending state the transactions were accepted against
	if prev != nil {
		accepted = s.ledger
	}
	s.mu.RUnlock()
	ledger, kept, rejected, used, err := replay(st.Ledger.Clone(), deposits, pending, firstChange(prev, deposits), accepted, s.depositStuck)
	if err != nil {
		return err
	}
	if err := s.recordReplay(ctx, c, pending, marks, rejected); err != nil {
		return err
	}
	deposits = deposits[:used]
	s.mu.Lock()
	s.stateMu.Lock()
	s.sealed, s.ledger, s.queue, s.deposits = st, ledger, kept, deposits
	s.stateMu.Unlock()
	if len(kept) > 0 || len(deposits) > 0 {
		s.oldest = time.Now()
	}
	s.m.pending.Set(float64(len(kept)))
	s.mu.Unlock()
	s.announceRejected(ctx, rejected)
	return nil
}

func applyTx(l *protocol.Ledger, p *pendingTx) error {
	if p.transfer != nil {
		return l.ApplyTransfer(p.transfer, false)
	}
	return l.ApplyWithdrawal(p.withdrawal, false)
}

// run is the single writer: it commits groups of transactions, observes
// deposits and stores sealed batches, all through the lock-holding
// connection.
func (s *Sequencer) run(stop context.Context, c *pgx.Conn) error {
	// Work in flight finishes when Stop is called: stop only ends the loop
	// between operations, never a database transaction half way.
	ctx := context.WithoutCancel(stop)
	poll := time.NewTicker(s.cfg.PollInterval)
	defer poll.Stop()
	if err := s.pollDeposits(ctx, c); err != nil {
		return err
	}
	for {
		select {
		case <-stop.Done():
			s.drain(api.ErrUnavailable)
			return nil
		case g := <-s.groups:
			if err := s.group(ctx, c, g); err != nil {
				return err
			}
		case r := <-s.reloads:
			if err := s.reload(ctx, c, r); err != nil {
				return err
			}
		case err := <-s.sealErr:
			return err
		case <-s.depositWake:
			if err := s.syncDeposits(ctx, c); err != nil {
				return err
			}
		case <-poll.C:
			// Also the liveness check of the lock's session: an error here
			// (PostgreSQL restarted) stops the sequencer within a poll.
			if err := s.pollDeposits(ctx, c); err != nil {
				return fmt.Errorf("sequencer: database session (it holds the sequencer lock): %w", err)
			}
		}
	}
}

// storeLoop stores the sealer's batches, each store on a connection
// borrowed from the pool for it and fenced to the writer's lock
// (storeBatches), until stop. A failed store is the sealer's to report: it
// stops the sequencer through sealErr.
func (s *Sequencer) storeLoop(stop context.Context, fence *lockFence) {
	// A store in flight finishes when Stop is called: never half a
	// transaction.
	ctx := context.WithoutCancel(stop)
	for {
		select {
		case <-stop.Done():
			return
		case r := <-s.stores:
			var err error
			// Borrowed, not held: a pool shared with other services (the
			// watcher, the API's reads) keeps its connections between stores.
			// Waiting for one ends with Stop; nothing is written then.
			c, aerr := s.pool.Acquire(stop)
			if aerr != nil {
				err = fmt.Errorf("%w: no connection for the store: %v", api.ErrUnavailable, aerr)
			} else {
				err = storeBatches(ctx, c.Conn(), r.items, fence)
				c.Release()
			}
			if err == nil {
				// Before the reply, so that a seal that has returned has
				// also woken the proof waiters (storedSignal).
				s.signalStored()
			}
			r.reply <- err
		}
	}
}

// reload rebuilds the state from the database for the sealer after a store
// found a deposit of its batches no longer stored as applied: nothing was
// written, the sealed state already holds the batches, and the sealer
// plans again once this returns. It runs on the writer, the only
// goroutine that may replace the pending state under a group commit.
func (s *Sequencer) reload(ctx context.Context, c *pgx.Conn, reply chan error) error {
	s.mu.RLock()
	prev := append([]entry(nil), s.deposits...)
	s.mu.RUnlock()
	if err := s.load(ctx, c, prev); err != nil {
		reply <- err
		return err
	}
	s.m.depositReorgs.Inc()
	s.signalStored() // the sealed state is the database's again: waiters may retry
	reply <- nil
	return nil
}

// drain answers requests still queued when the writer stops.
func (s *Sequencer) drain(err error) {
	for {
		select {
		case r := <-s.reqs:
			r.reply <- err
		default:
			return
		}
	}
}
