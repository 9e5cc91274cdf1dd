package l1

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// waitBlocks waits until the chain's head is at least n.
func waitBlocks(t *testing.T, c *SimulatedChain, n uint64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		h, err := c.Client().BlockNumber(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if h >= n {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("head %d, want %d", h, n)
		case <-time.After(time.Millisecond):
		}
	}
}

// TestMinerStopsBeforeClose: Close stops the background miner and waits
// for it (under -race a Commit racing Close is reported); Pause holds the
// head still; Mine again replaces the miner.
func TestMinerStopsBeforeClose(t *testing.T) {
	for range 3 {
		c := NewSimulatedChain(nil)
		m := c.Mine(time.Millisecond)
		waitBlocks(t, c, 2)
		m.Pause()
		h1, _ := c.Client().BlockNumber(context.Background())
		c.Commit() // the caller's own block, while paused
		h2, _ := c.Client().BlockNumber(context.Background())
		if h2 != h1+1 {
			t.Fatalf("paused miner still mines: %d then %d", h1, h2)
		}
		m.Resume()
		waitBlocks(t, c, h2+2)
		c.Mine(time.Millisecond) // replaces m
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		m.Stop() // idempotent after Close
	}
}

// TestSendAfterFork: a transaction re-using a nonce that a Fork freed is
// sent once the pool has caught up with the forked head, never answered
// "nonce too low"; a nonce spent on the new head too is still refused.
func TestSendAfterFork(t *testing.T) {
	key, _ := crypto.ToECDSA(common.LeftPadBytes([]byte{7}, 32))
	from := crypto.PubkeyToAddress(key.PublicKey)
	c := NewSimulatedChain(types.GenesisAlloc{from: {Balance: new(big.Int).Lsh(big.NewInt(1), 70)}})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	signer := types.LatestSignerForChainID(big.NewInt(1337))
	// The pool re-injects the orphaned transaction: the second one of a
	// nonce pays twice as much, to replace it.
	tx := func(nonce uint64, value int64, fees int64) *types.Transaction {
		return types.MustSignNewTx(key, signer, &types.DynamicFeeTx{ChainID: big.NewInt(1337), Nonce: nonce,
			GasTipCap: big.NewInt(fees * 1e9), GasFeeCap: big.NewInt(fees * 100e9), Gas: 21000, To: &common.Address{1}, Value: big.NewInt(value)})
	}
	for round := range 5 {
		base, err := c.Client().NonceAt(ctx, from, nil)
		if err != nil {
			t.Fatal(err)
		}
		head, _ := c.Client().HeaderByNumber(ctx, nil)
		if err := c.Client().SendTransaction(ctx, tx(base, 1, 1)); err != nil {
			t.Fatal(err)
		}
		c.Commit()
		if err := c.Fork(head.Hash()); err != nil {
			t.Fatal(err)
		}
		// The same nonce, other content: the pool must be at the fork first.
		if err := SendAfterFork(ctx, c.Client(), tx(base, int64(2+round), 2)); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		c.Commit()
		c.Commit() // the fork is now the longer chain
	}
	if err := SendAfterFork(ctx, c.Client(), tx(0, 99, 4)); err == nil {
		t.Fatal("a nonce spent on the head was accepted")
	}
}
