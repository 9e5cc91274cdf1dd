// Package submitter posts proven batches to the L1 rollup contract, strictly
// in order, and follows each transaction until it is final.
//
// Every transaction is built, signed and stored in l1_submissions before it
// is sent, so a crash at any point loses nothing: on restart the stored
// transactions are found by hash or re-broadcast byte for byte. Stuck
// transactions are replaced with the same nonce and higher fees; a batch
// whose inclusion a reorg removes goes back to 'proven' and is sent again
// with its old nonce. One submitter is active per database: it holds a
// PostgreSQL advisory lock on the connection through which it makes every
// write, so a second instance waits as a hot standby.
package submitter

import (
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sheafrollup/sheaf/protocol"
)

// Config of the submitter.
type Config struct {
	Contract common.Address // the rollup contract
	ChainID  uint64         // L1 chain id; must match the node's
	// Confirmations is how many blocks must be built on top of the block
	// that includes a batch before the batch counts as finalized.
	Confirmations uint64
	PollInterval  time.Duration // how often the chain and the database are looked at
	// FeeBumpPercent is the least raise of both fee caps in a replacement
	// (nodes refuse replacements below +10%).
	FeeBumpPercent uint64
	// MaxFeeCap is the highest max-fee-per-gas the submitter ever signs, in wei.
	MaxFeeCap *big.Int
	// ResubmitAfter is how long a sent transaction may stay unmined before it
	// is re-broadcast (when the node lost it) or replaced with higher fees.
	ResubmitAfter time.Duration
	// GasLimitMargin multiplies the gas estimate (≥ 1).
	GasLimitMargin float64
	// LockKey is the advisory lock that elects the active submitter.
	LockKey int64

	// DA is the deployment's data-availability mode: "" or
	// protocol.DACalldata (submitBatch in a type-2 transaction),
	// protocol.DABlob (submitBlobBatch in an EIP-4844 blob transaction,
	// the transfer section in the blob), or protocol.DAAuto (each batch by
	// its own, concrete mode). In blob mode the key given to New must be a
	// key dedicated to blob transactions: an address cannot have blob and
	// non-blob transactions pending at once, so that key signs nothing else
	// (docs/l1.md "Blob mode"). Auto mode holds both keys (NewWithKeys):
	// calldata batches go from the calldata key, blob batches from the blob
	// key, each with its own nonces (docs/l1.md "Auto mode").
	DA string
	// MaxBlobFeeCap is the highest max-fee-per-blob-gas the submitter ever
	// signs, in wei (blob and auto mode).
	MaxBlobFeeCap *big.Int
}

// Blob reports whether the submitter is in blob mode (every batch a blob
// transaction).
func (c Config) Blob() bool { return c.DA == protocol.DABlob }

// Auto reports whether the submitter is in auto mode (each batch by its
// own mode, from two keys).
func (c Config) Auto() bool { return c.DA == protocol.DAAuto }

// BlobFeeBumpPercent is the least raise of every fee of a blob
// transaction's replacement: geth's blob pool refuses replacements that do
// not double the tip, the fee cap and the blob fee cap.
const BlobFeeBumpPercent = 100

// DefaultConfig has mainnet-like timing; Contract, ChainID and MaxFeeCap
// (here 500 gwei) should be set for the deployment; in blob and auto mode DA and
// MaxBlobFeeCap (here 1,000 gwei per blob gas) too.
var DefaultConfig = Config{
	Confirmations:  12,
	PollInterval:   2 * time.Second,
	FeeBumpPercent: 12,
	MaxFeeCap:      big.NewInt(500_000_000_000),
	ResubmitAfter:  60 * time.Second,
	GasLimitMargin: 1.2,
	LockKey:        0x5e4f_0003,
	MaxBlobFeeCap:  big.NewInt(1_000_000_000_000),
}

// Check validates the configuration.
func (c Config) Check() error {
	switch {
	case c.Contract == (common.Address{}):
		return errors.New("submitter: no contract address")
	case c.ChainID == 0:
		return errors.New("submitter: no chain id")
	case c.Confirmations == 0:
		return errors.New("submitter: confirmations must be at least 1")
	case c.PollInterval <= 0:
		return errors.New("submitter: poll interval must be positive")
	case c.FeeBumpPercent < 10:
		return fmt.Errorf("submitter: fee bump %d%% is below the 10%% nodes require for a replacement", c.FeeBumpPercent)
	case c.MaxFeeCap == nil || c.MaxFeeCap.Sign() <= 0:
		return errors.New("submitter: max fee cap must be positive")
	case c.ResubmitAfter <= 0:
		return errors.New("submitter: resubmit interval must be positive")
	case c.GasLimitMargin < 1 || c.GasLimitMargin > 10:
		return fmt.Errorf("submitter: gas limit margin %v is not in [1, 10]", c.GasLimitMargin)
	case c.DA != "" && c.DA != protocol.DACalldata && c.DA != protocol.DABlob && c.DA != protocol.DAAuto:
		return fmt.Errorf("submitter: data-availability mode %q is not %q, %q or %q", c.DA, protocol.DACalldata, protocol.DABlob, protocol.DAAuto)
	case (c.Blob() || c.Auto()) && (c.MaxBlobFeeCap == nil || c.MaxBlobFeeCap.Sign() <= 0):
		return fmt.Errorf("submitter: max blob fee cap must be positive in %s mode", c.DA)
	}
	return nil
}
