package sequencer

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/holiman/uint256"
	"github.com/jackc/pgx/v5"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/internal/cputime"
	"github.com/sheafrollup/sheaf/protocol"
)

// sealLoop seals batches off the ingest path: planning, applying the batch
// to the sealed state and encoding the witness happen here, and only the
// database write goes through the writer (the lock-holding connection).
func (s *Sequencer) sealLoop(stop context.Context) {
	ctx := context.WithoutCancel(stop)
	tick := time.NewTicker(min(s.cfg.BatchDelay/4, 50*time.Millisecond))
	defer tick.Stop()
	var last time.Time
	for {
		var err error
		select {
		case <-stop.Done():
			return
		case <-tick.C:
			if time.Since(last) < s.cfg.SealInterval {
				continue
			}
			// Without a seal interval, seal every batch that is full (or
			// due) now rather than one per tick: one 32-transfer batch per
			// 50 ms tick caps sealing at 640 transfers a second whatever
			// the CPU, and the mempool grows behind it.
			for {
				var sealed bool
				sealed, err = s.maybeSeal(ctx, false)
				if sealed {
					last = time.Now()
				}
				if !sealed || err != nil || s.cfg.SealInterval > 0 || stop.Err() != nil {
					break
				}
			}
		case r := <-s.sealReqs:
			var sealed bool
			sealed, err = s.maybeSeal(ctx, true)
			if sealed { // the seal interval counts from any batch
				last = time.Now()
			}
			r <- err
		}
		if err != nil {
			select {
			case s.sealErr <- err:
			case <-stop.Done():
			}
			return
		}
	}
}

// maybeSeal seals a batch when a section is full or the oldest unsealed
// operation has waited BatchDelay (force seals whatever is there).
func (s *Sequencer) maybeSeal(ctx context.Context, force bool) (bool, error) {
	s.mu.RLock()
	nt, nw := 0, 0
	for _, p := range s.queue {
		if p.transfer != nil {
			nt++
		} else {
			nw++
		}
	}
	cc := s.cfg.Circuit
	full := (cc.Transfers > 0 && nt >= cc.Transfers) || (cc.Withdrawals > 0 && nw >= cc.Withdrawals) ||
		(cc.Deposits > 0 && len(s.deposits) >= cc.Deposits)
	due := (nt+nw+len(s.deposits) > 0) && time.Since(s.oldest) >= s.cfg.BatchDelay
	s.mu.RUnlock()
	if !full && !due && !force {
		return false, nil
	}
	return s.seal(ctx)
}

// plan picks the next batch: up to D deposits in queue order, then the
// longest prefix of the pending queue that fits the slots and keeps every
// account's nonce order under the circuit's section order (transfers
// before withdrawals) and has its deposits included.
func (s *Sequencer) plan(fee uint32) (protocol.BatchInput, int) {
	cc := s.cfg.Circuit
	in := protocol.BatchInput{FeeAccount: fee, SignaturesVerified: true}
	nd := min(cc.Deposits, len(s.deposits))
	in.Deposits = s.deposits[:nd]
	depEnd := s.sealed.NextDeposit() + uint64(nd)
	withdrew := map[uint32]bool{}
	n := 0
	for _, p := range s.queue {
		if p.watermark > depEnd {
			break
		}
		if p.transfer != nil {
			if len(in.Transfers) == cc.Transfers || withdrew[p.transfer.From] {
				break
			}
			in.Transfers = append(in.Transfers, *p.transfer)
		} else {
			if len(in.Withdrawals) == cc.Withdrawals {
				break
			}
			in.Withdrawals = append(in.Withdrawals, *p.withdrawal)
			withdrew[p.withdrawal.From] = true
		}
		n++
	}
	return in, n
}

// seal applies the planned batch to the sealed state and stores it, with
// its full witness, in one database transaction. A failure after the state
// changed is fatal: the process restarts from the database, the source of
// truth.
func (s *Sequencer) seal(ctx context.Context) (bool, error) {
	// Only this goroutine changes the sealed state and removes from the
	// front of the queue, so the planned prefix stays put while the writer
	// appends behind it; the writer replaces the pending state (after a
	// reorg) only while no seal holds this.
	fee, ok := s.feeAccountFor(s.sealed.BatchNumber() + 1)
	if !ok {
		return false, nil
	}
	select {
	case s.sealing <- struct{}{}:
	case <-s.done:
		return false, api.ErrUnavailable
	}
	defer func() { <-s.sealing }()
	s.mu.RLock()
	in, n := s.plan(fee)
	txs := append([]*pendingTx(nil), s.queue[:n]...)
	s.mu.RUnlock()
	if len(in.Deposits)+n == 0 {
		return false, nil
	}
	start := time.Now()
	// The sealer's CPU (apply, witness) is measured on its own thread:
	// wall time on a busy machine says little about what sealing costs.
	runtime.LockOSThread()
	cpu0 := cputime.Thread()
	s.stateMu.Lock()
	b, err := s.sealed.ApplyBatch(in)
	s.stateMu.Unlock()
	var witness []byte
	if err == nil {
		witness = protocol.EncodeWitness(b)
	}
	cpu := cputime.Thread() - cpu0
	runtime.UnlockOSThread()
	if err != nil {
		return false, fmt.Errorf("sequencer: sealing batch %d: %w (pending state and sealed state disagree)", s.sealed.BatchNumber()+1, err)
	}
	r := &storeReq{b: b, txs: txs, witness: witness, reply: make(chan error, 1)}
	select {
	case s.stores <- r:
	case <-ctx.Done():
		return false, ctx.Err()
	case <-s.done:
		return false, api.ErrUnavailable
	}
	if err := <-r.reply; errors.Is(err, errDepositChanged) {
		// The writer reloaded the state from the database: plan again.
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("sequencer: store batch %d: %w", b.Header.Number, err)
	}

	s.mu.Lock()
	var fees uint256.Int
	for _, t := range b.Transfers {
		fees.Add(&fees, &t.Tx.Fee)
	}
	for _, w := range b.Withdrawals {
		fees.Add(&fees, &w.Tx.Fee)
	}
	// The pending ledger learns the fee credit only now, as the circuit
	// credits fees at the end of the batch.
	err = s.ledger.CreditFee(b.Header.FeeAccount, &fees)
	s.queue = s.queue[n:]
	s.deposits = s.deposits[len(b.Deposits):]
	s.oldest = time.Now()
	if len(s.queue) > 0 {
		s.oldest = s.queue[0].receivedAt
	}
	s.m.pending.Set(float64(len(s.queue)))
	s.mu.Unlock()
	if err != nil {
		return false, fmt.Errorf("sequencer: credit fees to the pending state: %w", err)
	}
	s.m.sealed.Inc()
	s.m.sealSeconds.Observe(time.Since(start).Seconds())
	s.m.sealCPU.Add(cpu.Seconds())
	s.sealCPU.Add(int64(cpu))
	s.sealedTxs.Add(uint64(len(b.Transfers) + len(b.Withdrawals)))
	s.log.Info("batch sealed", "batch", b.Header.Number, "deposits", len(b.Deposits), "transfers", len(b.Transfers),
		"withdrawals", len(b.Withdrawals), "l1_bytes", len(b.Compact()), "seconds", time.Since(start).Seconds())
	return true, nil
}

// feeAccountFor returns the fee account batch n must name: the contract's
// value in force for n as of a final L1 block. It reports false, and
// sealing waits, while n is beyond what that block settles (a fee-account
// change announced later could still apply to n) or the account is not in
// the sealed state yet; a batch sealed with any other value would be
// refused by the contract forever.
func (s *Sequencer) feeAccountFor(n uint64) (uint32, bool) {
	p := s.params.Load()
	s.m.sealLead.Set(float64(n-1) - float64(p.LastBatch))
	if n > p.SealLimit() {
		if s.sealBlocked.Swap(n) != n {
			s.log.Warn("sealing waits for L1 finality: the batch is beyond what the final L1 block settles",
				"batch", n, "l1_final_batch", p.LastBatch, "change_delay", p.ChangeDelay, "l1_block", p.Block)
		}
		return 0, false
	}
	fee := p.FeeAccountAt(n)
	if _, ok := s.sealed.Account(fee); !ok {
		if s.sealBlocked.Swap(n) != n {
			s.log.Error("the rollup's fee account is not in the sealed state; sealing waits", "batch", n, "fee_account", fee)
		}
		return 0, false
	}
	s.sealBlocked.Store(0)
	return fee, true
}

// pollDeposits applies newly observed L1 deposits to the pending ledger
// (a notification on sheaf_deposits also checks the applied ones).
func (s *Sequencer) pollDeposits(ctx context.Context, c *pgx.Conn) error {
	s.mu.RLock()
	next := s.ledger.NextDeposit()
	s.mu.RUnlock()
	ds, err := loadDeposits(ctx, c, next, depositBatch)
	if err != nil {
		return err
	}
	return s.applyDeposits(ds)
}

// depositStuck reports a queued deposit L2 cannot place. The contract
// refuses every deposit L2 would (full tree, bad key, amount), so this is
// a bug, not input; stopping would take the wallet API down with it, so
// the deposit queue waits at this deposit instead, loudly, and transfers
// and withdrawals go on.
func (s *Sequencer) depositStuck(d protocol.Deposit, err error) {
	if s.stuckAt.Swap(d.QueueIndex+1) != d.QueueIndex+1 {
		s.log.Error("a queued L1 deposit cannot be applied: deposits wait here (the contract should have refused it)",
			"queue_index", d.QueueIndex, "err", err)
	}
}

// storeReq hands a sealed batch to the writer.
type storeReq struct {
	b       *protocol.Batch
	txs     []*pendingTx
	witness []byte
	reply   chan error
}

// SealCPU returns the CPU time the sealer has spent applying the batches it
// sealed to the sealed state and encoding their witnesses (not the database
// write; zero off Linux), and the L2 transactions (transfers and
// withdrawals) those batches hold.
func (s *Sequencer) SealCPU() (time.Duration, uint64) {
	return time.Duration(s.sealCPU.Load()), s.sealedTxs.Load()
}

// SealNow seals whatever is pending now (tests, operators).
func (s *Sequencer) SealNow(ctx context.Context) error {
	r := make(chan error, 1)
	select {
	case s.sealReqs <- r:
	case <-ctx.Done():
		return ctx.Err()
	case <-s.done:
		return api.ErrUnavailable
	}
	select {
	case err := <-r:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
