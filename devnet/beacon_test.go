package devnet

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"net/http"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"

	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/blobs"
)

// mapStore is a blobs.Store over a map.
type mapStore map[common.Hash]*blobs.Stored

func (m mapStore) Lookup(_ context.Context, vh common.Hash) (*blobs.Stored, error) { return m[vh], nil }

// TestBeaconServer: the devnet's beacon endpoint starts on its address,
// answers the beacon client (a block without blobs: the blob is reported
// missing, naming it), and stops.
func TestBeaconServer(t *testing.T) {
	sim := l1.NewSimulatedChain(types.GenesisAlloc{})
	defer sim.Close()
	sim.Commit()
	head, err := sim.Client().HeaderByNumber(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	b := newBeaconServer(addr, sim.Client(), mapStore{}, slog.New(slog.DiscardHandler))
	if err := b.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	stopped := false
	defer func() {
		if !stopped {
			b.Stop(context.Background())
		}
	}()
	src, err := blobs.NewBeacon(blobs.BeaconConfig{URL: "http://" + addr})
	if err != nil {
		t.Fatal(err)
	}
	blob := new(kzg4844.Blob)
	rand.Read(blob[1:32])
	com, err := kzg4844.BlobToCommitment(blob)
	if err != nil {
		t.Fatal(err)
	}
	ref := blobs.Ref{Batch: 1, VersionedHash: blobs.VersionedHash(com), Block: head.Number.Uint64(), BlockTime: head.Time}
	_, err = src.Blob(context.Background(), ref)
	var be *blobs.Error
	if !errors.Is(err, blobs.ErrMissing) || !errors.As(err, &be) || be.Ref.VersionedHash != ref.VersionedHash {
		t.Fatalf("blob of a block without blobs: %v, want ErrMissing naming it", err)
	}
	if err := b.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	stopped = true
	if resp, err := http.Get("http://" + addr + "/eth/v1/beacon/genesis"); err == nil {
		resp.Body.Close()
		t.Fatal("the endpoint still answers after Stop")
	}
}
