package client_test

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/holiman/uint256"

	"github.com/sheafrollup/sheaf/api/client"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// stubVerifier's runtime code is one STOP: every proof "verifies", so these
// tests can post batches without proving them (the contract's own checks
// of roots, counts and pubdata still run). Real proofs: e2e/.
var stubVerifier = hexutil.MustDecode("0x6001600c60003960016000f300")

var (
	l1Cfg        = protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1}
	ownerKey     = mustECDSA(1)
	userKey      = mustECDSA(3)
	recipientKey = mustECDSA(4)
	ether        = new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
)

func mustECDSA(b byte) *ecdsa.PrivateKey {
	k, err := crypto.ToECDSA(common.LeftPadBytes([]byte{b}, 32))
	if err != nil {
		panic(err)
	}
	return k
}

type l1Env struct {
	t      *testing.T
	ctx    context.Context
	sim    *l1.SimulatedChain
	client simulated.Client
	dep    *l1.Deployment
	rollup *bindings.Rollup
}

func newL1Env(t *testing.T) *l1Env {
	t.Helper()
	alloc := types.GenesisAlloc{}
	for _, k := range []*ecdsa.PrivateKey{ownerKey, userKey, recipientKey} {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(100), ether)}
	}
	sim := l1.NewSimulatedChain(alloc, l1.MainnetLikeGas)
	sim.Mine(5 * time.Millisecond) // blocks keep coming while the test waits for receipts
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(func() {
		cancel()
		sim.Close() // stops the miner and waits for it first
	})
	e := &l1Env{t: t, ctx: ctx, sim: sim, client: sim.Client(), rollup: bindings.NewRollup()}
	dep, err := l1.Deploy(ctx, e.client, ownerKey, l1.DeployConfig{Circuit: l1Cfg, VerifierBytecode: stubVerifier, ExitVerifierBytecode: l1.RefuseAllVerifier,
		Sequencer: crypto.PubkeyToAddress(ownerKey.PublicKey), FeeKey: protocoltest.Keys(99, 1)[0].Public()})
	if err != nil {
		t.Fatal(err)
	}
	e.dep = dep
	return e
}

func (e *l1Env) call(data []byte) []byte {
	e.t.Helper()
	out, err := e.client.CallContract(e.ctx, ethereum.CallMsg{To: &e.dep.Rollup, Data: data}, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// creditWithdrawal posts the next batch with one withdrawal of amount wei
// from account 1 to addr (the stub verifier accepts its empty proof).
func (e *l1Env) creditWithdrawal(addr common.Address, amount *big.Int) uint64 {
	e.t.Helper()
	root, _ := e.rollup.UnpackStateRoot(e.call(e.rollup.PackStateRoot()))
	next, _ := e.rollup.UnpackNextBatch(e.call(e.rollup.PackNextBatch()))
	code, err := protocol.AmountFloat.Encode(uint256.MustFromBig(amount))
	if err != nil {
		e.t.Fatal(err)
	}
	af := protocol.PackAmountFee(code, 0)
	pubdata := append(append([]byte{1}, addr[:]...), af[:]...)
	newRoot := root
	newRoot[31] ^= 1
	opts := bind.NewKeyedTransactor(ownerKey, big.NewInt(1337))
	opts.Context = e.ctx
	tx, err := bind.Transact(e.rollup.Instance(e.client, e.dep.Rollup), opts,
		e.rollup.PackSubmitBatch(next, root, newRoot, 0, 0, 0, 1, pubdata, nil, []byte{0}))
	if err != nil {
		e.t.Fatal(err)
	}
	r, err := bind.WaitMined(e.ctx, e.client, tx.Hash())
	if err != nil || r.Status != types.ReceiptStatusSuccessful {
		e.t.Fatalf("submitBatch: %v (status %v)", err, r)
	}
	return next
}

func (e *l1Env) balance(a common.Address) *big.Int {
	b, err := e.client.BalanceAt(e.ctx, a, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

func TestL1DepositClaimStatus(t *testing.T) {
	e := newL1Env(t)
	l, err := client.NewL1(e.ctx, e.client, e.dep.Rollup, 1337)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.NewL1(e.ctx, e.client, e.dep.Rollup, 1); err == nil {
		t.Fatal("a rollup pinned to another chain accepted")
	}
	if _, err := client.NewL1(e.ctx, e.client, common.Address{0xa1}, 0); err == nil {
		t.Fatal("an address without code accepted")
	}
	keys := protocoltest.Keys(9, 2)

	// Deposits: queue indexes in order, the event's key checked.
	for i, k := range keys {
		d, err := l.Deposit(e.ctx, userKey, k.Public(), new(big.Int).Set(ether))
		if err != nil {
			t.Fatal(err)
		}
		if d.QueueIndex != uint64(i) || d.Amount.Cmp(ether) != 0 || d.Block == 0 {
			t.Fatalf("deposit %d: %+v", i, d)
		}
	}
	if got := e.balance(e.dep.Rollup); got.Cmp(new(big.Int).Mul(big.NewInt(2), ether)) != 0 {
		t.Fatalf("contract holds %s", got)
	}
	// Refused before anything is sent: a zero amount, a small-order key,
	// more than the cap (2^128 - 1 by default).
	before, _ := e.client.PendingNonceAt(e.ctx, crypto.PubkeyToAddress(userKey.PublicKey))
	if _, err := l.Deposit(e.ctx, userKey, keys[0].Public(), big.NewInt(0)); err == nil {
		t.Fatal("zero deposit")
	}
	var identity protocol.PublicKey
	identity.Y.SetOne()
	if _, err := l.Deposit(e.ctx, userKey, identity, big.NewInt(1)); !errors.Is(err, protocol.ErrBadPublicKey) {
		t.Fatalf("small-order key: %v", err)
	}
	if _, err := l.Deposit(e.ctx, userKey, keys[0].Public(), new(big.Int).Lsh(big.NewInt(1), 128)); err == nil {
		t.Fatal("deposit above the cap")
	}
	if after, _ := e.client.PendingNonceAt(e.ctx, crypto.PubkeyToAddress(userKey.PublicKey)); after != before {
		t.Fatal("a refused deposit sent a transaction")
	}

	recipient := crypto.PubkeyToAddress(recipientKey.PublicKey)
	amount := new(big.Int).Mul(big.NewInt(25), new(big.Int).Exp(big.NewInt(10), big.NewInt(16), nil)) // 0.25 ETH
	st, err := l.WithdrawalStatus(e.ctx, 1, recipient, e.dep.Block)
	if err != nil || st.Status != client.WithdrawalNotCredited || st.Claimable.Sign() != 0 {
		t.Fatalf("before the batch: %+v %v", st, err)
	}
	if _, err := l.Claim(e.ctx, recipientKey); !errors.Is(err, client.ErrNothingToClaim) {
		t.Fatalf("claim with nothing credited: %v", err)
	}
	batch := e.creditWithdrawal(recipient, amount)
	st, err = l.WithdrawalStatus(e.ctx, batch, recipient, e.dep.Block)
	if err != nil || st.Status != client.WithdrawalClaimable || st.CreditedAmount.Cmp(amount) != 0 || st.Claimable.Cmp(amount) != 0 || st.Confirmations < 1 {
		t.Fatalf("credited: %+v %v", st, err)
	}
	if st, _ := l.WithdrawalStatus(e.ctx, batch+1, recipient, e.dep.Block); st.Status != client.WithdrawalNotCredited {
		t.Fatalf("another batch: %+v", st)
	}
	balBefore := e.balance(recipient)
	c, err := l.Claim(e.ctx, recipientKey)
	if err != nil || c.Amount.Cmp(amount) != 0 || c.To != recipient {
		t.Fatalf("claim: %+v %v", c, err)
	}
	rcpt, _ := e.client.TransactionReceipt(e.ctx, c.TxHash)
	gas := new(big.Int).Mul(new(big.Int).SetUint64(rcpt.GasUsed), rcpt.EffectiveGasPrice)
	if want := new(big.Int).Sub(new(big.Int).Add(balBefore, amount), gas); e.balance(recipient).Cmp(want) != 0 {
		t.Fatalf("recipient has %s after the claim, want %s", e.balance(recipient), want)
	}
	st, err = l.WithdrawalStatus(e.ctx, batch, recipient, e.dep.Block)
	if err != nil || st.Status != client.WithdrawalClaimed || st.ClaimTx != c.TxHash.Hex() || st.Claimable.Sign() != 0 {
		t.Fatalf("after the claim: %+v %v", st, err)
	}
	if _, err := l.Claim(e.ctx, recipientKey); !errors.Is(err, client.ErrNothingToClaim) {
		t.Fatalf("second claim: %v", err)
	}

	// claimTo pays another address (when the contract has it).
	batch = e.creditWithdrawal(recipient, amount)
	other := common.Address{0xbe, 0xef}
	ct, err := l.ClaimTo(e.ctx, recipientKey, other)
	if errors.Is(err, client.ErrNoClaimTo) {
		t.Skipf("claimTo: %v", err)
	}
	if err != nil || ct.Amount.Cmp(amount) != 0 || ct.To != other || e.balance(other).Cmp(amount) != 0 {
		t.Fatalf("claimTo: %+v %v (other holds %s)", ct, err, e.balance(other))
	}
	if st, _ := l.WithdrawalStatus(e.ctx, batch, recipient, e.dep.Block); st.Status != client.WithdrawalClaimed {
		t.Fatalf("after claimTo: %+v", st)
	}
}
