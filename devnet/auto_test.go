package devnet

import (
	"context"
	"log/slog"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// TestDeployContractsAuto: the devnet's deployment of an auto circuit
// loads both twins' development keys, deploys both verifiers (the file
// says auto and names the blob verifier, and checks out against the
// contract) and writes each twin's verifying key for auditors.
func TestDeployContractsAuto(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles two circuits and their verifiers: skipped in -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cfg := Config{Circuit: protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1, DA: protocol.DAAuto}, Dir: t.TempDir()}
	log := slog.New(slog.DiscardHandler)
	circuits, err := loadCircuits(ctx, cfg, false, log)
	if err != nil {
		t.Fatal(err)
	}
	modes := cfg.Circuit.Modes()
	if len(circuits) != 2 || circuits[0].Config != modes[0] || circuits[1].Config != modes[1] {
		t.Fatalf("loaded %d circuits, want the twins %v", len(circuits), modes)
	}
	deployer, seq := devKey("deployer"), devKey("sequencer")
	sim := l1.NewSimulatedChain(types.GenesisAlloc{crypto.PubkeyToAddress(deployer.PublicKey): {Balance: new(big.Int).Lsh(big.NewInt(1), 70)}})
	defer sim.Close()
	sim.Mine(10 * time.Millisecond)
	depFile := filepath.Join(cfg.Dir, deployFile)
	vkPaths := []string{filepath.Join(cfg.Dir, vkFile), filepath.Join(cfg.Dir, blobVKFile)}
	dep, err := deployContracts(ctx, cfg, sim.Client(), circuits, deployer, seq, protocoltest.Keys(1, 1)[0], depFile, vkPaths, log)
	sim.StopMining()
	if err != nil {
		t.Fatal(err)
	}
	f, err := l1.ReadDeployment(depFile)
	if err != nil {
		t.Fatal(err)
	}
	if f.DataAvailability != l1.DataAvailabilityAuto || f.BlobVerifier != dep.BlobVerifier || f.BlobVerifier == f.Verifier {
		t.Fatalf("deployment file %+v", f)
	}
	if _, err := l1.CheckDeployment(ctx, sim.Client(), f); err != nil {
		t.Fatal(err)
	}
	for i, p := range vkPaths {
		vk, err := keys.LoadVerifyingKey(p)
		if err != nil {
			t.Fatal(err)
		}
		if vk.NbPublicWitness() != circuits[i].Keys.VK.NbPublicWitness() {
			t.Fatalf("%s: %d public inputs, want %s's %d", p, vk.NbPublicWitness(), modes[i], circuits[i].Keys.VK.NbPublicWitness())
		}
	}
}
