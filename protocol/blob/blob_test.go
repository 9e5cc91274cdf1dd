package blob

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"math/rand/v2"
	"testing"

	blsfr "github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
)

func randBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// TestPackUnpack: data survives the layout at every boundary, every
// element's top byte is zero and unused elements stay zero.
func TestPackUnpack(t *testing.T) {
	if len(kzg4844.Blob{}) != 32*ElementsPerBlob {
		t.Fatalf("a blob is %d bytes, not %d elements", len(kzg4844.Blob{}), ElementsPerBlob)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 30, 31, 32, 12 * 1024, BlobBytes - 1, BlobBytes, BlobBytes + 1, MaxBlobs * BlobBytes} {
		data := randBytes(r, n)
		blobs, used, err := Pack(data)
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		if want := (n + BlobBytes - 1) / BlobBytes; len(blobs) != want {
			t.Fatalf("%d bytes: %d blobs, want %d", n, len(blobs), want)
		}
		total := 0
		for b := range blobs {
			total += used[b]
			for e := 0; e < ElementsPerBlob; e++ {
				el := blobs[b][32*e : 32*e+32]
				if el[0] != 0 {
					t.Fatalf("%d bytes: blob %d element %d has top byte %#x", n, b, e, el[0])
				}
				if e >= used[b] && !bytes.Equal(el, make([]byte, 32)) {
					t.Fatalf("%d bytes: unused element %d of blob %d is not zero", n, e, b)
				}
			}
		}
		if want := (n + ChunkBytes - 1) / ChunkBytes; total != want {
			t.Fatalf("%d bytes: %d used elements, want %d", n, total, want)
		}
		got, err := Unpack(blobs, n)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%d bytes: unpack: %v (equal %v)", n, err, bytes.Equal(got, data))
		}
	}
	if _, _, err := Pack(make([]byte, MaxBlobs*BlobBytes+1)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("one byte over %d blobs: %v, want ErrTooLarge", MaxBlobs, err)
	}
	var bad kzg4844.Blob
	bad[32] = 1 // element 1's top byte
	if _, err := Unpack([]kzg4844.Blob{bad}, 2*ChunkBytes); err == nil {
		t.Fatal("a nonzero top byte was unpacked")
	}
}

// TestDataHash: the hash binds the count and every chunk's content.
func TestDataHash(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	data := randBytes(r, 10*ChunkBytes)
	base := DataHash(Chunks(data))
	if again := DataHash(Chunks(data)); !again.Equal(&base) {
		t.Fatal("not deterministic")
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"one bit flipped", func() []byte { d := bytes.Clone(data); d[5*ChunkBytes+7] ^= 1; return d }()},
		{"a zero chunk appended", append(bytes.Clone(data), make([]byte, ChunkBytes)...)},
		{"last chunk dropped", data[:9*ChunkBytes]},
	} {
		if h := DataHash(Chunks(tc.data)); h.Equal(&base) {
			t.Errorf("%s: same data hash", tc.name)
		}
	}
	var empty fr.Element
	if h := DataHash(nil); h.Equal(&empty) {
		t.Error("the empty data hash is zero")
	}
}

// TestEvaluateMatchesKZG: the barycentric evaluation over the used
// elements equals the claimed value of go-ethereum's KZG ComputeProof at
// the contract's challenge, for random data of random sizes, and the proof
// verifies against the blob's commitment — what the point-evaluation
// precompile checks on L1.
func TestEvaluateMatchesKZG(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	d := NewDomain()
	sizes := []int{1, ChunkBytes, 12 * 32, 12 * 1024, BlobBytes}
	if !testing.Short() {
		for range 4 {
			sizes = append(sizes, 1+r.IntN(BlobBytes))
		}
	}
	for _, n := range sizes {
		data := randBytes(r, n)
		blobs, used, err := Pack(data)
		if err != nil {
			t.Fatal(err)
		}
		b := &blobs[0]
		commit, err := kzg4844.BlobToCommitment(b)
		if err != nil {
			t.Fatal(err)
		}
		vh := kzg4844.CalcBlobHashV1(sha256.New(), &commit)
		var x blsfr.Element
		x.SetBigInt(Challenge(DataHash(Chunks(data)), vh, nil))
		y, err := d.Evaluate(b, used[0], x)
		if err != nil {
			t.Fatal(err)
		}
		proof, claim, err := kzg4844.ComputeProof(b, kzg4844.Point(x.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if got := y.Bytes(); got != claim {
			t.Fatalf("%d bytes: P(x) = %x, KZG claims %x", n, got, claim)
		}
		if err := kzg4844.VerifyProof(commit, kzg4844.Point(x.Bytes()), claim, proof); err != nil {
			t.Fatalf("%d bytes: KZG proof: %v", n, err)
		}
		// Reading fewer elements than were used gives another value: the
		// count the circuit evaluates over is bound by the data hash.
		if used[0] > 1 {
			short, _ := d.Evaluate(b, used[0]-1, x)
			if short.Equal(&y) {
				t.Fatalf("%d bytes: evaluating one element fewer gave the same value", n)
			}
		}
	}
}

// TestEvaluateOnDomain: at a root of unity the polynomial's value is the
// element itself (the formula's division by zero is avoided), for used and
// unused elements alike.
func TestEvaluateOnDomain(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	d := NewDomain()
	blobs, used, err := Pack(randBytes(r, 100*ChunkBytes))
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 1, 57, 99, 100, ElementsPerBlob - 1} {
		y, err := d.Evaluate(&blobs[0], used[0], d.Roots[i])
		if err != nil {
			t.Fatal(err)
		}
		want, _ := Element(&blobs[0], i)
		if !y.Equal(&want) {
			t.Fatalf("P(ω_%d) = %s, want element %d = %s", i, y.String(), i, want.String())
		}
		_, claim, err := kzg4844.ComputeProof(&blobs[0], kzg4844.Point(d.Roots[i].Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if y.Bytes() != claim {
			t.Fatalf("P(ω_%d): KZG claims %x", i, claim)
		}
	}
	var one blsfr.Element
	one.SetOne()
	if !d.Roots[0].Equal(&one) {
		t.Fatal("the first root in bit-reversed order is not 1")
	}
}
