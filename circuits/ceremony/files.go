package ceremony

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"

	"github.com/consensys/gnark/backend/groth16/bn254/mpcsetup"
)

// File names in a ceremony directory (one directory per circuit).
const (
	ManifestFile   = "ceremony.json"
	Phase1File     = "phase1.srs"
	TranscriptFile = "transcript.json" // also beside the finalized keys
)

// Phase2File is the name of phase-2 state i: 0 is the initial state written
// by init, i ≥ 1 the i-th contribution.
func Phase2File(i int) string { return fmt.Sprintf("phase2.%04d", i) }

var phase2Name = regexp.MustCompile(`^phase2\.([0-9]{4,})$`)

// phase2Files lists the phase-2 states in dir, checking they are numbered
// 0, 1, … without gaps.
func phase2Files(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	idx := map[int]string{}
	var nums []int
	for _, e := range ents {
		m := phase2Name.FindStringSubmatch(e.Name())
		if m == nil || e.IsDir() {
			continue
		}
		n, err := strconv.Atoi(m[1])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		if _, dup := idx[n]; dup {
			return nil, fmt.Errorf("%s: two files for phase-2 state %d", dir, n)
		}
		idx[n] = e.Name()
		nums = append(nums, n)
	}
	sort.Ints(nums)
	out := make([]string, len(nums))
	for i, n := range nums {
		if n != i {
			return nil, fmt.Errorf("%w: %s has no %s (found %s)", ErrChain, dir, Phase2File(i), idx[n])
		}
		out[i] = filepath.Join(dir, idx[n])
	}
	return out, nil
}

// latestPhase2 returns the highest-numbered phase-2 state in dir. A
// contributor may hold only that one file.
func latestPhase2(dir string) (int, string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return 0, "", err
	}
	best, name := -1, ""
	for _, e := range ents {
		if m := phase2Name.FindStringSubmatch(e.Name()); m != nil && !e.IsDir() {
			if n, err := strconv.Atoi(m[1]); err == nil && n > best {
				best, name = n, e.Name()
			}
		}
	}
	if best < 0 {
		return 0, "", fmt.Errorf("%s holds no phase-2 file (%s…): run `sheaf ceremony init` first, or put the latest contribution there", dir, Phase2File(0))
	}
	return best, filepath.Join(dir, name), nil
}

// sizedReader counts and hashes what it reads.
type sizedReader struct {
	r io.Reader
	h io.Writer
}

func (s sizedReader) Read(b []byte) (int, error) {
	n, err := s.r.Read(b)
	s.h.Write(b[:n])
	return n, err
}

// readExact decodes a file with obj.ReadFrom, requiring the file to be
// exactly obj's serialization, so that the file's SHA-256 is the hash
// gnark chains contributions with.
func readExact(path string, obj io.ReaderFrom) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	n, err := obj.ReadFrom(sizedReader{bufio.NewReaderSize(f, 1<<20), h})
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	if n != st.Size() {
		return "", fmt.Errorf("read %s: %d bytes decoded of %d: the file is not one serialized state", path, n, st.Size())
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func readPhase2(path string) (*mpcsetup.Phase2, string, error) {
	p := new(mpcsetup.Phase2)
	h, err := readExact(path, p)
	return p, h, err
}

func readPhase1(path string) (*mpcsetup.SrsCommons, string, error) {
	c := new(mpcsetup.SrsCommons)
	h, err := readExact(path, c)
	return c, h, err
}

// writeAtomic writes path through a temporary file and returns the SHA-256
// of what was written.
func writeAtomic(path string, obj io.WriterTo) (string, error) {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp) // no-op after the rename
	h := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(f, h), 1<<20)
	if _, err := obj.WriteTo(bw); err != nil {
		f.Close()
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashOf returns the SHA-256 of obj's serialization.
func hashOf(obj io.WriterTo) (string, error) {
	h := sha256.New()
	bw := bufio.NewWriterSize(h, 1<<16)
	if _, err := obj.WriteTo(bw); err != nil {
		return "", err
	}
	if err := bw.Flush(); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// FileSHA256 hashes a file.
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

type writerToFunc func(io.Writer) (int64, error)

func (f writerToFunc) WriteTo(w io.Writer) (int64, error) { return f(w) }

func writeJSON(path string, v any) error {
	_, err := writeAtomic(path, writerToFunc(func(w io.Writer) (int64, error) {
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		return 0, e.Encode(v)
	}))
	return err
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("parse %s: %w", path, err)
	}
	return nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, os.ErrNotExist)
}
