// Package exodus gets a user's money out of a frozen rollup without the
// operator: it rebuilds the L2 state from L1 alone with the auditor's
// engine, builds the exit proof (circuits/exit) for an account from the
// account's exodus signature, and sends exit and refundDeposit. It needs an
// L1 endpoint, the rollup's address and the exit circuit's proving key;
// no database and no operator API. `sheaf exit` is its command line; see
// docs/exits.md.
package exodus

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/constraint"
	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sheafrollup/sheaf/audit"
	"github.com/sheafrollup/sheaf/circuits/exit"
	"github.com/sheafrollup/sheaf/l1"
	"github.com/sheafrollup/sheaf/l1/bindings"
	"github.com/sheafrollup/sheaf/l1/blobs"
	"github.com/sheafrollup/sheaf/protocol"
)

// Backend is what exiting needs from an L1 node: reading logs and calls
// (the auditor's engine) and sending transactions. *ethclient.Client and
// the simulated backend's client implement it.
type Backend interface {
	audit.Client
	bind.ContractBackend
	bind.DeployBackend
}

// ErrNotFrozen: the contract is not in exodus mode yet.
var ErrNotFrozen = errors.New("the rollup is not in exodus mode")

// ErrAlreadyExited: the account has exited already (each account exits once).
var ErrAlreadyExited = errors.New("the account has already exited")

// Config of an exit run.
type Config struct {
	Contract  common.Address
	FromBlock uint64 // the rollup's deployment block
	// BatchBlocks is the most blocks one eth_getLogs covers.
	BatchBlocks uint64
	// Genesis accounts of a rollup deployed on a non-empty tree (nil: the
	// standard genesis).
	Genesis []protocol.Account
	// Blobs is where the rebuild reads blob-mode batches' blobs (passed to
	// audit.Config.Blobs; nil: none).
	Blobs blobs.Source
}

// Check validates the configuration.
func (c Config) Check() error {
	switch {
	case c.Contract == (common.Address{}):
		return errors.New("exodus: no contract address")
	case c.BatchBlocks == 0:
		return errors.New("exodus: batch blocks must be positive")
	}
	return nil
}

// Exiter rebuilds the state of one rollup and sends exits and refunds.
type Exiter struct {
	cfg    Config
	b      Backend
	log    *slog.Logger
	rollup *bindings.Rollup
	c      *bind.BoundContract

	state  *audit.State
	report *audit.Report
}

// New returns an Exiter; log receives progress lines (nil: none).
func New(cfg Config, b Backend, log *slog.Logger) (*Exiter, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := bindings.NewRollup()
	return &Exiter{cfg: cfg, b: b, log: log, rollup: r, c: r.Instance(b, cfg.Contract)}, nil
}

func (e *Exiter) call(ctx context.Context, data []byte) ([]byte, error) {
	return e.b.CallContract(ctx, ethereum.CallMsg{To: &e.cfg.Contract, Data: data}, nil)
}

// Frozen reports whether the contract is in exodus mode.
func (e *Exiter) Frozen(ctx context.Context) (bool, error) {
	out, err := e.call(ctx, e.rollup.PackFrozen())
	if err != nil {
		return false, fmt.Errorf("read frozen: %w", err)
	}
	return e.rollup.UnpackFrozen(out)
}

// Overdue says whether exodus can be activated now: the oldest unconsumed
// queue entry and its expiry (L1 timestamp) and the head block's time.
type Overdue struct {
	Empty      bool   // no entry is waiting: exodus cannot be activated
	QueueIndex uint64 // the oldest unconsumed entry
	Expiry     uint64
	Now        uint64 // the latest block's timestamp
}

// Expired: activateExodus would succeed now.
func (o Overdue) Expired() bool { return !o.Empty && o.Now > o.Expiry }

func (o Overdue) String() string {
	if o.Empty {
		return "the priority queue is empty: no entry can expire, exodus cannot be activated"
	}
	if o.Expired() {
		return fmt.Sprintf("queue entry %d expired at L1 time %d (now %d): anyone may activate exodus (sheaf exodus activate)", o.QueueIndex, o.Expiry, o.Now)
	}
	return fmt.Sprintf("the oldest unconsumed queue entry (%d) expires at L1 time %d, in %s: after that anyone may activate exodus (sheaf exodus activate)",
		o.QueueIndex, o.Expiry, time.Duration(o.Expiry-o.Now)*time.Second)
}

// CheckOverdue reads the queue head's expiry.
func (e *Exiter) CheckOverdue(ctx context.Context) (Overdue, error) {
	var o Overdue
	r := e.rollup
	out, err := e.call(ctx, r.PackDepositHead())
	if err != nil {
		return o, fmt.Errorf("read depositHead: %w", err)
	}
	if o.QueueIndex, err = r.UnpackDepositHead(out); err != nil {
		return o, err
	}
	if out, err = e.call(ctx, r.PackDepositTail()); err != nil {
		return o, fmt.Errorf("read depositTail: %w", err)
	}
	tail, err := r.UnpackDepositTail(out)
	if err != nil {
		return o, err
	}
	h, err := e.b.HeaderByNumber(ctx, nil)
	if err != nil {
		return o, fmt.Errorf("L1 head: %w", err)
	}
	o.Now = h.Time
	if o.QueueIndex >= tail {
		o.Empty = true
		return o, nil
	}
	if out, err = e.call(ctx, r.PackQueueExpiry(new(big.Int).SetUint64(o.QueueIndex))); err != nil {
		return o, fmt.Errorf("read queueExpiry: %w", err)
	}
	o.Expiry, err = r.UnpackQueueExpiry(out)
	return o, err
}

// Activate calls activateExodus (anyone may, once the oldest unconsumed
// queue entry is past its expiry).
func (e *Exiter) Activate(ctx context.Context, key *ecdsa.PrivateKey) (*types.Receipt, error) {
	o, err := e.CheckOverdue(ctx)
	if err != nil {
		return nil, err
	}
	if !o.Expired() {
		return nil, fmt.Errorf("cannot activate exodus yet: %s", o)
	}
	return e.send(ctx, key, e.rollup.PackActivateExodus(), "activateExodus")
}

// Rebuild replays every accepted batch from L1 with the auditor's engine
// and checks the result against the contract's state root. Proofs are not
// re-verified off-chain (the contract verified each when it accepted the
// batch); the public input of each batch is still rebuilt from the
// calldata and compared with the one the contract emitted, and the replay
// must reach the contract's root, which is what an exit proves against.
func (e *Exiter) Rebuild(ctx context.Context) (*audit.State, error) {
	acfg := audit.DefaultConfig
	acfg.Contract, acfg.FromBlock, acfg.BatchBlocks, acfg.Genesis, acfg.Blobs = e.cfg.Contract, e.cfg.FromBlock, e.cfg.BatchBlocks, e.cfg.Genesis, e.cfg.Blobs
	// A frozen root never changes: read up to the head.
	acfg.Finality = l1.Finality{}
	a, err := audit.New(acfg, e.b, nil, e.log.With("step", "rebuild"))
	if err != nil {
		return nil, err
	}
	e.log.Info("rebuilding the L2 state from L1 (this reads every batch)", "contract", e.cfg.Contract, "from_block", e.cfg.FromBlock)
	rep, err := a.Run(ctx)
	if err != nil {
		return nil, fmt.Errorf("rebuild the state from L1: %w", err)
	}
	e.state, e.report = a.State(), rep
	e.log.Info("state rebuilt", "batches", rep.LastBatch, "accounts", rep.Accounts, "root", rep.Root, "exodus", rep.Frozen)
	return e.state, nil
}

// State is the rebuilt state (nil before Rebuild).
func (e *Exiter) State() *audit.State { return e.state }

// Claim builds the exit claim of account index paying recipient, from the
// rebuilt state and the account's exodus signature. The signature is
// checked here (by the circuit's rule) so that a wrong one fails before
// proving.
func (e *Exiter) Claim(index uint32, recipient common.Address, sig protocol.Signature) (*protocol.ExitClaim, error) {
	st := e.state
	if st == nil {
		return nil, errors.New("exodus: Rebuild first")
	}
	acc, ok := st.Account(index)
	if !ok {
		return nil, fmt.Errorf("account %d does not exist in the last proven state (%d accounts)", index, st.NumAccounts())
	}
	domain := protocol.DomainState(st.ChainID(), st.Contract())
	if !protocol.VerifyCofactored(acc.PubKey, protocol.ExodusMessage(domain, index, recipient), sig) {
		return nil, fmt.Errorf("%w: not an exodus signature of account %d's key for recipient %s on this rollup", protocol.ErrBadSignature, index, recipient)
	}
	p, err := st.Prove(index)
	if err != nil {
		return nil, err
	}
	if err := p.Verify(st.Config().Depth); err != nil {
		return nil, err
	}
	return &protocol.ExitClaim{ChainID: st.ChainID(), Contract: st.Contract(), Root: st.Root(), Index: index,
		Recipient: recipient, Account: acc, Siblings: p.Proof.Siblings, Sig: sig}, nil
}

// Prove builds the exit proof (the 256-byte encoding the verifier takes).
func Prove(claim *protocol.ExitClaim, depth int, ccs constraint.ConstraintSystem, pk groth16.ProvingKey) ([]byte, error) {
	w, err := exit.Witness(claim, depth)
	if err != nil {
		return nil, err
	}
	p, err := groth16.Prove(ccs, pk, w, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
	if err != nil {
		return nil, fmt.Errorf("prove the exit: %w", err)
	}
	m, ok := p.(interface{ MarshalSolidity() []byte })
	if !ok {
		return nil, errors.New("prove the exit: the proof has no Solidity encoding")
	}
	return m.MarshalSolidity(), nil
}

// Exited reports whether account index has exited.
func (e *Exiter) Exited(ctx context.Context, index uint32) (bool, error) {
	out, err := e.call(ctx, e.rollup.PackExited(index))
	if err != nil {
		return false, fmt.Errorf("read exited(%d): %w", index, err)
	}
	return e.rollup.UnpackExited(out)
}

// Exit sends exit(index, recipient, balance, proof) for the claim.
func (e *Exiter) Exit(ctx context.Context, key *ecdsa.PrivateKey, claim *protocol.ExitClaim, proof []byte) (*types.Receipt, error) {
	done, err := e.Exited(ctx, claim.Index)
	if err != nil {
		return nil, err
	}
	if done {
		return nil, fmt.Errorf("%w: account %d", ErrAlreadyExited, claim.Index)
	}
	return e.send(ctx, key, e.rollup.PackExit(claim.Index, claim.Recipient, claim.Account.Balance.ToBig(), proof), "exit")
}

// Refund is an unconsumed deposit to refund.
type Refund struct {
	QueueIndex uint64
	Depositor  common.Address
	Amount     *big.Int
	Key        [32]byte // compressed L2 key of the deposit
}

// Refundable lists the unconsumed deposits made by depositor that are not
// refunded yet, from the rebuilt state.
func (e *Exiter) Refundable(depositor common.Address) []Refund {
	st := e.state
	var out []Refund
	ex := st.Exodus()
	for _, q := range st.Queue() {
		d := q.Deposit
		if d == nil || q.Depositor != depositor || (ex != nil && ex.Refunded[d.QueueIndex]) {
			continue
		}
		out = append(out, Refund{QueueIndex: d.QueueIndex, Depositor: q.Depositor, Amount: d.Amount.ToBig(), Key: d.PubKey.Bytes()})
	}
	return out
}

// RefundDeposit sends refundDeposit for one deposit.
func (e *Exiter) RefundDeposit(ctx context.Context, key *ecdsa.PrivateKey, r Refund) (*types.Receipt, error) {
	return e.send(ctx, key, e.rollup.PackRefundDeposit(r.QueueIndex, r.Key, r.Amount, r.Depositor), "refundDeposit")
}

// Pending is what the contract holds claimable for addr.
func (e *Exiter) Pending(ctx context.Context, addr common.Address) (*big.Int, error) {
	out, err := e.call(ctx, e.rollup.PackPendingWithdrawals(addr))
	if err != nil {
		return nil, fmt.Errorf("read pendingWithdrawals: %w", err)
	}
	return e.rollup.UnpackPendingWithdrawals(out)
}

// send simulates the call first, so that a revert is named before anything
// is spent, then sends it and waits for the receipt.
func (e *Exiter) send(ctx context.Context, key *ecdsa.PrivateKey, data []byte, what string) (*types.Receipt, error) {
	from := crypto.PubkeyToAddress(key.PublicKey)
	if _, err := e.b.CallContract(ctx, ethereum.CallMsg{From: from, To: &e.cfg.Contract, Data: data}, nil); err != nil {
		return nil, fmt.Errorf("%s would revert: %w%s", what, err, revertName(err))
	}
	chainID, err := e.b.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("chain id: %w", err)
	}
	opts := bind.NewKeyedTransactor(key, chainID)
	opts.Context = ctx
	tx, err := bind.Transact(e.c, opts, data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w%s", what, err, revertName(err))
	}
	r, err := bind.WaitMined(ctx, e.b, tx.Hash())
	if err != nil {
		return nil, fmt.Errorf("%s: wait for %s: %w", what, tx.Hash(), err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return r, fmt.Errorf("%s: transaction %s reverted", what, tx.Hash())
	}
	return r, nil
}

var rollupABI = func() *abi.ABI {
	a, err := bindings.RollupMetaData.ParseABI()
	if err != nil {
		panic(err)
	}
	return a
}()

// revertName names the contract's custom error in err, if any (" (Name)").
func revertName(err error) string {
	if name, ok := l1.RevertName(err, rollupABI); ok {
		return " (" + name + ")"
	}
	return ""
}
