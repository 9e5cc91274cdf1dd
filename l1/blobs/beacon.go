package blobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
)

// maxAnswer bounds what one beacon answer may take in memory.
const maxAnswer = 256 << 20

// DefaultSecondsPerSlot is Ethereum mainnet's (and its testnets') slot time.
const DefaultSecondsPerSlot = 12

// BeaconConfig configures the beacon node source.
type BeaconConfig struct {
	URL string // base URL of the beacon node's HTTP API (http://host:5052)
	// SecondsPerSlot maps an execution block's timestamp to its slot:
	// slot = (timestamp − genesis_time) / SecondsPerSlot. 0: the node's
	// SECONDS_PER_SLOT from /eth/v1/config/spec, else 12.
	SecondsPerSlot uint64
	Timeout        time.Duration // per request (0: 30 s)
	Client         *http.Client  // nil: http.DefaultClient
}

// Check validates the configuration.
func (c BeaconConfig) Check() error {
	u, err := url.Parse(c.URL)
	switch {
	case c.URL == "":
		return errors.New("blobs: beacon URL is required")
	case err != nil:
		return fmt.Errorf("blobs: beacon URL: %w", err)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("blobs: beacon URL %q: want http:// or https://", c.URL)
	case c.Timeout < 0:
		return errors.New("blobs: beacon timeout must not be negative")
	}
	return nil
}

// Beacon reads blobs from a beacon node's standard API:
// GET /eth/v1/beacon/blob_sidecars/{block_id}, block_id being the slot of
// the including block (or its beacon root when the Ref has one). It keeps
// the last block's sidecars, so a batch's several blobs cost one request.
type Beacon struct {
	cfg  BeaconConfig
	base string

	mu          sync.Mutex
	haveGenesis bool // genesis_time is loaded (it may be 0 on a dev chain)
	genesisTime uint64
	slotSeconds uint64
	lastID      string
	lastCars    []sidecar
}

// NewBeacon returns the beacon source; nothing is requested yet.
func NewBeacon(cfg BeaconConfig) (*Beacon, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Client == nil {
		cfg.Client = http.DefaultClient
	}
	return &Beacon{cfg: cfg, base: strings.TrimRight(cfg.URL, "/"), slotSeconds: cfg.SecondsPerSlot}, nil
}

func (b *Beacon) String() string { return "beacon node " + b.base }

// sidecar is the part of a Deneb BlobSidecar the source uses (numbers are
// quoted decimal strings in the Beacon API).
type sidecar struct {
	Index         string             `json:"index"`
	Blob          hexutil.Bytes      `json:"blob"`
	KZGCommitment kzg4844.Commitment `json:"kzg_commitment"`
	KZGProof      *kzg4844.Proof     `json:"kzg_proof,omitempty"`
}

// statusError is a non-200 answer.
type statusError struct {
	code int
	body string
}

func (e *statusError) Error() string {
	if e.body == "" {
		return fmt.Sprintf("HTTP %d", e.code)
	}
	return fmt.Sprintf("HTTP %d: %s", e.code, e.body)
}

// get decodes the "data" member of the JSON answer to path into v.
func (b *Beacon) get(ctx context.Context, path string, v any) error {
	ctx, cancel := context.WithTimeout(ctx, b.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := b.cfg.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		// The API's errors are {"code":404,"message":"..."}: show the message.
		var e struct {
			Message string `json:"message"`
		}
		s := strings.TrimSpace(string(msg))
		if json.Unmarshal(msg, &e) == nil && e.Message != "" {
			s = e.Message
		}
		return &statusError{code: resp.StatusCode, body: s}
	}
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	// A block's blobs in hex: 262 KB each, a few dozen at most.
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxAnswer)).Decode(&env); err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	if err := json.Unmarshal(env.Data, v); err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	return nil
}

// clock loads genesis_time (and SECONDS_PER_SLOT if not configured) once.
func (b *Beacon) clock(ctx context.Context) (genesis, perSlot uint64, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.haveGenesis {
		var g struct {
			GenesisTime string `json:"genesis_time"`
		}
		if err := b.get(ctx, "/eth/v1/beacon/genesis", &g); err != nil {
			return 0, 0, fmt.Errorf("genesis: %w", err)
		}
		t, err := strconv.ParseUint(g.GenesisTime, 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("genesis: genesis_time %q is not a time", g.GenesisTime)
		}
		b.genesisTime, b.haveGenesis = t, true
	}
	if b.slotSeconds == 0 {
		var spec struct {
			SecondsPerSlot string `json:"SECONDS_PER_SLOT"`
		}
		b.slotSeconds = DefaultSecondsPerSlot
		if err := b.get(ctx, "/eth/v1/config/spec", &spec); err == nil {
			if s, err := strconv.ParseUint(spec.SecondsPerSlot, 10, 64); err == nil && s > 0 {
				b.slotSeconds = s
			}
		}
	}
	return b.genesisTime, b.slotSeconds, nil
}

// blockID is the beacon block the ref's execution block was in.
func (b *Beacon) blockID(ctx context.Context, ref Ref) (string, error) {
	if ref.BeaconRoot != (common.Hash{}) {
		return ref.BeaconRoot.Hex(), nil
	}
	genesis, perSlot, err := b.clock(ctx)
	if err != nil {
		return "", err
	}
	if ref.BlockTime < genesis {
		return "", fmt.Errorf("L1 block time %d is before the beacon chain's genesis %d: wrong beacon node?", ref.BlockTime, genesis)
	}
	if d := ref.BlockTime - genesis; d%perSlot != 0 {
		return "", fmt.Errorf("L1 block time %d is not on a slot boundary (genesis %d, %d s per slot): wrong beacon node or --l1.beacon-slot-seconds?", ref.BlockTime, genesis, perSlot)
	}
	return strconv.FormatUint((ref.BlockTime-genesis)/perSlot, 10), nil
}

// sidecars returns the block's sidecars (nil, nil when the node has none:
// 404, pruned or an empty slot).
func (b *Beacon) sidecars(ctx context.Context, id string) ([]sidecar, error) {
	b.mu.Lock()
	if b.lastID == id {
		cars := b.lastCars
		b.mu.Unlock()
		return cars, nil
	}
	b.mu.Unlock()
	var cars []sidecar
	err := b.get(ctx, "/eth/v1/beacon/blob_sidecars/"+id, &cars)
	var se *statusError
	if errors.As(err, &se) && se.code == http.StatusNotFound {
		return nil, fmt.Errorf("%w: the node has no block %s (%v): an empty slot, or blobs pruned (kept about 18 days)", ErrMissing, id, se)
	}
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	b.lastID, b.lastCars = id, cars
	b.mu.Unlock()
	return cars, nil
}

// Blob returns the verified blob of ref from the sidecars of ref's block
// (GET /eth/v1/beacon/blob_sidecars/{block_id}); when they do not have it
// it asks GET /eth/v1/beacon/blobs/{block_id}?versioned_hashes=…, the
// endpoint that replaces blob_sidecars since Fulu (PeerDAS nodes keep
// data columns and rebuild blobs, not sidecars; some serve only it).
func (b *Beacon) Blob(ctx context.Context, ref Ref) (*kzg4844.Blob, error) {
	id, err := b.blockID(ctx, ref)
	if err != nil {
		return nil, fail(ref, b, err)
	}
	blob, serr := b.fromSidecars(ctx, id, ref)
	if serr == nil {
		return blob, nil
	}
	if errors.Is(serr, ErrMismatch) || ctx.Err() != nil {
		return nil, fail(ref, b, serr)
	}
	blob, gerr := b.fromBlobs(ctx, id, ref)
	switch {
	case gerr == nil:
		return blob, nil
	case errors.Is(gerr, ErrMismatch):
		return nil, fail(ref, b, gerr)
	}
	return nil, fail(ref, b, fmt.Errorf("blob_sidecars: %w; blobs: %w", serr, gerr))
}

// fromSidecars finds ref's blob among the sidecars of block id.
func (b *Beacon) fromSidecars(ctx context.Context, id string, ref Ref) (*kzg4844.Blob, error) {
	cars, err := b.sidecars(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, sc := range cars {
		if VersionedHash(sc.KZGCommitment) != ref.VersionedHash {
			continue
		}
		if len(sc.Blob) != len(kzg4844.Blob{}) {
			return nil, fmt.Errorf("%w: sidecar %s of block %s has %d bytes, want %d", ErrMismatch, sc.Index, id, len(sc.Blob), len(kzg4844.Blob{}))
		}
		blob := new(kzg4844.Blob)
		copy(blob[:], sc.Blob)
		// The node's commitment matched; the bytes must too.
		if _, err := Verify(blob, ref.VersionedHash); err != nil {
			return nil, fmt.Errorf("sidecar %s of block %s: %w", sc.Index, id, err)
		}
		return blob, nil
	}
	return nil, fmt.Errorf("%w: block %s has %d blob sidecars, none with this versioned hash", ErrMissing, id, len(cars))
}

// fromBlobs asks the getBlobs endpoint for ref's blob. It returns blobs
// without commitments: each is checked by recomputing its commitment.
func (b *Beacon) fromBlobs(ctx context.Context, id string, ref Ref) (*kzg4844.Blob, error) {
	var data []hexutil.Bytes
	err := b.get(ctx, "/eth/v1/beacon/blobs/"+id+"?versioned_hashes="+ref.VersionedHash.Hex(), &data)
	var se *statusError
	if errors.As(err, &se) && se.code == http.StatusNotFound {
		return nil, fmt.Errorf("%w: the node has no block %s (%v)", ErrMissing, id, se)
	}
	if err != nil {
		return nil, err
	}
	var mismatch error
	for i, raw := range data {
		blob := new(kzg4844.Blob)
		if len(raw) != len(blob) {
			mismatch = fmt.Errorf("%w: blob %d of block %s has %d bytes, want %d", ErrMismatch, i, id, len(raw), len(blob))
			continue
		}
		copy(blob[:], raw)
		_, err := Verify(blob, ref.VersionedHash)
		if err == nil {
			return blob, nil
		}
		mismatch = fmt.Errorf("blob %d of block %s: %w", i, id, err)
	}
	// Asked for one versioned hash, the node answered with one blob that
	// is not it: an altered blob. More blobs (a node that ignores the
	// filter) none of which matches, or none: missing.
	if len(data) == 1 {
		return nil, mismatch
	}
	return nil, fmt.Errorf("%w: block %s has %d blobs, none with this versioned hash", ErrMissing, id, len(data))
}
