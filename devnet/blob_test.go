package devnet

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/audit"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/blobs"
	"github.com/sheafrollup/sheaf/protocol"
)

// TestDevnetBlobMode runs the devnet with a blob-mode circuit (`sheaf
// devnet --circuit.da blob`) and demo traffic until batches holding
// transfers are finalized, then does what the printed `sheaf audit`
// command does — the deployment file, the verifying key beside it, the
// devnet's beacon endpoint as the blob source, up to the finalized block —
// while the devnet still runs: the audit rebuilds the state from L1 and
// the served blobs and matches the contract.
func TestDevnetBlobMode(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every service and proves blob-mode batches: skipped in -short")
	}
	var out syncBuf
	log := slog.New(slog.NewTextHandler(&out, nil))
	cfg := testConfig(t, protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1, DA: protocol.DABlob})
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	// Whatever fails below, the devnet stops before the test returns.
	r := startDevnet(t, ctx, cfg, &out)
	defer r.stop(&out)
	done := r.done

	depFile := filepath.Join(cfg.Dir, deployFile)
	f, err := l1.ReadDeployment(depFile)
	if err != nil {
		t.Fatal(err)
	}
	if f.DataAvailability != l1.DataAvailabilityBlob || f.Circuit != cfg.Circuit {
		t.Fatalf("deployment %s in %q mode, want %s in blob mode", f.Circuit, f.DataAvailability, cfg.Circuit)
	}

	// Two batches with transfers finalized (the submitter's blob
	// transactions included and confirmed).
	rpc, err := client.Dial(ctx, "http://"+cfg.RPCAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer rpc.Close()
	var withTransfers int
	for n := uint64(1); withTransfers < 2; {
		select {
		case err := <-done:
			done <- err
			t.Fatalf("devnet stopped: %v\n%s", err, out.String())
		case <-ctx.Done():
			t.Fatalf("no two batches with transfers finalized in time\n%s", out.String())
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
			if b.Transfers > 0 {
				withTransfers++
			}
		}
	}

	// The printed audit command, in process.
	eth, err := ethclient.DialContext(ctx, "http://"+cfg.L1Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer eth.Close()
	vk, err := keys.LoadVerifyingKey(filepath.Join(cfg.Dir, vkFile))
	if err != nil {
		t.Fatal(err)
	}
	acfg := audit.DefaultConfig
	acfg.Contract, acfg.FromBlock = f.Rollup, f.Block
	if acfg.Blobs, err = blobs.Open(blobs.Config{Beacon: "http://" + cfg.BeaconAddr}); err != nil {
		t.Fatal(err)
	}
	// The audit stops at the finalized block, which the simulated chain
	// moves every 32 blocks: it reaches the batches above in a few seconds.
	var rep *audit.Report
	for rep == nil || rep.Transfers == 0 {
		if rep != nil {
			select {
			case <-ctx.Done():
				t.Fatalf("the audit saw no transfers in time: %+v", rep)
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
