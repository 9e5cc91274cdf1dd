package e2e

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
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

// TestExodus: deposits and transfers are proven and finalized on anvil;
// then the operator stops (watcher and submitter), a deposit waits in the
// queue past its deadline, anyone activates exodus (`sheaf exodus
// activate`), and every account holder gets exactly its last proven L2
// balance with `sheaf exit` — the operator and a user with their key
// files, another user through a helper holding only a detached exodus
// signature; the queued deposit is refunded once; the contract's ETH is
// exactly what is claimable; a second exit is refused; deposits and
// batches revert once frozen; `sheaf audit` checks the exodus state.
// (A forced exit included by the sequencer is not part of this test: the
// sequencer's side is built separately.)
func TestExodus(t *testing.T) {
	if testing.Short() {
		t.Skip("starts anvil, proves batches and exits: skipped in -short")
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	t.Cleanup(cancel)
	log := slog.New(slog.NewTextHandler(tlog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	bin := buildSheaf(t)
	eccs, err := exit.Compile(testCfg.Depth)
	if err != nil {
		t.Fatal(err)
	}
	eset, err := keys.Cached(ctx, protocol.Config{Depth: testCfg.Depth}, eccs, keys.SetupOptions{Circuit: keys.CircuitExit})
	if err != nil {
		t.Fatal(err)
	}

	seqKey := mustKey(t, "sheaf e2e exodus sequencer")
	userA, userB := mustKey(t, "sheaf e2e exodus user A"), mustKey(t, "sheaf e2e exodus user B")
	helperKey := mustKey(t, "sheaf e2e exodus helper")
	funds := map[*ecdsa.PrivateKey]*big.Int{}
	for _, k := range []*ecdsa.PrivateKey{seqKey, userA, userB, helperKey} {
		funds[k] = new(big.Int).Mul(big.NewInt(100), ether)
	}
	const expiry = time.Hour
	e := startDevnet(t, ctx, log, devnetConfig{circuit: testCfg, batchDelay: 500 * time.Millisecond,
		seqKey: seqKey, funds: funds, l2Keys: protocoltest.Keys(31339, 3), exitKeys: eset, priorityExpiry: expiry})

	// Deposits: A to key 1, B to key 2 (key 0 is the operator's fee key,
	// account 1 from genesis).
	depA, depB := new(big.Int).Set(ether), new(big.Int).Mul(big.NewInt(2), ether)
	for i, d := range []struct {
		from   *ecdsa.PrivateKey
		amount *big.Int
	}{{userA, depA}, {userB, depB}} {
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

	// The operator stops: nothing reaches L2 or L1 any more.
	stopCtx, stopCancel := context.WithTimeout(ctx, 30*time.Second)
	if err := e.sub.Stop(stopCtx); err != nil {
		t.Fatal(err)
	}
	if err := e.w.Stop(stopCtx); err != nil {
		t.Fatal(err)
	}
	stopCancel()
	// The last proven balances.
	last := map[uint32]*big.Int{}
	for _, idx := range e.indexes {
		var s string
		if err := e.pool.QueryRow(ctx, `SELECT balance::text FROM accounts WHERE idx = $1`, idx).Scan(&s); err != nil {
			t.Fatal(err)
		}
		last[idx], _ = new(big.Int).SetString(s, 10)
	}
	// A deposit no batch will consume.
	depLate := wei(500)
	pkA := e.l2Keys[1].Public()
	e.transact(userA, depLate, e.rollup.PackDeposit(protocol.FrToBig(pkA.X), protocol.FrToBig(pkA.Y)))

	dir := t.TempDir()
	exitKeys, batchKeys := filepath.Join(dir, "exit-keys"), filepath.Join(dir, "batch-keys")
	if err := eset.Write(exitKeys); err != nil {
		t.Fatal(err)
	}
	if err := e.circuit.Keys.Write(batchKeys); err != nil {
		t.Fatal(err)
	}
	keyFile := func(name string, k *ecdsa.PrivateKey) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(hex.EncodeToString(crypto.FromECDSA(k))), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	dom := &client.Domain{ChainID: anvilChainID, Contract: e.dep.Rollup}
	wallet := func(name string, i int) string {
		p := filepath.Join(dir, name)
		if err := client.SaveKeyFile(p, e.l2Keys[i], dom); err != nil {
			t.Fatal(err)
		}
		return p
	}
	run := func(args ...string) (string, error) {
		t.Helper()
		cmd := exec.CommandContext(ctx, bin, append([]string{"--log.level", "warn"}, args...)...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		cmd.Env = append(os.Environ(), "SHEAF_L1_RPC="+e.url, "SHEAF_L1_CONTRACT="+e.dep.Rollup.Hex(),
			"SHEAF_AUDIT_FROM_BLOCK="+strconv.FormatUint(e.dep.Block, 10))
		out, err := cmd.Output()
		t.Logf("sheaf %s: %s%s", args[0], stderr.String(), out)
		if err != nil {
			return string(out), &cliError{err, stderr.String()}
		}
		return string(out), nil
	}

	// Before the deadline: no exodus, no exit.
	if _, err := run("exodus", "activate", "--l1.key-file", keyFile("helper.hex", helperKey)); err == nil || !strings.Contains(err.Error(), "cannot activate exodus yet") {
		t.Fatalf("activate before the deadline: %v", err)
	}
	walletA := wallet("a.json", 1)
	exitA := []string{"exit", "--json", "--wallet.file", walletA, "--l1.key-file", keyFile("a.hex", userA), "--exit.keys", exitKeys}
	if _, err := run(exitA...); err == nil || !strings.Contains(err.Error(), "not in exodus mode") {
		t.Fatalf("exit before exodus: %v", err)
	}
	// Time passes the deadline; anyone activates exodus.
	if err := e.client.Client().CallContext(ctx, nil, "evm_increaseTime", int64((expiry+time.Minute)/time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := e.client.Client().CallContext(ctx, nil, "evm_mine"); err != nil {
		t.Fatal(err)
	}
	if _, err := run("exodus", "activate", "--l1.key-file", filepath.Join(dir, "helper.hex")); err != nil {
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

	addrA, addrB, addrOp := crypto.PubkeyToAddress(userA.PublicKey), crypto.PubkeyToAddress(userB.PublicKey), crypto.PubkeyToAddress(seqKey.PublicKey)
	pendingOf := func(a common.Address) *big.Int {
		v, err := e.rollup.UnpackPendingWithdrawals(e.call(e.rollup.PackPendingWithdrawals(a)))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	var res exodus.Result
	decode := func(out string) {
		t.Helper()
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
	}
	// A exits with its key file; its late deposit is refunded.
	out, err := run(exitA...)
	if err != nil {
		t.Fatal(err)
	}
	decode(out)
	if res.Index != 2 || res.Balance != last[2].String() || len(res.Refunds) != 1 || res.Refunds[0].Amount != depLate.String() {
		t.Fatalf("A's exit %+v, want %s and a refund of %s", res, last[2], depLate)
	}
	// The operator exits its fee account.
	out, err = run("exit", "--json", "--wallet.file", wallet("op.json", 0), "--l1.key-file", keyFile("op.hex", seqKey), "--exit.keys", exitKeys)
	if err != nil {
		t.Fatal(err)
	}
	decode(out)
	if res.Index != 1 || res.Balance != last[1].String() {
		t.Fatalf("operator's exit %+v, want %s", res, last[1])
	}
	// B signs; a helper exits B's account for B.
	sig := filepath.Join(dir, "b-exodus.json")
	if _, err := run("wallet", "sign-exodus", "--wallet.file", wallet("b.json", 2), "--wallet.index", "3",
		"--exit.recipient", addrB.Hex(), "--out", sig); err != nil {
		t.Fatal(err)
	}
	helper := []string{"exit", "--json", "--exit.signature", sig, "--l1.key-file", filepath.Join(dir, "helper.hex"), "--exit.keys", exitKeys}
	out, err = run(helper...)
	if err != nil {
		t.Fatal(err)
	}
	decode(out)
	if res.Index != 3 || res.Recipient != addrB || res.Balance != last[3].String() {
		t.Fatalf("B's exit %+v, want %s to %s", res, last[3], addrB)
	}
	// Once per account.
	if _, err := run(helper...); err == nil || !strings.Contains(err.Error(), "already exited") {
		t.Fatalf("second exit: %v", err)
	}

	// Everyone is paid exactly; the contract holds exactly what is owed.
	want := map[common.Address]*big.Int{addrA: sum(last[2], depLate), addrB: last[3], addrOp: last[1]}
	owed := new(big.Int)
	for a, w := range want {
		if got := pendingOf(a); got.Cmp(w) != 0 {
			t.Fatalf("%s is owed %s, want %s", a, got, w)
		}
		owed.Add(owed, w)
	}
	owner := pendingOf(crypto.PubkeyToAddress(mustDeployer(t).PublicKey)) // forced-exit fees (none here)
	owed.Add(owed, owner)
	if held := e.balance(e.dep.Rollup, nil); held.Cmp(owed) != 0 {
		t.Fatalf("the contract holds %s, owes %s", held, owed)
	}
	if total := sum(depA, depB, depLate); owed.Cmp(total) != 0 {
		t.Fatalf("owed %s, deposited %s: no withdrawal was made, so they must match", owed, total)
	}

	// B claims; the audit checks the exodus state.
	beforeB := e.balance(addrB, nil)
	if _, err := run("wallet", "claim", "--l1.key-file", keyFile("b.hex", userB)); err != nil {
		t.Fatal(err)
	}
	if got := new(big.Int).Sub(e.balance(addrB, nil), beforeB); got.Sign() <= 0 || got.Cmp(last[3]) > 0 {
		t.Fatalf("B's claim moved %s (owed %s, less gas)", got, last[3])
	}
	out, err = run("audit", "--json", "--audit.confirmations", "0", "--audit.vk", batchKeys)
	if err != nil {
		t.Fatal(err)
	}
	var rep audit.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !rep.OK || !rep.Frozen || rep.Exits != 3 || rep.Refunds != 1 || rep.Refunded != depLate.String() {
		t.Fatalf("audit %+v", rep)
	}
	t.Logf("exodus done (%v)", time.Since(start).Round(time.Millisecond))
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
