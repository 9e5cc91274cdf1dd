// Package blobs finds the EIP-4844 blobs of Sheaf's batches after they were
// included on L1. L1 execution nodes do not serve the blobs of included
// transactions (only their versioned hashes), and beacon nodes prune them
// after about 18 days, so an auditor or an exiting user reads them from a
// Source: a beacon node's blob sidecars endpoint, a directory of exported
// blobs, or the sequencer's own PostgreSQL store. Every source checks each
// blob against the versioned hash L1 recorded (the KZG commitment is
// recomputed from the blob's bytes), so no source has to be trusted: a
// wrong blob is reported, never returned. See docs/auditor.md.
package blobs

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
)

// Ref names one blob a batch posted, as L1 knows it.
type Ref struct {
	Batch uint64 // the batch number (for errors and logs)
	Index int    // the blob's index within its transaction
	// VersionedHash is the blob's versioned hash from L1 (the transaction's
	// blob hashes, or the contract's blobhash); the blob is checked against it.
	VersionedHash common.Hash
	// Block and BlockTime are the number and timestamp of the L1 block that
	// included the blob's transaction; the beacon source finds the slot
	// from BlockTime.
	Block     uint64
	BlockTime uint64
	// BeaconRoot, if set, is the root of the beacon block that carried
	// the execution block (the next execution block's parentBeaconBlockRoot);
	// the beacon source then asks for it instead of a slot.
	BeaconRoot common.Hash
}

func (r Ref) String() string {
	return fmt.Sprintf("batch %d blob %d (versioned hash %s, L1 block %d)", r.Batch, r.Index, r.VersionedHash.Hex(), r.Block)
}

// RefsFor returns the refs of the blobs tx carried, in order, for batch,
// tx having been included in the block whose header is h (the auditor has
// both: the BatchSubmitted log's transaction and block).
func RefsFor(batch uint64, tx *types.Transaction, h *types.Header) []Ref {
	hashes := tx.BlobHashes()
	refs := make([]Ref, len(hashes))
	for i, vh := range hashes {
		refs[i] = Ref{Batch: batch, Index: i, VersionedHash: vh, Block: h.Number.Uint64(), BlockTime: h.Time}
	}
	return refs
}

// Source returns blobs by reference. Implementations return a blob only
// once it is verified against ref.VersionedHash (Verify), and an *Error
// (wrapping ErrMissing or ErrMismatch where that is why) otherwise.
type Source interface {
	Blob(ctx context.Context, ref Ref) (*kzg4844.Blob, error)
	// String names the source in errors and logs.
	String() string
}

// Sentinels for errors.Is.
var (
	// ErrMissing: the source does not have the blob (not exported, pruned
	// by the beacon node, never stored).
	ErrMissing = errors.New("blob not found")
	// ErrMismatch: the source has bytes for the versioned hash, but their
	// KZG commitment does not hash to it: the blob was altered or is another one.
	ErrMismatch = errors.New("blob does not match its versioned hash")
)

// Error says which blob could not be had, from where, and why; Err wraps
// ErrMissing, ErrMismatch, a transport error, or (from Chain) every
// source's error joined.
type Error struct {
	Ref    Ref
	Source string
	Err    error
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s: %v", e.Ref, e.Source, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

func fail(ref Ref, src Source, err error) *Error {
	return &Error{Ref: ref, Source: src.String(), Err: err}
}

// VersionedHash is the EIP-4844 versioned hash of a commitment:
// 0x01 ‖ sha256(commitment)[1:].
func VersionedHash(c kzg4844.Commitment) common.Hash {
	return kzg4844.CalcBlobHashV1(sha256.New(), &c)
}

// Verify recomputes the blob's KZG commitment and checks that it hashes
// to want; it returns the commitment. A mismatch wraps ErrMismatch.
func Verify(blob *kzg4844.Blob, want common.Hash) (kzg4844.Commitment, error) {
	c, err := kzg4844.BlobToCommitment(blob)
	if err != nil {
		// Not canonical field elements: no honest blob looks like this.
		return c, fmt.Errorf("%w: not a valid blob: %v", ErrMismatch, err)
	}
	if got := VersionedHash(c); got != want {
		return c, fmt.Errorf("%w: its commitment %s hashes to %s", ErrMismatch, shortHex(c[:]), got.Hex())
	}
	return c, nil
}

func shortHex(b []byte) string {
	s := common.Bytes2Hex(b)
	if len(s) > 16 {
		s = s[:8] + "…" + s[len(s)-8:]
	}
	return "0x" + s
}

// Fetch returns the blobs of refs (a batch's, in order) from src; the
// first failure is returned as is (an *Error naming the blob). A nil src
// is no source: every blob is missing.
func Fetch(ctx context.Context, src Source, refs []Ref) ([]*kzg4844.Blob, error) {
	if src == nil {
		src = Chain{}
	}
	out := make([]*kzg4844.Blob, len(refs))
	for i, r := range refs {
		b, err := src.Blob(ctx, r)
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

// Chain tries its sources in order and returns the first verified blob;
// when none has it, the *Error wraps every source's error (errors.Is
// finds ErrMissing if one source lacked it, ErrMismatch if one served
// altered bytes).
type Chain []Source

func (c Chain) Blob(ctx context.Context, ref Ref) (*kzg4844.Blob, error) {
	if len(c) == 0 {
		return nil, fail(ref, c, fmt.Errorf("%w: no blob source configured (--l1.beacon or --blobs.dir)", ErrMissing))
	}
	var errs []error
	for _, s := range c {
		b, err := s.Blob(ctx, ref)
		if err == nil {
			return b, nil
		}
		if ctx.Err() != nil {
			return nil, fail(ref, c, ctx.Err())
		}
		var e *Error
		if errors.As(err, &e) {
			// Already names the blob: keep the source and the reason only.
			err = fmt.Errorf("%s: %w", e.Source, e.Err)
		} else {
			err = fmt.Errorf("%s: %w", s, err)
		}
		errs = append(errs, err)
	}
	if len(errs) == 1 {
		return nil, &Error{Ref: ref, Source: c.String(), Err: errors.Unwrap(errs[0])}
	}
	return nil, &Error{Ref: ref, Source: c.String(), Err: errors.Join(errs...)}
}

func (c Chain) String() string {
	names := make([]string, len(c))
	for i, s := range c {
		names[i] = s.String()
	}
	switch len(names) {
	case 0:
		return "no blob source"
	case 1:
		return names[0]
	}
	return "sources [" + strings.Join(names, ", ") + "]"
}
