package sequencer

import (
	"context"
	"errors"
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/smt"
)

// Older states come from account_history (migration 00009), one row per
// account and batch that changed it, written by a trigger on accounts. An
// account's state at batch B is its last row at or before B. A proof
// against batch B's root is the current sealed tree with the leaves changed
// after B put back (smt.Overlay): its cost grows with the accounts changed
// since B, not with the tree.

// finalizedState is an account's state after the latest batch finalized on
// L1. ok is false when no batch is finalized yet, or when that batch
// predates the history this database keeps (one upgraded from before
// migration 00009, until a later batch finalizes).
func (s *Sequencer) finalizedState(ctx context.Context, index uint32) (st api.AccountState, batch uint64, ok bool, err error) {
	var (
		n, from int64
		bal     *string
		nonce   *int64
	)
	err = s.pool.QueryRow(ctx, `SELECT f.n, s.history_from, h.balance::text, h.nonce
		FROM (SELECT coalesce(max(number), 0) AS n FROM batches WHERE status = 'finalized') f
		CROSS JOIN sequencer_state s
		LEFT JOIN LATERAL (SELECT balance, nonce FROM account_history WHERE idx = $1 AND batch_number <= f.n
			ORDER BY batch_number DESC LIMIT 1) h ON true`, int64(index)).Scan(&n, &from, &bal, &nonce)
	if err != nil {
		return st, 0, false, fmt.Errorf("finalized state of account %d: %w", index, err)
	}
	if n == 0 || n < from {
		return st, 0, false, nil
	}
	st.Balance = "0"
	if bal != nil {
		st.Balance, st.Nonce = api.Decimal(*bal), uint32(*nonce)
	}
	return st, uint64(n), true, nil
}

// changedLeaf is an account changed after the batch asked for, with its
// state at that batch (exists false: it had no account yet).
type changedLeaf struct {
	index   uint32
	exists  bool
	leaf    []byte // NULL in rows older than migration 00003
	balance string
	nonce   int64
}

// history is what the database says about batch B, read in one snapshot.
type history struct {
	stored  uint64 // the last batch stored when it was read
	root    fr.Element
	changed []changedLeaf
}

// loadHistory reads batch B's root and the accounts changed after it. It
// returns nil when B is not older than the last stored batch (the current
// tree answers, or B is not sealed yet).
func (s *Sequencer) loadHistory(ctx context.Context, b uint64) (*history, error) {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("account history: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	var last, from int64
	if err := tx.QueryRow(ctx, `SELECT last_batch, history_from FROM sequencer_state`).Scan(&last, &from); err != nil {
		return nil, fmt.Errorf("account history: %w", err)
	}
	if b >= uint64(last) {
		return nil, nil
	}
	if b < uint64(from) {
		return nil, fmt.Errorf("%w: batch %d predates the account history this database keeps (from batch %d on); "+
			"sheaf audit rebuilds any batch from L1", api.ErrNotFound, b, from)
	}
	// Bound the work before doing it: every state written after b is a
	// leaf to put back (at most one per account) and a path to rehash.
	var written int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM account_history WHERE batch_number > $1 LIMIT $2) w`,
		int64(b), s.cfg.ProofRewind+1).Scan(&written); err != nil {
		return nil, fmt.Errorf("account history: %w", err)
	}
	if written > s.cfg.ProofRewind {
		return nil, api.NewError(api.CodeInvalidParams, "batch",
			"batch: more than %d account states were written after batch %d, more than this sequencer rewinds for a proof; "+
				"ask for a later batch (sheaf_batchNumber's finalized) or rebuild it with sheaf audit", s.cfg.ProofRewind, b)
	}
	h := &history{stored: uint64(last)}
	var root []byte
	if err := tx.QueryRow(ctx, `SELECT new_root FROM batches WHERE number = $1`, int64(b)).Scan(&root); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, fmt.Errorf("batch %d: %w", b, api.ErrNotFound)
		}
		return nil, fmt.Errorf("account history: batch %d: %w", b, err)
	}
	if err := h.root.SetBytesCanonical(root); err != nil {
		return nil, fmt.Errorf("account history: batch %d root: %w", b, err)
	}
	rows, err := tx.Query(ctx, `SELECT c.idx, h.batch_number IS NOT NULL, h.leaf, coalesce(h.balance::text, '0'), coalesce(h.nonce, 0)
		FROM (SELECT DISTINCT idx FROM account_history WHERE batch_number > $1) c
		LEFT JOIN LATERAL (SELECT batch_number, leaf, balance, nonce FROM account_history
			WHERE idx = c.idx AND batch_number <= $1 ORDER BY batch_number DESC LIMIT 1) h ON true`, int64(b))
	if err != nil {
		return nil, fmt.Errorf("account history: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			c   changedLeaf
			idx int64
		)
		if err := rows.Scan(&idx, &c.exists, &c.leaf, &c.balance, &c.nonce); err != nil {
			return nil, fmt.Errorf("account history: %w", err)
		}
		c.index = uint32(idx)
		h.changed = append(h.changed, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("account history: %w", err)
	}
	return h, nil
}

// errRetry: the sealed state is ahead of the database (a batch is being
// stored); wait for the store and read again.
var errRetry = errors.New("sealed state ahead of the database")

// AccountProof proves an account against the new root of any sealed batch
// (0: the latest).
func (s *Sequencer) AccountProof(ctx context.Context, index uint32, batch uint64) (*api.AccountProof, error) {
	if index == 0 || uint64(index) >= s.cfg.Circuit.MaxAccounts() {
		return nil, api.NewError(api.CodeInvalidParams, "account", "account: index %d is outside the tree (depth %d)", index, s.cfg.Circuit.Depth)
	}
	if batch != 0 {
		// One rewind at a time: each may hash for a while (ProofRewind
		// bounds how long), and ingest and sealing share the cores.
		select {
		case s.rewinding <- struct{}{}:
			defer func() { <-s.rewinding }()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	for {
		stored := s.storedSignal() // before reading, so no store is missed
		var h *history
		if batch != 0 {
			var err error
			if h, err = s.loadHistory(ctx, batch); err != nil {
				return nil, err
			}
		}
		p, err := s.prove(index, batch, h)
		if !errors.Is(err, errRetry) {
			return p, err
		}
		select {
		case <-stored:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-s.done:
			return nil, api.ErrUnavailable
		}
	}
}

// prove answers from the sealed state at batch (0: latest), with the
// changed leaves of h put back when batch is older.
func (s *Sequencer) prove(index uint32, batch uint64, h *history) (*api.AccountProof, error) {
	s.stateMu.RLock()
	if s.sealed == nil {
		s.stateMu.RUnlock()
		return nil, api.ErrUnavailable
	}
	last := s.sealed.BatchNumber()
	if batch == 0 {
		batch = last
	}
	if batch > last {
		s.stateMu.RUnlock()
		return nil, fmt.Errorf("%w: batch %d (the latest sealed batch is %d)", api.ErrNotFound, batch, last)
	}
	if batch == last {
		defer s.stateMu.RUnlock()
		p, err := s.sealed.Proof(index)
		if err != nil {
			return nil, err
		}
		a, ok := s.sealed.Account(index)
		return proofInfo(index, batch, s.sealed.Root(), p, a, ok), nil
	}
	if h == nil || h.stored < last {
		s.stateMu.RUnlock()
		return nil, errRetry
	}
	if h.stored > last {
		s.stateMu.RUnlock()
		return nil, fmt.Errorf("%w: the database is ahead of this sequencer", api.ErrUnavailable)
	}
	// Put back each changed leaf's value at batch; read the target's state.
	leaves := make([]smt.Leaf, len(h.changed))
	a, ok := s.sealed.Account(index)
	for i, c := range h.changed {
		leaves[i].Index = uint64(c.index)
		var at protocol.Account
		if c.exists {
			cur, found := s.sealed.Account(c.index)
			if !found { // history has it, so the sealed state does too
				s.stateMu.RUnlock()
				return nil, fmt.Errorf("account history: account %d unknown to the sealed state", c.index)
			}
			at = protocol.Account{PubKey: cur.PubKey, Nonce: uint32(c.nonce)}
			if err := at.Balance.SetFromDecimal(c.balance); err != nil {
				s.stateMu.RUnlock()
				return nil, fmt.Errorf("account history: account %d balance: %w", c.index, err)
			}
			if c.leaf != nil {
				leaves[i].Value.SetBytes(c.leaf)
			} else {
				leaves[i].Value = protocol.LeafHash(at)
			}
		}
		if c.index == index {
			a, ok = at, c.exists
		}
	}
	o, err := s.sealed.Overlay(index, leaves)
	s.stateMu.RUnlock()
	if err != nil {
		return nil, err
	}
	p, root := o.Prove() // hashing, outside the lock
	if !root.Equal(&h.root) {
		return nil, fmt.Errorf("account history does not rebuild batch %d's root (got %s)", batch, root.String())
	}
	if ok && p.Leaf != protocol.LeafHash(a) {
		return nil, fmt.Errorf("account history: account %d's leaf at batch %d does not match its state", index, batch)
	}
	return proofInfo(index, batch, root, p, a, ok), nil
}

func proofInfo(index uint32, batch uint64, root fr.Element, p smt.Proof, a protocol.Account, ok bool) *api.AccountProof {
	out := &api.AccountProof{Index: index, BatchNumber: batch, Root: root.Bytes(), Leaf: p.Leaf.Bytes(), Balance: "0"}
	if ok {
		pk := a.PubKey.Bytes()
		out.PubKey, out.Balance, out.Nonce = pk[:], api.Decimal(a.Balance.Dec()), a.Nonce
	}
	out.Siblings = make([]common.Hash, len(p.Siblings))
	for i, sib := range p.Siblings {
		out.Siblings[i] = sib.Bytes()
	}
	return out
}

// storedSignal returns a channel closed when the writer next stores a batch.
func (s *Sequencer) storedSignal() <-chan struct{} {
	s.storedMu.Lock()
	defer s.storedMu.Unlock()
	if s.stored == nil {
		s.stored = make(chan struct{})
	}
	return s.stored
}

func (s *Sequencer) signalStored() {
	s.storedMu.Lock()
	defer s.storedMu.Unlock()
	if s.stored != nil {
		close(s.stored)
		s.stored = nil
	}
}
