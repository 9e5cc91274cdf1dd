package sequencer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sheafrollup/sheaf/protocol"
)

// Deposits move under a running sequencer when L1 reorganises: the watcher
// deletes the unsealed rows of blocks that left the canonical chain (and
// stores what replaced them), then NOTIFYs sheaf_deposits. The sequencer
// follows the table, never its memory:
//
//   - the sealing transaction consumes a deposit only if its row is still
//     there, unsealed, with the key and amount the batch carries
//     (errDepositChanged otherwise: nothing is stored, the state is reloaded
//     and the next batch is planned from the table);
//   - on a notification it compares the deposits it has applied with the
//     table and, when one changed, rebuilds the pending state from the
//     sealed state, the table and the pending transactions; a transaction
//     that no longer applies becomes 'rejected' with the reason.

// errDepositChanged: a deposit of the batch being sealed is no longer in
// the deposits table as the batch has it (a reorg removed or replaced it).
var errDepositChanged = errors.New("deposit changed on L1 since it was applied")

// notifyDeposits is the channel the watcher notifies when deposits rows are
// inserted or deleted.
const notifyDeposits = "sheaf_deposits"

// rejection is a pending transaction that no longer applies.
type rejection struct {
	tx     *pendingTx
	reason string
}

// noChange is the "changed" argument of replay when every applied deposit
// is still in the table.
const noChange = ^uint64(0)

// replay rebuilds the pending state: base (a copy of the sealed state's
// ledger) plus the unsealed deposits ds (queue order from
// base.NextDeposit()) and the pending transactions in acceptance order,
// each applied after the deposits it was accepted with (its watermark) but
// never after one at or past queue index changed (the first deposit that
// differs from what those transactions saw). A transaction that no longer
// applies is returned as a rejection; the others keep a watermark no
// higher than the deposits they were re-checked against. A deposit that
// cannot be applied is an error (the contract refuses what L2 would).
//
// Accounts are addressed by index, and a reorg can hand an index that an
// unsealed deposit opened to another key. So a transaction whose sender
// was opened by an unsealed deposit has its signature checked again, and,
// when old (the pending state the transactions were accepted against) is
// known, a transaction that saw a changed deposit is rejected if its
// sender or recipient index now belongs to another key.
//
// Entries that no pending transaction relies on are applied last; one that
// cannot be applied holds the queue there (stuck is told, and used counts
// the entries applied) rather than stopping the sequencer.
//
// Forced exits among ds come before every pending transaction (exitFloor):
// a transaction accepted before the request is re-checked after it, and
// one that no longer applies (its account emptied, its nonce taken) is
// rejected with that reason.
func replay(base *protocol.Ledger, ds []entry, pending []*pendingTx, changed uint64, old *protocol.Ledger,
	stuck func(entry, error)) (ledger *protocol.Ledger, kept []*pendingTx, rejected []rejection, used int, err error) {
	ledger = base
	sealedAccounts := uint32(base.NumAccounts())
	floor := exitFloor(ds)
	reject := func(p *pendingTx, raised bool, err error) {
		why := "no longer valid after L1 deposits changed (reorg)"
		if raised {
			why = "no longer valid after a forced exit requested on L1 (forced exits come first)"
		}
		rejected = append(rejected, rejection{tx: p, reason: fmt.Sprintf("%s: %v", why, err)})
	}
	di := 0
	applyTo := func(mark uint64) error {
		for di < len(ds) && ledger.NextDeposit() < mark {
			if err := ds[di].apply(ledger); err != nil {
				return fmt.Errorf("sequencer: %s cannot be applied: %w", ds[di], err)
			}
			di++
		}
		return nil
	}
	for _, p := range pending {
		mark := max(p.watermark, floor)
		raised := mark > p.watermark && changed == noChange
		if err := applyTo(min(mark, changed)); err != nil {
			return nil, nil, nil, 0, err
		}
		if old != nil && p.watermark > changed {
			if err := sameOwners(p, old, ledger, sealedAccounts); err != nil {
				reject(p, false, err)
				continue
			}
		}
		cp := ledger.Checkpoint()
		if err := applyTxChecked(ledger, p, p.from() > sealedAccounts); err != nil {
			ledger.RevertTo(cp)
			ledger.Commit()
			reject(p, raised, err)
			continue
		}
		ledger.Commit()
		p.watermark = min(mark, ledger.NextDeposit())
		kept = append(kept, p)
	}
	for di < len(ds) {
		if err := ds[di].apply(ledger); err != nil {
			stuck(ds[di], err)
			break
		}
		di++
	}
	return ledger, kept, rejected, di, nil
}

func applyTxChecked(l *protocol.Ledger, p *pendingTx, verify bool) error {
	if p.transfer != nil {
		return l.ApplyTransfer(p.transfer, verify)
	}
	return l.ApplyWithdrawal(p.withdrawal, verify)
}

// sameOwners checks that the accounts a transaction names, where unsealed
// deposits opened them, still belong to the keys they had when it was
// accepted.
func sameOwners(p *pendingTx, old, now *protocol.Ledger, sealedAccounts uint32) error {
	idx := []uint32{p.from()}
	if p.transfer != nil {
		idx = append(idx, p.transfer.To)
	}
	for _, i := range idx {
		if i <= sealedAccounts {
			continue
		}
		was, _ := old.Account(i)
		is, ok := now.Account(i)
		if ok && is.PubKey.Bytes() != was.PubKey.Bytes() {
			return fmt.Errorf("account %d now belongs to another key", i)
		}
	}
	return nil
}

// firstChange returns the queue index of the first applied entry that the
// tables no longer hold as applied (noChange if none).
func firstChange(applied, table []entry) uint64 {
	for i, a := range applied {
		if i >= len(table) || !sameEntry(a, table[i]) {
			return a.queueIndex()
		}
	}
	return noChange
}

func sameDeposit(a, b protocol.Deposit) bool {
	return a.QueueIndex == b.QueueIndex && a.PubKey.Bytes() == b.PubKey.Bytes() && a.Amount == b.Amount
}

// exclusive runs f while no batch is being sealed: the pending state may be
// replaced only between seals (a seal in flight planned from it). It
// serves a seal in flight that waits on the writer for a reload first.
func (s *Sequencer) exclusive(ctx context.Context, c *pgx.Conn, f func() error) error {
	for {
		select {
		case s.sealing <- struct{}{}:
			defer func() { <-s.sealing }()
			return f()
		case r := <-s.reloads:
			if err := s.reload(ctx, c, r); err != nil {
				return err
			}
		}
	}
}

// syncDeposits compares the applied unsealed queue entries with the tables
// and applies new ones, or rebuilds the pending state when one changed or
// a new forced exit must come before the pending transactions.
func (s *Sequencer) syncDeposits(ctx context.Context, c *pgx.Conn) error {
	return s.exclusive(ctx, c, func() error {
		start := s.sealed.NextDeposit() // no seal runs: the sealed state is still
		s.mu.RLock()
		applied := append([]entry(nil), s.deposits...)
		s.mu.RUnlock()
		table, err := loadEntries(ctx, c, start, len(applied)+depositBatch)
		if err != nil {
			return err
		}
		changed := firstChange(applied, table)
		if changed == noChange && !hasExit(table[len(applied):]) {
			return s.applyDeposits(table[len(applied):])
		}
		return s.rebuildPending(ctx, c, table, changed)
	})
}

// rebuildPending replaces the pending state with the sealed state plus the
// tables' queue entries and the pending transactions that still apply, and
// records the others as rejected.
func (s *Sequencer) rebuildPending(ctx context.Context, c *pgx.Conn, table []entry, changed uint64) error {
	start := time.Now()
	s.stateMu.RLock()
	base := s.sealed.Ledger.Clone()
	s.stateMu.RUnlock()
	s.mu.RLock()
	pending := append([]*pendingTx(nil), s.queue...)
	marks := make([]uint64, len(pending))
	for i, p := range pending {
		marks[i] = p.watermark
	}
	s.mu.RUnlock()
	s.mu.RLock()
	old := s.ledger
	s.mu.RUnlock()
	ledger, kept, rejected, used, err := replay(base, table, pending, changed, old, s.depositStuck)
	if err != nil {
		return err
	}
	table = table[:used]
	if err := s.recordReplay(ctx, c, pending, marks, rejected); err != nil {
		return err
	}
	s.mu.Lock()
	s.ledger, s.queue, s.deposits = ledger, kept, table
	if len(kept) == 0 && len(table) == 0 {
		s.oldest = time.Now()
	}
	s.m.pending.Set(float64(len(kept)))
	s.mu.Unlock()
	if changed == noChange {
		s.log.Info("forced exit from L1: pending transactions re-checked after it",
			"unsealed_entries", len(table), "pending", len(kept), "rejected", len(rejected), "seconds", time.Since(start).Seconds())
	} else {
		s.m.depositReorgs.Inc()
		s.log.Warn("L1 deposits changed under the pending state (reorg): rebuilt it from the database",
			"first_changed_deposit", changed, "unsealed_deposits", len(table), "pending", len(kept),
			"rejected", len(rejected), "seconds", time.Since(start).Seconds())
	}
	s.announceRejected(ctx, rejected)
	return nil
}

// recordReplay stores what a replay decided, in one transaction: rejected
// transactions with their reason, changed watermarks (marks holds the
// watermarks before the replay, by position in pending).
func (s *Sequencer) recordReplay(ctx context.Context, c *pgx.Conn, pending []*pendingTx, marks []uint64, rejected []rejection) error {
	var lowered []*pendingTx
	isRejected := map[*pendingTx]bool{}
	for _, r := range rejected {
		isRejected[r.tx] = true
	}
	for i, p := range pending {
		if !isRejected[p] && p.watermark != marks[i] {
			lowered = append(lowered, p)
		}
	}
	if len(rejected) == 0 && len(lowered) == 0 {
		return nil
	}
	tx, err := c.Begin(ctx)
	if err != nil {
		return fmt.Errorf("sequencer: record re-checked transactions: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	for _, r := range rejected {
		if _, err := tx.Exec(ctx, `UPDATE transactions SET status = 'rejected', reason = $2 WHERE hash = $1 AND status = 'pending'`,
			r.tx.hash[:], r.reason); err != nil {
			return fmt.Errorf("sequencer: reject transaction %x: %w", r.tx.hash, err)
		}
	}
	for _, p := range lowered {
		if _, err := tx.Exec(ctx, `UPDATE transactions SET deposit_watermark = $2 WHERE hash = $1 AND status = 'pending'`,
			p.hash[:], int64(p.watermark)); err != nil {
			return fmt.Errorf("sequencer: transaction %x watermark: %w", p.hash, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("sequencer: record re-checked transactions: %w", err)
	}
	s.m.rejected.Add(float64(len(rejected)))
	for _, r := range rejected {
		s.log.Warn("pending transaction rejected", "hash", r.tx.hash, "from", r.tx.from(), "nonce", r.tx.nonce(), "reason", r.reason)
	}
	return nil
}

// announceRejected tells subscribers of rejected transactions.
func (s *Sequencer) announceRejected(ctx context.Context, rejected []rejection) {
	for _, r := range rejected {
		if !s.hub.wants(r.tx.hash) {
			continue
		}
		if t, err := s.Transaction(ctx, r.tx.hash); err == nil {
			s.hub.publishTx(*t)
		}
	}
}

// applyDeposits applies newly stored queue entries to the pending state,
// after the pending transactions (callers take new forced exits through
// rebuildPending instead).
func (s *Sequencer) applyDeposits(ds []entry) error {
	if len(ds) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queue) == 0 && len(s.deposits) == 0 {
		s.oldest = time.Now()
	}
	applied := 0
	for _, d := range ds {
		if err := d.apply(s.ledger); err != nil {
			s.depositStuck(d, err)
			break
		}
		s.deposits = append(s.deposits, d)
		applied++
	}
	s.m.deposits.Add(float64(applied))
	return nil
}

// wakeDeposits asks the writer to compare its deposits with the table.
func (s *Sequencer) wakeDeposits() {
	select {
	case s.depositWake <- struct{}{}:
	default:
	}
}
