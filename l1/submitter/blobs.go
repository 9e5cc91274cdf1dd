package submitter

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
	"github.com/jackc/pgx/v5"

	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
)

// blobRow is one row of the blobs table: a blob of a batch's transaction
// with what its version-1 sidecar carries.
type blobRow struct {
	hash       common.Hash // versioned hash
	idx        int
	blob       *kzg4844.Blob
	commitment kzg4844.Commitment
	cellProofs []kzg4844.Proof // kzg4844.CellProofsPerBlob of them
}

// makeBlobs is a blob-mode batch's blob (protocol.BatchBlob: the transfer
// section laid out 31 bytes per element, top byte zero — the same blob the
// prover bound the proof to) with its commitment, versioned hash and cell
// proofs.
func makeBlobs(cfg protocol.Config, pubdata []byte) ([]*blobRow, error) {
	b, vh, err := protocol.BatchBlob(cfg, pubdata)
	if err != nil {
		return nil, err
	}
	c, err := kzg4844.BlobToCommitment(b)
	if err != nil {
		return nil, fmt.Errorf("blob commitment: %w", err)
	}
	if kzg4844.CalcBlobHashV1(sha256.New(), &c) != vh {
		return nil, errors.New("blob commitment does not hash to the batch's versioned hash")
	}
	proofs, err := kzg4844.ComputeCellProofs(b)
	if err != nil {
		return nil, fmt.Errorf("blob cell proofs: %w", err)
	}
	return []*blobRow{{hash: vh, idx: 0, blob: b, commitment: c, cellProofs: proofs}}, nil
}

const blobCols = `versioned_hash, idx, blob, commitment, cell_proofs`

func (s *Submitter) queryBlobs(ctx context.Context, where string, args ...any) ([]*blobRow, error) {
	rows, err := s.conn.Query(ctx, `SELECT `+blobCols+` FROM blobs `+where, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (*blobRow, error) {
		var (
			hash, data, c, proofs []byte
			b                     = &blobRow{blob: new(kzg4844.Blob)}
		)
		if err := r.Scan(&hash, &b.idx, &data, &c, &proofs); err != nil {
			return nil, err
		}
		if len(hash) != 32 || len(data) != len(b.blob) || len(c) != len(b.commitment) ||
			len(proofs) != kzg4844.CellProofsPerBlob*len(kzg4844.Proof{}) {
			return nil, fmt.Errorf("blob %x: stored row has the wrong sizes", hash)
		}
		b.hash = common.BytesToHash(hash)
		copy(b.blob[:], data)
		copy(b.commitment[:], c)
		b.cellProofs = make([]kzg4844.Proof, kzg4844.CellProofsPerBlob)
		for i := range b.cellProofs {
			copy(b.cellProofs[i][:], proofs[i*len(kzg4844.Proof{}):])
		}
		// A row whose commitment is not its key cannot be sent (the node
		// would refuse the sidecar): say which.
		if kzg4844.CalcBlobHashV1(sha256.New(), &b.commitment) != [32]byte(b.hash) {
			return nil, fmt.Errorf("blob %s: stored commitment does not hash to it", b.hash)
		}
		return b, nil
	})
}

// batchBlobs returns the blobs of a blob-mode batch. On the batch's first
// submission they are computed and written to the blobs table, committed
// before the transaction that carries them is even signed (stored before
// sent: an operator who sent a blob must be able to serve it). Later
// submissions (replacements, re-sends after a drop or a reorg) read them
// back; they must still carry the batch's transfer section.
func (s *Submitter) batchBlobs(ctx context.Context, b *batchRow) ([]*blobRow, error) {
	stored, err := s.queryBlobs(ctx, `WHERE batch = $1 ORDER BY idx`, b.number)
	if err != nil {
		return nil, fmt.Errorf("batch %d: blobs: %w", b.number, err)
	}
	if len(stored) > 0 {
		// Byte for byte the layout of the section: also the unused
		// elements, which must be zero (the circuit's polynomial has
		// nothing there).
		want, _, err := protocol.BatchBlob(b.config, b.pubdata)
		if err != nil {
			return nil, fmt.Errorf("batch %d: %w", b.number, err)
		}
		if len(stored) != 1 || stored[0].idx != 0 || !bytes.Equal(stored[0].blob[:], want[:]) {
			return nil, fmt.Errorf("batch %d: the stored blobs do not carry the batch's transfer section (%d rows)", b.number, len(stored))
		}
		return stored, nil
	}
	made, err := makeBlobs(b.config, b.pubdata)
	if err != nil {
		return nil, fmt.Errorf("batch %d: %w", b.number, err)
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		for _, r := range made {
			proofs := make([]byte, 0, len(r.cellProofs)*len(kzg4844.Proof{}))
			for i := range r.cellProofs {
				proofs = append(proofs, r.cellProofs[i][:]...)
			}
			// The same blob in two batches happens: a batch without
			// transfers (deposits or withdrawals only) has the all-zero
			// blob, every time. The row of the first such batch is that
			// blob byte for byte (one versioned hash, one KZG commitment,
			// one blob), so it is kept and serves the later ones too:
			// stored before sent still holds, and readers look blobs up
			// by versioned hash.
			_, err := tx.Exec(ctx, `INSERT INTO blobs (versioned_hash, batch, idx, blob, commitment, cell_proofs)
				VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (versioned_hash) DO NOTHING`,
				r.hash[:], b.number, r.idx, r.blob[:], r.commitment[:], proofs)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("batch %d: store blobs: %w", b.number, err)
	}
	s.log.Info("blobs stored", "batch", b.number, "blobs", len(made), "versioned_hash", made[0].hash)
	return made, nil
}

// sidecar is the version-1 sidecar of a blob transaction, rebuilt from the
// stored blob rows of its versioned hashes: the submissions table keeps
// transactions without their blobs, which live (once) in the blobs table.
func (s *Submitter) sidecar(ctx context.Context, hashes []common.Hash) (*types.BlobTxSidecar, error) {
	keys := make([][]byte, len(hashes))
	for i := range hashes {
		keys[i] = hashes[i][:]
	}
	rows, err := s.queryBlobs(ctx, `WHERE versioned_hash = ANY($1)`, keys)
	if err != nil {
		return nil, err
	}
	byHash := map[common.Hash]*blobRow{}
	for _, r := range rows {
		byHash[r.hash] = r
	}
	var (
		blobs  []kzg4844.Blob
		comms  []kzg4844.Commitment
		proofs []kzg4844.Proof
	)
	for _, h := range hashes {
		r := byHash[h]
		if r == nil {
			return nil, fmt.Errorf("blob %s is not stored: the transaction cannot be sent", h)
		}
		blobs = append(blobs, *r.blob)
		comms = append(comms, r.commitment)
		proofs = append(proofs, r.cellProofs...)
	}
	return types.NewBlobTxSidecar(types.BlobSidecarVersion1, blobs, comms, proofs), nil
}

// blobBinding is what the submitter needs of a blob-mode batch's binding
// (BLOBSPEC "Native twin", protocol.BindBlob): the contract's challenge
// x (< 2^125), the V that calldata carries, and y = P_blob(x), the value
// the KZG proof at x must open to.
type blobBinding struct {
	DataHash [32]byte // BN254, the circuit's PI[0]: calldata carries it
	X, V     *big.Int
	Y        [32]byte // big endian, BLS12-381 Fr
}

// bindBlob computes a batch's blob binding with protocol.BindBlob, the
// native twin of the circuit's.
func bindBlob(cfg protocol.Config, h protocol.Header, pubdata []byte, versionedHash [32]byte) (*blobBinding, error) {
	b, err := protocol.BindBlob(cfg, h, pubdata, versionedHash)
	if err != nil {
		return nil, err
	}
	return &blobBinding{DataHash: b.DataHash.Bytes(), X: b.X, V: b.V.BigInt(new(big.Int)), Y: b.Y.Bytes()}, nil
}

// blobCalldata builds submitBlobBatch's calldata (BLOBSPEC "Contract
// ABI", docs/contracts.md "Blob mode"): the calldata-mode sections without
// the transfer section, the circuit's dataHash (the contract derives x from
// it and passes it to the verifier), V, the commitment of blob 0 and its
// KZG proof at the contract's challenge x.
func (s *Submitter) blobCalldata(ctx context.Context, b *batchRow, blobs []*blobRow) ([]byte, error) {
	if len(blobs) != 1 {
		return nil, fmt.Errorf("batch %d: %d blobs, the contract binds exactly one", b.number, len(blobs))
	}
	n, depositors, err := s.sections(ctx, b)
	if err != nil {
		return nil, err
	}
	h, err := protocol.ParseHeader(b.header)
	if err != nil {
		return nil, fmt.Errorf("batch %d: %w", b.number, err)
	}
	bl := blobs[0]
	bind, err := bindBlob(b.config, h, b.pubdata, bl.hash)
	if err != nil {
		return nil, fmt.Errorf("batch %d: blob binding: %w", b.number, err)
	}
	var x kzg4844.Point
	bind.X.FillBytes(x[:])
	proof, claim, err := kzg4844.ComputeProof(bl.blob, x)
	if err != nil {
		return nil, fmt.Errorf("batch %d: KZG proof at x: %w", b.number, err)
	}
	if claim != kzg4844.Claim(bind.Y) {
		// The circuit's y and the blob's do not agree: the contract's
		// point evaluation would fail. Never send it.
		return nil, fmt.Errorf("batch %d: the blob opens to %x at x, the binding says %x", b.number, claim, bind.Y)
	}
	kzg := append(append(make([]byte, 0, 96), bl.commitment[:]...), proof[:]...)
	compact := protocol.CompactPubdata(b.config, b.pubdata, protocol.Counts{Deposits: n[protocol.OpDeposit],
		ForcedExits: n[protocol.OpForcedExit], Withdrawals: n[protocol.OpWithdraw]})
	call := l1.BlobBatchCall{Number: uint64(b.number), NewRoot: [32]byte(b.newRoot), Deposits: uint16(n[protocol.OpDeposit]),
		ForcedExits: uint16(n[protocol.OpForcedExit]), Withdrawals: uint16(n[protocol.OpWithdraw]), Pubdata: compact,
		Depositors: depositors, DataHash: bind.DataHash, V: bind.V, KZG: kzg, Proof: b.proof}
	return call.Pack(s.rollup)
}
