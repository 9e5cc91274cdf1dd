// Package watcher follows the rollup contract's priority queue on L1
// (Deposit and ForcedExitRequested events) and stores each confirmed entry
// in PostgreSQL's deposits or forced_exits table, where the sequencer picks
// it up. It is idempotent by queue index, survives restarts (a cursor row in
// watcher_state) and reorgs (block hashes are compared before stored entries
// are trusted; unsealed entries of a removed block are deleted and the range
// re-scanned).
package watcher

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/big"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/protocol"
)

// Client is what the watcher needs from an L1 node; *ethclient.Client and
// the simulated backend's client implement it.
type Client interface {
	BlockNumber(ctx context.Context) (uint64, error)
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
	FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error)
	CallContract(ctx context.Context, msg ethereum.CallMsg, block *big.Int) ([]byte, error)
}

// Config of a watcher.
type Config struct {
	Contract common.Address // the rollup
	// Finalized: a deposit is stored once its block is at or below the
	// node's "finalized" block (L1 finality: the sequencer never builds on
	// a deposit that a reorg can remove). A node that does not serve the
	// finalized tag (some devnets) is followed with Confirmations instead,
	// with a warning at start.
	Finalized bool
	// Confirmations: without Finalized (or as its fallback), a deposit is
	// stored once its block has this many blocks on top of it (0: at the
	// head). Devnets with instant or fast blocks use a small number.
	Confirmations uint64
	PollInterval  time.Duration
	// FromBlock is where an empty database starts scanning (the rollup's
	// deployment block, deployment.json's "block").
	FromBlock uint64
	// BatchBlocks is the most blocks one eth_getLogs covers.
	BatchBlocks uint64
	// LockKey is the advisory lock that elects the one active watcher.
	LockKey int64
}

// DefaultConfig: Contract and FromBlock must be set.
var DefaultConfig = Config{
	Finalized:     true,
	Confirmations: FallbackConfirmations,
	PollInterval:  4 * time.Second,
	BatchBlocks:   2000,
	LockKey:       0x5e4f_0005,
}

// FallbackConfirmations is the depth used when the node does not serve
// the finalized tag: two 32-slot epochs, about when Ethereum finalizes.
const FallbackConfirmations = 64

// Check validates the configuration.
func (c Config) Check() error {
	switch {
	case c.Contract == (common.Address{}):
		return errors.New("watcher: no contract address")
	case c.PollInterval <= 0:
		return errors.New("watcher: poll interval must be positive")
	case c.BatchBlocks == 0:
		return errors.New("watcher: batch blocks must be positive")
	case c.Confirmations > 1024:
		return fmt.Errorf("watcher: %d confirmations is beyond any sane reorg depth", c.Confirmations)
	}
	return nil
}

// ErrSealedDepositReorged: a reorg removed the block of a deposit that a
// sealed batch consumed. The batch cannot be accepted against the new
// queue (or the L2 state no longer matches L1); an operator must look.
var ErrSealedDepositReorged = errors.New("watcher: a reorg removed a deposit that a sealed batch consumed")

// ErrDepositMismatch: L1 reports a deposit whose content differs from the
// stored row of the same queue index.
var ErrDepositMismatch = errors.New("watcher: L1 deposit differs from the stored one")

// ErrContractMismatch: the database was written for another contract.
var ErrContractMismatch = errors.New("watcher: database belongs to another rollup contract")

type metrics struct {
	head, lag, cursor prometheus.Gauge
	deposits, reorgs  prometheus.Counter
	removed, critical prometheus.Counter
	rpcErrors         prometheus.Counter
	// The priority queue at the L1 head: unconsumed entries and the oldest
	// one's seconds to expiry (+Inf when none waits; negative: overdue,
	// anyone may start exodus mode).
	queueOpen, queueExpiry prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		head:      prometheus.NewGauge(prometheus.GaugeOpts{Name: "sheaf_watcher_head_block", Help: "Latest L1 block number seen."}),
		lag:       prometheus.NewGauge(prometheus.GaugeOpts{Name: "sheaf_watcher_lag_blocks", Help: "L1 head minus the last block whose deposits are stored (at least the confirmation depth)."}),
		cursor:    prometheus.NewGauge(prometheus.GaugeOpts{Name: "sheaf_watcher_scanned_block", Help: "Last L1 block whose deposits are stored."}),
		deposits:  prometheus.NewCounter(prometheus.CounterOpts{Name: "sheaf_watcher_deposits_total", Help: "Deposits stored (new rows)."}),
		reorgs:    prometheus.NewCounter(prometheus.CounterOpts{Name: "sheaf_watcher_reorgs_total", Help: "Reorgs detected below the cursor."}),
		removed:   prometheus.NewCounter(prometheus.CounterOpts{Name: "sheaf_watcher_deposits_removed_total", Help: "Unsealed deposits deleted because a reorg removed their block."}),
		critical:  prometheus.NewCounter(prometheus.CounterOpts{Name: "sheaf_watcher_critical_errors_total", Help: "Errors that stopped the watcher (a sealed deposit reorged, a deposit differing from the stored one)."}),
		rpcErrors: prometheus.NewCounter(prometheus.CounterOpts{Name: "sheaf_watcher_rpc_errors_total", Help: "Failed L1 polls (retried at the next interval)."}),
		queueOpen: prometheus.NewGauge(prometheus.GaugeOpts{Name: "sheaf_watcher_queue_entries", Help: "Priority-queue entries (deposits, forced exits) not yet consumed by a batch, at the L1 head."}),
		queueExpiry: prometheus.NewGauge(prometheus.GaugeOpts{Name: "sheaf_watcher_queue_expiry_seconds",
			Help: "Seconds until the oldest unconsumed priority-queue entry expires (+Inf: none; at or below 0 anyone may start exodus mode)."}),
	}
	if reg != nil {
		reg.MustRegister(m.head, m.lag, m.cursor, m.deposits, m.reorgs, m.removed, m.critical, m.rpcErrors, m.queueOpen, m.queueExpiry)
	}
	return m
}

// Watcher follows Deposit events into the deposits table.
type Watcher struct {
	cfg    Config
	client Client
	pool   *pgxpool.Pool
	log    *slog.Logger
	m      *metrics
	abi    *bindings.Rollup
	topic  common.Hash // Deposit
	fTopic common.Hash // ForcedExitRequested
	// expiry is the contract's priorityExpiry (seconds), read at Start: a
	// deposit's expiry is its block's time plus it (0: unknown, stored NULL).
	expiry uint64

	started atomic.Bool
	ready   atomic.Bool
	cancel  context.CancelFunc
	done    chan struct{}
	syncReq chan chan error
	errMu   sync.Mutex
	runErr  error

	// Owned by the run goroutine.
	next      uint64       // first block not yet scanned
	prevHash  *common.Hash // hash of block next-1 as stored (nil: nothing scanned)
	finalized bool         // following the node's finalized block (decided at Start)
}

// New makes a watcher; Start runs it.
func New(cfg Config, client Client, pool *pgxpool.Pool, log *slog.Logger, reg prometheus.Registerer) (*Watcher, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := bindings.NewRollup()
	parsed, err := abi.JSON(strings.NewReader(bindings.RollupMetaData.ABI))
	if err != nil {
		return nil, fmt.Errorf("watcher: rollup ABI: %w", err)
	}
	ev, ok := parsed.Events[bindings.RollupDepositEventName]
	if !ok {
		return nil, errors.New("watcher: Deposit event missing from the rollup ABI")
	}
	fev, ok := parsed.Events[bindings.RollupForcedExitRequestedEventName]
	if !ok {
		return nil, errors.New("watcher: ForcedExitRequested event missing from the rollup ABI")
	}
	return &Watcher{cfg: cfg, client: client, pool: pool, log: log, m: newMetrics(reg), abi: r,
		topic: ev.ID, fTopic: fev.ID, done: make(chan struct{}), syncReq: make(chan chan error)}, nil
}

// Start waits for the watcher lock (a second watcher on the same database
// blocks here as a standby), loads the cursor, checks the stored unsealed
// deposits against the chain, and starts polling. It returns once active.
func (w *Watcher) Start(ctx context.Context) error {
	if !w.started.CompareAndSwap(false, true) {
		return errors.New("watcher: already started")
	}
	conn, err := w.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("watcher: acquire connection: %w", err)
	}
	w.log.Info("waiting for the watcher lock (standby until the active watcher stops)", "lock", w.cfg.LockKey)
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", w.cfg.LockKey); err != nil {
		conn.Release()
		return fmt.Errorf("watcher: advisory lock: %w", err)
	}
	fail := func(err error) error {
		conn.Conn().Close(context.Background()) // drops the lock with the session
		conn.Release()
		return err
	}
	if err := w.load(ctx, conn.Conn()); err != nil {
		return fail(err)
	}
	if err := w.verifyUnsealed(ctx, conn.Conn()); err != nil {
		if isCritical(err) {
			w.m.critical.Inc()
		}
		return fail(err)
	}
	if err := w.chooseFinality(ctx); err != nil {
		return fail(err)
	}
	if err := w.readExpiry(ctx); err != nil {
		return fail(err)
	}
	w.log.Info("watcher lock held: active", "contract", w.cfg.Contract, "next_block", w.next, "finality", w.finality())
	runCtx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel
	w.ready.Store(true)
	go func() {
		defer close(w.done)
		defer conn.Release()
		err := w.run(runCtx, conn.Conn())
		w.ready.Store(false)
		if err != nil {
			w.log.Error("watcher stopped", "err", err)
			w.errMu.Lock()
			w.runErr = err
			w.errMu.Unlock()
		}
		// Ending the session releases the lock so a standby takes over.
		conn.Conn().Close(context.Background())
	}()
	return nil
}

// finalizedTag asks a node for its finalized block.
var finalizedTag = big.NewInt(int64(rpc.FinalizedBlockNumber))

// chooseFinality decides, once, how deposits are confirmed: by the node's
// finalized block when it serves one, else by Confirmations.
func (w *Watcher) chooseFinality(ctx context.Context) error {
	if !w.cfg.Finalized {
		return nil
	}
	hdr, err := w.client.HeaderByNumber(ctx, finalizedTag)
	var rpcErr rpc.Error
	switch {
	case err == nil && hdr != nil:
		w.finalized = true
	case errors.Is(err, ethereum.NotFound) || errors.As(err, &rpcErr):
		w.log.Warn("the L1 node does not serve the finalized block: following a fixed depth instead",
			"confirmations", w.cfg.Confirmations, "err", err)
	default:
		return fmt.Errorf("watcher: finalized block: %w", err)
	}
	return nil
}

// readExpiry reads the contract's priority expiry once (it is immutable).
func (w *Watcher) readExpiry(ctx context.Context) error {
	to := w.cfg.Contract
	out, err := w.client.CallContract(ctx, ethereum.CallMsg{To: &to, Data: w.abi.PackPriorityExpiry()}, nil)
	if err != nil {
		return fmt.Errorf("watcher: priorityExpiry: %w", err)
	}
	if w.expiry, err = w.abi.UnpackPriorityExpiry(out); err != nil {
		return fmt.Errorf("watcher: priorityExpiry: %w", err)
	}
	return nil
}

// queueBlocks lists the blocks of stored queue entries, both kinds.
const queueBlocks = `SELECT l1_block, l1_block_hash FROM deposits WHERE %[1]s
	UNION SELECT l1_block, l1_block_hash FROM forced_exits WHERE %[1]s`

func (w *Watcher) finality() string {
	if w.finalized {
		return "finalized"
	}
	return fmt.Sprintf("%d confirmations", w.cfg.Confirmations)
}

// Stop stops polling and releases the lock.
func (w *Watcher) Stop(ctx context.Context) error {
	if w.cancel == nil {
		return nil
	}
	w.cancel()
	select {
	case <-w.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Done is closed when the watcher has stopped (Stop or a fatal error).
func (w *Watcher) Done() <-chan struct{} { return w.done }

// Err is the error that stopped the watcher (nil after Stop).
func (w *Watcher) Err() error {
	w.errMu.Lock()
	defer w.errMu.Unlock()
	return w.runErr
}

// Ready reports whether this watcher holds the lock and is polling.
func (w *Watcher) Ready() bool { return w.ready.Load() }

// Sync polls now and returns once the chain, as of now, is stored up to
// head − Confirmations (tests, operators). RPC errors are returned, not
// retried.
func (w *Watcher) Sync(ctx context.Context) error {
	r := make(chan error, 1)
	select {
	case w.syncReq <- r:
	case <-ctx.Done():
		return ctx.Err()
	case <-w.done:
		return fmt.Errorf("watcher: stopped: %w", w.Err())
	}
	select {
	case err := <-r:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func isCritical(err error) bool {
	return errors.Is(err, ErrSealedDepositReorged) || errors.Is(err, ErrDepositMismatch) || errors.Is(err, ErrContractMismatch)
}

// run polls until ctx ends. L1 errors are retried at the next interval;
// database errors (the lock's session may be gone) and critical errors stop
// the watcher.
func (w *Watcher) run(ctx context.Context, c *pgx.Conn) error {
	t := time.NewTicker(w.cfg.PollInterval)
	defer t.Stop()
	var reply chan error
	for {
		err := w.poll(ctx, c)
		if reply != nil {
			reply <- err
			reply = nil
		}
		if ctx.Err() != nil {
			return nil
		}
		var rpcErr *l1Error
		switch {
		case err == nil:
		case errors.As(err, &rpcErr):
			w.m.rpcErrors.Inc()
			w.log.Warn("L1 poll failed; retrying", "err", err)
		default:
			if isCritical(err) {
				w.m.critical.Inc()
				w.log.Error("CRITICAL: watcher stopping; operator action needed", "err", err)
			}
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case reply = <-w.syncReq:
		}
	}
}

// l1Error marks a failed L1 call: transient, retried.
type l1Error struct{ err error }

func (e *l1Error) Error() string { return "L1: " + e.err.Error() }
func (e *l1Error) Unwrap() error { return e.err }

func l1Err(err error) error {
	if err == nil {
		return nil
	}
	return &l1Error{err}
}

// load reads the cursor (or starts at FromBlock).
func (w *Watcher) load(ctx context.Context, c *pgx.Conn) error {
	var (
		contract, hash []byte
		block          int64
	)
	err := c.QueryRow(ctx, `SELECT contract, block, block_hash FROM watcher_state`).Scan(&contract, &block, &hash)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		w.next, w.prevHash = w.cfg.FromBlock, nil
		return nil
	case err != nil:
		return fmt.Errorf("watcher: load state: %w", err)
	}
	if common.BytesToAddress(contract) != w.cfg.Contract {
		return fmt.Errorf("%w: stored %s, configured %s", ErrContractMismatch, common.BytesToAddress(contract), w.cfg.Contract)
	}
	h := common.BytesToHash(hash)
	w.next, w.prevHash = uint64(block)+1, &h
	return nil
}

// verifyUnsealed compares the block hash of every stored unsealed deposit
// with the chain's and rewinds below the lowest one that changed.
func (w *Watcher) verifyUnsealed(ctx context.Context, c *pgx.Conn) error {
	rows, err := c.Query(ctx, fmt.Sprintf(queueBlocks, "batch_number IS NULL AND l1_block_hash IS NOT NULL")+` ORDER BY l1_block`)
	if err != nil {
		return fmt.Errorf("watcher: unsealed deposits: %w", err)
	}
	type bh struct {
		n uint64
		h common.Hash
	}
	var blocks []bh
	for rows.Next() {
		var (
			n int64
			h []byte
		)
		if err := rows.Scan(&n, &h); err != nil {
			rows.Close()
			return fmt.Errorf("watcher: unsealed deposits: %w", err)
		}
		blocks = append(blocks, bh{uint64(n), common.BytesToHash(h)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("watcher: unsealed deposits: %w", err)
	}
	for _, b := range blocks {
		hdr, err := w.client.HeaderByNumber(ctx, new(big.Int).SetUint64(b.n))
		if err != nil && !errors.Is(err, ethereum.NotFound) {
			return fmt.Errorf("watcher: header %d: %w", b.n, err)
		}
		if hdr == nil || hdr.Hash() != b.h {
			w.log.Warn("stored deposit's block is no longer canonical", "block", b.n, "stored_hash", b.h)
			return w.rewind(ctx, c, b.n)
		}
	}
	return nil
}

// checkCursor detects a reorg below the cursor and rewinds to the highest
// stored block that is still canonical.
func (w *Watcher) checkCursor(ctx context.Context, c *pgx.Conn) error {
	if w.prevHash == nil || w.next == 0 {
		return nil
	}
	n := w.next - 1
	hdr, err := w.client.HeaderByNumber(ctx, new(big.Int).SetUint64(n))
	if err != nil && !errors.Is(err, ethereum.NotFound) {
		return l1Err(err)
	}
	if hdr != nil && hdr.Hash() == *w.prevHash {
		return nil
	}
	w.log.Warn("reorg below the watcher cursor", "block", n, "stored_hash", *w.prevHash)
	// The highest stored deposit block that is still canonical bounds the
	// reorg from below (blocks chain by hash).
	rows, err := c.Query(ctx, fmt.Sprintf(queueBlocks, "l1_block <= $1 AND l1_block_hash IS NOT NULL")+` ORDER BY l1_block DESC`, int64(n))
	if err != nil {
		return fmt.Errorf("watcher: reorg: %w", err)
	}
	type bh struct {
		n uint64
		h common.Hash
	}
	var blocks []bh
	for rows.Next() {
		var (
			b int64
			h []byte
		)
		if err := rows.Scan(&b, &h); err != nil {
			rows.Close()
			return fmt.Errorf("watcher: reorg: %w", err)
		}
		blocks = append(blocks, bh{uint64(b), common.BytesToHash(h)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("watcher: reorg: %w", err)
	}
	from := w.cfg.FromBlock // nothing stored survives: rescan everything
	for _, b := range blocks {
		hdr, err := w.client.HeaderByNumber(ctx, new(big.Int).SetUint64(b.n))
		if err != nil && !errors.Is(err, ethereum.NotFound) {
			return l1Err(err)
		}
		if hdr != nil && hdr.Hash() == b.h {
			from = b.n + 1
			break
		}
	}
	return w.rewind(ctx, c, from)
}

// rewind forgets everything from block `from` on: deletes the unsealed
// deposits of those blocks and moves the cursor to from-1. A sealed deposit
// there is a critical error.
func (w *Watcher) rewind(ctx context.Context, c *pgx.Conn, from uint64) error {
	w.m.reorgs.Inc()
	if from < w.cfg.FromBlock {
		from = w.cfg.FromBlock
	}
	tx, err := c.Begin(ctx)
	if err != nil {
		return fmt.Errorf("watcher: rewind: %w", err)
	}
	defer tx.Rollback(context.Background())
	// Lock the rows first: a sequencer sealing one of them right now either
	// commits before (and the sealed row is seen here) or waits and then
	// finds it gone; it never consumes a deposit deleted under it.
	var removed int64
	for _, table := range []string{"deposits", "forced_exits"} {
		rows, err := tx.Query(ctx, `SELECT queue_index, batch_number FROM `+table+`
			WHERE l1_block >= $1 ORDER BY queue_index FOR UPDATE`, int64(from))
		if err != nil {
			return fmt.Errorf("watcher: rewind: %w", err)
		}
		var sealed, batch *int64
		for rows.Next() {
			var q int64
			var b *int64
			if err := rows.Scan(&q, &b); err != nil {
				rows.Close()
				return fmt.Errorf("watcher: rewind: %w", err)
			}
			if b != nil && sealed == nil {
				sealed, batch = &q, b
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("watcher: rewind: %w", err)
		}
		if sealed != nil {
			return fmt.Errorf("%w: queue entry %d (%s, batch %d) was in a block at or after %d", ErrSealedDepositReorged, *sealed, table, *batch, from)
		}
	}
	for _, table := range []string{"deposits", "forced_exits"} {
		tag, err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE l1_block >= $1 AND batch_number IS NULL`, int64(from))
		if err != nil {
			return fmt.Errorf("watcher: rewind: %w", err)
		}
		removed += tag.RowsAffected()
	}
	var prev *common.Hash
	if from > w.cfg.FromBlock {
		// The block below `from` is canonical (checked by the caller, or
		// below every removed deposit): take its hash now.
		hdr, err := w.client.HeaderByNumber(ctx, new(big.Int).SetUint64(from-1))
		if err != nil {
			return l1Err(err)
		}
		h := hdr.Hash()
		prev = &h
		if _, err := tx.Exec(ctx, `INSERT INTO watcher_state (contract, block, block_hash) VALUES ($1, $2, $3)
			ON CONFLICT (id) DO UPDATE SET block = EXCLUDED.block, block_hash = EXCLUDED.block_hash`,
			w.cfg.Contract.Bytes(), int64(from-1), h.Bytes()); err != nil {
			return fmt.Errorf("watcher: rewind: %w", err)
		}
	} else if _, err := tx.Exec(ctx, `DELETE FROM watcher_state`); err != nil {
		return fmt.Errorf("watcher: rewind: %w", err)
	}
	if removed > 0 {
		// Wake the sequencer: rows it may have read are gone.
		if _, err := tx.Exec(ctx, `SELECT pg_notify('sheaf_deposits', $1)`, fmt.Sprintf("reorg %d", from)); err != nil {
			return fmt.Errorf("watcher: rewind: %w", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("watcher: rewind: %w", err)
	}
	w.m.removed.Add(float64(removed))
	w.log.Warn("rewound after a reorg", "from_block", from, "deleted_unsealed_entries", removed)
	w.next, w.prevHash = from, prev
	return nil
}

// poll brings the table up to the node's finalized block (or head −
// Confirmations).
func (w *Watcher) poll(ctx context.Context, c *pgx.Conn) error {
	// The lock lives with this session: a session lost to a PostgreSQL
	// restart must stop the watcher now, not at the next deposit.
	if err := c.Ping(ctx); err != nil {
		return fmt.Errorf("watcher: database session (it holds the watcher lock): %w", err)
	}
	head, err := w.client.BlockNumber(ctx)
	if err != nil {
		return l1Err(err)
	}
	w.m.head.Set(float64(head))
	if err := w.queueMetrics(ctx); err != nil {
		return l1Err(err)
	}
	if err := w.checkCursor(ctx, c); err != nil {
		return err
	}
	defer func() {
		w.m.cursor.Set(float64(w.next) - 1)
		w.m.lag.Set(float64(head) - (float64(w.next) - 1))
	}()
	var target uint64
	if w.finalized {
		hdr, err := w.client.HeaderByNumber(ctx, finalizedTag)
		if err != nil {
			return l1Err(fmt.Errorf("finalized block: %w", err))
		}
		target = hdr.Number.Uint64()
	} else {
		if head < w.cfg.Confirmations {
			return nil
		}
		target = head - w.cfg.Confirmations
	}
	for w.next <= target {
		if err := ctx.Err(); err != nil {
			return err
		}
		end := min(target, w.next+w.cfg.BatchBlocks-1)
		if err := w.scan(ctx, c, w.next, end); err != nil {
			return err
		}
	}
	return nil
}

// scan stores the deposits of blocks [from, end] and moves the cursor to
// end, in one transaction.
func (w *Watcher) scan(ctx context.Context, c *pgx.Conn, from, end uint64) error {
	endHdr, err := w.client.HeaderByNumber(ctx, new(big.Int).SetUint64(end))
	if err != nil {
		return l1Err(err)
	}
	// The range must extend the stored chain (a reorg since checkCursor).
	if w.prevHash != nil {
		start := endHdr
		if from != end {
			if start, err = w.client.HeaderByNumber(ctx, new(big.Int).SetUint64(from)); err != nil {
				return l1Err(err)
			}
		}
		if start.ParentHash != *w.prevHash {
			if err := w.checkCursor(ctx, c); err != nil {
				return err
			}
			return l1Err(fmt.Errorf("block %d does not extend the stored block %d (reorg during the poll)", from, from-1))
		}
	}
	logs, err := w.client.FilterLogs(ctx, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(from), ToBlock: new(big.Int).SetUint64(end),
		Addresses: []common.Address{w.cfg.Contract}, Topics: [][]common.Hash{{w.topic, w.fTopic}},
	})
	if err != nil {
		return l1Err(err)
	}
	// The logs and the cursor hash must come from one chain: the end block
	// unchanged after the query means the node served that chain.
	again, err := w.client.HeaderByNumber(ctx, new(big.Int).SetUint64(end))
	if err != nil {
		return l1Err(err)
	}
	if again.Hash() != endHdr.Hash() {
		return l1Err(fmt.Errorf("block %d changed during the scan (reorg in progress)", end))
	}
	// A deposit's expiry is its block's time plus the priority expiry, as
	// the contract computes it.
	times := map[uint64]uint64{end: endHdr.Time}
	blockTime := func(n uint64) (uint64, error) {
		if t, ok := times[n]; ok {
			return t, nil
		}
		hdr, err := w.client.HeaderByNumber(ctx, new(big.Int).SetUint64(n))
		if err != nil {
			return 0, l1Err(err)
		}
		times[n] = hdr.Time
		return hdr.Time, nil
	}
	tx, err := c.Begin(ctx)
	if err != nil {
		return fmt.Errorf("watcher: store: %w", err)
	}
	defer tx.Rollback(context.Background())
	added := 0
	for i := range logs {
		lg := &logs[i]
		if lg.Removed {
			continue
		}
		if lg.BlockNumber < from || lg.BlockNumber > end {
			return l1Err(fmt.Errorf("log of block %d outside the range %d-%d", lg.BlockNumber, from, end))
		}
		var ok bool
		switch {
		case len(lg.Topics) > 0 && lg.Topics[0] == w.fTopic:
			ev, err := w.abi.UnpackForcedExitRequestedEvent(lg)
			if err != nil {
				return fmt.Errorf("watcher: decode ForcedExitRequested in tx %s: %w", lg.TxHash, err)
			}
			if ok, err = w.storeForcedExit(ctx, tx, ev, lg); err != nil {
				return err
			}
		default:
			ev, err := w.abi.UnpackDepositEvent(lg)
			if err != nil {
				return fmt.Errorf("watcher: decode Deposit in tx %s: %w", lg.TxHash, err)
			}
			var expiry *int64
			if w.expiry > 0 {
				t, err := blockTime(lg.BlockNumber)
				if err != nil {
					return err
				}
				e := int64(t + w.expiry)
				expiry = &e
			}
			if ok, err = w.store(ctx, tx, ev, lg, expiry); err != nil {
				return err
			}
		}
		if ok {
			added++
		}
	}
	h := endHdr.Hash()
	if _, err := tx.Exec(ctx, `INSERT INTO watcher_state (contract, block, block_hash) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET block = EXCLUDED.block, block_hash = EXCLUDED.block_hash`,
		w.cfg.Contract.Bytes(), int64(end), h.Bytes()); err != nil {
		return fmt.Errorf("watcher: store cursor: %w", err)
	}
	if added > 0 {
		if _, err := tx.Exec(ctx, `SELECT pg_notify('sheaf_deposits', $1)`, fmt.Sprint(end)); err != nil {
			return fmt.Errorf("watcher: notify: %w", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("watcher: store: %w", err)
	}
	w.next, w.prevHash = end+1, &h
	if added > 0 {
		w.m.deposits.Add(float64(added))
		w.log.Info("priority-queue entries stored", "count", added, "from_block", from, "to_block", end)
	}
	return nil
}

// store inserts one deposit; an existing row of the same queue index must
// hold the same key and amount. It reports whether a row was added.
func (w *Watcher) store(ctx context.Context, tx pgx.Tx, ev *bindings.RollupDeposit, lg *types.Log, expiry *int64) (bool, error) {
	// The contract validated the key; rebuilding it checks the event's two
	// halves agree (and that the sequencer will be able to decode it).
	pk, err := protocol.PublicKeyFromParts(ev.PubKey[:], common.LeftPadBytes(ev.PubKeyX.Bytes(), 32))
	if err != nil {
		return false, fmt.Errorf("%w: deposit %d carries an invalid key: %v", ErrDepositMismatch, ev.QueueIndex, err)
	}
	key := pk.Bytes()
	if ev.Amount.BitLen() > 128 {
		return false, fmt.Errorf("%w: deposit %d amount %s over 2^128", ErrDepositMismatch, ev.QueueIndex, ev.Amount)
	}
	tag, err := tx.Exec(ctx, `INSERT INTO deposits (queue_index, pubkey, amount, l1_block, l1_block_hash, l1_tx_hash, expiry)
		VALUES ($1, $2, $3::numeric, $4, $5, $6, $7) ON CONFLICT (queue_index) DO NOTHING`,
		int64(ev.QueueIndex), key[:], ev.Amount.String(), int64(lg.BlockNumber), lg.BlockHash.Bytes(), lg.TxHash.Bytes(), expiry)
	if err != nil {
		return false, fmt.Errorf("watcher: insert deposit %d: %w", ev.QueueIndex, err)
	}
	if tag.RowsAffected() == 1 {
		return true, nil
	}
	var (
		storedKey   []byte
		storedAmt   string
		storedBlock int64
		storedHash  []byte
		batch       *int64
	)
	if err := tx.QueryRow(ctx, `SELECT pubkey, amount::text, l1_block, l1_block_hash, batch_number FROM deposits WHERE queue_index = $1`,
		int64(ev.QueueIndex)).Scan(&storedKey, &storedAmt, &storedBlock, &storedHash, &batch); err != nil {
		return false, fmt.Errorf("watcher: read deposit %d: %w", ev.QueueIndex, err)
	}
	if string(storedKey) != string(key[:]) || storedAmt != ev.Amount.String() {
		return false, fmt.Errorf("%w: queue index %d: stored key %x amount %s, L1 key %x amount %s (block %d, tx %s)",
			ErrDepositMismatch, ev.QueueIndex, storedKey, storedAmt, key, ev.Amount, lg.BlockNumber, lg.TxHash)
	}
	if uint64(storedBlock) != lg.BlockNumber || common.BytesToHash(storedHash) != lg.BlockHash {
		// Same deposit, another block: a reorg re-included it. Record
		// where it is now (sealed or not: the content is what counts).
		if _, err := tx.Exec(ctx, `UPDATE deposits SET l1_block = $2, l1_block_hash = $3, l1_tx_hash = $4, expiry = $5 WHERE queue_index = $1`,
			int64(ev.QueueIndex), int64(lg.BlockNumber), lg.BlockHash.Bytes(), lg.TxHash.Bytes(), expiry); err != nil {
			return false, fmt.Errorf("watcher: update deposit %d: %w", ev.QueueIndex, err)
		}
		w.log.Warn("deposit moved to another block", "queue_index", ev.QueueIndex, "from_block", storedBlock, "to_block", lg.BlockNumber)
	}
	return false, nil
}

// queueMetrics reads the priority queue's head, tail and the head entry's
// expiry at the L1 head: the operator's alert before exodus mode.
func (w *Watcher) queueMetrics(ctx context.Context) error {
	to := w.cfg.Contract
	call := func(data []byte) ([]byte, error) {
		return w.client.CallContract(ctx, ethereum.CallMsg{To: &to, Data: data}, nil)
	}
	out, err := call(w.abi.PackDepositHead())
	if err != nil {
		return fmt.Errorf("depositHead: %w", err)
	}
	qHead, err := w.abi.UnpackDepositHead(out)
	if err != nil {
		return err
	}
	if out, err = call(w.abi.PackDepositTail()); err != nil {
		return fmt.Errorf("depositTail: %w", err)
	}
	tail, err := w.abi.UnpackDepositTail(out)
	if err != nil {
		return err
	}
	w.m.queueOpen.Set(float64(tail - qHead))
	if tail <= qHead {
		w.m.queueExpiry.Set(math.Inf(1))
		return nil
	}
	if out, err = call(w.abi.PackQueueExpiry(new(big.Int).SetUint64(qHead))); err != nil {
		return fmt.Errorf("queueExpiry: %w", err)
	}
	expiry, err := w.abi.UnpackQueueExpiry(out)
	if err != nil {
		return err
	}
	hdr, err := w.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return err
	}
	w.m.queueExpiry.Set(float64(expiry) - float64(hdr.Time))
	return nil
}

// word is a 32-byte big-endian word of an event's uint256.
func word(v *big.Int) []byte { return common.LeftPadBytes(v.Bytes(), 32) }

// storeForcedExit inserts one forced-exit request; an existing row of the
// same queue index must hold the same request. It reports whether a row
// was added. The contract refused requests the circuit could not process,
// so a request that protocol.ForcedExit.Check refuses is a mismatch.
func (w *Watcher) storeForcedExit(ctx context.Context, tx pgx.Tx, ev *bindings.RollupForcedExitRequested, lg *types.Log) (bool, error) {
	for _, v := range []*big.Int{ev.Rx, ev.Ry, ev.S, ev.PrevChain, ev.Chain} {
		if v == nil || v.Sign() < 0 || v.BitLen() > 256 {
			return false, fmt.Errorf("%w: forced exit %d carries a field out of range", ErrDepositMismatch, ev.QueueIndex)
		}
	}
	if ev.Expiry > math.MaxInt64 {
		return false, fmt.Errorf("%w: forced exit %d expiry %d out of range", ErrDepositMismatch, ev.QueueIndex, ev.Expiry)
	}
	f, err := ForcedExitFromEvent(ev)
	if err != nil {
		return false, fmt.Errorf("%w: %v", ErrDepositMismatch, err)
	}
	if protocol.FrToBig(f.Chain()).Cmp(ev.Chain) != 0 {
		return false, fmt.Errorf("%w: forced exit %d: the event's chain value is not the chain step of its fields", ErrDepositMismatch, ev.QueueIndex)
	}
	rx, ry, s, prev, chain := word(ev.Rx), word(ev.Ry), word(ev.S), word(ev.PrevChain), word(ev.Chain)
	tag, err := tx.Exec(ctx, `INSERT INTO forced_exits (queue_index, account_idx, recipient, nonce, sig_rx, sig_ry, sig_s,
		prev_chain, chain, expiry, l1_block, l1_block_hash, l1_tx_hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (queue_index) DO NOTHING`,
		int64(ev.QueueIndex), int64(ev.Index), ev.Recipient.Bytes(), int64(ev.Nonce), rx, ry, s, prev, chain,
		int64(ev.Expiry), int64(lg.BlockNumber), lg.BlockHash.Bytes(), lg.TxHash.Bytes())
	if err != nil {
		return false, fmt.Errorf("watcher: insert forced exit %d: %w", ev.QueueIndex, err)
	}
	if tag.RowsAffected() == 1 {
		return true, nil
	}
	var (
		storedChain, storedHash []byte
		storedBlock             int64
	)
	if err := tx.QueryRow(ctx, `SELECT chain, l1_block, l1_block_hash FROM forced_exits WHERE queue_index = $1`,
		int64(ev.QueueIndex)).Scan(&storedChain, &storedBlock, &storedHash); err != nil {
		return false, fmt.Errorf("watcher: read forced exit %d: %w", ev.QueueIndex, err)
	}
	// The chain value commits to every field and to all earlier requests.
	if string(storedChain) != string(chain) {
		return false, fmt.Errorf("%w: queue index %d: stored forced exit (chain %x) differs from L1's (chain %x, block %d, tx %s)",
			ErrDepositMismatch, ev.QueueIndex, storedChain, chain, lg.BlockNumber, lg.TxHash)
	}
	if uint64(storedBlock) != lg.BlockNumber || common.BytesToHash(storedHash) != lg.BlockHash {
		if _, err := tx.Exec(ctx, `UPDATE forced_exits SET l1_block = $2, l1_block_hash = $3, l1_tx_hash = $4, expiry = $5 WHERE queue_index = $1`,
			int64(ev.QueueIndex), int64(lg.BlockNumber), lg.BlockHash.Bytes(), lg.TxHash.Bytes(), int64(ev.Expiry)); err != nil {
			return false, fmt.Errorf("watcher: update forced exit %d: %w", ev.QueueIndex, err)
		}
		w.log.Warn("forced exit moved to another block", "queue_index", ev.QueueIndex, "from_block", storedBlock, "to_block", lg.BlockNumber)
	}
	return false, nil
}

// ForcedExitFromEvent is the request a ForcedExitRequested event carries.
func ForcedExitFromEvent(ev *bindings.RollupForcedExitRequested) (protocol.ForcedExit, error) {
	f := protocol.ForcedExit{QueueIndex: ev.QueueIndex, Index: ev.Index, Recipient: ev.Recipient, Nonce: ev.Nonce}
	for _, p := range []struct {
		dst *fr.Element
		v   *big.Int
	}{{&f.Sig.R.X, ev.Rx}, {&f.Sig.R.Y, ev.Ry}, {&f.Sig.S, ev.S}, {&f.PrevChain, ev.PrevChain}} {
		if p.v.Cmp(fr.Modulus()) >= 0 {
			return protocol.ForcedExit{}, fmt.Errorf("forced exit %d: a field element out of range", ev.QueueIndex)
		}
		p.dst.SetBigInt(p.v)
	}
	return f, nil
}
