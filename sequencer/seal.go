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
			// A queue entry near its expiry does not wait for the interval.
			if time.Since(last) < s.cfg.SealInterval && !s.urgent() {
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

// urgent reports whether the oldest unsealed queue entry is within the
// priority margin of its expiry (and updates the time-to-expiry gauge).
func (s *Sequencer) urgent() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.priorityUrgent()
}

// maybeSeal seals a batch when a section is full, the oldest unsealed
// operation has waited BatchDelay, or the oldest unsealed queue entry is
// near its L1 expiry (force seals whatever is there).
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
	nf := 0
	for _, e := range s.deposits {
		if e.exit != nil {
			nf++
		}
	}
	full := (cc.Transfers > 0 && nt >= cc.Transfers) || (cc.Withdrawals > 0 && nw >= cc.Withdrawals) ||
		(cc.Deposits > 0 && len(s.deposits)-nf >= cc.Deposits) || (cc.ForcedExits > 0 && nf >= cc.ForcedExits)
	due := (nt+nw+len(s.deposits) > 0) && time.Since(s.oldest) >= s.cfg.BatchDelay
	if s.priorityUrgent() {
		due = true
	}
	s.mu.RUnlock()
	if !full && !due && !force {
		return false, nil
	}
	return s.seal(ctx)
}

// plan picks the next batch: the longest prefix of the unsealed priority
// queue entries made of up to D deposits then up to F forced exits (a
// batch's deposits precede its forced exits in the queue: a deposit after a
// forced exit waits for the next batch), then the longest prefix of the
// pending queue that fits the slots and keeps every account's nonce order
// under the circuit's section order (transfers before withdrawals) and has
// its queue entries included.
// queue and deposits are what is still unsealed (the pending queue and
// priority-queue entries past the batches sealed but not yet stored).
func (s *Sequencer) plan(fee uint32, queue []*pendingTx, deposits []entry) (protocol.BatchInput, int) {
	cc := s.cfg.Circuit
	in := protocol.BatchInput{FeeAccount: fee, SignaturesVerified: true}
	for _, e := range deposits {
		if e.exit == nil {
			if len(in.ForcedExits) > 0 || len(in.Deposits) == cc.Deposits {
				break
			}
			in.Deposits = append(in.Deposits, e.deposit)
			continue
		}
		if len(in.ForcedExits) == cc.ForcedExits {
			break
		}
		in.ForcedExits = append(in.ForcedExits, *e.exit)
	}
	depEnd := s.sealed.NextDeposit() + uint64(len(in.Deposits)+len(in.ForcedExits))
	withdrew := map[uint32]bool{}
	n := 0
	for _, p := range queue {
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

// maxBatchesPerStore bounds the batches one writer transaction stores.
// The writer alternates batch stores with group commits of accepted
// transactions, so with one batch per store sealing falls behind as soon
// as a group holds more transactions than a batch (more than 32 clients).
const maxBatchesPerStore = 8

// seal applies the planned batch to the sealed state — and after it, when
// there is no seal interval, every further full batch the queue holds, up
// to maxBatchesPerStore — and
// stores them, with their full witnesses, in one database transaction. A
// failure after the state changed is fatal: the process restarts from the
// database, the source of truth.
func (s *Sequencer) seal(ctx context.Context) (bool, error) {
	// Only this goroutine changes the sealed state and removes from the
	// front of the queue, so the planned prefix stays put while the writer
	// appends behind it; the writer replaces the pending state (after a
	// reorg) only while no seal holds this.
	if p := s.sealPause.Load(); p != nil {
		select { // a test holds the sealer off (it holds nothing yet)
		case <-*p:
		case <-s.done:
			return false, api.ErrUnavailable
		}
	}
	if _, ok := s.feeAccountFor(s.sealed.BatchNumber() + 1); !ok {
		return false, nil
	}
	select {
	case s.sealing <- struct{}{}:
	case <-s.done:
		return false, api.ErrUnavailable
	}
	defer func() { <-s.sealing }()
	start := time.Now()
	cc := s.cfg.Circuit
	var items []*storeItem
	var cpu time.Duration
	nq, nd := 0, 0 // pending transactions and priority-queue entries taken so far
	// With a seal interval, one batch per seal as before: the interval is
	// the least time between two batches.
	for len(items) < maxBatchesPerStore && (len(items) == 0 || s.cfg.SealInterval == 0) {
		fee, ok := s.feeAccountFor(s.sealed.BatchNumber() + 1)
		if !ok {
			break
		}
		s.mu.RLock()
		in, n := s.plan(fee, s.queue[nq:], s.deposits[nd:])
		txs := append([]*pendingTx(nil), s.queue[nq:nq+n]...)
		s.mu.RUnlock()
		full := (cc.Transfers > 0 && len(in.Transfers) == cc.Transfers) || (cc.Withdrawals > 0 && len(in.Withdrawals) == cc.Withdrawals) ||
			(cc.Deposits > 0 && len(in.Deposits) == cc.Deposits) || (cc.ForcedExits > 0 && len(in.ForcedExits) == cc.ForcedExits)
		// The first batch is whatever maybeSeal decided to seal; further
		// ones only when full (a partial one waits for its delay).
		if len(in.Deposits)+len(in.ForcedExits)+n == 0 || (len(items) > 0 && !full) {
			break
		}
		// The sealer's CPU (apply, witness) is measured on its own thread:
		// wall time on a busy machine says little about what sealing costs.
		runtime.LockOSThread()
		cpu0 := cputime.Thread()
		s.stateMu.Lock()
		b, err := s.sealed.ApplyBatch(in)
		s.stateMu.Unlock()
		cpu += cputime.Thread() - cpu0
		runtime.UnlockOSThread()
		if err != nil {
			return false, fmt.Errorf("sequencer: sealing batch %d: %w (pending state and sealed state disagree)", s.sealed.BatchNumber()+1, err)
		}
		// The sealed state holds the deployment's configuration; a batch
		// is proven, hashed and posted in one concrete mode, so an auto
		// deployment's batch takes the one chosen now, before its public
		// input and witness are made (the pubdata layout is the same in
		// both modes, so applying it did not depend on the choice).
		if cc.Auto() {
			b.Config = s.chooseDA(ctx, b)
		}
		runtime.LockOSThread()
		cpu0 = cputime.Thread()
		it := &storeItem{b: b, txs: txs, witness: protocol.EncodeWitness(b), accounts: touchedAccounts(b, s.sealed)}
		cpu += cputime.Thread() - cpu0
		runtime.UnlockOSThread()
		items = append(items, it)
		nq += n
		nd += len(b.Deposits) + len(b.ForcedExits)
	}
	if len(items) == 0 {
		return false, nil
	}
	r := &storeReq{items: items, reply: make(chan error, 1)}
	select {
	case s.stores <- r:
	case <-ctx.Done():
		return false, ctx.Err()
	case <-s.done:
		return false, api.ErrUnavailable
	}
	first, last := items[0].b.Header.Number, items[len(items)-1].b.Header.Number
	if err := <-r.reply; errors.Is(err, errDepositChanged) {
		s.log.Warn("a deposit of the batch being sealed changed on L1: reloading the state and sealing again",
			"batch", first, "err", err)
		reply := make(chan error, 1)
		select {
		case s.reloads <- reply:
		case <-s.done:
			return false, api.ErrUnavailable
		}
		if err := <-reply; err != nil {
			return false, fmt.Errorf("sequencer: reload after a changed deposit: %w", err)
		}
		return false, nil // the state is the database's again: plan again
	} else if err != nil {
		return false, fmt.Errorf("sequencer: store batches %d-%d: %w", first, last, err)
	}

	s.mu.Lock()
	var err error
	for _, it := range items {
		var fees uint256.Int
		for _, t := range it.b.Transfers {
			fees.Add(&fees, &t.Tx.Fee)
		}
		for _, w := range it.b.Withdrawals {
			fees.Add(&fees, &w.Tx.Fee)
		}
		// The pending ledger learns the fee credit only now, as the
		// circuit credits fees at the end of the batch.
		if err = s.ledger.CreditFee(it.b.Header.FeeAccount, &fees); err != nil {
			break
		}
	}
	s.queue = s.queue[nq:]
	s.deposits = s.deposits[nd:]
	s.oldest = time.Now()
	if len(s.queue) > 0 {
		s.oldest = s.queue[0].receivedAt
	}
	s.m.pending.Set(float64(len(s.queue)))
	s.mu.Unlock()
	if err != nil {
		return false, fmt.Errorf("sequencer: credit fees to the pending state: %w", err)
	}
	s.m.sealCPU.Add(cpu.Seconds())
	s.sealCPU.Add(int64(cpu))
	for _, it := range items {
		b := it.b
		s.m.sealed.WithLabelValues(daLabel(b.Config)).Inc()
		s.m.forcedExits.Add(float64(len(b.ForcedExits)))
		s.m.sealSeconds.Observe(time.Since(start).Seconds())
		s.sealedTxs.Add(uint64(len(b.Transfers) + len(b.Withdrawals)))
		s.log.Info("batch sealed", "batch", b.Header.Number, "deposits", len(b.Deposits), "forced_exits", len(b.ForcedExits),
			"transfers", len(b.Transfers), "withdrawals", len(b.Withdrawals), "l1_bytes", len(b.Compact()), "da", daLabel(b.Config),
			"seconds", time.Since(start).Seconds(), "stored_with", len(items))
	}
	return true, nil
}

// chooseDA returns the concrete configuration an auto deployment's batch b
// is sealed in: the DAChooser's pick for its transfers, or calldata when
// the chooser fails or answers something else (logged: calldata is always
// a mode of the deployment, and sealing must go on).
func (s *Sequencer) chooseDA(ctx context.Context, b *protocol.Batch) protocol.Config {
	cc := s.cfg.Circuit
	section := protocol.TransferSection(cc, b.Pubdata)[:len(b.Transfers)*cc.TransferBytes()]
	mode, err := s.cfg.DAChooser.ChooseDA(ctx, cc, len(b.Transfers), section)
	if err != nil {
		s.log.Error("choosing the batch's data-availability mode failed: sealing it as calldata", "batch", b.Header.Number, "err", err)
		return cc.WithDA("")
	}
	cfg := cc.WithDA(mode)
	if !cfg.Concrete() || !cc.Deployment(cfg) {
		s.log.Error("the data-availability chooser named no mode of the deployment: sealing the batch as calldata",
			"batch", b.Header.Number, "da", mode)
		return cc.WithDA("")
	}
	s.log.Debug("data-availability mode chosen", "batch", b.Header.Number, "da", daLabel(cfg), "transfers", len(b.Transfers))
	return cfg
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
	ds, err := loadEntries(ctx, c, next, depositBatch)
	if err != nil {
		return err
	}
	if hasExit(ds) {
		// Forced exits go before the pending transactions: re-check them.
		return s.syncDeposits(ctx, c)
	}
	return s.applyDeposits(ds)
}

// depositStuck reports a queued deposit L2 cannot place. The contract
// refuses every deposit L2 would (full tree, bad key, amount), so this is
// a bug, not input; stopping would take the wallet API down with it, so
// the deposit queue waits at this deposit instead, loudly, and transfers
// and withdrawals go on.
func (s *Sequencer) depositStuck(d entry, err error) {
	if q := d.queueIndex(); s.stuckAt.Swap(q+1) != q+1 {
		s.log.Error("a queued L1 entry cannot be applied: the queue waits here (the contract should have refused it)",
			"queue_index", q, "entry", d.String(), "err", err)
	}
}

// storeReq hands sealed batches to the writer, stored in one transaction.
type storeReq struct {
	items []*storeItem
	reply chan error
}

// storeItem is one sealed batch with what its rows need: accounts holds
// the touched accounts as of this batch (the sealed state may be several
// batches further by the time the writer stores it).
type storeItem struct {
	b        *protocol.Batch
	txs      []*pendingTx
	witness  []byte
	accounts []accountRow
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
