package sequencer

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/jackc/pgx/v5"

	"github.com/sheafrollup/sheaf/protocol"
)

// entry is an unsealed entry of the L1 priority queue: a deposit or a
// forced-exit request. Both share the queue's indices and are consumed in
// queue order; the pending ledger applies them in that order too.
type entry struct {
	exit    *protocol.ForcedExit // nil for a deposit
	deposit protocol.Deposit
	// expiry is the L1 timestamp (unix seconds) after which anyone may
	// start exodus mode while the entry is unconsumed (0: unknown, a
	// deposit stored before the watcher recorded expiries).
	expiry int64
}

func depositEntry(d protocol.Deposit) entry { return entry{deposit: d} }

func (e entry) queueIndex() uint64 {
	if e.exit != nil {
		return e.exit.QueueIndex
	}
	return e.deposit.QueueIndex
}

// apply applies the entry to a ledger. A forced exit judged a no-op is not
// an error (it consumes its entry all the same).
func (e entry) apply(l *protocol.Ledger) error {
	if e.exit != nil {
		_, err := l.ApplyForcedExit(e.exit)
		return err
	}
	_, _, err := l.ApplyDeposit(e.deposit)
	return err
}

func (e entry) String() string {
	if e.exit != nil {
		return fmt.Sprintf("forced exit %d (account %d)", e.exit.QueueIndex, e.exit.Index)
	}
	return fmt.Sprintf("deposit %d", e.deposit.QueueIndex)
}

func sameEntry(a, b entry) bool {
	switch {
	case (a.exit == nil) != (b.exit == nil):
		return false
	case a.exit != nil:
		// The chain value commits to the request and every earlier one.
		return a.exit.QueueIndex == b.exit.QueueIndex && a.exit.Chain() == b.exit.Chain()
	}
	return sameDeposit(a.deposit, b.deposit)
}

// exitFloor is the queue position every pending transaction must wait for:
// just past the last forced exit among the unsealed entries. A batch
// applies its forced exits before its transactions, so a transaction
// accepted before a forced exit arrived is re-checked after it (a forced
// exit empties the account and takes its nonce: the operator cannot let a
// held-back transfer make the request stale) and sealed no earlier than the
// batch that consumes it.
func exitFloor(es []entry) uint64 {
	for i := len(es) - 1; i >= 0; i-- {
		if es[i].exit != nil {
			return es[i].exit.QueueIndex + 1
		}
	}
	return 0
}

func hasExit(es []entry) bool { return exitFloor(es) > 0 }

// loadEntries reads up to limit stored priority-queue entries (deposits
// and forced exits) from queue index from on, in queue order, stopping at
// the first gap (the watcher has not stored that entry yet).
func loadEntries(ctx context.Context, c *pgx.Conn, from uint64, limit int) ([]entry, error) {
	deps, err := loadDeposits(ctx, c, from, limit)
	if err != nil {
		return nil, err
	}
	exits, err := loadForcedExits(ctx, c, from, limit)
	if err != nil {
		return nil, err
	}
	// Each table's first limit rows from `from` on hold every entry of a
	// gapless prefix of length limit.
	all := append(deps, exits...)
	slices.SortFunc(all, func(a, b entry) int {
		switch qa, qb := a.queueIndex(), b.queueIndex(); {
		case qa < qb:
			return -1
		case qa > qb:
			return 1
		}
		return 0
	})
	out := all[:0]
	for _, e := range all {
		if len(out) == limit || e.queueIndex() != from+uint64(len(out)) {
			break
		}
		out = append(out, e)
	}
	return out, nil
}

// loadForcedExits reads up to limit stored forced-exit requests from queue
// index from on (gaps included: deposits fill them).
func loadForcedExits(ctx context.Context, c *pgx.Conn, from uint64, limit int) ([]entry, error) {
	rows, err := c.Query(ctx, `SELECT queue_index, account_idx, recipient, nonce, sig_rx, sig_ry, sig_s, prev_chain, expiry
		FROM forced_exits WHERE queue_index >= $1 ORDER BY queue_index LIMIT $2`, int64(from), limit)
	if err != nil {
		return nil, fmt.Errorf("load forced exits: %w", err)
	}
	defer rows.Close()
	var out []entry
	for rows.Next() {
		var (
			qi, idx, nonce, expiry   int64
			to, rx, ry, s, prevChain []byte
		)
		if err := rows.Scan(&qi, &idx, &to, &nonce, &rx, &ry, &s, &prevChain, &expiry); err != nil {
			return nil, fmt.Errorf("load forced exits: %w", err)
		}
		f := &protocol.ForcedExit{QueueIndex: uint64(qi), Index: uint32(idx), Recipient: [20]byte(to), Nonce: uint32(nonce)}
		for _, p := range []struct {
			dst *fr.Element
			b   []byte
		}{{&f.Sig.R.X, rx}, {&f.Sig.R.Y, ry}, {&f.Sig.S, s}, {&f.PrevChain, prevChain}} {
			if err := p.dst.SetBytesCanonical(p.b); err != nil {
				return nil, fmt.Errorf("forced exit %d: %w", qi, err)
			}
		}
		out = append(out, entry{exit: f, expiry: expiry})
	}
	return out, rows.Err()
}

// priorityMargin is how long before its expiry an unsealed entry forces a
// batch: the configured margin, else half the contract's priority expiry.
func (s *Sequencer) priorityMargin() time.Duration {
	if s.cfg.PriorityMargin > 0 {
		return s.cfg.PriorityMargin
	}
	if s.settings == nil {
		return 0
	}
	return time.Duration(s.settings.PriorityExpiry) * time.Second / 2
}

// now is the clock the priority deadlines are compared with (L1 time).
func (s *Sequencer) now() time.Time {
	if s.cfg.Clock != nil {
		return s.cfg.Clock()
	}
	return time.Now()
}

// priorityUrgent reports whether the oldest unsealed queue entry is within
// the priority margin of its expiry (a batch must be sealed now, even an
// otherwise empty one), and sets the time-to-expiry gauge. Caller holds
// s.mu (read).
func (s *Sequencer) priorityUrgent() bool {
	if len(s.deposits) == 0 || s.deposits[0].expiry == 0 {
		s.m.priorityExpiry.Set(math.Inf(1))
		return false
	}
	left := time.Unix(s.deposits[0].expiry, 0).Sub(s.now())
	s.m.priorityExpiry.Set(left.Seconds())
	return left <= s.priorityMargin()
}
