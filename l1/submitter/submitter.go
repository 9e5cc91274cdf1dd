package submitter

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"slices"
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
	"github.com/sheafrollup/sheaf/protocol"
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

// Keys are the submitter's signing keys. Calldata signs submitBatch;
// Blob signs submitBlobBatch and must be dedicated to blob transactions
// (an address cannot have blob and non-blob transactions pending at once).
// Calldata mode needs Calldata, blob mode Blob, auto mode both, at distinct
// addresses (Check).
type Keys struct {
	Calldata, Blob *ecdsa.PrivateKey
}

// Check refuses keys that data-availability mode da cannot run with.
func (k Keys) Check(da string) error {
	switch da {
	case protocol.DABlob:
		if k.Blob == nil {
			return errors.New("submitter: blob mode needs the blob key")
		}
		if k.Calldata != nil {
			return errors.New("submitter: blob mode signs with the blob key only")
		}
	case protocol.DAAuto:
		if k.Calldata == nil || k.Blob == nil {
			return errors.New("submitter: auto mode needs both keys (calldata batches from the calldata key, blob batches from the blob key)")
		}
		if crypto.PubkeyToAddress(k.Calldata.PublicKey) == crypto.PubkeyToAddress(k.Blob.PublicKey) {
			return errors.New("submitter: auto mode needs two distinct addresses (an address cannot have blob and non-blob transactions pending at once)")
		}
	default:
		if k.Calldata == nil {
			return errors.New("submitter: no key")
		}
		if k.Blob != nil {
			return errors.New("submitter: calldata mode signs with the calldata key only")
		}
	}
	return nil
}

// sender is one L1 account the submitter signs with, with its own nonce
// sequence: the calldata key or the blob key.
type sender struct {
	key   *ecdsa.PrivateKey
	addr  common.Address
	blob  bool   // signs blob transactions (submitBlobBatch)
	nonce uint64 // next fresh nonce
}

// name labels the sender in logs and metrics.
func (sd *sender) name() string {
	if sd.blob {
		return "blob"
	}
	return "calldata"
}

// Submitter posts proven batches to L1.
type Submitter struct {
	cfg    Config
	pool   *pgxpool.Pool
	client Client
	// senders are the accounts signed with: one (calldata or blob mode) or
	// two (auto: calldata first, blob second). cdSender and blobSender point
	// into it (nil when the mode has no such key).
	senders              []*sender
	cdSender, blobSender *sender
	signer               types.Signer
	log                  *slog.Logger
	m                    *metrics
	rollup               *bindings.Rollup

	conn     *pgxpool.Conn // holds the lock; every read and write goes through it
	lastSent map[common.Hash]time.Time
	warned   map[string]time.Time // rate limit of repeated warnings
	// spentAt is, per (sender, nonce) the chain reports spent with none of
	// our receipts for it, the head at which that was first seen: the
	// verdict "used outside the submitter" waits for foreignNonceBlocks
	// more blocks (see checkNonce).
	spentAt map[senderNonce]uint64

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

// New creates a submitter signing with key (the sequencer key in
// calldata mode, the blob key in blob mode); Start makes it active. Auto
// mode signs with two keys: NewWithKeys.
func New(cfg Config, pool *pgxpool.Pool, client Client, key *ecdsa.PrivateKey, log *slog.Logger, reg prometheus.Registerer) (*Submitter, error) {
	if key == nil {
		return nil, errors.New("submitter: no key")
	}
	switch {
	case cfg.Auto():
		return nil, errors.New("submitter: auto mode signs with two keys (NewWithKeys)")
	case cfg.Blob():
		return NewWithKeys(cfg, pool, client, Keys{Blob: key}, log, reg)
	}
	return NewWithKeys(cfg, pool, client, Keys{Calldata: key}, log, reg)
}

// NewWithKeys creates a submitter signing with the mode's keys (Keys.Check);
// Start makes it active.
func NewWithKeys(cfg Config, pool *pgxpool.Pool, client Client, keys Keys, log *slog.Logger, reg prometheus.Registerer) (*Submitter, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if err := keys.Check(cfg.DA); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if _, ok := client.(BlobClient); keys.Blob != nil && !ok {
		return nil, fmt.Errorf("submitter: %s mode needs a client that reads the blob base fee (eth_blobBaseFee)", cfg.DA)
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	s := &Submitter{cfg: cfg, pool: pool, client: client,
		signer: types.LatestSignerForChainID(new(big.Int).SetUint64(cfg.ChainID)), log: log, m: m,
		rollup: bindings.NewRollup(), lastSent: map[common.Hash]time.Time{}, warned: map[string]time.Time{},
		spentAt: map[senderNonce]uint64{}, now: time.Now, done: make(chan struct{})}
	if keys.Calldata != nil {
		s.cdSender = &sender{key: keys.Calldata, addr: crypto.PubkeyToAddress(keys.Calldata.PublicKey)}
		s.senders = append(s.senders, s.cdSender)
	}
	if keys.Blob != nil {
		s.blobSender = &sender{key: keys.Blob, addr: crypto.PubkeyToAddress(keys.Blob.PublicKey), blob: true}
		s.senders = append(s.senders, s.blobSender)
	}
	return s, nil
}

// Address is the L1 account the submitter signs with: the calldata key's
// (the blob key's in blob mode).
func (s *Submitter) Address() common.Address { return s.senders[0].addr }

// Addresses are the L1 accounts the submitter signs with: one, or in auto
// mode the calldata key's and the blob key's.
func (s *Submitter) Addresses() []common.Address {
	out := make([]common.Address, len(s.senders))
	for i, sd := range s.senders {
		out[i] = sd.addr
	}
	return out
}

// senderOf is the sender of address a (nil when the submitter does not hold
// its key: a key used before a key change).
func (s *Submitter) senderOf(a common.Address) *sender {
	for _, sd := range s.senders {
		if sd.addr == a {
			return sd
		}
	}
	return nil
}

// senderFor is the sender of a batch with config batchCfg (its own,
// concrete mode): the blob key for a blob batch, the calldata key for a
// calldata one; nil when the submitter has no such key.
func (s *Submitter) senderFor(batchCfg protocol.Config) *sender {
	switch batchCfg.DA {
	case protocol.DABlob:
		return s.blobSender
	case "", protocol.DACalldata:
		return s.cdSender
	}
	return nil // "auto" is a deployment's mode, never a batch's
}

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
	if err := s.fillSenders(ctx); err != nil {
		s.dropConn()
		return err
	}
	for _, sd := range s.senders {
		pending, err := s.client.PendingNonceAt(ctx, sd.addr)
		if err != nil {
			s.dropConn()
			return fmt.Errorf("submitter: pending nonce of %s: %w", sd.addr, err)
		}
		var stored *int64
		if err := conn.QueryRow(ctx, `SELECT max(nonce) FROM l1_submissions WHERE sender = $1`, sd.addr[:]).Scan(&stored); err != nil {
			s.dropConn()
			return fmt.Errorf("submitter: stored nonces: %w", err)
		}
		sd.nonce = pending
		if stored != nil && uint64(*stored)+1 > sd.nonce {
			sd.nonce = uint64(*stored) + 1
		}
		s.log.Info("submitter lock held: active", "key", sd.name(), "address", sd.addr, "node_pending_nonce", pending, "next_nonce", sd.nonce)
	}
	// Sends timed by a previous session are re-checked from scratch.
	clear(s.lastSent)
	clear(s.spentAt)
	s.ready.Store(true)
	return nil
}

// fillSenders gives every submission stored before migration 00018 (sender
// NULL) its sender, recovered from its own signed transaction: every nonce
// query is per sender, so none may be left out. It runs under the lock,
// before any nonce is read; after the first start it finds nothing.
func (s *Submitter) fillSenders(ctx context.Context) error {
	rows, err := s.conn.Query(ctx, `SELECT id, raw_tx FROM l1_submissions WHERE sender IS NULL ORDER BY id`)
	if err != nil {
		return fmt.Errorf("submitter: submissions without a sender: %w", err)
	}
	type fill struct {
		id   int64
		addr common.Address
	}
	fills, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fill, error) {
		var (
			f   fill
			raw []byte
		)
		if err := r.Scan(&f.id, &raw); err != nil {
			return f, err
		}
		tx := new(types.Transaction)
		if err := tx.UnmarshalBinary(raw); err != nil {
			return f, fmt.Errorf("submission %d: stored transaction: %w", f.id, err)
		}
		if f.addr, err = types.Sender(s.signer, tx); err != nil {
			return f, fmt.Errorf("submission %d: sender: %w", f.id, err)
		}
		return f, nil
	})
	if err != nil || len(fills) == 0 {
		return err
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		for _, f := range fills {
			if _, err := tx.Exec(ctx, `UPDATE l1_submissions SET sender = $2 WHERE id = $1 AND sender IS NULL`, f.id, f.addr[:]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("submitter: fill submission senders: %w", err)
	}
	s.log.Info("submissions stored before per-sender nonces given their sender (recovered from their signed transactions)", "rows", len(fills))
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
	for _, sd := range s.senders {
		if bal, err := s.client.BalanceAt(ctx, sd.addr, nil); err == nil {
			f, _ := new(big.Float).SetInt(bal).Float64()
			s.m.balance.WithLabelValues(sd.name()).Set(f)
		}
	}
	head, err := s.client.BlockNumber(ctx)
	if err != nil {
		return fmt.Errorf("block number: %w", err)
	}
	if err := s.checkIncluded(ctx, head); err != nil {
		return err
	}
	if err := s.checkPending(ctx, head); err != nil {
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
	sender common.Address
	nonce  uint64
	hash   common.Hash
	raw    []byte
	status string
	block  *int64
	bhash  []byte
	// predecessorMissing: reverted because the batch before it was not on
	// chain (auto mode, after a reorg); not an out-of-gas revert.
	predecessorMissing bool
}

func (r *submission) tx() (*types.Transaction, error) {
	tx := new(types.Transaction)
	if err := tx.UnmarshalBinary(r.raw); err != nil {
		return nil, fmt.Errorf("submission %d: stored transaction: %w", r.id, err)
	}
	return tx, nil
}

const submissionCols = `id, batch_number, sender, nonce, tx_hash, raw_tx, status, included_block, included_block_hash, predecessor_missing`

func (s *Submitter) query(ctx context.Context, sql string, args ...any) ([]*submission, error) {
	rows, err := s.conn.Query(ctx, `SELECT `+submissionCols+` FROM l1_submissions `+sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (*submission, error) {
		var (
			x        submission
			nonce    int64
			hash, sd []byte
		)
		if err := r.Scan(&x.id, &x.batch, &sd, &nonce, &hash, &x.raw, &x.status, &x.block, &x.bhash, &x.predecessorMissing); err != nil {
			return nil, err
		}
		x.nonce, x.hash, x.sender = uint64(nonce), common.BytesToHash(hash), common.BytesToAddress(sd)
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
	rows, err := s.query(ctx, `WHERE status = 'included' ORDER BY batch_number, id`)
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

// checkPending follows every (sender, nonce) with a live (created or
// sent) submission, the senders in the order of their oldest live batch;
// head is the node's latest block number.
func (s *Submitter) checkPending(ctx context.Context, head uint64) error {
	live, err := s.query(ctx, `WHERE status IN ('created', 'sent') ORDER BY batch_number, nonce, id`)
	if err != nil || len(live) == 0 {
		return err
	}
	keep := map[common.Hash]bool{}
	var (
		order  []common.Address
		nonces = map[common.Address][]uint64{}
	)
	for _, r := range live {
		keep[r.hash] = true
		ns, seen := nonces[r.sender]
		if !seen {
			order = append(order, r.sender)
		}
		if len(ns) == 0 || ns[len(ns)-1] != r.nonce {
			nonces[r.sender] = append(ns, r.nonce)
		}
	}
	for h := range s.lastSent {
		if !keep[h] {
			delete(s.lastSent, h)
		}
	}
	for k := range s.spentAt {
		if !slices.Contains(nonces[k.sender], k.nonce) {
			delete(s.spentAt, k)
		}
	}
	for _, addr := range order {
		// The confirmed nonce is read before the receipts: a transaction
		// mined in between is then seen by its receipt, never taken for a
		// foreign one.
		confirmed, err := s.client.NonceAt(ctx, addr, nil)
		if err != nil {
			return fmt.Errorf("nonce of %s: %w", addr, err)
		}
		for _, n := range nonces[addr] {
			if err := s.checkNonce(ctx, addr, n, confirmed, head); err != nil {
				return err
			}
		}
	}
	return nil
}

// senderNonce names one nonce of one sender.
type senderNonce struct {
	sender common.Address
	nonce  uint64
}

// foreignNonceBlocks is how many blocks past the head at which a nonce was
// first seen spent without a receipt of ours the submitter waits before it
// decides the key was used elsewhere. Nodes can report the nonce of a new
// block before they serve its receipts (anvil right after mining, a
// lagging transaction index, a load-balanced endpoint); dropping our own
// mined transaction would leave its batch on chain and 'proven' here.
const foreignNonceBlocks = 2

func (s *Submitter) checkNonce(ctx context.Context, addr common.Address, n, confirmed, head uint64) error {
	// Every transaction ever signed with this nonce (for one batch only) may
	// be the one that lands.
	rows, err := s.query(ctx, `WHERE sender = $1 AND nonce = $2 AND status IN ('created', 'sent', 'replaced', 'reorged') ORDER BY id`, addr[:], int64(n))
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
		// The nonce is spent and no receipt of ours is served (yet).
		key := senderNonce{addr, n}
		if ours, err := s.batchSentByUs(ctx, rows); err != nil || ours {
			if ours {
				s.warn(fmt.Sprint("receipt", addr, n), "the node shows the batch posted by our transaction but serves no receipt for it yet: waiting",
					"sender", addr, "nonce", n, "batch", rows[0].batch)
			}
			return err
		}
		first, seen := s.spentAt[key]
		if !seen {
			s.spentAt[key] = head
			s.log.Warn("nonce spent on chain without a receipt of ours: checking again in a few blocks",
				"sender", addr, "nonce", n, "batch", rows[0].batch, "head", head)
			return nil
		}
		if head < first+foreignNonceBlocks {
			return nil
		}
		delete(s.spentAt, key)
		// The nonce was used by a transaction this submitter did not sign.
		s.m.foreignNonces.Inc()
		s.log.Error("nonce used outside the submitter: its transactions are dropped and the batch gets a new nonce",
			"sender", addr, "nonce", n, "batch", rows[0].batch, "first_seen_head", first, "head", head)
		return s.inTx(ctx, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE l1_submissions SET status = 'dropped' WHERE sender = $1 AND nonce = $2 AND status IN ('created', 'sent')`,
				addr[:], int64(n))
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
	if s.senderOf(addr) == nil {
		// Signed with a key the submitter no longer holds: it is followed
		// and re-broadcast as it is, never replaced.
		s.lastSent[last.hash] = s.now()
		s.warn(fmt.Sprint("foreign", addr), "stuck transaction of a key the submitter does not hold: cannot replace it",
			"sender", addr, "batch", last.batch, "nonce", n, "tx", last.hash)
		return nil
	}
	return s.bump(ctx, last)
}

// batchSubmittedID is the BatchSubmitted event's topic 0.
var batchSubmittedID = bindings.NewRollup().GetABI().Events["BatchSubmitted"].ID

// batchSentByUs reports whether the contract's BatchSubmitted event for
// the batch of rows (all one batch's, one nonce) came from one of their
// transactions: the chain then holds our transaction even while the node
// serves no receipt for it.
func (s *Submitter) batchSentByUs(ctx context.Context, rows []*submission) (bool, error) {
	ours := map[common.Hash]bool{}
	for _, r := range rows {
		ours[r.hash] = true
	}
	logs, err := s.batchEvents(ctx, rows[0].batch)
	if err != nil {
		return false, err
	}
	for _, l := range logs {
		if ours[l.TxHash] {
			return true, nil
		}
	}
	return false, nil
}

// batchEvents are the contract's BatchSubmitted logs for batch, on the
// node's canonical chain.
func (s *Submitter) batchEvents(ctx context.Context, batch int64) ([]types.Log, error) {
	logs, err := s.client.FilterLogs(ctx, ethereum.FilterQuery{Addresses: []common.Address{s.cfg.Contract},
		Topics: [][]common.Hash{{batchSubmittedID}, {common.BigToHash(big.NewInt(batch))}}})
	if err != nil {
		return nil, fmt.Errorf("BatchSubmitted events of batch %d: %w", batch, err)
	}
	return slices.DeleteFunc(logs, func(l types.Log) bool { return l.Removed }), nil
}

// included records the receipt of a submission: the batch is submitted,
// or, if the transaction reverted, the batch stays proven and is sent again
// after a new estimate.
func (s *Submitter) included(ctx context.Context, r *submission, rc *types.Receipt) error {
	s.payGas(rc)
	ok := rc.Status == types.ReceiptStatusSuccessful
	status := "included"
	missing := false
	if !ok {
		// 'dropped' with its inclusion recorded: the nonce is spent, the
		// batch is not posted.
		status = "dropped"
		s.m.reverts.Inc()
		missing = s.predecessorMissing(ctx, r.batch, rc.BlockNumber)
		if missing {
			s.log.Warn("batch transaction reverted: the batch before it was not on chain (a reorg removed it); sending it again once that one is included",
				"batch", r.batch, "sender", r.sender, "tx", r.hash, "block", rc.BlockNumber, "gas_used", rc.GasUsed)
		} else {
			s.log.Error("batch transaction reverted: re-reading the contract and estimating again", "batch", r.batch,
				"tx", r.hash, "block", rc.BlockNumber, "gas_used", rc.GasUsed)
		}
	} else {
		s.log.Info("batch included", "batch", r.batch, "sender", r.sender, "tx", r.hash, "block", rc.BlockNumber, "gas_used", rc.GasUsed,
			"gas_price", rc.EffectiveGasPrice, "blob_gas_used", rc.BlobGasUsed, "blob_gas_price", rc.BlobGasPrice)
	}
	blobUsed, blobPrice := blobGasPrice(rc)
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE l1_submissions SET status = $2, included_block = $3, included_block_hash = $4, gas_used = $5,
			blob_gas_used = $6, blob_gas_price = $7::numeric, predecessor_missing = $8 WHERE id = $1`,
			r.id, status, rc.BlockNumber.Int64(), rc.BlockHash[:], int64(rc.GasUsed), blobUsed, blobPrice, missing); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE l1_submissions SET status = 'replaced' WHERE sender = $1 AND nonce = $2 AND id <> $3 AND status IN ('created', 'sent')`,
			r.sender[:], int64(r.nonce), r.id); err != nil {
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

// predecessorMissing reports whether batch's transaction, reverted in
// block, reverted because the batch before it was not on chain: at the end
// of that block the contract still expected an earlier batch. In auto mode
// that happens when a reorg removes the other sender's earlier batch and
// the later one lands first. (Should the predecessor land later in the same
// block, the revert counts as an ordinary one: a larger gas margin next
// time, nothing worse.) When the node cannot serve that block's state
// (pruned history), the database decides: the predecessor was missing
// unless a successful transaction of it is recorded in a block at or
// before this one. (Its status alone would not do: after a reorg the
// predecessor is often included again, in a later block, before this
// receipt is looked at.)
func (s *Submitter) predecessorMissing(ctx context.Context, batch int64, block *big.Int) bool {
	to := s.cfg.Contract
	out, err := s.client.CallContract(ctx, ethereum.CallMsg{To: &to, Data: s.rollup.PackNextBatch()}, block)
	if err == nil {
		next, uerr := s.rollup.UnpackNextBatch(out)
		if uerr == nil {
			return next < uint64(batch)
		}
		err = uerr
	}
	if batch <= 1 {
		return false
	}
	var before *int64 // the predecessor's latest recorded inclusion
	if qerr := s.conn.QueryRow(ctx, `SELECT max(included_block) FROM l1_submissions
		WHERE batch_number = $1 AND status IN ('included', 'finalized')`, batch-1).Scan(&before); qerr != nil {
		s.log.Warn("cannot tell why a batch transaction reverted", "batch", batch, "block", block, "err", err, "db_err", qerr)
		return false
	}
	missing := before == nil || *before > block.Int64()
	var shown any = "none"
	if before != nil {
		shown = *before
	}
	s.log.Warn("the contract's state at a reverted transaction's block is unreadable: the database decides whether its predecessor was missing",
		"batch", batch, "block", block, "err", err, "predecessor_included_block", shown, "predecessor_missing", missing)
	return missing
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
		if s.senderOf(r.sender) == nil {
			// A key the submitter no longer holds: nothing to replace with.
			s.warn(fmt.Sprint("foreign", r.sender), "node refused a transaction of a key the submitter does not hold as underpriced",
				"sender", r.sender, "batch", r.batch, "nonce", r.nonce, "tx", r.hash)
			return nil
		}
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
	nr, err := s.store(ctx, s.senderOf(r.sender), r.batch, r.nonce, old.Gas(), old.Data(), f, old.BlobHashes(), r.id)
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
	bc, _ := s.client.(BlobClient) // NewWithKeys checked it when there is a blob key
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
func (s *Submitter) store(ctx context.Context, sd *sender, batch int64, nonce, gas uint64, data []byte, f txFees, blobHashes []common.Hash, replaces int64) (*submission, error) {
	if sd == nil {
		return nil, errors.New("store: no key for the transaction's sender")
	}
	if (len(blobHashes) > 0) != sd.blob {
		// A key signs one kind of transaction only (nodes refuse blob and
		// non-blob transactions of one address pending at once).
		return nil, fmt.Errorf("store: the %s key must not sign this transaction", sd.name())
	}
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
	tx, err := types.SignNewTx(sd.key, s.signer, inner)
	if err != nil {
		return nil, err
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		return nil, err
	}
	r := &submission{batch: batch, sender: sd.addr, nonce: nonce, hash: tx.Hash(), raw: raw, status: "created"}
	err = s.inTx(ctx, func(dtx pgx.Tx) error {
		if replaces != 0 {
			if _, err := dtx.Exec(ctx, `UPDATE l1_submissions SET status = 'replaced' WHERE id = $1 AND status IN ('created', 'sent')`, replaces); err != nil {
				return err
			}
		}
		return dtx.QueryRow(ctx, `INSERT INTO l1_submissions (batch_number, sender, nonce, tx_hash, raw_tx, gas_fee_cap, gas_tip_cap, blob_fee_cap)
			VALUES ($1, $2, $3, $4, $5, $6::numeric, $7::numeric, $8::numeric) RETURNING id`,
			batch, sd.addr[:], int64(nonce), r.hash[:], raw, f.feeCap.String(), f.tip.String(), blobFeeCap).Scan(&r.id)
	})
	if err != nil {
		return nil, fmt.Errorf("store submission: %w", err)
	}
	return r, nil
}
