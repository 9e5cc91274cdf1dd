package e2e

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
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

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/audit"
	"github.com/sheafrollup/sheaf/circuits/exit"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/exodus"
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
	eccs, err := exit.Compile(exodusCfg.Depth)
	if err != nil {
		t.Fatal(err)
	}
	if x.eset, err = keys.Cached(ctx, protocol.Config{Depth: exodusCfg.Depth}, eccs, keys.SetupOptions{Circuit: keys.CircuitExit}); err != nil {
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

// stopOperator stops the watcher and the submitter: nothing the operator
// does reaches L2 from L1 or L1 from L2 any more.
func (x *exodusEnv) stopOperator() {
	stopCtx, stopCancel := context.WithTimeout(x.ctx, 30*time.Second)
	defer stopCancel()
	if err := x.sub.Stop(stopCtx); err != nil {
		x.t.Fatal(err)
	}
	if err := x.w.Stop(stopCtx); err != nil {
		x.t.Fatal(err)
	}
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
// its L2 balance becomes 0); then the operator stops (watcher and
// submitter), a deposit waits in the queue past its deadline, anyone
// activates exodus (`sheaf exodus activate`), and every account holder
// gets exactly its last proven L2 balance with `sheaf exit` — the operator
// and A (nothing left but its queued deposit, refunded once) with their
// key files, user B through a helper holding only a detached exodus
// signature; the contract's ETH is exactly what is claimable; a second
// exit is refused; deposits and batches revert once frozen; `sheaf audit`
// checks the forced exit and the exodus state.
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

	// A forces its exit through L1; the honest sequencer includes it.
	accA, err := e.seq.Account(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	forcedA, ok := new(big.Int).SetString(string(accA.Sealed.Balance), 10)
	if !ok || forcedA.Sign() <= 0 || accA.Pending != accA.Sealed {
		t.Fatalf("A's account before its forced exit: %+v", accA)
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

	// The operator stops: nothing reaches L2 or L1 any more.
	x.stopOperator()
	last := x.lastBalances()
	if last[2].Sign() != 0 {
		t.Fatalf("A's last proven balance %s after its forced exit, want 0", last[2])
	}
	// A deposit no batch will consume.
	depLate := wei(500)
	pkA := e.l2Keys[1].Public()
	e.transact(userA, depLate, e.rollup.PackDeposit(protocol.FrToBig(pkA.X), protocol.FrToBig(pkA.Y)))

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
	// Frozen: no deposits, no batches.
	if _, err := e.send(userB, ether, e.rollup.PackDeposit(protocol.FrToBig(pkA.X), protocol.FrToBig(pkA.Y))); err == nil {
		t.Fatal("a deposit went through in exodus mode")
	}
	var zero [32]byte
	if _, err := e.send(seqKey, nil, e.rollup.PackSubmitBatch(99, zero, zero, 0, 0, 0, 0, nil, nil, make([]byte, 256))); err == nil {
		t.Fatal("a batch went through in exodus mode")
	}

	// A exits with its key file: its balance is 0 (paid by the forced
	// exit); its late deposit is refunded.
	out, err := run(exitA...)
	if err != nil {
		t.Fatal(err)
	}
	res := decodeResult(t, out)
	if res.Index != 2 || res.Balance != "0" || len(res.Refunds) != 1 || res.Refunds[0].Amount != depLate.String() {
		t.Fatalf("A's exit %+v, want 0 and a refund of %s", res, depLate)
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
	// Once per account.
	if _, err := run(helper...); err == nil || !strings.Contains(err.Error(), "already exited") {
		t.Fatalf("second exit: %v", err)
	}

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
