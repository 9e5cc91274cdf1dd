package protocol_test

import (
	"crypto/sha256"
	"encoding/binary"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	blsfr "github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"

	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/blob"
	"github.com/sheafrollup/sheaf/protocol/smt"
)

// blobModeCfgs have every section, with and without forced-exit slots.
var blobModeCfgs = []protocol.Config{
	{Depth: 8, Deposits: 1, Transfers: 2, Withdrawals: 1, DA: protocol.DABlob},
	{Depth: 24, Deposits: 2, ForcedExits: 1, Transfers: 32, Withdrawals: 2, DA: protocol.DABlob},
	{Depth: 24, Transfers: 64, DA: protocol.DABlob},
}

func randFr(r *rand.Rand) fr.Element {
	var b [32]byte
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	var e fr.Element
	e.SetBytes(b[:]) // reduced
	return e
}

// randBlobBatch is a header and padded pubdata of random content (the
// binding does not parse the sections: any bytes are bound).
func randBlobBatch(r *rand.Rand, cfg protocol.Config) (protocol.Header, []byte) {
	h := protocol.Header{ChainID: r.Uint64(), Number: r.Uint64(), OldRoot: randFr(r), NewRoot: randFr(r),
		DepositStart: r.Uint64(), DepositCount: uint16(r.Uint32()), NextIndex: r.Uint32(), FeeAccount: r.Uint32()}
	for i := range h.Contract {
		h.Contract[i] = byte(r.Uint32())
	}
	if cfg.ForcedExits > 0 {
		h.ForcedExits = &protocol.ForcedExitHeader{Count: uint16(r.Uint32()), Chain: randFr(r)}
	}
	pub := make([]byte, cfg.PubdataSize())
	for i := range pub {
		pub[i] = byte(r.Uint32())
	}
	return h, pub
}

// blobOf packs the transfer section and returns the blob and its versioned hash.
func blobOf(t *testing.T, cfg protocol.Config, pub []byte) (*kzg4844.Blob, kzg4844.Commitment, [32]byte) {
	t.Helper()
	blobs, _, err := blob.Pack(protocol.TransferSection(cfg, pub))
	if err != nil {
		t.Fatal(err)
	}
	if len(blobs) != 1 {
		t.Fatalf("%d blobs", len(blobs))
	}
	c, err := kzg4844.BlobToCommitment(&blobs[0])
	if err != nil {
		t.Fatal(err)
	}
	return &blobs[0], c, kzg4844.CalcBlobHashV1(sha256.New(), &c)
}

// TestBlobElements: the elements are the roots, then the 31-byte chunks of
// the header fields without the roots and the calldata sections, written
// out here field by field as docs/protocol.md lists them.
func TestBlobElements(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, cfg := range blobModeCfgs {
		h, pub := randBlobBatch(r, cfg)
		var rest []byte
		rest = binary.BigEndian.AppendUint64(rest, h.ChainID)
		rest = append(rest, h.Contract[:]...)
		rest = binary.BigEndian.AppendUint64(rest, h.Number)
		rest = binary.BigEndian.AppendUint64(rest, h.DepositStart)
		rest = binary.BigEndian.AppendUint16(rest, h.DepositCount)
		rest = binary.BigEndian.AppendUint32(rest, h.NextIndex)
		rest = binary.BigEndian.AppendUint32(rest, h.FeeAccount)
		if h.ForcedExits != nil {
			rest = binary.BigEndian.AppendUint16(rest, h.ForcedExits.Count)
			c := h.ForcedExits.Chain.Bytes()
			rest = append(rest, c[:]...)
		}
		dep := cfg.Deposits * cfg.DepositBytes()
		fx := cfg.ForcedExits * cfg.ForcedExitBytes()
		tx := cfg.Transfers * cfg.TransferBytes()
		rest = append(rest, pub[:dep+fx]...)    // deposits, forced exits
		rest = append(rest, pub[dep+fx+tx:]...) // withdrawals
		for len(rest)%31 != 0 {
			rest = append(rest, 0)
		}
		want := []*big.Int{protocol.FrToBig(h.OldRoot), protocol.FrToBig(h.NewRoot)}
		for i := 0; i < len(rest); i += 31 {
			want = append(want, new(big.Int).SetBytes(rest[i:i+31]))
		}
		got := protocol.BlobElements(cfg, h, pub)
		if len(got) != len(want) || len(got) != protocol.BlobElementCount(cfg) {
			t.Fatalf("%s: %d elements, want %d (BlobElementCount %d)", cfg, len(got), len(want), protocol.BlobElementCount(cfg))
		}
		for j := range got {
			if got[j].Cmp(want[j]) != 0 {
				t.Fatalf("%s: e_%d = %x, want %x", cfg, j, got[j], want[j])
			}
		}
	}
}

// TestBindBlobMatchesKZG: Y is the value go-ethereum's KZG library claims
// for the blob at x, and factor·(V − H(x)) = Y with factor = (x^4096 −
// 1)/4096 — the contract's check — for random batches; dataHash and x are
// the spec's, recomputed here from their definitions.
func TestBindBlobMatchesKZG(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	rounds := 3
	if testing.Short() {
		rounds = 1
	}
	for _, cfg := range blobModeCfgs {
		for range rounds {
			h, pub := randBlobBatch(r, cfg)
			bl, commit, vh := blobOf(t, cfg, pub)
			b, err := protocol.BindBlob(cfg, h, pub, vh)
			if err != nil {
				t.Fatal(err)
			}
			// dataHash: transfer chunks (count first), then the elements,
			// the chain's low 126 bits.
			d := blob.DataHash(blob.Chunks(protocol.TransferSection(cfg, pub)))
			for _, e := range b.Elements {
				var v fr.Element
				v.SetBigInt(e)
				d = smt.HashNode(d, v)
			}
			low := protocol.FrToBig(d)
			low.Mod(low, new(big.Int).Lsh(big.NewInt(1), 126))
			d.SetBigInt(low)
			if !d.Equal(&b.DataHash) {
				t.Fatalf("%s: dataHash %s, want %s", cfg, b.DataHash.String(), d.String())
			}
			// Batch.PublicInput (what the sequencer stores and the API
			// serves) is the first public input, without the blob.
			if pi := (&protocol.Batch{Config: cfg, Header: h, Pubdata: pub}).PublicInput(); !pi.Equal(&d) {
				t.Fatalf("%s: Batch.PublicInput %s, want dataHash %s", cfg, pi.String(), d.String())
			}
			// x: keccak(dataHash ‖ vh ‖ e_j as 32 bytes) mod 2^125.
			dh := d.Bytes()
			pre := append(dh[:], vh[:]...)
			for _, e := range b.Elements {
				pre = append(pre, e.FillBytes(make([]byte, 32))...)
			}
			x := new(big.Int).SetBytes(crypto.Keccak256(pre))
			x.Mod(x, new(big.Int).Lsh(big.NewInt(1), 125))
			if b.X.Cmp(x) != 0 {
				t.Fatalf("%s: x = %x, want %x", cfg, b.X, x)
			}
			var pt kzg4844.Point
			b.X.FillBytes(pt[:])
			proof, claim, err := kzg4844.ComputeProof(bl, pt)
			if err != nil {
				t.Fatal(err)
			}
			if b.Y.Bytes() != claim {
				t.Fatalf("%s: Y = %x, KZG claims %x", cfg, b.Y.Bytes(), claim)
			}
			if err := kzg4844.VerifyProof(commit, pt, claim, proof); err != nil {
				t.Fatalf("%s: KZG proof: %v", cfg, err)
			}
			// The contract's side: y = factor·(V − H'(x)), H' by Horner.
			var xe, xn, one, fa, hx, y blsfr.Element
			xe.SetBigInt(b.X)
			xn.Exp(xe, big.NewInt(4096))
			one.SetOne()
			fa.Sub(&xn, &one)
			var n blsfr.Element
			n.SetUint64(4096)
			n.Inverse(&n)
			fa.Mul(&fa, &n)
			for j := len(b.Elements) - 1; j >= 0; j-- {
				var e blsfr.Element
				e.SetBigInt(b.Elements[j])
				hx.Mul(&hx, &xe).Add(&hx, &e)
			}
			y.Sub(&b.V, &hx).Mul(&y, &fa)
			if !y.Equal(&b.Y) {
				t.Fatalf("%s: factor·(V − H(x)) = %s, Y = %s", cfg, y.String(), b.Y.String())
			}
		}
	}
}

// unpack reads dataHash, x and V back from the public inputs, as the
// contract packs them.
func unpack(pi [2]fr.Element) (dh, x, v *big.Int) {
	p0, p1 := protocol.FrToBig(pi[0]), protocol.FrToBig(pi[1])
	low := func(n *big.Int, bits uint) *big.Int {
		return new(big.Int).And(n, new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), bits), big.NewInt(1)))
	}
	dh = new(big.Int).Rsh(p0, 127)
	x = low(new(big.Int).Rsh(p0, 2), 125)
	v = new(big.Int).Lsh(low(p0, 2), 253)
	return dh, x, v.Add(v, p1)
}

// TestBlobPublicInputsPacking: dataHash, x and V come back out of the two
// public inputs exactly, at random and extreme values (dataHash = 2^126 −
// 1, x = 2^125 − 1, V = r − 1, zero), so the packing is injective and no
// input wraps around p.
func TestBlobPublicInputsPacking(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	maxX := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 125), big.NewInt(1))
	maxV := new(big.Int).Sub(blsfr.Modulus(), big.NewInt(1))
	maxD := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 126), big.NewInt(1))
	type xv struct{ d, x, v *big.Int }
	cases := []xv{{maxD, maxX, maxV}, {big.NewInt(0), big.NewInt(0), big.NewInt(0)}, {maxD, maxX, big.NewInt(0)}, {big.NewInt(0), big.NewInt(1), maxV},
		{big.NewInt(5), big.NewInt(3), new(big.Int).Lsh(big.NewInt(1), 253)}, {maxD, big.NewInt(3), new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 253), big.NewInt(1))}}
	for range 20 {
		var v blsfr.Element
		v.SetRandom()
		x := new(big.Int).SetUint64(r.Uint64())
		x.Lsh(x, 61).Or(x, new(big.Int).SetUint64(r.Uint64()>>3)) // 125 bits
		d := new(big.Int).SetUint64(r.Uint64())
		d.Lsh(d, 62).Or(d, new(big.Int).SetUint64(r.Uint64()>>2)) // 126 bits
		cases = append(cases, xv{d, x, v.BigInt(new(big.Int))})
	}
	p := ecc.BN254.ScalarField()
	for _, c := range cases {
		b := protocol.BlobBinding{X: c.x}
		b.DataHash.SetBigInt(c.d)
		b.V.SetBigInt(c.v)
		pi := b.PublicInputs()
		// The unreduced values fit below 2^253 < p.
		first := new(big.Int).Lsh(c.d, 127)
		first.Add(first, new(big.Int).Lsh(c.x, 2)).Add(first, new(big.Int).Rsh(c.v, 253))
		if first.Cmp(p) >= 0 || first.BitLen() > 253 {
			t.Fatalf("dataHash·2^127 + x·4 + V>>253 = %x is not below 2^253", first)
		}
		if lo := protocol.FrToBig(pi[1]); lo.BitLen() > 253 {
			t.Fatalf("PI[1] = %x has more than 253 bits", lo)
		}
		d, x, v := unpack(pi)
		if d.Cmp(c.d) != 0 || x.Cmp(c.x) != 0 || v.Cmp(c.v) != 0 {
			t.Fatalf("dataHash %x x %x V %x came back as %x, %x, %x", c.d, c.x, c.v, d, x, v)
		}
	}
}

// TestBindBlobBindsEverything: changing any header field, any byte of any
// section (the transfer section's with or without a new blob) or the
// versioned hash changes the public inputs.
func TestBindBlobBindsEverything(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	cfg := blobModeCfgs[1]
	h, pub := randBlobBatch(r, cfg)
	_, _, vh := blobOf(t, cfg, pub)
	base, err := protocol.BindBlob(cfg, h, pub, vh)
	if err != nil {
		t.Fatal(err)
	}
	basePI := base.PublicInputs()
	var one fr.Element
	one.SetOne()
	type edit struct {
		name string
		h    func(*protocol.Header)
		pub  int // byte of pubdata to flip, -1 for none
		vh   bool
	}
	edits := []edit{
		{name: "chain id", h: func(h *protocol.Header) { h.ChainID ^= 1 << 63 }, pub: -1},
		{name: "contract", h: func(h *protocol.Header) { h.Contract[19] ^= 1 }, pub: -1},
		{name: "number", h: func(h *protocol.Header) { h.Number++ }, pub: -1},
		{name: "old root", h: func(h *protocol.Header) { h.OldRoot.Add(&h.OldRoot, &one) }, pub: -1},
		{name: "new root", h: func(h *protocol.Header) { h.NewRoot.Add(&h.NewRoot, &one) }, pub: -1},
		{name: "deposit start", h: func(h *protocol.Header) { h.DepositStart++ }, pub: -1},
		{name: "deposit count", h: func(h *protocol.Header) { h.DepositCount++ }, pub: -1},
		{name: "next index", h: func(h *protocol.Header) { h.NextIndex++ }, pub: -1},
		{name: "fee account", h: func(h *protocol.Header) { h.FeeAccount++ }, pub: -1},
		{name: "forced-exit count", h: func(h *protocol.Header) { h.ForcedExits.Count++ }, pub: -1},
		{name: "forced-exit chain", h: func(h *protocol.Header) { h.ForcedExits.Chain.Add(&h.ForcedExits.Chain, &one) }, pub: -1},
		{name: "versioned hash", pub: -1, vh: true},
	}
	for i := range pub {
		edits = append(edits, edit{name: "pubdata byte", pub: i})
	}
	for _, e := range edits {
		h2 := h
		if h.ForcedExits != nil {
			fx := *h.ForcedExits
			h2.ForcedExits = &fx
		}
		if e.h != nil {
			e.h(&h2)
		}
		pub2 := append([]byte(nil), pub...)
		if e.pub >= 0 {
			pub2[e.pub] ^= byte(1 << (e.pub % 8))
		}
		vh2 := vh
		if e.vh {
			vh2[31] ^= 1
		}
		b, err := protocol.BindBlob(cfg, h2, pub2, vh2)
		if err != nil {
			t.Fatal(err)
		}
		if b.PublicInputs() == basePI {
			t.Fatalf("%s %d: same public inputs", e.name, e.pub)
		}
	}
	if len(edits) != 12+cfg.PubdataSize() {
		t.Fatal("edits lost")
	}
	// Malformed input is refused.
	for _, tc := range []struct {
		name string
		cfg  protocol.Config
		h    protocol.Header
		pub  []byte
	}{
		{"calldata configuration", protocol.Config{Depth: cfg.Depth, Deposits: cfg.Deposits, ForcedExits: cfg.ForcedExits, Transfers: cfg.Transfers, Withdrawals: cfg.Withdrawals}, h, pub},
		{"short pubdata", cfg, h, pub[1:]},
		{"header without forced-exit fields", cfg, protocol.Header{}, pub},
	} {
		if _, err := protocol.BindBlob(tc.cfg, tc.h, tc.pub, vh); err == nil {
			t.Errorf("%s: bound", tc.name)
		}
	}
}
