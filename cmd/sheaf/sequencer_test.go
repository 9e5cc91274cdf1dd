package main

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/db/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestSequencerCommand runs `sheaf sequencer` with flags and SHEAF_
// environment variables, talks to its API and health endpoints, and stops
// it with a cancelled context as SIGTERM would.
func TestSequencerCommand(t *testing.T) {
	url := pgtest.NewDatabase(t)
	rpcAddr, opsAddr := freeAddr(t), freeAddr(t)
	t.Setenv("SHEAF_L1_CHAIN_ID", "31337") // flags and env vars mix
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	app := newApp()
	app.Writer, app.ErrWriter = io.Discard, io.Discard
	go func() {
		done <- app.RunContext(ctx, []string{"sheaf", "--log.level", "error", "sequencer",
			"--db.url", url, "--l1.contract", "0x00000000000000000000000000000000005eaf01",
			"--circuit.depth", "8", "--circuit.deposits", "2", "--circuit.transfers", "4", "--circuit.withdrawals", "1",
			"--rpc.addr", rpcAddr, "--metrics.addr", opsAddr})
	}()
	var c *client.Client
	deadline := time.Now().Add(20 * time.Second)
	for {
		cc, err := client.Dial(ctx, "http://"+rpcAddr)
		if err == nil {
			if _, err = cc.ChainID(ctx); err == nil {
				c = cc
				break
			}
			cc.Close()
		}
		select {
		case err := <-done:
			t.Fatalf("sequencer exited: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("API not up: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	defer c.Close()
	info, err := c.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if uint64(info.ChainID) != 31337 || info.Depth != 8 || info.Transfers != 4 {
		t.Fatalf("chain info %+v does not reflect the flags", info)
	}
	if _, err := c.GetAccount(ctx, api.AccountRef{Index: 5}); !errors.Is(err, api.ErrNotFound) {
		t.Fatalf("unknown account: %v", err)
	}
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		resp, err := http.Get("http://" + opsAddr + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("did not shut down")
	}
}

func TestSequencerCommandRejectsBadConfig(t *testing.T) {
	for _, args := range [][]string{
		{"sheaf", "sequencer", "--db.url", "postgres://x/y", "--l1.chain-id", "1"},                                  // no contract
		{"sheaf", "sequencer", "--db.url", "postgres://x/y", "--l1.contract", "0x" + "11"[0:2] + "zz"},              // bad contract, no chain
		{"sheaf", "sequencer", "--l1.chain-id", "1", "--l1.contract", "0x00000000000000000000000000000000005eaf01"}, // no db url
	} {
		app := newApp()
		app.Writer, app.ErrWriter = io.Discard, io.Discard
		if err := app.RunContext(context.Background(), args); err == nil {
			t.Fatalf("%v accepted", args)
		}
	}
}
