package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/rpc"

	"github.com/sheafrollup/sheaf/audit"
	"github.com/sheafrollup/sheaf/audit/audittest"
	"github.com/sheafrollup/sheaf/l1"
)

// TestAuditCommand runs `sheaf audit` over JSON-RPC against a simulated
// chain with four proven batches, as an auditor would: endpoint,
// deployment file and verifying key only.
func TestAuditCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("proves four batches: skipped in -short")
	}
	ch, addr := auditChain(t)
	// The command's own time, apart from building the history (four
	// proofs: minutes under the race detector on a busy machine).
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	dir := t.TempDir()
	depFile := filepath.Join(dir, "deployment.json")
	if err := l1.WriteDeployment(depFile, ch.File); err != nil {
		t.Fatal(err)
	}
	if err := ch.Keys.Write(filepath.Join(dir, "keys")); err != nil {
		t.Fatal(err)
	}
	final := []string{"--l1.rpc", "http://" + addr, "--deploy.file", depFile, "--audit.vk", filepath.Join(dir, "keys")}
	base := append([]string{"--audit.confirmations", "0"}, final...) // the whole history, to the head
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		app := newApp()
		app.Writer, app.ErrWriter = &out, io.Discard
		err := app.RunContext(ctx, append([]string{"sheaf", "--log.level", "warn"}, args...))
		return out.String(), err
	}

	// The whole history, JSON, with a saved point.
	state := filepath.Join(dir, "audit.json")
	out, err := run(append([]string{"audit", "--json", "--audit.state", state}, base...)...)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var rep audit.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	last := ch.Batches[3].Batch.Header.NewRoot.Bytes()
	if !rep.OK || rep.LastBatch != 4 || rep.Root != rep.ContractRoot || rep.Root != "0x"+strings.ToLower(bytesHex(last[:])) {
		t.Fatalf("report %+v", rep)
	}
	// Again, human summary: resumes, nothing new to check.
	out, err = run(append([]string{"audit", "--audit.state", state}, base...)...)
	if err != nil || !strings.Contains(out, "audit PASSED") || !strings.Contains(out, "resumed from batch 4") {
		t.Fatalf("%v\n%s", err, out)
	}

	// An individual's question.
	out, err = run(append([]string{"audit", "account", "--index", "2", "--batch", "2", "--json"}, base...)...)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var ans accountAnswer
	if err := json.Unmarshal([]byte(out), &ans); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := ch.Batches[1].Accounts[1]
	if ans.Batch != 2 || ans.Index != 2 || !ans.Verified || ans.Balance != want.Balance.Dec() || ans.Nonce != want.Nonce || len(ans.Siblings) != audittest.Config.Depth {
		t.Fatalf("answer %+v, want %+v", ans, want)
	}
	k := ch.L2Keys[0].Public().Bytes()
	out, err = run(append([]string{"audit", "account", "--key", "0x" + bytesHex(k[:])}, base...)...)
	if err != nil || !strings.Contains(out, "account 1 at batch 4") || !strings.Contains(out, "balance  "+ch.Batches[3].Accounts[0].Balance.Dec()) {
		t.Fatalf("%v\n%s", err, out)
	}

	// By default the audit stops at the node's finalized block (the
	// simulated chain finalizes every 32 blocks)...
	head, err := ch.Client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fin, err := ch.Client.HeaderByNumber(ctx, big.NewInt(int64(rpc.FinalizedBlockNumber)))
	if err != nil {
		t.Fatal(err)
	}
	out, err = run(append([]string{"audit", "--json"}, final...)...)
	if fin.Number.Uint64() < ch.Deployment.Block {
		if err == nil || !strings.Contains(err.Error(), "before the rollup's deployment block") {
			t.Fatalf("audit before the deployment is final: %v\n%s", err, out)
		}
	} else {
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Block != fin.Number.Uint64() || rep.Block >= head {
			t.Fatalf("default audit stopped at block %d, finalized %d, head %d (%v)", rep.Block, fin.Number, head, err)
		}
	}
	// ... and once every batch is final, it sees them all.
	for i := 0; i < 64; i++ {
		ch.Sim.Commit()
	}
	out, err = run(append([]string{"audit", "--json"}, final...)...)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || !rep.OK || rep.LastBatch != 4 {
		t.Fatalf("finalized audit %+v (%v)", rep, err)
	}

	// A wrong genesis: refused before any batch, naming both roots.
	gen := filepath.Join(dir, "genesis.json")
	pk := ch.L2Keys[2].Public()
	x, y := pk.X.Bytes(), pk.Y.Bytes()
	g := `[{"x":"0x` + bytesHex(x[:]) + `","y":"0x` + bytesHex(y[:]) + `","balance":"5","nonce":0}]`
	if err := os.WriteFile(gen, []byte(g), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = run(append([]string{"audit", "--audit.genesis", gen}, base...)...)
	if err == nil || !strings.Contains(err.Error(), "the rollup's genesis root is") {
		t.Fatalf("err %v\n%s", err, out)
	}
}

var (
	auditOnce sync.Once
	auditCh   *audittest.Chain
	auditAddr string
	auditErr  error
)

// auditChain builds the proven history once per test process (-count=N
// reruns the test on it; the audit only reads it) and serves its JSON-RPC
// on a local port. The chain lives until the process exits.
func auditChain(t *testing.T) (*audittest.Chain, string) {
	t.Helper()
	auditOnce.Do(func() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			auditErr = err
			return
		}
		auditAddr = ln.Addr().String()
		ln.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
		defer cancel()
		auditCh, auditErr = audittest.New(ctx, audittest.Options{HTTP: auditAddr, Log: t.Logf})
	})
	if auditErr != nil {
		t.Fatal(auditErr)
	}
	return auditCh, auditAddr
}

func bytesHex(b []byte) string {
	const digits = "0123456789abcdef"
	s := make([]byte, 2*len(b))
	for i, c := range b {
		s[2*i], s[2*i+1] = digits[c>>4], digits[c&15]
	}
	return string(s)
}
