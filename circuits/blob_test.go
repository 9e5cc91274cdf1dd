package circuits

import (
	"crypto/sha256"
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	blsfr "github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
	"github.com/consensys/gnark/test"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"

	"github.com/sheafrollup/sheaf/circuits/blobeval"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/blob"
)

// blobCfg has every section, so the calldata sections around the blob's
// transfer section are in the preimage too.
var blobCfg = protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1, DA: protocol.DABlob}

// versionedHash packs section into its blob and returns the blob's KZG
// versioned hash, as the contract reads it with blobhash.
func versionedHash(t *testing.T, section []byte) ([32]byte, *kzg4844.Blob) {
	t.Helper()
	blobs, _, err := blob.Pack(section)
	if err != nil {
		t.Fatal(err)
	}
	commit, err := kzg4844.BlobToCommitment(&blobs[0])
	if err != nil {
		t.Fatal(err)
	}
	return kzg4844.CalcBlobHashV1(sha256.New(), &commit), &blobs[0]
}

// TestBlobPublicInputTwin: the circuit's blob-mode preimage is, bit for
// bit, header ‖ calldata sections ‖ dataHash ‖ x ‖ y as computed natively,
// y is go-ethereum's KZG claim at x, and the valid assignment (public input
// from protocol.PublicInputBlob) satisfies the circuit.
func TestBlobPublicInputTwin(t *testing.T) {
	b := validBatch(t, blobCfg)
	section := protocol.TransferSection(blobCfg, b.Pubdata)
	vh, bl := versionedHash(t, section)
	dh, x, y, err := blob.Binding(section, vh)
	if err != nil {
		t.Fatal(err)
	}
	_, claim, err := kzg4844.ComputeProof(bl, kzg4844.Point(x.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if claim != kzg4844.Claim(y.Bytes()) {
		t.Fatalf("y = %x, KZG claims %x", y.Bytes(), claim)
	}
	off := blobCfg.Deposits * blobCfg.DepositBytes()
	end := off + blobCfg.Transfers*blobCfg.TransferBytes()
	want := append(b.Header.Bytes(), b.Pubdata[:off]...)
	want = append(want, b.Pubdata[end:]...)
	dhb, xb, yb := dh.Bytes(), x.Bytes(), y.Bytes()
	want = append(append(append(want, dhb[:]...), xb[:]...), yb[:]...)
	pi := sha256.Sum256(want)
	pi[0] &= 0x1f
	if got := protocol.PublicInputBlob(blobCfg, b.Header, b.Pubdata, dhb, xb, yb); got.Bytes() != pi {
		t.Fatalf("PublicInputBlob = %x, want %x", got.Bytes(), pi)
	}

	a, err := AssignBlob(b, vh)
	if err != nil {
		t.Fatal(err)
	}
	c := New(blobCfg)
	c.preimageHook = twinPreimageHook(want)
	if err := test.IsSolved(c, a, ecc.BN254.ScalarField()); err != nil {
		t.Fatal(err)
	}
	if err := solved(t, blobCfg, a); err != nil {
		t.Fatal(err)
	}
	if _, err := Assign(b); err == nil {
		t.Fatal("Assign took a blob-mode batch (it has no versioned hash)")
	}
}

// TestBlobSoundness: the public input binds x, y and the blob's bytes.
func TestBlobSoundness(t *testing.T) {
	b := validBatch(t, blobCfg)
	section := protocol.TransferSection(blobCfg, b.Pubdata)
	vh, _ := versionedHash(t, section)
	dh, x, y, err := blob.Binding(section, vh)
	if err != nil {
		t.Fatal(err)
	}
	var one blsfr.Element
	one.SetOne()
	pi := func(dh [32]byte, x, y blsfr.Element) *big.Int {
		return frBig(protocol.PublicInputBlob(blobCfg, b.Header, b.Pubdata, dh, x.Bytes(), y.Bytes()))
	}
	setX := func(a *Batch, x blsfr.Element) {
		a.BlobX = []blobeval.Halves{blobeval.HalvesOf(x.BigInt(new(big.Int)))}
	}
	// Transfer bytes other than the batch's: one amount byte changed.
	other := append([]byte(nil), section...)
	other[blobCfg.TransferBytes()-1] ^= 1
	ovh, _ := versionedHash(t, other)
	odh, ox, oy, err := blob.Binding(other, ovh)
	if err != nil {
		t.Fatal(err)
	}
	var wrongY, wrongX blsfr.Element
	wrongY.Add(&y, &one)
	wrongX.Add(&x, &one)
	cases := []struct {
		name string
		edit func(a *Batch)
	}{
		{"wrong y in the public input", func(a *Batch) { a.PublicInput = pi(dh.Bytes(), x, wrongY) }},
		{"wrong x in the witness", func(a *Batch) { setX(a, wrongX) }},
		{"wrong x in witness and public input", func(a *Batch) { setX(a, wrongX); a.PublicInput = pi(dh.Bytes(), wrongX, y) }},
		{"x of another blob", func(a *Batch) { setX(a, ox); a.PublicInput = pi(dh.Bytes(), ox, y) }},
		{"data hash and y of other transfer bytes", func(a *Batch) { setX(a, ox); a.PublicInput = pi(odh.Bytes(), ox, oy) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, err := AssignBlob(b, vh)
			if err != nil {
				t.Fatal(err)
			}
			tc.edit(a)
			if err := test.IsSolved(New(blobCfg), a, ecc.BN254.ScalarField()); err == nil {
				t.Fatal("satisfied")
			}
		})
	}
}
