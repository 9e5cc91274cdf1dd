package circuits

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc"
	tedwards "github.com/consensys/gnark-crypto/ecc/twistededwards"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	"github.com/consensys/gnark/std/hash"
	"github.com/consensys/gnark/std/permutation/poseidon2"
	"github.com/consensys/gnark/std/signature/eddsa"

	"github.com/sheafrollup/sheaf/circuits/blobeval"
	"github.com/sheafrollup/sheaf/circuits/merkle"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/blob"
)

// Breakdown says where a configuration's constraints go, measured by
// compiling parts on their own and the circuit without its hash.
type Breakdown struct {
	Poseidon2Compress int `json:"poseidon2_compress"`
	MerklePath        int `json:"merkle_path"`       // one root computation at the circuit's depth
	EdDSAVerify       int `json:"eddsa_verify"`      // IsValid plus on-curve checks of A and R
	TransferSlot      int `json:"transfer_slot"`     // one transfer slot, without hashing its pubdata
	ForcedExitSlot    int `json:"forced_exit_slot"`  // one forced-exit slot, without hashing its pubdata
	PublicInputHash   int `json:"public_input_hash"` // SHA-256 of header and pubdata, all blocks (calldata mode; 0 in blob mode)
	SHA256Blocks      int `json:"sha256_blocks"`
	FixedPerBatch     int `json:"fixed_per_batch"` // header decomposition, domain, fee credit, other slot kinds (and in blob mode the binding)
	// Blob mode only: Binding is the whole public-input side (total minus
	// the circuit without it: the roots' bits, dataHash, x's bits, the
	// evaluation, the public-input checks), inside FixedPerBatch; of it,
	// BlobEvaluation is V = S(x) + H(x) mod r over BlobChunks transfer
	// chunks and BlobElements binding elements (commitment-free), and
	// BlobDataHash the Poseidon2 chain over both.
	Binding        int `json:"binding,omitempty"`
	BlobChunks     int `json:"blob_chunks,omitempty"`
	BlobElements   int `json:"blob_elements,omitempty"`
	BlobEvaluation int `json:"blob_evaluation,omitempty"`
	BlobDataHash   int `json:"blob_data_hash,omitempty"`
}

// blobPart is blob mode's binding on its own: chunk, element and x bits
// in (booleans by the batch circuit's own checks, so not checked here),
// data hash or evaluation out.
type blobPart struct {
	Chunks, Elems [][]frontend.Variable
	XBits         []frontend.Variable
	hash          bool // the data hash instead of the evaluation
}

func (c *blobPart) Define(api frontend.API) error {
	if c.hash {
		h, err := merkle.NewHasher(api)
		if err != nil {
			return err
		}
		b := &builder{api: api, h: h}
		dh := h.HashNode(blob.TagData.BigInt(new(big.Int)), len(c.Chunks))
		for _, ch := range append(c.Chunks[:len(c.Chunks):len(c.Chunks)], c.Elems...) {
			dh = h.HashNode(dh, b.fromBits(ch))
		}
		api.AssertIsEqual(dh, 0)
		return nil
	}
	_, err := blobeval.Bind(api, c.Chunks, c.Elems, c.XBits)
	return err
}

func newBlobPart(cfg protocol.Config, hash bool) *blobPart {
	c := &blobPart{Chunks: make([][]frontend.Variable, cfg.BlobChunks()), Elems: make([][]frontend.Variable, protocol.BlobElementCount(cfg)),
		XBits: make([]frontend.Variable, blob.ChallengeBits), hash: hash}
	for i := range c.Chunks {
		c.Chunks[i] = make([]frontend.Variable, 8*blob.ChunkBytes)
	}
	for j := range c.Elems {
		w := 8 * blob.ChunkBytes
		if j < 2 {
			w = rootBits
		}
		c.Elems[j] = make([]frontend.Variable, w)
	}
	return c
}

type poseidonPart struct{ A, B frontend.Variable }

func (c *poseidonPart) Define(api frontend.API) error {
	h, err := merkle.NewHasher(api)
	if err != nil {
		return err
	}
	api.AssertIsEqual(h.HashNode(c.A, c.B), 0)
	return nil
}

type merklePart struct {
	Leaf     frontend.Variable
	Bits     []frontend.Variable
	Siblings []frontend.Variable
}

func (c *merklePart) Define(api frontend.API) error {
	h, err := merkle.NewHasher(api)
	if err != nil {
		return err
	}
	api.AssertIsEqual(h.ComputeRoot(c.Leaf, c.Bits, c.Siblings), 0)
	return nil
}

type eddsaPart struct {
	AX, AY, RX, RY, S, M frontend.Variable
}

func (c *eddsaPart) Define(api frontend.API) error {
	curve, err := twistededwards.NewEdCurve(api, tedwards.BN254)
	if err != nil {
		return err
	}
	perm, err := poseidon2.NewPoseidon2(api)
	if err != nil {
		return err
	}
	pk := eddsa.PublicKey{A: twistededwards.Point{X: c.AX, Y: c.AY}}
	s := eddsa.Signature{R: twistededwards.Point{X: c.RX, Y: c.RY}, S: c.S}
	curve.AssertIsOnCurve(pk.A)
	curve.AssertIsOnCurve(s.R)
	v, err := eddsa.IsValid(curve, s, c.M, pk, hash.NewMerkleDamgardHasher(api, perm, 0))
	api.AssertIsEqual(v, 1)
	return err
}

func count(c frontend.Circuit) (int, error) {
	cs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, c)
	if err != nil {
		return 0, err
	}
	return cs.GetNbConstraints(), nil
}

// Measure compiles the parts of cfg's circuit; total is cfg's own count.
func Measure(cfg protocol.Config, total int) (*Breakdown, error) {
	var b Breakdown
	var err error
	if b.Poseidon2Compress, err = count(&poseidonPart{}); err != nil {
		return nil, err
	}
	mp := &merklePart{Bits: make([]frontend.Variable, cfg.Depth), Siblings: make([]frontend.Variable, cfg.Depth)}
	if b.MerklePath, err = count(mp); err != nil {
		return nil, err
	}
	if b.EdDSAVerify, err = count(&eddsaPart{}); err != nil {
		return nil, err
	}
	// Parts are measured with one equality check each on their output.
	b.Poseidon2Compress--
	b.MerklePath--
	b.EdDSAVerify--
	noHash := func(c protocol.Config) (int, error) {
		k := New(c)
		k.noHash = true
		return count(k)
	}
	n1, err := noHash(protocol.Config{Depth: cfg.Depth, Transfers: 1})
	if err != nil {
		return nil, fmt.Errorf("measure: %w", err)
	}
	n2, err := noHash(protocol.Config{Depth: cfg.Depth, Transfers: 2})
	if err != nil {
		return nil, fmt.Errorf("measure: %w", err)
	}
	b.TransferSlot = n2 - n1
	f1, err := noHash(protocol.Config{Depth: cfg.Depth, ForcedExits: 1})
	if err != nil {
		return nil, fmt.Errorf("measure: %w", err)
	}
	f2, err := noHash(protocol.Config{Depth: cfg.Depth, ForcedExits: 2})
	if err != nil {
		return nil, fmt.Errorf("measure: %w", err)
	}
	b.ForcedExitSlot = f2 - f1
	all, err := noHash(cfg)
	if err != nil {
		return nil, fmt.Errorf("measure: %w", err)
	}
	b.FixedPerBatch = total - cfg.Transfers*b.TransferSlot
	if !cfg.Blob() {
		b.PublicInputHash = total - all
		b.SHA256Blocks = (cfg.PreimageSize() + 9 + 63) / 64
		b.FixedPerBatch = all - cfg.Transfers*b.TransferSlot
		return &b, nil
	}
	b.Binding = total - all
	b.BlobChunks = cfg.BlobChunks()
	b.BlobElements = protocol.BlobElementCount(cfg)
	if b.BlobEvaluation, err = count(newBlobPart(cfg, false)); err != nil {
		return nil, fmt.Errorf("measure: %w", err)
	}
	if b.BlobDataHash, err = count(newBlobPart(cfg, true)); err != nil {
		return nil, fmt.Errorf("measure: %w", err)
	}
	b.BlobDataHash-- // its equality check
	return &b, nil
}
