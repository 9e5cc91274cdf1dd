package audittest

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"time"

	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/constraint"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/node"

	"github.com/sheafrollup/sheaf/circuits"
	"github.com/sheafrollup/sheaf/circuits/exit"
	"github.com/sheafrollup/sheaf/circuits/keys"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/protocol"
	"github.com/sheafrollup/sheaf/protocol/protocoltest"
)

// FxConfig is the smallest configuration with two forced-exit slots (one
// batch can hold a valid and an invalid request); circuits/ tests use it
// too, so its keys are shared in the cache.
var FxConfig = protocol.Config{Depth: 4, Deposits: 1, ForcedExits: 2, Transfers: 1, Withdrawals: 1}

// FxExpiry is the exodus chain's priority-queue deadline.
const FxExpiry = time.Hour

// Recipients of the forced exits: FxTo (the valid one), FxBadTo (the
// invalid one, which must be paid nothing).
var (
	FxTo    = common.HexToAddress("0x00000000000000000000000000000000000f0e01")
	FxBadTo = common.HexToAddress("0x00000000000000000000000000000000000f0e02")
)

// ExodusChain is a rollup with forced exits, ready to be frozen.
type ExodusChain struct {
	*Chain
	ExitCCS  constraint.ConstraintSystem
	ExitKeys *keys.Set
	// Forced are the requests batch 3 consumes: [0] valid (account 3's
	// whole balance to FxTo), [1] invalid (account 2, a wrong nonce).
	Forced []protocol.ForcedExit
	// Unconsumed is the deposit (by UserAddr) left in the queue; it is
	// what expires.
	Unconsumed protocol.Deposit
}

// NewExodus deploys a rollup of FxConfig with the real batch and exit
// verifiers (FxExpiry deadline) and submits three proven batches:
//
//  1. deposit of 1,000,000 to key 1 (account 2);
//  2. deposit of 500,000 to key 2 (account 3), transfer 2→3 (1000, fee 10);
//  3. forced exits: account 3 to FxTo, valid (500,000 + 1000 withdrawn);
//     account 2 to FxBadTo with a wrong nonce (a no-op); transfer 2→1
//     (100, fee 1);
//
// then queues one more deposit (42,000 to key 1, by UserAddr) that no
// batch consumes. Keys: L2 key 0 is the fee key (account 1).
func NewExodus(ctx context.Context, opt Options) (*ExodusChain, error) {
	logf := opt.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	start := time.Now()
	ccs, set, verifier, err := batchKeys(ctx, FxConfig)
	if err != nil {
		return nil, err
	}
	eccs, eset, exitVerifier, err := exitKeys(ctx, FxConfig.Depth)
	if err != nil {
		return nil, err
	}
	logf("circuits, keys and verifiers in %v", time.Since(start).Round(time.Millisecond))

	eth := new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	alloc := types.GenesisAlloc{}
	for _, k := range []*ecdsa.PrivateKey{OwnerKey, SeqKey, UserKey} {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1000), eth)}
	}
	var opts []func(*node.Config, *ethconfig.Config)
	opts = append(opts, l1.MainnetLikeGas)
	if opt.HTTP != "" {
		var port int
		if _, err := fmt.Sscanf(opt.HTTP, "127.0.0.1:%d", &port); err != nil {
			return nil, fmt.Errorf("audittest: HTTP %q: want 127.0.0.1:port", opt.HTTP)
		}
		opts = append(opts, l1.ServeHTTP("127.0.0.1", port))
	}
	sim := l1.NewSimulatedChain(alloc, opts...)
	ch := &Chain{Sim: sim, Client: sim.Client(), Keys: set, rollup: bindings.NewRollup()}
	ok := false
	defer func() {
		if !ok {
			sim.Close()
		}
	}()
	ch.L2Keys = protocoltest.Keys(31, 3)
	k := ch.L2Keys
	sim.Mine(20 * time.Millisecond)
	dcfg := l1.DeployConfig{
		Circuit: FxConfig, VerifierBytecode: verifier, ExitVerifierBytecode: exitVerifier, FeeKey: k[0].Public(),
		Sequencer: crypto.PubkeyToAddress(SeqKey.PublicKey), DepositCap: new(big.Int).Mul(big.NewInt(10), eth),
		PriorityExpiry: FxExpiry, MaxOpenForcedExits: 4,
	}
	dep, err := l1.Deploy(ctx, ch.Client, OwnerKey, dcfg)
	sim.StopMining()
	if err != nil {
		return nil, err
	}
	ch.Deployment = dep
	ch.File = l1.NewDeploymentFile(dep, dcfg)
	ch.c = ch.rollup.Instance(ch.Client, dep.Rollup)
	if ch.State, err = protocol.GenesisState(FxConfig, ChainID, dep.Rollup, k[0].Public()); err != nil {
		return nil, err
	}
	x := &ExodusChain{Chain: ch, ExitCCS: eccs, ExitKeys: eset}

	queue := uint64(0)
	deposit := func(key int, amount uint64) (protocol.Deposit, error) {
		d := protocol.Deposit{QueueIndex: queue, PubKey: k[key].Public(), Amount: protocoltest.U(amount)}
		queue++
		_, err := ch.send(UserKey, ch.rollup.PackDeposit(protocol.FrToBig(d.PubKey.X), protocol.FrToBig(d.PubKey.Y)), d.Amount.ToBig())
		return d, err
	}
	chain := protocol.TagForcedExitChain
	request := func(index uint32, key int, to common.Address, nonce uint32) (protocol.ForcedExit, error) {
		f := protocol.ForcedExit{QueueIndex: queue, Index: index, Recipient: to, Nonce: nonce, PrevChain: chain}
		queue++
		if err := f.Sign(k[key], ch.State.DomainState()); err != nil {
			return f, err
		}
		chain = f.Chain()
		_, err := ch.send(UserKey, ch.rollup.PackRequestForcedExit(f.Index, f.Recipient, f.Nonce,
			protocol.FrToBig(f.Sig.R.X), protocol.FrToBig(f.Sig.R.Y), protocol.FrToBig(f.Sig.S)), nil)
		return f, err
	}
	tr := func(from, to uint32, amount, fee uint64) protocol.Transfer {
		acc, _ := ch.State.Account(from)
		t := protocol.Transfer{From: from, To: to, Amount: protocoltest.U(amount), Fee: protocoltest.U(fee), Nonce: acc.Nonce}
		if err := t.Sign(k[from-1], ch.State.DomainState()); err != nil {
			panic(err)
		}
		return t
	}

	for i := 0; i < 3; i++ {
		var in protocol.BatchInput
		in.FeeAccount = 1
		switch i {
		case 0:
			d, err := deposit(1, 1_000_000)
			if err != nil {
				return nil, fmt.Errorf("deposit: %w", err)
			}
			in.Deposits = []protocol.Deposit{d}
		case 1:
			d, err := deposit(2, 500_000)
			if err != nil {
				return nil, fmt.Errorf("deposit: %w", err)
			}
			in.Deposits = []protocol.Deposit{d}
			in.Transfers = []protocol.Transfer{tr(2, 3, 1000, 10)}
		case 2:
			acc2, _ := ch.State.Account(2)
			valid, err := request(3, 2, FxTo, 0)
			if err != nil {
				return nil, fmt.Errorf("requestForcedExit: %w", err)
			}
			invalid, err := request(2, 1, FxBadTo, acc2.Nonce+5)
			if err != nil {
				return nil, fmt.Errorf("requestForcedExit: %w", err)
			}
			x.Forced = []protocol.ForcedExit{valid, invalid}
			in.ForcedExits = x.Forced
			in.Transfers = []protocol.Transfer{tr(2, 1, 100, 1)}
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
		p, err := groth16.Prove(ccs, set.PK, w, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
		if err != nil {
			return nil, fmt.Errorf("prove batch %d: %w", i+1, err)
		}
		proof := p.(interface{ MarshalSolidity() []byte }).MarshalSolidity()
		logf("proved batch %d in %v", b.Header.Number, time.Since(t0).Round(time.Millisecond))
		r, err := ch.send(SeqKey, ch.rollup.PackSubmitBatch(b.Header.Number, b.Header.OldRoot.Bytes(), b.Header.NewRoot.Bytes(),
			uint16(len(b.Deposits)), uint16(len(b.ForcedExits)), uint16(len(b.Transfers)), uint16(len(b.Withdrawals)), b.Compact(),
			Depositors(UserAddr, len(b.Deposits)), proof), nil)
		if err != nil {
			return nil, fmt.Errorf("submit batch %d: %w", i+1, err)
		}
		var accs []protocol.Account
		for j := 1; j <= ch.State.NumAccounts(); j++ {
			a, _ := ch.State.Account(uint32(j))
			accs = append(accs, a)
		}
		ch.Batches = append(ch.Batches, Batch{Number: b.Header.Number, Tx: r.TxHash, Block: r.BlockNumber.Uint64(),
			Proof: proof, Batch: b, Accounts: accs})
	}
	if x.Unconsumed, err = deposit(1, 42_000); err != nil {
		return nil, err
	}
	ok = true
	return x, nil
}

// exitKeys compiles the exit circuit of depth, with its keys (cached on
// disk) and its compiled Solidity verifier.
func exitKeys(ctx context.Context, depth int) (constraint.ConstraintSystem, *keys.Set, []byte, error) {
	eccs, err := exit.Compile(depth)
	if err != nil {
		return nil, nil, nil, err
	}
	eset, err := keys.Cached(ctx, protocol.Config{Depth: depth}, eccs, keys.SetupOptions{Circuit: keys.CircuitExit})
	if err != nil {
		return nil, nil, nil, err
	}
	v, err := l1.CompileVerifier(ctx, eset.VK)
	if err != nil {
		return nil, nil, nil, err
	}
	return eccs, eset, v, nil
}

// NewBlobExodus is NewBlob with the real exit verifier and FxExpiry's
// deadline: its unconsumed deposit expires, so Freeze starts exodus and
// accounts can exit (exodus.Exiter, whose rebuild reads the blobs).
// Forced and Unconsumed are not set.
func NewBlobExodus(ctx context.Context, opt Options) (*ExodusChain, error) {
	opt.Exits = true
	ch, err := build(ctx, opt, BlobConfig)
	if err != nil {
		return nil, err
	}
	x := ch.exodus
	x.Chain = ch
	return x, nil
}

// Send sends a transaction to the rollup from key and mines it.
func (c *Chain) Send(key *ecdsa.PrivateKey, data []byte, value *big.Int) (*types.Receipt, error) {
	return c.send(key, data, value)
}

// Freeze moves L1 time past the unconsumed deposit's expiry and sends
// activateExodus (from UserKey: anyone may).
func (x *ExodusChain) Freeze() (*types.Receipt, error) {
	if err := x.Sim.AdjustTime(FxExpiry + time.Minute); err != nil {
		return nil, err
	}
	return x.send(UserKey, x.rollup.PackActivateExodus(), nil)
}

// ExitProof proves account index's exit to recipient in the current state
// (the frozen one), signed by L2 key k.
func (x *ExodusChain) ExitProof(k protocol.PrivateKey, index uint32, recipient common.Address) (*protocol.ExitClaim, []byte, error) {
	sig, err := protocol.SignExodus(k, x.State.DomainState(), index, recipient)
	if err != nil {
		return nil, nil, err
	}
	claim, err := x.State.ExitClaim(index, recipient, sig)
	if err != nil {
		return nil, nil, err
	}
	w, err := exit.Witness(claim, FxConfig.Depth)
	if err != nil {
		return nil, nil, err
	}
	p, err := groth16.Prove(x.ExitCCS, x.ExitKeys.PK, w, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
	if err != nil {
		return nil, nil, err
	}
	return claim, p.(interface{ MarshalSolidity() []byte }).MarshalSolidity(), nil
}
