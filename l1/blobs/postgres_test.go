package blobs_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sheafrollup/sheaf/db/pgtest"
	"github.com/sheafrollup/sheaf/l1/blobs"
)

// blobsSchema is the table of BLOBSPEC "Blob storage" (the sequencer's
// migration 00016_blobs.sql creates it; the test creates it so it does not
// depend on that migration).
const blobsSchema = `CREATE TABLE blobs (
    versioned_hash bytea PRIMARY KEY,
    batch          bigint NOT NULL,
    idx            int    NOT NULL,
    blob           bytea  NOT NULL,
    commitment     bytea  NOT NULL,
    cell_proofs    bytea  NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (batch, idx)
)`

func newPool(t *testing.T, schema bool) *pgxpool.Pool {
	t.Helper()
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if schema {
		if _, err := pool.Exec(ctx, blobsSchema); err != nil {
			t.Fatal(err)
		}
	}
	return pool
}

func insertBlob(t *testing.T, pool *pgxpool.Pool, batch uint64, idx int, tb testBlob, stored []byte) {
	t.Helper()
	if stored == nil {
		stored = tb.blob[:]
	}
	_, err := pool.Exec(context.Background(), `INSERT INTO blobs (versioned_hash, batch, idx, blob, commitment, cell_proofs)
		VALUES ($1, $2, $3, $4, $5, $6)`, tb.vh[:], int64(batch), idx, stored, tb.com[:], make([]byte, 128*48))
	if err != nil {
		t.Fatal(err)
	}
}

func TestPostgres(t *testing.T) {
	ctx := context.Background()
	pool := newPool(t, true)
	good, bad, absent, second := newTestBlob(t), newTestBlob(t), newTestBlob(t), newTestBlob(t)
	insertBlob(t, pool, 1, 0, good, nil)
	insertBlob(t, pool, 2, 0, bad, bad.altered()[:])
	insertBlob(t, pool, 2, 1, second, nil)
	src := blobs.NewPostgres(pool)

	tests := []struct {
		name    string
		ref     blobs.Ref
		want    testBlob
		wantErr error
	}{
		{"found", blobs.Ref{Batch: 1, VersionedHash: good.vh}, good, nil},
		{"second blob of a batch", blobs.Ref{Batch: 2, Index: 1, VersionedHash: second.vh}, second, nil},
		{"missing", blobs.Ref{Batch: 3, VersionedHash: absent.vh}, absent, blobs.ErrMissing},
		{"altered row", blobs.Ref{Batch: 2, VersionedHash: bad.vh}, bad, blobs.ErrMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := src.Blob(ctx, tt.ref)
			if tt.wantErr != nil {
				wantBlobError(t, err, tt.ref, tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if *got != *tt.want.blob {
				t.Fatal("returned the wrong blob")
			}
		})
	}

	// Export: the verified blobs become a directory the Dir source reads;
	// the altered row stops the export and names its batch.
	dir := filepath.Join(t.TempDir(), "blobs")
	st, err := src.Export(ctx, dir, 1, 1)
	if err != nil || st.Written != 1 {
		t.Fatalf("export batch 1: %+v, %v", st, err)
	}
	if st, err := src.Export(ctx, dir, 1, 1); err != nil || st.Skipped != 1 || st.Written != 0 {
		t.Fatalf("export again: %+v, %v (want the file kept)", st, err)
	}
	if _, err := src.Export(ctx, dir, 0, 0); !errors.Is(err, blobs.ErrMismatch) {
		t.Fatalf("export of an altered row: %v, want ErrMismatch", err)
	}
	if _, err := os.Stat(filepath.Join(dir, blobs.FileName(bad.vh))); !os.IsNotExist(err) {
		t.Fatalf("the altered blob was written (%v)", err)
	}
	d, err := blobs.NewDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := d.Blob(ctx, blobs.Ref{Batch: 1, VersionedHash: good.vh}); err != nil || *got != *good.blob {
		t.Fatalf("exported blob: %v", err)
	}
}

func TestPostgresNoTable(t *testing.T) {
	// A database from before the blobs migration: every blob is missing.
	src := blobs.NewPostgres(newPool(t, false))
	tb := newTestBlob(t)
	ref := blobs.Ref{Batch: 1, VersionedHash: tb.vh}
	_, err := src.Blob(context.Background(), ref)
	wantBlobError(t, err, ref, blobs.ErrMissing)
	if _, err := src.Export(context.Background(), t.TempDir(), 0, 0); err == nil {
		t.Fatal("export without a blobs table succeeded")
	}
}
