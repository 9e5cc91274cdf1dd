package e2e

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/consensys/gnark/constraint"
	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/audit"
	"github.com/sheafrollup/sheaf/circuits/exit"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/exodus"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// exodusCfg has forced-exit slots; it is the circuits package's forced-exit
// test configuration, so its keys are usually cached on disk already.
var exodusCfg = protocol.Config{Depth: 4, Deposits: 1, ForcedExits: 2, Transfers: 1, Withdrawals: 1}

const (
	// exodusExpiry is the devnet's priority-queue deadline; the tests move
	// anvil's clock past it.
	exodusExpiry = time.Hour
)

// exodusEnv is the common start of TestExodus and TestCensoredForcedExit:
// a devnet with forced-exit slots and the real exit verifier, L2 accounts
// 1 (the operator's fee key), 2 (user A) and 3 (user B) funded by deposits
// and transfers, every batch finalized; and the sheaf binary to drive.
type exodusEnv struct {
	*env
	bin                             string
	eccs                            constraint.ConstraintSystem
	eset                            *keys.Set
	dir                             string
	seqKey, userA, userB, helperKey *ecdsa.PrivateKey
	depA, depB, fxFee               *big.Int
}

func startExodus(t *testing.T, ctx context.Context) *exodusEnv {
	t.Helper()
	start := time.Now()
	log := slog.New(slog.NewTextHandler(tlog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	x := &exodusEnv{bin: buildSheaf(t), dir: t.TempDir(), fxFee: wei(1)}
	var err error
	if x.eccs, err = exit.Compile(exodusCfg.Depth); err != nil {
		t.Fatal(err)
	}
	if x.eset, err = keys.Cached(ctx, protocol.Config{Depth: exodusCfg.Depth}, x.eccs, keys.SetupOptions{Circuit: keys.CircuitExit}); err != nil {
		t.Fatal(err)
	}
	x.seqKey = mustKey(t, "sheaf e2e exodus sequencer")
	x.userA, x.userB = mustKey(t, "sheaf e2e exodus user A"), mustKey(t, "sheaf e2e exodus user B")
	x.helperKey = mustKey(t, "sheaf e2e exodus helper")
	funds := map[*ecdsa.PrivateKey]*big.Int{}
	for _, k := range []*ecdsa.PrivateKey{x.seqKey, x.userA, x.userB, x.helperKey} {
		funds[k] = new(big.Int).Mul(big.NewInt(100), ether)
	}
	x.env = startDevnet(t, ctx, log, devnetConfig{circuit: exodusCfg, batchDelay: 500 * time.Millisecond,
		seqKey: x.seqKey, funds: funds, l2Keys: protocoltest.Keys(31339, 3), exitKeys: x.eset,
		priorityExpiry: exodusExpiry, forcedExitFee: x.fxFee})
	e := x.env

	// Deposits: A to key 1, B to key 2 (key 0 is the operator's fee key,
	// account 1 from genesis).
	x.depA, x.depB = new(big.Int).Set(ether), new(big.Int).Mul(big.NewInt(2), ether)
	for i, d := range []struct {
		from   *ecdsa.PrivateKey
		amount *big.Int
	}{{x.userA, x.depA}, {x.userB, x.depB}} {
		pk := e.l2Keys[i+1].Public()
		e.transact(d.from, d.amount, e.rollup.PackDeposit(protocol.FrToBig(pk.X), protocol.FrToBig(pk.Y)))
	}
	e.waitFor("both deposits on L2", time.Minute, func() (bool, error) {
		e.indexes = e.indexes[:0]
		for _, k := range e.l2Keys {
			idx, err := e.seq.AccountIndex(ctx, k.Public())
			if err != nil {
				return false, nil
			}
			e.indexes = append(e.indexes, idx)
		}
		return true, nil
	})
	if e.indexes[0] != 1 || e.indexes[1] != 2 || e.indexes[2] != 3 {
		t.Fatalf("accounts %v, want [1 2 3]", e.indexes)
	}
	fee := big.NewInt(1_000_000_000_000)
	e.waitFinalized([]common.Hash{
		e.transfer(1, 2, wei(300), fee),
		e.transfer(2, 1, wei(100), fee),
		e.transfer(2, 0, wei(10), fee),
	}, finalizeDeadline)
	t.Logf("traffic finalized on L1 (%v)", time.Since(start).Round(time.Millisecond))
	return x
}

// run runs the sheaf binary against the devnet's L1 (no operator API).
func (x *exodusEnv) run(args ...string) (string, error) {
	t := x.t
	t.Helper()
	cmd := exec.CommandContext(x.ctx, x.bin, append([]string{"--log.level", "warn"}, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	cmd.Env = append(os.Environ(), "SHEAF_L1_RPC="+x.url, "SHEAF_L1_CONTRACT="+x.dep.Rollup.Hex(),
		"SHEAF_AUDIT_FROM_BLOCK="+strconv.FormatUint(x.dep.Block, 10))
	out, err := cmd.Output()
	t.Logf("sheaf %s: %s%s", args[0], stderr.String(), out)
	if err != nil {
		return string(out), &cliError{err, stderr.String()}
	}
	return string(out), nil
}

// keyFile writes k as an L1 key file.
func (x *exodusEnv) keyFile(name string, k *ecdsa.PrivateKey) string {
	p := filepath.Join(x.dir, name)
	if err := os.WriteFile(p, []byte(hex.EncodeToString(crypto.FromECDSA(k))), 0o600); err != nil {
		x.t.Fatal(err)
	}
	return p
}

// wallet writes L2 key i as a wallet key file pinned to the deployment.
func (x *exodusEnv) wallet(name string, i int) string {
	p := filepath.Join(x.dir, name)
	if err := client.SaveKeyFile(p, x.l2Keys[i], &client.Domain{ChainID: anvilChainID, Contract: x.dep.Rollup}); err != nil {
		x.t.Fatal(err)
	}
	return p
}

func (x *exodusEnv) pendingOf(a common.Address) *big.Int {
	x.t.Helper()
	v, err := x.rollup.UnpackPendingWithdrawals(x.call(x.rollup.PackPendingWithdrawals(a)))
	if err != nil {
		x.t.Fatal(err)
	}
	return v
}

// forceExit requests, with `sheaf wallet force-exit`, the exit of L2 key
// i's account to its L1 key's address, at the account's sealed nonce (the
// index and nonce are given as flags: the devnet serves no API), and
// returns the queue index the command printed.
func (x *exodusEnv) forceExit(i int, l1Key *ecdsa.PrivateKey) uint64 {
	t := x.t
	t.Helper()
	acc, err := x.seq.Account(x.ctx, x.indexes[i])
	if err != nil {
		t.Fatal(err)
	}
	out, err := x.run("wallet", "force-exit", "--wallet.file", x.wallet(fmt.Sprintf("fx%d.json", i), i),
		"--l1.key-file", x.keyFile(fmt.Sprintf("fx%d.hex", i), l1Key),
		"--exit.index", strconv.FormatUint(uint64(x.indexes[i]), 10), "--exit.nonce", strconv.FormatUint(uint64(acc.Sealed.Nonce), 10))
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		QueueIndex uint64         `json:"queueIndex"`
		Account    uint32         `json:"account"`
		Recipient  common.Address `json:"recipient"`
		Fee        string         `json:"fee"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if res.Account != x.indexes[i] || res.Recipient != crypto.PubkeyToAddress(l1Key.PublicKey) || res.Fee != x.fxFee.String() {
		t.Fatalf("force-exit printed %+v", res)
	}
	return res.QueueIndex
}

// stopOperator stops the whole operator: the sequencer (no batch is
// sealed), the prover (none is proven), the submitter (none reaches L1)
// and the watcher (nothing L1 queues reaches L2). Each must have ended.
func (x *exodusEnv) stopOperator() {
	stopCtx, stopCancel := context.WithTimeout(x.ctx, 30*time.Second)
	defer stopCancel()
	for _, s := range []struct {
		name string
		svc  interface {
			Stop(context.Context) error
			Done() <-chan struct{}
		}
	}{{"sequencer", x.seq}, {"prover", x.prv}, {"submitter", x.sub}, {"watcher", x.w}} {
		if err := s.svc.Stop(stopCtx); err != nil {
			x.t.Fatalf("stop the %s: %v", s.name, err)
		}
		select {
		case <-s.svc.Done():
		default:
			x.t.Fatalf("the %s still runs after Stop", s.name)
		}
	}
}

var (
	rollupABI = func() *abi.ABI {
		a, err := bindings.RollupMetaData.ParseABI()
		if err != nil {
			panic(err)
		}
		return a
	}()
	// exitVerifierABI is the gnark verifier's: its errors, which the
	// rollup's exit passes on, and verifyProof with the exit circuit's four
	// public inputs.
	exitVerifierABI = func() *abi.ABI {
		a, err := abi.JSON(strings.NewReader(`[{"type":"error","name":"ProofInvalid","inputs":[]},
			{"type":"error","name":"PublicInputNotInField","inputs":[]},
			{"type":"function","name":"verifyProof","stateMutability":"view","outputs":[],
			 "inputs":[{"name":"proof","type":"bytes"},{"name":"input","type":"uint256[4]"}]}]`))
		if err != nil {
			panic(err)
		}
		return &a
	}()
)

// revertName names the contract's (or the exit verifier's) custom error
// in err ("" if none).
func revertName(err error) string {
	name, _ := l1.RevertName(err, rollupABI, exitVerifierABI)
	return name
}

// simulate calls the rollup from key with value and data at the head
// block; nil when the call would succeed.
func (x *exodusEnv) simulate(key *ecdsa.PrivateKey, value *big.Int, data []byte) error {
	_, err := x.client.CallContract(x.ctx, ethereum.CallMsg{From: crypto.PubkeyToAddress(key.PublicKey), To: &x.addr, Value: value, Data: data}, nil)
	return err
}

// refusal is a transaction the rollup must revert with the custom error
// want.
type refusal struct {
	what  string
	key   *ecdsa.PrivateKey
	value *big.Int
	data  []byte
	want  string
}

// refused checks each refusal: its call reverts with the custom error it
// names; then its transaction, sent anyway (a gas limit is given, so
// nothing estimates it first), is mined and fails. All are sent before any
// is waited for (anvil mines a block a second), and the contract's ETH is
// the same after them as before.
func (x *exodusEnv) refused(rs ...refusal) {
	t := x.t
	t.Helper()
	for _, r := range rs {
		err := x.simulate(r.key, r.value, r.data)
		if got := revertName(err); got != r.want {
			t.Fatalf("%s: %v (%q), want revert %s", r.what, err, got, r.want)
		}
	}
	held := x.balance(x.addr, nil)
	nonces := map[*ecdsa.PrivateKey]uint64{}
	txs := make([]*types.Transaction, len(rs))
	for i, r := range rs {
		n, ok := nonces[r.key]
		if !ok {
			var err error
			if n, err = x.client.PendingNonceAt(x.ctx, crypto.PubkeyToAddress(r.key.PublicKey)); err != nil {
				t.Fatal(err)
			}
		}
		nonces[r.key] = n + 1
		opts := bind.NewKeyedTransactor(r.key, big.NewInt(anvilChainID))
		opts.Context, opts.Value, opts.GasLimit, opts.Nonce = x.ctx, r.value, 3_000_000, new(big.Int).SetUint64(n)
		tx, err := bind.Transact(x.rollup.Instance(x.client, x.addr), opts, r.data)
		if err != nil {
			t.Fatalf("%s: send: %v", r.what, err)
		}
		txs[i] = tx
	}
	for i, r := range rs {
		// Polled every 50 ms: bind.WaitMined waits a whole second between tries.
		var rc *types.Receipt
		for rc == nil {
			var err error
			if rc, err = x.client.TransactionReceipt(x.ctx, txs[i].Hash()); errors.Is(err, ethereum.NotFound) {
				time.Sleep(50 * time.Millisecond)
			} else if err != nil {
				t.Fatalf("%s: receipt: %v", r.what, err)
			}
		}
		if rc.Status != types.ReceiptStatusFailed {
			t.Fatalf("%s: transaction %s succeeded", r.what, txs[i].Hash())
		}
		t.Logf("%s: reverted with %s (transaction %s, block %d)", r.what, r.want, txs[i].Hash(), rc.BlockNumber)
	}
	if now := x.balance(x.addr, nil); now.Cmp(held) != 0 {
		t.Fatalf("the contract held %s, holds %s after the reverted transactions", held, now)
	}
}

// rebuild rebuilds the L2 state from L1 alone, as `sheaf exit` does.
func (x *exodusEnv) rebuild() *exodus.Exiter {
	x.t.Helper()
	ex, err := exodus.New(exodus.Config{Contract: x.dep.Rollup, FromBlock: x.dep.Block, BatchBlocks: audit.DefaultConfig.BatchBlocks}, x.client, nil)
	if err != nil {
		x.t.Fatal(err)
	}
	if _, err := ex.Rebuild(x.ctx); err != nil {
		x.t.Fatal(err)
	}
	return ex
}

// proveExit builds what `sheaf exit` sends for account index paying to,
// signed by L2 key i, in ex's rebuilt state: the claim and the proof.
func (x *exodusEnv) proveExit(ex *exodus.Exiter, i int, index uint32, to common.Address) (*protocol.ExitClaim, []byte) {
	t := x.t
	t.Helper()
	sig, err := protocol.SignExodus(x.l2Keys[i], protocol.DomainState(anvilChainID, x.dep.Rollup), index, to)
	if err != nil {
		t.Fatal(err)
	}
	claim, err := ex.Claim(index, to, sig)
	if err != nil {
		t.Fatal(err)
	}
	proof, err := exodus.Prove(claim, exodusCfg.Depth, x.eccs, x.eset.PK)
	if err != nil {
		t.Fatal(err)
	}
	return claim, proof
}

// exitVerifies checks that the deployed exit verifier accepts proof for
// claim against claim's own root (a call to it with the public inputs the
// rollup's exit would pass if its state root were claim's).
func (x *exodusEnv) exitVerifies(claim *protocol.ExitClaim, proof []byte) {
	t := x.t
	t.Helper()
	domain := new(big.Int).Lsh(new(big.Int).SetUint64(anvilChainID), 160)
	domain.Or(domain, new(big.Int).SetBytes(x.dep.Rollup.Bytes()))
	leaf := new(big.Int).Lsh(new(big.Int).SetUint64(uint64(claim.Index)), 160)
	leaf.Or(leaf, new(big.Int).SetBytes(claim.Recipient[:]))
	data, err := exitVerifierABI.Pack("verifyProof", proof, [4]*big.Int{protocol.FrToBig(claim.Root), domain, leaf, claim.Account.Balance.ToBig()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.client.CallContract(x.ctx, ethereum.CallMsg{To: &x.dep.ExitVerifier, Data: data}, nil); err != nil {
		t.Fatalf("the exit verifier refuses account %d's proof against its own root: %v (%s)", claim.Index, err, revertName(err))
	}
}

func (x *exodusEnv) exited(index uint32) bool {
	x.t.Helper()
	done, err := x.rollup.UnpackExited(x.call(x.rollup.PackExited(index)))
	if err != nil {
		x.t.Fatal(err)
	}
	return done
}

// lastBalances reads every account's balance in the last batch (every
// batch is finalized when the operator stops).
func (x *exodusEnv) lastBalances() map[uint32]*big.Int {
	last := map[uint32]*big.Int{}
	for _, idx := range x.indexes {
		var s string
		if err := x.pool.QueryRow(x.ctx, `SELECT balance::text FROM accounts WHERE idx = $1`, idx).Scan(&s); err != nil {
			x.t.Fatal(err)
		}
		last[idx], _ = new(big.Int).SetString(s, 10)
	}
	return last
}

// passDeadline moves anvil's clock past the queue's expiry.
func (x *exodusEnv) passDeadline() {
	if err := x.client.Client().CallContext(x.ctx, nil, "evm_increaseTime", int64((exodusExpiry+time.Minute)/time.Second)); err != nil {
		x.t.Fatal(err)
	}
	if err := x.client.Client().CallContext(x.ctx, nil, "evm_mine"); err != nil {
		x.t.Fatal(err)
	}
}

// audit runs `sheaf audit` from L1 and decodes its report.
func (x *exodusEnv) audit() audit.Report {
	batchKeys := filepath.Join(x.dir, "batch-keys")
	if _, err := os.Stat(batchKeys); err != nil {
		if err := x.circuit.Keys.Write(batchKeys); err != nil {
			x.t.Fatal(err)
		}
	}
	out, err := x.run("audit", "--json", "--audit.confirmations", "0", "--audit.vk", batchKeys)
	if err != nil {
		x.t.Fatal(err)
	}
	var rep audit.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		x.t.Fatalf("%v\n%s", err, out)
	}
	return rep
}

func decodeResult(t *testing.T, out string) exodus.Result {
	t.Helper()
	var res exodus.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return res
}

// TestExodus: deposits and transfers are proven and finalized on anvil;
// user A requests a forced exit with `sheaf wallet force-exit` and the
// honest sequencer includes it (A is credited exactly its balance on L1,
// its L2 balance becomes 0); then the operator stops (sequencer, prover,
// submitter and watcher), a deposit waits in the queue past its deadline,
// anyone activates exodus (`sheaf exodus activate`); deposits,
// forced-exit requests and batches revert with Frozen; exits sent to the
// contract directly with a wrong balance, another recipient, or A's
// pre-forced-exit balance proven against that older root revert with
// ProofInvalid; every account holder gets exactly its last proven L2
// balance with `sheaf exit` — the operator and A (nothing left but its
// queued deposit, refunded once) with their key files, user B through a
// helper holding only a detached exodus signature; a second exit is
// refused by `sheaf exit` and by the contract (AlreadyExited), a second
// refund by the contract (NotRefundable), every refused transaction mined
// and reverted with the contract's ETH unchanged; the contract's ETH is
// exactly what is claimable; `sheaf audit` checks the forced exit and the
// exodus state.
func TestExodus(t *testing.T) {
	if testing.Short() {
		t.Skip("starts anvil, proves batches and exits: skipped in -short")
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	t.Cleanup(cancel)
	x := startExodus(t, ctx)
	e := x.env
	userA, userB, seqKey := x.userA, x.userB, x.seqKey
	addrA, addrB, addrOp := crypto.PubkeyToAddress(userA.PublicKey), crypto.PubkeyToAddress(userB.PublicKey), crypto.PubkeyToAddress(seqKey.PublicKey)
	deployer := crypto.PubkeyToAddress(mustDeployer(t).PublicKey)
	addrHelper := crypto.PubkeyToAddress(x.helperKey.PublicKey)

	// A forces its exit through L1; the honest sequencer includes it.
	accA, err := e.seq.Account(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	forcedA, ok := new(big.Int).SetString(string(accA.Sealed.Balance), 10)
	if !ok || forcedA.Sign() <= 0 || accA.Pending != accA.Sealed {
		t.Fatalf("A's account before its forced exit: %+v", accA)
	}
	// The state before the forced exit, rebuilt from L1: an older root, in
	// which A still holds forcedA.
	old := x.rebuild()
	if a, ok := old.State().Account(2); !ok || a.Balance.ToBig().Cmp(forcedA) != 0 {
		t.Fatalf("account 2 in the rebuilt state before the forced exit: %+v, want balance %s", a, forcedA)
	}
	x.forceExit(1, userA)
	e.waitFor("A's forced exit credited on L1", finalizeDeadline, func() (bool, error) {
		return x.pendingOf(addrA).Sign() != 0, nil
	})
	e.waitFinalized(nil, finalizeDeadline)
	if got := x.pendingOf(addrA); got.Cmp(forcedA) != 0 {
		t.Fatalf("A's forced exit credited %s, want its whole balance %s", got, forcedA)
	}
	if acc, err := e.seq.Account(ctx, 2); err != nil || string(acc.Sealed.Balance) != "0" || acc.Sealed.Nonce != accA.Sealed.Nonce+1 {
		t.Fatalf("A's account after its forced exit: %+v, %v (want balance 0, nonce %d)", acc, err, accA.Sealed.Nonce+1)
	}
	if got := x.pendingOf(deployer); got.Cmp(x.fxFee) != 0 {
		t.Fatalf("the owner is owed %s in forced-exit fees, want %s", got, x.fxFee)
	}
	t.Logf("forced exit included and finalized (%v)", time.Since(start).Round(time.Millisecond))

	// The operator stops (sequencer, prover, submitter, watcher): nothing
	// reaches L2 or L1 any more. What follows uses L1 alone.
	x.stopOperator()
	last := x.lastBalances()
	if last[2].Sign() != 0 {
		t.Fatalf("A's last proven balance %s after its forced exit, want 0", last[2])
	}
	// A deposit no batch will consume.
	depLate := wei(500)
	pkA := e.l2Keys[1].Public()
	e.transact(userA, depLate, e.rollup.PackDeposit(protocol.FrToBig(pkA.X), protocol.FrToBig(pkA.Y)))
	tail, err := e.rollup.UnpackDepositTail(e.call(e.rollup.PackDepositTail()))
	if err != nil {
		t.Fatal(err)
	}
	qLate := tail - 1
	refundLate := e.rollup.PackRefundDeposit(qLate, pkA.Bytes(), depLate, addrA)

	exitKeys := filepath.Join(x.dir, "exit-keys")
	if err := x.eset.Write(exitKeys); err != nil {
		t.Fatal(err)
	}
	run := x.run

	// Before the deadline: no exodus, no exit.
	helperFile := x.keyFile("helper.hex", x.helperKey)
	if _, err := run("exodus", "activate", "--l1.key-file", helperFile); err == nil || !strings.Contains(err.Error(), "cannot activate exodus yet") {
		t.Fatalf("activate before the deadline: %v", err)
	}
	exitA := []string{"exit", "--json", "--wallet.file", x.wallet("a.json", 1), "--l1.key-file", x.keyFile("a.hex", userA), "--exit.keys", exitKeys}
	if _, err := run(exitA...); err == nil || !strings.Contains(err.Error(), "not in exodus mode") {
		t.Fatalf("exit before exodus: %v", err)
	}
	// Time passes the deadline; anyone activates exodus.
	x.passDeadline()
	if _, err := run("exodus", "activate", "--l1.key-file", helperFile); err != nil {
		t.Fatal(err)
	}
	// Frozen: no deposits, no forced-exit requests, no batches.
	now := x.rebuild() // the frozen state, from L1
	accB, _ := now.State().Account(3)
	fx := protocol.ForcedExit{Index: 3, Recipient: addrB, Nonce: accB.Nonce}
	if err := fx.Sign(e.l2Keys[2], protocol.DomainState(anvilChainID, e.dep.Rollup)); err != nil {
		t.Fatal(err)
	}
	var zero [32]byte
	frozen := []refusal{
		{"a deposit once frozen", userB, ether, e.rollup.PackDeposit(protocol.FrToBig(pkA.X), protocol.FrToBig(pkA.Y)), "Frozen"},
		{"a forced-exit request once frozen", userB, x.fxFee, e.rollup.PackRequestForcedExit(fx.Index, fx.Recipient, fx.Nonce,
			protocol.FrToBig(fx.Sig.R.X), protocol.FrToBig(fx.Sig.R.Y), protocol.FrToBig(fx.Sig.S)), "Frozen"},
		{"a batch once frozen", seqKey, nil, e.rollup.PackSubmitBatch(99, zero, zero, 0, 0, 0, 0, nil, nil, make([]byte, 256)), "Frozen"},
	}

	// Exits the contract must refuse, sent to it directly (sheaf exit
	// builds no such thing): each proof is valid for its own claim — the
	// exit verifier accepts it against its own root — but the claim sent
	// differs in the balance, the recipient or the root. B's proof is
	// exactly what B's honest exit sends (the call would succeed now).
	claimB, proofB := x.proveExit(now, 2, 3, addrB)
	balB := claimB.Account.Balance.ToBig()
	if balB.Cmp(last[3]) != 0 {
		t.Fatalf("B's balance in the state rebuilt from L1 is %s, the operator's last is %s", balB, last[3])
	}
	claimOld, proofOld := x.proveExit(old, 1, 2, addrA)
	if claimOld.Root == claimB.Root {
		t.Fatal("the state before the forced exit has the frozen root")
	}
	x.exitVerifies(claimB, proofB)
	x.exitVerifies(claimOld, proofOld)
	exitB := e.rollup.PackExit(3, addrB, balB, proofB)
	if err := x.simulate(x.helperKey, nil, exitB); err != nil {
		t.Fatalf("B's exit would revert: %v (%s)", err, revertName(err))
	}
	x.refused(append(frozen,
		refusal{"B's exit with its balance + 1", x.helperKey, nil, e.rollup.PackExit(3, addrB, sum(balB, big.NewInt(1)), proofB), "ProofInvalid"},
		refusal{"B's exit naming another recipient", x.helperKey, nil, e.rollup.PackExit(3, addrHelper, balB, proofB), "ProofInvalid"},
		refusal{"A's exit of its balance before the forced exit, proven against that older root", x.helperKey, nil,
			e.rollup.PackExit(2, addrA, claimOld.Account.Balance.ToBig(), proofOld), "ProofInvalid"})...)
	if x.exited(2) || x.exited(3) || x.pendingOf(addrB).Sign() != 0 || x.pendingOf(addrHelper).Sign() != 0 || x.pendingOf(addrA).Cmp(forcedA) != 0 {
		t.Fatal("a refused exit marked an account exited or credited someone")
	}
	if err := x.simulate(x.helperKey, nil, refundLate); err != nil {
		t.Fatalf("the refund of A's late deposit would revert: %v (%s)", err, revertName(err))
	}

	// A exits with its key file: its balance is 0 (paid by the forced
	// exit); its late deposit is refunded.
	out, err := run(exitA...)
	if err != nil {
		t.Fatal(err)
	}
	res := decodeResult(t, out)
	if res.Index != 2 || res.Balance != "0" || len(res.Refunds) != 1 || res.Refunds[0].Amount != depLate.String() || res.Refunds[0].QueueIndex != qLate {
		t.Fatalf("A's exit %+v, want 0 and a refund of %s (queue entry %d)", res, depLate, qLate)
	}
	// The operator exits its fee account.
	out, err = run("exit", "--json", "--wallet.file", x.wallet("op.json", 0), "--l1.key-file", x.keyFile("op.hex", seqKey), "--exit.keys", exitKeys)
	if err != nil {
		t.Fatal(err)
	}
	if res = decodeResult(t, out); res.Index != 1 || res.Balance != last[1].String() {
		t.Fatalf("operator's exit %+v, want %s", res, last[1])
	}
	// B signs; a helper exits B's account for B.
	sig := filepath.Join(x.dir, "b-exodus.json")
	if _, err := run("wallet", "sign-exodus", "--wallet.file", x.wallet("b.json", 2), "--wallet.index", "3",
		"--exit.recipient", addrB.Hex(), "--out", sig); err != nil {
		t.Fatal(err)
	}
	helper := []string{"exit", "--json", "--exit.signature", sig, "--l1.key-file", helperFile, "--exit.keys", exitKeys}
	out, err = run(helper...)
	if err != nil {
		t.Fatal(err)
	}
	if res = decodeResult(t, out); res.Index != 3 || res.Recipient != addrB || res.Balance != last[3].String() {
		t.Fatalf("B's exit %+v, want %s to %s", res, last[3], addrB)
	}
	// Once per account: sheaf exit refuses before sending; the contract
	// refuses the very exit that would have succeeded before B's, and a
	// second refund of A's deposit.
	if _, err := run(helper...); err == nil || !strings.Contains(err.Error(), "already exited") {
		t.Fatalf("second exit: %v", err)
	}
	x.refused(refusal{"a second exit of B", x.helperKey, nil, exitB, "AlreadyExited"},
		refusal{"a second refund of A's late deposit", x.helperKey, nil, refundLate, "NotRefundable"})

	// Everyone is paid exactly; the contract holds exactly what is owed.
	want := map[common.Address]*big.Int{addrA: sum(forcedA, depLate), addrB: last[3], addrOp: last[1], deployer: x.fxFee}
	owed := new(big.Int)
	for a, w := range want {
		if got := x.pendingOf(a); got.Cmp(w) != 0 {
			t.Fatalf("%s is owed %s, want %s", a, got, w)
		}
		owed.Add(owed, w)
	}
	if held := e.balance(e.dep.Rollup, nil); held.Cmp(owed) != 0 {
		t.Fatalf("the contract holds %s, owes %s", held, owed)
	}
	if total := sum(x.depA, x.depB, depLate, x.fxFee); owed.Cmp(total) != 0 {
		t.Fatalf("owed %s, paid in %s: nothing was claimed yet, so they must match", owed, total)
	}

	// B claims; the audit checks the forced exit and the exodus state.
	beforeB := e.balance(addrB, nil)
	if _, err := run("wallet", "claim", "--l1.key-file", x.keyFile("b.hex", userB)); err != nil {
		t.Fatal(err)
	}
	if got := new(big.Int).Sub(e.balance(addrB, nil), beforeB); got.Sign() <= 0 || got.Cmp(last[3]) > 0 {
		t.Fatalf("B's claim moved %s (owed %s, less gas)", got, last[3])
	}
	if rep := x.audit(); !rep.OK || !rep.Frozen || rep.ForcedExits != 1 || rep.ForcedValid != 1 ||
		rep.Exits != 3 || rep.Refunds != 1 || rep.Refunded != depLate.String() {
		t.Fatalf("audit %+v", rep)
	}
	t.Logf("exodus done (%v)", time.Since(start).Round(time.Millisecond))
}

// TestCensoredForcedExit: after traffic is proven and finalized, the
// operator stops reading L1 (its watcher stops; the sequencer, prover and
// submitter keep running and never see the request), so B's forced exit,
// requested with `sheaf wallet force-exit`, is never included; the
// deadline passes, anyone activates exodus, B exits with `sheaf exit` and
// is paid exactly its last proven balance; `sheaf audit` passes.
func TestCensoredForcedExit(t *testing.T) {
	if testing.Short() {
		t.Skip("starts anvil, proves batches and exits: skipped in -short")
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	t.Cleanup(cancel)
	x := startExodus(t, ctx)
	e := x.env
	addrB := crypto.PubkeyToAddress(x.userB.PublicKey)

	// The operator censors: its watcher stops, so no batch consumes what
	// L1 queues from now on.
	stopCtx, stopCancel := context.WithTimeout(ctx, 30*time.Second)
	if err := e.w.Stop(stopCtx); err != nil {
		t.Fatal(err)
	}
	stopCancel()
	last := x.lastBalances()
	q := x.forceExit(2, x.userB)
	// Still queued, not consumed, when the deadline passes: exodus.
	head, err := e.rollup.UnpackDepositHead(e.call(e.rollup.PackDepositHead()))
	if err != nil {
		t.Fatal(err)
	}
	if head > q {
		t.Fatalf("queue head %d is past the forced exit %d: it was consumed", head, q)
	}
	// Before the deadline the censored request is what exodus waits for.
	helperFile := x.keyFile("helper.hex", x.helperKey)
	if _, err := x.run("exodus", "activate", "--l1.key-file", helperFile); err == nil ||
		!strings.Contains(err.Error(), fmt.Sprintf("cannot activate exodus yet: the oldest unconsumed queue entry (%d)", q)) {
		t.Fatalf("activate before the deadline: %v", err)
	}
	x.passDeadline()
	if _, err := x.run("exodus", "activate", "--l1.key-file", helperFile); err != nil {
		t.Fatal(err)
	}
	exitKeys := filepath.Join(x.dir, "exit-keys")
	if err := x.eset.Write(exitKeys); err != nil {
		t.Fatal(err)
	}
	out, err := x.run("exit", "--json", "--wallet.file", x.wallet("b.json", 2), "--l1.key-file", x.keyFile("b.hex", x.userB), "--exit.keys", exitKeys)
	if err != nil {
		t.Fatal(err)
	}
	if res := decodeResult(t, out); res.Index != 3 || res.Recipient != addrB || res.Balance != last[3].String() || len(res.Refunds) != 0 {
		t.Fatalf("B's exit %+v, want %s to %s and no refund", res, last[3], addrB)
	}
	if got := x.pendingOf(addrB); got.Cmp(last[3]) != 0 {
		t.Fatalf("B is owed %s, want its last proven balance %s", got, last[3])
	}
	// The contract holds what it owes (B, the owner's fee) and what the
	// accounts not yet exited hold.
	owner := x.pendingOf(crypto.PubkeyToAddress(mustDeployer(t).PublicKey))
	if owner.Cmp(x.fxFee) != 0 {
		t.Fatalf("the owner is owed %s, want the forced-exit fee %s", owner, x.fxFee)
	}
	if held, want := e.balance(e.dep.Rollup, nil), sum(last[1], last[2], last[3], owner); held.Cmp(want) != 0 {
		t.Fatalf("the contract holds %s, want %s", held, want)
	}
	if rep := x.audit(); !rep.OK || !rep.Frozen || rep.ForcedExits != 0 || rep.Exits != 1 || rep.Exited != last[3].String() {
		t.Fatalf("audit %+v", rep)
	}
	t.Logf("censored forced exit, exodus, exit done (%v)", time.Since(start).Round(time.Millisecond))
}

// cliError keeps the command's stderr (its error message) in the error.
type cliError struct {
	err    error
	stderr string
}

func (c *cliError) Error() string { return c.err.Error() + ": " + c.stderr }

func mustDeployer(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.HexToECDSA(strings.TrimPrefix(anvilDevKey, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}
