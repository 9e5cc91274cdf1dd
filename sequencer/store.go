package sequencer

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/holiman/uint256"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sheafrollup/sheaf/internal/par"
	"github.com/sheafrollup/sheaf/protocol"
)

// SQL lives here; numerics travel as decimal text.

// initState creates sequencer_state and the genesis accounts (the fee
// account) in one transaction on a fresh database; on an initialised one
// it does nothing.
func initState(ctx context.Context, c *pgx.Conn, cfg Config, cfgJSON []byte, genesisState func() (*protocol.State, error)) error {
	tx, err := c.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	ct, err := tx.Exec(ctx, `INSERT INTO sequencer_state (next_deposit, last_batch, chain_id, contract, config)
		VALUES (0, 0, $1, $2, $3) ON CONFLICT (id) DO NOTHING`, int64(cfg.ChainID), cfg.Contract[:], cfgJSON)
	if err != nil {
		return err
	}
	if ct.RowsAffected() == 0 {
		return nil
	}
	genesis, err := genesisState()
	if err != nil {
		return err
	}
	for i := 1; i <= genesis.NumAccounts(); i++ {
		a, _ := genesis.Account(uint32(i))
		if err := upsertAccount(ctx, tx, uint32(i), a, 0); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// upsertAccount writes a sealed account row with its leaf hash.
func upsertAccount(ctx context.Context, tx pgx.Tx, i uint32, a protocol.Account, batch uint64) error {
	pk, x, leaf := a.PubKey.Bytes(), a.PubKey.X.Bytes(), protocol.LeafHash(a)
	lb := leaf.Bytes()
	if _, err := tx.Exec(ctx, `INSERT INTO accounts (idx, pubkey, pubkey_x, leaf, balance, nonce, updated_batch) VALUES ($1,$2,$3,$4,$5::numeric,$6,$7)
		ON CONFLICT (idx) DO UPDATE SET leaf = excluded.leaf, balance = excluded.balance, nonce = excluded.nonce, updated_batch = excluded.updated_batch`,
		int64(i), pk[:], x[:], lb[:], numeric(&a.Balance), int64(a.Nonce), int64(batch)); err != nil {
		return fmt.Errorf("upsert account %d: %w", i, err)
	}
	return nil
}

// loadAccounts reads the sealed accounts and their stored leaf hashes
// (zero where a row predates them), decoding keys on every core.
func loadAccounts(ctx context.Context, c *pgx.Conn) ([]protocol.Account, []fr.Element, error) {
	rows, err := c.Query(ctx, `SELECT idx, pubkey, pubkey_x, leaf, balance::text, nonce FROM accounts ORDER BY idx`)
	if err != nil {
		return nil, nil, fmt.Errorf("load accounts: %w", err)
	}
	defer rows.Close()
	type raw struct {
		pk, x, leaf []byte
		bal         string
		nonce       int64
	}
	var rs []raw
	for rows.Next() {
		var (
			idx int64
			r   raw
		)
		if err := rows.Scan(&idx, &r.pk, &r.x, &r.leaf, &r.bal, &r.nonce); err != nil {
			return nil, nil, fmt.Errorf("load accounts: %w", err)
		}
		if idx != int64(len(rs))+1 {
			return nil, nil, fmt.Errorf("load accounts: index %d follows %d (indexes must be dense)", idx, len(rs))
		}
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	accounts := make([]protocol.Account, len(rs))
	leaves := make([]fr.Element, len(rs))
	errs := make([]error, len(rs))
	par.For(len(rs), func(i int) {
		r := rs[i]
		a := &accounts[i]
		var err error
		if r.x != nil {
			a.PubKey, err = protocol.PublicKeyFromParts(r.pk, r.x)
		} else {
			a.PubKey, err = decodeKey(r.pk)
		}
		if err == nil {
			err = a.Balance.SetFromDecimal(r.bal)
		}
		a.Nonce = uint32(r.nonce)
		if err == nil && r.leaf != nil {
			err = leaves[i].SetBytesCanonical(r.leaf)
		}
		errs[i] = err
	})
	for i, err := range errs {
		if err != nil {
			return nil, nil, fmt.Errorf("load account %d: %w", i+1, err)
		}
	}
	return accounts, leaves, nil
}

// decodeKey decompresses a stored key without the subgroup check that
// wallet keys get: deposit keys only need to pass the contract's rule.
func decodeKey(b []byte) (protocol.PublicKey, error) {
	pk, err := protocol.DecompressPublicKey(b)
	if err != nil {
		return pk, err
	}
	return pk, pk.ValidateDepositKey()
}

// depositBatch is the most new deposits read at once.
const depositBatch = 10000

// loadDeposits reads up to limit stored deposits from queue index from on
// (gaps included: forced exits fill them; loadEntries merges both).
func loadDeposits(ctx context.Context, c *pgx.Conn, from uint64, limit int) ([]entry, error) {
	rows, err := c.Query(ctx, `SELECT queue_index, pubkey, amount::text, coalesce(expiry, 0) FROM deposits WHERE queue_index >= $1 ORDER BY queue_index LIMIT $2`, int64(from), limit)
	if err != nil {
		return nil, fmt.Errorf("load deposits: %w", err)
	}
	defer rows.Close()
	var out []entry
	for rows.Next() {
		var (
			qi, expiry int64
			pk         []byte
			amt        string
		)
		if err := rows.Scan(&qi, &pk, &amt, &expiry); err != nil {
			return nil, fmt.Errorf("load deposits: %w", err)
		}
		d := protocol.Deposit{QueueIndex: uint64(qi)}
		if d.PubKey, err = decodeKey(pk); err != nil {
			return nil, fmt.Errorf("deposit %d: %w", qi, err)
		}
		if err := d.Amount.SetFromDecimal(amt); err != nil {
			return nil, fmt.Errorf("deposit %d amount: %w", qi, err)
		}
		out = append(out, entry{deposit: d, expiry: expiry})
	}
	return out, rows.Err()
}

const txColumns = `hash, kind, from_idx, to_idx, l1_address, amount::text, fee::text, nonce, signature, deposit_watermark, received_at`

func loadPending(ctx context.Context, c *pgx.Conn) ([]*pendingTx, error) {
	rows, err := c.Query(ctx, `SELECT `+txColumns+` FROM transactions WHERE status = 'pending' ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("load pending: %w", err)
	}
	defer rows.Close()
	var out []*pendingTx
	for rows.Next() {
		r, err := scanTx(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r.pendingTx())
	}
	return out, rows.Err()
}

// insertTxs writes a group of accepted transactions in one COPY: a
// statement outside a transaction block commits on its own, all rows or
// none, so the COPY is the group's transaction without BEGIN and COMMIT's
// two round trips.
func insertTxs(ctx context.Context, c *pgx.Conn, reqs []*request) error {
	rows := make([][]any, len(reqs))
	for i, r := range reqs {
		rows[i] = txRow(r.tx)
	}
	_, err := c.CopyFrom(ctx, pgx.Identifier{"transactions"},
		[]string{"hash", "kind", "from_idx", "to_idx", "l1_address", "amount", "fee", "nonce", "signature", "deposit_watermark", "status", "received_at"},
		pgx.CopyFromRows(rows))
	return err
}

func txRow(p *pendingTx) []any {
	var (
		kind     int16
		to       any
		l1       any
		amt, fee uint256.Int
		nonce    uint32
		sig      [protocol.SignatureSize]byte
		from     uint32
	)
	if p.transfer != nil {
		t := p.transfer
		kind, from, to, amt, fee, nonce, sig = 1, t.From, int64(t.To), t.Amount, t.Fee, t.Nonce, t.Sig.Bytes()
	} else {
		w := p.withdrawal
		kind, from, l1, amt, fee, nonce, sig = 2, w.From, w.To[:], w.Amount, w.Fee, w.Nonce, w.Sig.Bytes()
	}
	return []any{p.hash[:], kind, int64(from), to, l1, numeric(&amt), numeric(&fee), int64(nonce), sig[:],
		int64(p.watermark), "pending", p.receivedAt}
}

// accountRow is an account as a batch left it, for the accounts table.
type accountRow struct {
	index uint32
	acc   protocol.Account
	leaf  fr.Element
}

// touchedAccounts returns the accounts b changed, sorted by index, as the
// state (just after b) holds them.
func touchedAccounts(b *protocol.Batch, st *protocol.State) []accountRow {
	touched := map[uint32]bool{b.Fee.Before.Index: true}
	for _, d := range b.Deposits {
		touched[d.Index] = true
	}
	for _, f := range b.ForcedExits {
		// A no-op forced exit leaves its account as it was.
		if f.Outcome.Valid {
			touched[f.Exit.Index] = true
		}
	}
	for _, t := range b.Transfers {
		touched[t.Tx.From], touched[t.Tx.To] = true, true
	}
	for _, w := range b.Withdrawals {
		touched[w.Tx.From] = true
	}
	rows := make([]accountRow, 0, len(touched))
	for _, i := range slices.Sorted(maps.Keys(touched)) {
		a, _ := st.Account(i)
		// The tree's leaf is LeafHash(a) already: no rehash.
		rows = append(rows, accountRow{index: i, acc: a, leaf: st.Leaf(i)})
	}
	return rows
}

// storeBatches records sealed batches in one transaction, and notifies.
// Every statement of every batch goes to the server in one pipeline: one
// round trip instead of one per statement. Row counts are checked before
// the commit.
//
// The sequencer stores on a pooled connection other than the writer's
// (which holds the sequencer lock), so that acceptance's group commits do
// not wait behind a store. fence (nil in tests of the store alone) makes
// that safe: the transaction first takes sequencer_state's row lock, then
// checks that the writer's session still holds the sequencer lock. A
// standby can only take over once that session is gone, and its first
// read of sequencer_state (FOR SHARE, in load) waits for a store that
// passed the check, so it loads either all of the store or none of it.
func storeBatches(ctx context.Context, c *pgx.Conn, items []*storeItem, fence *lockFence) error {
	var q storeQueue
	last := items[len(items)-1].b
	lh := last.Header
	q.add("update sequencer state", nil, `UPDATE sequencer_state SET next_deposit = $1, last_batch = $2`,
		int64(lh.DepositStart)+int64(lh.DepositCount)+int64(len(last.ForcedExits)), int64(lh.Number))
	if fence != nil {
		q.add("check the sequencer lock", func(ct pgconn.CommandTag) error {
			if ct.RowsAffected() != 1 {
				return fmt.Errorf("%w: the writer's session (backend %d) no longer holds it", ErrLockLost, fence.pid)
			}
			return nil
		}, `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = $1
			AND classid::bigint = $2 AND objid::bigint = $3 AND objsubid = 1`,
			int64(fence.pid), int64(uint32(uint64(fence.key)>>32)), int64(uint32(fence.key)))
	}
	for _, it := range items {
		if err := q.batch(it); err != nil {
			return err
		}
	}
	tx, err := c.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	br := tx.SendBatch(ctx, &q.b)
	for _, st := range q.steps {
		ct, err := br.Exec()
		if err != nil {
			err = fmt.Errorf("%s: %w", st.what, err)
		} else if st.check != nil {
			err = st.check(ct)
		}
		if err != nil {
			br.Close() //nolint:errcheck // the first error is the one to report
			return err
		}
	}
	if err := br.Close(); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// storeQueue is a store's statements, each with what it does (for its
// error) and, where the row count matters, the check of its command tag.
type storeQueue struct {
	b     pgx.Batch
	steps []storeStep
}

type storeStep struct {
	what  string
	check func(pgconn.CommandTag) error
}

func (q *storeQueue) add(what string, check func(pgconn.CommandTag) error, sql string, args ...any) {
	q.b.Queue(sql, args...)
	q.steps = append(q.steps, storeStep{what: what, check: check})
}

// batch queues the statements that record a sealed batch: the batch row
// with its witness, its proof job, the transactions', deposits' and
// forced exits' new status and the touched accounts (storeBatches sets
// the sequencer's position once, for the last batch).
func (q *storeQueue) batch(it *storeItem) error {
	b, witness, txs := it.b, it.witness, it.txs
	cfgJSON, err := json.Marshal(b.Config)
	if err != nil {
		return err
	}
	h := b.Header
	piE := b.PublicInput()
	or, nr, pi := h.OldRoot.Bytes(), h.NewRoot.Bytes(), piE.Bytes()
	q.add("insert batch", nil, `INSERT INTO batches (number, config, old_root, new_root, header, pubdata, public_input, witness,
		deposit_start, deposit_count, tx_count, status) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,'sealed')`,
		int64(h.Number), cfgJSON, or[:], nr[:], h.Bytes(), b.Pubdata, pi[:], witness,
		int64(h.DepositStart), int(h.DepositCount), len(txs))
	q.add("insert proof job", nil, `INSERT INTO proof_jobs (batch_number, status) VALUES ($1, 'queued')`, int64(h.Number))
	if len(txs) > 0 {
		hashes := make([][]byte, len(txs))
		for i, p := range txs {
			hashes[i] = p.hash[:]
		}
		q.add("update transactions", func(ct pgconn.CommandTag) error {
			if int(ct.RowsAffected()) != len(txs) {
				return fmt.Errorf("update transactions: %d of %d rows were pending", ct.RowsAffected(), len(txs))
			}
			return nil
		}, `UPDATE transactions t SET status = 'sealed', batch_number = $1, batch_position = x.pos - 1, updated_at = now()
			FROM unnest($2::bytea[]) WITH ORDINALITY AS x(hash, pos) WHERE t.hash = x.hash AND t.status = 'pending'`,
			int64(h.Number), hashes)
	}
	for _, d := range b.Deposits {
		// Consumed only if the watcher still holds it as applied: stored,
		// unsealed, same key and amount. The row lock taken here orders
		// this against the watcher deleting it after a reorg.
		pk := d.Deposit.PubKey.Bytes()
		qi := d.Deposit.QueueIndex
		q.add("update deposit", func(ct pgconn.CommandTag) error {
			if ct.RowsAffected() != 1 {
				return fmt.Errorf("%w: deposit %d is no longer stored as applied", errDepositChanged, qi)
			}
			return nil
		}, `UPDATE deposits SET account_idx = $1, batch_number = $2
			WHERE queue_index = $3 AND pubkey = $4 AND amount = $5::numeric AND batch_number IS NULL`,
			int64(d.Index), int64(h.Number), int64(qi), pk[:], numeric(&d.Deposit.Amount))
	}
	for _, f := range b.ForcedExits {
		// Consumed only if the watcher still holds the very request (its
		// chain value commits to every field) unsealed.
		chain := f.Exit.Chain()
		cb := chain.Bytes()
		qi := f.Exit.QueueIndex
		q.add("update forced exit", func(ct pgconn.CommandTag) error {
			if ct.RowsAffected() != 1 {
				return fmt.Errorf("%w: forced exit %d is no longer stored as applied", errDepositChanged, qi)
			}
			return nil
		}, `UPDATE forced_exits SET batch_number = $1, valid = $2, amount = $3::numeric
			WHERE queue_index = $4 AND chain = $5 AND batch_number IS NULL`,
			int64(h.Number), f.Outcome.Valid, numeric(&f.Outcome.Amount), int64(qi), cb[:])
	}
	// Accounts the batch's deposits create are inserted, the others
	// updated: one statement each, so one firing of account_history's
	// statement-level trigger per kind. (One upsert for all cost a
	// speculative insertion per row and fired both triggers.)
	var created, existing []accountRow
	isNew := map[uint32]bool{}
	for _, d := range b.Deposits {
		if d.IsNew {
			isNew[d.Index] = true
		}
	}
	for _, r := range it.accounts {
		if isNew[r.index] {
			created = append(created, r)
		} else {
			existing = append(existing, r)
		}
	}
	if len(existing) > 0 {
		idxs, leaves, bals, nonces := accountColumns(existing)
		want := len(existing)
		q.add(fmt.Sprintf("update %d accounts", want), func(ct pgconn.CommandTag) error {
			if int(ct.RowsAffected()) != want {
				return fmt.Errorf("update accounts: %d of %d accounts are stored", ct.RowsAffected(), want)
			}
			return nil
		}, `UPDATE accounts a SET leaf = u.l, balance = u.b::numeric, nonce = u.n, updated_batch = $5
			FROM unnest($1::bigint[], $2::bytea[], $3::text[], $4::bigint[]) AS u(i, l, b, n) WHERE a.idx = u.i`,
			idxs, leaves, bals, nonces, int64(h.Number))
	}
	if len(created) > 0 {
		idxs, leaves, bals, nonces := accountColumns(created)
		pks, xs := make([][]byte, len(created)), make([][]byte, len(created))
		for i, r := range created {
			pk, x := r.acc.PubKey.Bytes(), r.acc.PubKey.X.Bytes()
			pks[i], xs[i] = pk[:], x[:]
		}
		// ON CONFLICT: a deposit that creates an account twice is a bug
		// elsewhere; the row then holds this batch's values, as before.
		q.add(fmt.Sprintf("insert %d accounts", len(created)), nil, `INSERT INTO accounts (idx, pubkey, pubkey_x, leaf, balance, nonce, updated_batch)
			SELECT i, pk, x, l, b::numeric, n, $7 FROM unnest($1::bigint[], $2::bytea[], $3::bytea[], $4::bytea[], $5::text[], $6::bigint[]) AS u(i, pk, x, l, b, n)
			ON CONFLICT (idx) DO UPDATE SET leaf = excluded.leaf, balance = excluded.balance, nonce = excluded.nonce, updated_batch = excluded.updated_batch`,
			idxs, pks, xs, leaves, bals, nonces, int64(h.Number))
	}
	q.add("notify", nil, `SELECT pg_notify('sheaf_batches', $1)`, fmt.Sprint(h.Number))
	return nil
}

// accountColumns returns rows' indexes, leaves, balances (decimal) and
// nonces as arrays for unnest.
func accountColumns(rows []accountRow) (idxs []int64, leaves [][]byte, bals []string, nonces []int64) {
	for _, r := range rows {
		lb := r.leaf.Bytes()
		idxs, nonces = append(idxs, int64(r.index)), append(nonces, int64(r.acc.Nonce))
		leaves, bals = append(leaves, lb[:]), append(bals, numeric(&r.acc.Balance))
	}
	return idxs, leaves, bals, nonces
}

// lockFence names the session that holds the sequencer lock: a store
// commits only while that session still holds it (storeBatches).
type lockFence struct {
	pid uint32 // the writer's backend
	key int64  // Config.LockKey
}

func numeric(v *uint256.Int) string { return v.Dec() }
