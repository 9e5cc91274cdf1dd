package main

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sheafrollup/sheaf/api"
	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/db/pgtest"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		// The test binary stands in for a built sheaf (see
		// TestGPUCheckScriptCPU): no go build in the test.
		main()
		os.Exit(0)
	}
	os.Exit(pgtest.Main(m))
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// seqArgs are the sequencer command's arguments for a database and a
// test L1.
func seqArgs(url string, e *testL1, extra ...string) []string {
	return append([]string{"sheaf", "--log.level", "error", "sequencer", "--db.url", url,
		"--l1.rpc", e.url, "--deploy.file", e.depFile, "--sequencer.l1-finality", "0"}, extra...)
}

// svcArgs runs another service against e's chain (no deployment file
// unless extra names one).
func svcArgs(cmd, url string, e *testL1, extra ...string) []string {
	return append([]string{"sheaf", "--log.level", "error", cmd, "--db.url", url, "--l1.rpc", e.url}, extra...)
}

// TestSequencerCommand runs `sheaf sequencer` with flags and SHEAF_
// environment variables, talks to its API and health endpoints, and stops
// it with a cancelled context as SIGTERM would.
func TestSequencerCommand(t *testing.T) {
	url := pgtest.NewDatabase(t)
	e := newTestL1(t, protocol.Config{Depth: 8, Deposits: 2, Transfers: 4, Withdrawals: 1})
	rpcAddr, opsAddr := freeAddr(t), freeAddr(t)
	t.Setenv("SHEAF_L1_CHAIN_ID", "1337") // flags and env vars mix; it must match the file
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	app := newApp()
	app.Writer, app.ErrWriter = io.Discard, io.Discard
	go func() {
		done <- app.RunContext(ctx, seqArgs(url, e, "--rpc.addr", rpcAddr, "--metrics.addr", opsAddr))
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
	if uint64(info.ChainID) != 1337 || info.Contract != e.dep.Rollup || info.Depth != 8 || info.Transfers != 4 || info.FeeAccount != 1 {
		t.Fatalf("chain info %+v does not reflect the deployment", info)
	}
	// The genesis fee account exists before any deposit.
	acc, err := c.GetAccount(ctx, api.AccountRef{Index: 1})
	if err != nil || acc.PubKey.String() != e.dep.FeeKey.String() {
		t.Fatalf("account 1: %+v %v", acc, err)
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
		{"sheaf", "sequencer", "--db.url", "postgres://x/y", "--l1.rpc", "http://127.0.0.1:1"},                            // no deployment file
		{"sheaf", "sequencer", "--db.url", "postgres://x/y", "--deploy.file", "/nonexistent/deployment.json"},             // unreadable file
		{"sheaf", "sequencer", "--deploy.file", "/nonexistent/deployment.json", "--l1.contract", "0x" + "11"[0:2] + "zz"}, // no db url
	} {
		app := newApp()
		app.Writer, app.ErrWriter = io.Discard, io.Discard
		if err := app.RunContext(context.Background(), args); err == nil {
			t.Fatalf("%v accepted", args)
		}
	}
}

// TestLivenessConfigMismatchCommand: `sheaf sequencer` compares its flags
// with the deployment file and the file with the node and the contract;
// each disagreement stops it before it touches the database, with a
// message naming both values. The watcher, the prover and the submitter
// refuse a file that disagrees with the contract the same way, and the
// submitter given only --l1.contract refuses a mode that is not the
// contract's. The right configuration then starts.
func TestLivenessConfigMismatchCommand(t *testing.T) {
	url := pgtest.NewDatabase(t)
	cfg := protocol.Config{Depth: 8, Deposits: 2, Transfers: 4, Withdrawals: 1}
	e := newTestL1(t, cfg)
	dir := t.TempDir()
	edited := func(name string, mut func(*l1.DeploymentFile)) string {
		f := *e.dep
		mut(&f)
		p := filepath.Join(dir, name)
		if err := l1.WriteDeployment(p, &f); err != nil {
			t.Fatal(err)
		}
		return p
	}
	other := protocoltest.Keys(8, 1)[0].Public().Bytes()
	keyFile := edited("key.json", func(f *l1.DeploymentFile) { f.FeeKey = other[:] })
	seqKeyHex := hexutil.Encode(crypto.FromECDSA(seqTestKey))
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"circuit flags", seqArgs(url, e, "--circuit.depth", "8", "--circuit.deposits", "2", "--circuit.transfers", "8", "--circuit.withdrawals", "1"),
			[]string{"d8-dep2-tx8-wd1", "d8-dep2-tx4-wd1"}},
		{"chain id flag", seqArgs(url, e, "--l1.chain-id", "5"), []string{"--l1.chain-id is 5", "says 1337"}},
		{"contract flag", seqArgs(url, e, "--l1.contract", "0x00000000000000000000000000000000005eaf01"),
			[]string{common.HexToAddress("0x5eaf01").Hex(), e.dep.Rollup.Hex()}},
		{"file's circuit", seqArgs(url, e, "--deploy.file", edited("circuit.json", func(f *l1.DeploymentFile) { f.Circuit.Transfers = 8 })),
			[]string{"file says circuit d8-dep2-tx8-wd1", "has circuit d8-dep2-tx4-wd1"}},
		{"file's chain", seqArgs(url, e, "--deploy.file", edited("chain.json", func(f *l1.DeploymentFile) { f.ChainID = 31337 })),
			[]string{"for chain 31337", "on chain 1337"}},
		{"file's fee key", seqArgs(url, e, "--deploy.file", keyFile),
			[]string{"fee key " + hexutil.Encode(other[:]), e.dep.FeeKey.String()}},
		{"file's contract", seqArgs(url, e, "--deploy.file", edited("rollup.json", func(f *l1.DeploymentFile) { f.Rollup = common.HexToAddress("0x5eaf01") })),
			[]string{"no contract at " + common.HexToAddress("0x5eaf01").Hex()}},
		// The other services read the same file and check it the same way.
		{"watcher: file's fee key", svcArgs("watcher", url, e, "--deploy.file", keyFile),
			[]string{"fee key " + hexutil.Encode(other[:]), e.dep.FeeKey.String()}},
		{"watcher: file's circuit", svcArgs("watcher", url, e, "--deploy.file", edited("circuit.json", func(f *l1.DeploymentFile) { f.Circuit.Transfers = 8 })),
			[]string{"file says circuit d8-dep2-tx8-wd1", "has circuit d8-dep2-tx4-wd1"}},
		{"prover: file's fee key", svcArgs("prover", url, e, "--deploy.file", keyFile, "--prover.dev-keys"),
			[]string{"fee key " + hexutil.Encode(other[:]), e.dep.FeeKey.String()}},
		{"submitter: file's fee key", svcArgs("submitter", url, e, "--deploy.file", keyFile, "--l1.key", seqKeyHex),
			[]string{"fee key " + hexutil.Encode(other[:]), e.dep.FeeKey.String()}},
		{"submitter: file's chain", svcArgs("submitter", url, e, "--deploy.file", edited("chain.json", func(f *l1.DeploymentFile) { f.ChainID = 31337 }), "--l1.key", seqKeyHex),
			[]string{"for chain 31337", "on chain 1337"}},
		{"submitter: --l1.contract in another mode", svcArgs("submitter", url, e, "--l1.contract", e.dep.Rollup.Hex(), "--submitter.da", "blob",
			"--l1.key", seqKeyHex, "--l1.blob-key", hexutil.Encode(crypto.FromECDSA(mustTestKey("0x23")))),
			[]string{"--submitter.da is blob", "posts in mode calldata"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := newApp()
			app.Writer, app.ErrWriter = io.Discard, io.Discard
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			err := app.RunContext(ctx, tc.args)
			if err == nil {
				t.Fatal("started")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Fatalf("error %q does not name %q", err, w)
				}
			}
			t.Log(err)
		})
	}
	// Nothing was recorded: no sequencer_state for a configuration the contract refuses.
	pool, err := pgxpool.New(context.Background(), url)
	if err == nil {
		defer pool.Close()
		var n int
		if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM sequencer_state`).Scan(&n); err == nil && n != 0 {
			t.Fatalf("%d sequencer_state rows after refused starts", n)
		}
	}
	// The right configuration starts and serves.
	rpcAddr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	app := newApp()
	app.Writer, app.ErrWriter = io.Discard, io.Discard
	go func() { done <- app.RunContext(ctx, seqArgs(url, e, "--rpc.addr", rpcAddr, "--metrics.addr", "")) }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		cc, err := client.Dial(ctx, "http://"+rpcAddr)
		if err == nil {
			info, err := cc.ChainID(ctx)
			cc.Close()
			if err == nil && info.Transfers == cfg.Transfers {
				break
			}
		}
		select {
		case err := <-done:
			t.Fatalf("sequencer exited: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("API not up")
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestPriorityMarginFlag(t *testing.T) {
	week := uint64(7 * 24 * 3600)
	for _, c := range []struct {
		in     string
		expiry uint64
		want   time.Duration
		err    bool
	}{
		{"1/2", week, 84 * time.Hour, false},
		{"1/4", 600, 150 * time.Second, false},
		{"1/2", 0, 0, false}, // unknown expiry: the sequencer takes half the contract's
		{"36h", week, 36 * time.Hour, false},
		{"2s", 0, 2 * time.Second, false},
		{"168h", week, 0, true}, // not below the expiry
		{"2/2", week, 0, true},
		{"0/2", week, 0, true},
		{"1/0", week, 0, true},
		{"-1h", week, 0, true},
		{"soon", week, 0, true},
	} {
		got, err := parsePriorityMargin(c.in, c.expiry)
		if (err != nil) != c.err || got != c.want {
			t.Errorf("parsePriorityMargin(%q, %d) = %v, %v; want %v, error %v", c.in, c.expiry, got, err, c.want, c.err)
		}
	}
}
