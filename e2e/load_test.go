package e2e

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/holiman/uint256"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/audit"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// loadCfg is the circuit of TestEndToEndLoad: 16 transfer slots (≈508k
// constraints: one proof ≈8 s on 2 cores, the first setup ≈1.5 min, then
// cached by circuit hash) fill several batches from the clients' traffic;
// 4 deposit slots take every user's deposit in one batch. What the test
// shows (concurrent clients through the API, group commits, batches sealed
// under load, every batch finalized, the audit from L1 alone) needs a few
// full batches, not hundreds of transfers: CI pays for every proof.
var loadCfg = protocol.Config{Depth: 8, Deposits: 4, Transfers: 16, Withdrawals: 2}

const (
	loadUsers     = 4  // L1 accounts that deposit, one L2 account each
	loadTransfers = 24 // transfers each L2 account's client sends (96 in all: 6 full batches)
	// loadDeadline bounds the wait for every batch to be finalized.
	loadDeadline = 6 * time.Minute
)

// sent is one transaction a client sent, for the expected balances.
type sent struct {
	from, to int // L2 key indexes; to < 0: a withdrawal
	amount   *big.Int
	hash     common.Hash
}

// TestEndToEndLoad: four L1 accounts deposit; one client per L2 account
// sends its transfers concurrently through the JSON-RPC API, two
// of them then withdraw to fresh L1 addresses; every batch is finalized on
// L1; the auditor, given only anvil, the contract and the verifying key,
// rebuilds the same state as the sequencer's; every withdrawal is claimed
// and balances add up on both layers.
func TestEndToEndLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("starts anvil, proves batches and waits for L1 finality: skipped in -short")
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 9*time.Minute)
	t.Cleanup(cancel)
	log := slog.New(slog.NewTextHandler(tlog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))

	seqKey := mustKey(t, "sheaf e2e load sequencer")
	funds := map[*ecdsa.PrivateKey]*big.Int{seqKey: new(big.Int).Mul(big.NewInt(100), ether)}
	var userKeys []*ecdsa.PrivateKey
	for i := range loadUsers {
		k := mustKey(t, fmt.Sprintf("sheaf e2e load user %d", i+1))
		userKeys = append(userKeys, k)
		funds[k] = new(big.Int).Mul(big.NewInt(100), ether)
	}
	// Withdrawals go to fresh addresses funded with a little ETH for the
	// claim's gas.
	recipientKeys := []*ecdsa.PrivateKey{mustKey(t, "sheaf e2e load recipient 1"), mustKey(t, "sheaf e2e load recipient 2")}
	for _, k := range recipientKeys {
		funds[k] = new(big.Int).Set(ether)
	}
	e := startDevnet(t, ctx, log, devnetConfig{circuit: loadCfg, batchDelay: 2 * time.Second,
		seqKey: seqKey, funds: funds, l2Keys: protocoltest.Keys(4242, loadUsers)})

	// The wallet API on a free port, backed by the sequencer.
	acfg := api.DefaultConfig
	acfg.HTTPAddr = "127.0.0.1:0"
	srv, err := api.NewServer(acfg, e.seq, log, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	e.stopAtEnd(srv)
	apiURL := "http://" + srv.Addr()

	// Deposits from every L1 account (sent together, mined in any order);
	// the first one to land opens fee account 1.
	deposits := make([]*big.Int, loadUsers)
	totalDeposits := new(big.Int)
	var wg sync.WaitGroup
	depErr := make(chan error, loadUsers)
	for i, k := range userKeys {
		deposits[i] = new(big.Int).Mul(big.NewInt(int64(i+1)), ether)
		totalDeposits.Add(totalDeposits, deposits[i])
		wg.Add(1)
		go func() {
			defer wg.Done()
			pk := e.l2Keys[i].Public()
			if err := e.tryTransact(k, deposits[i], e.rollup.PackDeposit(protocol.FrToBig(pk.X), protocol.FrToBig(pk.Y))); err != nil {
				depErr <- fmt.Errorf("deposit of user %d: %w", i+1, err)
			}
		}()
	}
	wg.Wait()
	close(depErr)
	for err := range depErr {
		t.Fatal(err)
	}
	e.waitFor("every deposit in the sequencer's pending state", time.Minute, func() (bool, error) {
		e.indexes = e.indexes[:0]
		for i, k := range e.l2Keys {
			idx, err := e.seq.AccountIndex(ctx, k.Public())
			if errors.Is(err, api.ErrNotFound) {
				return false, nil
			} else if err != nil {
				return false, err
			}
			// Key 0 holds fee account 1 from genesis: wait for its deposit too.
			acc, err := e.seq.Account(ctx, idx)
			if err != nil {
				return false, err
			}
			if b, ok := new(big.Int).SetString(string(acc.Pending.Balance), 10); !ok || b.Cmp(deposits[i]) < 0 {
				return false, nil
			}
			e.indexes = append(e.indexes, idx)
		}
		return true, nil
	})
	feeKey := -1 // the L2 key that owns fee account 1
	for i, idx := range e.indexes {
		if idx == 1 {
			feeKey = i
		}
	}
	if feeKey < 0 {
		t.Fatalf("no deposit opened fee account 1: indexes %v", e.indexes)
	}
	t.Logf("%d deposits reached L2 as accounts %v (%v)", loadUsers, e.indexes, time.Since(start).Round(time.Millisecond))

	// One client per L2 account, each sending its transfers one after the
	// other at its own pending nonce; clients 0 and 1 then withdraw.
	fee := big.NewInt(1_000_000_000_000) // 10^12 wei
	withdrawals := []*big.Int{wei(150), wei(275)}
	recipients := []common.Address{crypto.PubkeyToAddress(recipientKeys[0].PublicKey), crypto.PubkeyToAddress(recipientKeys[1].PublicKey)}
	results := make([][]sent, loadUsers)
	errs := make(chan error, loadUsers)
	tSend := time.Now()
	for i := range loadUsers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := runClient(ctx, apiURL, e, i, fee, withdrawals, recipients)
			results[i] = out
			if err != nil {
				errs <- fmt.Errorf("client %d: %w", i, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var all []sent
	for _, r := range results {
		all = append(all, r...)
	}
	hashes := make([]common.Hash, len(all))
	for i, s := range all {
		hashes[i] = s.hash
	}
	t.Logf("%d transactions accepted through the API in %v (%v)", len(all), time.Since(tSend).Round(time.Millisecond), time.Since(start).Round(time.Millisecond))

	e.waitFinalized(hashes, loadDeadline)
	var nBatches int64
	var lastRoot []byte
	if err := e.pool.QueryRow(ctx, `SELECT number, new_root FROM batches ORDER BY number DESC LIMIT 1`).Scan(&nBatches, &lastRoot); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d batches finalized on L1 (%v)", nBatches, time.Since(start).Round(time.Millisecond))
	root, err := e.rollup.UnpackStateRoot(e.call(e.rollup.PackStateRoot()))
	if err != nil {
		t.Fatal(err)
	}
	if common.Hash(root) != common.BytesToHash(lastRoot) {
		t.Fatalf("contract stateRoot %x, last batch's new_root %x", root, lastRoot)
	}

	// Expected L2 balances: deposits, less what each sent and its fees,
	// plus what it received; every fee goes to fee account 1.
	want := make([]*big.Int, loadUsers)
	nonces := make([]uint32, loadUsers)
	for i := range want {
		want[i] = new(big.Int).Set(deposits[i])
	}
	totalWithdrawn := new(big.Int)
	var nTransfers, nWithdrawals uint64
	for _, s := range all {
		want[s.from].Sub(want[s.from], s.amount)
		want[s.from].Sub(want[s.from], fee)
		want[feeKey].Add(want[feeKey], fee)
		nonces[s.from]++
		if s.to >= 0 {
			want[s.to].Add(want[s.to], s.amount)
			nTransfers++
		} else {
			totalWithdrawn.Add(totalWithdrawn, s.amount)
			nWithdrawals++
		}
	}
	sealed := make(map[uint32]api.AccountState)
	for i, idx := range e.indexes {
		a, err := e.seq.Account(ctx, idx)
		if err != nil {
			t.Fatal(err)
		}
		if a.Sealed != a.Pending {
			t.Fatalf("account %d: sealed %+v differs from pending %+v after every batch", idx, a.Sealed, a.Pending)
		}
		if string(a.Sealed.Balance) != want[i].String() || a.Sealed.Nonce != nonces[i] {
			t.Fatalf("account %d: balance %s nonce %d, want %s and %d", idx, a.Sealed.Balance, a.Sealed.Nonce, want[i], nonces[i])
		}
		sealed[idx] = a.Sealed
	}
	var l2Sum string
	var nAccounts int
	if err := e.pool.QueryRow(ctx, `SELECT sum(balance)::text, count(*) FROM accounts`).Scan(&l2Sum, &nAccounts); err != nil {
		t.Fatal(err)
	}
	if wantL2 := new(big.Int).Sub(totalDeposits, totalWithdrawn); l2Sum != wantL2.String() {
		t.Fatalf("L2 balances sum to %s, want deposits − withdrawals = %s", l2Sum, wantL2)
	}
	if nAccounts != loadUsers {
		t.Fatalf("%d accounts in the database, want %d", nAccounts, loadUsers)
	}

	// The auditor, from the chain alone: anvil, the contract and the
	// verifying key; no database.
	tAudit := time.Now()
	acli, err := ethclient.DialContext(ctx, e.url)
	if err != nil {
		t.Fatal(err)
	}
	defer acli.Close()
	audcfg := audit.DefaultConfig
	audcfg.Contract, audcfg.FromBlock = e.dep.Rollup, e.dep.Block
	audcfg.Finality = l1.Finality{} // the head: every batch is final by our confirmations already
	aud, err := audit.New(audcfg, acli, e.circuit.Keys.VK, log.With("component", "audit"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := aud.Run(ctx)
	if err != nil {
		t.Fatalf("audit: %v (report %+v)", err, rep)
	}
	if !rep.OK || rep.Circuit != loadCfg || rep.LastBatch != uint64(nBatches) || rep.Checked != uint64(nBatches) ||
		rep.ContractBatch != uint64(nBatches) {
		t.Fatalf("audit report %+v, want ok over %d batches of %s", rep, nBatches, loadCfg)
	}
	rootHex := fmt.Sprintf("0x%x", root[:])
	if rep.Root != rootHex || rep.ContractRoot != rootHex {
		t.Fatalf("audit root %s, contract root in report %s, contract stateRoot %s", rep.Root, rep.ContractRoot, rootHex)
	}
	if rep.Deposits != loadUsers || rep.Transfers != nTransfers || rep.Withdrawals != nWithdrawals ||
		rep.Deposited != totalDeposits.String() || rep.Withdrawn != totalWithdrawn.String() ||
		rep.TotalBalance != l2Sum || rep.Fees != new(big.Int).Mul(fee, big.NewInt(int64(len(all)))).String() {
		t.Fatalf("audit totals %+v, want %d deposits of %s, %d transfers, %d withdrawals of %s, balance %s",
			rep, loadUsers, totalDeposits, nTransfers, nWithdrawals, totalWithdrawn, l2Sum)
	}
	st := aud.State()
	if st.NumAccounts() != nAccounts {
		t.Fatalf("audit rebuilt %d accounts, the sequencer has %d", st.NumAccounts(), nAccounts)
	}
	if r := st.Root(); common.Hash(r.Bytes()) != common.Hash(root) {
		t.Fatalf("audit state root %x, contract %x", r.Bytes(), root)
	}
	for i, idx := range e.indexes {
		a, ok := st.Account(idx)
		if !ok {
			t.Fatalf("audit has no account %d", idx)
		}
		if a.PubKey != e.l2Keys[i].Public() {
			t.Fatalf("audit account %d has another key", idx)
		}
		if s := sealed[idx]; a.Balance.Dec() != string(s.Balance) || a.Nonce != s.Nonce {
			t.Fatalf("audit account %d: balance %s nonce %d; sequencer's sealed: %s, %d", idx, a.Balance.Dec(), a.Nonce, s.Balance, s.Nonce)
		}
	}
	t.Logf("audit passed: %d batches re-verified from L1 alone in %v (%v)", rep.Checked, time.Since(tAudit).Round(time.Millisecond), time.Since(start).Round(time.Millisecond))

	// L1: the contract holds every deposit; each recipient claims exactly
	// its withdrawal, less the claim's gas.
	if got := e.balance(e.dep.Rollup, nil); got.Cmp(totalDeposits) != 0 {
		t.Fatalf("contract holds %s wei before the claims, want the deposits %s", got, totalDeposits)
	}
	claimed := new(big.Int)
	for j, k := range recipientKeys {
		to := recipients[j]
		credited, err := e.rollup.UnpackPendingWithdrawals(e.call(e.rollup.PackPendingWithdrawals(to)))
		if err != nil {
			t.Fatal(err)
		}
		if credited.Cmp(withdrawals[j]) != 0 {
			t.Fatalf("pendingWithdrawals(%s) = %s, want %s", to, credited, withdrawals[j])
		}
		rcpt := e.transact(k, nil, e.rollup.PackClaim())
		before := e.balance(to, new(big.Int).Sub(rcpt.BlockNumber, big.NewInt(1)))
		after := e.balance(to, rcpt.BlockNumber)
		gasCost := new(big.Int).Mul(new(big.Int).SetUint64(rcpt.GasUsed), rcpt.EffectiveGasPrice)
		if want := new(big.Int).Sub(new(big.Int).Add(before, withdrawals[j]), gasCost); after.Cmp(want) != 0 {
			t.Fatalf("recipient %s balance %s after the claim, want %s + %s − gas %s = %s", to, after, before, withdrawals[j], gasCost, want)
		}
		if left, err := e.rollup.UnpackPendingWithdrawals(e.call(e.rollup.PackPendingWithdrawals(to))); err != nil || left.Sign() != 0 {
			t.Fatalf("pendingWithdrawals(%s) after the claim: %v, %v", to, left, err)
		}
		claimed.Add(claimed, withdrawals[j])
		if got, want := e.balance(e.dep.Rollup, nil), new(big.Int).Sub(totalDeposits, claimed); got.Cmp(want) != 0 {
			t.Fatalf("contract holds %s wei after %d claims, want deposits − claimed = %s", got, j+1, want)
		}
	}
	t.Logf("%d transfers, %d withdrawals claimed; end to end in %v", nTransfers, nWithdrawals, time.Since(start).Round(time.Millisecond))
}

// runClient is one wallet: it dials the API, reads its account's pending
// nonce and sends loadTransfers transfers (to the other accounts in turn)
// one after the other, then, for keys 0 and 1, a withdrawal.
func runClient(ctx context.Context, url string, e *env, i int, fee *big.Int, withdrawals []*big.Int, recipients []common.Address) ([]sent, error) {
	c, err := client.Dial(ctx, url)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	chain, err := c.ChainID(ctx)
	if err != nil {
		return nil, err
	}
	from := e.indexes[i]
	acc, err := c.GetAccount(ctx, api.AccountByIndex(from))
	if err != nil {
		return nil, err
	}
	nonce := acc.Pending.Nonce
	key := e.l2Keys[i]
	f := uint256.MustFromBig(fee)
	var out []sent
	for n := range loadTransfers {
		to := (i + 1 + n%(loadUsers-1)) % loadUsers
		amount := wei(int64(1 + (i*7+n)%13))
		args, err := client.SignTransfer(key, chain, from, e.indexes[to], uint256.MustFromBig(amount), f, nonce)
		if err != nil {
			return out, err
		}
		h, err := c.SendTransaction(ctx, args)
		if err != nil {
			return out, fmt.Errorf("transfer %d (nonce %d): %w", n, nonce, err)
		}
		out = append(out, sent{from: i, to: to, amount: amount, hash: h})
		nonce++
	}
	if i < len(withdrawals) {
		args, err := client.SignWithdrawal(key, chain, from, recipients[i], uint256.MustFromBig(withdrawals[i]), f, nonce)
		if err != nil {
			return out, err
		}
		h, err := c.SendTransaction(ctx, args)
		if err != nil {
			return out, fmt.Errorf("withdrawal (nonce %d): %w", nonce, err)
		}
		out = append(out, sent{from: i, to: -1, amount: withdrawals[i], hash: h})
	}
	return out, nil
}
