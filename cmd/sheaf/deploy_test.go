package main

import (
	"context"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"

	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
)

// TestDeployCore deploys to a simulated chain through the command's core
// function (stub verifier: the rollup only needs code there) and reads the
// written file back as the other services do.
func TestDeployCore(t *testing.T) {
	key, _ := crypto.ToECDSA(common.LeftPadBytes([]byte{9}, 32))
	alloc := types.GenesisAlloc{crypto.PubkeyToAddress(key.PublicKey): {Balance: new(big.Int).Lsh(big.NewInt(1), 70)}}
	sim := simulated.NewBackend(alloc)
	defer sim.Close()
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
				sim.Commit()
			}
		}
	}()
	out := filepath.Join(t.TempDir(), "deployment.json")
	cfg := protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1}
	p := deployParams{Key: key, Out: out, Dev: true, Config: l1.DeployConfig{
		Circuit: cfg, VerifierBytecode: hexutil.MustDecode("0x6001600c60003960016000f300"),
		Sequencer: common.HexToAddress("0x5e9"), FeeAccount: 1, DepositCap: big.NewInt(1e18)}}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	f, err := deploy(ctx, sim.Client(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := l1.ReadDeployment(out)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rollup != f.Rollup || got.ChainID != 1337 || got.Circuit != cfg || got.Block == 0 || got.DepositCap.Cmp(big.NewInt(1e18)) != 0 {
		t.Fatalf("deployment file %+v", got)
	}
	if code, err := sim.Client().CodeAt(ctx, got.Rollup, nil); err != nil || len(code) == 0 {
		t.Fatalf("no rollup code at %s: %v", got.Rollup, err)
	}
	if _, err := deploy(ctx, sim.Client(), p, nil); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("second deploy over the same file: %v", err)
	}
}

func TestVerifierBytecodeChecksConfig(t *testing.T) {
	dir := t.TempDir()
	b, _ := json.Marshal(keys.Meta{Config: protocol.Config{Depth: 8, Deposits: 1, Transfers: 2, Withdrawals: 1}})
	if err := os.WriteFile(filepath.Join(dir, keys.MetaFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := verifierBytecode(context.Background(), dir, protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1})
	if err == nil || !strings.Contains(err.Error(), "are for circuit") {
		t.Fatalf("mismatched keys dir: %v", err)
	}
}
