// Package api is the wallet-facing JSON-RPC API of the sequencer (namespace
// sheaf_, HTTP and WebSocket, on go-ethereum's rpc package): wire types,
// stable error codes, the Backend the server calls, the server itself and a
// Go client. docs/api.md and api/openrpc.json describe it for wallets in
// any language.
package api

import (
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// Wire encodings: account indexes, nonces and counts are JSON numbers;
// amounts and fees are decimal strings (they reach 2^128); keys, signatures,
// hashes, roots and addresses are 0x-prefixed hex.

// Decimal is a non-negative integer below 2^128 as a decimal string.
type Decimal string

// ChainInfo identifies the deployment and its circuit (sheaf_chainId).
type ChainInfo struct {
	ChainID     hexutil.Uint64 `json:"chainId"`
	Contract    common.Address `json:"contract"`
	Depth       int            `json:"depth"`
	Deposits    int            `json:"deposits"`
	Transfers   int            `json:"transfers"`
	Withdrawals int            `json:"withdrawals"`
	FeeAccount  uint32         `json:"feeAccount"`
	// DomainState is C(TagMessage, chainId·2^160 + contract), the first
	// lane of every signed message (docs/protocol.md).
	DomainState common.Hash `json:"domainState"`
}

// SendArgs is a signed transfer or withdrawal (sheaf_sendTransaction).
// A transfer has To and no L1Address, a withdrawal the reverse. Its JSON
// form is strict (see UnmarshalJSON in args.go): unknown fields are
// rejected and every field but to/l1Address is required.
type SendArgs struct {
	Kind      string          `json:"kind"` // "transfer" or "withdrawal"
	From      uint32          `json:"from"`
	To        *uint32         `json:"to,omitempty"`        // transfer: recipient index
	L1Address *common.Address `json:"l1Address,omitempty"` // withdrawal: L1 recipient
	Amount    Decimal         `json:"amount"`
	Fee       Decimal         `json:"fee"`
	Nonce     uint32          `json:"nonce"`
	Signature hexutil.Bytes   `json:"signature"` // 64 bytes: R compressed ‖ S
}

// Transaction statuses, in order of progress (rejected is terminal).
const (
	StatusPending   = "pending"
	StatusSealed    = "sealed"
	StatusProven    = "proven"
	StatusSubmitted = "submitted"
	StatusFinalized = "finalized"
	StatusRejected  = "rejected"
)

// TxInfo is a transaction and where it is (sheaf_getTransaction).
type TxInfo struct {
	Hash        common.Hash     `json:"hash"` // the signed message hash
	Kind        string          `json:"kind"`
	From        uint32          `json:"from"`
	To          *uint32         `json:"to,omitempty"`
	L1Address   *common.Address `json:"l1Address,omitempty"`
	Amount      Decimal         `json:"amount"`
	Fee         Decimal         `json:"fee"`
	Nonce       uint32          `json:"nonce"`
	Status      string          `json:"status"`
	Reason      string          `json:"reason,omitempty"`      // why it was rejected
	BatchNumber *uint64         `json:"batchNumber,omitempty"` // once sealed
	ReceivedAt  int64           `json:"receivedAt"`            // unix seconds
}

// AccountState is a balance and nonce at some point.
type AccountState struct {
	Balance Decimal `json:"balance"`
	Nonce   uint32  `json:"nonce"`
}

// AccountInfo is an account in the pending state (every accepted
// transaction applied), in the latest sealed batch and in the latest batch
// finalized on L1 (sheaf_getAccount). Finalized and FinalizedBatch are
// absent until a batch is finalized.
type AccountInfo struct {
	Index          uint32        `json:"index"`
	PubKey         hexutil.Bytes `json:"pubKey"`
	Pending        AccountState  `json:"pending"`
	Sealed         AccountState  `json:"sealed"`
	SealedBatch    uint64        `json:"sealedBatch"`
	Finalized      *AccountState `json:"finalized,omitempty"`
	FinalizedBatch uint64        `json:"finalizedBatch,omitempty"`
}

// AccountProof is a Merkle proof of an account leaf against a batch's new
// root (sheaf_getAccountProof). Siblings go from the leaf level up.
type AccountProof struct {
	Index       uint32        `json:"index"`
	BatchNumber uint64        `json:"batchNumber"`
	Root        common.Hash   `json:"root"`
	Leaf        common.Hash   `json:"leaf"`
	PubKey      hexutil.Bytes `json:"pubKey,omitempty"` // empty for an empty leaf
	Balance     Decimal       `json:"balance"`
	Nonce       uint32        `json:"nonce"`
	Siblings    []common.Hash `json:"siblings"`
}

// Batch statuses.
const (
	BatchSealed    = "sealed"
	BatchProving   = "proving"
	BatchProven    = "proven"
	BatchSubmitted = "submitted"
	BatchFinalized = "finalized"
	BatchFailed    = "failed"
)

// BatchInfo is a batch (sheaf_getBatch, newBatches subscription). It
// carries every field of the batch header (protocol.Header: chainId,
// contract, number, oldRoot, newRoot, depositStart, deposits = deposit
// count, nextIndex, feeAccount), so that publicInput can be recomputed
// from it and the circuit's slot counts (sheaf_chainId) alone.
type BatchInfo struct {
	Number       uint64         `json:"number"`
	Status       string         `json:"status"`
	ChainID      hexutil.Uint64 `json:"chainId"`
	Contract     common.Address `json:"contract"`
	OldRoot      common.Hash    `json:"oldRoot"`
	NewRoot      common.Hash    `json:"newRoot"`
	DepositStart uint64         `json:"depositStart"`
	Deposits     int            `json:"deposits"`
	NextIndex    uint32         `json:"nextIndex"`  // first unassigned account index before the batch
	FeeAccount   uint32         `json:"feeAccount"` // the account this batch's fees went to
	Transfers    int            `json:"transfers"`
	Withdrawals  int            `json:"withdrawals"`
	PublicInput  common.Hash    `json:"publicInput"`
	Pubdata      hexutil.Bytes  `json:"pubdata"` // compact: used slots only
	Transactions []common.Hash  `json:"transactions"`
	SealedAt     int64          `json:"sealedAt"`
}

// BatchNumbers are the latest batch at each stage (0: none yet).
type BatchNumbers struct {
	Sealed    uint64 `json:"sealed"`
	Proven    uint64 `json:"proven"`
	Finalized uint64 `json:"finalized"`
}

// FeeEstimate is the minimum fee the sequencer accepts (sheaf_estimateFee).
type FeeEstimate struct {
	Kind string  `json:"kind"`
	Fee  Decimal `json:"fee"` // exactly encodable as a fee float
}
