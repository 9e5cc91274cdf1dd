package audit_test

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/sheafrollup/sheaf/audit"
	"github.com/sheafrollup/sheaf/audit/audittest"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/protocol"
)

// revertSelector is the 4-byte selector of a reverted call's data.
func revertSelector(t *testing.T, err error) []byte {
	t.Helper()
	var de rpc.DataError
	if !errors.As(err, &de) {
		t.Fatalf("%v: no revert data", err)
	}
	s, _ := de.ErrorData().(string)
	b, derr := hexutil.Decode(s)
	if derr != nil || len(b) < 4 {
		t.Fatalf("%v: revert data %q", err, s)
	}
	return b[:4]
}

// TestLivenessPaddedTransferCount: batch 4 (one transfer in two slots) was
// first posted with its honest proof, two transfers counted and an
// all-zero second slot — the same padded pubdata, so the same public input.
// L1 refused it (EmptySlot), accepted the honest form next, and the
// auditor, which applies the contract's rule, passes the chain and refuses
// the padded calldata with the same rule.
func TestLivenessPaddedTransferCount(t *testing.T) {
	ch := getChain(t)
	a, _ := bindings.NewRollup().GetABI().Errors["EmptySlot"]
	if got := revertSelector(t, ch.PaddedErr); string(got) != string(a.ID[:4]) {
		t.Fatalf("padded batch refused with %x, want EmptySlot", got)
	}
	// The chain went on: the honest batch 4 was accepted, and the audit passes.
	rep, err := newAuditor(t, ch.Client, nil).Run(context.Background())
	if err != nil || rep.LastBatch != 4 || rep.ContractBatch != 4 {
		t.Fatalf("audit: %v, report %+v", err, rep)
	}
	// The auditor's rule on the padded calldata: the contract's.
	b4 := ch.Batches[3]
	padded := append(b4.Batch.Compact(), make([]byte, audittest.Config.TransferBytes())...)
	if err := protocol.CheckCompact(audittest.Config, padded, 0, 2, 0); !errors.Is(err, protocol.ErrEmptySlot) {
		t.Fatalf("CheckCompact(padded) = %v, want ErrEmptySlot", err)
	}
	if err := protocol.CheckCompact(audittest.Config, b4.Batch.Compact(), 0, 1, 0); err != nil {
		t.Fatalf("CheckCompact(honest) = %v", err)
	}
	// Had L1 taken the padded calldata for batch 4, the audit would fail
	// there, as the contract's rule says it must.
	c := &tamperClient{Client: ch.Client, txs: map[common.Hash][]byte{b4.Tx: ch.Padded}}
	rep, err = newAuditor(t, c, nil).Run(context.Background())
	var be *audit.BatchError
	if !errors.As(err, &be) || be.Batch != 4 || rep.OK {
		t.Fatalf("audit of the padded calldata: %v", err)
	}
	if !strings.Contains(err.Error(), "count") {
		t.Fatalf("audit error %q does not name the counts", err)
	}
}

// noFinalized is a node without a `finalized` block (an older client, a
// devnet without a beacon chain).
type noFinalized struct{ audit.Client }

func (c noFinalized) HeaderByNumber(ctx context.Context, n *big.Int) (*types.Header, error) {
	if n != nil && n.Sign() < 0 {
		return nil, errors.New("finalized block not found")
	}
	return c.Client.HeaderByNumber(ctx, n)
}

// TestLivenessAuditFinalized: by default the audit stops at the node's
// finalized block (the simulated beacon finalizes every 32 blocks), and at
// head − 64 on a node that has none; batches after it wait for the next run.
func TestLivenessAuditFinalized(t *testing.T) {
	ch := getChain(t)
	ctx := context.Background()
	for i := 0; i < 96; i++ { // every batch final
		ch.Sim.Commit()
	}
	// and a head that is not on an epoch boundary (the shared chain's
	// length depends on the tests that ran before: one more block at most)
	var head, fin *types.Header
	for i := 0; ; i++ {
		var err error
		if head, err = ch.Client.HeaderByNumber(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if fin, err = ch.Client.HeaderByNumber(ctx, big.NewInt(int64(rpc.FinalizedBlockNumber))); err != nil {
			t.Fatal(err)
		}
		if fin.Number.Uint64() < head.Number.Uint64() {
			break
		}
		if i == 1 {
			t.Fatalf("finalized %d is not below the head %d", fin.Number, head.Number)
		}
		ch.Sim.Commit()
	}
	rep, err := newAuditor(t, ch.Client, func(c *audit.Config) { c.Finality = l1.DefaultFinality }).Run(ctx)
	if err != nil || rep.Block != fin.Number.Uint64() || rep.LastBatch != 4 {
		t.Fatalf("default audit: %v, stopped at %d (finalized %d), batch %d", err, rep.Block, fin.Number, rep.LastBatch)
	}
	if audit.DefaultConfig.Finality != l1.DefaultFinality {
		t.Fatalf("audit.DefaultConfig.Finality = %v, want finalized", audit.DefaultConfig.Finality)
	}
	rep, err = newAuditor(t, noFinalized{ch.Client}, func(c *audit.Config) { c.Finality = l1.DefaultFinality }).Run(ctx)
	if err != nil || rep.Block != head.Number.Uint64()-l1.FallbackConfirmations {
		t.Fatalf("fallback audit: %v, stopped at %d, want head %d − %d", err, rep.Block, head.Number, l1.FallbackConfirmations)
	}
	// A batch accepted after the block the audit stops at is left for the
	// next run.
	rep, err = newAuditor(t, ch.Client, func(c *audit.Config) {
		c.Finality = l1.Finality{Confirmations: head.Number.Uint64() - ch.Batches[1].Block}
	}).Run(ctx)
	if err != nil || rep.LastBatch != 2 || rep.ContractBatch != 2 {
		t.Fatalf("audit at batch 2's block: %v, %+v", err, rep)
	}
}
