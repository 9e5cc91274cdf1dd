package main

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"net"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// acceptAllVerifier is a contract whose runtime is one STOP: the rollup
// only needs code at its verifier address for these tests.
var acceptAllVerifier = hexutil.MustDecode("0x6001600c60003960016000f300")

// testL1 is a simulated chain served over HTTP with a deployed rollup.
type testL1 struct {
	sim     *l1.SimulatedChain
	url     string
	depFile string
	dep     *l1.DeploymentFile
	feeKey  protocol.PrivateKey
}

// newTestL1 starts the chain, mines a block every 10 ms and deploys cfg
// through the deploy command's core; t.Cleanup closes the chain (its
// miner stopped and waited for first).
func newTestL1(t *testing.T, cfg protocol.Config, mut ...func(*l1.DeployConfig)) *testL1 {
	t.Helper()
	key, _ := crypto.ToECDSA(common.LeftPadBytes([]byte{9}, 32))
	alloc := types.GenesisAlloc{crypto.PubkeyToAddress(key.PublicKey): {Balance: new(big.Int).Lsh(big.NewInt(1), 70)}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	sim := l1.NewSimulatedChain(alloc, l1.ServeHTTP("127.0.0.1", port))
	sim.Mine(10 * time.Millisecond)
	t.Cleanup(func() { sim.Close() }) // stops the miner and waits for it first
	e := &testL1{sim: sim, url: "http://127.0.0.1:" + strconv.Itoa(port), feeKey: protocoltest.Keys(7, 1)[0]}
	e.depFile = filepath.Join(t.TempDir(), "deployment.json")
	p := deployParams{Key: key, Out: e.depFile, Dev: true, Config: l1.DeployConfig{
		Circuit: cfg, VerifierBytecode: acceptAllVerifier, ExitVerifierBytecode: l1.RefuseAllVerifier, FeeKey: e.feeKey.Public(),
		Sequencer: crypto.PubkeyToAddress(seqTestKey.PublicKey), DepositCap: big.NewInt(1e18), ChangeDelay: 8}}
	for _, m := range mut {
		m(&p.Config)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if e.dep, err = deploy(ctx, sim.Client(), p, nil); err != nil {
		t.Fatal(err)
	}
	return e
}

// seqTestKey is the sequencer address of testL1 deployments.
var seqTestKey = mustTestKey("0x" + "22")

func mustTestKey(h string) *ecdsa.PrivateKey {
	k, err := crypto.ToECDSA(common.LeftPadBytes(hexutil.MustDecode(h), 32))
	if err != nil {
		panic(err)
	}
	return k
}
