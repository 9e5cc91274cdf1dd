package sequencer

import (
	"context"
	"errors"
	"log/slog"
	"math/rand"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/holiman/uint256"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	dto "github.com/prometheus/client_model/go"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/db"
	"github.com/sheafrollup/sheaf/db/pgtest"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var testCircuit = protocol.Config{Depth: 8, Deposits: 4, Transfers: 8, Withdrawals: 2}

func testConfig() Config {
	c := DefaultConfig
	c.Circuit = testCircuit
	c.ChainID = protocoltest.ChainID
	c.Contract = protocoltest.Contract
	// The genesis fee account (1) holds the first test key, so funding
	// every key in order gives key i index i+1.
	r, err := l1.NewFixed(testCircuit, protocoltest.ChainID, protocoltest.Contract, protocoltest.Keys(7, 1)[0].Public())
	if err != nil {
		panic(err)
	}
	c.Rollup = r
	c.BatchDelay = time.Hour // tests seal explicitly unless they say otherwise
	c.PollInterval = 20 * time.Millisecond
	c.MinTransferFee = *uint256.NewInt(1)
	c.MinWithdrawalFee = *uint256.NewInt(1)
	return c
}

type env struct {
	t    *testing.T
	url  string
	pool *pgxpool.Pool
	keys []protocol.PrivateKey
}

func newEnv(t *testing.T, nkeys int) *env {
	t.Helper()
	url := pgtest.NewDatabase(t)
	ctx := context.Background()
	pool, err := db.Open(ctx, db.Config{URL: url, MaxConns: 16, Migrate: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return &env{t: t, url: url, pool: pool, keys: protocoltest.Keys(7, nkeys)}
}

func (e *env) start(cfg Config) *Sequencer {
	e.t.Helper()
	s, err := New(cfg, e.pool, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.Start(ctx); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { s.Stop(context.Background()) })
	return s
}

// deposit stores an observed L1 deposit, as the watcher will.
func (e *env) deposit(queueIndex int64, pk protocol.PublicKey, amount uint64) {
	e.t.Helper()
	e.depositVia(e.pool, queueIndex, pk, amount)
}

// execer is a pool or a transaction: a test stores several queue entries
// in one transaction where the watcher would (one block's events), so the
// sequencer never loads part of them.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func (e *env) depositVia(ex execer, queueIndex int64, pk protocol.PublicKey, amount uint64) {
	e.t.Helper()
	b := pk.Bytes()
	if _, err := ex.Exec(context.Background(),
		`INSERT INTO deposits (queue_index, pubkey, amount, l1_block) VALUES ($1, $2, $3, 1)`, queueIndex, b[:], amount); err != nil {
		e.t.Fatal(err)
	}
}

// fund deposits to every key and waits until the pending state has them.
func (e *env) fund(s *Sequencer, amount uint64) {
	e.t.Helper()
	for i, k := range e.keys {
		e.deposit(int64(i), k.Public(), amount)
	}
	e.waitFor(func() bool {
		s.mu.RLock()
		defer s.mu.RUnlock()
		return s.ledger.NumAccounts() == len(e.keys)
	})
}

func (e *env) waitFor(cond func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			e.t.Fatal("condition not met in time")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (e *env) transfer(s *Sequencer, from, to uint32, amount, fee uint64) (*protocol.Transfer, error) {
	acc, err := s.Account(context.Background(), from)
	if err != nil {
		return nil, err
	}
	t := &protocol.Transfer{From: from, To: to, Amount: *uint256.NewInt(amount), Fee: *uint256.NewInt(fee), Nonce: acc.Pending.Nonce}
	if err := t.Sign(e.keys[from-1], protocol.DomainState(protocoltest.ChainID, protocoltest.Contract)); err != nil {
		return nil, err
	}
	_, err = s.SendTransfer(context.Background(), t)
	return t, err
}

func (e *env) count(sql string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// sealAll seals until nothing is pending.
func sealAll(t *testing.T, s *Sequencer) {
	t.Helper()
	for {
		s.mu.RLock()
		left := len(s.queue) + len(s.deposits)
		s.mu.RUnlock()
		if left == 0 {
			return
		}
		if err := s.SealNow(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAcceptSealRestart(t *testing.T) {
	// Three deposits leave the deposit section (4 slots) short of full, so
	// nothing is sealed before the test says.
	e := newEnv(t, 3)
	s := e.start(testConfig())
	e.fund(s, 1_000_000)
	// The deposits fill their slots and seal at the next tick: seal them
	// now, so that no transfer below can join their batch.
	sealAll(t, s)
	var sent []*protocol.Transfer
	for i := 0; i < 5; i++ {
		tx, err := e.transfer(s, 2, 3, 1000, 10)
		if err != nil {
			t.Fatal(err)
		}
		sent = append(sent, tx)
	}
	// Accepted means committed: the rows are there when the reply comes
	// (pending, or already sealed: four deposits fill a batch, which the
	// sealer may cut at any time).
	if n := e.count(`SELECT count(*) FROM transactions WHERE status IN ('pending', 'sealed')`); n != 5 {
		t.Fatalf("%d accepted rows, want 5", n)
	}
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}

	// A new process rebuilds the pending state and continues the nonces.
	s2 := e.start(testConfig())
	acc, err := s2.Account(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if acc.Pending.Nonce != 5 || acc.Pending.Balance != "994950" {
		t.Fatalf("after restart account 2 pending = %+v, want nonce 5 balance 994950", acc.Pending)
	}
	if _, err := e.transfer(s2, 2, 3, 1000, 10); err != nil {
		t.Fatal(err)
	}
	// A replay of an already accepted transaction is idempotent, a
	// different transaction with a used nonce is refused.
	if _, err := s2.SendTransfer(context.Background(), sent[0]); err != nil {
		t.Fatalf("identical resend: %v", err)
	}
	forged := *sent[0]
	forged.Amount = *uint256.NewInt(2000)
	forged.Sign(e.keys[1], protocol.DomainState(protocoltest.ChainID, protocoltest.Contract))
	if _, err := s2.SendTransfer(context.Background(), &forged); !errors.Is(err, protocol.ErrWrongNonce) {
		t.Fatalf("reused nonce: got %v, want ErrWrongNonce", err)
	}

	sealAll(t, s2)
	if n := e.count(`SELECT count(*) FROM transactions WHERE status = 'sealed'`); n != 6 {
		t.Fatalf("%d sealed rows, want 6", n)
	}
	if n := e.count(`SELECT count(*) FROM deposits WHERE batch_number IS NULL`); n != 0 {
		t.Fatalf("%d deposits not sealed", n)
	}
	// Batches chain: each old root is the previous new root.
	if n := e.count(`SELECT count(*) FROM batches a JOIN batches b ON b.number = a.number + 1 WHERE b.old_root <> a.new_root`); n != 0 {
		t.Fatalf("%d batches do not chain", n)
	}
	m := sent[0].Message(protocol.DomainState(protocoltest.ChainID, protocoltest.Contract))
	info, err := s2.Transaction(context.Background(), m.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if info.Status != api.StatusSealed || info.BatchNumber == nil {
		t.Fatalf("transaction status %+v, want sealed with a batch", info)
	}

	// Restart after sealing: the sealed state is rebuilt from accounts and
	// matches the last batch's root (load checks it).
	if err := s2.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	s3 := e.start(testConfig())
	a2, _ := s3.Account(context.Background(), 2)
	a1, _ := s3.Account(context.Background(), 1)
	if a2.Sealed.Nonce != 6 || a2.Sealed.Balance != "993940" || a1.Sealed.Balance != "1000060" {
		t.Fatalf("sealed state after restart: account 2 %+v, fee account %+v", a2.Sealed, a1.Sealed)
	}

	// Rows without stored X and leaf (written before migration 3) are
	// decoded and hashed at load; the root check still passes.
	if err := s3.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(context.Background(), `UPDATE accounts SET pubkey_x = NULL, leaf = NULL`); err != nil {
		t.Fatal(err)
	}
	s4 := e.start(testConfig())
	if a, _ := s4.Account(context.Background(), 2); a.Sealed != a2.Sealed {
		t.Fatalf("after reloading without stored leaves: %+v, want %+v", a.Sealed, a2.Sealed)
	}
}

// TestConcurrentClients: many goroutines submit at once; every accepted
// transfer is in the database exactly once and balances add up.
func TestConcurrentClients(t *testing.T) {
	const clients, each = 16, 25
	e := newEnv(t, clients+1)
	cfg := testConfig()
	cfg.BatchDelay = 50 * time.Millisecond // seal while traffic flows
	s := e.start(cfg)
	e.fund(s, 1_000_000)
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted := 0
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(from uint32) {
			defer wg.Done()
			r := rand.New(rand.NewSource(int64(from)))
			for i := 0; i < each; i++ {
				to := uint32(1 + r.Intn(clients+1))
				if _, err := e.transfer(s, from, to, uint64(1+r.Intn(50))*10, 10); err != nil {
					t.Errorf("client %d: %v", from, err)
					return
				}
				mu.Lock()
				accepted++
				mu.Unlock()
			}
		}(uint32(c + 2))
	}
	wg.Wait()
	if accepted != clients*each {
		t.Fatalf("%d accepted, want %d", accepted, clients*each)
	}
	if n := e.count(`SELECT count(*) FROM transactions`); n != accepted {
		t.Fatalf("%d rows, want %d", n, accepted)
	}
	sealAll(t, s)
	// Conservation: total balance = deposits (fees move to account 1).
	var total uint256.Int
	for i := uint32(1); i <= uint32(len(e.keys)); i++ {
		a, err := s.Account(context.Background(), i)
		if err != nil {
			t.Fatal(err)
		}
		if a.Pending != a.Sealed {
			t.Fatalf("account %d: pending %+v != sealed %+v after sealing everything", i, a.Pending, a.Sealed)
		}
		var b uint256.Int
		b.SetFromDecimal(string(a.Sealed.Balance))
		total.Add(&total, &b)
	}
	if want := uint256.NewInt(uint64(len(e.keys)) * 1_000_000); !total.Eq(want) {
		t.Fatalf("total balance %s, want %s", total.Dec(), want.Dec())
	}
	if n := e.count(`SELECT count(*) FROM transactions WHERE status <> 'sealed'`); n != 0 {
		t.Fatalf("%d transactions not sealed", n)
	}
}

// TestHotStandby: a second sequencer on the same database waits, never
// writes while the first is active, and takes over when it stops.
func TestHotStandby(t *testing.T) {
	e := newEnv(t, 3)
	a := e.start(testConfig())
	e.fund(a, 1_000_000)
	if _, err := e.transfer(a, 2, 3, 100, 10); err != nil {
		t.Fatal(err)
	}
	b, err := New(testConfig(), e.pool, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan error, 1)
	go func() { started <- b.Start(context.Background()) }()
	select {
	case err := <-started:
		t.Fatalf("standby became active while the first holds the lock (err %v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	if _, err := b.SendTransfer(context.Background(), &protocol.Transfer{From: 2}); !errors.Is(err, api.ErrUnavailable) {
		t.Fatalf("standby accepted work: %v", err)
	}
	if _, err := e.transfer(a, 2, 3, 100, 10); err != nil {
		t.Fatal(err)
	}
	if err := a.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-started:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("standby did not take over")
	}
	t.Cleanup(func() { b.Stop(context.Background()) })
	acc, _ := b.Account(context.Background(), 2)
	if acc.Pending.Nonce != 2 {
		t.Fatalf("standby sees nonce %d, want 2", acc.Pending.Nonce)
	}
	if _, err := e.transfer(b, 2, 3, 100, 10); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT count(*) FROM transactions`); n != 3 {
		t.Fatalf("%d transactions, want 3", n)
	}
}

// TestRejectedChangesNothing: each rule violation gets its error and leaves
// the database and the pending state unchanged.
func TestRejectedChangesNothing(t *testing.T) {
	e := newEnv(t, 3)
	s := e.start(testConfig())
	e.fund(s, 1000)
	dom := protocol.DomainState(protocoltest.ChainID, protocoltest.Contract)
	mk := func(from, to uint32, amount, fee uint64, nonce uint32, key int) *protocol.Transfer {
		t := &protocol.Transfer{From: from, To: to, Amount: *uint256.NewInt(amount), Fee: *uint256.NewInt(fee), Nonce: nonce}
		t.Sign(e.keys[key], dom)
		return t
	}
	cases := []struct {
		name string
		tx   *protocol.Transfer
		want error
	}{
		{"bad signature", mk(2, 3, 10, 1, 0, 0), protocol.ErrBadSignature},
		{"future nonce", mk(2, 3, 10, 1, 5, 1), api.ErrNonceTooHigh},
		{"overdraft", mk(2, 3, 1000, 1, 0, 1), protocol.ErrInsufficientBalance},
		{"unknown recipient", mk(2, 99, 10, 1, 0, 1), protocol.ErrUnknownAccount},
		{"unknown sender", mk(50, 3, 10, 1, 0, 1), protocol.ErrUnknownAccount},
		{"reserved recipient", mk(2, 0, 10, 1, 0, 1), protocol.ErrReservedAccount},
		{"amount not encodable", mk(2, 3, 4294967297, 1, 0, 1), protocol.ErrNotEncodable},
		{"fee not encodable", mk(2, 3, 10, 65, 0, 1), protocol.ErrNotEncodable},
		{"fee below minimum", mk(2, 3, 10, 0, 0, 1), api.ErrFeeTooLow},
	}
	before, _ := s.Account(context.Background(), 2)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := s.SendTransfer(context.Background(), tc.tx); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	after, _ := s.Account(context.Background(), 2)
	if before.Pending != after.Pending {
		t.Fatalf("pending state changed: %+v -> %+v", before.Pending, after.Pending)
	}
	if n := e.count(`SELECT count(*) FROM transactions`); n != 0 {
		t.Fatalf("%d rows after only rejected transactions", n)
	}
}

// TestGroupSignatures: signatures are checked a group at a time (in
// batches, one per core); a group mixing valid transfers with forged ones
// accepts exactly the valid ones, each forged one gets ErrBadSignature,
// and a forgery with the same nonce as a valid transfer does not take its
// place or block it.
func TestGroupSignatures(t *testing.T) {
	const senders = 12
	e := newEnv(t, senders+1)
	cfg := testConfig()
	// The group closes when it holds every transfer (12 valid, 4 forged),
	// so all land in one however slow the machine.
	cfg.GroupWait, cfg.GroupMax = time.Hour, senders+senders/3
	s := e.start(cfg)
	e.fund(s, 1000)
	dom := protocol.DomainState(protocoltest.ChainID, protocoltest.Contract)
	type send struct {
		tx   *protocol.Transfer
		want error
	}
	var sends []send
	for i := range senders {
		from := uint32(i + 2)
		good := &protocol.Transfer{From: from, To: 1, Amount: *uint256.NewInt(10), Fee: *uint256.NewInt(1)}
		if err := good.Sign(e.keys[from-1], dom); err != nil {
			t.Fatal(err)
		}
		sends = append(sends, send{good, nil})
		if i%3 == 0 { // the same transfer signed by another account's key
			forged := &protocol.Transfer{From: from, To: 1, Amount: *uint256.NewInt(20), Fee: *uint256.NewInt(1)}
			if err := forged.Sign(e.keys[from%senders], dom); err != nil {
				t.Fatal(err)
			}
			sends = append(sends, send{forged, protocol.ErrBadSignature})
		}
	}
	if len(sends) != cfg.GroupMax {
		t.Fatalf("%d transfers for a group of %d", len(sends), cfg.GroupMax)
	}
	errs := make([]error, len(sends))
	var wg sync.WaitGroup
	for i := range sends {
		wg.Go(func() { _, errs[i] = s.SendTransfer(context.Background(), sends[i].tx) })
	}
	wg.Wait()
	for i, sd := range sends {
		if !errors.Is(errs[i], sd.want) || (sd.want == nil) != (errs[i] == nil) {
			t.Errorf("transfer %d from %d: %v, want %v", i, sd.tx.From, errs[i], sd.want)
		}
	}
	if n := e.count(`SELECT count(*) FROM transactions WHERE amount = 10`); n != senders {
		t.Errorf("%d valid transfers stored, want %d", n, senders)
	}
	if n := e.count(`SELECT count(*) FROM transactions WHERE amount <> 10`); n != 0 {
		t.Errorf("%d forged transfers stored", n)
	}
	var m dto.Metric
	if err := s.m.sigBatch.Write(&m); err != nil {
		t.Fatal(err)
	}
	// One group of 16 on however many cores: 1 or 2 batches.
	if h := m.GetHistogram(); h.GetSampleSum() != float64(len(sends)) || h.GetSampleCount() > 2 {
		t.Errorf("%d signatures in %d batches: not batched", int(h.GetSampleSum()), h.GetSampleCount())
	}
}
