package e2e

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/audit"
	"github.com/sheafrollup/sheaf/db"
	"github.com/sheafrollup/sheaf/db/pgtest"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/l1/submitter"
	"github.com/sheafrollup/sheaf/l1/watcher"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
	"github.com/sheafrollup/sheaf/prover"
	"github.com/sheafrollup/sheaf/sequencer"
)

// The TestLiveness tests here run the whole rollup in process on the
// simulated chain (real contract and verifier, real proofs of testCfg, real
// PostgreSQL), with the sequencer reading the contract at the simulated
// beacon's finalized block as in production. Each ends with the chain
// still advancing and the audit engine passing.

const simChainID = 1337

var (
	simCircuitOnce sync.Once
	simCircuit     *prover.Circuit
	simVerifier    []byte
	simCircuitErr  error
)

// loadSimCircuit compiles testCfg and loads its development keys once per
// package run.
func loadSimCircuit(t *testing.T) (*prover.Circuit, []byte) {
	t.Helper()
	simCircuitOnce.Do(func() {
		ctx := context.Background()
		if simCircuit, simCircuitErr = prover.LoadCircuit(ctx, testCfg, "", slog.New(slog.DiscardHandler)); simCircuitErr != nil {
			return
		}
		simVerifier, simCircuitErr = l1.CompileVerifier(ctx, simCircuit.Keys.VK)
	})
	if simCircuitErr != nil {
		t.Fatal(simCircuitErr)
	}
	return simCircuit, simVerifier
}

var (
	simOwner = mustSimKey("sheaf liveness owner")
	simSeq   = mustSimKey("sheaf liveness sequencer")
	simUsers = []*ecdsa.PrivateKey{mustSimKey("sheaf liveness user 1"), mustSimKey("sheaf liveness user 2"), mustSimKey("sheaf liveness user 3")}
)

func mustSimKey(seed string) *ecdsa.PrivateKey {
	k, err := crypto.ToECDSA(crypto.Keccak256([]byte(seed)))
	if err != nil {
		panic(err)
	}
	return k
}

// simnet is one rollup on a simulated chain.
type simnet struct {
	t       *testing.T
	ctx     context.Context
	log     *slog.Logger
	sim     *l1.SimulatedChain
	client  simulated.Client
	dep     *l1.Deployment
	rollup  *bindings.Rollup
	circuit *prover.Circuit
	pool    *pgxpool.Pool
	feeKey  protocol.PrivateKey // the operator's: account 1 from genesis
	seqCfg  sequencer.Config
	seq     *sequencer.Sequencer
	w       *watcher.Watcher
	prv     *prover.Pool
	sub     *submitter.Submitter
}

// startSimnet deploys (fee key feeKey, the given change delay), starts a
// block every 20 ms and the watcher, prover and submitter; the sequencer
// is started by startSequencer. t.Cleanup stops everything.
func startSimnet(t *testing.T, feeKey protocol.PrivateKey, changeDelay uint64) *simnet {
	t.Helper()
	if testing.Short() {
		t.Skip("proves batches: skipped in -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	circuit, verifier := loadSimCircuit(t)
	alloc := types.GenesisAlloc{}
	for _, k := range append([]*ecdsa.PrivateKey{simOwner, simSeq}, simUsers...) {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1000), ether)}
	}
	sim := l1.NewSimulatedChain(alloc, l1.MainnetLikeGas)
	sim.Mine(20 * time.Millisecond)
	// Registered first, so it runs after the services stop; Close stops
	// the miner and waits for it before closing the chain.
	t.Cleanup(func() { sim.Close() })
	n := &simnet{t: t, ctx: ctx, sim: sim, client: sim.Client(), rollup: bindings.NewRollup(), circuit: circuit, feeKey: feeKey,
		log: slog.New(slog.NewTextHandler(tlog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	dep, err := l1.Deploy(ctx, n.client, simOwner, l1.DeployConfig{Circuit: testCfg, VerifierBytecode: verifier, ExitVerifierBytecode: l1.RefuseAllVerifier,
		FeeKey: feeKey.Public(), Sequencer: crypto.PubkeyToAddress(simSeq.PublicKey), ChangeDelay: changeDelay})
	if err != nil {
		t.Fatal(err)
	}
	n.dep = dep
	n.pool, err = db.Open(ctx, db.Config{URL: pgtest.NewDatabase(t), MaxConns: 16, Migrate: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.pool.Close)

	wcfg := watcher.DefaultConfig
	wcfg.Contract, wcfg.FromBlock, wcfg.Confirmations, wcfg.PollInterval = dep.Rollup, dep.Block, 1, 100*time.Millisecond
	if n.w, err = watcher.New(wcfg, n.client, n.pool, n.log.With("component", "watcher"), prometheus.NewRegistry()); err != nil {
		t.Fatal(err)
	}
	n.start(n.w)
	pcfg := prover.DefaultConfig
	pcfg.Circuits, pcfg.Workers, pcfg.PollInterval = []protocol.Config{testCfg}, 1, 200*time.Millisecond
	if n.prv, err = prover.New(pcfg, n.pool, []*prover.Circuit{circuit}, n.log.With("component", "prover"), prometheus.NewRegistry()); err != nil {
		t.Fatal(err)
	}
	n.start(n.prv)
	scfg := submitter.DefaultConfig
	scfg.Contract, scfg.ChainID = dep.Rollup, simChainID
	scfg.Confirmations, scfg.PollInterval, scfg.ResubmitAfter = 2, 100*time.Millisecond, 30*time.Second
	if n.sub, err = submitter.New(scfg, n.pool, n.client, simSeq, n.log.With("component", "submitter"), prometheus.NewRegistry()); err != nil {
		t.Fatal(err)
	}
	n.start(n.sub)

	n.seqCfg = sequencer.DefaultConfig
	n.seqCfg.Circuit, n.seqCfg.ChainID, n.seqCfg.Contract = testCfg, simChainID, dep.Rollup
	n.seqCfg.Rollup = l1.NewReader(n.client, dep.Rollup, dep.Block, l1.DefaultFinality)
	n.seqCfg.BatchDelay, n.seqCfg.PollInterval, n.seqCfg.L1PollInterval = 300*time.Millisecond, 50*time.Millisecond, 100*time.Millisecond
	return n
}

func (n *simnet) start(s interface {
	Start(context.Context) error
	Stop(context.Context) error
}) {
	n.t.Helper()
	if err := s.Start(n.ctx); err != nil {
		n.t.Fatal(err)
	}
	n.t.Cleanup(func() {
		c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.Stop(c); err != nil {
			n.t.Errorf("stop %T: %v", s, err)
		}
	})
}

// startSequencer starts a sequencer with cfg (the harness's own when nil).
func (n *simnet) startSequencer(cfg *sequencer.Config) (*sequencer.Sequencer, error) {
	c := n.seqCfg
	if cfg != nil {
		c = *cfg
	}
	s, err := sequencer.New(c, n.pool, n.log.With("component", "sequencer"), prometheus.NewRegistry())
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(n.ctx, time.Minute)
	defer cancel()
	if err := s.Start(ctx); err != nil {
		return nil, err
	}
	n.t.Cleanup(func() { _ = s.Stop(context.Background()) })
	return s, nil
}

// send makes an L1 call from key with value and returns its receipt.
func (n *simnet) send(key *ecdsa.PrivateKey, value *big.Int, data []byte) *types.Receipt {
	n.t.Helper()
	opts := bind.NewKeyedTransactor(key, big.NewInt(simChainID))
	opts.Context, opts.Value = n.ctx, value
	tx, err := bind.Transact(n.rollup.Instance(n.client, n.dep.Rollup), opts, data)
	if err != nil {
		n.t.Fatal(err)
	}
	r, err := bind.WaitMined(n.ctx, n.client, tx.Hash())
	if err != nil {
		n.t.Fatal(err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		n.t.Fatalf("L1 transaction %s reverted", tx.Hash())
	}
	return r
}

func (n *simnet) deposit(from *ecdsa.PrivateKey, to protocol.PublicKey, amount *big.Int) {
	n.t.Helper()
	n.send(from, amount, n.rollup.PackDeposit(protocol.FrToBig(to.X), protocol.FrToBig(to.Y)))
}

// index waits until key has an account in the pending state.
func (n *simnet) index(pk protocol.PublicKey) uint32 {
	n.t.Helper()
	var idx uint32
	n.waitFor("an account for the key", func() (bool, error) {
		i, err := n.seq.AccountIndex(n.ctx, pk)
		if errors.Is(err, api.ErrNotFound) {
			return false, nil
		}
		idx = i
		return err == nil, err
	})
	return idx
}

// waitBalance waits until account idx's pending balance is at least min.
func (n *simnet) waitBalance(idx uint32, min *big.Int) {
	n.t.Helper()
	n.waitFor(fmt.Sprintf("account %d to hold %s", idx, min), func() (bool, error) {
		a, err := n.seq.Account(n.ctx, idx)
		if err != nil {
			return false, err
		}
		b, _ := new(big.Int).SetString(string(a.Pending.Balance), 10)
		return b.Cmp(min) >= 0, nil
	})
}

func (n *simnet) transfer(key protocol.PrivateKey, from, to uint32, amount, fee *big.Int) common.Hash {
	n.t.Helper()
	acc, err := n.seq.Account(n.ctx, from)
	if err != nil {
		n.t.Fatal(err)
	}
	tx := &protocol.Transfer{From: from, To: to, Amount: u256(amount), Fee: u256(fee), Nonce: acc.Pending.Nonce}
	if err := tx.Sign(key, protocol.DomainState(simChainID, n.dep.Rollup)); err != nil {
		n.t.Fatal(err)
	}
	h, err := n.seq.SendTransfer(n.ctx, tx)
	if err != nil {
		n.t.Fatalf("transfer %d→%d: %v", from, to, err)
	}
	return h
}

func (n *simnet) waitFor(what string, cond func() (bool, error)) {
	n.t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		select {
		case <-n.seq.Done():
			n.t.Fatalf("waiting for %s: sequencer stopped: %v", what, n.seq.Err())
		case <-n.sub.Done():
			n.t.Fatalf("waiting for %s: submitter stopped: %v", what, n.sub.Err())
		case <-n.w.Done():
			n.t.Fatalf("waiting for %s: watcher stopped: %v", what, n.w.Err())
		default:
		}
		ok, err := cond()
		if err != nil {
			n.t.Fatalf("waiting for %s: %v", what, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			n.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitFinalized waits until every transaction in hashes and every batch is
// finalized on L1 (none failed).
func (n *simnet) waitFinalized(hashes ...common.Hash) {
	n.t.Helper()
	n.waitFor("every transaction and batch finalized", func() (bool, error) {
		for _, h := range hashes {
			info, err := n.seq.Transaction(n.ctx, h)
			if err != nil {
				return false, err
			}
			if info.Status == api.StatusRejected {
				return false, fmt.Errorf("transaction %s rejected: %s", h, info.Reason)
			}
			if info.Status != api.StatusFinalized {
				return false, nil
			}
		}
		var open, failed int
		if err := n.pool.QueryRow(n.ctx, `SELECT count(*) FILTER (WHERE status <> 'finalized'), count(*) FILTER (WHERE status = 'failed') FROM batches`).
			Scan(&open, &failed); err != nil {
			return false, err
		}
		if failed > 0 {
			return false, fmt.Errorf("%d batches failed", failed)
		}
		return open == 0, nil
	})
}

func callMsg(to common.Address, data []byte) ethereum.CallMsg {
	return ethereum.CallMsg{To: &to, Data: data}
}

// lastBatch is the contract's.
func (n *simnet) lastBatch() uint64 {
	n.t.Helper()
	out, err := n.client.CallContract(n.ctx, callMsg(n.dep.Rollup, n.rollup.PackLastBatch()), nil)
	if err != nil {
		n.t.Fatal(err)
	}
	v, err := n.rollup.UnpackLastBatch(out)
	if err != nil {
		n.t.Fatal(err)
	}
	return v
}

// audit runs the audit engine over the whole chain (to the head) and
// checks that it passes and agrees with the contract.
func (n *simnet) audit() *audit.Auditor {
	n.t.Helper()
	cfg := audit.DefaultConfig
	cfg.Contract, cfg.FromBlock, cfg.Finality = n.dep.Rollup, n.dep.Block, l1.Finality{}
	a, err := audit.New(cfg, n.client, n.circuit.Keys.VK, n.log.With("component", "audit"))
	if err != nil {
		n.t.Fatal(err)
	}
	rep, err := a.Run(n.ctx)
	if err != nil {
		n.t.Fatalf("audit: %v", err)
	}
	if !rep.OK || rep.LastBatch == 0 || rep.Root != rep.ContractRoot {
		n.t.Fatalf("audit report %+v", rep)
	}
	return a
}

// headerFeeAccounts maps batch number to the fee account in its stored header.
func (n *simnet) headerFeeAccounts() map[uint64]uint32 {
	n.t.Helper()
	rows, err := n.pool.Query(n.ctx, `SELECT number, header FROM batches ORDER BY number`)
	if err != nil {
		n.t.Fatal(err)
	}
	defer rows.Close()
	out := map[uint64]uint32{}
	for rows.Next() {
		var num int64
		var h []byte
		if err := rows.Scan(&num, &h); err != nil {
			n.t.Fatal(err)
		}
		if len(h) != protocol.HeaderSize {
			n.t.Fatalf("batch %d header is %d bytes", num, len(h))
		}
		b := h[protocol.HeaderSize-4:]
		out[uint64(num)] = uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	}
	if err := rows.Err(); err != nil {
		n.t.Fatal(err)
	}
	return out
}

var (
	liveFee    = big.NewInt(1_000_000_000_000) // 10^12 wei, a fee float
	liveAmount = wei(10)
)

// TestLivenessFeeAccountChange: the owner changes the fee account on L1
// while batches are in flight. The contract announces the batch number it
// takes effect from; the sequencer, which reads the fee account from the
// contract, seals every earlier batch with the old account and every later
// one with the new; every batch is accepted (none sealed before the change
// is invalidated), the chain advances past the change, fees land where
// the contract said, and the audit passes.
func TestLivenessFeeAccountChange(t *testing.T) {
	op := protocoltest.Keys(501, 1)[0]
	const delay = 2
	n := startSimnet(t, op, delay)
	var err error
	if n.seq, err = n.startSequencer(nil); err != nil {
		t.Fatal(err)
	}
	users := protocoltest.Keys(502, 2)
	n.deposit(simUsers[0], users[0].Public(), ether)
	n.deposit(simUsers[1], users[1].Public(), ether)
	a, b := n.index(users[0].Public()), n.index(users[1].Public())
	n.waitBalance(b, ether)
	if a != 2 || b != 3 {
		t.Fatalf("deposits opened accounts %d, %d; want 2, 3 (1 is the genesis fee account)", a, b)
	}
	var hashes []common.Hash
	send := func() common.Hash {
		h := n.transfer(users[0], a, b, liveAmount, liveFee)
		hashes = append(hashes, h)
		return h
	}
	// Traffic until at least one batch is accepted, then the change while
	// a sealed batch is still unsubmitted.
	send()
	n.waitFor("a batch accepted on L1", func() (bool, error) { return n.lastBatch() >= 1, nil })
	h := send()
	n.waitFor("a sealed batch in flight", func() (bool, error) {
		info, err := n.seq.Transaction(n.ctx, h)
		return err == nil && info.Status == api.StatusSealed, err
	})
	r := n.send(simOwner, nil, n.rollup.PackSetFeeAccount(a))
	ev, err := n.rollup.UnpackFeeAccountScheduledEvent(r.Logs[0])
	if err != nil || ev.FeeAccount != a {
		t.Fatalf("FeeAccountScheduled %+v %v", ev, err)
	}
	from := ev.FromBatch
	t.Logf("fee account %d from batch %d (announced after batch %d)", a, from, from-1-delay)
	// The chain goes on past the change.
	for n.lastBatch() < from+1 {
		h := send()
		n.waitFor("the transfer accepted on L1", func() (bool, error) {
			info, err := n.seq.Transaction(n.ctx, h)
			return err == nil && (info.Status == api.StatusSubmitted || info.Status == api.StatusFinalized), err
		})
		if len(hashes) > 12 {
			t.Fatal("the chain does not advance past the change")
		}
	}
	n.waitFinalized(hashes...)

	// Headers: the old account before `from`, the new one from it on.
	var oldFees, newFees int64
	for num, fee := range n.headerFeeAccounts() {
		want := uint32(protocol.FeeAccountIndex)
		if num >= from {
			want = a
		}
		if fee != want {
			t.Errorf("batch %d names fee account %d, want %d", num, fee, want)
		}
		var cnt int64
		if err := n.pool.QueryRow(n.ctx, `SELECT count(*) FROM transactions WHERE batch_number = $1`, int64(num)).Scan(&cnt); err != nil {
			t.Fatal(err)
		}
		if num >= from {
			newFees += cnt
		} else {
			oldFees += cnt
		}
	}
	if oldFees == 0 || newFees == 0 {
		t.Fatalf("transactions before/after the change: %d/%d, want both", oldFees, newFees)
	}
	// Fees went where the contract said: the audit's rebuilt state.
	au := n.audit()
	acc1, _ := au.State().Account(protocol.FeeAccountIndex)
	if want := new(big.Int).Mul(liveFee, big.NewInt(oldFees)); acc1.Balance.ToBig().Cmp(want) != 0 || acc1.PubKey != op.Public() {
		t.Fatalf("account 1 holds %s, want the %d fees before the change (%s)", acc1.Balance.Dec(), oldFees, want)
	}
	accA, _ := au.State().Account(a)
	spent := new(big.Int).Mul(new(big.Int).Add(liveAmount, liveFee), big.NewInt(int64(len(hashes))))
	want := new(big.Int).Sub(ether, spent)
	want.Add(want, new(big.Int).Mul(liveFee, big.NewInt(newFees)))
	if accA.Balance.ToBig().Cmp(want) != 0 {
		t.Fatalf("account %d holds %s, want %s (its fees after the change included)", a, accA.Balance.Dec(), want)
	}
	if ci := n.seq.ChainInfo(); ci.FeeAccount != a {
		t.Fatalf("chain info fee account %d, want %d", ci.FeeAccount, a)
	}
}

// TestLivenessGenesisFeeAccount: the fee account exists from genesis with
// the operator's key, so a depositor who deposits before the operator does
// anything gets account 2, and every fee goes to the operator's key.
func TestLivenessGenesisFeeAccount(t *testing.T) {
	op := protocoltest.Keys(511, 1)[0]
	n := startSimnet(t, op, 8)
	var err error
	if n.seq, err = n.startSequencer(nil); err != nil {
		t.Fatal(err)
	}
	if idx := n.index(op.Public()); idx != protocol.FeeAccountIndex {
		t.Fatalf("the operator's key holds account %d at genesis, want 1", idx)
	}
	// The first depositor of all.
	keys := protocoltest.Keys(512, 2)
	early, user := keys[0], keys[1]
	n.deposit(simUsers[0], early.Public(), ether)
	n.deposit(simUsers[1], user.Public(), ether)
	e, u := n.index(early.Public()), n.index(user.Public())
	n.waitBalance(u, ether)
	if e == protocol.FeeAccountIndex || e != 2 || u != 3 {
		t.Fatalf("first depositor got account %d, second %d; want 2 and 3", e, u)
	}
	hashes := []common.Hash{
		n.transfer(early, e, u, liveAmount, liveFee),
		n.transfer(user, u, e, liveAmount, liveFee),
		n.transfer(early, e, u, liveAmount, liveFee),
	}
	n.waitFinalized(hashes...)
	before := n.lastBatch()
	au := n.audit()
	acc1, _ := au.State().Account(protocol.FeeAccountIndex)
	if want := new(big.Int).Mul(liveFee, big.NewInt(3)); acc1.PubKey != op.Public() || acc1.Balance.ToBig().Cmp(want) != 0 {
		t.Fatalf("account 1: key %x, balance %s; want the operator's key and %s", acc1.PubKey.Bytes(), acc1.Balance.Dec(), want)
	}
	accE, _ := au.State().Account(e)
	// Sent two transfers, received one: −amount − 2 fees.
	if want := new(big.Int).Sub(ether, new(big.Int).Add(liveAmount, new(big.Int).Mul(liveFee, big.NewInt(2)))); accE.PubKey != early.Public() || accE.Balance.ToBig().Cmp(want) != 0 {
		t.Fatalf("first depositor's account %d holds %s, want %s", e, accE.Balance.Dec(), want)
	}
	if before < 3 {
		t.Fatalf("contract at batch %d: want both deposits' batches and the transfers'", before)
	}
}

// TestLivenessConfigMismatch: a sequencer configured with a circuit or chain
// the contract does not have refuses to start, naming both values, and
// records nothing; the right one then starts on the same database and the
// chain advances.
func TestLivenessConfigMismatch(t *testing.T) {
	op := protocoltest.Keys(521, 1)[0]
	n := startSimnet(t, op, 8)
	wrong := []struct {
		mut  func(*sequencer.Config)
		want []string
	}{
		{func(c *sequencer.Config) { c.Circuit.Transfers = 4 }, []string{"configured circuit d4-dep1-tx4-wd1", "has circuit d4-dep1-tx2-wd1"}},
		{func(c *sequencer.Config) { c.ChainID = 31337 }, []string{"chain 31337", "chain 1337"}},
		{func(c *sequencer.Config) { c.Contract = common.HexToAddress("0x5eaf01") }, []string{common.HexToAddress("0x5eaf01").Hex(), n.dep.Rollup.Hex()}},
	}
	for _, w := range wrong {
		cfg := n.seqCfg
		w.mut(&cfg)
		_, err := n.startSequencer(&cfg)
		if !errors.Is(err, sequencer.ErrContractMismatch) {
			t.Fatalf("started with a wrong configuration: %v", err)
		}
		for _, s := range w.want {
			if !strings.Contains(err.Error(), s) {
				t.Fatalf("error %q does not name %q", err, s)
			}
		}
		t.Log(err)
	}
	var rows int
	if err := n.pool.QueryRow(n.ctx, `SELECT count(*) FROM sequencer_state`).Scan(&rows); err != nil || rows != 0 {
		t.Fatalf("sequencer_state rows after refused starts: %d (%v)", rows, err)
	}
	var err error
	if n.seq, err = n.startSequencer(nil); err != nil {
		t.Fatal(err)
	}
	user := protocoltest.Keys(522, 1)[0]
	n.deposit(simUsers[0], user.Public(), ether)
	u := n.index(user.Public())
	n.waitBalance(u, ether)
	h := n.transfer(user, u, protocol.FeeAccountIndex, liveAmount, liveFee)
	n.waitFinalized(h)
	if n.lastBatch() < 2 {
		t.Fatalf("contract at batch %d, want the deposit's and the transfer's", n.lastBatch())
	}
	n.audit()
}
