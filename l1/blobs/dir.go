package blobs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
)

// FileExt ends every blob file's name in a blob directory.
const FileExt = ".blob"

// FileName is the name of a blob's file in a blob directory: the versioned
// hash as 0x and 64 lowercase hex digits, then ".blob". The file holds the
// blob's 131,072 raw bytes (4,096 field elements of 32 bytes, big-endian,
// as in the transaction's sidecar), nothing else: the name says which blob
// it must be, and the reader checks that it is.
func FileName(versionedHash common.Hash) string {
	return strings.ToLower(versionedHash.Hex()) + FileExt
}

// Dir reads blobs from a directory laid out as FileName says (`sheaf blobs
// export` writes one).
type Dir struct{ path string }

// NewDir returns the directory source; the directory must exist.
func NewDir(path string) (*Dir, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("blobs: directory: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("blobs: %s is not a directory", path)
	}
	return &Dir{path: path}, nil
}

func (d *Dir) String() string { return "blob directory " + d.path }

// Blob reads and verifies the file named after ref.VersionedHash.
func (d *Dir) Blob(_ context.Context, ref Ref) (*kzg4844.Blob, error) {
	name := filepath.Join(d.path, FileName(ref.VersionedHash))
	b, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fail(ref, d, fmt.Errorf("%w: no file %s", ErrMissing, filepath.Base(name)))
	}
	if err != nil {
		return nil, fail(ref, d, err)
	}
	blob := new(kzg4844.Blob)
	if len(b) != len(blob) {
		return nil, fail(ref, d, fmt.Errorf("%w: %s has %d bytes, want %d", ErrMismatch, filepath.Base(name), len(b), len(blob)))
	}
	copy(blob[:], b)
	if _, err := Verify(blob, ref.VersionedHash); err != nil {
		return nil, fail(ref, d, fmt.Errorf("%s: %w", filepath.Base(name), err))
	}
	return blob, nil
}

// WriteFile stores blob in dir under its versioned hash, atomically (a
// temporary file renamed into place), and returns the hash; it verifies
// the blob against want first, so no wrong file is ever written.
func WriteFile(dir string, want common.Hash, blob *kzg4844.Blob) error {
	if _, err := Verify(blob, want); err != nil {
		return fmt.Errorf("blobs: %s: %w", want.Hex(), err)
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // after the rename: nothing
	if _, err := f.Write(blob[:]); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), filepath.Join(dir, FileName(want)))
}
