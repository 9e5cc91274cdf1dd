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
var ErrContractMismatch = errors.New("sequencer configuration does not match the rollup contract")

// Sequencer is the single writer of a rollup's database.
type Sequencer struct {
	cfg  Config
	pool *pgxpool.Pool
	log  *slog.Logger
	m    *metrics
	hub  *hub

	mu       sync.RWMutex
	ledger   *protocol.Ledger   // pending state: every accepted operation applied
	stateMu  sync.RWMutex       // guards sealed; only the sealer writes it
	sealed   *protocol.State    // state after the last sealed batch
	queue    []*pendingTx       // accepted, not sealed, in acceptance order
	deposits []protocol.Deposit // applied to the ledger, not sealed, in queue order
	oldest   time.Time          // when the oldest unsealed operation arrived

	settings    *l1.Settings                   // the contract's fixed settings, read at start
	params      atomic.Pointer[l1.BatchParams] // the contract's batch parameters at a final block
	sealBlocked atomic.Uint64                  // batch number sealing last waited at (logged once)
	stuckAt     atomic.Uint64                  // 1 + queue index of a deposit that cannot be applied (logged once)

	reqs     chan *request
	stores   chan *storeReq
	sealReqs chan chan error
	sealErr  chan error
	ready    atomic.Bool
	cancel   context.CancelFunc
	done     chan struct{}
	runErr   error
	started  atomic.Bool
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
	reply chan error
}

// New creates a sequencer; Start makes it active.
func New(cfg Config, pool *pgxpool.Pool, log *slog.Logger, reg prometheus.Registerer) (*Sequencer, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if cfg.Rollup == nil {
		return nil, errors.New("sequencer: no rollup contract to read the fee account from (Config.Rollup)")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	return &Sequencer{cfg: cfg, pool: pool, log: log, m: m, hub: newHub(),
		reqs: make(chan *request, 4*cfg.GroupMax), stores: make(chan *storeReq), sealReqs: make(chan chan error),
		sealErr: make(chan error, 1), done: make(chan struct{})}, nil
}

var _ api.Backend = (*Sequencer)(nil)

// Start waits for the sequencer lock (a hot standby blocks here), loads the
// state from PostgreSQL and starts accepting. It returns once active.
func (s *Sequencer) Start(ctx context.Context) error {
	if !s.started.CompareAndSwap(false, true) {
		return errors.New("sequencer: already started")
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
	if err := s.load(ctx, conn.Conn()); err != nil {
		conn.Conn().Close(context.Background()) // drops the lock with the session
		conn.Release()
		return err
	}
	s.m.restart.Observe(time.Since(start).Seconds())
	s.log.Info("state loaded", "accounts", s.sealed.NumAccounts(), "batch", s.sealed.BatchNumber(),
		"pending", len(s.queue), "unsealed_deposits", len(s.deposits), "seconds", time.Since(start).Seconds())
	runCtx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.ready.Store(true)
	go func() {
		defer close(s.done)
		defer conn.Release()
		err := s.run(runCtx, conn.Conn())
		s.ready.Store(false)
		if err != nil {
			s.log.Error("sequencer stopped", "err", err)
			s.runErr = err
		}
		// Ending the session releases the lock so a standby takes over; a
		// pooled connection would keep holding it.
		conn.Conn().Close(context.Background())
	}()
	go s.listen(runCtx)
	go s.paramsLoop(runCtx)
	go s.sealLoop(runCtx)
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
// from accounts and replays the unsealed deposits and transactions.
func (s *Sequencer) load(ctx context.Context, c *pgx.Conn) error {
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
	if err := c.QueryRow(ctx, `SELECT next_deposit, last_batch, chain_id, contract, config FROM sequencer_state`).
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
	deposits, err := loadDeposits(ctx, c, uint64(nextDeposit))
	if err != nil {
		return err
	}
	pending, err := loadPending(ctx, c)
	if err != nil {
		return err
	}
	ledger := st.Ledger.Clone()
	di := 0
	applyDepositsTo := func(mark uint64) error {
		for di < len(deposits) && ledger.NextDeposit() < mark {
			if _, _, err := ledger.ApplyDeposit(deposits[di]); err != nil {
				return fmt.Errorf("sequencer: replay deposit %d: %w", deposits[di].QueueIndex, err)
			}
			di++
		}
		return nil
	}
	for _, p := range pending {
		if err := applyDepositsTo(p.watermark); err != nil {
			return err
		}
		if err := applyTx(ledger, p); err != nil {
			return fmt.Errorf("sequencer: replay transaction %x: %w", p.hash, err)
		}
	}
	// Deposits no transaction relies on: one that cannot be applied holds
	// the queue (depositStuck) rather than the whole sequencer.
	for di < len(deposits) {
		if _, _, err := ledger.ApplyDeposit(deposits[di]); err != nil {
			s.depositStuck(deposits[di], err)
			break
		}
		di++
	}
	deposits = deposits[:di]
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sealed, s.ledger, s.queue, s.deposits = st, ledger, pending, deposits
	if len(pending) > 0 || len(deposits) > 0 {
		s.oldest = time.Now()
	}
	s.m.pending.Set(float64(len(pending)))
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
		case r := <-s.reqs:
			if err := s.group(ctx, c, r); err != nil {
				return err
			}
		case r := <-s.stores:
			err := storeBatch(ctx, c, r.b, r.witness, r.txs, s.sealed)
			r.reply <- err
			if err != nil {
				return err
			}
		case err := <-s.sealErr:
			return err
		case <-poll.C:
			if err := s.pollDeposits(ctx, c); err != nil {
				return err
			}
		}
	}
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
