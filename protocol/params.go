// Package protocol holds Sheaf's state-transition rules in plain Go: accounts,
// operations, their signed messages and compact encodings, and the batch
// public input. It is the native twin of the batch circuit in package
// circuits; sequencer, prover, auditor and wallet all build on it.
package protocol

import (
	"errors"
	"fmt"

	"github.com/sheafrollup/sheaf/protocol/blob"
)

// Config is one circuit configuration. Each configuration has its own
// proving key, verifying key and Solidity verifier.
type Config struct {
	Depth       int `json:"depth"`       // account tree depth (24 in production)
	Deposits    int `json:"deposits"`    // deposit slots per batch
	Transfers   int `json:"transfers"`   // transfer slots per batch
	Withdrawals int `json:"withdrawals"` // withdrawal slots per batch
	// ForcedExits is the number of forced-exit slots per batch (L1 priority
	// queue requests, docs/exits.md). Zero keeps the header, the pubdata and
	// the circuit exactly as they were before forced exits existed.
	ForcedExits int `json:"forced_exits,omitempty"`
	// DA is the data-availability mode: "" or DACalldata (the transfer
	// section is calldata, hashed with SHA-256 in the public input) or
	// DABlob (it is in a blob, and the batch is bound by two public
	// inputs without SHA-256: BindBlob, docs/protocol.md "Blob mode"). Omitted from JSON when empty so
	// calldata configurations serialise, name and hash as before.
	// DAAuto names a deployment, never a batch or a circuit: each batch is
	// sealed in one of the two concrete modes (Modes), whichever is cheaper
	// on L1 at the time.
	DA string `json:"da,omitempty"`
}

// Data-availability modes of Config.DA.
const (
	DACalldata = "calldata"
	DABlob     = "blob"
	DAAuto     = "auto"
)

// Blob reports whether the configuration posts its transfers in a blob.
func (c Config) Blob() bool { return c.DA == DABlob }

// Auto reports whether the configuration is a deployment that picks the
// data-availability mode per batch.
func (c Config) Auto() bool { return c.DA == DAAuto }

// WithDA returns the configuration in data-availability mode da, spelling
// calldata as "" (so calldata configurations compare and hash as one).
func (c Config) WithDA(da string) Config {
	if da == DACalldata {
		da = ""
	}
	c.DA = da
	return c
}

// Modes returns the concrete configurations (circuits) a deployment
// proves batches with: the configuration itself, or for DAAuto its
// calldata and blob twins.
func (c Config) Modes() []Config {
	if c.Auto() {
		return []Config{c.WithDA(""), c.WithDA(DABlob)}
	}
	return []Config{c}
}

// Concrete reports whether c is one circuit's configuration (not DAAuto).
func (c Config) Concrete() bool { return !c.Auto() }

// Deployment reports whether a batch sealed in configuration b belongs to
// a deployment of configuration c: the same configuration, or one of the
// two modes of an auto deployment.
func (c Config) Deployment(b Config) bool {
	for _, m := range c.Modes() {
		if m == b {
			return true
		}
	}
	return false
}

// BlobChunks is how many 31-byte blob chunks the (padded) transfer section
// takes in blob mode: every slot, used or not, so the count is fixed.
func (c Config) BlobChunks() int {
	return (c.Transfers*c.TransferBytes() + blobChunkBytes - 1) / blobChunkBytes
}

// blobChunkBytes and blobElements are protocol/blob's (which must not
// import this package: it would cycle).
const (
	blobChunkBytes = blob.ChunkBytes
	blobElements   = blob.ElementsPerBlob
)

// MaxDepth bounds the tree so an index always fits the 4-byte header field
// and the 32-bit index lanes of the signed message.
const MaxDepth = 32

// Check reports whether the configuration can be built.
func (c Config) Check() error {
	switch {
	case c.Depth < 2 || c.Depth > MaxDepth:
		return fmt.Errorf("config: depth %d out of range [2, %d]", c.Depth, MaxDepth)
	case c.Deposits < 0 || c.Transfers < 0 || c.Withdrawals < 0 || c.ForcedExits < 0:
		return errors.New("config: slot counts must not be negative")
	case c.Deposits > 1<<16-1:
		return errors.New("config: at most 65535 deposit slots (2-byte count in the header)")
	case c.ForcedExits > 1<<16-1:
		return errors.New("config: at most 65535 forced-exit slots (2-byte count in the header)")
	case c.Deposits+c.Transfers+c.Withdrawals+c.ForcedExits == 0:
		return errors.New("config: a batch needs at least one slot")
	case c.DA != "" && c.DA != DACalldata && c.DA != DABlob && c.DA != DAAuto:
		return fmt.Errorf("config: data-availability mode %q is not %q, %q or %q", c.DA, DACalldata, DABlob, DAAuto)
	case (c.Blob() || c.Auto()) && c.Transfers == 0:
		return errors.New("config: blob mode needs transfer slots (the blob carries the transfer section)")
	case (c.Blob() || c.Auto()) && c.BlobChunks() > blobElements:
		return fmt.Errorf("config: %d transfer slots need %d blob elements, one blob has %d", c.Transfers, c.BlobChunks(), blobElements)
	}
	return nil
}

// String names the configuration; it is part of key file names.
func (c Config) String() string {
	s := fmt.Sprintf("d%d-dep%d-tx%d-wd%d", c.Depth, c.Deposits, c.Transfers, c.Withdrawals)
	if c.ForcedExits > 0 {
		s += fmt.Sprintf("-fx%d", c.ForcedExits)
	}
	if c.Blob() {
		s += "-blob"
	}
	if c.Auto() {
		s += "-auto"
	}
	return s
}

// IndexBytes is the width of an account index in pubdata: ⌈depth/8⌉.
func (c Config) IndexBytes() int { return (c.Depth + 7) / 8 }

// DepositBytes is the pubdata size of one deposit: index, compressed public
// key, 128-bit amount.
func (c Config) DepositBytes() int { return c.IndexBytes() + PubKeySize + 16 }

// TransferBytes is the pubdata size of one transfer: from, to, packed amount
// and fee (12 bytes at depth 24).
func (c Config) TransferBytes() int { return 2*c.IndexBytes() + AmountFeeBytes }

// WithdrawalBytes is the pubdata size of one withdrawal: from, L1 address,
// packed amount and fee.
func (c Config) WithdrawalBytes() int { return c.IndexBytes() + 20 + AmountFeeBytes }

// ForcedExitBytes is the pubdata size of one forced exit: index, L1
// recipient, 128-bit amount withdrawn, outcome flag (40 bytes at depth 24).
func (c Config) ForcedExitBytes() int { return c.IndexBytes() + 20 + 16 + 1 }

// PubdataSize is the padded pubdata length for a full batch; unused slots
// are zero bytes. Sections: deposits, forced exits, transfers, withdrawals.
func (c Config) PubdataSize() int {
	return c.Deposits*c.DepositBytes() + c.ForcedExits*c.ForcedExitBytes() + c.Transfers*c.TransferBytes() + c.Withdrawals*c.WithdrawalBytes()
}

// PreimageSize is the length of the public input's SHA-256 preimage:
// header and padded pubdata. Blob mode hashes nothing with SHA-256 (its
// public inputs are BindBlob's): 0.
func (c Config) PreimageSize() int {
	if c.Blob() {
		return 0
	}
	return c.HeaderSize() + c.PubdataSize()
}

// HeaderSize is the header's length for this configuration: the forced-exit
// fields (count and chain) are present only when it has forced-exit slots.
func (c Config) HeaderSize() int {
	if c.ForcedExits > 0 {
		return HeaderSize + ForcedExitHeaderSize
	}
	return HeaderSize
}

// MaxAccounts is the number of leaves; index 0 is reserved and never used.
func (c Config) MaxAccounts() uint64 { return 1 << uint(c.Depth) }
