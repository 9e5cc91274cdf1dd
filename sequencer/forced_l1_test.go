package sequencer

import (
	"context"
	"crypto/ecdsa"
	"log/slog"
	"math"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/l1/submitter"
	"github.com/sheafrollup/sheaf/l1/watcher"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// acceptAllVerifier is creation code whose runtime is one STOP: the
// contract's verifyProof call returns, so any proof is accepted. This test
// is about the queue, not the proofs (the circuit's forced-exit slots have
// their own soundness tests).
var acceptAllVerifier = hexutil.MustDecode("0x6001600c60003960016000f300")

func l1Key(b byte) *ecdsa.PrivateKey {
	k, err := crypto.ToECDSA(common.LeftPadBytes([]byte{b}, 32))
	if err != nil {
		panic(err)
	}
	return k
}

// TestForcedExitOnL1 runs the watcher, the sequencer and the submitter on
// a simulated chain with the real rollup contract (proofs stubbed): forced
// exits requested on L1 are consumed in queue order; a request with a
// wrong nonce and one signed by another key are no-ops that credit
// nothing and leave the account as it was; a valid one, sent while the
// sequencer is idle (batch delay of an hour), is sealed into an otherwise
// empty batch once the injected clock is within the priority margin of its
// expiry, and the account's whole balance becomes claimable on L1.
func TestForcedExitOnL1(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a simulated chain and three services")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	owner, seqKey, user := l1Key(1), l1Key(2), l1Key(3)
	ether := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	alloc := types.GenesisAlloc{}
	for _, k := range []*ecdsa.PrivateKey{owner, seqKey, user} {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1000), ether)}
	}
	chain := l1.NewSimulatedChain(alloc, l1.MainnetLikeGas)
	t.Cleanup(func() { chain.Close() })
	ec := chain.Client()
	chain.Mine(50 * time.Millisecond)
	// Two forced-exit slots: a full section seals at once (like deposits),
	// a lone request waits for the batch delay or its margin.
	cfg := protocol.Config{Depth: 4, Deposits: 1, ForcedExits: 2, Transfers: 2, Withdrawals: 1}
	feeKey := protocoltest.Keys(3031, 1)[0]
	dep, err := l1.Deploy(ctx, ec, owner, l1.DeployConfig{Circuit: cfg, VerifierBytecode: acceptAllVerifier,
		ExitVerifierBytecode: l1.RefuseAllVerifier, Sequencer: crypto.PubkeyToAddress(seqKey.PublicKey),
		FeeKey: feeKey.Public(), DepositCap: ether, PriorityExpiry: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, 0)
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))

	wcfg := watcher.DefaultConfig
	wcfg.Contract, wcfg.FromBlock = dep.Rollup, dep.Block
	wcfg.Finalized, wcfg.Confirmations, wcfg.PollInterval = false, 0, 50*time.Millisecond
	w, err := watcher.New(wcfg, ec, e.pool, log, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Stop(context.Background()) })

	var clock atomic.Int64 // unix seconds; starts far before any expiry
	scfg := DefaultConfig
	scfg.Circuit, scfg.ChainID, scfg.Contract = cfg, 1337, dep.Rollup
	scfg.Rollup = l1.NewReader(ec, dep.Rollup, dep.Block, l1.Finality{})
	scfg.BatchDelay, scfg.PollInterval = time.Hour, 50*time.Millisecond
	scfg.PriorityMargin = 10 * time.Minute
	scfg.Clock = func() time.Time { return time.Unix(clock.Load(), 0) }
	s, err := New(scfg, e.pool, log, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop(context.Background()) })

	// The prover's part, stubbed: every sealed batch is proven at once.
	go func() {
		for ctx.Err() == nil {
			e.pool.Exec(ctx, `UPDATE batches SET status = 'proven', proof = '\x00', proven_at = now() WHERE status = 'sealed'`)
			time.Sleep(50 * time.Millisecond)
		}
	}()
	subCfg := submitter.DefaultConfig
	subCfg.Contract, subCfg.ChainID = dep.Rollup, 1337
	subCfg.Confirmations, subCfg.PollInterval, subCfg.ResubmitAfter = 1, 100*time.Millisecond, 5*time.Second
	sub, err := submitter.New(subCfg, e.pool, ec, seqKey, log, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	if err := sub.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sub.Stop(context.Background()) })

	l, err := client.NewL1(ctx, ec, dep.Rollup, 1337)
	if err != nil {
		t.Fatal(err)
	}
	rb := bindings.NewRollup()
	contractHead := func() (batch, queue uint64) {
		out, err := ec.CallContract(ctx, callMsg(dep.Rollup, rb.PackLastBatch()), nil)
		if err == nil {
			batch, err = rb.UnpackLastBatch(out)
		}
		if err == nil {
			out, err = ec.CallContract(ctx, callMsg(dep.Rollup, rb.PackDepositHead()), nil)
		}
		if err == nil {
			queue, err = rb.UnpackDepositHead(out)
		}
		if err != nil {
			t.Fatal(err)
		}
		return batch, queue
	}
	batches := func() int { return e.count(`SELECT count(*) FROM batches`) }

	keys := protocoltest.Keys(3032, 2)
	amounts := []*big.Int{big.NewInt(7_000_000), big.NewInt(3_000_000)}
	for i, k := range keys { // accounts 2 and 3
		if _, err := l.Deposit(ctx, user, k.Public(), amounts[i]); err != nil {
			t.Fatal(err)
		}
	}
	e.waitFor(func() bool { _, err := s.Account(ctx, 3); return err == nil })
	sealAll(t, s)

	domain := protocol.DomainState(1337, dep.Rollup)
	good, other := crypto.PubkeyToAddress(user.PublicKey), common.Address{0xbb}
	request := func(index, nonce uint32, signer protocol.PrivateKey, to common.Address) uint64 {
		f := &protocol.ForcedExit{Index: index, Recipient: to, Nonce: nonce}
		if err := f.Sign(signer, domain); err != nil {
			t.Fatal(err)
		}
		r, err := l.ForcedExit(ctx, user, f)
		if err != nil {
			t.Fatal(err)
		}
		return r.QueueIndex
	}
	waitApplied := func(n int) {
		e.waitFor(func() bool { s.mu.RLock(); defer s.mu.RUnlock(); return len(s.deposits) == n })
	}
	// Invalid: a wrong nonce; a signature by account 2's key for account 3.
	if q := request(3, 7, keys[1], other); q != 2 {
		t.Fatalf("queue index %d, want 2", q)
	}
	request(3, 0, keys[0], other)
	// Two requests fill the section: sealed without waiting.
	e.waitFor(func() bool { return e.count(`SELECT count(*) FROM forced_exits WHERE batch_number IS NOT NULL`) == 2 })
	if n := e.count(`SELECT count(*) FROM forced_exits WHERE NOT valid AND amount = 0`); n != 2 {
		t.Fatalf("%d no-op forced exits recorded, want 2", n)
	}

	// Valid, while the sequencer is idle: nothing is due for an hour.
	q := request(2, 0, keys[0], good)
	waitApplied(1)
	before := batches()
	time.Sleep(300 * time.Millisecond)
	if n := batches(); n != before {
		t.Fatalf("%d batches sealed before the margin, want %d", n, before)
	}
	var expiry int64
	if err := e.pool.QueryRow(ctx, `SELECT expiry FROM forced_exits WHERE queue_index = $1`, int64(q)).Scan(&expiry); err != nil {
		t.Fatal(err)
	}
	clock.Store(expiry - 5*60) // within the 10-minute margin
	e.waitFor(func() bool { return batches() == before+1 })
	if n := e.count(`SELECT tx_count FROM batches WHERE number = $1`, before+1); n != 0 {
		t.Fatalf("the margin's batch holds %d transactions, want none", n)
	}

	deadline := time.Now().Add(time.Minute)
	for {
		b, head := contractHead()
		if b == uint64(before+1) && head == q+1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("L1 at batch %d, queue head %d; want batch %d, head %d", b, head, before+1, q+1)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, c := range []struct {
		addr common.Address
		want *big.Int
	}{{good, amounts[0]}, {other, big.NewInt(0)}} {
		got, err := l.PendingWithdrawal(ctx, c.addr)
		if err != nil {
			t.Fatal(err)
		}
		if got.Cmp(c.want) != 0 {
			t.Fatalf("claimable by %s: %s wei, want %s", c.addr, got, c.want)
		}
	}
	claim, err := l.Claim(ctx, user)
	if err != nil || claim.Amount.Cmp(amounts[0]) != 0 {
		t.Fatalf("claim: %+v, %v", claim, err)
	}
	for idx, want := range map[uint32]string{2: "0", 3: amounts[1].String()} {
		a, err := s.Account(ctx, idx)
		if err != nil || string(a.Sealed.Balance) != want {
			t.Fatalf("account %d: %+v %v, want balance %s", idx, a, err, want)
		}
	}
	if n := e.count(`SELECT count(*) FROM forced_exits WHERE valid`); n != 1 {
		t.Fatalf("%d valid forced exits recorded, want 1", n)
	}
	if g := testGauge(t, s.m.priorityExpiry); !math.IsInf(g, 1) {
		t.Fatalf("priority expiry gauge %v with nothing queued, want +Inf", g)
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) { w.t.Log(string(p)); return len(p), nil }

func callMsg(to common.Address, data []byte) ethereum.CallMsg {
	return ethereum.CallMsg{To: &to, Data: data}
}
