package audit_test

import (
	"context"
	"errors"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/sheafrollup/sheaf/audit"
	"github.com/sheafrollup/sheaf/audit/audittest"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/protocol"
)

var (
	chainOnce sync.Once
	chain     *audittest.Chain
	chainErr  error
)

// getChain builds the shared history once per package: four proven
// batches on a simulated L1.
func getChain(t *testing.T) *audittest.Chain {
	t.Helper()
	if testing.Short() {
		t.Skip("proves four batches: skipped in -short")
	}
	chainOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		chain, chainErr = audittest.New(ctx, audittest.Options{Log: t.Logf, TryPadded: true})
	})
	if chainErr != nil {
		t.Fatal(chainErr)
	}
	return chain
}

func TestMain(m *testing.M) {
	code := m.Run()
	if chain != nil {
		chain.Close()
	}
	if blobChain != nil {
		blobChain.Close()
	}
	os.Exit(code)
}

func logger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) { w.t.Log(string(p)); return len(p), nil }

func newAuditor(t *testing.T, c audit.Client, mut func(*audit.Config)) *audit.Auditor {
	t.Helper()
	ch := getChain(t)
	cfg := audit.DefaultConfig
	cfg.Contract = ch.Deployment.Rollup
	cfg.FromBlock = ch.Deployment.Block
	cfg.Finality = l1.Finality{} // the history is complete at the head
	if mut != nil {
		mut(&cfg)
	}
	a, err := audit.New(cfg, c, ch.Keys.VK, logger(t))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func rootHex(r [32]byte) string { return "0x" + common.Bytes2Hex(r[:]) }

func TestAuditPasses(t *testing.T) {
	ch := getChain(t)
	a := newAuditor(t, ch.Client, nil)
	rep, err := a.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	last := ch.Batches[len(ch.Batches)-1].Batch
	if !rep.OK || rep.LastBatch != 4 || rep.Checked != 4 || rep.FirstBatch != 1 {
		t.Fatalf("report %+v", rep)
	}
	if rep.Root != rootHex(last.Header.NewRoot.Bytes()) || rep.Root != rep.ContractRoot {
		t.Fatalf("root %s, want %x (contract %s)", rep.Root, last.Header.NewRoot.Bytes(), rep.ContractRoot)
	}
	if rep.Accounts != 2 || rep.Deposits != 3 || rep.Transfers != 4 || rep.Withdrawals != 1 || rep.DepositsQueued != 4 || rep.DepositHead != 3 {
		t.Fatalf("report %+v", rep)
	}
	// Balances add up: deposited − withdrawn stays on L2 (fees included).
	if rep.Deposited != "1507000" || rep.Withdrawn != "5000" || rep.TotalBalance != "1502000" || rep.Fees != "70" {
		t.Fatalf("totals %+v", rep)
	}
	st := a.State()
	for i, want := range ch.Batches[3].Accounts {
		got, ok := st.Account(uint32(i + 1))
		if !ok || got != want {
			t.Fatalf("account %d: %+v, sequencer has %+v", i+1, got, want)
		}
	}
}

// tamperClient alters what the auditor reads from L1.
type tamperClient struct {
	audit.Client
	txs  map[common.Hash][]byte // replacement calldata
	head uint64                 // if set, the head the node reports
}

func (c *tamperClient) TransactionByHash(ctx context.Context, h common.Hash) (*types.Transaction, bool, error) {
	tx, pending, err := c.Client.TransactionByHash(ctx, h)
	if err != nil || c.txs[h] == nil {
		return tx, pending, err
	}
	return types.NewTx(&types.DynamicFeeTx{ChainID: tx.ChainId(), Nonce: tx.Nonce(), To: tx.To(), Gas: tx.Gas(),
		GasFeeCap: tx.GasFeeCap(), GasTipCap: tx.GasTipCap(), Data: c.txs[h]}), pending, nil
}

func (c *tamperClient) HeaderByNumber(ctx context.Context, n *big.Int) (*types.Header, error) {
	if c.head != 0 && n == nil {
		n = new(big.Int).SetUint64(c.head)
	}
	return c.Client.HeaderByNumber(ctx, n)
}

func repack(t *testing.T, b *audittest.Batch, pubdata, proof []byte) []byte {
	h := b.Batch.Header
	return bindings.NewRollup().PackSubmitBatch(h.Number, h.OldRoot.Bytes(), h.NewRoot.Bytes(), uint16(len(b.Batch.Deposits)),
		uint16(len(b.Batch.ForcedExits)), uint16(len(b.Batch.Transfers)), uint16(len(b.Batch.Withdrawals)), pubdata,
		audittest.Depositors(crypto.PubkeyToAddress(audittest.UserKey.PublicKey), len(b.Batch.Deposits)), proof)
}

func TestAuditDetectsTampering(t *testing.T) {
	ch := getChain(t)
	b2, b3 := &ch.Batches[1], &ch.Batches[2]

	// Batch 2's first transfer moves 1200: post 1300 instead.
	pd := b2.Batch.Compact()
	cfg := audittest.Config
	off := cfg.DepositBytes() + 2*cfg.IndexBytes()
	ac, fc := protocol.UnpackAmountFee(pd[off:])
	packed := protocol.PackAmountFee(ac+100, fc)
	copy(pd[off:], packed[:])

	cases := []struct {
		name  string
		batch *audittest.Batch
		data  []byte
	}{
		{"different pubdata", b2, repack(t, b2, pd, b2.Proof)},
		{"proof that does not verify", b3, repack(t, b3, b3.Batch.Compact(), b2.Proof)},
		{"corrupt proof bytes", b3, repack(t, b3, b3.Batch.Compact(), append([]byte{}, b3.Proof[:255]...))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := &tamperClient{Client: ch.Client, txs: map[common.Hash][]byte{tc.batch.Tx: tc.data}}
			rep, err := newAuditor(t, c, nil).Run(context.Background())
			var be *audit.BatchError
			if !errors.As(err, &be) {
				t.Fatalf("err = %v, want a BatchError", err)
			}
			if be.Batch != tc.batch.Number || rep.FailedBatch != tc.batch.Number || rep.OK {
				t.Fatalf("failed at batch %d (report %d), want %d: %v", be.Batch, rep.FailedBatch, tc.batch.Number, err)
			}
			if rep.LastBatch != tc.batch.Number-1 {
				t.Fatalf("report's last good batch %d, want %d", rep.LastBatch, tc.batch.Number-1)
			}
			t.Log(err)
		})
	}
}

func TestAuditResumes(t *testing.T) {
	ch := getChain(t)
	path := filepath.Join(t.TempDir(), "audit.json")
	// First run: the node's head is batch 2's block.
	c := &tamperClient{Client: ch.Client, head: ch.Batches[1].Block}
	rep, err := newAuditor(t, c, func(cfg *audit.Config) { cfg.StatePath = path }).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.LastBatch != 2 || rep.ContractBatch != 2 {
		t.Fatalf("first run %+v", rep)
	}
	// Second run resumes there.
	a := newAuditor(t, ch.Client, func(cfg *audit.Config) { cfg.StatePath = path })
	rep, err = a.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.ResumedFrom != 2 || rep.FirstBatch != 3 || rep.Checked != 2 || rep.LastBatch != 4 {
		t.Fatalf("resumed run %+v", rep)
	}
	fresh := newAuditor(t, ch.Client, nil)
	frep, err := fresh.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Root != frep.Root || rep.TotalBalance != frep.TotalBalance || rep.Deposits != frep.Deposits ||
		rep.Transfers != frep.Transfers || rep.Fees != frep.Fees || rep.DepositsQueued != frep.DepositsQueued {
		t.Fatalf("resumed %+v\nfresh %+v", rep, frep)
	}
	for i := uint32(1); i <= uint32(fresh.State().NumAccounts()); i++ {
		x, _ := a.State().Account(i)
		y, _ := fresh.State().Account(i)
		if x != y {
			t.Fatalf("account %d: resumed %+v, fresh %+v", i, x, y)
		}
	}
	// The file now holds batch 4 and a state that reloads to the same root.
	st, err := audit.LoadState(path)
	if err != nil || st.Batch() != 4 || st.Root() != fresh.State().Root() {
		t.Fatalf("saved state: %v, batch %d", err, st.Batch())
	}
	// A file edited by hand is refused.
	b, _ := os.ReadFile(path)
	b[len(b)-20] ^= 1
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := audit.LoadState(path); err == nil {
		t.Fatal("edited state file accepted")
	}
}

func TestAccountQuery(t *testing.T) {
	ch := getChain(t)
	for _, tc := range []struct {
		batch uint64
		index uint32
		byKey bool
	}{{2, 2, false}, {3, 1, true}, {0, 2, false}, {1, 1, false}} {
		q := audit.Query{Batch: tc.batch, Index: tc.index}
		want := ch.Batches[len(ch.Batches)-1]
		if tc.batch != 0 {
			want = ch.Batches[tc.batch-1]
		}
		if tc.byKey {
			pk := ch.L2Keys[tc.index-1].Public()
			q = audit.Query{Batch: tc.batch, Key: &pk}
		}
		p, err := newAuditor(t, ch.Client, nil).Account(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		acc := want.Accounts[tc.index-1]
		if !p.Exists || p.Index != tc.index || p.Account != acc || p.Batch != want.Number {
			t.Fatalf("batch %d index %d: %+v, want %+v at batch %d", tc.batch, tc.index, p, acc, want.Number)
		}
		if p.Root != want.Batch.Header.NewRoot {
			t.Fatalf("proof root is not batch %d's posted root", want.Number)
		}
		if err := p.Verify(audittest.Config.Depth); err != nil {
			t.Fatal(err)
		}
		p.Account.Balance.AddUint64(&p.Account.Balance, 1)
		if p.Verify(audittest.Config.Depth) == nil {
			t.Fatal("proof of a changed balance verifies")
		}
	}
	// A batch not on L1 yet.
	if _, err := newAuditor(t, ch.Client, nil).Account(context.Background(), audit.Query{Batch: 9, Index: 1}); err == nil {
		t.Fatal("batch 9 answered")
	}
}
