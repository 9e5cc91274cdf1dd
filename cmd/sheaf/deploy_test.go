package main

import (
	"context"
	"encoding/json"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// TestDeployCore deploys to a simulated chain through the command's core
// function (stub verifier: the rollup only needs code there) and reads the
// written file back as the other services do.
func TestDeployCore(t *testing.T) {
	cfg := protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1}
	e := newTestL1(t, cfg)
	got, err := l1.ReadDeployment(e.depFile)
	if err != nil {
		t.Fatal(err)
	}
	fk := e.feeKey.Public().Bytes()
	if got.Rollup != e.dep.Rollup || got.ChainID != 1337 || got.Circuit != cfg || got.Block == 0 || got.DepositCap.Cmp(big.NewInt(1e18)) != 0 ||
		string(got.FeeKey) != string(fk[:]) || got.ChangeDelay != 8 || got.MinDeposit.Int64() != 1 || got.DataAvailability != "calldata" {
		t.Fatalf("deployment file %+v", got)
	}
	ctx := context.Background()
	if code, err := e.sim.Client().CodeAt(ctx, got.Rollup, nil); err != nil || len(code) == 0 {
		t.Fatalf("no rollup code at %s: %v", got.Rollup, err)
	}
	// The file agrees with the contract it names.
	if _, err := l1.CheckDeployment(ctx, e.sim.Client(), got); err != nil {
		t.Fatal(err)
	}
	key, _ := crypto.ToECDSA(common.LeftPadBytes([]byte{9}, 32))
	p := deployParams{Key: key, Out: e.depFile, Dev: true, Config: l1.DeployConfig{Circuit: cfg, VerifierBytecode: acceptAllVerifier, ExitVerifierBytecode: l1.RefuseAllVerifier,
		FeeKey: e.feeKey.Public(), Sequencer: common.HexToAddress("0x5e9")}}
	if _, err := deploy(ctx, e.sim.Client(), p, nil); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("second deploy over the same file: %v", err)
	}
}

func TestDeployFlags(t *testing.T) {
	pub := protocoltest.Keys(7, 1)[0].Public().Bytes()
	base := []string{"sheaf", "deploy", "--l1.key", "0x" + strings.Repeat("11", 32), "--circuit.depth", "4",
		"--circuit.deposits", "1", "--circuit.transfers", "2", "--circuit.withdrawals", "1"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "--deploy.fee-key: required"},
		{[]string{"--deploy.fee-key", "0x1234"}, "64 hex digits"},
		{[]string{"--deploy.fee-key", hexutil.Encode(pub[:]), "--deploy.min-deposit", "0"}, "--deploy.min-deposit"},
		{[]string{"--deploy.fee-key", hexutil.Encode(pub[:]), "--deploy.deposit-cap", "10", "--deploy.min-deposit", "11"}, "--deploy.min-deposit"},
		{[]string{"--deploy.fee-key", hexutil.Encode(pub[:]), "--deploy.change-delay", "0"}, "--deploy.change-delay"},
		{[]string{"--deploy.fee-key", hexutil.Encode(pub[:])}, "--l1.rpc is required"},
		// The blob sequencer: auto only, required there, not the sequencer.
		{[]string{"--deploy.fee-key", hexutil.Encode(pub[:]), "--deploy.blob-sequencer", "0x" + strings.Repeat("22", 20)}, "--deploy.blob-sequencer is for --circuit.da auto"},
		{[]string{"--deploy.fee-key", hexutil.Encode(pub[:]), "--circuit.da", "auto"}, "needs --deploy.blob-sequencer"},
		{[]string{"--deploy.fee-key", hexutil.Encode(pub[:]), "--circuit.da", "auto", "--deploy.blob-sequencer", "0x22"}, "not an address"},
		{[]string{"--deploy.fee-key", hexutil.Encode(pub[:]), "--circuit.da", "auto", "--deploy.sequencer", "0x" + strings.Repeat("22", 20),
			"--deploy.blob-sequencer", "0x" + strings.Repeat("22", 20)}, "must differ from the sequencer"},
		{[]string{"--deploy.fee-key", hexutil.Encode(pub[:]), "--circuit.da", "auto", "--deploy.blob-sequencer", "0x" + strings.Repeat("22", 20)}, "--l1.rpc is required"},
	} {
		app := newApp()
		app.Writer, app.ErrWriter = io.Discard, io.Discard
		err := app.RunContext(context.Background(), append(append([]string{}, base...), tc.args...))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.args, err, tc.want)
		}
	}
}

func TestVerifierBytecodeChecksConfig(t *testing.T) {
	dir := t.TempDir()
	b, _ := json.Marshal(keys.Meta{Config: protocol.Config{Depth: 8, Deposits: 1, Transfers: 2, Withdrawals: 1}})
	if err := os.WriteFile(filepath.Join(dir, keys.MetaFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := verifierBytecode(context.Background(), dir, keys.CircuitBatch, protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1})
	if err == nil || !strings.Contains(err.Error(), "are for circuit") {
		t.Fatalf("mismatched keys dir: %v", err)
	}
}

// TestDeployAuto: an auto deployment takes both twins' verifiers, from the
// twins' key directories, and its file says so.
func TestDeployAuto(t *testing.T) {
	cfg := protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1, DA: protocol.DAAuto}
	m := cfg.Modes()
	for _, tc := range []struct {
		cfg          protocol.Config
		flag         string
		dir, blobDir string
	}{
		{m[0], "", filepath.Join("keys", m[0].String()), ""},
		{m[1], "k", "k", ""},
		{cfg, "", filepath.Join("keys", m[0].String()), filepath.Join("keys", m[1].String())},
		{cfg, "k", filepath.Join("k", m[0].String()), filepath.Join("k", m[1].String())},
	} {
		if d, b := batchKeysDirs(tc.cfg, tc.flag); d != tc.dir || b != tc.blobDir {
			t.Errorf("%s, --keys.dir %q: %q and %q, want %q and %q", tc.cfg, tc.flag, d, b, tc.dir, tc.blobDir)
		}
	}

	e := newTestL1(t, cfg, func(dc *l1.DeployConfig) {
		dc.BlobVerifierBytecode, dc.BlobSequencer = acceptAllVerifier, common.HexToAddress("0xb10b")
	})
	got, err := l1.ReadDeployment(e.depFile)
	if err != nil {
		t.Fatal(err)
	}
	if got.Circuit != cfg || got.DataAvailability != "auto" || got.BlobVerifier == (common.Address{}) || got.BlobVerifier == got.Verifier ||
		got.BlobSequencer != common.HexToAddress("0xb10b") {
		t.Fatalf("deployment file %+v", got)
	}
	ctx := context.Background()
	if _, err := l1.CheckDeployment(ctx, e.sim.Client(), got); err != nil {
		t.Fatal(err)
	}

	// The blob twin's verifier comes from its own key directory, whose
	// keys must be the blob twin's.
	dir := t.TempDir()
	b, _ := json.Marshal(keys.Meta{Circuit: keys.CircuitBatch, Config: m[0]})
	if err := os.WriteFile(filepath.Join(dir, keys.MetaFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	key, _ := crypto.ToECDSA(common.LeftPadBytes([]byte{9}, 32))
	p := deployParams{Key: key, Out: filepath.Join(t.TempDir(), "d.json"), Dev: true, BlobKeysDir: dir,
		Config: l1.DeployConfig{Circuit: cfg, VerifierBytecode: acceptAllVerifier, ExitVerifierBytecode: l1.RefuseAllVerifier,
			FeeKey: e.feeKey.Public(), Sequencer: common.HexToAddress("0x5e9"), BlobSequencer: common.HexToAddress("0xb10b")}}
	if _, err := deploy(ctx, e.sim.Client(), p, nil); err == nil || !strings.Contains(err.Error(), m[1].String()) {
		t.Fatalf("blob twin from the calldata twin's keys: %v", err)
	}
}
