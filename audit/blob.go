package audit

import (
	"bytes"
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"

	"github.com/sheafrollup/sheaf/l1/blobs"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/blob"
)

// checkBlobBatch checks a blob batch of configuration cfg (blob mode, or
// the blob twin of an auto deployment; docs/auditor.md "Blob mode")
// whose calldata sub has been checked against the event and the replayed
// state: it fetches the transaction's one blob from the configured source,
// reads the transfer section from it into pubdata (the padded pubdata
// rebuilt from calldata, its transfer section still zero), recomputes the
// binding (protocol.BindBlob) and compares it with the calldata's dataHash
// and V and the x the contract emitted (eventX), re-verifies the KZG
// opening the contract checked and, with a verifying key, the Groth16 proof
// against the two public inputs. It returns the number of real transfer
// slots (the count is not in calldata).
func (a *Auditor) checkBlobBatch(ctx context.Context, cfg protocol.Config, l *types.Log, tx *types.Transaction, sub *submission, eventX *big.Int,
	h protocol.Header, pubdata []byte) (int, error) {
	n := h.Number
	// The contract binds blobhash(0) and nothing else: a batch posts one
	// blob (protocol.BatchBlob), so any other number is not a Sheaf batch.
	hashes := tx.BlobHashes()
	if len(hashes) != 1 {
		return 0, failf(n, nil, "transaction %s carries %d blobs, a blob-mode batch posts exactly one", l.TxHash, len(hashes))
	}
	vh := hashes[0]
	hdr, err := a.client.HeaderByNumber(ctx, new(big.Int).SetUint64(l.BlockNumber))
	if err != nil {
		return 0, fmt.Errorf("batch %d: header of block %d: %w", n, l.BlockNumber, err)
	}
	got, err := blobs.Fetch(ctx, a.cfg.Blobs, blobs.RefsFor(n, tx, hdr))
	if err != nil {
		// The *blobs.Error names the blob; errors.Is finds ErrMissing or
		// ErrMismatch through the BatchError.
		return 0, failf(n, err, "fetch its blob")
	}
	bl := got[0]
	nt, err := unpackTransfers(cfg, bl, pubdata)
	if err != nil {
		return 0, failf(n, err, "blob %s", vh.Hex())
	}

	bind, err := protocol.BindBlob(cfg, h, pubdata, vh)
	if err != nil {
		return 0, failf(n, err, "binding")
	}
	if dh := bind.DataHash.Bytes(); dh != sub.DataHash {
		return 0, failf(n, nil, "calldata dataHash %#x differs from the one rebuilt from the blob %s and calldata %#x", sub.DataHash, vh.Hex(), dh)
	}
	if v := bind.V.BigInt(new(big.Int)); sub.V == nil || v.Cmp(sub.V) != 0 {
		return 0, failf(n, nil, "calldata V %v differs from the one rebuilt from the blob %s and calldata %v", sub.V, vh.Hex(), v)
	}
	if bind.X.Cmp(eventX) != 0 {
		return 0, failf(n, nil, "the contract emitted x = %#x, the challenge rebuilt from dataHash, the versioned hash and calldata is %#x", eventX, bind.X)
	}
	if vk := a.vkFor(cfg); vk != nil {
		// What the contract checked, re-checked: the KZG opening of the
		// blob at x to y (the point-evaluation precompile), and the proof.
		if err := checkKZG(sub.Kzg, vh, bind); err != nil {
			return 0, failf(n, err, "KZG opening of blob %s", vh.Hex())
		}
		pi := bind.PublicInputs()
		if err := verifyProof(vk, sub.Proof, pi[:]...); err != nil {
			return 0, failf(n, err, "proof does not verify against the two public inputs rebuilt from the blob and calldata")
		}
	}
	return nt, nil
}

// unpackTransfers reads the padded transfer section from the blob into
// pubdata's transfer section and returns the number of real transfers. The
// blob must be exactly the layout of that section (protocol.BatchBlob:
// chunk i in element i behind a zero byte, the last chunk zero-padded,
// every element from cfg.BlobChunks() on zero): the contract's evaluation
// check refuses any other blob, so one that got through would be a
// contract bug. Real slots come first (sender index non-zero); every slot
// after them must be all zero bytes, as calldata mode's padding is.
func unpackTransfers(cfg protocol.Config, bl *kzg4844.Blob, pubdata []byte) (int, error) {
	size := cfg.Transfers * cfg.TransferBytes()
	section, err := blob.Unpack([]kzg4844.Blob{*bl}, size)
	if err != nil {
		return 0, fmt.Errorf("transfer section: %w", err)
	}
	want, _, err := blob.Pack(section)
	if err != nil || len(want) != 1 {
		return 0, fmt.Errorf("transfer section of %d bytes does not pack into one blob: %v", size, err)
	}
	if !bytes.Equal(want[0][:], bl[:]) {
		i := 0
		for ; i < blob.ElementsPerBlob && bytes.Equal(want[0][32*i:32*i+32], bl[32*i:32*i+32]); i++ {
		}
		if k := cfg.BlobChunks(); i >= k {
			return 0, fmt.Errorf("element %d is not zero: data beyond the transfer section (elements 0 to %d)", i, k-1)
		}
		return 0, fmt.Errorf("element %d: the zero padding of the transfer section's last chunk is not zero", i)
	}
	off := cfg.Deposits*cfg.DepositBytes() + cfg.ForcedExits*cfg.ForcedExitBytes()
	copy(pubdata[off:off+size], section)
	tb := cfg.TransferBytes()
	nt := 0
	for nt < cfg.Transfers && !allZero(section[nt*tb:nt*tb+cfg.IndexBytes()]) {
		nt++
	}
	if !allZero(section[nt*tb:]) {
		return 0, fmt.Errorf("transfer slot %d (after the %d real ones) is not all zero", nt+(firstNonZero(section[nt*tb:]))/tb, nt)
	}
	return nt, nil
}

func allZero(b []byte) bool { return firstNonZero(b) == len(b) }

func firstNonZero(b []byte) int {
	for i, c := range b {
		if c != 0 {
			return i
		}
	}
	return len(b)
}

// checkKZG checks the submission's kzg bytes (commitment ‖ proof) as the
// point-evaluation precompile does: the commitment hashes to the versioned
// hash and the proof opens it to y at x.
func checkKZG(kzg []byte, vh common.Hash, b *protocol.BlobBinding) error {
	if len(kzg) != 96 {
		return fmt.Errorf("kzg is %d bytes, want commitment (48) and proof (48)", len(kzg))
	}
	var c kzg4844.Commitment
	var p kzg4844.Proof
	copy(c[:], kzg[:48])
	copy(p[:], kzg[48:])
	if got := blobs.VersionedHash(c); got != vh {
		return fmt.Errorf("commitment hashes to %s, not the blob's versioned hash", got.Hex())
	}
	var x kzg4844.Point
	var y kzg4844.Claim
	b.X.FillBytes(x[:])
	yb := b.Y.Bytes()
	copy(y[:], yb[:])
	return kzg4844.VerifyProof(c, x, y, p)
}
