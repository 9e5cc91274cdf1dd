package sequencer

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sheafrollup/sheaf/api"
)

// hub fans batch and transaction events out to subscribers. Sends never
// block: a subscriber that does not keep up misses events and re-queries.
type hub struct {
	mu   sync.Mutex
	next int
	bs   map[int]chan<- api.BatchInfo
	txs  map[common.Hash]map[int]chan<- api.TxInfo
}

func newHub() *hub {
	return &hub{bs: map[int]chan<- api.BatchInfo{}, txs: map[common.Hash]map[int]chan<- api.TxInfo{}}
}

func (h *hub) batches(ch chan<- api.BatchInfo) func() {
	h.mu.Lock()
	defer h.mu.Unlock()
	id := h.next
	h.next++
	h.bs[id] = ch
	return func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.bs, id)
	}
}

func (h *hub) tx(hash common.Hash, ch chan<- api.TxInfo) func() {
	h.mu.Lock()
	defer h.mu.Unlock()
	id := h.next
	h.next++
	if h.txs[hash] == nil {
		h.txs[hash] = map[int]chan<- api.TxInfo{}
	}
	h.txs[hash][id] = ch
	return func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.txs[hash], id)
		if len(h.txs[hash]) == 0 {
			delete(h.txs, hash)
		}
	}
}

func (h *hub) publishBatch(b api.BatchInfo) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ch := range h.bs {
		select {
		case ch <- b:
		default:
		}
	}
}

func (h *hub) wants(hash common.Hash) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.txs[hash]) > 0
}

func (h *hub) publishTx(t api.TxInfo) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ch := range h.txs[t.Hash] {
		select {
		case ch <- t:
		default:
		}
	}
}

// listen turns 'sheaf_batches' notifications (sent by the sequencer when it
// seals, and by provers and the submitter when a batch changes stage) into
// subscription events, and 'sheaf_deposits' notifications (the watcher
// stored or, after a reorg, deleted deposits) into a comparison of the
// applied deposits with the table. It reconnects until ctx ends.
func (s *Sequencer) listen(ctx context.Context) {
	for ctx.Err() == nil {
		if err := s.listenOnce(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("notifications: reconnecting", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}
}

func (s *Sequencer) listenOnce(ctx context.Context) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer func() {
		// The connection carries LISTENs: never hand it back to the pool.
		cctx, cancel := context.WithTimeout(context.Background(), time.Second)
		conn.Conn().Close(cctx) //nolint:errcheck
		cancel()
		conn.Release()
	}()
	if _, err := conn.Exec(ctx, "LISTEN sheaf_batches; LISTEN "+notifyDeposits); err != nil {
		return err
	}
	s.wakeDeposits() // deposits notified while nobody listened
	// Batches sealed while nobody listened (before the first LISTEN, or
	// while reconnecting): their notifications are lost, so publish them
	// from the table. One sealed between LISTEN and this query is also
	// notified and published twice, which newBatches allows (a batch is
	// published again on every status change).
	var latest int64
	if err := conn.QueryRow(ctx, `SELECT coalesce(max(number), 0) FROM batches`).Scan(&latest); err != nil {
		return err
	}
	for num := s.notified.Load() + 1; num <= uint64(latest); num++ {
		s.publishBatch(ctx, num)
	}
	for {
		n, err := conn.Conn().WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if n.Channel == notifyDeposits {
			s.wakeDeposits()
			continue
		}
		num, err := strconv.ParseUint(n.Payload, 10, 64)
		if err != nil {
			continue
		}
		s.publishBatch(ctx, num)
	}
}

// publishBatch sends batch num's current BatchInfo to newBatches
// subscribers and its transactions' statuses to their subscribers.
func (s *Sequencer) publishBatch(ctx context.Context, num uint64) {
	b, err := loadBatchInfo(ctx, s.pool, num)
	if err != nil {
		s.log.Warn("batch notification", "batch", num, "err", err)
		return
	}
	for {
		old := s.notified.Load()
		if num <= old || s.notified.CompareAndSwap(old, num) {
			break
		}
	}
	s.hub.publishBatch(*b)
	for _, h := range b.Transactions {
		if !s.hub.wants(h) {
			continue
		}
		if t, err := s.Transaction(ctx, h); err == nil {
			s.hub.publishTx(*t)
		}
	}
}
