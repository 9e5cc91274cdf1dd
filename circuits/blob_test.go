package circuits

import (
	"crypto/sha256"
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	blsfr "github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"

	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/blob"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// blobCfg has every section, so the calldata sections around the blob's
// transfer section are binding elements too (seven: one Horner reduction).
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

// blobRest is the header without its roots ‖ the calldata sections, the
// bytes the binding elements after the roots chunk, written out here from
// the header's byte layout (docs/protocol.md).
func blobRest(cfg protocol.Config, b *protocol.Batch) []byte {
	hb := b.Header.Bytes()
	off := cfg.Deposits*cfg.DepositBytes() + cfg.ForcedExits*cfg.ForcedExitBytes()
	end := off + cfg.Transfers*cfg.TransferBytes()
	rest := append(append([]byte(nil), hb[:36]...), hb[100:]...)
	rest = append(rest, b.Pubdata[:off]...)
	return append(rest, b.Pubdata[end:]...)
}

// TestBlobPublicInputTwin: the circuit's binding elements after the roots
// are, bit for bit, the header without roots ‖ calldata sections; its
// two public inputs are protocol.BindBlob's (the valid assignment
// solves, and the circuit asserts them); Y is go-ethereum's KZG claim at
// x; and the public witness is exactly [dataHash·2^127 + x·2^2 + V>>253,
// V mod 2^253] in that order, the order the Solidity verifier takes.
func TestBlobPublicInputTwin(t *testing.T) {
	fxCfg := protocol.Config{Depth: 4, ForcedExits: 1, Transfers: 1, DA: protocol.DABlob}
	fx, err := protocoltest.FullBatch(fxCfg)
	if err != nil {
		t.Fatal(err)
	}
	// With forced-exit slots the header's count and chain are elements too.
	for _, b := range []*protocol.Batch{validBatch(t, blobCfg), fx} {
		t.Run(b.Config.String(), func(t *testing.T) { blobTwin(t, b) })
	}
}

func blobTwin(t *testing.T, b *protocol.Batch) {
	cfg := b.Config
	section := protocol.TransferSection(cfg, b.Pubdata)
	vh, bl := versionedHash(t, section)
	bind, err := protocol.BindBlob(cfg, b.Header, b.Pubdata, vh)
	if err != nil {
		t.Fatal(err)
	}
	var pt kzg4844.Point
	bind.X.FillBytes(pt[:])
	_, claim, err := kzg4844.ComputeProof(bl, pt)
	if err != nil {
		t.Fatal(err)
	}
	if claim != kzg4844.Claim(bind.Y.Bytes()) {
		t.Fatalf("Y = %x, KZG claims %x", bind.Y.Bytes(), claim)
	}

	a, err := AssignBlob(b, vh)
	if err != nil {
		t.Fatal(err)
	}
	c := New(cfg)
	c.preimageHook = twinPreimageHook(blobRest(cfg, b))
	if err := test.IsSolved(c, a, ecc.BN254.ScalarField()); err != nil {
		t.Fatal(err)
	}
	if err := solved(t, cfg, a); err != nil {
		t.Fatal(err)
	}

	pub, err := frontend.NewWitness(a, ecc.BN254.ScalarField(), frontend.PublicOnly())
	if err != nil {
		t.Fatal(err)
	}
	vec, ok := pub.Vector().(fr.Vector)
	if !ok {
		t.Fatalf("public witness is %T", pub.Vector())
	}
	if want := bind.PublicInputs(); len(vec) != 2 || vec[0] != want[0] || vec[1] != want[1] {
		t.Fatalf("public witness %v, want %v", vec, want)
	}
	ccs, _ := compiled.Load(cfg)
	if n := ccs.(interface{ GetNbPublicVariables() int }).GetNbPublicVariables(); n != 1+2 {
		t.Fatalf("%d public variables (with the constant one), want 3", n)
	}

	if _, err := Assign(b); err == nil {
		t.Fatal("Assign took a blob-mode batch (it has no versioned hash)")
	}

	// Witness (what the prover calls) binds the batch to the blob its own
	// pubdata makes: the same public inputs as with the test's blob.
	if _, bvh, err := protocol.BatchBlob(cfg, b.Pubdata); err != nil || bvh != vh {
		t.Fatalf("BatchBlob: versioned hash %x (err %v), want %x", bvh, err, vh)
	}
	w, err := Witness(b)
	if err != nil {
		t.Fatal(err)
	}
	wpub, err := w.Public()
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := wpub.Vector().(fr.Vector); !ok || len(got) != 2 || got[0] != vec[0] || got[1] != vec[1] {
		t.Fatalf("Witness's public part %v, want %v", wpub.Vector(), vec)
	}
}

// TestBlobSoundness: the public inputs bind V, x, the blob's bytes, the
// header and the calldata sections: public inputs computed for anything
// else (and a witness x to match) do not satisfy the circuit.
func TestBlobSoundness(t *testing.T) {
	b := validBatch(t, blobCfg)
	section := protocol.TransferSection(blobCfg, b.Pubdata)
	vh, _ := versionedHash(t, section)
	bind, err := protocol.BindBlob(blobCfg, b.Header, b.Pubdata, vh)
	if err != nil {
		t.Fatal(err)
	}
	// pisBig packs dataHash, x and V (any integers) as the contract does:
	// dataHash·2^127 + x·2^2 + (V >> 253), V mod 2^253 (reduced mod p).
	pisBig := func(a *Batch, dh, x, v *big.Int) {
		first := new(big.Int).Lsh(dh, 127)
		first.Add(first, new(big.Int).Lsh(x, 2)).Add(first, new(big.Int).Rsh(v, 253))
		a.PublicInput = first
		a.BlobPI = []frontend.Variable{new(big.Int).And(v, new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 253), big.NewInt(1)))}
		a.BlobX = []frontend.Variable{new(big.Int).Set(x)}
	}
	pis := func(a *Batch, dh fr.Element, x, v *big.Int) { pisBig(a, protocol.FrToBig(dh), x, v) }
	dhBig := protocol.FrToBig(bind.DataHash)
	v := bind.V.BigInt(new(big.Int))
	// boundTo assigns the public inputs of the batch with header h and
	// pubdata pub (the circuit's own witness unchanged).
	boundTo := func(h protocol.Header, pub []byte) func(a *Batch) {
		o, err := protocol.BindBlob(blobCfg, h, pub, vh)
		if err != nil {
			t.Fatal(err)
		}
		return func(a *Batch) { pis(a, o.DataHash, o.X, o.V.BigInt(new(big.Int))) }
	}
	flip := func(off int) []byte {
		p := append([]byte(nil), b.Pubdata...)
		p[off] ^= 1
		return p
	}
	txOff := blobCfg.Deposits * blobCfg.DepositBytes()
	wdOff := txOff + blobCfg.Transfers*blobCfg.TransferBytes()
	newRoot, oldRoot := b.Header, b.Header
	var one fr.Element
	one.SetOne()
	newRoot.NewRoot.Add(&newRoot.NewRoot, &one)
	oldRoot.OldRoot.Add(&oldRoot.OldRoot, &one)
	number := b.Header
	number.Number++

	// x ≥ 2^125 with V = S(x) + H(x) for it: consistent but for the range.
	bigX := new(big.Int).Add(bind.X, new(big.Int).Lsh(big.NewInt(1), blob.ChallengeBits))
	var bx blsfr.Element
	bx.SetBigInt(bigX)
	f := make([]blsfr.Element, blobCfg.BlobChunks())
	for i, c := range blob.Chunks(section) {
		f[i].SetBytes(c[:])
	}
	s, err := blob.SharedDomain().Sum(f, bx)
	if err != nil {
		t.Fatal(err)
	}
	hx := protocol.BlobH(bind.Elements, bigX)
	var bigV blsfr.Element
	bigV.Add(&s, &hx)

	vPlusR := new(big.Int).Add(v, blsfr.Modulus())
	cases := []struct {
		name string
		edit func(a *Batch)
	}{
		{"V + 1", func(a *Batch) { pis(a, bind.DataHash, bind.X, new(big.Int).Add(v, big.NewInt(1))) }},
		{"V − 1", func(a *Batch) { pis(a, bind.DataHash, bind.X, new(big.Int).Sub(v, big.NewInt(1))) }},
		{"V + r (not canonical)", func(a *Batch) { pis(a, bind.DataHash, bind.X, vPlusR) }},
		{"x + 1 in witness and public input", func(a *Batch) { pis(a, bind.DataHash, new(big.Int).Add(bind.X, big.NewInt(1)), v) }},
		{"x + 1 in the witness only", func(a *Batch) { a.BlobX = []frontend.Variable{new(big.Int).Add(bind.X, big.NewInt(1))} }},
		{"x ≥ 2^125 with its own V", func(a *Batch) { pis(a, bind.DataHash, bigX, bigV.BigInt(new(big.Int))) }},
		{"public inputs of another transfer byte", boundTo(b.Header, flip(txOff+blobCfg.TransferBytes()-1))},
		{"public inputs of another deposit byte", boundTo(b.Header, flip(0))},
		{"public inputs of another withdrawal byte", boundTo(b.Header, flip(wdOff))},
		{"public inputs of another new root", boundTo(newRoot, b.Pubdata)},
		{"public inputs of another old root", boundTo(oldRoot, b.Pubdata)},
		{"public inputs of another batch number", boundTo(number, b.Pubdata)},
		{"another data hash", func(a *Batch) { pis(a, newRoot.NewRoot, bind.X, v) }},
		{"data hash + 1", func(a *Batch) { pisBig(a, new(big.Int).Add(dhBig, big.NewInt(1)), bind.X, v) }},
		{"the chain's bit 126 set in data hash", func(a *Batch) {
			pisBig(a, new(big.Int).SetBit(new(big.Int).Set(dhBig), protocol.BlobDataHashBits, 1), bind.X, v)
		}},
		{"V's top bits in the first input, one more; its low bits less 2^253", func(a *Batch) {
			pis(a, bind.DataHash, bind.X, v)
			a.PublicInput = new(big.Int).Add(a.PublicInput.(*big.Int), big.NewInt(1))
			a.BlobPI[0] = new(big.Int).Sub(a.BlobPI[0].(*big.Int), new(big.Int).Lsh(big.NewInt(1), 253))
		}},
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
