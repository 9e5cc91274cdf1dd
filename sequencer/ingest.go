package sequencer

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/internal/par"
	"github.com/sheafrollup/sheaf/protocol"
)

// SendTransfer validates a transfer and returns its hash once it is
// committed to PostgreSQL.
func (s *Sequencer) SendTransfer(ctx context.Context, t *protocol.Transfer) (common.Hash, error) {
	return s.submit(ctx, &pendingTx{transfer: t})
}

// SendWithdrawal validates a withdrawal and returns its hash once it is
// committed to PostgreSQL.
func (s *Sequencer) SendWithdrawal(ctx context.Context, w *protocol.Withdrawal) (common.Hash, error) {
	return s.submit(ctx, &pendingTx{withdrawal: w})
}

// submit does the parallel part of acceptance (cheap checks) in the
// caller's goroutine and hands the rest to the writer: the signature,
// checked together with the rest of its group, and the serial part.
func (s *Sequencer) submit(ctx context.Context, p *pendingTx) (common.Hash, error) {
	start := time.Now()
	kind := "transfer"
	if p.withdrawal != nil {
		kind = "withdrawal"
	}
	h, sig, err := s.precheck(ctx, p)
	if err == nil && p.hash == (common.Hash{}) {
		return h, nil // an identical transaction was accepted before
	}
	if err == nil {
		r := &request{tx: p, sig: sig, reply: make(chan error, 1)}
		select {
		case s.reqs <- r:
		case <-ctx.Done():
			return common.Hash{}, ctx.Err()
		}
		select {
		case err = <-r.reply:
		case <-ctx.Done():
			// The writer may still commit it; the wallet can look it up by hash.
			return common.Hash{}, ctx.Err()
		}
	}
	s.m.observeSubmit(kind, err, time.Since(start))
	if err != nil {
		return common.Hash{}, err
	}
	return p.hash, nil
}

// precheck makes acceptance's checks but the signature's, which it returns
// for the writer's group; a zero p.hash with no error is an idempotent
// resend of the returned hash.
func (s *Sequencer) precheck(ctx context.Context, p *pendingTx) (common.Hash, protocol.SigCheck, error) {
	if !s.Ready() {
		return common.Hash{}, protocol.SigCheck{}, api.ErrUnavailable
	}
	s.mu.RLock()
	acc, ok := s.ledger.Account(p.from())
	domain := s.ledger.DomainState()
	pending := len(s.queue)
	s.mu.RUnlock()
	if pending >= s.cfg.MaxPending {
		return common.Hash{}, protocol.SigCheck{}, api.ErrMempoolFull
	}
	if p.from() == 0 {
		return common.Hash{}, protocol.SigCheck{}, protocol.ErrReservedAccount
	}
	if !ok {
		return common.Hash{}, protocol.SigCheck{}, &protocol.AccountError{Field: "from", Index: p.from(), Err: protocol.ErrUnknownAccount}
	}
	var m fr.Element
	var sig protocol.Signature
	if p.transfer != nil {
		if p.transfer.Fee.Lt(&s.cfg.MinTransferFee) {
			return common.Hash{}, protocol.SigCheck{}, fmt.Errorf("%w: minimum %s", api.ErrFeeTooLow, s.cfg.MinTransferFee.Dec())
		}
		m, sig = p.transfer.Message(domain), p.transfer.Sig
	} else {
		if p.withdrawal.Fee.Lt(&s.cfg.MinWithdrawalFee) {
			return common.Hash{}, protocol.SigCheck{}, fmt.Errorf("%w: minimum %s", api.ErrFeeTooLow, s.cfg.MinWithdrawalFee.Dec())
		}
		m, sig = p.withdrawal.Message(domain), p.withdrawal.Sig
	}
	msg := common.Hash(m.Bytes())
	switch n := p.nonce(); {
	case n < acc.Nonce:
		// An identical, already accepted transaction is answered with its
		// hash (idempotent resend); anything else is a replay.
		var status string
		err := s.pool.QueryRow(ctx, `SELECT status FROM transactions WHERE hash = $1 AND status <> 'rejected'`, msg[:]).Scan(&status)
		if err == nil {
			return msg, protocol.SigCheck{}, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return common.Hash{}, protocol.SigCheck{}, fmt.Errorf("%w: %v", api.ErrUnavailable, err)
		}
		return common.Hash{}, protocol.SigCheck{}, fmt.Errorf("%w: got %d, account is at %d", protocol.ErrWrongNonce, n, acc.Nonce)
	case n > acc.Nonce:
		return common.Hash{}, protocol.SigCheck{}, fmt.Errorf("%w: got %d, account is at %d", api.ErrNonceTooHigh, n, acc.Nonce)
	}
	p.hash = msg
	p.receivedAt = time.Now()
	return msg, protocol.SigCheck{PubKey: acc.PubKey, Msg: m, Sig: sig}, nil
}

// A batch of signature checks holds sigChunkMin to sigChunkMax: below 8 a
// second batch (another core) saves less than it costs, and past about 32
// the per-signature cost rises again as the tables outgrow the cache
// (BenchmarkVerifyBatch: 50, 41, 46 and 60 µs at 8, 16, 32 and 64).
const (
	sigChunkMin = 8
	sigChunkMax = 32
)

// checkSignatures checks the group's signatures in batches
// (KeyCache.VerifyBatch: the group commit already gathers them, so
// batching adds no waiting), spread over the cores, answers the requests whose
// signature fails and returns the others in order.
func (s *Sequencer) checkSignatures(reqs []*request) []*request {
	n := len(reqs)
	chunks := max(1, min(runtime.GOMAXPROCS(0), n/sigChunkMin), (n+sigChunkMax-1)/sigChunkMax)
	checks := make([]protocol.SigCheck, n)
	for i, r := range reqs {
		checks[i] = r.sig
	}
	valid := make([]bool, n)
	par.For(chunks, func(c int) {
		lo, hi := c*n/chunks, (c+1)*n/chunks
		s.keys.VerifyBatch(checks[lo:hi], valid[lo:hi])
		s.m.sigBatch.Observe(float64(hi - lo))
	})
	out := reqs[:0]
	for i, r := range reqs {
		if valid[i] {
			out = append(out, r)
		} else {
			r.reply <- protocol.ErrBadSignature
		}
	}
	return out
}

// gather forms the group commits: it collects the queued requests (waiting
// up to GroupWait for more, at most GroupMax), checks their signatures and
// hands the group to the writer. It runs beside the writer, so one group's
// signatures are checked while the previous one commits. Requests in hand
// when stop ends it are answered ErrUnavailable.
func (s *Sequencer) gather(stop context.Context) {
	for {
		var first *request
		select {
		case <-stop.Done():
			s.drain(api.ErrUnavailable)
			return
		case first = <-s.reqs:
		}
		reqs := s.collect(first)
		if reqs = s.checkSignatures(reqs); len(reqs) == 0 {
			continue
		}
		select {
		case s.groups <- reqs:
		case <-stop.Done():
			for _, r := range reqs {
				r.reply <- api.ErrUnavailable
			}
			s.drain(api.ErrUnavailable)
			return
		}
	}
}

// collect adds to first what arrives within GroupWait, then what is
// already queued, up to GroupMax requests.
func (s *Sequencer) collect(first *request) []*request {
	reqs := []*request{first}
	if s.cfg.GroupWait > 0 {
		timer := time.NewTimer(s.cfg.GroupWait)
	collect:
		for len(reqs) < s.cfg.GroupMax {
			select {
			case r := <-s.reqs:
				reqs = append(reqs, r)
			case <-timer.C:
				break collect
			}
		}
		timer.Stop()
	}
	for len(reqs) < s.cfg.GroupMax { // take what is already queued
		select {
		case r := <-s.reqs:
			reqs = append(reqs, r)
			continue
		default:
		}
		break
	}
	return reqs
}

// group commits one group of transactions with valid signatures: applied
// to the ledger in order, written with one COPY in one transaction,
// answered after the commit.
func (s *Sequencer) group(ctx context.Context, c *pgx.Conn, reqs []*request) error {
	s.mu.Lock()
	cp := s.ledger.Checkpoint()
	ok := reqs[:0:0]
	for _, r := range reqs {
		p := r.tx
		if acc, found := s.ledger.Account(p.from()); found && p.nonce() > acc.Nonce {
			r.reply <- fmt.Errorf("%w: got %d, account is at %d", api.ErrNonceTooHigh, p.nonce(), acc.Nonce)
			continue
		}
		if err := applyTx(s.ledger, p); err != nil {
			r.reply <- err
			continue
		}
		p.watermark = s.ledger.NextDeposit()
		ok = append(ok, r)
	}
	s.mu.Unlock()
	if len(ok) == 0 {
		s.mu.Lock()
		s.ledger.Commit()
		s.mu.Unlock()
		return nil
	}
	err := insertTxs(ctx, c, ok)
	s.mu.Lock()
	if err != nil {
		s.ledger.RevertTo(cp)
		s.ledger.Commit()
		s.mu.Unlock()
		for _, r := range ok {
			r.reply <- fmt.Errorf("%w: %v", api.ErrUnavailable, err)
		}
		// A broken writer connection also means the lock may be gone: stop.
		return fmt.Errorf("sequencer: commit transactions: %w", err)
	}
	s.ledger.Commit()
	if len(s.queue) == 0 && len(s.deposits) == 0 {
		s.oldest = time.Now()
	}
	for _, r := range ok {
		s.queue = append(s.queue, r.tx)
	}
	s.m.pending.Set(float64(len(s.queue)))
	s.mu.Unlock()
	s.m.groupSize.Observe(float64(len(ok)))
	for _, r := range ok {
		r.reply <- nil
	}
	return nil
}
