package blobs_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"

	"github.com/sheafrollup/sheaf/db/pgtest"
	"github.com/sheafrollup/sheaf/l1/blobs"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// testBlob is a random blob (canonical field elements: top byte zero, as
// Sheaf's 31-byte chunks) with its commitment and versioned hash.
type testBlob struct {
	blob *kzg4844.Blob
	com  kzg4844.Commitment
	vh   common.Hash
}

func newTestBlob(t testing.TB) testBlob {
	t.Helper()
	b := new(kzg4844.Blob)
	for i := 0; i < len(b); i += 32 {
		if _, err := rand.Read(b[i+1 : i+32]); err != nil {
			t.Fatal(err)
		}
	}
	c, err := kzg4844.BlobToCommitment(b)
	if err != nil {
		t.Fatal(err)
	}
	return testBlob{blob: b, com: c, vh: blobs.VersionedHash(c)}
}

// altered is a copy of the blob with one field element changed (still
// canonical, so only the commitment check can catch it).
func (tb testBlob) altered() *kzg4844.Blob {
	b := *tb.blob
	b[100] ^= 1
	return &b
}

// wantBlobError checks that err is an *Error naming the batch and the
// versioned hash, wrapping sentinel.
func wantBlobError(t *testing.T, err error, ref blobs.Ref, sentinel error) {
	t.Helper()
	if err == nil {
		t.Fatalf("want an error wrapping %v, got none", sentinel)
	}
	var be *blobs.Error
	if !errors.As(err, &be) {
		t.Fatalf("error %q is not a *blobs.Error", err)
	}
	if be.Ref.Batch != ref.Batch || be.Ref.VersionedHash != ref.VersionedHash {
		t.Fatalf("error names %v, want %v", be.Ref, ref)
	}
	if !errors.Is(err, sentinel) {
		t.Fatalf("error %q does not wrap %v", err, sentinel)
	}
	msg := err.Error()
	if !strings.Contains(msg, fmt.Sprintf("batch %d", ref.Batch)) || !strings.Contains(msg, ref.VersionedHash.Hex()) {
		t.Fatalf("error %q does not name batch %d and versioned hash %s", msg, ref.Batch, ref.VersionedHash.Hex())
	}
}

func TestVersionedHash(t *testing.T) {
	tb := newTestBlob(t)
	if tb.vh[0] != 1 || !kzg4844.IsValidVersionedHash(tb.vh[:]) {
		t.Fatalf("versioned hash %s: want version 1", tb.vh)
	}
	if _, err := blobs.Verify(tb.blob, tb.vh); err != nil {
		t.Fatal(err)
	}
	if _, err := blobs.Verify(tb.altered(), tb.vh); !errors.Is(err, blobs.ErrMismatch) {
		t.Fatalf("altered blob: %v, want ErrMismatch", err)
	}
}

// fakeBeacon serves the Beacon API's genesis, spec, blob sidecars and
// (post-Fulu) blobs endpoints for a map of block ids to blobs, recording
// the block ids asked for.
type fakeBeacon struct {
	genesis  uint64
	perSlot  string // "" : no /eth/v1/config/spec (404)
	fulu     bool   // serve /eth/v1/beacon/blobs only, as a node without blob_sidecars
	mu       sync.Mutex
	blocks   map[string][]fakeCar
	asked    []string
	requests int
}

type fakeCar struct {
	index int
	blob  *kzg4844.Blob
	com   kzg4844.Commitment
}

func (f *fakeBeacon) add(id string, index int, blob *kzg4844.Blob, com kzg4844.Commitment) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.blocks[id] = append(f.blocks[id], fakeCar{index, blob, com})
}

func notFound(w http.ResponseWriter, msg string) {
	w.WriteHeader(http.StatusNotFound)
	json.NewEncoder(w).Encode(map[string]any{"code": 404, "message": msg})
}

func (f *fakeBeacon) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	switch p := r.URL.Path; {
	case p == "/eth/v1/beacon/genesis":
		json.NewEncoder(w).Encode(map[string]any{"data": map[string]string{"genesis_time": strconv.FormatUint(f.genesis, 10)}})
	case p == "/eth/v1/config/spec" && f.perSlot != "":
		json.NewEncoder(w).Encode(map[string]any{"data": map[string]string{"SECONDS_PER_SLOT": f.perSlot}})
	case strings.HasPrefix(p, "/eth/v1/beacon/blob_sidecars/") && !f.fulu:
		id := strings.TrimPrefix(p, "/eth/v1/beacon/blob_sidecars/")
		f.asked = append(f.asked, id)
		cars, ok := f.blocks[id]
		if !ok {
			notFound(w, "Block not found")
			return
		}
		out := []map[string]string{}
		for _, c := range cars {
			bh, _ := c.blob.MarshalText()
			ch, _ := c.com.MarshalText()
			out = append(out, map[string]string{"index": strconv.Itoa(c.index), "blob": string(bh), "kzg_commitment": string(ch)})
		}
		json.NewEncoder(w).Encode(map[string]any{"data": out})
	case strings.HasPrefix(p, "/eth/v1/beacon/blobs/") && f.fulu:
		id := strings.TrimPrefix(p, "/eth/v1/beacon/blobs/")
		f.asked = append(f.asked, "blobs/"+id)
		cars, ok := f.blocks[id]
		if !ok {
			notFound(w, "Block not found")
			return
		}
		want := r.URL.Query()["versioned_hashes"]
		out := []string{}
		for _, c := range cars {
			if len(want) > 0 && want[0] != blobs.VersionedHash(c.com).Hex() {
				continue
			}
			bh, _ := c.blob.MarshalText()
			out = append(out, string(bh))
		}
		json.NewEncoder(w).Encode(map[string]any{"data": out})
	default:
		notFound(w, "NOT_FOUND")
	}
}

func TestBeacon(t *testing.T) {
	const genesis, perSlot = 1_700_000_000, 12
	good, other, bad := newTestBlob(t), newTestBlob(t), newTestBlob(t)
	fb := &fakeBeacon{genesis: genesis, blocks: map[string][]fakeCar{}}
	fb.add("100", 0, other.blob, other.com)
	fb.add("100", 1, good.blob, good.com)
	fb.add("101", 0, bad.altered(), bad.com) // the node's commitment, other bytes
	root := common.HexToHash("0xbeac0b")
	fb.add(root.Hex(), 0, good.blob, good.com)
	srv := httptest.NewServer(fb)
	defer srv.Close()

	at := func(slot uint64) uint64 { return genesis + slot*perSlot }
	tests := []struct {
		name    string
		ref     blobs.Ref
		wantErr error
		wantID  string // the block id the client must ask for first
	}{
		{"found among the block's sidecars", blobs.Ref{Batch: 7, Index: 0, VersionedHash: good.vh, BlockTime: at(100)}, nil, "100"},
		{"by beacon root", blobs.Ref{Batch: 7, VersionedHash: good.vh, BlockTime: at(555), BeaconRoot: root}, nil, root.Hex()},
		{"404: pruned or empty slot", blobs.Ref{Batch: 8, VersionedHash: good.vh, BlockTime: at(102)}, blobs.ErrMissing, "102"},
		{"not in the block", blobs.Ref{Batch: 9, VersionedHash: bad.vh, BlockTime: at(100)}, blobs.ErrMissing, "100"},
		{"altered bytes", blobs.Ref{Batch: 10, VersionedHash: bad.vh, BlockTime: at(101)}, blobs.ErrMismatch, "101"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A fresh client per case: the last block's sidecars are cached.
			b, err := blobs.NewBeacon(blobs.BeaconConfig{URL: srv.URL, SecondsPerSlot: perSlot})
			if err != nil {
				t.Fatal(err)
			}
			fb.mu.Lock()
			fb.asked = nil
			fb.mu.Unlock()
			got, err := b.Blob(context.Background(), tt.ref)
			if tt.wantErr != nil {
				wantBlobError(t, err, tt.ref, tt.wantErr)
			} else if err != nil {
				t.Fatal(err)
			} else if *got != *good.blob {
				t.Fatal("returned the wrong blob")
			}
			fb.mu.Lock()
			defer fb.mu.Unlock()
			if len(fb.asked) != 1 || fb.asked[0] != tt.wantID {
				t.Fatalf("asked for blocks %v, want [%s]", fb.asked, tt.wantID)
			}
		})
	}
}

// TestBeaconFulu: a node that serves only GET /eth/v1/beacon/blobs (the
// endpoint that replaces blob_sidecars since Fulu): the client falls back
// to it and checks each blob by recomputing its commitment.
func TestBeaconFulu(t *testing.T) {
	const genesis, perSlot = 1_700_000_000, 12
	good, other, bad := newTestBlob(t), newTestBlob(t), newTestBlob(t)
	fb := &fakeBeacon{genesis: genesis, fulu: true, blocks: map[string][]fakeCar{}}
	fb.add("100", 0, other.blob, other.com)
	fb.add("100", 1, good.blob, good.com)
	fb.add("101", 0, bad.altered(), bad.com)
	srv := httptest.NewServer(fb)
	defer srv.Close()
	at := func(slot uint64) uint64 { return genesis + slot*perSlot }
	tests := []struct {
		name    string
		ref     blobs.Ref
		wantErr error
	}{
		{"found", blobs.Ref{Batch: 7, VersionedHash: good.vh, BlockTime: at(100)}, nil},
		{"404", blobs.Ref{Batch: 8, VersionedHash: good.vh, BlockTime: at(102)}, blobs.ErrMissing},
		{"not in the block", blobs.Ref{Batch: 9, VersionedHash: bad.vh, BlockTime: at(100)}, blobs.ErrMissing},
		{"altered", blobs.Ref{Batch: 10, VersionedHash: bad.vh, BlockTime: at(101)}, blobs.ErrMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := blobs.NewBeacon(blobs.BeaconConfig{URL: srv.URL, SecondsPerSlot: perSlot})
			if err != nil {
				t.Fatal(err)
			}
			got, err := b.Blob(context.Background(), tt.ref)
			if tt.wantErr != nil {
				wantBlobError(t, err, tt.ref, tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if *got != *good.blob {
				t.Fatal("returned the wrong blob")
			}
		})
	}
}

func TestBeaconSlotClock(t *testing.T) {
	const genesis = 1000
	tb := newTestBlob(t)
	fb := &fakeBeacon{genesis: genesis, perSlot: "5", blocks: map[string][]fakeCar{}}
	fb.add("3", 0, tb.blob, tb.com)
	srv := httptest.NewServer(fb)
	defer srv.Close()
	ctx := context.Background()

	// Seconds per slot from the node's spec (5 here, not 12).
	b, err := blobs.NewBeacon(blobs.BeaconConfig{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	ref := blobs.Ref{Batch: 1, VersionedHash: tb.vh, BlockTime: genesis + 3*5}
	if _, err := b.Blob(ctx, ref); err != nil {
		t.Fatal(err)
	}
	// Both blobs of a batch in one block: one sidecars request.
	before := fb.requests
	if _, err := b.Blob(ctx, ref); err != nil {
		t.Fatal(err)
	}
	if fb.requests != before {
		t.Fatalf("the second blob of the same block cost %d more requests", fb.requests-before)
	}
	// Off the slot grid, or before genesis: an error naming the blob, no request.
	for _, bt := range []uint64{genesis + 7, genesis - 5} {
		r := blobs.Ref{Batch: 2, VersionedHash: tb.vh, BlockTime: bt}
		_, err := b.Blob(ctx, r)
		var be *blobs.Error
		if !errors.As(err, &be) || be.Ref.Batch != 2 {
			t.Fatalf("block time %d: %v, want a *blobs.Error for batch 2", bt, err)
		}
	}
}

func TestDir(t *testing.T) {
	good, bad, absent := newTestBlob(t), newTestBlob(t), newTestBlob(t)
	dir := t.TempDir()
	if err := blobs.WriteFile(dir, good.vh, good.blob); err != nil {
		t.Fatal(err)
	}
	// WriteFile refuses a blob that is not the hash's.
	if err := blobs.WriteFile(dir, bad.vh, bad.altered()); !errors.Is(err, blobs.ErrMismatch) {
		t.Fatalf("WriteFile of an altered blob: %v, want ErrMismatch", err)
	}
	// An altered file, as if edited on disk.
	if err := os.WriteFile(filepath.Join(dir, blobs.FileName(bad.vh)), bad.altered()[:], 0o644); err != nil {
		t.Fatal(err)
	}
	// The layout is documented: 0x + 64 lowercase hex digits + .blob, raw bytes.
	raw, err := os.ReadFile(filepath.Join(dir, "0x"+common.Bytes2Hex(good.vh[:])+".blob"))
	if err != nil || len(raw) != len(kzg4844.Blob{}) {
		t.Fatalf("file layout: %d bytes, %v", len(raw), err)
	}
	d, err := blobs.NewDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		ref     blobs.Ref
		wantErr error
	}{
		{"found", blobs.Ref{Batch: 3, VersionedHash: good.vh}, nil},
		{"missing", blobs.Ref{Batch: 4, VersionedHash: absent.vh}, blobs.ErrMissing},
		{"altered", blobs.Ref{Batch: 5, VersionedHash: bad.vh}, blobs.ErrMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := d.Blob(context.Background(), tt.ref)
			if tt.wantErr != nil {
				wantBlobError(t, err, tt.ref, tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if *got != *good.blob {
				t.Fatal("returned the wrong blob")
			}
		})
	}
	// A truncated file is a mismatch, not a crash.
	if err := os.WriteFile(filepath.Join(dir, blobs.FileName(absent.vh)), []byte{1, 2, 3}, 0o644); err != nil {
		t.Fatal(err)
	}
	ref := blobs.Ref{Batch: 6, VersionedHash: absent.vh}
	_, err = d.Blob(context.Background(), ref)
	wantBlobError(t, err, ref, blobs.ErrMismatch)
}

// mapSource is a Source over a map that records the order it was asked in.
type mapSource struct {
	name  string
	blobs map[common.Hash]*kzg4844.Blob
	log   *[]string
}

func (m mapSource) String() string { return m.name }

func (m mapSource) Blob(_ context.Context, ref blobs.Ref) (*kzg4844.Blob, error) {
	*m.log = append(*m.log, m.name)
	b, ok := m.blobs[ref.VersionedHash]
	if !ok {
		return nil, &blobs.Error{Ref: ref, Source: m.name, Err: blobs.ErrMissing}
	}
	if _, err := blobs.Verify(b, ref.VersionedHash); err != nil {
		return nil, &blobs.Error{Ref: ref, Source: m.name, Err: err}
	}
	return b, nil
}

func TestChain(t *testing.T) {
	x, y, z := newTestBlob(t), newTestBlob(t), newTestBlob(t)
	var log []string
	a := mapSource{"a", map[common.Hash]*kzg4844.Blob{x.vh: x.blob, y.vh: y.altered()}, &log}
	b := mapSource{"b", map[common.Hash]*kzg4844.Blob{y.vh: y.blob, x.vh: x.blob}, &log}
	chain := blobs.Chain{a, b}
	tests := []struct {
		name    string
		want    testBlob
		asked   []string
		wantErr error
	}{
		{"first source has it: the second is not asked", x, []string{"a"}, nil},
		{"first altered: the second's good copy", y, []string{"a", "b"}, nil},
		{"none has it", z, []string{"a", "b"}, blobs.ErrMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log = nil
			ref := blobs.Ref{Batch: 11, VersionedHash: tt.want.vh}
			got, err := chain.Blob(context.Background(), ref)
			if fmt.Sprint(log) != fmt.Sprint(tt.asked) {
				t.Fatalf("asked %v, want %v", log, tt.asked)
			}
			if tt.wantErr != nil {
				wantBlobError(t, err, ref, tt.wantErr)
				if !strings.Contains(err.Error(), "a: ") || !strings.Contains(err.Error(), "b: ") {
					t.Fatalf("error %q does not say what each source answered", err)
				}
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
	// Altered in one, missing in the other: both reasons are there.
	c2 := blobs.Chain{b, a}
	delete(b.blobs, y.vh)
	ref := blobs.Ref{Batch: 12, VersionedHash: y.vh}
	_, err := c2.Blob(context.Background(), ref)
	wantBlobError(t, err, ref, blobs.ErrMismatch)
	wantBlobError(t, err, ref, blobs.ErrMissing)
	// No sources at all.
	_, err = blobs.Chain{}.Blob(context.Background(), ref)
	wantBlobError(t, err, ref, blobs.ErrMissing)
}

func TestFetch(t *testing.T) {
	x, y := newTestBlob(t), newTestBlob(t)
	var log []string
	s := mapSource{"m", map[common.Hash]*kzg4844.Blob{x.vh: x.blob}, &log}
	got, err := blobs.Fetch(context.Background(), s, []blobs.Ref{{Batch: 1, VersionedHash: x.vh}})
	if err != nil || len(got) != 1 || *got[0] != *x.blob {
		t.Fatalf("Fetch: %v", err)
	}
	refs := []blobs.Ref{{Batch: 2, Index: 0, VersionedHash: x.vh}, {Batch: 2, Index: 1, VersionedHash: y.vh}}
	_, err = blobs.Fetch(context.Background(), s, refs)
	wantBlobError(t, err, refs[1], blobs.ErrMissing)
	// No source at all (a nil audit.Config.Blobs): missing, not a panic.
	_, err = blobs.Fetch(context.Background(), nil, refs)
	wantBlobError(t, err, refs[0], blobs.ErrMissing)
}

func TestConfig(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		cfg     blobs.Config
		sources int // -1: Check fails
	}{
		{"none", blobs.Config{}, 0},
		{"dir", blobs.Config{Dir: dir}, 1},
		{"both", blobs.Config{Dir: dir, Beacon: "http://127.0.0.1:5052"}, 2},
		{"no such dir", blobs.Config{Dir: filepath.Join(dir, "nope")}, -1},
		{"not http", blobs.Config{Beacon: "ftp://x"}, -1},
		{"slot seconds without a beacon", blobs.Config{SecondsPerSlot: 12}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Check()
			if (err != nil) != (tt.sources < 0) {
				t.Fatalf("Check: %v", err)
			}
			if err != nil {
				return
			}
			s, err := blobs.Open(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			if c, ok := s.(blobs.Chain); ok {
				n = len(c)
			}
			if n != tt.sources {
				t.Fatalf("%d sources, want %d", n, tt.sources)
			}
			if n == 2 && !strings.HasPrefix(s.(blobs.Chain)[0].String(), "blob directory") {
				t.Fatalf("the directory must come first: %s", s)
			}
		})
	}
}

// BenchmarkVerify: what checking one blob costs (the commitment is
// recomputed from the bytes), the auditor's per-blob price.
func BenchmarkVerify(b *testing.B) {
	tb := newTestBlob(b)
	for b.Loop() {
		if _, err := blobs.Verify(tb.blob, tb.vh); err != nil {
			b.Fatal(err)
		}
	}
}
