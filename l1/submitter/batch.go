package submitter

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/jackc/pgx/v5"

	"github.com/sheafrollup/sheaf/protocol"
)

// contractState reads the contract's next batch number and state root at
// the latest block.
func (s *Submitter) contractState(ctx context.Context) (next uint64, root [32]byte, err error) {
	to := s.cfg.Contract
	out, err := s.client.CallContract(ctx, ethereum.CallMsg{To: &to, Data: s.rollup.PackNextBatch()}, nil)
	if err != nil {
		return 0, root, fmt.Errorf("nextBatch: %w", err)
	}
	if next, err = s.rollup.UnpackNextBatch(out); err != nil {
		return 0, root, fmt.Errorf("nextBatch: %w", err)
	}
	out, err = s.client.CallContract(ctx, ethereum.CallMsg{To: &to, Data: s.rollup.PackStateRoot()}, nil)
	if err != nil {
		return 0, root, fmt.Errorf("stateRoot: %w", err)
	}
	root, err = s.rollup.UnpackStateRoot(out)
	return next, root, err
}

// batchRow is what submitBatch needs from a batch row.
type batchRow struct {
	number           int64
	status           string
	config           protocol.Config
	oldRoot, newRoot []byte
	header           []byte
	pubdata, proof   []byte
	deposits         int
}

func (s *Submitter) loadBatch(ctx context.Context, number uint64) (*batchRow, error) {
	b := &batchRow{}
	err := s.conn.QueryRow(ctx, `SELECT number, status, config, old_root, new_root, header, pubdata, proof, deposit_count
		FROM batches WHERE number = $1`, int64(number)).
		Scan(&b.number, &b.status, &b.config, &b.oldRoot, &b.newRoot, &b.header, &b.pubdata, &b.proof, &b.deposits)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load batch %d: %w", number, err)
	}
	return b, nil
}

// calldata builds submitBatch's calldata from the stored batch: the
// section counts come from the padded pubdata, the depositors of the
// consumed deposits (their queue commitments name them) from L1's Deposit
// events.
func (s *Submitter) calldata(ctx context.Context, b *batchRow) ([]byte, error) {
	n, depositors, err := s.sections(ctx, b)
	if err != nil {
		return nil, err
	}
	compact := protocol.CompactPubdata(b.config, b.pubdata, protocol.Counts{Deposits: n[protocol.OpDeposit],
		ForcedExits: n[protocol.OpForcedExit], Transfers: n[protocol.OpTransfer], Withdrawals: n[protocol.OpWithdraw]})
	return s.rollup.TryPackSubmitBatch(uint64(b.number), [32]byte(b.oldRoot), [32]byte(b.newRoot),
		uint16(n[protocol.OpDeposit]), uint16(n[protocol.OpForcedExit]), uint16(n[protocol.OpTransfer]),
		uint16(n[protocol.OpWithdraw]), compact, depositors, b.proof)
}

// sections counts the used slots of each pubdata section of the stored
// batch and packs the depositors of its deposits.
func (s *Submitter) sections(ctx context.Context, b *batchRow) (n [protocol.NumOpTypes]int, depositors []byte, err error) {
	ops, err := protocol.DecodePubdata(b.config, b.pubdata)
	if err != nil {
		return n, nil, fmt.Errorf("batch %d: %w", b.number, err)
	}
	for _, op := range ops {
		n[op.Type]++
	}
	if n[protocol.OpDeposit] != b.deposits {
		return n, nil, fmt.Errorf("batch %d: pubdata has %d deposits, the row %d", b.number, n[protocol.OpDeposit], b.deposits)
	}
	depositors, err = s.depositors(ctx, n[protocol.OpDeposit])
	if err != nil {
		return n, nil, fmt.Errorf("batch %d: %w", b.number, err)
	}
	return n, depositors, nil
}

// depositEventID is the Deposit event's topic 0.
var depositEventID = crypto.Keccak256Hash([]byte("Deposit(uint64,bytes32,uint256,uint128,address)"))

// depositors packs the L1 senders (20 bytes each) of the next n queue
// entries, which the batch the contract expects next consumes as deposits:
// from the contract's queue head, found by their Deposit events.
func (s *Submitter) depositors(ctx context.Context, n int) ([]byte, error) {
	if n == 0 {
		return []byte{}, nil
	}
	to := s.cfg.Contract
	out, err := s.client.CallContract(ctx, ethereum.CallMsg{To: &to, Data: s.rollup.PackDepositHead()}, nil)
	if err != nil {
		return nil, fmt.Errorf("depositHead: %w", err)
	}
	head, err := s.rollup.UnpackDepositHead(out)
	if err != nil {
		return nil, fmt.Errorf("depositHead: %w", err)
	}
	topics := make([]common.Hash, n)
	for i := range topics {
		topics[i] = common.BigToHash(new(big.Int).SetUint64(head + uint64(i)))
	}
	logs, err := s.client.FilterLogs(ctx, ethereum.FilterQuery{Addresses: []common.Address{to},
		Topics: [][]common.Hash{{depositEventID}, topics}})
	if err != nil {
		return nil, fmt.Errorf("deposit events: %w", err)
	}
	out = make([]byte, 20*n)
	found := make([]bool, n)
	for i := range logs {
		ev, err := s.rollup.UnpackDepositEvent(&logs[i])
		if err != nil || logs[i].Removed || ev.QueueIndex < head || ev.QueueIndex >= head+uint64(n) {
			continue
		}
		j := ev.QueueIndex - head
		copy(out[20*j:], ev.Sender[:])
		found[j] = true
	}
	for j, ok := range found {
		if !ok {
			return nil, fmt.Errorf("no Deposit event for queue entry %d", head+uint64(j))
		}
	}
	return out, nil
}

// submitNext sends the batch the contract expects next, if it is proven and
// no transaction of it is in flight, from the key of the batch's own mode
// (in auto mode the calldata key or the blob key). One batch is in flight
// at a time: the next one's estimate needs this one's state on chain. So a
// batch is only ever sent once the contract, at the node's latest block,
// holds its predecessor; and in auto mode, when the sender changes, only
// once this submitter has also seen the predecessor's receipt and no
// transaction of the other sender is pending (mayFollow).
func (s *Submitter) submitNext(ctx context.Context) error {
	next, root, err := s.contractState(ctx)
	if err != nil {
		return err
	}
	if err := s.adoptPosted(ctx, next); err != nil {
		return err
	}
	b, err := s.loadBatch(ctx, next)
	if err != nil || b == nil || b.status != "proven" {
		return err
	}
	if [32]byte(b.oldRoot) != root {
		s.warn("root", "batch does not start from the contract's state root: not sending it (the database and L1 disagree)",
			"batch", next, "contract_root", common.Hash(root), "batch_old_root", common.BytesToHash(b.oldRoot))
		return nil
	}
	sd := s.senderFor(b.config)
	if sd == nil {
		// A blob batch needs the dedicated blob key, a calldata one must
		// never be sent from it.
		s.warn("mode", "batch's data-availability mode is not the submitter's: not sending it", "batch", next,
			"batch_da", b.config.DA, "submitter_da", s.cfg.DA)
		return nil
	}
	prior, err := s.query(ctx, `WHERE batch_number = $1 ORDER BY id`, b.number)
	if err != nil {
		return err
	}
	var (
		reuse   *submission // a reorged submission whose nonce is still free
		reverts int
	)
	for _, r := range prior {
		switch {
		case r.status == "created" || r.status == "sent":
			return nil // in flight
		case r.status == "reorged" || r.status == "replaced":
			if reuse == nil || r.id > reuse.id {
				reuse = r
			}
		case r.status == "dropped" && r.block != nil && !r.predecessorMissing:
			reverts++
		}
	}
	if reuse != nil && reuse.sender != sd.addr {
		// Sent from another key (the batch's mode cannot change; the key
		// can, between runs): that nonce is not this sender's to reuse.
		// The old transaction may still land; it is followed by its
		// receipt like any other.
		reuse = nil
	}
	if ok, err := s.mayFollow(ctx, b.number, sd); err != nil || !ok {
		return err
	}
	confirmed, err := s.client.NonceAt(ctx, sd.addr, nil)
	if err != nil {
		return fmt.Errorf("nonce: %w", err)
	}
	if reuse != nil && reuse.nonce < confirmed {
		// Its nonce is spent: if by that very transaction (re-mined after
		// the reorg), record it; else the batch needs a fresh nonce.
		for _, r := range prior {
			if r.status != "reorged" && r.status != "replaced" {
				continue
			}
			rc, err := s.receipt(ctx, r.hash)
			if err != nil {
				return err
			}
			if rc != nil {
				return s.included(ctx, r, rc)
			}
		}
		reuse = nil
	}
	nonce := sd.nonce
	if confirmed > nonce {
		nonce = confirmed
	}
	if reuse != nil {
		nonce = reuse.nonce
	} else {
		var others int64
		if err := s.conn.QueryRow(ctx, `SELECT count(*) FROM l1_submissions WHERE status IN ('created', 'sent') AND sender = $1`,
			sd.addr[:]).Scan(&others); err != nil {
			return err
		}
		if others > 0 {
			// A later batch's transaction of this key waits for this one's
			// old nonce; never put a fresh one behind it. (Another key's
			// pending transaction is no such obstacle: in auto mode a later
			// batch's may revert, and is then sent again.)
			return nil
		}
	}
	var (
		data   []byte
		blobs  []*blobRow
		hashes []common.Hash
	)
	if b.config.Blob() {
		// The blobs are in the database before any transaction with them
		// is signed.
		if blobs, err = s.batchBlobs(ctx, b); err != nil {
			return err
		}
		for _, bl := range blobs {
			hashes = append(hashes, bl.hash)
		}
		data, err = s.blobCalldata(ctx, b, blobs)
	} else {
		data, err = s.calldata(ctx, b)
	}
	if err != nil {
		return err
	}
	to := s.cfg.Contract
	msg := ethereum.CallMsg{From: sd.addr, To: &to, Data: data}
	if len(hashes) > 0 {
		// blobhash(0) must see the versioned hash, or the contract reverts.
		// No blob fee cap: the node then prices blob gas at zero, and the
		// estimate does not need the balance for MaxBlobFeeCap.
		msg.BlobHashes = hashes
	}
	est, err := s.client.EstimateGas(ctx, msg)
	if err != nil {
		// A revert: the batch is already on chain, or the contract moved on.
		s.warn(fmt.Sprint("estimate", next), "batch does not pass gas estimation: not sending it", "batch", next,
			"err", err, "revert", revertData(err))
		return nil
	}
	// Each revert of this batch so far raises the margin: an out-of-gas
	// transaction is never retried unchanged.
	margin := s.cfg.GasLimitMargin * (1 + 0.5*float64(reverts))
	gas := uint64(float64(est) * margin)
	var prev *types.Transaction
	if reuse != nil {
		if prev, err = reuse.tx(); err != nil {
			return err
		}
	}
	f, ok, err := s.fees(ctx, prev, len(hashes) > 0)
	if err != nil {
		return err
	}
	if !ok {
		s.warn(fmt.Sprint("cap", nonce), "cannot replace the reorged transaction: the max fee cap is reached", "batch", next, "nonce", nonce)
		return nil
	}
	r, err := s.store(ctx, sd, b.number, nonce, gas, data, f, hashes, 0)
	if err != nil {
		return err
	}
	if reuse == nil {
		sd.nonce = nonce + 1
	}
	s.log.Info("sending batch", "batch", next, "key", sd.name(), "sender", sd.addr, "nonce", nonce, "tx", r.hash, "gas_limit", gas, "estimate", est,
		"tip", f.tip, "fee_cap", f.feeCap, "blob_fee_cap", f.blobFeeCap, "blobs", len(hashes),
		"calldata_bytes", len(data), "resend", reuse != nil)
	return s.send(ctx, r)
}

// adoptPosted looks for the first batch the contract holds (below next)
// that is still 'proven' here, and records the transaction of ours that
// posted it. That happens only when the submitter lost track of a mined
// transaction of its own (its row taken for a foreign nonce's while the
// node served neither its receipt nor its event, or re-included just after
// a reorg was recorded); without it the batch would never be finalized,
// and in auto mode the next one never sent. A batch posted by a
// transaction this submitter never signed is only reported.
func (s *Submitter) adoptPosted(ctx context.Context, next uint64) error {
	var batch int64
	err := s.conn.QueryRow(ctx, `SELECT number FROM batches WHERE status = 'proven' AND number < $1 ORDER BY number LIMIT 1`,
		int64(next)).Scan(&batch)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("batches behind the contract: %w", err)
	}
	rows, err := s.query(ctx, `WHERE batch_number = $1 ORDER BY id`, batch)
	if err != nil {
		return err
	}
	ours := map[common.Hash]*submission{}
	for _, r := range rows {
		ours[r.hash] = r
	}
	logs, err := s.batchEvents(ctx, batch)
	if err != nil {
		return err
	}
	for _, l := range logs {
		r := ours[l.TxHash]
		if r == nil {
			continue
		}
		rc, err := s.receipt(ctx, r.hash)
		if err != nil || rc == nil || rc.Status != types.ReceiptStatusSuccessful {
			return err // its receipt is not served yet: next poll
		}
		s.log.Warn("batch found on chain posted by a transaction of ours the submitter had not recorded as mined: recording it",
			"batch", batch, "sender", r.sender, "nonce", r.nonce, "tx", r.hash, "status_was", r.status, "block", rc.BlockNumber)
		return s.included(ctx, r, rc)
	}
	if len(logs) == 0 {
		s.warn(fmt.Sprint("posted", batch), "the contract holds a batch that is 'proven' here; the node serves no BatchSubmitted event for it yet",
			"batch", batch, "contract_next_batch", next)
		return nil
	}
	var txs []common.Hash
	for _, l := range logs {
		txs = append(txs, l.TxHash)
	}
	s.warn(fmt.Sprint("posted", batch), "the contract holds a batch that is 'proven' here, posted by no transaction this submitter recorded",
		"batch", batch, "contract_next_batch", next, "event_txs", txs)
	return nil
}

// mayFollow is auto mode's ordering rule: batch may be sent from sd only
// when no earlier batch's transaction of another sender is pending and, if
// the batch before it went from another sender, that batch's receipt has
// been seen (it is 'submitted' or 'finalized'). The contract's next batch
// being this one is not enough on its own: the node's latest block may
// hold the predecessor before this submitter has recorded it. A later
// batch's pending transaction (after a reorg sent the earlier one back)
// does not hold the earlier one up: whichever lands first, the later one
// either follows it or reverts and is sent again (predecessorMissing).
// With one sender (calldata or blob mode) it always holds.
func (s *Submitter) mayFollow(ctx context.Context, batch int64, sd *sender) (bool, error) {
	if len(s.senders) < 2 {
		return true, nil
	}
	var (
		otherLive  int64
		prevSender []byte
		prevStatus *string
	)
	if err := s.conn.QueryRow(ctx, `SELECT count(*) FROM l1_submissions WHERE status IN ('created', 'sent') AND sender <> $1 AND batch_number < $2`,
		sd.addr[:], batch).Scan(&otherLive); err != nil {
		return false, err
	}
	if otherLive > 0 {
		s.warn(fmt.Sprint("follow", batch), "waiting for the other key's pending transactions before sending", "batch", batch,
			"key", sd.name(), "pending_other", otherLive)
		return false, nil
	}
	err := s.conn.QueryRow(ctx, `SELECT (SELECT sender FROM l1_submissions WHERE batch_number = $1 ORDER BY id DESC LIMIT 1),
		(SELECT status FROM batches WHERE number = $1)`, batch-1).Scan(&prevSender, &prevStatus)
	if err != nil {
		return false, err
	}
	if prevSender == nil || common.BytesToAddress(prevSender) == sd.addr {
		return true, nil // the same key: its nonce orders the two
	}
	if prevStatus == nil || (*prevStatus != "submitted" && *prevStatus != "finalized") {
		s.warn(fmt.Sprint("follow", batch), "waiting for the previous batch's receipt before switching keys", "batch", batch,
			"key", sd.name(), "previous_status", prevStatus)
		return false, nil
	}
	return true, nil
}

// revertData is the hex revert data of a failed call, if the node gave one.
func revertData(err error) any {
	var de rpc.DataError
	if errors.As(err, &de) {
		return de.ErrorData()
	}
	return nil
}
