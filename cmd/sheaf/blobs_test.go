package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto/kzg4844"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/urfave/cli/v2"

	"github.com/sheafrollup/sheaf/db"
	"github.com/sheafrollup/sheaf/db/pgtest"
	"github.com/sheafrollup/sheaf/l1/blobs"
)

// TestBlobFlags: --blobs.dir and --l1.beacon (or their SHEAF_ variables)
// become a chain, the directory first; bad values are refused naming the flag.
func TestBlobFlags(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name    string
		args    []string
		env     map[string]string
		sources []string // prefixes of the sources' names, in order; nil: no source
		wantErr string
	}{
		{name: "none"},
		{name: "beacon", args: []string{"--l1.beacon", "http://127.0.0.1:5052"}, sources: []string{"beacon node"}},
		{name: "both, by environment", env: map[string]string{"SHEAF_L1_BEACON": "http://b:5052", "SHEAF_BLOBS_DIR": dir},
			sources: []string{"blob directory", "beacon node"}},
		{name: "bad URL", args: []string{"--l1.beacon", "127.0.0.1:5052"}, wantErr: "--l1.beacon"},
		{name: "no such dir", args: []string{"--blobs.dir", filepath.Join(dir, "x")}, wantErr: "--blobs.dir"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, k := range []string{"SHEAF_L1_BEACON", "SHEAF_BLOBS_DIR"} {
				t.Setenv(k, tc.env[k])
				if tc.env[k] == "" {
					os.Unsetenv(k)
				}
			}
			var src blobs.Source
			var serr error
			app := &cli.App{Flags: blobFlags(), Action: func(c *cli.Context) error {
				src, serr = blobSource(c)
				return nil
			}}
			if err := app.Run(append([]string{"sheaf"}, tc.args...)); err != nil {
				t.Fatal(err)
			}
			if tc.wantErr != "" {
				if serr == nil || !strings.Contains(serr.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one naming %s", serr, tc.wantErr)
				}
				return
			}
			if serr != nil {
				t.Fatal(serr)
			}
			if tc.sources == nil {
				if src != nil {
					t.Fatalf("source %s, want none", src)
				}
				return
			}
			chain, ok := src.(blobs.Chain)
			if !ok || len(chain) != len(tc.sources) {
				t.Fatalf("source %v, want %v", src, tc.sources)
			}
			for i, p := range tc.sources {
				if !strings.HasPrefix(chain[i].String(), p) {
					t.Fatalf("source %d is %s, want %s…", i, chain[i], p)
				}
			}
		})
	}
	// The audit and exit commands carry the flags.
	for _, cmd := range []*cli.Command{auditCommand(), exitCommand()} {
		for _, name := range []string{"l1.beacon", "blobs.dir", "l1.beacon-slot-seconds"} {
			found := false
			for _, f := range cmd.Flags {
				found = found || f.Names()[0] == name
			}
			if !found {
				t.Errorf("sheaf %s has no --%s", cmd.Name, name)
			}
		}
	}
}

// TestBlobsExportCommand: `sheaf blobs export` writes the stored blobs as
// <versioned hash>.blob files that the directory source reads back.
func TestBlobsExportCommand(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	if _, err := db.Migrate(ctx, url, nil); err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	// The table of migration 00016 (BLOBSPEC), if the migrations lack it.
	if _, err := pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS blobs (versioned_hash bytea PRIMARY KEY, batch bigint NOT NULL,
		idx int NOT NULL, blob bytea NOT NULL, commitment bytea NOT NULL, cell_proofs bytea NOT NULL,
		created_at timestamptz NOT NULL DEFAULT now(), UNIQUE (batch, idx))`); err != nil {
		t.Fatal(err)
	}
	blob := new(kzg4844.Blob)
	for i := 0; i < len(blob); i += 32 {
		rand.Read(blob[i+1 : i+32])
	}
	com, err := kzg4844.BlobToCommitment(blob)
	if err != nil {
		t.Fatal(err)
	}
	vh := blobs.VersionedHash(com)
	if _, err := pool.Exec(ctx, `INSERT INTO blobs (versioned_hash, batch, idx, blob, commitment, cell_proofs) VALUES ($1, 5, 0, $2, $3, $4)`,
		vh[:], blob[:], com[:], make([]byte, 128*48)); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "archive")
	var out bytes.Buffer
	app := newApp()
	app.Writer = &out
	if err := app.Run([]string{"sheaf", "--log.level", "error", "blobs", "export", "--db.url", url, "--blobs.dir", dir}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "exported 1 blobs") {
		t.Fatalf("output %q", out.String())
	}
	d, err := blobs.NewDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := d.Blob(ctx, blobs.Ref{Batch: 5, VersionedHash: vh})
	if err != nil || *got != *blob {
		t.Fatalf("exported blob: %v", err)
	}
}
