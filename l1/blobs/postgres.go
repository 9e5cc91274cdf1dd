package blobs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Querier is what the PostgreSQL source needs of a pool (*pgxpool.Pool,
// pgx.Tx).
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// Postgres reads the sequencer's blobs table (db/migrations/00016_blobs.sql:
// versioned_hash, batch, idx, blob, commitment, cell_proofs), where the
// submitter stores every blob before it sends it.
type Postgres struct{ q Querier }

// NewPostgres returns the PostgreSQL source over q.
func NewPostgres(q Querier) *Postgres { return &Postgres{q: q} }

func (p *Postgres) String() string { return "the sequencer's PostgreSQL blobs table" }

// Stored is one row of the blobs table.
type Stored struct {
	VersionedHash common.Hash
	Batch         uint64
	Index         int
	Blob          *kzg4844.Blob
	Commitment    kzg4844.Commitment
}

// undefinedTable is PostgreSQL's SQLSTATE for a missing relation: a
// database from before the blobs migration has no blobs.
const undefinedTable = "42P01"

func missingTable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == undefinedTable
}

func scanStored(row pgx.Row) (*Stored, error) {
	var (
		vh, blob, com []byte
		batch         int64
		idx           int32
	)
	if err := row.Scan(&vh, &batch, &idx, &blob, &com); err != nil {
		return nil, err
	}
	s := &Stored{VersionedHash: common.BytesToHash(vh), Batch: uint64(batch), Index: int(idx), Blob: new(kzg4844.Blob)}
	switch {
	case len(vh) != common.HashLength:
		return nil, fmt.Errorf("stored versioned hash has %d bytes", len(vh))
	case len(blob) != len(s.Blob):
		return s, fmt.Errorf("%w: stored blob has %d bytes, want %d", ErrMismatch, len(blob), len(s.Blob))
	case len(com) != len(s.Commitment):
		return s, fmt.Errorf("%w: stored commitment has %d bytes, want %d", ErrMismatch, len(com), len(s.Commitment))
	}
	copy(s.Blob[:], blob)
	copy(s.Commitment[:], com)
	return s, nil
}

const storedColumns = "versioned_hash, batch, idx, blob, commitment"

// Lookup returns the stored row of a versioned hash, unverified (nil, nil
// when there is none). The devnet's beacon endpoint serves it.
func (p *Postgres) Lookup(ctx context.Context, vh common.Hash) (*Stored, error) {
	s, err := scanStored(p.q.QueryRow(ctx, "SELECT "+storedColumns+" FROM blobs WHERE versioned_hash = $1", vh.Bytes()))
	if errors.Is(err, pgx.ErrNoRows) || missingTable(err) {
		return nil, nil
	}
	return s, err
}

// Blob reads the row of ref.VersionedHash and verifies the blob.
func (p *Postgres) Blob(ctx context.Context, ref Ref) (*kzg4844.Blob, error) {
	s, err := p.Lookup(ctx, ref.VersionedHash)
	switch {
	case err != nil:
		return nil, fail(ref, p, err)
	case s == nil:
		return nil, fail(ref, p, fmt.Errorf("%w: no row with this versioned hash", ErrMissing))
	}
	if _, err := Verify(s.Blob, ref.VersionedHash); err != nil {
		return nil, fail(ref, p, err)
	}
	return s.Blob, nil
}

// ExportStats counts what Export did.
type ExportStats struct {
	Written int // new files
	Skipped int // already there with the right size
}

// Export writes the blobs of batches from … to (to 0: all) from the
// table into dir (created if missing), laid out as FileName says. Each
// blob is verified against its stored versioned hash before it is
// written; a file already there of the right size is kept (the readers
// verify it anyway).
func (p *Postgres) Export(ctx context.Context, dir string, from, to uint64) (ExportStats, error) {
	var st ExportStats
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return st, err
	}
	if to == 0 {
		to = 1<<63 - 1
	}
	rows, err := p.q.Query(ctx, "SELECT "+storedColumns+" FROM blobs WHERE batch BETWEEN $1 AND $2 ORDER BY batch, idx", int64(from), int64(to))
	if err != nil {
		if missingTable(err) {
			return st, errors.New("blobs: the database has no blobs table (run `sheaf migrate`; blob mode stores blobs there)")
		}
		return st, fmt.Errorf("blobs: export: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		s, err := scanStored(rows)
		if err != nil {
			return st, fmt.Errorf("blobs: export: %w", err)
		}
		if fi, err := os.Stat(filepath.Join(dir, FileName(s.VersionedHash))); err == nil && fi.Size() == int64(len(s.Blob)) {
			st.Skipped++
			continue
		}
		if err := WriteFile(dir, s.VersionedHash, s.Blob); err != nil {
			return st, fmt.Errorf("blobs: export batch %d blob %d: %w", s.Batch, s.Index, err)
		}
		st.Written++
	}
	return st, rows.Err()
}
