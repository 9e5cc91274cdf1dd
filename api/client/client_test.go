package client_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum/common"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/api/apitest"
	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/smt"
)

type env struct {
	b      *apitest.Backend
	ts     *httptest.Server
	http   *client.Client
	ws     *client.Client
	chain  api.ChainInfo
	cancel context.CancelFunc
	ctx    context.Context
}

func newEnv(t *testing.T) *env {
	t.Helper()
	b := apitest.New(4, 1_000_000)
	srv, err := api.NewServer(api.DefaultConfig, b, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	e := &env{b: b, ts: ts, ctx: ctx, cancel: cancel}
	if e.http, err = client.Dial(ctx, ts.URL); err != nil {
		t.Fatal(err)
	}
	if e.ws, err = client.Dial(ctx, "ws"+strings.TrimPrefix(ts.URL, "http")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		e.http.Close()
		e.ws.Close()
		ts.Close()
		_ = srv.Stop(context.Background())
		cancel()
	})
	if e.chain, err = e.http.ChainID(ctx); err != nil {
		t.Fatal(err)
	}
	return e
}

func u(v uint64) *uint256.Int { return uint256.NewInt(v) }

func (e *env) transfer(t *testing.T, c *client.Client, key int, from, to uint32, amount, fee uint64, nonce uint32) (common.Hash, error) {
	t.Helper()
	args, err := client.SignTransfer(e.b.Keys()[key], e.chain, from, to, u(amount), u(fee), nonce)
	if err != nil {
		t.Fatal(err)
	}
	return c.SendTransaction(e.ctx, args)
}

func TestRoundTrip(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx
	want := e.b.ChainInfo()
	if e.chain != want {
		t.Fatalf("chainId %+v, want %+v", e.chain, want)
	}
	if e.chain.DomainState == (common.Hash{}) || e.chain.ChainID == 0 {
		t.Fatal("empty chain info")
	}

	// Transfer 1 → 2, over HTTP; the hash is the signed message.
	args, err := client.SignTransfer(e.b.Keys()[0], e.chain, 1, 2, u(123_000), u(10), 0)
	if err != nil {
		t.Fatal(err)
	}
	h, err := e.http.SendTransaction(ctx, args)
	if err != nil {
		t.Fatal(err)
	}
	if local, err := client.TxHash(e.chain, args); err != nil || local != h {
		t.Fatalf("hash %s, locally %s (%v)", h, local, err)
	}
	// Withdrawal from 2, over WebSocket.
	l1 := common.HexToAddress("0x00000000000000000000000000000000000000A1")
	wargs, err := client.SignWithdrawal(e.b.Keys()[1], e.chain, 2, l1, u(5_000), u(100), 0)
	if err != nil {
		t.Fatal(err)
	}
	wh, err := e.ws.SendTransaction(ctx, wargs)
	if err != nil {
		t.Fatal(err)
	}

	tx, err := e.http.GetTransaction(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	if tx.Hash != h || tx.Kind != api.KindTransfer || tx.From != 1 || tx.To == nil || *tx.To != 2 || tx.L1Address != nil ||
		tx.Amount != "123000" || tx.Fee != "10" || tx.Nonce != 0 || tx.Status != api.StatusPending || tx.BatchNumber != nil {
		t.Fatalf("transfer %+v", tx)
	}
	wtx, err := e.http.GetTransaction(ctx, wh)
	if err != nil {
		t.Fatal(err)
	}
	if wtx.Kind != api.KindWithdrawal || wtx.L1Address == nil || *wtx.L1Address != l1 || wtx.To != nil || wtx.Amount != "5000" {
		t.Fatalf("withdrawal %+v", wtx)
	}

	// Accounts by index and by key.
	a1, err := e.http.GetAccount(ctx, api.AccountByIndex(1))
	if err != nil {
		t.Fatal(err)
	}
	if a1.Index != 1 || a1.Pending.Nonce != 1 || a1.Pending.Balance != "876990" || a1.Sealed.Balance != "0" || a1.SealedBatch != 0 {
		t.Fatalf("account 1 %+v", a1)
	}
	a2, err := e.ws.GetAccount(ctx, api.AccountByKey(e.b.Keys()[1].Public()))
	if err != nil {
		t.Fatal(err)
	}
	if a2.Index != 2 || a2.Pending.Balance != "1117900" || a2.Pending.Nonce != 1 {
		t.Fatalf("account 2 %+v", a2)
	}
	if pk := e.b.Keys()[1].Public().Bytes(); string(a2.PubKey) != string(pk[:]) {
		t.Fatal("public key")
	}

	// Seal, then batch, numbers and proofs.
	e.b.Seal()
	bn, err := e.http.BatchNumber(ctx)
	if err != nil || bn.Sealed != 1 || bn.Proven != 0 || bn.Finalized != 0 {
		t.Fatalf("%+v %v", bn, err)
	}
	batch, err := e.http.GetBatch(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if batch.Number != 1 || batch.Status != api.BatchSealed || batch.Transfers != 1 || batch.Withdrawals != 1 ||
		len(batch.Transactions) != 2 || batch.Transactions[0] != h {
		t.Fatalf("batch %+v", batch)
	}
	tx, _ = e.http.GetTransaction(ctx, h)
	if tx.Status != api.StatusSealed || tx.BatchNumber == nil || *tx.BatchNumber != 1 {
		t.Fatalf("sealed tx %+v", tx)
	}
	for _, batchArg := range []uint64{0, 1} {
		p, err := e.http.GetAccountProof(ctx, api.AccountByIndex(2), batchArg)
		if err != nil {
			t.Fatal(err)
		}
		if p.Index != 2 || p.BatchNumber != 1 || p.Root != batch.NewRoot || p.Balance != "1117900" || p.Nonce != 1 ||
			len(p.Siblings) != apitest.Config.Depth {
			t.Fatalf("proof %+v", p)
		}
		// The proof verifies: the leaf is the account's, the path gives the root.
		pk, err := protocol.ParsePublicKey(p.PubKey)
		if err != nil {
			t.Fatal(err)
		}
		acc := protocol.Account{PubKey: pk, Balance: *u(1117900), Nonce: 1}
		leaf := protocol.LeafHash(acc)
		if common.Hash(leaf.Bytes()) != p.Leaf {
			t.Fatal("leaf")
		}
		sib := make([]fr.Element, len(p.Siblings))
		for i, s := range p.Siblings {
			sib[i].SetBytes(s[:])
		}
		root := smt.ComputeRoot(uint64(p.Index), leaf, sib)
		if common.Hash(root.Bytes()) != p.Root {
			t.Fatal("proof does not verify")
		}
	}
	a1, _ = e.http.GetAccount(ctx, api.AccountByIndex(1))
	if a1.Sealed.Balance != "876990" || a1.SealedBatch != 1 || a1.Finalized != nil {
		t.Fatalf("sealed account %+v", a1)
	}
	e.b.SetBatchStatus(1, api.BatchFinalized)
	a1, _ = e.http.GetAccount(ctx, api.AccountByIndex(1))
	if a1.Finalized == nil || a1.Finalized.Balance != "876990" {
		t.Fatalf("finalized account %+v", a1)
	}
	if bn, _ := e.http.BatchNumber(ctx); bn.Finalized != 1 || bn.Proven != 1 {
		t.Fatalf("%+v", bn)
	}

	for kind, fee := range map[string]string{api.KindTransfer: "10", api.KindWithdrawal: "100"} {
		f, err := e.http.EstimateFee(ctx, kind)
		if err != nil || f.Kind != kind || f.Fee != api.Decimal(fee) {
			t.Fatalf("%s: %+v %v", kind, f, err)
		}
	}
}

func TestErrorsMapByCode(t *testing.T) {
	e := newEnv(t)
	if _, err := e.transfer(t, e.http, 0, 1, 2, 1000, 10, 0); err != nil {
		t.Fatal(err)
	}
	_, err := e.transfer(t, e.http, 0, 1, 2, 2000, 10, 0)
	if !errors.Is(err, protocol.ErrWrongNonce) || errors.Is(err, api.ErrNonceTooHigh) {
		t.Fatalf("replay: %v", err)
	}
	var ae *api.Error
	if !errors.As(err, &ae) || ae.Code != api.CodeWrongNonce || ae.Reason != "wrong_nonce" || ae.Field != "nonce" {
		t.Fatalf("%#v", ae)
	}
	_, err = e.transfer(t, e.ws, 0, 1, 2, 1000, 10, 7)
	if !errors.Is(err, api.ErrNonceTooHigh) || !errors.Is(err, protocol.ErrWrongNonce) {
		t.Fatalf("gap: %v", err)
	}
	_, err = e.transfer(t, e.http, 0, 1, 2, 5_000_000, 10, 1)
	if !errors.Is(err, protocol.ErrInsufficientBalance) {
		t.Fatalf("overdraft: %v", err)
	}
	_, err = e.transfer(t, e.http, 1, 1, 2, 1000, 10, 1)
	if !errors.Is(err, protocol.ErrBadSignature) {
		t.Fatalf("wrong key: %v", err)
	}
	_, err = e.transfer(t, e.http, 0, 1, 2, 1000, 1, 1)
	if !errors.Is(err, api.ErrFeeTooLow) {
		t.Fatalf("fee: %v", err)
	}
	if _, err = e.http.GetTransaction(e.ctx, common.Hash{9}); !errors.Is(err, api.ErrNotFound) {
		t.Fatalf("not found: %v", err)
	}
	if _, err = e.http.GetBatch(e.ctx, 5); !errors.Is(err, api.ErrNotFound) {
		t.Fatalf("batch: %v", err)
	}
	if _, err = e.http.EstimateFee(e.ctx, "swap"); !errors.Is(err, api.ErrInvalidParams) {
		t.Fatalf("kind: %v", err)
	}
	// A client's own cancellation is not confused with the server's errors.
	e.b.SetFail(api.ErrUnavailable)
	_, err = e.http.GetAccount(e.ctx, api.AccountByIndex(1))
	if !errors.Is(err, api.ErrUnavailable) || errors.Is(err, context.Canceled) {
		t.Fatalf("unavailable: %v", err)
	}
	e.b.SetFail(nil)
	if e.b.Sends() != 1 {
		t.Fatalf("%d sends", e.b.Sends())
	}
}

func TestSignRefuses(t *testing.T) {
	e := newEnv(t)
	k := e.b.Keys()[0]
	if _, err := client.SignTransfer(k, e.chain, 1, 2, u(4294967297), u(10), 0); !errors.Is(err, protocol.ErrNotEncodable) ||
		!strings.Contains(err.Error(), "4294967300") {
		t.Fatalf("amount: %v", err)
	}
	if _, err := client.SignTransfer(k, e.chain, 1, 2, u(1000), u(65), 0); !errors.Is(err, protocol.ErrNotEncodable) {
		t.Fatalf("fee: %v", err)
	}
	huge := new(uint256.Int).Lsh(u(1), 130)
	if _, err := client.SignWithdrawal(k, e.chain, 1, common.Address{1}, huge, u(100), 0); !errors.Is(err, protocol.ErrAmountTooLarge) {
		t.Fatalf("huge: %v", err)
	}
	if _, err := client.SignTransfer(k, e.chain, 1, 0, u(1000), u(10), 0); !errors.Is(err, protocol.ErrReservedAccount) {
		t.Fatalf("to 0: %v", err)
	}
	if _, err := client.SignWithdrawal(k, e.chain, 1, common.Address{}, u(1000), u(100), 0); !errors.Is(err, api.ErrInvalidParams) {
		t.Fatalf("zero address: %v", err)
	}
	// A server that lies about its domain gets no signature.
	lying := e.chain
	lying.DomainState[31] ^= 1
	if _, err := client.SignTransfer(k, lying, 1, 2, u(1000), u(10), 0); !errors.Is(err, client.ErrDomainMismatch) {
		t.Fatalf("domain: %v", err)
	}
	other := e.chain
	other.ChainID++
	if _, err := client.SignWithdrawal(k, other, 1, common.Address{1}, u(1000), u(100), 0); !errors.Is(err, client.ErrDomainMismatch) {
		t.Fatalf("chain id: %v", err)
	}
}

func TestSubscribeBatches(t *testing.T) {
	e := newEnv(t)
	ch := make(chan api.BatchInfo, 8)
	sub, err := e.ws.SubscribeBatches(e.ctx, ch)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.transfer(t, e.http, 0, 1, 2, 1000, 10, 0); err != nil {
		t.Fatal(err)
	}
	sealed := e.b.Seal()
	got := recv(t, ch)
	if got.Number != 1 || got.Status != api.BatchSealed || got.NewRoot != sealed.NewRoot || len(got.Transactions) != 1 {
		t.Fatalf("%+v", got)
	}
	e.b.SetBatchStatus(1, api.BatchProven)
	if got := recv(t, ch); got.Number != 1 || got.Status != api.BatchProven {
		t.Fatalf("%+v", got)
	}
	sub.Unsubscribe()
	waitFor(t, func() bool { return e.b.Subscribers() == 0 })
	// Over HTTP there are no subscriptions.
	if _, err := e.http.SubscribeBatches(e.ctx, ch); err == nil {
		t.Fatal("subscribed over HTTP")
	}
}

func TestSubscribeTransaction(t *testing.T) {
	e := newEnv(t)
	h, err := e.transfer(t, e.http, 0, 1, 2, 1000, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan api.TxInfo, 8)
	sub, err := e.ws.SubscribeTransaction(e.ctx, h, ch)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	if got := recv(t, ch); got.Hash != h || got.Status != api.StatusPending {
		t.Fatalf("first %+v", got)
	}
	e.b.Seal()
	if got := recv(t, ch); got.Status != api.StatusSealed || got.BatchNumber == nil || *got.BatchNumber != 1 {
		t.Fatalf("%+v", got)
	}
	e.b.SetBatchStatus(1, api.BatchProving) // no change for the transaction: no event
	e.b.SetBatchStatus(1, api.BatchProven)
	if got := recv(t, ch); got.Status != api.StatusProven {
		t.Fatalf("%+v", got)
	}
	e.b.SetBatchStatus(1, api.BatchSubmitted)
	e.b.SetBatchStatus(1, api.BatchFinalized)
	if got := recv(t, ch); got.Status != api.StatusSubmitted {
		t.Fatalf("%+v", got)
	}
	if got := recv(t, ch); got.Status != api.StatusFinalized {
		t.Fatalf("%+v", got)
	}
	// Terminal: the server ends its side.
	waitFor(t, func() bool { return e.b.Subscribers() == 0 })

	// Subscribing to a finished transaction sends its state once.
	ch2 := make(chan api.TxInfo, 8)
	sub2, err := e.ws.SubscribeTransaction(e.ctx, h, ch2)
	if err != nil {
		t.Fatal(err)
	}
	defer sub2.Unsubscribe()
	if got := recv(t, ch2); got.Status != api.StatusFinalized {
		t.Fatalf("%+v", got)
	}
	if n := e.b.Subscribers(); n != 0 {
		t.Fatalf("%d backend subscriptions", n)
	}
	// Unknown transaction: an error, no subscription.
	if _, err := e.ws.SubscribeTransaction(e.ctx, common.Hash{7}, ch2); !errors.Is(err, api.ErrNotFound) {
		t.Fatalf("unknown: %v", err)
	}
}

func TestSubscribeTransactionRejectedAndUnsubscribe(t *testing.T) {
	e := newEnv(t)
	h1, err := e.transfer(t, e.http, 0, 1, 2, 1000, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	h2, err := e.transfer(t, e.http, 0, 1, 2, 1000, 10, 1)
	if err != nil {
		t.Fatal(err)
	}
	ch1 := make(chan api.TxInfo, 8)
	sub1, err := e.ws.SubscribeTransaction(e.ctx, h1, ch1)
	if err != nil {
		t.Fatal(err)
	}
	ch2 := make(chan api.TxInfo, 8)
	sub2, err := e.ws.SubscribeTransaction(e.ctx, h2, ch2)
	if err != nil {
		t.Fatal(err)
	}
	recv(t, ch1)
	recv(t, ch2)
	e.b.Reject(h1, "operator test")
	if got := recv(t, ch1); got.Status != api.StatusRejected || got.Reason != "operator test" {
		t.Fatalf("%+v", got)
	}
	sub1.Unsubscribe()
	waitFor(t, func() bool { return e.b.Subscribers() == 1 })
	sub2.Unsubscribe()
	waitFor(t, func() bool { return e.b.Subscribers() == 0 })
}

func TestWaitTransaction(t *testing.T) {
	e := newEnv(t)
	h, err := e.transfer(t, e.http, 0, 1, 2, 1000, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*client.Client{e.ws, e.http} {
		var seen []string
		done := make(chan *api.TxInfo, 1)
		go func() {
			tx, err := c.WaitTransaction(e.ctx, h, 10*time.Millisecond, func(s string) bool { return s == api.StatusProven },
				func(tx api.TxInfo) { seen = append(seen, tx.Status) })
			if err != nil {
				t.Error(err)
			}
			done <- tx
		}()
		if c == e.ws {
			waitFor(t, func() bool { return e.b.Subscribers() == 1 })
			e.b.Seal()
			e.b.SetBatchStatus(1, api.BatchProven)
		}
		tx := <-done
		if tx == nil || tx.Status != api.StatusProven {
			t.Fatalf("%+v", tx)
		}
		if c == e.ws && strings.Join(seen, ",") != "pending,sealed,proven" {
			t.Fatalf("seen %v", seen)
		}
	}
}

func recv[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatal("no event")
		panic("unreachable")
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
