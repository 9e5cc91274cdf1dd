package l1

import (
	"context"
	"math/big"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// TestDevChainPersists: a transfer committed on a development chain is
// still there after Close and a new open of the same directory, whose
// genesis is the stored one (the alloc given again is ignored), and the
// chain goes on from its old head.
func TestDevChainPersists(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := t.TempDir()
	key, _ := crypto.GenerateKey()
	from := crypto.PubkeyToAddress(key.PublicKey)
	to := common.HexToAddress("0x00000000000000000000000000000000000d0d0d")
	c, err := OpenDevChain(dir, types.GenesisAlloc{from: {Balance: big.NewInt(1e18)}}, MainnetLikeGas)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Fresh() {
		t.Fatal("a new directory is not fresh")
	}
	chainID, err := c.Client().ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tip, _ := c.Client().SuggestGasTipCap(ctx)
	head, _ := c.Client().HeaderByNumber(ctx, nil)
	fee := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	tx := types.MustSignNewTx(key, types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{
		ChainID: chainID, Nonce: 0, GasTipCap: tip, GasFeeCap: fee, Gas: 21000, To: &to, Value: big.NewInt(1000)})
	if err := c.Client().SendTransaction(ctx, tx); err != nil {
		t.Fatal(err)
	}
	c.Commit()
	c.Commit()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	c, err = OpenDevChain(dir, nil, MainnetLikeGas)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Fresh() {
		t.Fatal("a reopened chain is fresh")
	}
	if n, err := c.Client().BlockNumber(ctx); err != nil || n != 2 {
		t.Fatalf("head %d after reopening (%v), want 2", n, err)
	}
	if b, err := c.Client().BalanceAt(ctx, to, nil); err != nil || b.Int64() != 1000 {
		t.Fatalf("balance %v (%v), want 1000", b, err)
	}
	if r, err := c.Client().TransactionReceipt(ctx, tx.Hash()); err != nil || r.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("receipt %v: %v", r, err)
	}
	c.Commit()
	if n, err := c.Client().BlockNumber(ctx); err != nil || n != 3 {
		t.Fatalf("head %d after a new block (%v), want 3", n, err)
	}
}

// killChildDir names the data directory of TestDevChainKilledChild.
const killChildDir = "DEVCHAIN_KILLED_CHILD_DIR"

// TestDevChainSurvivesKill: a process that commits blocks and is then
// killed (no Close) leaves a chain that opens at its last block, with its
// state: each block's state reaches the database as it is sealed.
func TestDevChainSurvivesKill(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestDevChainKilledChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), killChildDir+"="+dir)
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := OpenDevChain(dir, nil, MainnetLikeGas)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if n, err := c.Client().BlockNumber(ctx); err != nil || n != 3 {
		t.Fatalf("head %d after the kill (%v), want 3", n, err)
	}
	to := common.HexToAddress("0x00000000000000000000000000000000000d0d0d")
	if b, err := c.Client().BalanceAt(ctx, to, nil); err != nil || b.Int64() != 1000 {
		t.Fatalf("balance %v (%v), want 1000", b, err)
	}
}

// TestDevChainKilledChild runs only as TestDevChainSurvivesKill's child:
// a transfer, three blocks, then SIGKILL.
func TestDevChainKilledChild(t *testing.T) {
	dir := os.Getenv(killChildDir)
	if dir == "" {
		t.Skip("the child of TestDevChainSurvivesKill")
	}
	ctx := context.Background()
	key, _ := crypto.GenerateKey()
	c, err := OpenDevChain(dir, types.GenesisAlloc{crypto.PubkeyToAddress(key.PublicKey): {Balance: big.NewInt(1e18)}}, MainnetLikeGas)
	if err != nil {
		t.Fatal(err)
	}
	chainID, _ := c.Client().ChainID(ctx)
	tip, _ := c.Client().SuggestGasTipCap(ctx)
	head, _ := c.Client().HeaderByNumber(ctx, nil)
	to := common.HexToAddress("0x00000000000000000000000000000000000d0d0d")
	tx := types.MustSignNewTx(key, types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{ChainID: chainID, GasTipCap: tip,
		GasFeeCap: new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2))), Gas: 21000, To: &to, Value: big.NewInt(1000)})
	if err := c.Client().SendTransaction(ctx, tx); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		c.Commit()
	}
	syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {}
}
