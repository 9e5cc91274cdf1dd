package sequencer

import (
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/protocol"
)

// txRecord is a transactions row.
type txRecord struct {
	hash       common.Hash
	kind       int16
	from       int64
	to         *int64
	l1         []byte
	amount     string
	fee        string
	nonce      int64
	sig        []byte
	watermark  int64
	receivedAt time.Time
}

func scanTx(rows pgx.Row) (*txRecord, error) {
	var r txRecord
	var hash []byte
	if err := rows.Scan(&hash, &r.kind, &r.from, &r.to, &r.l1, &r.amount, &r.fee, &r.nonce, &r.sig, &r.watermark, &r.receivedAt); err != nil {
		return nil, fmt.Errorf("scan transaction: %w", err)
	}
	r.hash = common.BytesToHash(hash)
	return &r, nil
}

// pendingTx rebuilds the operation; rows were validated before insertion.
func (r *txRecord) pendingTx() *pendingTx {
	p := &pendingTx{hash: r.hash, watermark: uint64(r.watermark), receivedAt: r.receivedAt}
	sig, _ := protocol.ParseSignature(r.sig)
	if r.kind == 1 {
		t := &protocol.Transfer{From: uint32(r.from), Nonce: uint32(r.nonce), Sig: sig}
		if r.to != nil {
			t.To = uint32(*r.to)
		}
		_ = t.Amount.SetFromDecimal(r.amount)
		_ = t.Fee.SetFromDecimal(r.fee)
		p.transfer = t
	} else {
		w := &protocol.Withdrawal{From: uint32(r.from), Nonce: uint32(r.nonce), Sig: sig}
		copy(w.To[:], r.l1)
		_ = w.Amount.SetFromDecimal(r.amount)
		_ = w.Fee.SetFromDecimal(r.fee)
		p.withdrawal = w
	}
	return p
}

func (r *txRecord) info(status string, batch *int64) *api.TxInfo {
	ti := &api.TxInfo{Hash: r.hash, From: uint32(r.from), Amount: api.Decimal(r.amount), Fee: api.Decimal(r.fee),
		Nonce: uint32(r.nonce), Status: status, ReceivedAt: r.receivedAt.Unix()}
	if r.kind == 1 {
		ti.Kind = "transfer"
		if r.to != nil {
			to := uint32(*r.to)
			ti.To = &to
		}
	} else {
		ti.Kind = "withdrawal"
		a := common.BytesToAddress(r.l1)
		ti.L1Address = &a
	}
	if batch != nil {
		n := uint64(*batch)
		ti.BatchNumber = &n
	}
	return ti
}

// txStatus maps a transaction's row status and its batch's status to the
// stage a wallet sees.
func txStatus(rowStatus string, batchStatus *string) string {
	if rowStatus == "pending" || rowStatus == "rejected" || batchStatus == nil {
		return rowStatus
	}
	switch *batchStatus {
	case "proven":
		return api.StatusProven
	case "submitted":
		return api.StatusSubmitted
	case "finalized":
		return api.StatusFinalized
	default: // sealed, proving, failed (a failed proof is retried by operators)
		return api.StatusSealed
	}
}
