package protocol

import (
	"errors"
	"fmt"
	"math/big"

	blsfr "github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"

	"github.com/sheafrollup/sheaf/protocol/blob"
	"github.com/sheafrollup/sheaf/protocol/smt"
)

// Blob mode v2 (docs/protocol.md "Blob mode"): a blob-mode batch has three
// public inputs and no SHA-256. The transfer section is in the blob; the
// rest of what calldata mode hashes (the header and the other sections) is
// read as binding elements e_j, the coefficients of H(X) = Σ e_j·X^j, and
// the circuit proves V = S(x) + H(x) mod r, where S is the barycentric sum
// of the blob polynomial. The contract checks
// (x^4096 − 1)/4096 · (V − H'(x)) = P_blob(x) with the point-evaluation
// precompile, H' from its own copy of the elements: as polynomials this
// forces H = H' and the blob to be the circuit's transfer section.

// BlobBinding is a blob-mode batch's binding to its blob and calldata.
type BlobBinding struct {
	Elements []*big.Int // e_0..e_{m-1}: old root, new root, then 31-byte chunks of the rest
	// DataHash is the low BlobDataHashBits bits of the Poseidon2 chain
	// over the transfer chunks, then the elements (BN254, canonical).
	DataHash fr.Element
	X        *big.Int // the evaluation point, < 2^125
	// V = S(x) + H(x) mod r (canonical), what the circuit proves and the
	// calldata carries; Y = P_blob(x) = (x^4096 − 1)/4096 · (V − H(x)),
	// the value the KZG proof opens the blob's commitment to.
	V, Y blsfr.Element
}

// blobVLowBits is how many low bits of V the second public input carries;
// the top two ride with dataHash and x in the first.
const blobVLowBits = 253

// BlobDataHashBits is dataHash's width: the low 126 bits of the Poseidon2
// chain, so that dataHash (126), x (125) and V's top bits (2) make one
// public input below 2^253 < p and a blob batch has two, not three (one
// ecMul less on L1). Changing the circuit's chunks or elements after x
// means a 2^126 second preimage (docs/protocol.md "Blob mode").
const BlobDataHashBits = 126

// ErrBlobBinding: a batch that cannot be bound in blob mode as given.
var ErrBlobBinding = errors.New("blob binding")

// BlobElements are the binding elements of a blob-mode batch: e_0 = old
// root, e_1 = new root, then the 31-byte chunks (big endian, the last
// zero-padded on the right) of the header without its roots ‖ the padded
// deposit, forced-exit and withdrawal sections — calldata mode's SHA-256
// preimage with the roots and the transfer section taken out. Their number
// is fixed by the configuration. pubdata is the padded pubdata.
func BlobElements(cfg Config, h Header, pubdata []byte) []*big.Int {
	out := []*big.Int{FrToBig(h.OldRoot), FrToBig(h.NewRoot)}
	for _, c := range blob.Chunks(blobRest(cfg, h, pubdata)) {
		out = append(out, new(big.Int).SetBytes(c[:]))
	}
	return out
}

// blobRest is the byte string the elements after the roots chunk.
func blobRest(cfg Config, h Header, pubdata []byte) []byte {
	hb := h.Bytes()
	off := cfg.Deposits*cfg.DepositBytes() + cfg.ForcedExits*cfg.ForcedExitBytes()
	end := off + cfg.Transfers*cfg.TransferBytes()
	rest := make([]byte, 0, len(hb)-64+len(pubdata)-(end-off))
	rest = append(rest, hb[:36]...) // chain id, contract, number
	rest = append(rest, hb[100:]...)
	rest = append(rest, pubdata[:off]...)
	return append(rest, pubdata[end:]...)
}

// BlobElementCount is m, the number of binding elements of cfg.
func BlobElementCount(cfg Config) int {
	n := cfg.HeaderSize() - 64 + cfg.PubdataSize() - cfg.Transfers*cfg.TransferBytes()
	return 2 + (n+blobChunkBytes-1)/blobChunkBytes
}

// BindBlob computes the binding of a blob-mode batch (header h, padded
// pubdata) whose transfer section is in the blob with versionedHash:
// dataHash = the transfer chunks' data hash (blob.DataHash) continued with
// C(d, e_j) for every element; x = blob.Challenge(dataHash, versionedHash,
// elements); V and Y as in BlobBinding.
func BindBlob(cfg Config, h Header, pubdata []byte, versionedHash [32]byte) (*BlobBinding, error) {
	switch {
	case !cfg.Blob():
		return nil, fmt.Errorf("%w: %s is not a blob-mode configuration", ErrBlobBinding, cfg)
	case len(pubdata) != cfg.PubdataSize():
		return nil, fmt.Errorf("%w: pubdata is %d bytes, %s pads it to %d", ErrBlobBinding, len(pubdata), cfg, cfg.PubdataSize())
	case (h.ForcedExits != nil) != (cfg.ForcedExits > 0):
		return nil, fmt.Errorf("%w: header's forced-exit fields do not match %s", ErrBlobBinding, cfg)
	}
	if err := cfg.Check(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBlobBinding, err)
	}
	chunks := blob.Chunks(TransferSection(cfg, pubdata))
	b := &BlobBinding{Elements: BlobElements(cfg, h, pubdata)}
	b.DataHash = blobDataHash(chunks, b.Elements)
	b.X = blob.Challenge(b.DataHash, versionedHash, b.Elements)
	var x blsfr.Element
	x.SetBigInt(b.X)
	f := make([]blsfr.Element, len(chunks))
	for i := range chunks {
		f[i].SetBytes(chunks[i][:])
	}
	d := blob.SharedDomain()
	s, err := d.Sum(f, x)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBlobBinding, err)
	}
	hx := BlobH(b.Elements, b.X)
	b.V.Add(&s, &hx)
	fa := d.Factor(x)
	b.Y.Mul(&fa, &s)
	return b, nil
}

// blobDataHash is the transfer chunks' data hash (blob.DataHash)
// continued with C(d, e_j) for every element.
func blobDataHash(chunks [][blob.ChunkBytes]byte, elements []*big.Int) fr.Element {
	d := blob.DataHash(chunks)
	for _, e := range elements {
		var v fr.Element
		v.SetBigInt(e) // every element is below p: a root, or a chunk < 2^248
		d = smt.HashNode(d, v)
	}
	t := d.BigInt(new(big.Int))
	t.And(t, new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), BlobDataHashBits), big.NewInt(1)))
	d.SetBigInt(t)
	return d
}

// BlobH is H(x) = Σ e_j·x^j mod r, by Horner from the last element, as
// the contract computes it.
func BlobH(elements []*big.Int, x *big.Int) blsfr.Element {
	var h, xe, e blsfr.Element
	xe.SetBigInt(x)
	for j := len(elements) - 1; j >= 0; j-- {
		e.SetBigInt(elements[j])
		h.Mul(&h, &xe)
		h.Add(&h, &e)
	}
	return h
}

// PublicInputs are the batch circuit's two public inputs in blob mode, in
// order: dataHash·2^127 + x·2^2 + (V >> 253) and V mod 2^253 (each below
// 2^253 < p).
func (b *BlobBinding) PublicInputs() [2]fr.Element {
	v := b.V.BigInt(new(big.Int))
	hi := new(big.Int).Rsh(v, blobVLowBits)
	lo := new(big.Int).Sub(v, new(big.Int).Lsh(hi, blobVLowBits))
	first := b.DataHash.BigInt(new(big.Int))
	first.Lsh(first, blob.ChallengeBits+2)
	first.Add(first, new(big.Int).Lsh(b.X, 2))
	first.Add(first, hi)
	var out [2]fr.Element
	out[0].SetBigInt(first)
	out[1].SetBigInt(lo)
	return out
}

// BatchBlob is the one blob a blob-mode batch posts (its transfer section,
// docs/protocol.md "Blob layout") and the blob's versioned hash: both follow
// from the pubdata alone, so the prover, the submitter and the auditor
// derive the same ones.
func BatchBlob(cfg Config, pubdata []byte) (*kzg4844.Blob, [32]byte, error) {
	if !cfg.Blob() {
		return nil, [32]byte{}, fmt.Errorf("%w: %s is not a blob-mode configuration", ErrBlobBinding, cfg)
	}
	blobs, _, err := blob.Pack(TransferSection(cfg, pubdata))
	if err != nil {
		return nil, [32]byte{}, fmt.Errorf("%w: %w", ErrBlobBinding, err)
	}
	if len(blobs) != 1 {
		return nil, [32]byte{}, fmt.Errorf("%w: the transfer section takes %d blobs, blob mode posts one", ErrBlobBinding, len(blobs))
	}
	vh, err := blob.VersionedHash(&blobs[0])
	if err != nil {
		return nil, [32]byte{}, fmt.Errorf("%w: %w", ErrBlobBinding, err)
	}
	return &blobs[0], vh, nil
}
