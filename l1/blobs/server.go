package blobs

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
)

// L1 is what the beacon endpoint needs of the L1 node.
type L1 interface {
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
	BlockByNumber(ctx context.Context, number *big.Int) (*types.Block, error)
}

// Store finds a stored blob by versioned hash (nil, nil: none);
// *Postgres is one.
type Store interface {
	Lookup(ctx context.Context, versionedHash common.Hash) (*Stored, error)
}

// Server answers the part of the Beacon API that blob readers use, for a
// chain that has no beacon node (the devnet's simulated L1):
//
//	GET /eth/v1/beacon/genesis                  genesis_time = block 0's timestamp
//	GET /eth/v1/config/spec                     SECONDS_PER_SLOT
//	GET /eth/v1/beacon/blob_sidecars/{slot}     the sidecars of the block at
//	                                            genesis_time + slot × SECONDS_PER_SLOT
//	GET /eth/v1/beacon/blobs/{slot}             its blobs (post-Fulu getBlobs,
//	                                            ?versioned_hashes= filters)
//
// Slots are the chain's timestamps (one second apart by default: each
// simulated block has its own timestamp); a slot with no block is 404, as
// a beacon node answers for an empty slot. The sidecars are the block's
// blob transactions' blobs, in block order, read from the store by
// versioned hash; a blob the store lacks is left out (the reader then
// reports it missing). Only slot numbers are accepted as block_id.
type Server struct {
	chain   L1
	store   Store
	perSlot uint64
	log     *slog.Logger
	mux     *http.ServeMux
}

// NewServer returns the handler; secondsPerSlot 0 means 1.
func NewServer(chain L1, store Store, secondsPerSlot uint64, log *slog.Logger) *Server {
	if secondsPerSlot == 0 {
		secondsPerSlot = 1
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{chain: chain, store: store, perSlot: secondsPerSlot, log: log, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /eth/v1/beacon/genesis", s.genesis)
	s.mux.HandleFunc("GET /eth/v1/config/spec", s.spec)
	s.mux.HandleFunc("GET /eth/v1/beacon/blob_sidecars/{block_id}", s.sidecars)
	s.mux.HandleFunc("GET /eth/v1/beacon/blobs/{block_id}", s.blobs)
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

func writeData(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"data": v})
}

// apiError answers as the Beacon API does: {"code":…,"message":…}.
func apiError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]any{"code": code, "message": msg})
}

func (s *Server) genesisTime(ctx context.Context) (uint64, error) {
	h, err := s.chain.HeaderByNumber(ctx, big.NewInt(0))
	if err != nil {
		return 0, err
	}
	return h.Time, nil
}

func (s *Server) genesis(w http.ResponseWriter, r *http.Request) {
	t, err := s.genesisTime(r.Context())
	if err != nil {
		apiError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeData(w, map[string]string{"genesis_time": strconv.FormatUint(t, 10),
		"genesis_validators_root": common.Hash{}.Hex(), "genesis_fork_version": "0x00000000"})
}

func (s *Server) spec(w http.ResponseWriter, _ *http.Request) {
	writeData(w, map[string]string{"SECONDS_PER_SLOT": strconv.FormatUint(s.perSlot, 10)})
}

// blockAt returns the block whose timestamp is t (nil if none): block
// timestamps strictly increase, so a binary search over numbers finds it.
func (s *Server) blockAt(ctx context.Context, t uint64) (*types.Block, error) {
	head, err := s.chain.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, err
	}
	if head.Time < t {
		return nil, nil
	}
	lo, hi := uint64(0), head.Number.Uint64() // the first block with time ≥ t is in [lo, hi]
	for lo < hi {
		mid := lo + (hi-lo)/2
		h, err := s.chain.HeaderByNumber(ctx, new(big.Int).SetUint64(mid))
		if err != nil {
			return nil, err
		}
		if h.Time < t {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	b, err := s.chain.BlockByNumber(ctx, new(big.Int).SetUint64(lo))
	if err != nil || b.Time() != t {
		return nil, err
	}
	return b, nil
}

// storedBlob is one blob of the block at the request's slot, in block order.
type storedBlob struct {
	index int
	*Stored
}

// blockBlobs resolves the request's block id (a slot) and returns its
// stored blobs; it has answered the request itself when ok is false.
func (s *Server) blockBlobs(w http.ResponseWriter, r *http.Request) (out []storedBlob, ok bool) {
	id := r.PathValue("block_id")
	slot, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		apiError(w, http.StatusBadRequest, fmt.Sprintf("invalid block id %q: this endpoint takes slot numbers only", id))
		return nil, false
	}
	ctx := r.Context()
	genesis, err := s.genesisTime(ctx)
	if err != nil {
		apiError(w, http.StatusInternalServerError, err.Error())
		return nil, false
	}
	block, err := s.blockAt(ctx, genesis+slot*s.perSlot)
	if err != nil {
		apiError(w, http.StatusInternalServerError, err.Error())
		return nil, false
	}
	if block == nil {
		apiError(w, http.StatusNotFound, fmt.Sprintf("block not found: no block at slot %d", slot))
		return nil, false
	}
	index := 0
	for _, tx := range block.Transactions() {
		for _, vh := range tx.BlobHashes() {
			i := index
			index++
			st, err := s.store.Lookup(ctx, vh)
			if err != nil {
				apiError(w, http.StatusInternalServerError, err.Error())
				return nil, false
			}
			if st == nil {
				s.log.Warn("beacon endpoint: a blob of the block is not stored", "slot", slot, "block", block.NumberU64(), "versioned_hash", vh)
				continue
			}
			out = append(out, storedBlob{i, st})
		}
	}
	return out, true
}

// sidecars answers GET /eth/v1/beacon/blob_sidecars/{slot}.
func (s *Server) sidecars(w http.ResponseWriter, r *http.Request) {
	stored, ok := s.blockBlobs(w, r)
	if !ok {
		return
	}
	cars := []sidecar{}
	for _, st := range stored {
		proof, err := kzg4844.ComputeBlobProof(st.Blob, st.Commitment)
		if err != nil {
			// Not a blob with that commitment: serve it anyway (as a
			// faulty node might); the reader's check reports it.
			s.log.Warn("beacon endpoint: stored blob and commitment disagree", "versioned_hash", st.VersionedHash, "err", err)
		}
		cars = append(cars, sidecar{Index: strconv.Itoa(st.index), Blob: st.Blob[:], KZGCommitment: st.Commitment, KZGProof: &proof})
	}
	writeData(w, cars)
}

// blobs answers GET /eth/v1/beacon/blobs/{slot}[?versioned_hashes=…] (the
// post-Fulu endpoint: blobs only, filtered by versioned hash).
func (s *Server) blobs(w http.ResponseWriter, r *http.Request) {
	stored, ok := s.blockBlobs(w, r)
	if !ok {
		return
	}
	want := map[common.Hash]bool{}
	for _, v := range r.URL.Query()["versioned_hashes"] {
		for _, h := range strings.Split(v, ",") {
			want[common.HexToHash(h)] = true
		}
	}
	out := []hexutil.Bytes{}
	for _, st := range stored {
		if len(want) == 0 || want[st.VersionedHash] {
			out = append(out, st.Blob[:])
		}
	}
	writeData(w, out)
}
