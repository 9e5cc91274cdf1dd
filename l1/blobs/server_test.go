package blobs_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/blobs"
)

// sendBlobs includes a version-1 blob transaction carrying tbs on the
// simulated chain and returns the block's header and the transaction.
func sendBlobs(t *testing.T, sim *l1.SimulatedChain, nonce uint64, tbs ...testBlob) (*types.Header, *types.Transaction) {
	t.Helper()
	ctx := context.Background()
	key := testKey()
	client := sim.Client()
	chainID, err := client.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var (
		bl     []kzg4844.Blob
		coms   []kzg4844.Commitment
		proofs []kzg4844.Proof
	)
	for _, tb := range tbs {
		p, err := kzg4844.ComputeCellProofs(tb.blob)
		if err != nil {
			t.Fatal(err)
		}
		bl, coms, proofs = append(bl, *tb.blob), append(coms, tb.com), append(proofs, p...)
	}
	sc := types.NewBlobTxSidecar(types.BlobSidecarVersion1, bl, coms, proofs)
	to := common.HexToAddress("0x5eaf")
	tx := types.MustSignNewTx(key, types.LatestSignerForChainID(chainID), &types.BlobTx{
		ChainID: uint256.MustFromBig(chainID), Nonce: nonce, To: to, Gas: 21_000,
		GasTipCap: uint256.NewInt(1e9), GasFeeCap: uint256.NewInt(100e9), BlobFeeCap: uint256.NewInt(100e9),
		BlobHashes: sc.BlobHashes(), Sidecar: sc,
	})
	if err := client.SendTransaction(ctx, tx); err != nil {
		t.Fatal(err)
	}
	sim.Commit()
	r, err := client.TransactionReceipt(ctx, tx.Hash())
	if err != nil || r.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("blob transaction not included: %v", err)
	}
	h, err := client.HeaderByNumber(ctx, r.BlockNumber)
	if err != nil {
		t.Fatal(err)
	}
	return h, tx
}

func testKey() *ecdsa.PrivateKey {
	k, _ := crypto.ToECDSA(crypto.Keccak256([]byte("sheaf blobs test")))
	return k
}

// TestServerWithBeaconClient: the devnet's beacon endpoint, backed by the
// PostgreSQL table, answers the beacon client for blobs included on a
// simulated chain: stored blobs are found and verified, a blob the store
// lacks and a slot with no block are reported missing, naming the blob.
func TestServerWithBeaconClient(t *testing.T) {
	ctx := context.Background()
	key := testKey()
	sim := l1.NewSimulatedChain(types.GenesisAlloc{crypto.PubkeyToAddress(key.PublicKey): {Balance: new(big.Int).Lsh(big.NewInt(1), 100)}})
	defer sim.Close()
	sim.Commit() // a block without blobs first: slots are not block numbers

	x, y, z := newTestBlob(t), newTestBlob(t), newTestBlob(t)
	h1, tx1 := sendBlobs(t, sim, 0, x, y)
	sim.Commit()
	h2, tx2 := sendBlobs(t, sim, 1, z)

	pool := newPool(t, true)
	insertBlob(t, pool, 1, 0, x, nil)
	insertBlob(t, pool, 1, 1, y, nil)
	// z (batch 2) was never stored.

	srv := httptest.NewServer(blobs.NewServer(sim.Client(), blobs.NewPostgres(pool), 0, nil))
	defer srv.Close()
	// No seconds per slot: the client reads the endpoint's spec (1 s).
	b, err := blobs.NewBeacon(blobs.BeaconConfig{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	refs := blobs.RefsFor(1, tx1, h1)
	want := []blobs.Ref{
		{Batch: 1, Index: 0, VersionedHash: x.vh, Block: h1.Number.Uint64(), BlockTime: h1.Time},
		{Batch: 1, Index: 1, VersionedHash: y.vh, Block: h1.Number.Uint64(), BlockTime: h1.Time},
	}
	if fmt.Sprint(refs) != fmt.Sprint(want) {
		t.Fatalf("RefsFor: %v, want %v", refs, want)
	}
	got, err := blobs.Fetch(ctx, b, refs)
	if err != nil {
		t.Fatal(err)
	}
	if *got[0] != *x.blob || *got[1] != *y.blob {
		t.Fatal("the endpoint served other blobs")
	}

	missing := blobs.Ref{Batch: 2, VersionedHash: tx2.BlobHashes()[0], Block: h2.Number.Uint64(), BlockTime: h2.Time}
	_, err = b.Blob(ctx, missing)
	wantBlobError(t, err, missing, blobs.ErrMissing)

	noBlock := blobs.Ref{Batch: 3, VersionedHash: z.vh, BlockTime: h2.Time + 1000}
	_, err = b.Blob(ctx, noBlock)
	wantBlobError(t, err, noBlock, blobs.ErrMissing)

	// The post-Fulu endpoint: the block's blobs, filtered by versioned hash.
	genesis, err := sim.Client().HeaderByNumber(ctx, big.NewInt(0))
	if err != nil {
		t.Fatal(err)
	}
	slot := strconv.FormatUint(h1.Time-genesis.Time, 10)
	for _, tc := range []struct {
		query string
		want  []*kzg4844.Blob
	}{
		{"", []*kzg4844.Blob{x.blob, y.blob}},
		{"?versioned_hashes=" + y.vh.Hex(), []*kzg4844.Blob{y.blob}},
	} {
		resp, err := http.Get(srv.URL + "/eth/v1/beacon/blobs/" + slot + tc.query)
		if err != nil {
			t.Fatal(err)
		}
		var body struct{ Data []hexutil.Bytes }
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil || len(body.Data) != len(tc.want) {
			t.Fatalf("blobs%s: %d blobs, %v; want %d", tc.query, len(body.Data), err, len(tc.want))
		}
		for i, b := range tc.want {
			if !bytes.Equal(body.Data[i], b[:]) {
				t.Fatalf("blobs%s: blob %d differs", tc.query, i)
			}
		}
	}

	// Only slot numbers are block ids here.
	resp, err := http.Get(srv.URL + "/eth/v1/beacon/blob_sidecars/head")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("block id head: HTTP %d, want 400", resp.StatusCode)
	}
}
