package main

import (
	"context"
	"errors"
	"io"
	"math/big"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// TestSubmitterCommandFlags checks that `sheaf submitter` refuses bad
// flags before it dials anything, and reads a deployment file.
func TestSubmitterCommandFlags(t *testing.T) {
	t.Parallel()
	dep := filepath.Join(t.TempDir(), "deployment.json")
	fk := protocoltest.Keys(7, 1)[0].Public().Bytes()
	if err := l1.WriteDeployment(dep, &l1.DeploymentFile{ChainID: 31337, Rollup: common.HexToAddress("0x5eaf01"),
		Verifier: common.HexToAddress("0x5eaf02"), ExitVerifier: common.HexToAddress("0x5eaf04"), PriorityExpiry: 60,
		DepositCap: big.NewInt(1), DataAvailability: l1.DataAvailabilityCalldata, FeeKey: fk[:],
		Circuit: protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1}, Sequencer: common.HexToAddress("0x5eaf03")}); err != nil {
		t.Fatal(err)
	}
	key := "0x" + strings.Repeat("11", 32)
	blobKey := "0x" + strings.Repeat("22", 32)
	base := []string{"sheaf", "--log.level", "error", "submitter", "--db.url", "postgres://x@127.0.0.1:1/db",
		"--metrics.addr", "", "--l1.rpc", "http://127.0.0.1:1"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--l1.contract", "0x00000000000000000000000000000000005eaf01"}, "--l1.key or --l1.key-file is required"},
		{[]string{"--l1.key", "zz", "--l1.contract", "0x00000000000000000000000000000000005eaf01"}, "not a hex secp256k1 private key"},
		{[]string{"--l1.key", key}, "--deploy.file or --l1.contract is required"},
		{[]string{"--l1.key", key, "--l1.contract", "0x00000000000000000000000000000000005eaf01", "--deploy.file", dep}, "not both"},
		{[]string{"--l1.key", key, "--l1.contract", "0x00000000000000000000000000000000005eaf01", "--submitter.fee-bump-percent", "5"}, "below the 10%"},
		{[]string{"--l1.key", key, "--l1.contract", "0x00000000000000000000000000000000005eaf01", "--submitter.max-fee-cap", "1e9"}, "not a wei amount"},
		{[]string{"--l1.key", key, "--l1.contract", "0x00000000000000000000000000000000005eaf01", "--submitter.confirmations", "0"}, "confirmations"},
		// Blob mode: a dedicated blob key, no other.
		{[]string{"--l1.key", key, "--l1.contract", "0x00000000000000000000000000000000005eaf01", "--submitter.da", "blob"}, "--l1.blob-key or --l1.blob-key-file is required"},
		{[]string{"--l1.key", key, "--l1.blob-key", key, "--l1.contract", "0x00000000000000000000000000000000005eaf01", "--submitter.da", "blob"}, "must be dedicated"},
		{[]string{"--l1.blob-key", "zz", "--l1.contract", "0x00000000000000000000000000000000005eaf01", "--submitter.da", "blob"}, "not a hex secp256k1 private key"},
		{[]string{"--l1.key", key, "--l1.blob-key", blobKey, "--l1.contract", "0x00000000000000000000000000000000005eaf01"}, "for blob-mode and auto-mode deployments"},
		{[]string{"--l1.key", key, "--l1.blob-key", blobKey, "--deploy.file", dep, "--submitter.da", "blob"}, "deployment file's circuit"},
		{[]string{"--l1.blob-key", blobKey, "--l1.contract", "0x00000000000000000000000000000000005eaf01", "--submitter.da", "blobs"}, "is not"},
		{[]string{"--l1.blob-key", blobKey, "--l1.contract", "0x00000000000000000000000000000000005eaf01", "--submitter.da", "blob", "--submitter.max-blob-fee-cap", "0"}, "max blob fee cap"},
		// Auto mode: both keys, at distinct addresses.
		{[]string{"--l1.key", key, "--l1.contract", "0x00000000000000000000000000000000005eaf01", "--submitter.da", "auto"}, "auto mode: --l1.blob-key or --l1.blob-key-file is required"},
		{[]string{"--l1.blob-key", blobKey, "--l1.contract", "0x00000000000000000000000000000000005eaf01", "--submitter.da", "auto"}, "auto mode: --l1.key or --l1.key-file is required"},
		{[]string{"--l1.key", key, "--l1.blob-key", key, "--l1.contract", "0x00000000000000000000000000000000005eaf01", "--submitter.da", "auto"}, "must be dedicated"},
		{[]string{"--l1.key", key, "--l1.blob-key", blobKey, "--l1.contract", "0x00000000000000000000000000000000005eaf01", "--submitter.da", "auto", "--submitter.max-blob-fee-cap", "0"}, "max blob fee cap"},
		{[]string{"--l1.key", key, "--l1.blob-key", blobKey, "--deploy.file", dep, "--submitter.da", "auto"}, "deployment file's circuit"},
		// Valid flags: it gets as far as the node, which is not there.
		{[]string{"--l1.key", key, "--l1.blob-key", blobKey, "--l1.contract", "0x00000000000000000000000000000000005eaf01", "--submitter.da", "auto"}, "--l1.rpc: chain id"},
		{[]string{"--l1.key", key, "--deploy.file", dep, "--submitter.da", "calldata"}, "--l1.rpc: chain id"},
		{[]string{"--l1.blob-key", blobKey, "--l1.contract", "0x00000000000000000000000000000000005eaf01", "--submitter.da", "blob"}, "--l1.rpc: chain id"},
		{[]string{"--l1.key", key, "--deploy.file", dep}, "--l1.rpc: chain id"},
		{[]string{"--l1.key", key, "--l1.contract", "0x00000000000000000000000000000000005eaf01"}, "--l1.rpc: chain id"},
	} {
		app := newApp()
		app.Writer, app.ErrWriter = io.Discard, io.Discard
		err := app.RunContext(context.Background(), append(append([]string{}, base...), tc.args...))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.args, err, tc.want)
		}
		if err != nil && (strings.Contains(err.Error(), "1111111111") || strings.Contains(err.Error(), "2222222222")) {
			t.Errorf("error echoes the key: %v", err)
		}
	}
}

// fakeSequencer is a rollup whose sequencer is addr and blob sequencer
// blob (zero outside auto mode).
type fakeSequencer struct{ addr, blob common.Address }

func (f fakeSequencer) Sequencer(context.Context) (common.Address, error)     { return f.addr, nil }
func (f fakeSequencer) BlobSequencer(context.Context) (common.Address, error) { return f.blob, nil }

// The keys a mode signs with must be the rollup's senders: the sequencer,
// and in auto mode the blob sequencer for the blob key; a key the mode does
// not sign with is not checked.
func TestCheckSubmitterSenders(t *testing.T) {
	t.Parallel()
	k1, _ := crypto.HexToECDSA(strings.Repeat("11", 32))
	k2, _ := crypto.HexToECDSA(strings.Repeat("22", 32))
	a1, a2 := crypto.PubkeyToAddress(k1.PublicKey), crypto.PubkeyToAddress(k2.PublicKey)
	a3, zero := common.Address{3}, common.Address{}
	for _, tc := range []struct {
		da        string
		keys      submitterKeys
		seq, blob common.Address
		ok        bool
	}{
		{"", submitterKeys{Calldata: k1}, a1, zero, true},
		{"", submitterKeys{Calldata: k1}, a2, zero, false},
		{protocol.DABlob, submitterKeys{Blob: k2}, a2, zero, true},
		{protocol.DABlob, submitterKeys{Calldata: k1, Blob: k2}, a2, zero, true},
		{protocol.DABlob, submitterKeys{Calldata: k1, Blob: k2}, a1, zero, false},
		// Auto: --l1.key is the sequencer, --l1.blob-key the blob sequencer.
		{protocol.DAAuto, submitterKeys{Calldata: k1, Blob: k2}, a1, a2, true},
		{protocol.DAAuto, submitterKeys{Calldata: k1, Blob: k2}, a2, a1, false}, // swapped
		{protocol.DAAuto, submitterKeys{Calldata: k1, Blob: k2}, a1, a3, false}, // blob key not the blob sequencer
		{protocol.DAAuto, submitterKeys{Calldata: k1, Blob: k2}, a3, a2, false}, // calldata key not the sequencer
		{protocol.DAAuto, submitterKeys{Calldata: k1, Blob: k2}, a2, zero, false},
	} {
		err := checkSubmitterSenders(context.Background(), fakeSequencer{tc.seq, tc.blob}, tc.keys, tc.da)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, l1.ErrMismatch)) {
			t.Errorf("mode %q, sequencer %s: %v, want ok %v (or ErrMismatch)", tc.da, tc.seq, err, tc.ok)
		}
	}
}
