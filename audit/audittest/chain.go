// Package audittest builds a real rollup history for auditor tests: a
// simulated L1 chain with the real Rollup contract and verifier, real
// deposits and real Groth16 proofs of the small configuration
// {Depth 4, Deposits 1, Transfers 2, Withdrawals 1}.
package audittest

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/constraint"
	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"

	"github.com/sheafrollup/sheaf/circuits"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// Config is the smallest configuration with every slot kind.
var Config = protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1}

// BlobConfig is Config in blob mode (NewBlob): the transfer section goes
// in a blob, the rest in submitBlobBatch's calldata.
var BlobConfig = protocol.Config{Depth: 4, Deposits: 1, Transfers: 2, Withdrawals: 1, DA: protocol.DABlob}

// AutoConfig is Config as an auto deployment (NewAuto): batches go as
// calldata (Config's twin) or with a blob (BlobConfig's), each verified by
// its own twin's verifier.
var AutoConfig = Config.WithDA(protocol.DAAuto)

// ChainID of ethclient/simulated.
const ChainID = 1337

var (
	OwnerKey = mustKey("0x01")
	SeqKey   = mustKey("0x02")
	UserKey  = mustKey("0x03")
	UserAddr = crypto.PubkeyToAddress(UserKey.PublicKey)
)

func mustKey(h string) *ecdsa.PrivateKey {
	k, err := crypto.ToECDSA(common.LeftPadBytes(hexutil.MustDecode(h), 32))
	if err != nil {
		panic(err)
	}
	return k
}

// Batch is one accepted batch as the sequencer made it.
type Batch struct {
	Number   uint64
	Tx       common.Hash
	Block    uint64
	Proof    []byte
	Batch    *protocol.Batch
	Accounts []protocol.Account // indexes 1..len after the batch
	// A blob batch: the blob the batch's transaction carried and its
	// versioned hash (nil and zero for a calldata batch).
	Blob          *kzg4844.Blob
	VersionedHash common.Hash
}

// Chain is a simulated L1 with a rollup and a few accepted batches.
type Chain struct {
	Config     protocol.Config // Config, BlobConfig or AutoConfig
	Sim        *l1.SimulatedChain
	Client     simulated.Client
	Deployment *l1.Deployment
	File       *l1.DeploymentFile
	Keys       *keys.Set // the circuit's keys (AutoConfig: its calldata twin's)
	// BlobKeys are the blob twin's keys of an AutoConfig chain (else nil).
	BlobKeys *keys.Set
	L2Keys   []protocol.PrivateKey
	State    *protocol.State // the sequencer's state after the last batch (AutoConfig: in the calldata twin)
	Batches  []Batch
	// Padded is batch 4 as it was first posted with Options.TryPadded:
	// its honest proof, one more transfer counted and an all-zero slot
	// appended (the same padded pubdata, so the same public input);
	// PaddedErr is how L1 answered.
	Padded    []byte
	PaddedErr error
	rollup    *bindings.Rollup
	c         *bind.BoundContract
	exodus    *ExodusChain // with Options.Exits: the exit circuit and keys
}

// Options of New.
type Options struct {
	// HTTP, if set ("127.0.0.1:port"), serves the chain's JSON-RPC there.
	HTTP string
	Log  func(format string, args ...any)
	// TryPadded posts batch 4 in its padded form first (see Chain.Padded).
	TryPadded bool
	// Exits deploys the real exit verifier (depth 4) and a priority-queue
	// deadline of FxExpiry, so that the chain can be frozen and exited
	// (NewBlobExodus); otherwise exits are refused.
	Exits bool
}

// batchKeys compiles cfg's batch circuit and returns it with its keys
// (cached on disk by circuit hash) and its compiled Solidity verifier.
func batchKeys(ctx context.Context, cfg protocol.Config) (constraint.ConstraintSystem, *keys.Set, []byte, error) {
	ccs, err := circuits.Compile(cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	set, err := keys.Cached(ctx, cfg, ccs, keys.SetupOptions{})
	if err != nil {
		return nil, nil, nil, err
	}
	verifier, err := l1.CompileVerifier(ctx, set.VK)
	if err != nil {
		return nil, nil, nil, err
	}
	return ccs, set, verifier, nil
}

// New deploys the rollup (account 1, the fee account, holds L2 key 0 at
// genesis) and submits four proven batches:
//
//  1. deposit to key 0 (credits the fee account, index 1);
//  2. deposit to a second new key (index 2), transfers 1→2 and 2→1;
//  3. a second deposit to key 0 (credits index 1), a self-transfer 1→1,
//     a withdrawal from 2 to UserAddr;
//  4. a transfer 2→1 only;
//
// and leaves one more deposit queued and unconsumed.
func New(ctx context.Context, opt Options) (*Chain, error) { return build(ctx, opt, Config) }

// NewBlob is New on a blob-mode rollup (BlobConfig): the same four
// batches, each submitted with submitBlobBatch in a blob transaction
// (version-1 sidecar) carrying its transfer section (protocol.BatchBlob),
// bound by protocol.BindBlob and proven by the blob-mode circuit. The
// blobs are in Batch.Blob: no blob source has them until a test puts them
// in one. TryPadded does not apply.
func NewBlob(ctx context.Context, opt Options) (*Chain, error) { return build(ctx, opt, BlobConfig) }

// NewAuto is New on an auto deployment (AutoConfig): the same four
// batches, batches 1 and 3 as calldata (submitBatch, proven by Config's
// circuit), batches 2 and 4 with a blob as NewBlob posts them (proven by
// BlobConfig's circuit). TryPadded does not apply.
func NewAuto(ctx context.Context, opt Options) (*Chain, error) { return build(ctx, opt, AutoConfig) }

// inMode is st (accounts, queue head, batch number) as a state of
// configuration cfg: an auto deployment's sequencer seals each batch in
// the twin it chose, and the tree does not depend on the mode.
func inMode(st *protocol.State, cfg protocol.Config) (*protocol.State, error) {
	var accs []protocol.Account
	for i := 1; i <= st.NumAccounts(); i++ {
		a, _ := st.Account(uint32(i))
		accs = append(accs, a)
	}
	return protocol.LoadState(cfg, st.ChainID(), st.Contract(), accs, st.NextDeposit(), st.BatchNumber())
}

// twin is one concrete circuit of a deployment with its keys and verifier.
type twin struct {
	ccs      constraint.ConstraintSystem
	set      *keys.Set
	verifier []byte
}

func build(ctx context.Context, opt Options, cfg protocol.Config) (*Chain, error) {
	logf := opt.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	start := time.Now()
	modes := cfg.Modes()
	twins := map[protocol.Config]*twin{}
	for _, m := range modes {
		tw := &twin{}
		var err error
		if tw.ccs, tw.set, tw.verifier, err = batchKeys(ctx, m); err != nil {
			return nil, err
		}
		twins[m] = tw
	}
	var err error
	exitVerifier := l1.RefuseAllVerifier
	var ex *ExodusChain
	if opt.Exits {
		ex = &ExodusChain{}
		if ex.ExitCCS, ex.ExitKeys, exitVerifier, err = exitKeys(ctx, cfg.Depth); err != nil {
			return nil, err
		}
	}
	logf("circuit, keys and verifier in %v", time.Since(start).Round(time.Millisecond))

	eth := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	alloc := types.GenesisAlloc{}
	for _, k := range []*ecdsa.PrivateKey{OwnerKey, SeqKey, UserKey} {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1000), eth)}
	}
	var host string
	var port int
	if opt.HTTP != "" {
		if _, err := fmt.Sscanf(opt.HTTP, "127.0.0.1:%d", &port); err != nil {
			return nil, fmt.Errorf("audittest: HTTP %q: want 127.0.0.1:port", opt.HTTP)
		}
		host = "127.0.0.1"
	}
	opts := []func(*node.Config, *ethconfig.Config){l1.MainnetLikeGas, l1.Archive}
	if host != "" {
		opts = append(opts, l1.ServeHTTP(host, port))
	}
	sim := l1.NewSimulatedChain(alloc, opts...)
	ch := &Chain{Config: cfg, Sim: sim, Client: sim.Client(), Keys: twins[modes[0]].set, rollup: bindings.NewRollup(), exodus: ex}
	ok := false
	defer func() {
		if !ok {
			sim.Close()
		}
	}()

	ch.L2Keys = protocoltest.Keys(11, 3)
	k := ch.L2Keys
	sim.Mine(20 * time.Millisecond) // Deploy waits for receipts
	// The operator's fee key is L2 key 0: account 1 at genesis.
	dcfg := l1.DeployConfig{
		Circuit: cfg, VerifierBytecode: twins[modes[0]].verifier, ExitVerifierBytecode: exitVerifier, FeeKey: k[0].Public(),
		Sequencer: crypto.PubkeyToAddress(SeqKey.PublicKey), DepositCap: new(big.Int).Mul(big.NewInt(10), eth),
	}
	if cfg.Auto() {
		dcfg.BlobVerifierBytecode = twins[modes[1]].verifier
		// Deploy wants an auto rollup's second sender; this chain sends
		// every batch from SeqKey (the sequencer may send both kinds).
		dcfg.BlobSequencer = crypto.PubkeyToAddress(mustKey("0x0b").PublicKey)
		ch.BlobKeys = twins[modes[1]].set
	}
	if opt.Exits {
		dcfg.PriorityExpiry = FxExpiry
	}
	dep, err := l1.Deploy(ctx, ch.Client, OwnerKey, dcfg)
	sim.StopMining()
	if err != nil {
		return nil, err
	}
	ch.Deployment = dep
	ch.File = l1.NewDeploymentFile(dep, dcfg)
	ch.c = ch.rollup.Instance(ch.Client, dep.Rollup)
	if ch.State, err = protocol.GenesisState(cfg, ChainID, dep.Rollup, k[0].Public()); err != nil {
		return nil, err
	}

	queue := uint64(0)
	dep1 := func(key int, amount uint64) protocol.Deposit {
		d := protocol.Deposit{QueueIndex: queue, PubKey: k[key].Public(), Amount: protocoltest.U(amount)}
		queue++
		return d
	}
	tr := func(from, to uint32, amount, fee uint64, nonceOff uint32) protocol.Transfer {
		acc, _ := ch.State.Account(from)
		t := protocol.Transfer{From: from, To: to, Amount: protocoltest.U(amount), Fee: protocoltest.U(fee), Nonce: acc.Nonce + nonceOff}
		if err := t.Sign(k[from-1], ch.State.DomainState()); err != nil {
			panic(err)
		}
		return t
	}
	wd := func(from uint32, amount, fee uint64, nonceOff uint32) protocol.Withdrawal {
		acc, _ := ch.State.Account(from)
		w := protocol.Withdrawal{From: from, To: UserAddr, Amount: protocoltest.U(amount), Fee: protocoltest.U(fee), Nonce: acc.Nonce + nonceOff}
		if err := w.Sign(k[from-1], ch.State.DomainState()); err != nil {
			panic(err)
		}
		return w
	}
	inputs := []func() protocol.BatchInput{
		func() protocol.BatchInput {
			return protocol.BatchInput{FeeAccount: 1, Deposits: []protocol.Deposit{dep1(0, 1_000_000)}}
		},
		func() protocol.BatchInput {
			return protocol.BatchInput{FeeAccount: 1, Deposits: []protocol.Deposit{dep1(1, 500_000)},
				Transfers: []protocol.Transfer{tr(1, 2, 1200, 10, 0), tr(2, 1, 500, 20, 0)}}
		},
		func() protocol.BatchInput {
			return protocol.BatchInput{FeeAccount: 1, Deposits: []protocol.Deposit{dep1(0, 7000)},
				Transfers:   []protocol.Transfer{tr(1, 1, 100, 0, 0)},
				Withdrawals: []protocol.Withdrawal{wd(2, 5000, 30, 0)}}
		},
		func() protocol.BatchInput {
			return protocol.BatchInput{FeeAccount: 1, Transfers: []protocol.Transfer{tr(2, 1, 300, 10, 0)}}
		},
	}
	for i, mk := range inputs {
		// The batch's own configuration: an auto chain alternates,
		// calldata first.
		bc := modes[i%len(modes)]
		if cfg.Auto() {
			if ch.State, err = inMode(ch.State, bc); err != nil {
				return nil, err
			}
		}
		tw := twins[bc]
		in := mk()
		for _, d := range in.Deposits {
			if _, err := ch.send(UserKey, ch.rollup.PackDeposit(protocol.FrToBig(d.PubKey.X), protocol.FrToBig(d.PubKey.Y)), d.Amount.ToBig()); err != nil {
				return nil, fmt.Errorf("deposit: %w", err)
			}
		}
		b, err := ch.State.ApplyBatch(in)
		if err != nil {
			return nil, fmt.Errorf("batch %d: %w", i+1, err)
		}
		t0 := time.Now()
		w, err := circuits.Witness(b)
		if err != nil {
			return nil, err
		}
		p, err := groth16.Prove(tw.ccs, tw.set.PK, w, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
		if err != nil {
			return nil, fmt.Errorf("prove batch %d: %w", i+1, err)
		}
		proof := p.(interface{ MarshalSolidity() []byte }).MarshalSolidity()
		logf("proved batch %d in %v", b.Header.Number, time.Since(t0).Round(time.Millisecond))
		if opt.TryPadded && !cfg.Blob() && !cfg.Auto() && len(b.Transfers) < cfg.Transfers && len(b.Deposits) == 0 && len(b.Withdrawals) == 0 {
			padded := append(b.Compact(), make([]byte, cfg.TransferBytes())...)
			ch.Padded = ch.rollup.PackSubmitBatch(b.Header.Number, b.Header.OldRoot.Bytes(), b.Header.NewRoot.Bytes(),
				0, 0, uint16(len(b.Transfers)+1), 0, padded, []byte{}, proof)
			// The call names the revert; the mined transaction shows it on chain.
			seq := crypto.PubkeyToAddress(SeqKey.PublicKey)
			_, ch.PaddedErr = ch.Client.CallContract(ctx, ethereum.CallMsg{From: seq, To: &dep.Rollup, Data: ch.Padded}, nil)
			if _, err := ch.sendRaw(SeqKey, ch.Padded); err == nil || ch.PaddedErr == nil {
				return nil, fmt.Errorf("batch %d: L1 accepted the padded form (%d transfers counted, one an all-zero slot)", i+1, len(b.Transfers)+1)
			}
		}
		var r *types.Receipt
		var bl *kzg4844.Blob
		var vh common.Hash
		if bc.Blob() {
			r, bl, vh, err = ch.submitBlob(ctx, b, proof)
		} else {
			r, err = ch.send(SeqKey, ch.rollup.PackSubmitBatch(b.Header.Number, b.Header.OldRoot.Bytes(), b.Header.NewRoot.Bytes(),
				uint16(len(b.Deposits)), uint16(len(b.ForcedExits)), uint16(len(b.Transfers)), uint16(len(b.Withdrawals)), b.Compact(),
				Depositors(crypto.PubkeyToAddress(UserKey.PublicKey), len(b.Deposits)), proof), nil)
		}
		if err != nil {
			return nil, fmt.Errorf("submit batch %d: %w", i+1, err)
		}
		var accs []protocol.Account
		for j := 1; j <= ch.State.NumAccounts(); j++ {
			a, _ := ch.State.Account(uint32(j))
			accs = append(accs, a)
		}
		ch.Batches = append(ch.Batches, Batch{Number: b.Header.Number, Tx: r.TxHash, Block: r.BlockNumber.Uint64(),
			Proof: proof, Batch: b, Accounts: accs, Blob: bl, VersionedHash: vh})
	}
	if cfg.Auto() {
		if ch.State, err = inMode(ch.State, modes[0]); err != nil {
			return nil, err
		}
	}
	// One more deposit, queued and not consumed.
	if _, err := ch.send(UserKey, ch.rollup.PackDeposit(protocol.FrToBig(k[2].Public().X), protocol.FrToBig(k[2].Public().Y)), big.NewInt(42_000)); err != nil {
		return nil, err
	}
	ok = true
	return ch, nil
}

// Close stops the chain.
func (c *Chain) Close() { c.Sim.Close() }

func (c *Chain) send(key *ecdsa.PrivateKey, data []byte, value *big.Int) (*types.Receipt, error) {
	opts := bind.NewKeyedTransactor(key, big.NewInt(ChainID))
	opts.Value = value
	tx, err := bind.Transact(c.c, opts, data)
	if err != nil {
		return nil, err
	}
	return c.mine(tx)
}

// sendRaw sends with a fixed gas limit (no estimate), so that a transaction
// the contract refuses is mined and reverts on chain.
func (c *Chain) sendRaw(key *ecdsa.PrivateKey, data []byte) (*types.Receipt, error) {
	opts := bind.NewKeyedTransactor(key, big.NewInt(ChainID))
	opts.GasLimit = 1_000_000
	tx, err := bind.Transact(c.c, opts, data)
	if err != nil {
		return nil, err
	}
	return c.mine(tx)
}

func (c *Chain) mine(tx *types.Transaction) (*types.Receipt, error) {
	c.Sim.Commit()
	r, err := bind.WaitMined(context.Background(), c.Client, tx.Hash())
	if err != nil {
		return nil, err
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return r, errors.New("transaction reverted")
	}
	return r, nil
}

// Depositors packs n copies of one L1 sender, as submitBatch takes the
// depositors of a batch whose deposits all came from one address.
func Depositors(sender common.Address, n int) []byte {
	out := make([]byte, 0, 20*n)
	for range n {
		out = append(out, sender[:]...)
	}
	return out
}
