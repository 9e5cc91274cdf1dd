package submitter

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/holiman/uint256"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sheafrollup/sheaf/l1/bindings"
)

// Client is what the submitter needs from an L1 node. *ethclient.Client and
// the simulated backend's client implement it.
type Client interface {
	ChainID(ctx context.Context) (*big.Int, error)
	BlockNumber(ctx context.Context) (uint64, error)
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
	BalanceAt(ctx context.Context, account common.Address, block *big.Int) (*big.Int, error)
	NonceAt(ctx context.Context, account common.Address, block *big.Int) (uint64, error)
	PendingNonceAt(ctx context.Context, account common.Address) (uint64, error)
	SuggestGasTipCap(ctx context.Context) (*big.Int, error)
	EstimateGas(ctx context.Context, msg ethereum.CallMsg) (uint64, error)
	CallContract(ctx context.Context, msg ethereum.CallMsg, block *big.Int) ([]byte, error)
	SendTransaction(ctx context.Context, tx *types.Transaction) error
	TransactionReceipt(ctx context.Context, hash common.Hash) (*types.Receipt, error)
	TransactionByHash(ctx context.Context, hash common.Hash) (*types.Transaction, bool, error)
	FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error)
}

// BlobClient is what blob mode needs on top of Client: the current blob
// base fee (eth_blobBaseFee). *ethclient.Client and the simulated
// backend's client implement it.
type BlobClient interface {
	BlobBaseFee(ctx context.Context) (*big.Int, error)
}

// notifyChannel is announced with the batch number on every batch status
// change (as the sequencer and the prover do).
const notifyChannel = "sheaf_batches"

// Submitter posts proven batches to L1.
type Submitter struct {
	cfg    Config
	pool   *pgxpool.Pool
	client Client
	key    *ecdsa.PrivateKey
	from   common.Address
	signer types.Signer
	log    *slog.Logger
	m      *metrics
	rollup *bindings.Rollup

	conn     *pgxpool.Conn // holds the lock; every read and write goes through it
	nonce    uint64        // next fresh nonce
	lastSent map[common.Hash]time.Time
	warned   map[string]time.Time // rate limit of repeated warnings

	// afterSend, when set (tests), runs after a transaction was handed to the
	// node and before that is recorded; an error stops the submitter there,
	// as a crash would.
	afterSend func(batch int64, hash common.Hash) error
	// now is the clock that times stuck transactions (tests freeze it, so
	// that a slow machine does not turn a pending transaction into a stuck
	// one).
	now func() time.Time

	started atomic.Bool
	ready   atomic.Bool
	cancel  context.CancelFunc
	done    chan struct{}
	mu      sync.Mutex
	runErr  error
}

// New creates a submitter signing with key; Start makes it active.
func New(cfg Config, pool *pgxpool.Pool, client Client, key *ecdsa.PrivateKey, log *slog.Logger, reg prometheus.Registerer) (*Submitter, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if key == nil {
		return nil, errors.New("submitter: no key")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if _, ok := client.(BlobClient); cfg.Blob() && !ok {
		return nil, errors.New("submitter: blob mode needs a client that reads the blob base fee (eth_blobBaseFee)")
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	return &Submitter{cfg: cfg, pool: pool, client: client, key: key, from: crypto.PubkeyToAddress(key.PublicKey),
		signer: types.LatestSignerForChainID(new(big.Int).SetUint64(cfg.ChainID)), log: log, m: m,
		rollup: bindings.NewRollup(), lastSent: map[common.Hash]time.Time{}, warned: map[string]time.Time{},
		now: time.Now, done: make(chan struct{})}, nil
}

// Address is the L1 account the submitter signs with.
func (s *Submitter) Address() common.Address { return s.from }

// Start checks the node's chain, waits for the submitter lock (a standby
// blocks here), reconciles the nonce and starts the loop.
func (s *Submitter) Start(ctx context.Context) error {
	if !s.started.CompareAndSwap(false, true) {
		return errors.New("submitter: already started")
	}
	id, err := s.client.ChainID(ctx)
	if err != nil {
		return fmt.Errorf("submitter: chain id: %w", err)
	}
	if id.Uint64() != s.cfg.ChainID {
		return fmt.Errorf("submitter: node is on chain %d, configured for %d", id, s.cfg.ChainID)
	}
	if err := s.activate(ctx); err != nil {
		return err
	}
	runCtx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	go func() {
		defer close(s.done)
		err := s.run(runCtx)
		s.ready.Store(false)
		if err != nil && runCtx.Err() == nil {
			s.log.Error("submitter stopped", "err", err)
			s.mu.Lock()
			s.runErr = err
			s.mu.Unlock()
		}
		s.dropConn()
	}()
	return nil
}

// activate takes a connection, waits on it for the submitter lock and
// reconciles the next nonce with the node and the stored submissions (a
// standby, or this process before it lost its session, may have used
// nonces). Every later read and write goes through that connection.
func (s *Submitter) activate(ctx context.Context) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("submitter: acquire connection: %w", err)
	}
	s.log.Info("waiting for the submitter lock (hot standby until the active submitter stops)", "lock", s.cfg.LockKey)
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", s.cfg.LockKey); err != nil {
		conn.Conn().Close(context.Background()) // the lock may have been granted as ctx ended
		conn.Release()
		return fmt.Errorf("submitter: advisory lock: %w", err)
	}
	s.conn = conn
	pending, err := s.client.PendingNonceAt(ctx, s.from)
	if err != nil {
		s.dropConn()
		return fmt.Errorf("submitter: pending nonce: %w", err)
	}
	var stored *int64
	if err := conn.QueryRow(ctx, `SELECT max(nonce) FROM l1_submissions`).Scan(&stored); err != nil {
		s.dropConn()
		return fmt.Errorf("submitter: stored nonces: %w", err)
	}
	s.nonce = pending
	if stored != nil && uint64(*stored)+1 > s.nonce {
		s.nonce = uint64(*stored) + 1
	}
	// Sends timed by a previous session are re-checked from scratch.
	clear(s.lastSent)
	s.log.Info("submitter lock held: active", "address", s.from, "node_pending_nonce", pending, "next_nonce", s.nonce)
	s.ready.Store(true)
	return nil
}

// dropConn ends the lock's session (releasing the lock, so a standby takes
// over) and forgets the connection.
func (s *Submitter) dropConn() {
	if s.conn == nil {
		return
	}
	s.conn.Conn().Close(context.Background())
	s.conn.Release()
	s.conn = nil
}

// connLost reports whether the lock's session is gone (PostgreSQL
// restarted, the backend was terminated, the network dropped): with it
// went the lock, and no write may follow on another connection until the
// lock is taken again.
func (s *Submitter) connLost(ctx context.Context) bool {
	if s.conn == nil || s.conn.Conn().IsClosed() {
		return true
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return s.conn.Ping(pctx) != nil
}

// reactivate gives up the lost session and takes the lock again on a new
// one, retrying (once a second) until it has it or ctx ends. While it
// retries, the submitter is not ready.
func (s *Submitter) reactivate(ctx context.Context) error {
	s.ready.Store(false)
	s.dropConn()
	s.m.reconnects.Inc()
	for attempt := 1; ; attempt++ {
		err := s.activate(ctx)
		if err == nil {
			s.log.Warn("database connection re-established: the submitter lock is held again", "attempts", attempt)
			return nil
		}
		if ctx.Err() != nil {
			return nil
		}
		s.warn("reconnect", "database unreachable: retrying", "err", err, "attempts", attempt)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Second):
		}
	}
}

// Stop finishes the step in progress and releases the lock.
func (s *Submitter) Stop(ctx context.Context) error {
	if s.cancel == nil {
		return nil
	}
	s.cancel()
	select {
	case <-s.done:
	case <-ctx.Done():
		return ctx.Err()
	}
	return s.Err()
}

// Ready reports whether the submitter holds the lock and runs.
func (s *Submitter) Ready() bool { return s.ready.Load() }

// Done is closed when the submitter stops.
func (s *Submitter) Done() <-chan struct{} { return s.done }

// Err is the fatal error that stopped the submitter, if any.
func (s *Submitter) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.runErr
}

// errStop ends the loop (the test hook's crash).
type errStop struct{ error }

func (s *Submitter) run(ctx context.Context) error {
	t := time.NewTicker(s.cfg.PollInterval)
	defer t.Stop()
	for {
		if err := s.step(ctx); err != nil {
			var stop errStop
			if errors.As(err, &stop) {
				return stop.error
			}
			if ctx.Err() != nil {
				return nil
			}
			if s.connLost(ctx) {
				s.log.Error("lost the database session that holds the submitter lock: reconnecting", "err", err)
				if err := s.reactivate(ctx); err != nil || ctx.Err() != nil {
					return err
				}
				continue
			}
			s.warn("step", "submitter step failed (retrying)", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// warn logs at most once a minute per key.
func (s *Submitter) warn(key, msg string, args ...any) {
	if t, ok := s.warned[key]; ok && time.Since(t) < time.Minute {
		s.log.Debug(msg, args...)
		return
	}
	s.warned[key] = time.Now()
	s.log.Warn(msg, args...)
}

func (s *Submitter) step(ctx context.Context) error {
	if bal, err := s.client.BalanceAt(ctx, s.from, nil); err == nil {
		f, _ := new(big.Float).SetInt(bal).Float64()
		s.m.balance.Set(f)
	}
	head, err := s.client.BlockNumber(ctx)
	if err != nil {
		return fmt.Errorf("block number: %w", err)
	}
	if err := s.checkIncluded(ctx, head); err != nil {
		return err
	}
	if err := s.checkPending(ctx); err != nil {
		return err
	}
	if err := s.submitNext(ctx); err != nil {
		return err
	}
	var n int64
	if err := s.conn.QueryRow(ctx, `SELECT count(*) FROM l1_submissions WHERE status IN ('created', 'sent')`).Scan(&n); err == nil {
		s.m.pending.Set(float64(n))
	}
	return nil
}

// submission is one l1_submissions row.
type submission struct {
	id     int64
	batch  int64
	nonce  uint64
	hash   common.Hash
	raw    []byte
	status string
	block  *int64
	bhash  []byte
}

func (r *submission) tx() (*types.Transaction, error) {
	tx := new(types.Transaction)
	if err := tx.UnmarshalBinary(r.raw); err != nil {
		return nil, fmt.Errorf("submission %d: stored transaction: %w", r.id, err)
	}
	return tx, nil
}

const submissionCols = `id, batch_number, nonce, tx_hash, raw_tx, status, included_block, included_block_hash`

func (s *Submitter) query(ctx context.Context, sql string, args ...any) ([]*submission, error) {
	rows, err := s.conn.Query(ctx, `SELECT `+submissionCols+` FROM l1_submissions `+sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (*submission, error) {
		var (
			x     submission
			nonce int64
			hash  []byte
		)
		if err := r.Scan(&x.id, &x.batch, &nonce, &hash, &x.raw, &x.status, &x.block, &x.bhash); err != nil {
			return nil, err
		}
		x.nonce, x.hash = uint64(nonce), common.BytesToHash(hash)
		return &x, nil
	})
}

// inTx runs f in a transaction on the locked connection.
func (s *Submitter) inTx(ctx context.Context, f func(tx pgx.Tx) error) error {
	tx, err := s.conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	if err := f(tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func notify(ctx context.Context, tx pgx.Tx, batch int64) error {
	_, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, notifyChannel, fmt.Sprint(batch))
	return err
}

// canonical reports whether block number n on the canonical chain is hash.
func (s *Submitter) canonical(ctx context.Context, n uint64, hash common.Hash) (bool, error) {
	h, err := s.client.HeaderByNumber(ctx, new(big.Int).SetUint64(n))
	if errors.Is(err, ethereum.NotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return h.Hash() == hash, nil
}

// receipt returns the transaction's receipt if it is in a canonical block.
func (s *Submitter) receipt(ctx context.Context, hash common.Hash) (*types.Receipt, error) {
	r, err := s.client.TransactionReceipt(ctx, hash)
	if errors.Is(err, ethereum.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ok, err := s.canonical(ctx, r.BlockNumber.Uint64(), r.BlockHash)
	if err != nil || !ok {
		return nil, err
	}
	return r, nil
}

func (s *Submitter) payGas(r *types.Receipt) {
	if r.BlobGasUsed > 0 {
		s.m.blobGas.Add(float64(r.BlobGasUsed))
		if r.BlobGasPrice != nil {
			paid := new(big.Int).Mul(r.BlobGasPrice, new(big.Int).SetUint64(r.BlobGasUsed))
			f, _ := new(big.Float).SetInt(paid).Float64()
			s.m.blobFeePaid.Add(f)
		}
	}
	if r.EffectiveGasPrice == nil {
		return
	}
	paid := new(big.Int).Mul(r.EffectiveGasPrice, new(big.Int).SetUint64(r.GasUsed))
	f, _ := new(big.Float).SetInt(paid).Float64()
	s.m.gasPaid.Add(f)
}

// blobGasPrice is the receipt's blob gas price as the numeric column
// takes it (NULL for a transaction without blobs).
func blobGasPrice(r *types.Receipt) (used *int64, price *string) {
	if r.BlobGasUsed == 0 {
		return nil, nil
	}
	u := int64(r.BlobGasUsed)
	if r.BlobGasPrice != nil {
		p := r.BlobGasPrice.String()
		price = &p
	}
	return &u, price
}

// checkIncluded finalizes included submissions with enough confirmations
// and sends back those whose block left the canonical chain.
func (s *Submitter) checkIncluded(ctx context.Context, head uint64) error {
	rows, err := s.query(ctx, `WHERE status = 'included' ORDER BY nonce`)
	if err != nil {
		return err
	}
	for _, r := range rows {
		ok, err := s.canonical(ctx, uint64(*r.block), common.BytesToHash(r.bhash))
		if err != nil {
			return err
		}
		if !ok {
			if err := s.reorged(ctx, r); err != nil {
				return err
			}
			continue
		}
		if head < uint64(*r.block)+s.cfg.Confirmations {
			continue
		}
		var provenAt time.Time
		err = s.inTx(ctx, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `UPDATE l1_submissions SET status = 'finalized' WHERE id = $1`, r.id); err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, `UPDATE batches SET status = 'finalized', finalized_at = now()
				WHERE number = $1 AND status = 'submitted' RETURNING proven_at`, r.batch).Scan(&provenAt); err != nil {
				return fmt.Errorf("finalize batch %d: %w", r.batch, err)
			}
			return notify(ctx, tx, r.batch)
		})
		if err != nil {
			return err
		}
		s.m.finalizeTime.Observe(time.Since(provenAt).Seconds())
		s.log.Info("batch finalized", "batch", r.batch, "tx", r.hash, "block", *r.block, "confirmations", head-uint64(*r.block))
	}
	return nil
}

// reorged handles an included submission whose block is no longer
// canonical: if the same transaction is in another canonical block the
// inclusion is moved there; otherwise the submission becomes 'reorged' and
// its batch 'proven' again, to be re-sent with the same nonce.
func (s *Submitter) reorged(ctx context.Context, r *submission) error {
	rc, err := s.receipt(ctx, r.hash)
	if err != nil {
		return err
	}
	if rc != nil && rc.Status == types.ReceiptStatusSuccessful {
		s.log.Warn("reorg: batch transaction re-included in another block", "batch", r.batch, "tx", r.hash,
			"old_block", *r.block, "new_block", rc.BlockNumber)
		_, err := s.conn.Exec(ctx, `UPDATE l1_submissions SET included_block = $2, included_block_hash = $3, gas_used = $4 WHERE id = $1`,
			r.id, rc.BlockNumber.Int64(), rc.BlockHash[:], int64(rc.GasUsed))
		return err
	}
	s.m.reorgs.Inc()
	s.log.Warn("reorg removed an included batch: sending it again", "batch", r.batch, "tx", r.hash, "block", *r.block)
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE l1_submissions SET status = 'reorged' WHERE id = $1`, r.id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE batches SET status = 'proven', submitted_at = NULL WHERE number = $1 AND status = 'submitted'`, r.batch); err != nil {
			return err
		}
		return notify(ctx, tx, r.batch)
	})
}

// checkPending follows every nonce with a live (created or sent) submission.
func (s *Submitter) checkPending(ctx context.Context) error {
	live, err := s.query(ctx, `WHERE status IN ('created', 'sent') ORDER BY nonce, id`)
	if err != nil || len(live) == 0 {
		return err
	}
	// The confirmed nonce is read before the receipts: a transaction mined
	// in between is then seen by its receipt, never taken for a foreign one.
	confirmed, err := s.client.NonceAt(ctx, s.from, nil)
	if err != nil {
		return fmt.Errorf("nonce: %w", err)
	}
	keep := map[common.Hash]bool{}
	var nonces []uint64
	for _, r := range live {
		keep[r.hash] = true
		if len(nonces) == 0 || nonces[len(nonces)-1] != r.nonce {
			nonces = append(nonces, r.nonce)
		}
	}
	for h := range s.lastSent {
		if !keep[h] {
			delete(s.lastSent, h)
		}
	}
	for _, n := range nonces {
		if err := s.checkNonce(ctx, n, confirmed); err != nil {
			return err
		}
	}
	return nil
}

func (s *Submitter) checkNonce(ctx context.Context, n, confirmed uint64) error {
	// Every transaction ever signed with this nonce (for one batch only) may
	// be the one that lands.
	rows, err := s.query(ctx, `WHERE nonce = $1 AND status IN ('created', 'sent', 'replaced', 'reorged') ORDER BY id`, int64(n))
	if err != nil || len(rows) == 0 {
		return err
	}
	for _, r := range rows {
		rc, err := s.receipt(ctx, r.hash)
		if err != nil {
			return err
		}
		if rc != nil {
			return s.included(ctx, r, rc)
		}
	}
	if confirmed > n {
		// The nonce was used by a transaction this submitter did not sign.
		s.log.Error("nonce used outside the submitter: its transactions are dropped and the batch gets a new nonce",
			"nonce", n, "batch", rows[0].batch)
		return s.inTx(ctx, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE l1_submissions SET status = 'dropped' WHERE nonce = $1 AND status IN ('created', 'sent')`, int64(n))
			return err
		})
	}
	var last *submission
	for _, r := range rows {
		if r.status == "created" || r.status == "sent" {
			last = r
		}
	}
	if last == nil {
		return nil
	}
	sentAt, known := s.lastSent[last.hash]
	if !known {
		// Created and never sent, or sent by an earlier process.
		if last.status == "sent" {
			s.m.rebroadcasts.Inc()
			s.log.Info("re-broadcasting a stored transaction", "batch", last.batch, "nonce", n, "tx", last.hash)
		}
		return s.send(ctx, last)
	}
	if s.now().Sub(sentAt) < s.cfg.ResubmitAfter {
		return nil
	}
	_, _, err = s.client.TransactionByHash(ctx, last.hash)
	if errors.Is(err, ethereum.NotFound) {
		s.m.rebroadcasts.Inc()
		s.log.Warn("transaction lost by the node: re-broadcasting it", "batch", last.batch, "nonce", n, "tx", last.hash)
		return s.send(ctx, last)
	}
	if err != nil {
		return err
	}
	return s.bump(ctx, last)
}

// included records the receipt of a submission: the batch is submitted,
// or, if the transaction reverted, the batch stays proven and is sent again
// after a new estimate.
func (s *Submitter) included(ctx context.Context, r *submission, rc *types.Receipt) error {
	s.payGas(rc)
	ok := rc.Status == types.ReceiptStatusSuccessful
	status := "included"
	if !ok {
		// 'dropped' with its inclusion recorded: the nonce is spent, the
		// batch is not posted.
		status = "dropped"
		s.m.reverts.Inc()
		s.log.Error("batch transaction reverted: re-reading the contract and estimating again", "batch", r.batch,
			"tx", r.hash, "block", rc.BlockNumber, "gas_used", rc.GasUsed)
	} else {
		s.log.Info("batch included", "batch", r.batch, "tx", r.hash, "block", rc.BlockNumber, "gas_used", rc.GasUsed,
			"gas_price", rc.EffectiveGasPrice, "blob_gas_used", rc.BlobGasUsed, "blob_gas_price", rc.BlobGasPrice)
	}
	blobUsed, blobPrice := blobGasPrice(rc)
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE l1_submissions SET status = $2, included_block = $3, included_block_hash = $4, gas_used = $5,
			blob_gas_used = $6, blob_gas_price = $7::numeric WHERE id = $1`,
			r.id, status, rc.BlockNumber.Int64(), rc.BlockHash[:], int64(rc.GasUsed), blobUsed, blobPrice); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE l1_submissions SET status = 'replaced' WHERE nonce = $1 AND id <> $2 AND status IN ('created', 'sent')`,
			int64(r.nonce), r.id); err != nil {
			return err
		}
		if !ok {
			return nil
		}
		tag, err := tx.Exec(ctx, `UPDATE batches SET status = 'submitted', submitted_at = now() WHERE number = $1 AND status = 'proven'`, r.batch)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("batch %d was included on L1 but is not 'proven' in the database", r.batch)
		}
		return notify(ctx, tx, r.batch)
	})
}

// sendResult classifies a node's answer to a transaction.
func sendErrorKind(err error) string {
	if err == nil {
		return "ok"
	}
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "already known"), strings.Contains(msg, "already imported"):
		return "ok"
	case strings.Contains(msg, "nonce too low"):
		return "nonce too low"
	case strings.Contains(msg, "underpriced"):
		return "underpriced"
	}
	return "error"
}

// send hands a stored transaction to the node and records it as sent.
func (s *Submitter) send(ctx context.Context, r *submission) error {
	tx, err := r.tx()
	if err != nil {
		return err
	}
	if tx.Type() == types.BlobTxType {
		// Stored without its blobs: they are read back from the blobs
		// table, where they were written before the first send.
		sc, err := s.sidecar(ctx, tx.BlobHashes())
		if err != nil {
			return fmt.Errorf("batch %d tx %s: %w", r.batch, r.hash, err)
		}
		tx = tx.WithBlobTxSidecar(sc)
	}
	s.lastSent[r.hash] = s.now()
	err = s.client.SendTransaction(ctx, tx)
	switch sendErrorKind(err) {
	case "ok":
	case "nonce too low":
		// Mined already (its receipt is found next step) or the nonce was
		// spent by another transaction (dropped next step).
		s.log.Info("node says the nonce is spent", "batch", r.batch, "nonce", r.nonce, "tx", r.hash)
	case "underpriced":
		// Another transaction with this nonce sits in the pool with fees at
		// least as high: replace it.
		s.log.Warn("node refused the transaction as underpriced: bumping", "batch", r.batch, "nonce", r.nonce, "tx", r.hash)
		return s.bump(ctx, r)
	default:
		return fmt.Errorf("send batch %d tx %s: %w", r.batch, r.hash, err)
	}
	if s.afterSend != nil {
		if err := s.afterSend(r.batch, r.hash); err != nil {
			return errStop{err}
		}
	}
	if r.status == "created" {
		if _, err := s.conn.Exec(ctx, `UPDATE l1_submissions SET status = 'sent' WHERE id = $1 AND status = 'created'`, r.id); err != nil {
			return err
		}
		r.status = "sent"
	}
	return nil
}

// bump replaces a stuck transaction: same nonce, data, gas limit (and
// blobs), fees raised by at least FeeBumpPercent — by 100 % for a blob
// transaction, tip, fee cap and blob fee cap alike — and to the current
// suggestion if that is higher, capped by MaxFeeCap and MaxBlobFeeCap.
func (s *Submitter) bump(ctx context.Context, r *submission) error {
	old, err := r.tx()
	if err != nil {
		return err
	}
	isBlob := old.Type() == types.BlobTxType
	f, ok, err := s.fees(ctx, old, isBlob)
	if err != nil {
		return err
	}
	if !ok {
		s.lastSent[r.hash] = s.now() // try again after ResubmitAfter
		s.warn(fmt.Sprint("cap", r.nonce), "stuck transaction cannot be bumped: the max fee cap is reached",
			"batch", r.batch, "nonce", r.nonce, "tx", r.hash, "fee_cap", old.GasFeeCap(), "max_fee_cap", s.cfg.MaxFeeCap,
			"blob_fee_cap", old.BlobGasFeeCap(), "max_blob_fee_cap", s.cfg.MaxBlobFeeCap)
		return nil
	}
	nr, err := s.store(ctx, r.batch, r.nonce, old.Gas(), old.Data(), f, old.BlobHashes(), r.id)
	if err != nil {
		return err
	}
	s.m.feeBumps.Inc()
	s.log.Warn("replacing a stuck transaction with higher fees", "batch", r.batch, "nonce", r.nonce,
		"old_tx", r.hash, "new_tx", nr.hash, "old_tip", old.GasTipCap(), "tip", f.tip, "old_fee_cap", old.GasFeeCap(), "fee_cap", f.feeCap,
		"old_blob_fee_cap", old.BlobGasFeeCap(), "blob_fee_cap", f.blobFeeCap)
	return s.send(ctx, nr)
}

// txFees are the fees a transaction is signed with; blobFeeCap is nil for
// a transaction without blobs.
type txFees struct {
	tip, feeCap, blobFeeCap *big.Int
}

// fees suggests EIP-1559 fees, and for a blob transaction the blob fee
// cap; prev (nil for a first transaction) is the transaction a
// replacement must outbid: by FeeBumpPercent, or by 100 % in every fee
// when it carries blobs (geth's blob pool refuses less).
func (s *Submitter) fees(ctx context.Context, prev *types.Transaction, blob bool) (f txFees, ok bool, err error) {
	suggested, err := s.client.SuggestGasTipCap(ctx)
	if err != nil {
		return f, false, fmt.Errorf("suggest tip: %w", err)
	}
	head, err := s.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return f, false, fmt.Errorf("head: %w", err)
	}
	base := head.BaseFee
	if base == nil {
		base = new(big.Int)
	}
	pct := s.cfg.FeeBumpPercent
	if blob && pct < BlobFeeBumpPercent {
		pct = BlobFeeBumpPercent
	}
	var minTip, minCap, minBlobCap *big.Int
	if prev != nil {
		minTip, minCap = bumped(prev.GasTipCap(), pct), bumped(prev.GasFeeCap(), pct)
		if prev.BlobGasFeeCap() != nil {
			minBlobCap = bumped(prev.BlobGasFeeCap(), pct)
		}
	}
	f.tip, f.feeCap, ok = fees(suggested, base, minTip, minCap, s.cfg.MaxFeeCap)
	if ok && f.feeCap.Cmp(base) < 0 {
		s.warn("basefee", "max fee cap is below the base fee: the transaction waits for the base fee to drop",
			"fee_cap", f.feeCap, "base_fee", base)
	}
	if !blob {
		return f, ok, nil
	}
	bc, _ := s.client.(BlobClient) // New checked it in blob mode
	if bc == nil {
		return f, false, errors.New("blob transaction without a client that reads the blob base fee")
	}
	blobBase, err := bc.BlobBaseFee(ctx)
	if err != nil {
		return f, false, fmt.Errorf("blob base fee: %w", err)
	}
	var blobOK bool
	f.blobFeeCap, blobOK = blobFees(blobBase, minBlobCap, s.cfg.MaxBlobFeeCap)
	if blobOK && f.blobFeeCap.Cmp(blobBase) < 0 {
		s.warn("blobbasefee", "max blob fee cap is below the blob base fee: the transaction waits for it to drop",
			"blob_fee_cap", f.blobFeeCap, "blob_base_fee", blobBase)
	}
	return f, ok && blobOK, nil
}

// store signs a transaction and records it (status created) before anyone
// sends it; a replacement marks the row it replaces. With blob hashes it
// is a blob transaction (EIP-4844), stored without its sidecar: the blobs
// are already in the blobs table (batchBlobs), and send attaches them.
func (s *Submitter) store(ctx context.Context, batch int64, nonce, gas uint64, data []byte, f txFees, blobHashes []common.Hash, replaces int64) (*submission, error) {
	to := s.cfg.Contract
	var inner types.TxData = &types.DynamicFeeTx{
		ChainID: new(big.Int).SetUint64(s.cfg.ChainID), Nonce: nonce, GasTipCap: f.tip, GasFeeCap: f.feeCap,
		Gas: gas, To: &to, Data: data,
	}
	var blobFeeCap *string
	if len(blobHashes) > 0 {
		if f.blobFeeCap == nil {
			return nil, errors.New("store: blob transaction without a blob fee cap")
		}
		inner = &types.BlobTx{
			ChainID: uint256.NewInt(s.cfg.ChainID), Nonce: nonce, GasTipCap: uint256.MustFromBig(f.tip),
			GasFeeCap: uint256.MustFromBig(f.feeCap), Gas: gas, To: to, Data: data,
			BlobFeeCap: uint256.MustFromBig(f.blobFeeCap), BlobHashes: blobHashes,
		}
		c := f.blobFeeCap.String()
		blobFeeCap = &c
	}
	tx, err := types.SignNewTx(s.key, s.signer, inner)
	if err != nil {
		return nil, err
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		return nil, err
	}
	r := &submission{batch: batch, nonce: nonce, hash: tx.Hash(), raw: raw, status: "created"}
	err = s.inTx(ctx, func(dtx pgx.Tx) error {
		if replaces != 0 {
			if _, err := dtx.Exec(ctx, `UPDATE l1_submissions SET status = 'replaced' WHERE id = $1 AND status IN ('created', 'sent')`, replaces); err != nil {
				return err
			}
		}
		return dtx.QueryRow(ctx, `INSERT INTO l1_submissions (batch_number, nonce, tx_hash, raw_tx, gas_fee_cap, gas_tip_cap, blob_fee_cap)
			VALUES ($1, $2, $3, $4, $5::numeric, $6::numeric, $7::numeric) RETURNING id`,
			batch, int64(nonce), r.hash[:], raw, f.feeCap.String(), f.tip.String(), blobFeeCap).Scan(&r.id)
	})
	if err != nil {
		return nil, fmt.Errorf("store submission: %w", err)
	}
	return r, nil
}
