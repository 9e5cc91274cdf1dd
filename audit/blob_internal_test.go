package audit

import (
	"math/rand"
	"testing"

	"github.com/ethereum/go-ethereum/crypto/kzg4844"

	"github.com/sheafrollup/sheaf/protocol"
)

// BenchmarkBlobChecks: what blob mode adds per batch once the blob is in
// hand (its fetch and commitment check are l1/blobs' BenchmarkVerify):
// the layout check and unpacking, protocol.BindBlob and the KZG opening,
// at depth 24 with 32 transfer slots.
func BenchmarkBlobChecks(b *testing.B) {
	cfg := protocol.Config{Depth: 24, Transfers: 32, DA: protocol.DABlob}
	pubdata := make([]byte, cfg.PubdataSize())
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < cfg.Transfers; i++ { // random slots with non-zero senders
		s := protocol.TransferSection(cfg, pubdata)[i*cfg.TransferBytes() : (i+1)*cfg.TransferBytes()]
		rng.Read(s)
		s[0] |= 1
	}
	bl, vh, err := protocol.BatchBlob(cfg, pubdata)
	if err != nil {
		b.Fatal(err)
	}
	h := protocol.Header{ChainID: 1, Number: 1, FeeAccount: 1}
	bind, err := protocol.BindBlob(cfg, h, pubdata, vh)
	if err != nil {
		b.Fatal(err)
	}
	c, err := kzg4844.BlobToCommitment(bl)
	if err != nil {
		b.Fatal(err)
	}
	var pt kzg4844.Point
	bind.X.FillBytes(pt[:])
	p, _, err := kzg4844.ComputeProof(bl, pt)
	if err != nil {
		b.Fatal(err)
	}
	kzg := append(c[:], p[:]...)
	b.ResetTimer()
	for range b.N {
		pd := make([]byte, cfg.PubdataSize())
		nt, err := unpackTransfers(cfg, bl, pd)
		if err != nil || nt != cfg.Transfers {
			b.Fatal(nt, err)
		}
		bb, err := protocol.BindBlob(cfg, h, pd, vh)
		if err != nil {
			b.Fatal(err)
		}
		if err := checkKZG(kzg, vh, bb); err != nil {
			b.Fatal(err)
		}
	}
}
