package sequencer

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/db"
	"github.com/sheafrollup/sheaf/internal/childtest"
)

// childEnv makes the test binary run a sequencer process instead of tests
// (see init): the crash and standby tests need real processes to SIGKILL.
const childEnv = "SHEAF_TEST_SEQUENCER_CHILD"

func init() {
	url := os.Getenv(childEnv)
	if url == "" {
		return
	}
	os.Exit(runChild(url))
}

// runChild runs a sequencer and its API until killed, printing the API
// address once active ("standby" first while it waits for the lock).
func runChild(url string) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	pool, err := db.Open(ctx, db.Config{URL: url, MaxConns: 8, Migrate: true}, nil)
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	cfg := testConfig()
	s, err := New(cfg, pool, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("standby")
	if err := s.Start(ctx); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	ac := api.DefaultConfig
	ac.HTTPAddr = "127.0.0.1:0"
	srv, err := api.NewServer(ac, s, slog.New(slog.DiscardHandler), nil)
	if err != nil || srv.Start(ctx) != nil {
		fmt.Println("error: api")
		return 1
	}
	fmt.Println("active", srv.Addr())
	<-ctx.Done()
	return 0
}

// TestKilledProcesses: a sequencer process SIGKILLed right after accepting
// loses nothing; a standby process never serves while the active one
// lives, and takes over with every accepted transaction.
func TestKilledProcesses(t *testing.T) {
	e := newEnv(t, 3)
	a := startChild(t, e.url)
	addrA := strings.Fields(a.Await(t, "active", 30*time.Second))[1]
	b := startChild(t, e.url)
	b.Await(t, "standby", 30*time.Second)

	for i, k := range e.keys {
		e.deposit(int64(i), k.Public(), 1_000_000)
	}
	ctx := context.Background()
	ca, err := client.Dial(ctx, "http://"+addrA)
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close()
	chain, err := ca.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e.waitFor(func() bool {
		acc, err := ca.GetAccount(ctx, api.AccountRef{Index: 3})
		return err == nil && acc.Pending.Balance != "0"
	})
	const n = 20
	for i := 0; i < n; i++ {
		args, err := client.SignTransfer(e.keys[1], chain, 2, 3, uint256.NewInt(100), uint256.NewInt(10), uint32(i))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ca.SendTransaction(ctx, args); err != nil {
			t.Fatal(err)
		}
	}
	// The standby must not have become active meanwhile.
	select {
	case l := <-b.Lines:
		t.Fatalf("standby printed %q while the active process lives", l)
	default:
	}
	a.Kill() // no graceful shutdown: accepted work must already be durable

	addrB := strings.Fields(b.Await(t, "active", 30*time.Second))[1]
	cb, err := client.Dial(ctx, "http://"+addrB)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	acc, err := cb.GetAccount(ctx, api.AccountRef{Index: 2})
	if err != nil {
		t.Fatal(err)
	}
	if acc.Pending.Nonce != n {
		t.Fatalf("after the kill the standby sees nonce %d, want %d", acc.Pending.Nonce, n)
	}
	if got := e.count(`SELECT count(*) FROM transactions`); got != n {
		t.Fatalf("%d transactions stored, want %d", got, n)
	}
	// It continues the nonce sequence.
	args, err := client.SignTransfer(e.keys[1], chain, 2, 3, uint256.NewInt(100), uint256.NewInt(10), n)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cb.SendTransaction(ctx, args); err != nil {
		t.Fatal(err)
	}
	if resp, err := http.Get("http://" + addrA); err == nil {
		resp.Body.Close()
		t.Fatal("the killed sequencer still answers")
	}
}

func startChild(t *testing.T, url string) *childtest.Child {
	t.Helper()
	return childtest.Start(t, childEnv+"="+url)
}
