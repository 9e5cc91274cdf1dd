// Package blob is the native side of Sheaf's blob data availability
// (EIP-4844, docs/protocol.md "Blobs"): how a batch's transfer section is
// laid out in blobs, the Poseidon2 data hash the circuit computes over it,
// the evaluation challenge the contract derives, and the blob polynomial's
// value at that point by the barycentric formula the circuit uses. Each
// function is the twin of an in-circuit gadget; the tests check the
// evaluation against go-ethereum's KZG library.
package blob

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"
	"math/bits"
	"sync"

	blsfr "github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"

	"github.com/sheafrollup/sheaf/protocol/smt"
)

const (
	// ChunkBytes is how many data bytes one blob field element carries:
	// 31, behind a zero top byte, so every element is below BLS12-381's
	// scalar modulus whatever the data (no blob can be malformed).
	ChunkBytes = 31
	// ElementsPerBlob is EIP-4844's field elements per blob.
	ElementsPerBlob = 4096 // len(kzg4844.Blob) / 32 (TestPackUnpack checks it)
	// BlobBytes is the data one blob carries.
	BlobBytes = ElementsPerBlob * ChunkBytes
	// MaxBlobs is the most blobs one transaction may carry (EIP-7594's
	// per-transaction limit).
	MaxBlobs = 6
)

// ErrTooLarge: data that does not fit the blobs of one transaction.
var ErrTooLarge = errors.New("blob: data exceeds the blobs of one transaction")

// TagData starts every data hash: it separates the chain from leaf and
// message hashes, which start with their own tags (protocol/hash.go).
var TagData = func() fr.Element {
	var e fr.Element
	e.SetBigInt(new(big.Int).SetBytes([]byte("sheaf.blob.v1")))
	return e
}()

// Chunks splits data into 31-byte chunks, the last one zero-padded.
func Chunks(data []byte) [][ChunkBytes]byte {
	out := make([][ChunkBytes]byte, (len(data)+ChunkBytes-1)/ChunkBytes)
	for i := range out {
		copy(out[i][:], data[i*ChunkBytes:])
	}
	return out
}

// Pack lays data out in as many blobs as it needs: chunk i is field
// element i mod 4096 of blob i / 4096, in bytes 1..31 of the element (big
// endian, byte 0 zero); unused elements are zero. It also returns how many
// elements of each blob are used (the circuit evaluates only those).
func Pack(data []byte) ([]kzg4844.Blob, []int, error) {
	chunks := Chunks(data)
	n := (len(chunks) + ElementsPerBlob - 1) / ElementsPerBlob
	if n > MaxBlobs {
		return nil, nil, fmt.Errorf("%w: %d bytes need %d blobs, at most %d", ErrTooLarge, len(data), n, MaxBlobs)
	}
	blobs, used := make([]kzg4844.Blob, n), make([]int, n)
	for i, c := range chunks {
		b := i / ElementsPerBlob
		e := i % ElementsPerBlob
		copy(blobs[b][32*e+1:32*e+32], c[:])
		used[b]++
	}
	return blobs, used, nil
}

// Unpack reads n data bytes back from blobs laid out by Pack. It refuses a
// blob whose element has a nonzero top byte: Pack never writes one.
func Unpack(blobs []kzg4844.Blob, n int) ([]byte, error) {
	if n > len(blobs)*BlobBytes {
		return nil, fmt.Errorf("blob: %d bytes wanted from %d blobs (at most %d)", n, len(blobs), len(blobs)*BlobBytes)
	}
	out := make([]byte, 0, n+ChunkBytes)
	for i := 0; len(out) < n; i++ {
		b, e := i/ElementsPerBlob, i%ElementsPerBlob
		el := blobs[b][32*e : 32*e+32]
		if el[0] != 0 {
			return nil, fmt.Errorf("blob %d element %d: top byte %#x is not zero", b, e, el[0])
		}
		out = append(out, el[1:]...)
	}
	return out[:n], nil
}

// DataHash is the Poseidon2 chain over one blob's used chunks, each read as
// a big-endian number (below 2^248, so a BN254 element as it is): h₀ =
// C(TagData, n), h_{i+1} = C(h_i, chunk_i). The count comes first so that
// trailing zero chunks change the hash.
func DataHash(chunks [][ChunkBytes]byte) fr.Element {
	var h, v fr.Element
	v.SetUint64(uint64(len(chunks)))
	h = smt.HashNode(TagData, v)
	for i := range chunks {
		v.SetBytes(chunks[i][:])
		h = smt.HashNode(h, v)
	}
	return h
}

// ChallengeBits is the width of the evaluation point: the contract keeps
// the low 125 bits of its keccak, so x and V share one public input
// (docs/protocol.md "Blob mode"); the Schwartz–Zippel error stays below
// (4096 + m)/2^125.
const ChallengeBits = 125

// Challenge is the evaluation point the contract derives for a blob-mode
// batch: keccak256(dataHash ‖ versionedHash ‖ e_0 ‖ … ‖ e_{m−1}), each
// 32 bytes big endian, reduced mod 2^125 (its low 125 bits). The elements
// are the calldata's own (the header and calldata sections), so a
// submitter cannot choose calldata after x, nor the prover x at all.
func Challenge(dataHash fr.Element, versionedHash [32]byte, elements []*big.Int) *big.Int {
	dh := dataHash.Bytes()
	msg := make([]byte, 0, 64+32*len(elements))
	msg = append(append(msg, dh[:]...), versionedHash[:]...)
	for _, e := range elements {
		var b [32]byte
		e.FillBytes(b[:])
		msg = append(msg, b[:]...)
	}
	x := new(big.Int).SetBytes(crypto.Keccak256(msg))
	return x.And(x, new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), ChallengeBits), big.NewInt(1)))
}

// Domain is the evaluation domain of a blob: the 4096th roots of unity of
// BLS12-381's scalar field in bit-reversed order, as the consensus specs
// order them (element i of a blob is the polynomial's value at Roots[i]).
type Domain struct {
	Roots [ElementsPerBlob]blsfr.Element
	// invN is 1/4096.
	invN blsfr.Element
}

// NewDomain computes the domain: ω = 7^((r−1)/4096), the specs' primitive
// root of unity raised to the blob size.
func NewDomain() *Domain {
	d := new(Domain)
	exp := new(big.Int).Sub(blsfr.Modulus(), big.NewInt(1))
	exp.Div(exp, big.NewInt(ElementsPerBlob))
	var w blsfr.Element
	w.SetUint64(7)
	w.Exp(w, exp)
	logN := bits.Len(uint(ElementsPerBlob)) - 1
	var p blsfr.Element
	p.SetOne()
	for i := 0; i < ElementsPerBlob; i++ {
		d.Roots[bits.Reverse64(uint64(i))>>(64-logN)] = p
		p.Mul(&p, &w)
	}
	d.invN.SetUint64(ElementsPerBlob)
	d.invN.Inverse(&d.invN)
	return d
}

// Element reads blob element i as a field element; it fails for a
// non-canonical one (go-ethereum's KZG library rejects those blobs too).
func Element(b *kzg4844.Blob, i int) (blsfr.Element, error) {
	var f blsfr.Element
	if err := f.SetBytesCanonical(b[32*i : 32*i+32]); err != nil {
		return f, fmt.Errorf("blob element %d: %w", i, err)
	}
	return f, nil
}

// Evaluate is P(x) for the polynomial whose values on the domain are the
// blob's elements, reading only the first used elements (the rest must be
// zero, as Pack leaves them): the barycentric form
//
//	P(x) = Factor(x) · Sum(f, x),  Factor(x) = (x^4096 − 1)/4096,
//	Sum(f, x) = Σ_{i<used} f_i·ω_i/(x − ω_i)
//
// for x outside the domain, and f_i when x = ω_i. The circuit computes
// the sum with one checked division per used element; the contract
// applies the factor.
func (d *Domain) Evaluate(b *kzg4844.Blob, used int, x blsfr.Element) (blsfr.Element, error) {
	var y blsfr.Element
	if used < 0 || used > ElementsPerBlob {
		return y, fmt.Errorf("blob: %d used elements of %d", used, ElementsPerBlob)
	}
	f := make([]blsfr.Element, used)
	for i := range f {
		var err error
		if f[i], err = Element(b, i); err != nil {
			return y, err
		}
		if x.Equal(&d.Roots[i]) {
			return f[i], nil
		}
	}
	s, err := d.Sum(f, x)
	if err != nil {
		return y, err
	}
	fa := d.Factor(x)
	return *y.Mul(&fa, &s), nil
}

// ErrOnDomain: the evaluation point is one of the domain points the sum
// reads, where the barycentric form divides by zero.
var ErrOnDomain = errors.New("blob: evaluation point is a point of the domain")

// Sum is Σ_{i<len(f)} f_i·ω_i/(x − ω_i), the part of the barycentric form
// the circuit proves; it fails with ErrOnDomain when x = ω_i for some
// i < len(f).
func (d *Domain) Sum(f []blsfr.Element, x blsfr.Element) (blsfr.Element, error) {
	var s blsfr.Element
	if len(f) > ElementsPerBlob {
		return s, fmt.Errorf("blob: %d elements of %d", len(f), ElementsPerBlob)
	}
	den := make([]blsfr.Element, len(f))
	for i := range f {
		if x.Equal(&d.Roots[i]) {
			return s, fmt.Errorf("%w (element %d)", ErrOnDomain, i)
		}
		den[i].Sub(&x, &d.Roots[i])
	}
	inv := blsfr.BatchInvert(den)
	var t blsfr.Element
	for i := range f {
		t.Mul(&f[i], &d.Roots[i])
		t.Mul(&t, &inv[i])
		s.Add(&s, &t)
	}
	return s, nil
}

// Factor is (x^4096 − 1)/4096, the barycentric form's factor (twelve
// squarings; the contract computes it the same way).
func (d *Domain) Factor(x blsfr.Element) blsfr.Element {
	var xn, one blsfr.Element
	xn.Exp(x, big.NewInt(ElementsPerBlob))
	one.SetOne()
	xn.Sub(&xn, &one)
	return *xn.Mul(&xn, &d.invN)
}

var (
	domainOnce sync.Once
	domainVal  *Domain
)

// SharedDomain is the domain, computed once per process (read only).
func SharedDomain() *Domain {
	domainOnce.Do(func() { domainVal = NewDomain() })
	return domainVal
}

// VersionedHash is the blob's EIP-4844 versioned hash (what the contract
// reads with blobhash): version byte 1 and SHA-256 of its KZG commitment.
func VersionedHash(b *kzg4844.Blob) ([32]byte, error) {
	c, err := kzg4844.BlobToCommitment(b)
	if err != nil {
		return [32]byte{}, fmt.Errorf("blob: commitment: %w", err)
	}
	return kzg4844.CalcBlobHashV1(sha256.New(), &c), nil
}
