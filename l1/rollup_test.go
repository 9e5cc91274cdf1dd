package l1

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/constraint"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/sheafrollup/sheaf/circuits"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// testCfg is the smallest configuration with every slot kind.
var testCfg = protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1}

const (
	simChainID     = 1337 // ethclient/simulated's chain id
	genesisKeys    = 4
	genesisBalance = 1_000_000_000
	depositAmount  = 1_000_000 // wei
	withdrawAmount = 5_000     // wei
)

// Fixed L1 keys make the rollup's address (owner's second creation) the same
// in every test chain, so one proven batch serves every test.
var (
	ownerKey = mustKey("0x01")
	seqKey   = mustKey("0x02")
	userKey  = mustKey("0x03")
	userAddr = crypto.PubkeyToAddress(userKey.PublicKey)
)

func mustKey(h string) *ecdsa.PrivateKey {
	b := common.LeftPadBytes(hexutil.MustDecode(h), 32)
	k, err := crypto.ToECDSA(b)
	if err != nil {
		panic(err)
	}
	return k
}

// fixture: the circuit, its cached keys, the compiled verifier, and the
// first batch of the standard scenario with its proof.
type fixture struct {
	ccs      constraint.ConstraintSystem
	set      *keys.Set
	verifier []byte
	batch1   *protocol.Batch
	proof1   []byte
}

var (
	fxOnce sync.Once
	fx     *fixture
	fxErr  error
)

func getFixture(t *testing.T) *fixture {
	t.Helper()
	if testing.Short() {
		t.Skip("compiles the circuit and proves batches: skipped in -short")
	}
	fxOnce.Do(func() {
		start := time.Now()
		f := &fixture{}
		if f.ccs, fxErr = circuits.Compile(testCfg); fxErr != nil {
			return
		}
		if f.set, fxErr = keys.Cached(context.Background(), testCfg, f.ccs, keys.SetupOptions{}); fxErr != nil {
			return
		}
		if f.verifier, fxErr = CompileVerifier(context.Background(), f.set.VK); fxErr != nil {
			return
		}
		fx = f
		t.Logf("fixture: circuit, keys and verifier in %v", time.Since(start).Round(time.Millisecond))
	})
	if fxErr != nil {
		t.Fatal(fxErr)
	}
	return fx
}

func (f *fixture) prove(t *testing.T, b *protocol.Batch) []byte {
	t.Helper()
	start := time.Now()
	w, err := circuits.Witness(b)
	if err != nil {
		t.Fatal(err)
	}
	p, err := groth16.Prove(f.ccs, f.set.PK, w, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("proved batch %d in %v", b.Header.Number, time.Since(start).Round(time.Millisecond))
	return p.(interface{ MarshalSolidity() []byte }).MarshalSolidity()
}

// env is one fresh simulated chain with a deployed rollup and the L2 world
// that matches its genesis.
type env struct {
	t      *testing.T
	f      *fixture
	sim    *SimulatedChain
	client simulated.Client
	dep    *Deployment
	rollup *bindings.Rollup
	c      *bind.BoundContract
	world  *protocoltest.World
}

// genesisWorld returns the accounts every test chain starts from (a world
// whose accounts are loaded as of queue index 0 and batch 0).
func genesisWorld(t *testing.T, contract common.Address, balance uint64) *protocoltest.World {
	t.Helper()
	w0, err := protocoltest.NewWorld(testCfg, genesisKeys, balance)
	if err != nil {
		t.Fatal(err)
	}
	var accs []protocol.Account
	for i := 1; i <= w0.State.NumAccounts(); i++ {
		a, _ := w0.State.Account(uint32(i))
		accs = append(accs, a)
	}
	st, err := protocol.LoadState(testCfg, simChainID, contract, accs, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return &protocoltest.World{State: st, Keys: w0.Keys}
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWith(t, RefuseAllVerifier, 0)
}

// newEnvWith deploys with the given exit verifier and priority expiry (0:
// the default). Every env deploys the same three contracts in the same
// order, so the rollup's address, and with it batch 1's proof, is shared.
func newEnvWith(t *testing.T, exitVerifier []byte, expiry time.Duration) *env {
	t.Helper()
	f := getFixture(t)
	eth := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	alloc := types.GenesisAlloc{}
	for _, k := range []*ecdsa.PrivateKey{ownerKey, seqKey, userKey} {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1000), eth)}
	}
	sim := NewSimulatedChain(alloc, MainnetLikeGas)
	t.Cleanup(func() { sim.Close() })
	e := &env{t: t, f: f, sim: sim, client: sim.Client(), rollup: bindings.NewRollup()}

	// Deploy waits for receipts: mine in the background meanwhile.
	w := genesisWorld(t, common.Address{}, genesisBalance)
	genesisRoot := w.State.Root()
	root := genesisRoot.Bytes()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sim.Mine(20 * time.Millisecond)
	dep, err := Deploy(ctx, e.client, ownerKey, DeployConfig{
		Circuit:          testCfg,
		VerifierBytecode: f.verifier, ExitVerifierBytecode: exitVerifier, PriorityExpiry: expiry,
		GenesisRoot:      &root,
		GenesisNextIndex: uint32(w.State.NumAccounts() + 1),
		FeeKey:           w.Keys[0].Public(), // account 1 of the genesis world
		Sequencer:        crypto.PubkeyToAddress(seqKey.PublicKey),
		DepositCap:       new(big.Int).Mul(big.NewInt(10), eth),
	})
	sim.StopMining()
	if err != nil {
		t.Fatal(err)
	}
	e.dep = dep
	e.c = e.rollup.Instance(e.client, dep.Rollup)
	e.world = genesisWorld(t, dep.Rollup, genesisBalance)
	return e
}

// send signs and sends calldata to the rollup, mines it and returns the
// receipt; a revert found by gas estimation is returned as the error.
func (e *env) send(key *ecdsa.PrivateKey, data []byte, value *big.Int) (*types.Receipt, error) {
	e.t.Helper()
	opts := bind.NewKeyedTransactor(key, big.NewInt(simChainID))
	opts.Value = value
	tx, err := bind.Transact(e.c, opts, data)
	if err != nil {
		return nil, err
	}
	e.sim.Commit()
	r, err := bind.WaitMined(context.Background(), e.client, tx.Hash())
	if err != nil {
		e.t.Fatal(err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return r, errors.New("transaction reverted")
	}
	return r, nil
}

func (e *env) mustSend(key *ecdsa.PrivateKey, data []byte, value *big.Int) *types.Receipt {
	e.t.Helper()
	r, err := e.send(key, data, value)
	if err != nil {
		e.t.Fatalf("transaction failed: %v (%s)", err, revertName(err))
	}
	return r
}

func (e *env) deposit(pk protocol.PublicKey, amount int64) (*types.Receipt, error) {
	return e.send(userKey, e.rollup.PackDeposit(protocol.FrToBig(pk.X), protocol.FrToBig(pk.Y)), big.NewInt(amount))
}

func (e *env) submit(key *ecdsa.PrivateKey, b *protocol.Batch, number uint64, compact, proof []byte) (*types.Receipt, error) {
	return e.send(key, e.rollup.PackSubmitBatch(number, b.Header.OldRoot.Bytes(), b.Header.NewRoot.Bytes(),
		uint16(len(b.Deposits)), uint16(len(b.ForcedExits)), uint16(len(b.Transfers)), uint16(len(b.Withdrawals)), compact,
		depositorsOf(len(b.Deposits)), proof), nil)
}

// depositorsOf packs submitBatch's depositors for n deposits made by userKey
// (every deposit of these tests).
func depositorsOf(n int) []byte {
	var out []byte
	for range n {
		out = append(out, userAddr[:]...)
	}
	if out == nil {
		out = []byte{}
	}
	return out
}

// standardInput is the first batch of the scenario: a deposit to a new key
// (queued on L1 by the caller), two transfers, a withdrawal to userAddr.
func standardInput(w *protocoltest.World) protocol.BatchInput {
	fresh := protocoltest.Keys(7, 1)[0]
	in := protocol.BatchInput{FeeAccount: 1}
	in.Deposits = append(in.Deposits, w.QueueDeposit(fresh.Public(), depositAmount))
	in.Transfers = append(in.Transfers, w.Transfer(2, 3, 1200, 10, 0), w.Transfer(3, 4, 500, 20, 0))
	in.Withdrawals = append(in.Withdrawals, w.Withdrawal(4, userAddr, withdrawAmount, 30, 0))
	return in
}

// batch1 queues the standard deposit on L1, applies the standard batch to
// the env's world and returns it with its proof (proved once per package).
func (e *env) batch1() (*protocol.Batch, []byte) {
	e.t.Helper()
	in := standardInput(e.world)
	if _, err := e.deposit(in.Deposits[0].PubKey, depositAmount); err != nil {
		e.t.Fatal(err)
	}
	b, err := e.world.State.ApplyBatch(in)
	if err != nil {
		e.t.Fatal(err)
	}
	if e.f.batch1 == nil {
		e.f.proof1 = e.f.prove(e.t, b)
		e.f.batch1 = b
	}
	if b.PublicInput() != e.f.batch1.PublicInput() {
		e.t.Fatal("the standard batch is not deterministic")
	}
	return b, e.f.proof1
}

func (e *env) call(data []byte) []byte {
	e.t.Helper()
	out, err := e.c.CallRaw(&bind.CallOpts{}, data)
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

var (
	rollupABI   = mustABI(bindings.RollupMetaData.ABI)
	verifierABI = mustABI(`[{"type":"error","name":"ProofInvalid","inputs":[]},{"type":"error","name":"PublicInputNotInField","inputs":[]}]`)
)

func mustABI(s string) *abi.ABI {
	a, err := abi.JSON(strings.NewReader(s))
	if err != nil {
		panic(err)
	}
	return &a
}

// revertName names the custom error in a reverted call's data ("" if none).
func revertName(err error) string {
	if name, ok := RevertName(err, rollupABI, verifierABI); ok {
		return name
	}
	var de rpc.DataError
	if errors.As(err, &de) {
		if s, isStr := de.ErrorData().(string); isStr {
			return "unknown error " + s
		}
	}
	return ""
}

func expectRevert(t *testing.T, err error, name string) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted; want revert %s", name)
	}
	if got := revertName(err); got != name {
		t.Fatalf("reverted with %q (%v); want %s", got, err, name)
	}
}
