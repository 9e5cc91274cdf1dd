package api

import (
	"context"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sheafrollup/sheaf/protocol"
)

// Backend is what the API server needs from the sequencer. Errors should
// wrap the sentinels in errors.go (or protocol's rule errors) so the server
// maps them to stable JSON-RPC codes (CodeOf). The text of an error with a
// client-facing code is shown to the client as is, so it must not carry
// internals; errors that map to CodeInternal are logged and shown as
// "internal error", and ErrUnavailable / ErrMempoolFull / context errors
// get a fixed message. A future nonce should wrap ErrNonceTooHigh (it may
// also wrap protocol.ErrWrongNonce). A missing object is ErrNotFound.
//
// The server has already checked everything about a transaction that does
// not depend on state (SendArgs.Decode): kind, recipient, index 0, decimal
// syntax, amount and fee below 2^128 and exactly encodable, signature
// encoding. The backend checks the rest (signature against the sender's
// key, nonce, balance, recipient, minimum fee).
type Backend interface {
	ChainInfo() ChainInfo
	// SendTransfer validates, then commits to PostgreSQL before returning:
	// a nil error means the transaction is durably accepted.
	SendTransfer(ctx context.Context, t *protocol.Transfer) (common.Hash, error)
	SendWithdrawal(ctx context.Context, w *protocol.Withdrawal) (common.Hash, error)
	Transaction(ctx context.Context, hash common.Hash) (*TxInfo, error)
	Account(ctx context.Context, index uint32) (*AccountInfo, error)
	AccountIndex(ctx context.Context, pk protocol.PublicKey) (uint32, error)
	// AccountProof against the new root of batch (0: the latest sealed batch).
	AccountProof(ctx context.Context, index uint32, batch uint64) (*AccountProof, error)
	Batch(ctx context.Context, number uint64) (*BatchInfo, error)
	BatchNumbers(ctx context.Context) (BatchNumbers, error)
	EstimateFee(ctx context.Context, kind string) (*FeeEstimate, error)
	// Subscriptions deliver until the returned cancel is called; slow
	// receivers may miss events (they can re-query): the backend must never
	// block on a full ch. The backend may close ch to end a subscription
	// (e.g. after a transaction's terminal status); it must not send on or
	// close ch after cancel returns, and cancel must be safe to call after
	// it closed ch. SubscribeTransaction delivers each status change of
	// that transaction (the server sends the current state itself first).
	SubscribeBatches(ch chan<- BatchInfo) (cancel func())
	SubscribeTransaction(hash common.Hash, ch chan<- TxInfo) (cancel func())
}
