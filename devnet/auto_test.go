package devnet

import (
	"context"
	"log/slog"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/audit"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/l1/blobs"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
	"github.com/sheafrollup/sheaf/sequencer"
)

// TestDeployContractsAuto: the devnet's deployment of an auto circuit
// loads both twins' development keys, deploys both verifiers (the file
// says auto and names the blob verifier and the blob sequencer, and checks
// out against the contract) and writes each twin's verifying key for
// auditors.
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
	deployer, seq, blobSeq := devKey("deployer"), devKey("sequencer"), devKey("blob submitter")
	sim := l1.NewSimulatedChain(types.GenesisAlloc{crypto.PubkeyToAddress(deployer.PublicKey): {Balance: new(big.Int).Lsh(big.NewInt(1), 70)}})
	defer sim.Close()
	sim.Mine(10 * time.Millisecond)
	depFile := filepath.Join(cfg.Dir, deployFile)
	vkPaths := []string{filepath.Join(cfg.Dir, vkFile), filepath.Join(cfg.Dir, blobVKFile)}
	dep, err := deployContracts(ctx, cfg, sim.Client(), circuits, deployer, seq, blobSeq, protocoltest.Keys(1, 1)[0], depFile, vkPaths, log)
	sim.StopMining()
	if err != nil {
		t.Fatal(err)
	}
	f, err := l1.ReadDeployment(depFile)
	if err != nil {
		t.Fatal(err)
	}
	if f.DataAvailability != l1.DataAvailabilityAuto || f.BlobVerifier != dep.BlobVerifier || f.BlobVerifier == f.Verifier ||
		f.BlobSequencer != crypto.PubkeyToAddress(blobSeq.PublicKey) {
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

var _ sequencer.DAChooser = (*protocoltest.AlternatingDA)(nil)

// TestDevnetAuto runs the devnet with an auto circuit (`sheaf devnet
// --circuit.da auto`), its sequencer's mode choice scripted to alternate,
// and demo traffic until batches with transfers in both modes are
// finalized: blob batches sent as blob transactions from the blob key (the
// rollup's blob sequencer), calldata batches from the sequencer key. Then
// the printed audit, with both twins' verifying keys and the devnet's
// beacon endpoint, rebuilds the state and matches the contract.
func TestDevnetAuto(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every service and proves batches of both twins: skipped in -short")
	}
	var out syncBuf
	log := slog.New(slog.NewTextHandler(&out, nil))
	cfg := testConfig(t, protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1, DA: protocol.DAAuto})
	cfg.DAChooser = &protocoltest.AlternatingDA{}
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	// Whatever fails below, the devnet stops before the test returns.
	r := startDevnet(t, ctx, cfg, &out)
	defer r.stop(&out)
	done := r.done

	f, err := l1.ReadDeployment(filepath.Join(cfg.Dir, deployFile))
	if err != nil {
		t.Fatal(err)
	}
	seqAddr, blobAddr := crypto.PubkeyToAddress(devKey("sequencer").PublicKey), crypto.PubkeyToAddress(devKey("blob submitter").PublicKey)
	if f.DataAvailability != l1.DataAvailabilityAuto || f.Circuit != cfg.Circuit || f.Sequencer != seqAddr || f.BlobSequencer != blobAddr {
		t.Fatalf("deployment %+v, want %s in auto mode, sequencer %s, blob sequencer %s", f, cfg.Circuit, seqAddr, blobAddr)
	}
	rpc, err := client.Dial(ctx, "http://"+cfg.RPCAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer rpc.Close()
	eth, err := ethclient.DialContext(ctx, "http://"+cfg.L1Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer eth.Close()
	chainID, err := eth.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rollup := bindings.NewRollup()
	submitted := crypto.Keccak256Hash([]byte("BatchSubmitted(uint64,uint32,uint256)"))
	// sentAs finds batch n's accepted transaction: whether it carried a
	// blob, and its sender.
	sentAs := func(n uint64) (blob bool, from common.Address) {
		t.Helper()
		logs, err := eth.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: new(big.Int).SetUint64(f.Block), Addresses: []common.Address{f.Rollup},
			Topics: [][]common.Hash{{submitted}, {common.BigToHash(new(big.Int).SetUint64(n))}}})
		if err != nil || len(logs) != 1 {
			t.Fatalf("batch %d: %d BatchSubmitted logs (%v)", n, len(logs), err)
		}
		ev, err := rollup.UnpackBatchSubmittedEvent(&logs[0])
		if err != nil || ev.Number != n {
			t.Fatalf("batch %d: event %+v (%v)", n, ev, err)
		}
		tx, _, err := eth.TransactionByHash(ctx, logs[0].TxHash)
		if err != nil {
			t.Fatal(err)
		}
		from, err = types.Sender(types.LatestSignerForChainID(chainID), tx)
		if err != nil {
			t.Fatal(err)
		}
		return tx.Type() == types.BlobTxType, from
	}

	modes := map[bool]int{} // batches with transfers by blob or not
	n := uint64(1)          // the next batch to look at
	for modes[true] < 1 || modes[false] < 1 {
		select {
		case err := <-done:
			done <- err
			t.Fatalf("devnet stopped: %v\n%s", err, out.String())
		case <-ctx.Done():
			t.Fatalf("no batches with transfers in both modes finalized in time (%v)\n%s", modes, out.String())
		case <-time.After(500 * time.Millisecond):
		}
		nums, err := rpc.BatchNumber(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for ; n <= nums.Finalized; n++ {
			b, err := rpc.GetBatch(ctx, n)
			if err != nil {
				t.Fatal(err)
			}
			blob, from := sentAs(n)
			if want := map[bool]common.Address{true: blobAddr, false: seqAddr}[blob]; from != want {
				t.Fatalf("batch %d (blob %v) sent by %s, want %s", n, blob, from, want)
			}
			if b.Transfers > 0 {
				modes[blob]++
			} else if blob {
				t.Fatalf("batch %d without transfers went as a blob", n)
			}
			t.Logf("batch %d: %d transfers, blob %v, from %s", n, b.Transfers, blob, from)
		}
	}

	// The printed audit command, in process: both twins' verifying keys,
	// the devnet's beacon endpoint as the blob source.
	vk, err := keys.LoadVerifyingKey(filepath.Join(cfg.Dir, vkFile))
	if err != nil {
		t.Fatal(err)
	}
	acfg := audit.DefaultConfig
	acfg.Contract, acfg.FromBlock = f.Rollup, f.Block
	if acfg.BlobVerifyingKey, err = keys.LoadVerifyingKey(filepath.Join(cfg.Dir, blobVKFile)); err != nil {
		t.Fatal(err)
	}
	if acfg.Blobs, err = blobs.Open(blobs.Config{Beacon: "http://" + cfg.BeaconAddr}); err != nil {
		t.Fatal(err)
	}
	// The audit stops at the finalized block, which the simulated chain
	// moves every 32 blocks: it reaches the batches above, of both modes,
	// in a few seconds.
	var rep *audit.Report
	for rep == nil || rep.LastBatch < n-1 {
		if rep != nil {
			select {
			case <-ctx.Done():
				t.Fatalf("the audit did not reach the batches in time: %+v", rep)
			case <-time.After(time.Second):
			}
		}
		a, err := audit.New(acfg, eth, vk, log.With("component", "audit"))
		if err != nil {
			t.Fatal(err)
		}
		if rep, err = a.Run(ctx); err != nil {
			t.Fatalf("audit: %v\n%s", err, out.String())
		}
		if !rep.OK || rep.Circuit != cfg.Circuit || rep.Root != rep.ContractRoot {
			t.Fatalf("audit report %+v", rep)
		}
	}
	t.Logf("audit: %d batches, %d transfers, %d withdrawals, root %s", rep.Checked, rep.Transfers, rep.Withdrawals, rep.Root)
}
